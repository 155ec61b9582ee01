"""Companies House persons-with-significant-control snapshot (JSON lines), as flattened by the
reader: ``company_number`` plus the fields of ``data`` (``kind``, ``name``,
``date_of_birth.year``, ``natures_of_control`` joined by ``;``, ``notified_on``, ...)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from expectations._base import (
    ISO_DATE,
    DatasetSpec,
    SuiteContext,
    between,
    date_rules,
    has_letter_column,
    holds,
    matches,
    max_length,
    not_null,
    parsed_date,
)
from expectations.companies import company_number_rules

if TYPE_CHECKING:
    from great_expectations.expectations.expectation import Expectation

KIND = (
    r"^(?:individual|corporate-entity|legal-person|super-secure)(?:-beneficial-owner)?-person-with-significant-control$"
    r"|^(?:individual|corporate-entity|legal-person)-beneficial-owner$"
    r"|^super-secure-(?:person|beneficial-owner)$"
    r"|^persons-with-significant-control-statement$"
    r"|^exemptions$"
)
# Each nature of control, ";"-joined; share bands must lie within 0-100 and be ordered.
NATURE = r"[a-z0-9-]+"
NATURES = rf"^{NATURE}(?:;{NATURE})*$"
BAND = r"(?:\d+)-to-(?:\d+)-percent"


def derived(ctx: SuiteContext) -> Mapping[str, pl.Expr]:
    bands = pl.col("natures_of_control").str.extract_all(BAND)
    numbers = bands.list.eval(pl.element().str.extract_all(r"\d+").list.eval(pl.element().cast(pl.Int64)))
    low = numbers.list.eval(pl.element().list.first()).list.min()
    high = numbers.list.eval(pl.element().list.last()).list.max()
    ordered = numbers.list.eval(pl.element().list.first() < pl.element().list.last()).list.all()
    return {
        "__dob_year": pl.col("date_of_birth.year").cast(pl.Int64, strict=False),
        "__notified_on": parsed_date("notified_on"),
        "__share_low": low,
        "__share_high": high,
        "__band_ordered": ordered,
        "__named": pl.col("name").is_not_null() | pl.col("kind").str.contains("statement|exemptions|super-secure"),
    }


def rules(ctx: SuiteContext) -> list[Expectation]:
    year = dt.date.fromisoformat(ctx.today).year
    return [
        *company_number_rules("company_number"),
        not_null("kind", "kind_present", "kind is empty"),
        matches("kind", KIND, "kind_known", "kind is not a known PSC record kind"),
        holds("__named", "name_present", "a person with significant control has no name", source="name"),
        holds(has_letter_column("name"), "name_not_numeric", "name has no letters", source="name"),
        max_length("name", 500, "name_length", "name is longer than 500 characters"),
        between(
            "__dob_year",
            "dob_plausible",
            f"date_of_birth.year is before 1900 or after {year}",
            min_value=1900,
            max_value=year,
            source="date_of_birth.year",
        ),
        matches("natures_of_control", NATURES, "natures_format", "natures_of_control is not a list of natures"),
        between(
            "__share_low",
            "share_range",
            "a share band lies outside 0-100 percent",
            min_value=0,
            max_value=100,
            source="natures_of_control",
        ),
        between(
            "__share_high",
            "share_range_high",
            "a share band lies outside 0-100 percent",
            min_value=0,
            max_value=100,
            source="natures_of_control",
        ),
        holds(
            "__band_ordered",
            "share_band_ordered",
            "a share band's lower bound is not below its upper bound",
            source="natures_of_control",
        ),
        *date_rules("notified_on", "notified_on", ctx, earliest="2016-01-01"),
        matches("ceased_on", ISO_DATE, "ceased_on_format", "ceased_on is not a date in the form YYYY-MM-DD"),
    ]


SPEC = DatasetSpec(
    names=("name",),
    kind="psc",
    required=("company_number", "kind"),
    optional=("name", "date_of_birth.year", "natures_of_control", "notified_on", "ceased_on", "nationality"),
    derived=derived,
    rules=rules,
    description="Companies House persons with significant control: one record per PSC or statement.",
)
