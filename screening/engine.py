"""``screen`` and ``compare``: candidate generation, bulk scoring, thresholds, explanations."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Final

import numpy as np
import polars as pl

from screening.config import ALGORITHM_VERSION, ScreeningConfig
from screening.evidence import EVIDENCE_GATE
from screening.model import ENTITY_TYPES, HIT_SCHEMA, Watchlist, conform, empty
from screening.parallel import CHUNK_SIZE, chunk_pool
from screening.prepare import NameForms, PreparedWatchlist, name_forms, prepare, prepare_parties
from screening.scoring import attribute_features, evidence_scores, explanation, name_scores

log = logging.getLogger(__name__)

FEATURE_FLAGS = (
    "id_match",
    "dob_exact",
    "dob_overlap",
    "dob_conflict",
    "country_match",
    "country_conflict",
    "gender_conflict",
    "type_conflict",
    "type_mismatch",
    "one_word_list_name",
)


def candidates(party_forms: NameForms, wl: PreparedWatchlist) -> pl.DataFrame:
    """Pairs (``pidx`` party-name index, ``nid`` list-name index) sharing at least one blocking key."""
    joined = party_forms.keys.join(wl.keys, on="key", how="inner")
    # Distinct pairs as one 64-bit code: cheaper to deduplicate than two columns.
    code = (joined["idx"].cast(pl.UInt64) * _PAIR_SHIFT + joined["nid"].cast(pl.UInt64)).unique()
    return pl.DataFrame({"pidx": (code // _PAIR_SHIFT).cast(pl.UInt32), "nid": (code % _PAIR_SHIFT).cast(pl.UInt32)})


_PAIR_SHIFT: Final = 1 << 32


def _threshold_expr(config: ScreeningConfig) -> pl.Expr:
    def lookup(column: str) -> pl.Expr:
        return pl.col(column).replace_strict(
            dict(config.thresholds), default=config.thresholds["unknown"], return_dtype=pl.Float64
        )

    party = lookup("party_entity_type")
    listed = lookup("list_entity_type")
    return pl.when(pl.col("party_entity_type") == "unknown").then(pl.max_horizontal(party, listed)).otherwise(party)


def _identifier_hits(parties: pl.DataFrame, wl: PreparedWatchlist) -> pl.DataFrame:
    """(pid, uid, id_value) for parties whose identifier equals one of the entry's identifiers."""
    return (
        parties.filter(pl.col("id_clean").str.len_chars() >= 4)
        .select("pid", "id_clean")
        .join(wl.identifiers, on="id_clean", how="inner")
        .group_by("pid", "uid")
        .agg(pl.col("value").first().alias("id_value"))
    )


def _score_pairs(
    parties: pl.DataFrame,
    forms: NameForms,
    wl: PreparedWatchlist,
    scored: pl.DataFrame,
    id_hits: pl.DataFrame,
    config: ScreeningConfig,
) -> pl.DataFrame:
    """From name-scored (pidx, nid) pairs to one scored, explained row per (pid, uid)."""
    pidx_of_name = forms.frame.select("name", pl.col("idx").alias("pidx"))
    names = wl.names.select("nid", "uid", pl.col("name").alias("matched_name"), "strength")
    ntok = pl.Series("ntok", wl.forms.ntok)
    best = (
        scored.join(names, on="nid", how="inner")
        # Weak aliases count only when the normalised names are equal.
        .filter((pl.col("strength") != "weak") | (pl.col("name_score") >= 0.999))
        .join(pidx_of_name, on="pidx")
        .join(parties, on="name")
        # Ties (several names of one entry scoring the same) are broken by the name itself, so the
        # hit quotes the same list name whichever other parties share its chunk or shard.
        .sort(["name_score", "strength", "matched_name", "nid"], descending=[True, False, False, False])
        .unique(subset=["pid", "uid"], keep="first", maintain_order=True)
        .join(id_hits, on=["pid", "uid"], how="left")
        .with_columns(
            pl.col("id_value").is_not_null().alias("id_match"),
            pl.col("nid").map_batches(lambda s: ntok.gather(s), return_dtype=pl.Int32).alias("ntok"),
        )
    )
    flags = [pl.when(pl.col(f)).then(pl.lit(f)) for f in FEATURE_FLAGS]
    return (
        attribute_features(best, wl, config)
        .with_columns(
            pl.col("name").alias("party_name"),
            pl.col("entity_type").alias("party_entity_type"),
            pl.concat_list(flags).list.drop_nulls().alias("features"),
        )
        .with_columns(
            explanation().alias("explanation"),
            pl.coalesce(pl.col("list_entity_type"), pl.col("entity_type")).alias("entity_type"),
            pl.lit(ALGORITHM_VERSION).alias("algorithm"),
        )
    )


