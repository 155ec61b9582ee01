"""Bank payment extract: one row per payment, with its ordering and beneficiary parties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from expectations._base import (
    DatasetSpec,
    SuiteContext,
    between,
    date_rules,
    in_set,
    matches,
    max_length,
    name_rules,
    not_null,
    parsed_date,
    unique,
)
from expectations._iso import COUNTRY_CODES

if TYPE_CHECKING:
    from great_expectations.expectations.expectation import Expectation

AMOUNT = r"^-?\d+(?:\.\d+)?$"
CURRENCY = r"^[A-Z]{3}$"
BIC = r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$"


def derived(ctx: SuiteContext) -> Mapping[str, pl.Expr]:
    return {
        "__value_date": parsed_date("value_date"),
        "__amount": pl.col("amount").cast(pl.Float64, strict=False),
    }


def rules(ctx: SuiteContext) -> list[Expectation]:
    latest = (dt.date.fromisoformat(ctx.today) + dt.timedelta(days=366)).isoformat()
    return [
        not_null("payment_id", "payment_id_present", "payment_id is empty"),
        unique("payment_id", "payment_id_unique", "payment_id appears on more than one row"),
        max_length("payment_id", 100, "payment_id_length", "payment_id is longer than 100 characters"),
        *date_rules("value_date", "value_date", ctx, earliest="1990-01-01", latest=latest),
        not_null("amount", "amount_present", "amount is empty"),
        matches("amount", AMOUNT, "amount_numeric", "amount is not a decimal number such as 1250.00"),
        between(
            "__amount",
            "amount_positive",
            "amount is not greater than zero",
            min_value=0,
            strict_min=True,
            source="amount",
        ),
        matches("currency", CURRENCY, "currency_format", "currency is not a three-letter ISO 4217 code"),
        *name_rules("ordering_name", "ordering_name"),
        in_set(
            "ordering_country",
            COUNTRY_CODES,
            "ordering_country_iso",
            "ordering_country is not an ISO 3166 country code",
        ),
        max_length(
            "ordering_account", 100, "ordering_account_length", "ordering_account is longer than 100 characters"
        ),
        *name_rules("beneficiary_name", "beneficiary_name"),
        in_set(
            "beneficiary_country",
            COUNTRY_CODES,
            "beneficiary_country_iso",
            "beneficiary_country is not an ISO 3166 country code",
        ),
        max_length(
            "beneficiary_account",
            100,
            "beneficiary_account_length",
            "beneficiary_account is longer than 100 characters",
        ),
        matches("beneficiary_bic", BIC, "beneficiary_bic_format", "beneficiary_bic is not an 8 or 11 character BIC"),
    ]


SPEC = DatasetSpec(
    names=("ordering_name", "beneficiary_name"),
    kind="payments",
    required=("payment_id", "ordering_name", "beneficiary_name"),
    optional=(
        "value_date",
        "amount",
        "currency",
        "ordering_country",
        "ordering_account",
        "beneficiary_country",
        "beneficiary_account",
        "beneficiary_bic",
        "purpose",
    ),
    key=("payment_id",),
    derived=derived,
    rules=rules,
    min_rows=0,
    description="A bank's payments of the day: ordering and beneficiary party of each.",
)
