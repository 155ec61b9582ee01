"""Delta against the bank's previous night: every hit is new, unchanged, changed or cleared.

A hit is keyed by party and list entry (``record_id``, ``uid``).

| delta | when |
| --- | --- |
| ``new`` | no hit on this pair last night |
| ``changed`` | a hit last night too, but its score, the list entry or the party's screened data changed |
| ``unchanged`` | same score, same list entry content, same party data |
| ``cleared`` | a hit last night, none tonight: entry delisted, party data changed or party gone |

``change`` says what changed (``score``, ``list_entry``, ``party_data``); ``cleared_reason`` why a
hit cleared. Every night screens every party against the whole list, so a list change reaches every existing
party, not only new customers: an added entry gives ``new`` hits, an amended one ``changed``, a
delisted one ``cleared``.
"""

from __future__ import annotations

from typing import Final

import polars as pl

DELTAS: Final = ("new", "changed", "unchanged", "cleared")
KEY: Final = ("record_id", "uid")
_SCORE_DIGITS: Final = 6


def classify(current: pl.DataFrame, previous: pl.DataFrame | None) -> pl.DataFrame:
    """``current`` with ``delta``, ``change`` and ``previous_score`` added.

    Both frames have ``record_id``, ``uid``, ``score``, ``party_fingerprint`` and
    ``entry_fingerprint``; ``previous`` is None on a bank's first night.
    """
    if previous is None or previous.height == 0:
        return current.with_columns(
            pl.lit("new").alias("delta"),
            pl.lit(None, pl.String).alias("change"),
            pl.lit(None, pl.Float64).alias("previous_score"),
        )
    before = _fingerprinted(previous).select(
        *KEY,
        pl.col("score").alias("previous_score"),
        pl.col("party_fingerprint").alias("_party_before"),
        pl.col("entry_fingerprint").alias("_entry_before"),
    )
    joined = current.join(before, on=list(KEY), how="left", coalesce=True)
    score_changed = pl.col("score").round(_SCORE_DIGITS) != pl.col("previous_score").round(_SCORE_DIGITS)
    entry_changed = pl.col("entry_fingerprint").ne_missing(pl.col("_entry_before"))
    party_changed = pl.col("party_fingerprint").ne_missing(pl.col("_party_before"))
    change = pl.concat_str(
        [
            pl.when(score_changed).then(pl.lit("score")),
            pl.when(entry_changed).then(pl.lit("list_entry")),
            pl.when(party_changed).then(pl.lit("party_data")),
        ],
        separator=";",
        ignore_nulls=True,
    )
    seen = pl.col("previous_score").is_not_null()
    return joined.with_columns(
        pl.when(~seen)
        .then(pl.lit("new"))
        .when(change.str.len_chars() > 0)
        .then(pl.lit("changed"))
        .otherwise(pl.lit("unchanged"))
        .alias("delta"),
        pl.when(seen & (change.str.len_chars() > 0)).then(change).alias("change"),
    ).drop("_party_before", "_entry_before")


def cleared(
    current: pl.DataFrame,
    previous: pl.DataFrame | None,
    *,
    live_uids: pl.Series,
    parties: pl.DataFrame,
) -> pl.DataFrame:
    """Last night's hits that are gone tonight, with ``delta = cleared`` and ``cleared_reason``.

    ``live_uids`` are the uids of tonight's watchlist; ``parties`` has ``record_id`` and
    ``party_fingerprint`` for tonight's parties.
    """
    if previous is None or previous.height == 0:
        return pl.DataFrame(schema={**current.schema, "delta": pl.String, "cleared_reason": pl.String})
    gone = _fingerprinted(previous).join(current.select(*KEY), on=list(KEY), how="anti")
    tonight = parties.select("record_id", pl.col("party_fingerprint").alias("_party_now"))
    gone = gone.join(tonight, on="record_id", how="left")
    reason = (
        pl.when(~pl.col("uid").is_in(live_uids.implode()))
        .then(pl.lit("delisted"))
        .when(pl.col("_party_now").is_null())
        .then(pl.lit("party_not_in_extract"))
        .when(pl.col("_party_now") != pl.col("party_fingerprint"))
        .then(pl.lit("party_data_changed"))
        .otherwise(pl.lit("no_longer_above_threshold"))
    )
    return gone.with_columns(pl.lit("cleared").alias("delta"), reason.alias("cleared_reason")).drop("_party_now")


def _fingerprinted(frame: pl.DataFrame) -> pl.DataFrame:
    """A report of a night before fingerprints existed compares as 'changed', never fails."""
    if "uid" not in frame.columns:
        frame = frame.with_columns(pl.concat_str(["list_source", "entry_id"], separator=":").alias("uid"))
    missing = [c for c in ("party_fingerprint", "entry_fingerprint") if c not in frame.columns]
    return frame.with_columns(pl.lit(None, pl.String).alias(c) for c in missing)
