"""The harmonised register tables built by ``pipelines.registry`` (companies, persons, ownership
edges, officers): the same rules as ``pipelines.registry.quality``, published as Great Expectations
suites for the run's data-quality report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from expectations._base import (
    ENTITY_TYPES,
    ISO_DATE,
    PARTIAL_DATE,
    DatasetSpec,
    SuiteContext,
    between,
    holds,
    in_set,
    matches,
    name_rules,
    not_null,
)
from expectations.companies import COMPANY_NUMBER

if TYPE_CHECKING:
    from great_expectations.expectations.expectation import Expectation


def _date_order(earlier: str, later: str) -> pl.Expr:
    first = pl.col(earlier).str.to_date(strict=False)
    second = pl.col(later).str.to_date(strict=False)
    return (second >= first) | first.is_null() | second.is_null()


def _company_derived(ctx: SuiteContext) -> Mapping[str, pl.Expr]:
    uk_like = ~pl.col("company_id").str.contains(":")
    return {
        "__uk_number_ok": ~uk_like | pl.col("company_id").str.contains(COMPANY_NUMBER),
        "__dates_ordered": _date_order("incorporated_on", "dissolved_on"),
    }


def _company_rules(ctx: SuiteContext) -> list[Expectation]:
    return [
        not_null("company_id", "company_id_present", "company number missing"),
        holds(
            "__uk_number_ok",
            "company_number_format",
            "company number is not 8 characters (2 letters + 6 digits, or 8 digits)",
            source="company_id",
        ),
        *name_rules("company_name", "company_name"),
        matches("incorporated_on", ISO_DATE, "incorporated_on_format", "incorporation date is not a date"),
        matches("dissolved_on", ISO_DATE, "dissolved_on_format", "dissolution date is not a date"),
        holds(
            "__dates_ordered", "dissolved_after_incorporated", "dissolved before incorporation", source="dissolved_on"
        ),
    ]


def _person_rules(ctx: SuiteContext) -> list[Expectation]:
    return [
        not_null("person_id", "person_id_present", "person id missing"),
        *name_rules("name", "name"),
        in_set("entity_type", ENTITY_TYPES, "entity_type_valid", "entity_type is not a known entity type"),
        matches("dob", PARTIAL_DATE, "dob_format", "date of birth is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ]


def _edge_derived(ctx: SuiteContext) -> Mapping[str, pl.Expr]:
    low = pl.col("share_low").cast(pl.Float64, strict=False)
    high = pl.col("share_high").cast(pl.Float64, strict=False)
    return {
        "__share_low": low,
        "__share_high": high,
        "__ordered": (low <= high) | low.is_null() | high.is_null(),
        "__not_self": pl.col("owner_id") != pl.col("owned_id"),
    }


def _edge_rules(ctx: SuiteContext) -> list[Expectation]:
    return [
        not_null("owner_id", "owner_present", "owner missing"),
        not_null("owned_id", "owned_present", "owned company missing"),
        holds("__not_self", "owner_not_owned", "owner and owned company are the same", source="owner_id"),
        between(
            "__share_low",
            "share_low_range",
            "share lower bound outside 0-100",
            min_value=0,
            max_value=100,
            source="share_low",
        ),
        between(
            "__share_high",
            "share_high_range",
            "share upper bound outside 0-100",
            min_value=0,
            max_value=100,
            source="share_high",
        ),
        holds("__ordered", "share_bounds_ordered", "share lower bound above upper bound", source="share_low"),
        matches("notified_on", ISO_DATE, "notified_on_format", "notification date is not a date"),
    ]


def _officer_derived(ctx: SuiteContext) -> Mapping[str, pl.Expr]:
    return {"__dates_ordered": _date_order("appointed_on", "resigned_on")}


def _officer_rules(ctx: SuiteContext) -> list[Expectation]:
    return [
        not_null("company_id", "company_id_present", "company number missing"),
        *name_rules("name", "name"),
        matches("dob", PARTIAL_DATE, "dob_format", "date of birth is not YYYY, YYYY-MM or YYYY-MM-DD"),
        matches("appointed_on", ISO_DATE, "appointed_on_format", "appointment date is not a date"),
        matches("resigned_on", ISO_DATE, "resigned_on_format", "resignation date is not a date"),
        holds("__dates_ordered", "resigned_after_appointed", "resigned before appointment", source="resigned_on"),
    ]


SPECS = {
    "register_companies": DatasetSpec(
        kind="register_companies",
        names=("company_name",),
        required=("company_id", "company_name"),
        optional=("status", "country", "incorporated_on", "dissolved_on", "source"),
        key=("company_id",),
        derived=_company_derived,
        rules=_company_rules,
        min_rows=0,
        description="Register companies, harmonised.",
    ),
    "register_persons": DatasetSpec(
        kind="register_persons",
        names=("name",),
        required=("person_id", "name"),
        optional=("entity_type", "kind", "dob", "nationality", "country", "registration_number", "source"),
        rules=_person_rules,
        min_rows=0,
        description="Owners and controllers (persons and entities) from the registers, harmonised.",
    ),
    "ownership": DatasetSpec(
        kind="ownership",
        required=("owner_id", "owned_id"),
        optional=("share_low", "share_high", "control", "natures", "notified_on", "source"),
        derived=_edge_derived,
        rules=_edge_rules,
        min_rows=0,
        description="Ownership and control edges between register parties and companies.",
    ),
    "register_officers": DatasetSpec(
        kind="register_officers",
        names=("name",),
        required=("company_id", "name"),
        optional=(
            "officer_id",
            "officer_role",
            "dob",
            "nationality",
            "country",
            "appointed_on",
            "resigned_on",
            "source",
        ),
        derived=_officer_derived,
        rules=_officer_rules,
        min_rows=0,
        description="Company officers, harmonised.",
    ),
}
