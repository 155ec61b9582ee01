"""Company officers CSV (directors, secretaries, members): one row per appointment, with
company_number, officer_id, name, officer_role, dob_month, dob_year, nationality,
country_of_residence, appointed_on, resigned_on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from expectations._base import (
    DatasetSpec,
    SuiteContext,
    between,
    date_number,
    matches,
    name_rules,
    not_null,
    parsed_date,
)
from expectations.companies import company_number_rules

if TYPE_CHECKING:
    from great_expectations.expectations.expectation import Expectation

# Dates as the register publishes them: YYYY-MM-DD or DD/MM/YYYY.
REGISTER_DATE = r"^(?:\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4})$"


def _register_date(column: str) -> pl.Expr:
    iso, uk = parsed_date(column), parsed_date(column, "%d/%m/%Y", r"^\d{2}/\d{2}/\d{4}$")
    return pl.when(pl.col(column).str.contains("/")).then(uk).otherwise(iso)


def derived(ctx: SuiteContext) -> Mapping[str, pl.Expr]:
    return {
        "__dob_year": pl.col("dob_year").cast(pl.Int64, strict=False),
        "__dob_month": pl.col("dob_month").cast(pl.Int64, strict=False),
        "__appointed_on": _register_date("appointed_on"),
        "__resigned_on": _register_date("resigned_on"),
    }


def rules(ctx: SuiteContext) -> list[Expectation]:
    year = dt.date.fromisoformat(ctx.today).year
    earliest = date_number("1800-01-01")
    latest = date_number(ctx.today)
    return [
        *company_number_rules("company_number"),
        *name_rules("name", "name"),
        not_null("officer_role", "officer_role_present", "officer_role is empty"),
        matches("dob_year", r"^\d{4}$", "dob_year_format", "dob_year is not a four-digit year"),
        between(
            "__dob_year",
            "dob_year_plausible",
            f"dob_year is before 1900 or after {year}",
            min_value=1900,
            max_value=year,
            source="dob_year",
        ),
        matches("dob_month", r"^\d{1,2}$", "dob_month_format", "dob_month is not a month number"),
        between(
            "__dob_month", "dob_month_valid", "dob_month is not 1 to 12", min_value=1, max_value=12, source="dob_month"
        ),
        matches("appointed_on", REGISTER_DATE, "appointed_on_format", "appointed_on is not a date"),
        between(
            "__appointed_on",
            "appointed_on_plausible",
            f"appointed_on is not a real date, is before 1800 or after {ctx.today}",
            min_value=earliest,
            max_value=latest,
            source="appointed_on",
        ),
        matches("resigned_on", REGISTER_DATE, "resigned_on_format", "resigned_on is not a date"),
        between(
            "__resigned_on",
            "resigned_on_plausible",
            f"resigned_on is not a real date, is before 1800 or after {ctx.today}",
            min_value=earliest,
            max_value=latest,
            source="resigned_on",
        ),
    ]


SPEC = DatasetSpec(
    names=("name",),
    kind="officers",
    required=("company_number", "name", "officer_role"),
    optional=(
        "officer_id",
        "dob_month",
        "dob_year",
        "nationality",
        "country_of_residence",
        "appointed_on",
        "resigned_on",
    ),
    derived=derived,
    rules=rules,
    description="Company officers: one row per appointment.",
)
