"""A bank's hit report for one night: hits as Parquet and CSV, the quarantined rows, a manifest.

:func:`hit_report` gives the reviewer's columns (:data:`REPORT_COLUMNS`);
:mod:`pipelines.delivery.bank_night` adds the delta, review decisions and fingerprints
(:data:`DELIVERED_COLUMNS`). The files are deterministic for the same inputs: a re-run of the
night produces the same bytes.
"""

from __future__ import annotations

import json
from typing import Any, Final

import polars as pl

from pipelines.lists.linking import also_listed
from screening.model import Watchlist

REPORT_COLUMNS: Final = (
    "record_id",
    "party_role",
    "party_id",
    "party_name",
    "uid",
    "list_source",
    "entry_id",
    "listed_name",
    "matched_name",
    "entity_type",
    "programs",
    "also_listed_by",  # the same party on other lists loaded tonight (uids; see pipelines.lists.linking)
    "score",
    "reason",
)
# The delivered hits file: the report columns, then what the delivery adds.
DELIVERED_COLUMNS: Final = (
    *REPORT_COLUMNS,
    "delta",  # new | changed | unchanged (cleared hits are in cleared.*)
    "change",  # what changed on a changed hit: score; list_entry; party_data
    "previous_score",
    "alert",  # needs a reviewer: no review decision in force
    "disposition",  # true_match | false_positive, the latest decision on this hit
    "disposition_stale",  # the party's data or the list entry changed since that decision
    "suppressed",  # a false positive in force: no alert
    "reviewer",
    "decided_at",
    "disposition_reason",
    "party_fingerprint",  # SHA-256 of the party's screened fields
    "entry_fingerprint",  # SHA-256 of the list entry's content
)
CLEARED_COLUMNS: Final = (*REPORT_COLUMNS, "delta", "cleared_reason", "party_fingerprint", "entry_fingerprint")
QUARANTINE_COLUMNS: Final = ("dataset", "row", "rule", "reason", "original")


def split_record_id(frame: pl.DataFrame) -> pl.DataFrame:
    """``customer:ID`` → role customer, id ID; ``payment:ID:ordering`` → role ordering, id ID."""
    parts = pl.col("record_id").str.split(":")
    return frame.with_columns(
        pl.when(parts.list.len() >= 3)
        .then(parts.list.get(-1, null_on_oob=True))
        .otherwise(parts.list.get(0, null_on_oob=True))
        .alias("party_role"),
        parts.list.get(1, null_on_oob=True).alias("party_id"),
    )


def hit_report(hits: pl.DataFrame, watchlist: Watchlist) -> pl.DataFrame:
    """The reviewer's view of the screening hits: one row per party and list entry, best first."""
    listed = watchlist.entries.select(
        "uid",
        pl.col("primary_name").alias("listed_name"),
        pl.col("programs").list.join("; ").alias("programs"),
    )
    also = (
        also_listed(watchlist)
        .group_by("uid")
        .agg(pl.col("other_uid").unique().sort().str.join("; ").alias("also_listed_by"))
    )
    frame = split_record_id(hits).join(listed, on="uid", how="left").join(also, on="uid", how="left")
    frame = frame.rename({"explanation": "reason"})
    return frame.select(REPORT_COLUMNS).sort(
        ["score", "record_id", "list_source", "entry_id"], descending=[True, False, False, False]
    )


def quarantine_report(quarantines: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every quarantined row of the night, with its dataset, line, failed rules and original values."""
    frames = []
    for dataset, frame in sorted(quarantines.items()):
        if frame.height == 0:
            continue
        # The provider's own columns only: not the reader's (_row, _problem) nor the rules' verdict.
        value_cols = [c for c in frame.columns if not c.startswith("_") and c not in {"rule", "reason"}]
        frames.append(
            frame.select(
                pl.lit(dataset).alias("dataset"),
                pl.col("_row").cast(pl.Int64).alias("row"),
                pl.col("rule").cast(pl.String),
                pl.col("reason").cast(pl.String),
                pl.struct(value_cols).struct.json_encode().alias("original"),
            )
        )
    if not frames:
        return pl.DataFrame(
            schema={
                "dataset": pl.String,
                "row": pl.Int64,
                "rule": pl.String,
                "reason": pl.String,
                "original": pl.String,
            }
        )
    return pl.concat(frames).sort(["dataset", "row"])


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
