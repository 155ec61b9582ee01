"""Row-level rules for register tables: every refused row is kept with its reasons.

``rows in = rows loaded + rows quarantined``, always. The same rules are published as Great
Expectations suites in ``expectations/ownership.py`` for the run's data-quality report.
"""

from __future__ import annotations

import json
from typing import Final

import polars as pl

QUARANTINE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "table": pl.String(),
    "source": pl.String(),
    "reason": pl.String(),
    "record": pl.String(),  # the refused row as JSON
}

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_PARTIAL_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$"
_COMPANY_NUMBER = r"^(?:[A-Z]{2}\d{6}|\d{8})$"


def _bad_date(column: str) -> pl.Expr:
    value = pl.col(column)
    parsed = value.str.to_date("%Y-%m-%d", strict=False)
    return value.is_not_null() & (~value.str.contains(_ISO_DATE) | parsed.is_null())


def _share_out_of_range(column: str) -> pl.Expr:
    return pl.col(column).is_not_null() & ((pl.col(column) < 0) | (pl.col(column) > 100))


def rules(table: str) -> list[tuple[str, pl.Expr]]:
    """(reason, expression true for a bad row) for one register table."""
    if table == "companies":
        # Register numbers are bare; ids from other sources carry a prefix ("bods:", "lei:").
        uk_like = ~pl.col("company_id").str.contains(":")
        return [
            ("company number missing", pl.col("company_id").is_null()),
            (
                "company number is not 8 characters (2 letters + 6 digits, or 8 digits)",
                uk_like & ~pl.col("company_id").str.contains(_COMPANY_NUMBER),
            ),
            ("company name missing", pl.col("company_name").fill_null("").str.strip_chars() == ""),
            ("incorporation date is not a date", _bad_date("incorporated_on")),
            ("dissolution date is not a date", _bad_date("dissolved_on")),
            (
                "dissolved before incorporation",
                pl.col("dissolved_on").is_not_null()
                & (
                    pl.col("dissolved_on").str.to_date(strict=False)
                    < pl.col("incorporated_on").str.to_date(strict=False)
                ),
            ),
        ]
    if table == "persons":
        return [
            ("person id missing", pl.col("person_id").is_null()),
            ("name missing", pl.col("name").fill_null("").str.strip_chars() == ""),
            (
                "date of birth is not YYYY, YYYY-MM or YYYY-MM-DD",
                pl.col("dob").is_not_null() & ~pl.col("dob").str.contains(_PARTIAL_DATE),
            ),
        ]
    if table == "edges":
        return [
            ("owner missing", pl.col("owner_id").is_null()),
            ("owned company missing", pl.col("owned_id").is_null()),
            ("owner and owned company are the same", pl.col("owner_id") == pl.col("owned_id")),
            ("share lower bound outside 0-100", _share_out_of_range("share_low")),
            ("share upper bound outside 0-100", _share_out_of_range("share_high")),
            ("share lower bound above upper bound", pl.col("share_low") > pl.col("share_high")),
        ]
    if table == "officers":
        return [
            ("company number missing", pl.col("company_id").is_null()),
            ("officer name missing", pl.col("name").fill_null("").str.strip_chars() == ""),
            (
                "date of birth is not YYYY, YYYY-MM or YYYY-MM-DD",
                pl.col("dob").is_not_null() & ~pl.col("dob").str.contains(_PARTIAL_DATE),
            ),
            ("appointment date is not a date", _bad_date("appointed_on")),
            ("resignation date is not a date", _bad_date("resigned_on")),
            (
                "resigned before appointment",
                pl.col("resigned_on").str.to_date(strict=False) < pl.col("appointed_on").str.to_date(strict=False),
            ),
        ]
    raise ValueError(f"no rules for register table {table!r}")


def split(table: str, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(clean rows, quarantined rows with reasons)."""
    checks = rules(table)
    flagged = frame.with_columns(
        pl.concat_list(
            [pl.when(expr.fill_null(False)).then(pl.lit(reason)).otherwise(pl.lit(None)) for reason, expr in checks]
        )
        .list.drop_nulls()
        .alias("_reasons")
    )
    bad = flagged.filter(pl.col("_reasons").list.len() > 0)
    clean = flagged.filter(pl.col("_reasons").list.len() == 0).drop("_reasons")
    if bad.is_empty():
        return clean, pl.DataFrame(schema=QUARANTINE_SCHEMA)
    records = [
        json.dumps({k: v for k, v in row.items() if k != "_reasons"}, default=str, ensure_ascii=False)
        for row in bad.iter_rows(named=True)
    ]
    quarantine = pl.DataFrame(
        {
            "table": [table] * bad.height,
            "source": bad["source"].cast(pl.String),
            "reason": bad["_reasons"].list.join("; "),
            "record": records,
        },
        schema=QUARANTINE_SCHEMA,
    )
    return clean, quarantine
