"""Fingerprints: SHA-256 content hashes that tell whether a hit's inputs changed since a night.

- the *party fingerprint* covers the fields the party was screened on (name, entity type,
  date of birth, country, identifier);
- the *entry fingerprint* covers the list entry's whole content: its entry row and all its names,
  dates of birth, countries and identifiers.

Canonical strings are built column-wise in polars (fields joined with a unit separator, nulls
spelled out, child rows sorted) and hashed with SHA-256, which unlike polars' own ``hash`` is
stable across library versions, so fingerprints stored last night compare with tonight's.
"""

from __future__ import annotations

import hashlib
from typing import Final

import polars as pl

from screening.model import Watchlist

PARTY_FIELDS: Final = ("name", "entity_type", "dob", "country", "id_number")
ENTRY_CHILD_TABLES: Final = ("names", "dobs", "countries", "identifiers")
_SEP: Final = "\x1f"
_NULL: Final = "\x00"


def _sha256(values: pl.Series) -> pl.Series:
    return pl.Series(
        values.name,
        [hashlib.sha256(v.encode("utf-8")).hexdigest() for v in values.to_list()],
        dtype=pl.String,
    )


def _as_text(column: str, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(column)
    if isinstance(dtype, pl.List):
        text = col.cast(pl.List(pl.String)).list.sort().list.join(";")
    else:
        text = col.cast(pl.String)
    return text.fill_null(_NULL)


def _row_text(frame: pl.DataFrame, columns: list[str]) -> pl.Expr:
    return pl.concat_str([_as_text(c, frame.schema[c]) for c in columns], separator=_SEP)


def party_fingerprints(parties: pl.DataFrame) -> pl.DataFrame:
    """``record_id``, ``party_fingerprint`` for every party (PARTY_SCHEMA columns)."""
    canonical = parties.select("record_id", _row_text(parties, list(PARTY_FIELDS)).alias("party_fingerprint")).unique(
        "record_id", keep="first", maintain_order=True
    )
    return canonical.with_columns(_sha256(canonical["party_fingerprint"]))


def entry_fingerprints(watchlist: Watchlist, uids: pl.Series | None = None) -> pl.DataFrame:
    """``uid``, ``entry_fingerprint`` for the entries in ``uids`` (every entry when None)."""
    entries = watchlist.entries
    if uids is not None:
        entries = entries.filter(pl.col("uid").is_in(uids.unique().implode()))
    wanted = entries.select("uid")
    entry_cols = [c for c in entries.columns if c != "uid"]
    parts = [entries.select("uid", _row_text(entries, entry_cols).alias("entry"))]
    for table in ENTRY_CHILD_TABLES:
        frame = getattr(watchlist, table).join(wanted, on="uid", how="semi")
        cols = [c for c in frame.columns if c != "uid"]
        rows = frame.select("uid", _row_text(frame, cols).alias("row"))
        grouped = rows.group_by("uid").agg(pl.col("row").sort().str.join("\x1e").alias(table))
        parts.append(grouped)
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, on="uid", how="left")
    canonical = joined.select(
        "uid",
        pl.concat_str(
            [pl.col("entry"), *[pl.col(t).fill_null("") for t in ENTRY_CHILD_TABLES]], separator="\x1d"
        ).alias("entry_fingerprint"),
    ).sort("uid")
    return canonical.with_columns(_sha256(canonical["entry_fingerprint"]))
