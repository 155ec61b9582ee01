"""The 50 percent ownership rule, resolved to a fixed point over an ownership graph.

An entity owned 50 percent or more in aggregate, directly or indirectly, by blocked persons is
itself blocked (OFAC's 50 percent rule; the EU and UK ownership tests in similar terms), and
"blocked persons" includes entities already blocked this way: blocking travels down chains.

Inputs are plain tables, no I/O:

- ``edges`` (:data:`EDGE_SCHEMA`): one row per holding, ``owner_id`` holds ``share_low`` to
  ``share_high`` percent of ``owned_id``; ``control`` lists control kinds held without regard to
  shares (:data:`CONTROL_KINDS`). A Companies House band gives a range (``25``–``50``); an exact
  share gives ``share_low == share_high``; an unknown share leaves both null.
- ``seeds`` (:data:`SEED_SCHEMA`): the blocked parties found on a list, one row per list reference.
- ``nodes`` (:data:`NODE_SCHEMA`, optional): display names for the evidence text.

Three results, computed as least fixed points (each set only grows, so cycles terminate):

- **ownership** — the shares held by blocked parties (seeds plus companies already found blocked)
  add up, by their *lower* bounds, to at least the threshold. Established.
- **possible** — the threshold could be reached only under the *upper* bounds of bands, counting
  owners that are themselves only possibly blocked. Reported separately, never as established.
- **control** — a blocked party holds a control right (appoint or remove directors, significant
  influence, majority of votes) over a company that is not blocked by ownership. Control flags do
  not propagate further: they are for review, not a legal conclusion.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

EDGE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "owner_id": pl.String(),
    "owned_id": pl.String(),
    "share_low": pl.Float64(),
    "share_high": pl.Float64(),
    "control": pl.List(pl.String()),
}

SEED_SCHEMA: Final[dict[str, pl.DataType]] = {
    "party_id": pl.String(),
    "party_name": pl.String(),
    "entity_type": pl.String(),  # person | organization | ...
    "list_ref": pl.String(),  # e.g. "OFAC SDN 12345"
}

NODE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "node_id": pl.String(),
    "name": pl.String(),
}

FLAG_SCHEMA: Final[dict[str, pl.DataType]] = {
    "company_id": pl.String(),
    "company_name": pl.String(),
    "basis": pl.String(),  # ownership | control | possible
    "aggregate_share": pl.Float64(),  # established lower bound held by blocked parties
    "listed_parties": pl.String(),
    "evidence": pl.String(),
    "possible_share": pl.Float64(),  # upper bound held by blocked or possibly blocked parties
    "control_kinds": pl.String(),
    "depth": pl.Int32(),  # propagation round that flagged it: 1 = held or controlled directly by a listed party
}

# Control held without regard to shares. Voting-rights bands are translated by the loaders into
# "voting-majority" when their lower bound is a majority.
CONTROL_KINDS: Final = frozenset(
    {"appoint-directors", "significant-influence", "voting-majority", "consolidated-by-parent"}
)

BASES: Final = ("ownership", "control", "possible")
_EPS: Final = 1e-9

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class OwnershipConfig:
    """``threshold`` is the aggregate percentage that blocks (50 under OFAC, EU and UK rules)."""

    threshold: float = 50.0
    max_evidence_depth: int = 4
    max_evidence_owners: int = 5

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 100:
            raise ValueError(f"ownership threshold must be in (0, 100], got {self.threshold}")


@dataclass(frozen=True)
class _Graph:
    ids: list[str]
    owner: IntArray  # edge arrays, sorted by owner
    owned: IntArray
    low: FloatArray
    high: FloatArray
    controls: BoolArray
    indptr: IntArray  # CSR offsets by owner


@dataclass(frozen=True)
class _Closure:
    member: BoolArray
    round: IntArray  # -1 when not a member; seeds are round 0
    total: FloatArray  # final sum of shares held by members


def resolve_ownership(
    edges: pl.DataFrame,
    seeds: pl.DataFrame,
    nodes: pl.DataFrame | None = None,
    *,
    config: OwnershipConfig | None = None,
) -> pl.DataFrame:
    """One row per flagged company (:data:`FLAG_SCHEMA`), seeds themselves excluded.

    ``edges`` and ``seeds`` follow :data:`EDGE_SCHEMA` and :data:`SEED_SCHEMA`; ``nodes`` gives
    display names. Rows are ordered by basis, then depth, then company id.
    """
    cfg = config or OwnershipConfig()
    graph = _build_graph(edges, seeds)
    n = len(graph.ids)
    seed_refs, seed_labels = _seed_index(seeds, graph.ids)
    is_seed = np.zeros(n, dtype=np.bool_)
    is_seed[list(seed_refs)] = True

    established = _closure(graph, is_seed, graph.low, cfg.threshold)
    possible = _closure(graph, is_seed | established.member, graph.high, cfg.threshold)
    controlled, control_kinds = _controlled(graph, edges, is_seed | established.member)

    names = _names(nodes, graph.ids)
    explainer = _Explainer(graph, names, seed_refs, seed_labels, established, possible, cfg)

    rows: list[dict[str, object]] = []
    own = np.flatnonzero(established.member & ~is_seed)
    ctrl = np.flatnonzero(controlled & ~established.member & ~is_seed)
    poss = np.flatnonzero(possible.member & ~established.member & ~is_seed & ~controlled)
    for basis, members in (("ownership", own), ("control", ctrl), ("possible", poss)):
        for i in members.tolist():
            rows.append(explainer.row(i, basis, control_kinds.get(i, ())))
    if not rows:
        return pl.DataFrame(schema=FLAG_SCHEMA)
    order = {b: k for k, b in enumerate(BASES)}
    frame = pl.DataFrame(rows, schema=FLAG_SCHEMA)
    return (
        frame.with_columns(pl.col("basis").replace_strict(order, return_dtype=pl.Int8).alias("_b"))
        .sort(["_b", "depth", "company_id"])
        .drop("_b")
    )


def _build_graph(edges: pl.DataFrame, seeds: pl.DataFrame) -> _Graph:
    frame = edges.select(
        pl.col("owner_id").cast(pl.String),
        pl.col("owned_id").cast(pl.String),
        pl.col("share_low").cast(pl.Float64),
        pl.col("share_high").cast(pl.Float64),
        (
            pl.col("control").list.eval(pl.element().is_in(list(CONTROL_KINDS))).list.any().fill_null(False)
            if "control" in edges.columns
            else pl.lit(False)
        ).alias("controls"),
    ).filter(
        pl.col("owner_id").is_not_null() & pl.col("owned_id").is_not_null() & (pl.col("owner_id") != pl.col("owned_id"))
    )
    ids_series = (
        pl.concat([frame["owner_id"], frame["owned_id"], seeds["party_id"].cast(pl.String)])
        .drop_nulls()
        .unique(maintain_order=True)
    )
    index = pl.DataFrame({"id": ids_series, "ix": pl.int_range(ids_series.len(), eager=True)})
    # A share's upper bound is never below its lower bound; an exact share has high == low.
    low = pl.col("share_low").clip(0, 100)
    high = pl.max_horizontal(pl.col("share_high").fill_null(pl.col("share_low")).clip(0, 100), low)
    coded = (
        frame.join(index.rename({"id": "owner_id", "ix": "o"}), on="owner_id")
        .join(index.rename({"id": "owned_id", "ix": "t"}), on="owned_id")
        .group_by("o", "t")
        # The same holding reported twice (a shares and a votes statement, two extracts) is one
        # holding: take the widest bounds, never the sum.
        .agg(low.max().fill_null(0.0), high.max().fill_null(0.0), pl.col("controls").any())
        .sort("o", "t")
    )
    owner = coded["o"].to_numpy().astype(np.int64)
    n = ids_series.len()
    counts = np.bincount(owner, minlength=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return _Graph(
        ids=ids_series.to_list(),
        owner=owner,
        owned=coded["t"].to_numpy().astype(np.int64),
        low=coded["share_low"].to_numpy().astype(np.float64),
        high=coded["share_high"].to_numpy().astype(np.float64),
        controls=coded["controls"].to_numpy().astype(np.bool_),
        indptr=indptr,
    )


def _out_edges(graph: _Graph, frontier: IntArray) -> IntArray:
    """Indices of every edge leaving a node of ``frontier`` (CSR range gather)."""
    starts = graph.indptr[frontier]
    lengths = graph.indptr[frontier + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total, dtype=np.int64)


def _closure(graph: _Graph, start: BoolArray, share: FloatArray, threshold: float) -> _Closure:
    """Least fixed point: members are ``start`` plus every node whose members hold >= threshold."""
    n = len(graph.ids)
    member = start.copy()
    rounds = np.full(n, -1, dtype=np.int64)
    rounds[member] = 0
    total = np.zeros(n, dtype=np.float64)
    frontier = np.flatnonzero(member)
    step = 0
    while frontier.size:
        step += 1
        out = _out_edges(graph, frontier)
        targets = graph.owned[out]
        touched, inverse = np.unique(targets, return_inverse=True)
        total[touched] += np.bincount(inverse, weights=share[out], minlength=touched.size)
        crossed = touched[(total[touched] >= threshold - _EPS) & ~member[touched]]
        member[crossed] = True
        rounds[crossed] = step
        frontier = crossed
    return _Closure(member=member, round=rounds, total=total)


def _controlled(graph: _Graph, edges: pl.DataFrame, blocked: BoolArray) -> tuple[BoolArray, dict[int, tuple[str, ...]]]:
    """Companies over which a blocked party holds a control right."""
    hit = graph.controls & blocked[graph.owner]
    controlled = np.zeros(len(graph.ids), dtype=np.bool_)
    controlled[graph.owned[hit]] = True
    kinds: dict[int, tuple[str, ...]] = {}
    if not hit.any() or "control" not in edges.columns:
        return controlled, kinds
    index = {node: i for i, node in enumerate(graph.ids)}
    blocked_ids = {graph.ids[i] for i in np.unique(graph.owner[hit]).tolist()}
    target_ids = {graph.ids[i] for i in np.unique(graph.owned[hit]).tolist()}
    rows = edges.filter(
        pl.col("owner_id").is_in(list(blocked_ids)) & pl.col("owned_id").is_in(list(target_ids))
    ).select("owned_id", "control")
    collected: dict[int, set[str]] = {}
    for owned_id, control in rows.iter_rows():
        for kind in control or ():
            if kind in CONTROL_KINDS:
                collected.setdefault(index[owned_id], set()).add(kind)
    kinds = {i: tuple(sorted(v)) for i, v in collected.items()}
    return controlled, kinds


def _seed_index(seeds: pl.DataFrame, ids: list[str]) -> tuple[dict[int, list[str]], dict[int, str]]:
    index = {node: i for i, node in enumerate(ids)}
    refs: dict[int, list[str]] = {}
    labels: dict[int, str] = {}
    for party_id, name, entity_type, ref in seeds.select(
        "party_id", "party_name", "entity_type", "list_ref"
    ).iter_rows():
        i = index[str(party_id)]
        if ref and ref not in refs.setdefault(i, []):
            refs[i].append(str(ref))
        kind = "person" if entity_type == "person" else "entity"
        labels.setdefault(i, f"listed {kind} {name or party_id}")
    return refs, labels


def _names(nodes: pl.DataFrame | None, ids: list[str]) -> dict[int, str]:
    if nodes is None or nodes.is_empty():
        return {}
    index = {node: i for i, node in enumerate(ids)}
    names: dict[int, str] = {}
    for node_id, name in nodes.select("node_id", "name").iter_rows():
        i = index.get(str(node_id))
        if i is not None and name and i not in names:
            names[i] = str(name)
    return names


def share_phrase(low: float, high: float) -> str:
    """How a holding reads in evidence: an exact share, or a band by its lower bound."""
    if abs(high - low) < _EPS:
        return f"{low:g}%"
    if low >= 75 - _EPS:
        return f"{low:g}% or more"
    return f"more than {low:g}%"


class _Explainer:
    """Evidence text and listed parties, following each company's contributors back to seeds."""

    def __init__(
        self,
        graph: _Graph,
        names: dict[int, str],
        seed_refs: dict[int, list[str]],
        seed_labels: dict[int, str],
        established: _Closure,
        possible: _Closure,
        config: OwnershipConfig,
    ) -> None:
        self.graph = graph
        self.names = names
        self.seed_refs = seed_refs
        self.seed_labels = seed_labels
        self.established = established
        self.possible = possible
        self.config = config
        self._in_edges: dict[int, list[int]] | None = None
        self._listed: dict[tuple[int, bool], tuple[str, ...]] = {}
        self._reason: dict[tuple[int, bool, int], str] = {}

    def name(self, i: int) -> str:
        return self.names.get(i, self.graph.ids[i])

    def in_edges(self, i: int) -> list[int]:
        if self._in_edges is None:
            flagged = self.established.member | self.possible.member
            keep = np.flatnonzero(flagged[self.graph.owner] | self.graph.controls)
            table: dict[int, list[int]] = {}
            for e, t in zip(keep.tolist(), self.graph.owned[keep].tolist(), strict=True):
                table.setdefault(t, []).append(e)
            self._in_edges = table
        return self._in_edges.get(i, [])

    def contributors(self, i: int, upper: bool) -> list[int]:
        """Edges from members that became members before ``i``, largest holding first."""
        closure = self.possible if upper else self.established
        share = self.graph.high if upper else self.graph.low
        rank = closure.round[i]
        found = [
            e
            for e in self.in_edges(i)
            if closure.member[self.graph.owner[e]]
            and (rank < 0 or 0 <= closure.round[self.graph.owner[e]] < rank)
            and share[e] > 0
        ]
        return sorted(found, key=lambda e: (-share[e], self.graph.ids[self.graph.owner[e]]))

    def listed(self, i: int, upper: bool) -> tuple[str, ...]:
        if upper and self.established.member[i]:
            upper = False
        key = (i, upper)
        if key in self._listed:
            return self._listed[key]
        if i in self.seed_refs or i in self.seed_labels:
            found: tuple[str, ...] = (self._seed_text(i),)
        else:
            parts: dict[str, None] = {}
            for e in self.contributors(i, upper):
                for text in self.listed(int(self.graph.owner[e]), upper):
                    parts[text] = None
            found = tuple(parts)
        self._listed[key] = found
        return found

    def _seed_text(self, i: int) -> str:
        refs = self.seed_refs.get(i, [])
        label = self.seed_labels.get(i, f"listed party {self.name(i)}")
        return f"{label} ({', '.join(refs)})" if refs else label

    def describe_owner(self, i: int, upper: bool, depth: int) -> str:
        if i in self.seed_labels:
            return self._seed_text(i)
        status = "possibly blocked" if upper and not self.established.member[i] else "blocked"
        if depth >= self.config.max_evidence_depth:
            return f"{self.name(i)}, which is {status} (see its own entry)"
        return f"{self.name(i)}, which is {status}: {self.reason(i, upper, depth + 1)}"

    def reason(self, i: int, upper: bool, depth: int) -> str:
        key = (i, upper and not self.established.member[i], depth)
        if key in self._reason:
            return self._reason[key]
        upper = key[1]
        edges = self.contributors(i, upper)
        share = self.graph.high if upper else self.graph.low
        limit = self.config.max_evidence_owners
        shown = edges[:limit]
        if len(edges) == 1:
            e = edges[0]
            phrase = f"up to {share[e]:g}%" if upper else share_phrase(self.graph.low[e], self.graph.high[e])
            text = f"{phrase} owned by {self.describe_owner(int(self.graph.owner[e]), upper, depth)}"
        else:
            total = sum(float(share[e]) for e in edges)
            parts = []
            for e in shown:
                phrase = f"up to {share[e]:g}%" if upper else share_phrase(self.graph.low[e], self.graph.high[e])
                parts.append(f"{phrase} by {self.describe_owner(int(self.graph.owner[e]), upper, depth)}")
            if len(edges) > limit:
                parts.append(f"and {len(edges) - limit} more")
            if upper:
                head = f"up to {total:g}% owned in aggregate by blocked or possibly blocked parties"
            else:
                head = f"{total:g}% or more owned in aggregate by blocked parties"
            text = f"{head}: " + "; ".join(parts)
        self._reason[key] = text
        return text

    def controllers(self, i: int) -> list[int]:
        """Blocked parties holding a control right over ``i``."""
        blocked = self.established.member
        found = {
            int(self.graph.owner[e])
            for e in self.in_edges(i)
            if self.graph.controls[e] and blocked[self.graph.owner[e]]
        }
        return sorted(found, key=lambda o: self.graph.ids[o])

    def control_reason(self, i: int, kinds: Iterable[str]) -> str:
        owners = self.controllers(i)
        limit = self.config.max_evidence_owners
        who = "; ".join(self.describe_owner(o, False, 1) for o in owners[:limit])
        if len(owners) > limit:
            who += f"; and {len(owners) - limit} more"
        rights = ", ".join(k.replace("-", " ") for k in kinds) or "control"
        return f"is controlled without a blocking share ({rights}) by {who}"

    def row(self, i: int, basis: str, kinds: tuple[str, ...]) -> dict[str, object]:
        name = self.name(i)
        upper = basis == "possible"
        if basis == "control":
            text = self.control_reason(i, kinds)
            owners = self.controllers(i)
            listed = {t: None for o in owners for t in self.listed(o, False)}
            listed_parties = tuple(listed)
            rank = int(min(self.established.round[o] for o in owners)) + 1
        else:
            text = ("could be " if upper else "is ") + self.reason(i, upper, 1)
            listed_parties = self.listed(i, upper)
            closure = self.possible if upper else self.established
            rank = int(closure.round[i])
        evidence = f"{name} {text}"
        if basis == "possible":
            evidence += (
                f" — established lower bound {self.established.total[i]:g}%, below the "
                f"{self.config.threshold:g}% threshold"
            )
        return {
            "company_id": self.graph.ids[i],
            "company_name": name,
            "basis": basis,
            "aggregate_share": float(self.established.total[i]),
            "listed_parties": "; ".join(listed_parties),
            "evidence": evidence,
            "possible_share": float(self.possible.total[i]),
            "control_kinds": ", ".join(kinds),
            "depth": rank,
        }