def _screen_chunk(
    parties: pl.DataFrame, forms: NameForms, wl: PreparedWatchlist, config: ScreeningConfig
) -> pl.DataFrame:
    pairs = candidates(forms, wl)
    id_hits = _identifier_hits(parties, wl)
    if id_hits.height:
        # An identifier match is a hit on its own: score the party's name against every name of
        # the entry even where blocking found no shared key.
        id_pairs = (
            id_hits.join(parties.select("pid", "name"), on="pid")
            .join(forms.frame.select("name", pl.col("idx").alias("pidx")), on="name")
            .join(wl.names.select("uid", "nid"), on="uid")
            .select("pidx", "nid")
        )
        pairs = pl.concat([pairs, id_pairs]).unique()
    li = pairs["pidx"].to_numpy().astype(np.int64)
    ri = pairs["nid"].to_numpy().astype(np.int64)
    gate = max(config.min_name_score, EVIDENCE_GATE)
    similarity = name_scores(forms, li, wl.forms, ri, workers=config.workers, floor=gate)
    # Pairs with a name of an entry whose identifier the party carries are kept whatever their names.
    by_id = np.zeros(len(ri), dtype=np.bool_)
    if id_hits.height:
        by_id = np.isin(ri, wl.names.join(id_hits.select("uid").unique(), on="uid")["nid"].to_numpy())
    weigh = (similarity >= gate) | by_id
    li, ri, similarity, by_id = li[weigh], ri[weigh], similarity[weigh], by_id[weigh]
    scores = evidence_scores(forms, li, wl.forms, ri, similarity, wl.rarity)
    # No pair below this name score can reach the lowest threshold, whatever its attributes add.
    w = config.weights
    floor = max(0.0, config.lowest_threshold - max(w.dob_exact, w.dob_overlap) - w.country_match)
    keep = (scores >= floor) | by_id
    scored = (
        pairs.filter(pl.Series(weigh))
        .with_columns(pl.Series("name_score", scores, dtype=pl.Float64))
        .filter(pl.Series(keep))
    )
    hits = _score_pairs(parties, forms, wl, scored, id_hits, config)
    hits = hits.with_columns(_threshold_expr(config).alias("threshold")).filter(pl.col("score") >= pl.col("threshold"))
    log.debug("chunk: %d parties, %d candidate pairs, %d hits", parties.height, pairs.height, hits.height)
    return hits


