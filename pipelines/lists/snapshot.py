"""Watchlist snapshots: the consolidated list a night screens against, identified by a content
hash, with the diff against the previous snapshot and the guards that keep a broken publication
out.

Store layout (keys under the lists store)::

    snapshots/<sha256>/<table>.parquet   the six watchlist tables
    snapshots/<sha256>/meta.json         sources, counts per source and type, previous snapshot
    snapshots/<sha256>/diff.parquet      entries added / removed / amended since the previous one
    snapshots/current.json               the snapshot in force (written last)
    snapshots/refusals/<time>.json       a refused publication and why
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import polars as pl

from pipelines.errors import ListError
from pipelines.lists import LoadedLists
from pipelines.lists.sources import SourceConfig
from pipelines.lists.store import SNAPSHOT_PREFIX, ListStore
from screening.model import Watchlist

log = logging.getLogger(__name__)
CURRENT_KEY = f"{SNAPSHOT_PREFIX}current.json"

DIFF_SCHEMA: dict[str, pl.DataType] = {
    "uid": pl.String(),
    "list_source": pl.String(),
    "change": pl.String(),  # added | removed | amended
    "primary_name": pl.String(),
    "tables": pl.List(pl.String()),  # for amended entries: which tables changed
}


# ---------------------------------------------------------------------------------------------
# content hash and diff


def _sortable(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns([pl.col(c).list.join("\x1f") for c, t in frame.schema.items() if isinstance(t, pl.List)])


def watchlist_sha256(watchlist: Watchlist) -> str:
    """A hash of the watchlist's content, independent of row order and of the files it came
    from: the same entries give the same hash."""
    digest = hashlib.sha256()
    for table in Watchlist.TABLES:
        frame = _sortable(getattr(watchlist.conformed(), table))
        frame = frame.sort(frame.columns, nulls_last=True)
        buffer = io.BytesIO()
        frame.write_ndjson(buffer)
        digest.update(table.encode() + b"\n" + buffer.getvalue())
    return digest.hexdigest()


def _fingerprints(watchlist: Watchlist) -> pl.DataFrame:
    """One row per entry: a hash of its rows in every table."""
    out = watchlist.entries.select("uid", "list_source", "primary_name")
    for table in Watchlist.TABLES:
        frame = _sortable(getattr(watchlist, table))
        others = [c for c in frame.columns if c != "uid"]
        hashed = (
            frame.select(
                "uid",
                pl.concat_str([pl.col(c).cast(pl.String).fill_null("\x00") for c in others], separator="\x1e").alias(
                    "row"
                ),
            )
            .group_by("uid")
            .agg(pl.col("row").sort().str.join("\x1d").hash().alias(table))
        )
        out = out.join(hashed, on="uid", how="left")
    return out


def diff_watchlists(old: Watchlist, new: Watchlist) -> pl.DataFrame:
    """Entries added, removed and amended between two watchlists (DIFF_SCHEMA)."""
    a, b = _fingerprints(old.conformed()), _fingerprints(new.conformed())
    added = b.join(a, on="uid", how="anti").select(
        "uid", "list_source", pl.lit("added").alias("change"), "primary_name", pl.lit([]).alias("tables")
    )
    removed = a.join(b, on="uid", how="anti").select(
        "uid", "list_source", pl.lit("removed").alias("change"), "primary_name", pl.lit([]).alias("tables")
    )
    both = b.join(a, on="uid", suffix="_old")
    changed = both.select(
        "uid",
        "list_source",
        pl.lit("amended").alias("change"),
        "primary_name",
        pl.concat_list(
            [
                pl.when(pl.col(t).ne_missing(pl.col(f"{t}_old"))).then(pl.lit(t)).otherwise(pl.lit(None))
                for t in Watchlist.TABLES
            ]
        )
        .list.drop_nulls()
        .alias("tables"),
    ).filter(pl.col("tables").list.len() > 0)
    frames = [f.select([pl.col(c).cast(t) for c, t in DIFF_SCHEMA.items()]) for f in (added, removed, changed)]
    return pl.concat(frames).sort("list_source", "change", "uid")


def diff_summary(diff: pl.DataFrame) -> dict[str, dict[str, int]]:
    """Counts per list source: ``{"UN-SC": {"added": 2, "removed": 0, "amended": 5}}``."""
    out: dict[str, dict[str, int]] = {}
    for source, change, count in diff.group_by("list_source", "change").len().iter_rows():
        out.setdefault(source, {"added": 0, "removed": 0, "amended": 0})[change] = count
    return dict(sorted(out.items()))


def counts_by_source_and_type(watchlist: Watchlist) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for source, kind, count in watchlist.entries.group_by("list_source", "entity_type").len().iter_rows():
        out.setdefault(source, {})[kind] = count
    return {s: dict(sorted(v.items())) for s, v in sorted(out.items())}


# ---------------------------------------------------------------------------------------------
# guards


def check_bounds(
    counts: Mapping[str, Mapping[str, int]],
    sources: Mapping[str, SourceConfig],
    previous: Mapping[str, Mapping[str, int]] | None = None,
) -> list[str]:
    """Every way the new counts break a source's sanity bounds, as sentences; empty when fine.

    ``counts`` and ``previous`` map list source to entity type to number of entries.
    """
    problems: list[str] = []
    for name, config in sorted(sources.items()):
        if not config.enabled and name not in counts:
            continue
        now = counts.get(name, {})
        total, persons = sum(now.values()), now.get("person", 0)
        if total < config.min_entries:
            problems.append(f"{name}: {total} entries, fewer than the minimum of {config.min_entries}")
        if persons < config.min_persons:
            problems.append(f"{name}: {persons} persons, fewer than the minimum of {config.min_persons}")
        before = sum((previous or {}).get(name, {}).values())
        if before and (before - total) / before > config.max_drop_share:
            problems.append(
                f"{name}: {before - total} of {before} entries gone since the previous snapshot "
                f"({(before - total) / before:.0%}), more than the allowed {config.max_drop_share:.0%}"
            )
    return problems


# ---------------------------------------------------------------------------------------------
# publishing


@dataclass(frozen=True)
class SnapshotResult:
    """What a night screens against, for its manifest."""

    status: str  # accepted | unchanged | refused
    sha256: str | None  # the snapshot in force after this step
    previous_sha256: str | None
    problems: list[str] = field(default_factory=list)
    diff: dict[str, dict[str, int]] = field(default_factory=dict)
    diff_key: str | None = None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def manifest(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "snapshot_sha256": self.sha256,
            "previous_snapshot_sha256": self.previous_sha256,
            "refused_because": self.problems,
            "diff": self.diff,
            "diff_key": self.diff_key,
            "entries": self.counts,
        }


def current_snapshot(store: ListStore) -> dict[str, Any] | None:
    """The pointer to the snapshot in force, or None before the first one."""
    if not store.exists(CURRENT_KEY):
        return None
    pointer: dict[str, Any] = json.loads(store.get_bytes(CURRENT_KEY))
    return pointer


def snapshot_meta(store: ListStore, sha256: str) -> dict[str, Any]:
    meta: dict[str, Any] = json.loads(store.get_bytes(f"{SNAPSHOT_PREFIX}{sha256}/meta.json"))
    return meta


def load_snapshot(store: ListStore, sha256: str | None = None) -> Watchlist:
    """The watchlist of snapshot ``sha256`` (default: the one in force)."""
    if sha256 is None:
        pointer = current_snapshot(store)
        if pointer is None:
            raise ListError("no watchlist snapshot yet: fetch the lists first")
        sha256 = str(pointer["sha256"])
    tables = {
        t: pl.read_parquet(io.BytesIO(store.get_bytes(f"{SNAPSHOT_PREFIX}{sha256}/{t}.parquet")))
        for t in Watchlist.TABLES
    }
    return Watchlist(**tables)


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def refuse(store: ListStore, problems: list[str], *, now: datetime | None = None) -> SnapshotResult:
    """Record a refused publication; the snapshot in force stays."""
    pointer = current_snapshot(store)
    in_force = str(pointer["sha256"]) if pointer else None
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    store.put_bytes(
        f"{SNAPSHOT_PREFIX}refusals/{stamp}.json",
        json.dumps({"problems": problems, "snapshot_in_force": in_force}, indent=2).encode(),
    )
    for problem in problems:
        log.error("list publication refused: %s", problem)
    return SnapshotResult("refused", in_force, in_force, problems)


def publish_snapshot(
    loaded: LoadedLists,
    store: ListStore,
    sources: Mapping[str, SourceConfig],
    *,
    now: datetime | None = None,
    every_enabled_source: bool = True,
) -> SnapshotResult:
    """Make ``loaded`` the snapshot in force, unless it breaks a guard.

    Guards: each configured source's bounds (minimum entries and persons, maximum drop against
    the previous snapshot). A refused publication leaves the previous snapshot in force and says
    so in the result. The pointer ``snapshots/current.json`` is written last.

    With ``every_enabled_source`` false (a folder of list files chosen by the operator), only the
    sources present now or in the previous snapshot are held to their bounds: a source that
    disappears is still caught by its drop guard.
    """
    watchlist = loaded.watchlist.conformed()
    counts = counts_by_source_and_type(watchlist)
    pointer = current_snapshot(store)
    previous_sha = str(pointer["sha256"]) if pointer else None
    previous_counts = snapshot_meta(store, previous_sha)["entries"] if previous_sha else None
    if every_enabled_source:
        relevant = {k: v for k, v in sources.items() if v.enabled or k in counts}
    else:
        relevant = {k: v for k, v in sources.items() if k in counts or k in (previous_counts or {})}
    problems = check_bounds(counts, relevant, previous_counts)
    if problems:
        return refuse(store, problems, now=now)

    sha = watchlist_sha256(watchlist)
    if sha == previous_sha:
        log.info("watchlist unchanged: snapshot %s stays in force", sha[:12])
        return SnapshotResult("unchanged", sha, previous_sha, counts=counts)
    prefix = f"{SNAPSHOT_PREFIX}{sha}/"
    for table in Watchlist.TABLES:
        store.put_bytes(f"{prefix}{table}.parquet", _parquet(getattr(watchlist, table)))
    store.put_bytes(f"{prefix}problems.parquet", _parquet(loaded.problems))
    previous = load_snapshot(store, previous_sha) if previous_sha else Watchlist()
    diff = diff_watchlists(previous, watchlist)
    store.put_bytes(f"{prefix}diff.parquet", _parquet(diff))
    summary = diff_summary(diff)
    meta = {
        "sha256": sha,
        "created": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "previous_sha256": previous_sha,
        "entries": counts,
        "diff": summary,
        "problems": loaded.problems.height,
        "sources": [
            {
                "list_source": s.list_source,
                "file": s.path.name,
                "format": s.format,
                "sha256": s.sha256,
                "entries": s.entries,
            }
            for s in loaded.sources
        ],
    }
    store.put_bytes(f"{prefix}meta.json", json.dumps(meta, indent=2, sort_keys=True).encode())
    store.put_bytes(CURRENT_KEY, json.dumps({"sha256": sha, "previous_sha256": previous_sha}).encode())
    log.info("watchlist snapshot %s in force: %d entries; changes %s", sha[:12], len(watchlist), summary)
    return SnapshotResult("accepted", sha, previous_sha, [], summary, f"{prefix}diff.parquet", counts)
