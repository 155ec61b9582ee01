"""What a reviewer needs beside each alert: the names side by side with their differing letters
marked, the secondary identifiers of the party and of the list entry (each agreeing, conflicting
or absent), and for a company flagged through the register its ownership evidence as a chain.

Built from tonight's delivered hits, the matcher's features for each hit, the screened parties,
the watchlist and the register's ownership flags. Pure: no files, no store.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Final

import polars as pl
from rapidfuzz import fuzz

from pipelines.pages import esc
from pipelines.registry.evidence import BASIS_PROGRAMMES
from pipelines.tables import csv_cells
from screening.model import Watchlist

OWNERSHIP_SOURCE: Final = "OWNERSHIP"
BASIS_LABELS: Final = BASIS_PROGRAMMES  # how each register basis reads on the page
_TOKEN: Final = re.compile(r"[\w'’ʼ`]+")
_PAIR_MIN: Final = 50.0  # tokens less alike than this (rapidfuzz ratio) are not paired
_STEP: Final = re.compile(r", which is (possibly blocked|blocked): ")
# The decisions template: the hit named as the night reads it back, what the reviewer needs to
# recognise it, and the columns to fill in (see pipelines.delivery.dispositions).
TEMPLATE_COLUMNS: Final = (
    "record_id", "uid", "list_source", "entry_id", "party_name", "listed_name", "score", "delta",
    "decision", "reviewer", "reason", "decided_at",
)
_TO_FILL: Final = ("decision", "reviewer", "reason", "decided_at")
_MAX_LEVELS: Final = 6


@dataclass(frozen=True)
class Attribute:
    """One secondary identifier as the party and the list entry give it."""

    label: str
    party: str | None
    listed: str | None
    status: str  # agrees | conflicts | differs | absent | not compared
    note: str = ""


@dataclass(frozen=True)
class Holding:
    """One holding behind a flag: who holds what of the company, and that owner's own holders."""

    owner: str
    status: str  # listed | blocked | possibly blocked
    refs: str | None
    share: str  # "60 %", "25–50 %", or the control rights held
    holders: tuple[Holding, ...] = ()


@dataclass(frozen=True)
class Ownership:
    """A flagged company's register evidence."""

    basis: str
    established_share: float | None
    possible_share: float | None
    listed_parties: str
    chain: tuple[str, ...]
    evidence: str
    holders: tuple[Holding, ...] = ()

    @property
    def label(self) -> str:
        return BASIS_LABELS.get(self.basis, self.basis)


@dataclass(frozen=True)
class AlertView:
    hit: dict[str, Any]  # the delivered hit row
    party_marked: str  # HTML: the party's name, differing letters in <mark>
    listed_marked: str  # HTML: the list name that matched, likewise
    attributes: tuple[Attribute, ...]
    ownership: Ownership | None

    @property
    def possible_ownership(self) -> bool:
        return self.ownership is not None and self.ownership.basis == "possible"


def _fold(char: str) -> str:
    """A character as compared: lower case, without accents."""
    base = unicodedata.normalize("NFKD", char.lower())
    kept = "".join(c for c in base if not unicodedata.combining(c))
    return kept or char.lower()


def _marked(text: str, positions: set[int]) -> str:
    out: list[str] = []
    open_mark = False
    for i, char in enumerate(text):
        mark = i in positions
        if mark and not open_mark:
            out.append("<mark>")
        elif not mark and open_mark:
            out.append("</mark>")
        open_mark = mark
        out.append(esc(char))
    if open_mark:
        out.append("</mark>")
    return "".join(out)


def _words_of(name: str) -> list[list[tuple[int, str]]]:
    """The words of a name as (position, folded letter) lists: apostrophes stay inside a word
    (Ch'ol) but are not compared; hyphens, spaces and commas separate words."""
    return [
        [(m.start() + k, _fold(c)) for k, c in enumerate(m.group()) if c.isalnum()]
        for m in _TOKEN.finditer(name)
    ]