def _chunks(parties: pl.DataFrame, size: int) -> list[pl.DataFrame]:
    return [parties.slice(start, size) for start in range(0, parties.height, size)]


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector run less often while a chunk is screened: the chunk makes
    millions of short-lived objects, none of them in cycles, and each full collection walks every
    object alive (the prepared watchlist, the caches)."""
    old = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _screen_in_process(chunk: pl.DataFrame, wl: PreparedWatchlist, config: ScreeningConfig) -> pl.DataFrame:
    with _fewer_collections():
        return conform(_screen_chunk(chunk, name_forms(chunk["name"]), wl, config), HIT_SCHEMA)


# The prepared watchlist and configuration of a worker process (see :mod:`screening.parallel`).
_WORKER: dict[str, object] = {}


def _start_worker(wl: PreparedWatchlist, config: ScreeningConfig) -> None:
    _WORKER["wl"] = wl
    _WORKER["config"] = config
    # The watchlist stays for the life of the process: kept out of every later collection.
    gc.collect()
    gc.freeze()


def _screen_in_worker(chunk: pl.DataFrame) -> pl.DataFrame:
    wl, config = _WORKER["wl"], _WORKER["config"]
    assert isinstance(wl, PreparedWatchlist) and isinstance(config, ScreeningConfig)
    return _screen_in_process(chunk, wl, config)


def screen(
    parties: pl.DataFrame,
    watchlist: Watchlist | PreparedWatchlist,
    config: ScreeningConfig | None = None,
) -> pl.DataFrame:
    """Screen ``parties`` (PARTY_SCHEMA) against ``watchlist``.

    Returns HIT_SCHEMA: one row per (record_id, uid) whose score reaches the threshold of the
    party's entity type, with the best-matching list name and an explanation. Pass a
    :class:`PreparedWatchlist` (from :func:`prepare`) to reuse the normalised list across calls.
    With ``config.workers`` other than 1 and more than 20,000 distinct party names, chunks of
    parties are screened in a ``spawn`` process pool (:mod:`screening.parallel`); the hits are the
    same.
    """
    config = config or ScreeningConfig()
    wl = watchlist if isinstance(watchlist, PreparedWatchlist) else prepare(watchlist, config)
    prepared = prepare_parties(parties)
    bad_types = set(prepared["entity_type"].unique().to_list()) - set(ENTITY_TYPES)
    if bad_types:
        raise ValueError(f"unknown entity_type values: {sorted(bad_types)}")
    out: list[pl.DataFrame] = []
    pool = chunk_pool(config.workers, prepared["name"], _start_worker, (wl, replace(config, workers=1)))
    if pool is None:
        for chunk in _chunks(prepared, config.chunk_size):
            out.append(_screen_in_process(chunk, wl, config))
    else:
        # Each worker process screens whole chunks; the hits come back in chunk order.
        size = min(config.chunk_size, CHUNK_SIZE)
        with pool:
            out.extend(
                pool.run(_screen_in_worker, _chunks(prepared, size), lambda c: _screen_in_process(c, wl, config))
            )
    if not out:
        return empty(HIT_SCHEMA)
    hits = pl.concat(out).sort(["record_id", "score", "uid"], descending=[False, True, False])
    log.info("screened %d parties against %d entries: %d hits", prepared.height, wl.size, hits.height)
    return hits


@dataclass(frozen=True)
class Comparison:
    """The score of one party against one list entry, with how it was reached."""

    score: float
    name_score: float
    matched_name: str | None
    explanation: str
    features: dict[str, bool]


def compare(
    query: dict[str, str | None] | str,
    candidate: Watchlist,
    config: ScreeningConfig | None = None,
) -> Comparison:
    """Score one party (a PARTY_SCHEMA mapping, or just a name) against a one-entry watchlist,
    whatever the threshold: for review and tuning tools."""
    config = config or ScreeningConfig()
    record = {"name": query} if isinstance(query, str) else dict(query)
    record.setdefault("record_id", "query")
    record.setdefault("entity_type", "unknown")
    lenient = config.with_thresholds(**dict.fromkeys(ENTITY_TYPES, 1e-9))
    loose = replace(lenient, min_name_score=0.0, workers=1)
    wl = prepare(candidate, loose)
    parties = prepare_parties(pl.DataFrame([record]))
    forms = name_forms(parties["name"])
    if forms.frame.height == 0 or wl.names.height == 0:
        return Comparison(0.0, 0.0, None, "no names to compare", {})
    nids = wl.names["nid"].to_numpy().astype(np.int64)
    zeros = np.zeros(len(nids), dtype=np.int64)
    similarity = name_scores(forms, zeros, wl.forms, nids, workers=1)
    scores = evidence_scores(forms, zeros, wl.forms, nids, similarity, wl.rarity)
    scored = pl.DataFrame({"pidx": zeros.astype(np.uint32), "nid": nids.astype(np.uint32), "name_score": scores})
    hits = _score_pairs(parties, forms, wl, scored, _identifier_hits(parties, wl), loose)
    if hits.height == 0:
        return Comparison(0.0, 0.0, None, "no name matched", {})
    row = hits.sort("score", descending=True).row(0, named=True)
    return Comparison(
        score=float(row["score"]),
        name_score=float(row["name_score"]),
        matched_name=row["matched_name"],
        explanation=row["explanation"],
        features={f: bool(row[f]) for f in FEATURE_FLAGS},
    )
