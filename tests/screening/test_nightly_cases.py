"""Name pairs seen in the nightly demo: missed list names and false alerts, as table cases."""

from __future__ import annotations

import polars as pl
import pytest

from screening import Watchlist, compare
from screening.scoring import aligned_ratio

THRESHOLD = 0.88


def one_entry(name: str, entity_type: str, *aliases: str) -> Watchlist:
    entries = pl.DataFrame(
        {
            "uid": ["X:1"],
            "list_source": ["X"],
            "entry_id": ["1"],
            "entity_type": [entity_type],
            "primary_name": [name],
            "gender": [None],
        },
        schema_overrides={"gender": pl.String},
    )
    names = pl.DataFrame(
        {
            "uid": ["X:1"] * len(aliases),
            "name": list(aliases),
            "strength": ["strong"] * len(aliases),
            "name_type": ["alias"] * len(aliases),
            "script": [None] * len(aliases),
        },
        schema_overrides={"uid": pl.String, "name": pl.String, "script": pl.String},
    )
    return Watchlist(entries=entries, names=names).conformed()


@pytest.mark.parametrize(
    ("party", "listed", "entity_type"),
    [
        ("HERNANDEZ OCHOA Yuan Carlos", "HERNANDEZ OCHOA, Juan Carlos", "person"),  # yuan/juan sort apart
        ("SEVENYY PUT OOO", "SEVERNYY PUT OOO", "organization"),  # typo in a long token beside a short one
    ],
)
def test_listed_names_with_one_change_are_found(party: str, listed: str, entity_type: str) -> None:
    result = compare({"name": party, "entity_type": entity_type}, one_entry(listed, entity_type))
    assert result.score >= THRESHOLD, result.explanation


@pytest.mark.parametrize(
    ("party", "listed", "aliases"),
    [
        ("Nour Abdelrahman", "Abdelrahman", ()),  # one-word list name within a longer name
        ("Kang Su-bin", "KANG, Chol Su", ()),  # "bin" ends a Korean given name: not a particle
        ("José González", "GONZALEZ QUIRARTE, Jose", ()),  # subset of a longer name
        ("José López", "LOPEZ GOMEZ, Roberto Jose", ()),  # listed given name missing
        ("Wei Liu", "LI, Wei", ()),  # different family name
        ("منى إبراهيم", "IBRAHIM, Ayman", ("أيمن إبراهيم",)),  # Mona vs Ayman Ibrahim
    ],
)
def test_clean_names_do_not_alert(party: str, listed: str, aliases: tuple[str, ...]) -> None:
    result = compare({"name": party, "entity_type": "person"}, one_entry(listed, "person", *aliases))
    assert result.score < THRESHOLD, result.explanation


@pytest.mark.parametrize(
    ("left", "right", "at_least"),
    [
        ("carlos hernandez ochoa yuan", "carlos hernandez juan ochoa", 0.95),
        ("put sevenyy", "put severnyy", 0.95),
        ("liu wei", "li wei", 0.0),
    ],
)
def test_aligned_ratio(left: str, right: str, at_least: float) -> None:
    assert at_least <= aligned_ratio(left, right) <= 1.0
    assert aligned_ratio(left, right) == aligned_ratio(right, left)


def test_aligned_ratio_needs_as_many_tokens() -> None:
    assert aligned_ratio("a b", "a b c") == 0.0
