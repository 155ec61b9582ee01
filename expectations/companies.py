"""UK Companies House "BasicCompanyData" CSV, as published (column names with their stray spaces
removed by the reader): one row per company on the register."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from expectations._base import (
    DatasetSpec,
    SuiteContext,
    date_rules,
    matches,
    max_length,
    name_rules,
    not_null,
    parsed_date,
    unique,
)

if TYPE_CHECKING:
    from great_expectations.expectations.expectation import Expectation

# 8 digits, or 2 letters and 6 digits (SC, NI, OC, LP, ...).
COMPANY_NUMBER = r"^(?:[A-Z]{2}\d{6}|\d{8})$"
UK_DATE = r"^(?:0[1-9]|[12]\d|3[01])/(?:0[1-9]|1[0-2])/\d{4}$"


def derived(ctx: SuiteContext) -> Mapping[str, pl.Expr]:
    return {
        "__IncorporationDate": parsed_date("IncorporationDate", "%d/%m/%Y", UK_DATE),
        "__DissolutionDate": parsed_date("DissolutionDate", "%d/%m/%Y", UK_DATE),
    }


def company_number_rules(column: str) -> list[Expectation]:
    """A Companies House number is present and well formed (8 digits, or 2 letters and 6 digits)."""
    return [
        not_null(column, "company_number_present", f"{column} is empty"),
        matches(column, COMPANY_NUMBER, "company_number_format", f"{column} is not 8 digits or 2 letters and 6 digits"),
    ]


def rules(ctx: SuiteContext) -> list[Expectation]:
    return [
        *company_number_rules("CompanyNumber"),
        unique("CompanyNumber", "company_number_unique", "CompanyNumber appears on more than one row"),
        *name_rules("CompanyName", "company_name"),
        not_null("CompanyStatus", "company_status_present", "CompanyStatus is empty"),
        max_length("RegAddress.Country", 100, "country_length", "RegAddress.Country is longer than 100 characters"),
        *date_rules(
            "IncorporationDate",
            "incorporation_date",
            ctx,
            earliest="1800-01-01",
            regex=UK_DATE,
            what="DD/MM/YYYY",
        ),
        *date_rules(
            "DissolutionDate", "dissolution_date", ctx, earliest="1800-01-01", regex=UK_DATE, what="DD/MM/YYYY"
        ),
    ]


SPEC = DatasetSpec(
    names=("CompanyName",),
    kind="companies",
    required=("CompanyName", "CompanyNumber"),
    optional=(
        "RegAddress.Country",
        "CompanyCategory",
        "CompanyStatus",
        "CountryOfOrigin",
        "DissolutionDate",
        "IncorporationDate",
    ),
    key=("CompanyNumber",),
    derived=derived,
    rules=rules,
    description="Companies House basic company data: one row per registered company.",
)