def mark_differences(party: str, listed: str) -> tuple[str, str]:
    """Both names as HTML with the letters that differ in ``<mark>``.

    Words are paired across the two names by similarity (whatever their order: "KIM, Chol Nam" and
    "Chol Nam Kim" pair word by word), then compared letter by letter, ignoring case, accents and
    apostrophes. A word with no counterpart is marked whole. Names with no word in common at all
    (another script) are shown unmarked: the reason says how they matched.
    """
    a = [w for w in _words_of(party) if w]
    b = [w for w in _words_of(listed) if w]
    text_a = ["".join(c for _, c in w) for w in a]
    text_b = ["".join(c for _, c in w) for w in b]
    scored = sorted(
        ((fuzz.ratio(x, y), i, j) for i, x in enumerate(text_a) for j, y in enumerate(text_b)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for score, i, j in scored:
        if score < _PAIR_MIN:
            break
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    if not pairs:
        return esc(party), esc(listed)
    mark_a: set[int] = set()
    mark_b: set[int] = set()
    for i, word in enumerate(a):
        if i not in pairs:
            mark_a.update(p for p, _ in word)
            continue
        other = b[pairs[i]]
        matcher = SequenceMatcher(None, [c for _, c in word], [c for _, c in other], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                mark_a.update(p for p, _ in word[i1:i2])
                mark_b.update(p for p, _ in other[j1:j2])
    for j, word in enumerate(b):
        if j not in used:
            mark_b.update(p for p, _ in word)
    return _marked(party, mark_a), _marked(listed, mark_b)


def ownership_chain(evidence: str) -> tuple[str, ...]:
    """The register's evidence sentence as steps from the company up to the listed party.

    "A is 75% or more owned by B, which is blocked: more than 50% owned by listed person C (…)"
    gives ("A is 75% or more owned by B", "B (blocked) is more than 50% owned by listed person C (…)").
    The closing note of a possible flag (its established lower bound) is left to the shares shown
    beside the chain.
    """
    evidence = evidence.split(" — established lower bound", 1)[0]
    parts = _STEP.split(evidence)
    steps = [parts[0]]
    previous = parts[0]
    for k in range(1, len(parts), 2):
        status, text = parts[k], parts[k + 1]
        if " owned by " in previous:
            owner = previous.rsplit(" owned by ", 1)[1]
        elif " by " in previous:
            owner = previous.rsplit(" by ", 1)[1]
        else:
            owner = "which"
        steps.append(f"{owner} ({status}) is {text}")
        previous = text
    return tuple(steps)


def _joined(values: list[str]) -> str | None:
    unique = list(dict.fromkeys(v for v in values if v))
    return "; ".join(unique) if unique else None


def _list_attributes(watchlist: Watchlist, uids: pl.Series) -> pl.DataFrame:
    """Per uid: its dates of birth, countries and identifiers as text."""
    wanted = uids.unique().implode()
    dob_text = (
        pl.when(pl.col("raw").is_not_null() & (pl.col("raw").str.strip_chars() != ""))
        .then(pl.col("raw"))
        .when(pl.col("dob_from") == pl.col("dob_to"))
        .then(pl.col("dob_from").cast(pl.String))
        .otherwise(pl.concat_str(pl.col("dob_from").cast(pl.String), pl.lit("–"), pl.col("dob_to").cast(pl.String)))
    )
    dobs = (
        watchlist.dobs.filter(pl.col("uid").is_in(wanted))
        .group_by("uid")
        .agg(dob_text.unique(maintain_order=True).drop_nulls().str.join("; ").alias("list_dobs"))
    )
    countries = (
        watchlist.countries.filter(pl.col("uid").is_in(wanted))
        .group_by("uid")
        .agg(
            pl.concat_str(pl.col("country"), pl.lit(" ("), pl.col("kind").fill_null("country"), pl.lit(")"))
            .unique(maintain_order=True)
            .drop_nulls()
            .str.join("; ")
            .alias("list_countries")
        )
    )
    identifiers = (
        watchlist.identifiers.filter(pl.col("uid").is_in(wanted))
        .group_by("uid")
        .agg(
            pl.concat_str(pl.col("id_type").fill_null("id"), pl.lit(" "), pl.col("value"))
            .unique(maintain_order=True)
            .drop_nulls()
            .str.join("; ")
            .alias("list_identifiers")
        )
    )
    frame = pl.DataFrame({"uid": uids.unique()})
    for part in (dobs, countries, identifiers):
        frame = frame.join(part, on="uid", how="left")
    return frame


def _attribute(
    label: str, party: str | None, listed: str | None, agrees: bool, conflicts: bool, *, exact_note: str = ""
) -> Attribute:
    party = party or None
    listed = listed or None
    if agrees:
        return Attribute(label, party, listed, "agrees", exact_note)
    if conflicts:
        return Attribute(label, party, listed, "conflicts")
    if party is None and listed is None:
        return Attribute(label, None, None, "absent", "on neither side")
    if party is None:
        return Attribute(label, None, listed, "absent", "not in the bank's data")
    if listed is None:
        return Attribute(label, party, None, "absent", "not on the list")
    return Attribute(label, party, listed, "not compared")


def alert_views(
    hits: pl.DataFrame,
    screened: pl.DataFrame,
    parties: pl.DataFrame,
    watchlist: Watchlist,
    ownership: pl.DataFrame | None = None,
    links: pl.DataFrame | None = None,
) -> list[AlertView]:
    """One view per row of ``hits`` (delivered columns), in its order.

    ``screened`` is the matcher's output for the night (``record_id``, ``uid``, ``features``);
    ``parties`` the screened parties (``record_id``, ``dob``, ``country``, ``id_number``);
    ``ownership`` the register's flags (``company_id``, ``basis``, shares, ``evidence``) and
    ``links`` the holdings behind them (:mod:`pipelines.registry.evidence`), if any.
    """
    if hits.height == 0:
        return []
    features = screened.select("record_id", "uid", "features").unique(subset=["record_id", "uid"], keep="first")
    party_cols = [c for c in ("record_id", "dob", "country", "id_number") if c in parties.columns]
    frame = (
        hits.with_row_index("_order")
        .join(features, on=["record_id", "uid"], how="left")
        .join(
            parties.select(party_cols).unique(subset=["record_id"], keep="first"),
            on="record_id",
            how="left",
        )
        .join(_list_attributes(watchlist, hits["uid"]), on="uid", how="left")
    )
    flags: dict[str, dict[str, Any]] = {}
    if ownership is not None and ownership.height:
        flags = {str(r["company_id"]): r for r in ownership.iter_rows(named=True)}
    by_company: dict[str, list[dict[str, Any]]] = {}
    for link in (links.iter_rows(named=True) if links is not None else []):
        by_company.setdefault(str(link["company_id"]), []).append(link)
    remarks = dict(
        watchlist.entries.filter(pl.col("list_source") == OWNERSHIP_SOURCE).select("entry_id", "remarks").iter_rows()
    )
    views = []
    for row in frame.sort("_order").iter_rows(named=True):
        fired = set(row.get("features") or [])
        party_marked, listed_marked = mark_differences(str(row["party_name"] or ""), str(row["matched_name"] or ""))
        attributes = (
            _attribute(
                "date of birth",
                row.get("dob"),
                row.get("list_dobs"),
                agrees=bool(fired & {"dob_exact", "dob_overlap"}),
                conflicts="dob_conflict" in fired,
                exact_note="exactly" if "dob_exact" in fired else "within the listed range",
            ),
            _attribute(
                "country",
                row.get("country"),
                row.get("list_countries"),
                agrees="country_match" in fired,
                conflicts="country_conflict" in fired,
            ),
            _identifier(row.get("id_number"), row.get("list_identifiers"), "id_match" in fired),
        )
        owned = None
        if row["list_source"] == OWNERSHIP_SOURCE:
            owned = _ownership(str(row["entry_id"]), flags, remarks, row.get("programs"), by_company)
        hit = {k: row[k] for k in hits.columns}
        views.append(AlertView(hit, party_marked, listed_marked, attributes, owned))
    return views


def _identifier(party: str | None, listed: str | None, matched: bool) -> Attribute:
    if matched:
        return Attribute("identifier", party, listed, "agrees", "equal")
    attribute = _attribute("identifier", party, listed, agrees=False, conflicts=False)
    if attribute.status == "not compared":
        # Different numbers need not be a conflict: a passport and a national id differ anyway.
        return Attribute("identifier", party, listed, "differs", "no listed identifier equals it")
    return attribute


def _share(low: float | None, high: float | None, control: str | None) -> str:
    if control and not low and not high:
        return "control: " + control.replace("-", " ")
    if low is None and high is None:
        return "share not stated"
    if low is not None and high is not None and abs(high - low) < 1e-9:
        return f"{low:g} %"
    return f"{low or 0:g}–{high if high is not None else 100:g} %"


def holders_of(company_id: str, links: dict[str, list[dict[str, Any]]], seen: frozenset[str] = frozenset(),
               level: int = 0) -> tuple[Holding, ...]:
    """The holdings behind a flagged company, each with its owner's holdings, up to the listed parties."""
    out = []
    for link in links.get(company_id, []):
        owner = str(link["owner_id"])
        deeper = link["owner_status"] != "listed" and owner not in seen and level < _MAX_LEVELS
        out.append(
            Holding(
                owner=str(link["owner_name"] or owner),
                status=str(link["owner_status"]),
                refs=link.get("owner_refs"),
                share=_share(link.get("share_low"), link.get("share_high"), link.get("control")),
                holders=holders_of(owner, links, seen | {company_id}, level + 1) if deeper else (),
            )
        )
    return tuple(out)


def _ownership(
    company_id: str,
    flags: dict[str, dict[str, Any]],
    remarks: dict[str, str],
    programs: str | None,
    links: dict[str, list[dict[str, Any]]],
) -> Ownership:
    flag = flags.get(company_id)
    if flag is not None:
        evidence = str(flag.get("evidence") or "")
        return Ownership(
            basis=str(flag.get("basis") or ""),
            established_share=flag.get("aggregate_share"),
            possible_share=flag.get("possible_share"),
            listed_parties=str(flag.get("listed_parties") or ""),
            chain=ownership_chain(evidence),
            evidence=evidence,
            holders=holders_of(company_id, links),
        )
    # Without the register's flags (an older snapshot), the entry's remark is the evidence.
    evidence = str(remarks.get(company_id) or "")
    basis = next((b for b, label in BASIS_LABELS.items() if programs and label in programs), "")
    return Ownership(basis, None, None, "", ownership_chain(evidence) if evidence else (), evidence)


def decisions_template(alerts: pl.DataFrame) -> bytes:
    """The alerts as a decisions file to fill in: one row per alert, the decision columns empty.

    The night reads it back as it is (other columns are ignored); its cells are written as in
    every other CSV of the report (:func:`pipelines.tables.csv_cells`).
    """
    frame = alerts.select(
        *(pl.col(c).cast(pl.String) for c in TEMPLATE_COLUMNS if c not in _TO_FILL and c != "score"),
        pl.col("score").round(3).cast(pl.String),
        *(pl.lit(None, pl.String).alias(c) for c in _TO_FILL),
    ).select(TEMPLATE_COLUMNS)
    return csv_cells(frame).write_csv().encode("utf-8")
