"""The harmonised watchlist tables (screening.model ENTRY_SCHEMA and NAME_SCHEMA): what every list
parser must produce before a list version is published."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from expectations._base import (
    ENTITY_TYPES,
    DatasetSpec,
    SuiteContext,
    between,
    date_number,
    has_letter_column,
    holds,
    in_set,
    max_length,
    not_null,
    parsed_date,
    unique,
)

if TYPE_CHECKING:
    from great_expectations.expectations.expectation import Expectation

STRENGTHS = ("strong", "weak")
NAME_TYPES = ("primary", "alias", "former", "original_script")


def _entry_derived(ctx: SuiteContext) -> Mapping[str, pl.Expr]:
    return {"__listed_on": parsed_date("listed_on")}


def _entry_rules(ctx: SuiteContext) -> list[Expectation]:
    return [
        not_null("uid", "uid_present", "uid is empty"),
        unique("uid", "uid_unique", "uid appears on more than one entry"),
        not_null("list_source", "list_source_present", "list_source is empty"),
        not_null("entry_id", "entry_id_present", "entry_id is empty"),
        not_null("entity_type", "entity_type_present", "entity_type is empty"),
        in_set("entity_type", ENTITY_TYPES, "entity_type_valid", "entity_type is not a known entity type"),
        not_null("primary_name", "primary_name_present", "primary_name is empty"),
        holds(
            has_letter_column("primary_name"),
            "primary_name_not_numeric",
            "primary_name has no letters",
            source="primary_name",
        ),
        between(
            "__listed_on",
            "listed_on_plausible",
            f"listed_on is not a real date, is before 1945 or after {ctx.today}",
            min_value=date_number("1945-01-01"),
            max_value=date_number(ctx.today),
            source="listed_on",
        ),
    ]


def _name_rules(ctx: SuiteContext) -> list[Expectation]:
    return [
        not_null("uid", "uid_present", "uid is empty"),
        not_null("name", "name_present", "name is empty"),
        max_length("name", 1000, "name_length", "name is longer than 1000 characters"),
        in_set("strength", STRENGTHS, "strength_valid", "strength is not strong or weak"),
        in_set(
            "name_type", NAME_TYPES, "name_type_valid", "name_type is not primary, alias, former or original_script"
        ),
    ]


SPECS = {
    "list_entries": DatasetSpec(
        kind="list_entries",
        names=("primary_name",),
        required=("uid", "list_source", "entry_id", "entity_type", "primary_name"),
        optional=("listed_on", "programs", "asset_freeze", "gender", "remarks"),
        key=("uid",),
        derived=_entry_derived,
        rules=_entry_rules,
        description="Watchlist entries, harmonised across list sources.",
    ),
    "list_names": DatasetSpec(
        kind="list_names",
        required=("uid", "name"),
        optional=("strength", "name_type", "script"),
        rules=_name_rules,
        description="Watchlist names and aliases, harmonised across list sources.",
    ),
}
