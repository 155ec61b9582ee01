"""The 50 percent rule on small literal graphs."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from screening.ownership import (
    EDGE_SCHEMA,
    FLAG_SCHEMA,
    SEED_SCHEMA,
    OwnershipConfig,
    resolve_ownership,
    share_phrase,
)


def edges(*rows: tuple[str, str, float | None, float | None, list[str]]) -> pl.DataFrame:
    return pl.DataFrame([dict(zip(EDGE_SCHEMA, row, strict=True)) for row in rows], schema=EDGE_SCHEMA)


def seeds(*rows: tuple[str, str, str, str]) -> pl.DataFrame:
    return pl.DataFrame([dict(zip(SEED_SCHEMA, row, strict=True)) for row in rows], schema=SEED_SCHEMA)


X = ("X", "Ivan Example", "person", "OFAC SDN 12345")
NAMES = pl.DataFrame({"node_id": ["A", "B", "C", "D"], "name": ["A Ltd", "B Ltd", "C Ltd", "D Ltd"]})


def by_company(flags: pl.DataFrame) -> dict[str, dict[str, Any]]:
    return {row["company_id"]: row for row in flags.iter_rows(named=True)}


def test_chain_blocks_every_company_down_the_line() -> None:
    flags = resolve_ownership(
        edges(("X", "B", 75, 100, []), ("B", "C", 50, 75, []), ("C", "D", 100, 100, [])),
        seeds(X),
        NAMES,
    )
    rows = by_company(flags)
    assert set(rows) == {"B", "C", "D"}
    assert [rows[c]["basis"] for c in "BCD"] == ["ownership"] * 3
    assert [rows[c]["depth"] for c in "BCD"] == [1, 2, 3]
    assert rows["C"]["aggregate_share"] == 50.0
    assert rows["C"]["listed_parties"] == "listed person Ivan Example (OFAC SDN 12345)"
    assert rows["C"]["evidence"] == (
        "C Ltd is more than 50% owned by B Ltd, which is blocked: "
        "75% or more owned by listed person Ivan Example (OFAC SDN 12345)"
    )
    assert flags.schema == pl.Schema(FLAG_SCHEMA)


def test_two_blocked_owners_aggregate() -> None:
    y = ("Y", "Acme Trading", "organization", "EU FSF EU.1.2")
    flags = resolve_ownership(edges(("X", "A", 30, 30, []), ("Y", "A", 25, 25, [])), seeds(X, y), NAMES)
    row = by_company(flags)["A"]
    assert row["basis"] == "ownership"
    assert row["aggregate_share"] == 55.0
    assert row["evidence"].startswith("A Ltd is 55% or more owned in aggregate by blocked parties: 30% by")
    assert "25% by listed entity Acme Trading (EU FSF EU.1.2)" in row["evidence"]
    assert row["listed_parties"].count("listed") == 2


def test_one_blocked_owner_below_threshold_is_not_flagged() -> None:
    flags = resolve_ownership(edges(("X", "A", 30, 30, []), ("Z", "A", 70, 70, [])), seeds(X))
    assert flags.is_empty()


def test_threshold_is_configurable() -> None:
    flags = resolve_ownership(edges(("X", "A", 30, 30, [])), seeds(X), config=OwnershipConfig(threshold=25.0))
    assert by_company(flags)["A"]["basis"] == "ownership"
    with pytest.raises(ValueError, match="threshold"):
        OwnershipConfig(threshold=0)


def test_band_lower_bounds_establish_and_upper_bounds_are_only_possible() -> None:
    # Two "more than 25%" holdings add up to more than 50: established.
    # One 25-50 band alone reaches 50 only at its upper bound: possible, never established.
    flags = resolve_ownership(
        edges(
            ("X", "A", 25, 50, []),
            ("Y", "A", 25, 50, []),
            ("X", "B", 25, 50, []),
            ("B", "C", 75, 100, []),
        ),
        seeds(X, ("Y", "Other Person", "person", "UN QDi.001")),
        NAMES,
    )
    rows = by_company(flags)
    assert rows["A"]["basis"] == "ownership"
    assert rows["A"]["aggregate_share"] == 50.0
    assert rows["B"]["basis"] == "possible"
    assert rows["B"]["aggregate_share"] == 25.0
    assert rows["B"]["possible_share"] == 50.0
    assert "below the 50% threshold" in rows["B"]["evidence"]
    # C hangs off a possibly blocked company: possible too, with the chain explained.
    assert rows["C"]["basis"] == "possible"
    assert "B Ltd, which is possibly blocked" in rows["C"]["evidence"]


def test_cycles_terminate_and_block_the_ring() -> None:
    flags = resolve_ownership(
        edges(
            ("X", "A", 60, 60, []),
            ("A", "B", 60, 60, []),
            ("B", "C", 60, 60, []),
            ("C", "A", 40, 40, []),
            ("C", "D", 10, 10, []),
            ("D", "C", 10, 10, []),
        ),
        seeds(X),
        NAMES,
    )
    rows = by_company(flags)
    assert set(rows) == {"A", "B", "C"}
    # The final aggregate counts the cycle's holding too; the evidence follows the chain back.
    assert rows["A"]["aggregate_share"] == 100.0
    assert rows["C"]["evidence"].endswith("(OFAC SDN 12345)")


def test_unblocked_cycle_stays_clean() -> None:
    flags = resolve_ownership(edges(("A", "B", 100, 100, []), ("B", "A", 100, 100, [])), seeds(X))
    assert flags.is_empty()


def test_control_without_shares_is_flagged_separately() -> None:
    flags = resolve_ownership(
        edges(
            ("X", "A", None, None, ["appoint-directors"]),
            ("X", "B", 75, 100, []),
            ("B", "C", 10, 10, ["significant-influence"]),
            ("X", "D", 10, 10, ["voting-rights-25-to-50"]),
        ),
        seeds(X),
        NAMES,
    )
    rows = by_company(flags)
    assert rows["A"]["basis"] == "control"
    assert rows["A"]["aggregate_share"] == 0.0
    assert rows["A"]["evidence"] == (
        "A Ltd is controlled without a blocking share (appoint directors) by "
        "listed person Ivan Example (OFAC SDN 12345)"
    )
    assert rows["C"]["basis"] == "control"
    assert rows["C"]["depth"] == 2
    assert "B Ltd, which is blocked" in rows["C"]["evidence"]
    assert "D" not in rows  # a minority vote is not control


def test_duplicate_statements_of_one_holding_are_not_summed() -> None:
    flags = resolve_ownership(edges(("X", "A", 30, 30, []), ("X", "A", 30, 30, [])), seeds(X))
    assert flags.is_empty()


def test_seeds_are_not_reported_and_unknown_shares_count_nothing() -> None:
    flags = resolve_ownership(
        edges(("X", "Y", 100, 100, []), ("X", "A", None, None, [])),
        seeds(X, ("Y", "Y Co", "organization", "UK GRP1")),
    )
    assert flags.is_empty()


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [(30, 30, "30%"), (25, 50, "more than 25%"), (50, 75, "more than 50%"), (75, 100, "75% or more")],
)
def test_share_phrase(low: float, high: float, text: str) -> None:
    assert share_phrase(low, high) == text
