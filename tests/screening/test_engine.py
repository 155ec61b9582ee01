"""Behaviour of ``screen`` and ``compare`` on literal parties against a literal watchlist."""

from __future__ import annotations

import polars as pl
import pytest

from screening import ScreeningConfig, Watchlist, compare, prepare, screen
from screening.model import HIT_SCHEMA


def parties(*rows: tuple[str, str, str, str | None, str | None, str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema=["record_id", "name", "entity_type", "dob", "country", "id_number"],
        orient="row",
    )


@pytest.mark.parametrize(
    ("name", "entity_type", "uid"),
    [
        ("Mohamed Ali Hasan", "person", "OFAC:1"),
        ("Hassan, Ali Mohammed", "person", "OFAC:1"),
        ("Usama Bin Ladin", "person", "UN:QDi.1"),
        ("أسامة بن لادن", "unknown", "UN:QDi.1"),
        ("OOO Romashka", "organization", "OFAC:2"),
        ("Romashka Limited Liability Company", "unknown", "OFAC:2"),
        ("Sergei P. Ivanov", "person", "UK:4"),
        ("Sergey Ivanoff", "person", "UK:4"),  # patronymic left out: cheap
        ("Иванов Сергей", "person", "UK:4"),
        ("Abu Ali", "unknown", "OFAC:1"),
    ],
)
def test_variants_hit(watchlist: Watchlist, name: str, entity_type: str, uid: str) -> None:
    hits = screen(parties(("r1", name, entity_type, None, None, None)), watchlist)
    assert uid in hits["uid"].to_list()


@pytest.mark.parametrize(
    ("name", "entity_type", "uid", "full"),
    [
        ("Bank Melli", "organization", "OFAC:5", "Bank Melli Iran"),
        ("Ali Hassan", "person", "OFAC:1", "Muhammad Ali Hassan"),
    ],
)
def test_a_missing_token_costs_evidence(watchlist: Watchlist, name: str, entity_type: str, uid: str, full: str) -> None:
    """A listed name with one token missing scores below the full name: the missing token is
    evidence against (how much depends on how rare it is on the list)."""
    loose = ScreeningConfig().with_thresholds(**{entity_type: 0.75})
    batch = parties(("short", name, entity_type, None, None, None), ("full", full, entity_type, None, None, None))
    hits = screen(batch, watchlist, loose).filter(pl.col("uid") == uid)
    score = dict(zip(hits["record_id"], hits["score"], strict=True))
    assert set(score) == {"short", "full"}
    assert score["short"] < score["full"] - 0.05


@pytest.mark.parametrize(
    ("name", "entity_type"),
    [
        ("John Smith", "person"),
        ("Abu Alim", "unknown"),  # a weak alias counts only when exact
        ("The Sheikhs", "unknown"),
        ("Romashka Bakery", "organization"),
        ("Maria Ivanova", "person"),
    ],
)
def test_non_matches_do_not_hit(watchlist: Watchlist, name: str, entity_type: str) -> None:
    assert screen(parties(("r1", name, entity_type, None, None, None)), watchlist).height == 0


def test_hits_follow_the_hit_schema_and_explain(watchlist: Watchlist) -> None:
    hits = screen(parties(("r1", "Mohamed Ali Hasan", "person", "1970-05-01", "IQ", None)), watchlist)
    assert hits.schema == pl.Schema(HIT_SCHEMA)
    row = hits.row(0, named=True)
    assert (row["record_id"], row["list_source"], row["entry_id"]) == ("r1", "OFAC", "1")
    assert row["matched_name"] == "MUHAMMAD, Ali Hassan"
    assert "Mohamed Ali Hasan" in row["explanation"]
    assert "dob 1970-05-01 agrees" in row["explanation"]
    assert row["features"] == ["dob_overlap", "country_match"]


def test_identifier_alone_is_a_strong_hit(watchlist: Watchlist) -> None:
    hits = screen(parties(("v1", "Blue Whale", "vessel", None, None, "9123456")), watchlist)
    assert hits["uid"].to_list() == ["EU:3"]
    assert hits["score"][0] >= 0.95
    assert "identifier IMO 9123456 matches" in hits["explanation"][0]


@pytest.mark.parametrize(
    ("dob", "country", "expected"),
    [
        ("1957-03-10", None, "dob_exact"),
        ("1957", None, "dob_overlap"),
        ("1980-01-01", None, "dob_conflict"),
    ],
)
def test_date_of_birth_raises_or_lowers(watchlist: Watchlist, dob: str, country: str | None, expected: str) -> None:
    plain = compare({"name": "Usama Bin Ladin", "entity_type": "person"}, watchlist)
    with_dob = compare({"name": "Usama Bin Ladin", "entity_type": "person", "dob": dob}, watchlist)
    assert with_dob.features[expected]
    if expected == "dob_conflict":
        assert with_dob.score < plain.score
    else:
        assert with_dob.score > plain.score


def test_scores_rank_closer_names_higher(watchlist: Watchlist) -> None:
    exact = compare("Osama bin Laden", watchlist).score
    variant = compare("Usama Bin Ladin", watchlist).score
    far = compare("Osman Ladenburg", watchlist).score
    assert exact == 1.0
    assert exact > variant > far


def test_person_against_organisation_is_penalised(watchlist: Watchlist) -> None:
    as_org = compare({"name": "Bank Melli Iran", "entity_type": "organization"}, watchlist)
    as_person = compare({"name": "Bank Melli Iran", "entity_type": "person"}, watchlist)
    assert as_org.score == 1.0
    assert as_person.score < as_org.score
    assert as_person.features["type_conflict"]


def test_prepared_watchlist_gives_the_same_hits(watchlist: Watchlist) -> None:
    batch = parties(
        ("a", "Mohamed Ali Hasan", "person", None, None, None),
        ("b", "OOO Romashka", "organization", None, None, None),
    )
    assert screen(batch, prepare(watchlist)).equals(screen(batch, watchlist))


def test_thresholds_come_from_configuration(watchlist: Watchlist) -> None:
    batch = parties(("a", "Usama Bin Ladin", "person", None, None, None))
    assert screen(batch, watchlist).height == 1
    strict = ScreeningConfig().with_thresholds(person=0.99)
    assert screen(batch, watchlist, strict).height == 0


def test_empty_parties_give_empty_hits(watchlist: Watchlist) -> None:
    empty = parties().cast({"record_id": pl.String, "name": pl.String, "entity_type": pl.String})
    assert screen(empty, watchlist).schema == pl.Schema(HIT_SCHEMA)


def test_an_entry_repeated_in_the_watchlist_gives_one_hit(watchlist: Watchlist) -> None:
    twice = Watchlist.concat([watchlist, watchlist])
    assert twice.entries.height == 2 * watchlist.entries.height
    hits = screen(parties(("r1", "Mohamed Ali Hasan", "person", None, None, None)), twice)
    assert hits.height == hits.select("record_id", "uid").n_unique() > 0
