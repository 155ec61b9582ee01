"""Parties in the harmonised screening form (screening.model.PARTY_SCHEMA): the gate of
ad-hoc ``interdict screen`` runs and of any producer that hands parties to the matcher."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from expectations._base import (
    ENTITY_TYPES,
    PARTIAL_DATE,
    DatasetSpec,
    SuiteContext,
    between,
    in_set,
    matches,
    max_length,
    name_rules,
    not_null,
    unique,
)
from expectations._iso import COUNTRY_CODES

if TYPE_CHECKING:
    from great_expectations.expectations.expectation import Expectation

GENDERS = ("male", "female", "other")


def derived(ctx: SuiteContext) -> Mapping[str, pl.Expr]:
    """Letter case does not matter in a hand-made party file: "Person", "gb"."""
    return {
        "__entity_type": pl.col("entity_type").str.to_lowercase(),
        "__country": pl.col("country").str.to_uppercase(),
        "__gender": pl.col("gender").str.to_lowercase(),
        "__dob_year": pl.col("dob").str.slice(0, 4).cast(pl.Int64, strict=False),
    }


def rules(ctx: SuiteContext) -> list[Expectation]:
    return [
        not_null("record_id", "record_id_present", "record_id is empty"),
        unique("record_id", "record_id_unique", "record_id appears on more than one row"),
        max_length("record_id", 200, "record_id_length", "record_id is longer than 200 characters"),
        *name_rules("name", "name"),
        not_null("entity_type", "entity_type_present", "entity_type is empty"),
        in_set(
            "__entity_type",
            ENTITY_TYPES,
            "entity_type_valid",
            "entity_type is not person, organization, vessel, aircraft or unknown",
            source="entity_type",
        ),
        matches("dob", PARTIAL_DATE, "dob_format", "dob is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD"),
        between(
            "__dob_year",
            "dob_plausible",
            f"dob is before 1900 or after {ctx.today[:4]}",
            min_value=1900,
            max_value=int(ctx.today[:4]),
            source="dob",
        ),
        in_set("__country", COUNTRY_CODES, "country_iso", "country is not an ISO 3166 country code", source="country"),
        max_length("id_number", 100, "id_number_length", "id_number is longer than 100 characters"),
        in_set("__gender", GENDERS, "gender_valid", "gender is not male, female or other", source="gender"),
    ]


SPEC = DatasetSpec(
    names=("name",),
    kind="parties",
    required=("record_id", "name", "entity_type"),
    optional=("dob", "country", "id_number", "gender"),
    key=("record_id",),
    derived=derived,
    rules=rules,
    description="Parties to screen, in the harmonised form.",
)
