"""Bank customer extract: one row per customer (person or organisation)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from expectations._base import (
    EARLIEST_DOB,
    DatasetSpec,
    SuiteContext,
    date_rules,
    in_set,
    max_length,
    name_rules,
    not_null,
    parsed_date,
    unique,
)
from expectations._iso import COUNTRY_CODES

if TYPE_CHECKING:
    from great_expectations.expectations.expectation import Expectation

CUSTOMER_TYPES = ("person", "organization")
GENDERS = ("M", "F")
ID_TYPES = ("passport", "national_id", "registration")


def derived(ctx: SuiteContext) -> Mapping[str, pl.Expr]:
    return {
        "__date_of_birth": parsed_date("date_of_birth"),
        "__opened_on": parsed_date("opened_on"),
    }


def rules(ctx: SuiteContext) -> list[Expectation]:
    return [
        not_null("customer_id", "customer_id_present", "customer_id is empty"),
        unique("customer_id", "customer_id_unique", "customer_id appears on more than one row"),
        max_length("customer_id", 100, "customer_id_length", "customer_id is longer than 100 characters"),
        not_null("customer_type", "customer_type_present", "customer_type is empty"),
        in_set("customer_type", CUSTOMER_TYPES, "customer_type_valid", "customer_type is not person or organization"),
        *name_rules("full_name", "full_name"),
        *name_rules("given_name", "given_name", required=False),
        *name_rules("family_name", "family_name", required=False),
        *date_rules("date_of_birth", "date_of_birth", ctx, earliest=EARLIEST_DOB),
        in_set("gender", GENDERS, "gender_valid", "gender is not M, F or empty"),
        in_set("nationality", COUNTRY_CODES, "nationality_iso", "nationality is not an ISO 3166 country code"),
        in_set("country", COUNTRY_CODES, "country_iso", "country is not an ISO 3166 country code"),
        in_set("id_type", ID_TYPES, "id_type_valid", "id_type is not passport, national_id or registration"),
        max_length("id_number", 100, "id_number_length", "id_number is longer than 100 characters"),
        *date_rules("opened_on", "opened_on", ctx, earliest="1800-01-01"),
    ]


SPEC = DatasetSpec(
    names=("full_name", "given_name", "family_name"),
    kind="customers",
    required=("customer_id", "customer_type", "full_name"),
    optional=(
        "given_name",
        "family_name",
        "date_of_birth",
        "gender",
        "nationality",
        "country",
        "id_type",
        "id_number",
        "opened_on",
    ),
    key=("customer_id",),
    derived=derived,
    rules=rules,
    description="A bank's customers: persons and organisations, one row each.",
)
