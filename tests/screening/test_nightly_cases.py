"""Name pairs seen in the nightly demo: missed list names and false alerts, as table cases."""

from __future__ import annotations

import polars as pl
import pytest

from screening import ScreeningConfig, Watchlist, compare
from screening.scoring import aligned_ratio

THRESHOLD = ScreeningConfig().thresholds["person"]


def one_entry(name: str, entity_type: str, *aliases: str, common: tuple[str, ...] = ()) -> Watchlist:
    """A watchlist of one entry (uid X:1). With ``common`` words, 1,500 other person entries are
    added, half of which carry one of those words beside a made-up name: the words are then as
    common on the list as "Muhammad" or "Gonzalez" on the real ones, and the other words rare."""
    fillers = [
        f"{common[i % len(common)].upper()}, {_made_up(i)}" if common and i % 2 else f"{_made_up(i)} {_made_up(i + 7)}"
        for i in range(1500 if common else 0)
    ]
    entries = pl.DataFrame(
        {
            "uid": ["X:1", *(f"F:{i}" for i in range(len(fillers)))],
            "list_source": ["X", *(["F"] * len(fillers))],
            "entry_id": ["1", *(str(i) for i in range(len(fillers)))],
            "entity_type": [entity_type, *(["person"] * len(fillers))],
            "primary_name": [name, *fillers],
            "gender": [None] * (1 + len(fillers)),
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


def _made_up(i: int) -> str:
    """A pronounceable made-up word, different for each ``i`` ("Bakodu", "Bakodi", ...)."""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    letters = []
    for _ in range(3):
        i, c = divmod(i, len(consonants))
        i, v = divmod(i, len(vowels))
        letters.append(consonants[c] + vowels[v])
    return "".join(letters).title()


@pytest.mark.parametrize(
    ("party", "listed", "entity_type"),
    [
        ("HERNANDEZ OCHOA Yuan Carlos", "HERNANDEZ OCHOA, Juan Carlos", "person"),  # yuan/juan sort apart
        ("SEVENYY PUT OOO", "SEVERNYY PUT OOO", "organization"),  # typo in a long token beside a short one
        ("MAKUEI Mike", "MAKUEI, Michael", "person"),  # a nickname
        ("TOTOONOV Sandy", "TOTOONOV, Alexander", "person"),  # a nickname far from the name
        ("Haji M. KHAN", "KHAN, Haji Mohammad", "person"),  # an initial for a name
        ("Мохаммед Вали", "MOHAMMED, Wali", "person"),  # every token sounds the same
        ("MUHANNAD ALNAJDI", "MUHANNAD AL-NAJDI", "person"),  # the article run into the name
        ("Joint Stock Compani Hals-Development", "JOINT STOCK COMPANY HALS-DEVELOPMENT", "organization"),
        ("NUCLEAR SCIENCE ANDtechnology INSTITUTE", "NUCLEAR SCIENCE AND TECHNOLOGY INSTITUTE", "organization"),
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
        ("José López", "LOPEZ GOMEZ, Roberto Jose", ()),  # listed given name missing
        ("Wei Liu", "LI, Wei", ()),  # different family name
        ("Chen Qiang", "CHEN, Quanguo", ()),  # same consonants, a different given name
        ("منى إبراهيم", "IBRAHIM, Ayman", ("أيمن إبراهيم",)),  # Mona vs Ayman Ibrahim
    ],
)
def test_clean_names_do_not_alert(party: str, listed: str, aliases: tuple[str, ...]) -> None:
    result = compare({"name": party, "entity_type": "person"}, one_entry(listed, "person", *aliases))
    assert result.score < THRESHOLD, result.explanation


@pytest.mark.parametrize(
    ("party", "listed", "common", "hit"),
    [
        # Common given name and surname, a third name missing: every José González would alert.
        ("José González", "GONZALEZ QUIRARTE, Jose", ("Jose", "Gonzalez"), False),
        ("Ali Hassan", "MUHAMMAD, Ali Hassan", ("Ali", "Hassan"), False),
        # The same shape with a rare surname on the list is the listed person.
        ("Mohammed BUKHAYTAN", "BUKHAYTAN, Mohammed Sa'eed", ("Mohammed", "Saeed"), True),
        ("Ruba DUWAYR", "DUWAYR, Ruba Salim", ("Salim",), True),
    ],
)
def test_a_missing_name_weighs_by_how_common_the_rest_is(
    party: str, listed: str, common: tuple[str, ...], hit: bool
) -> None:
    result = compare({"name": party, "entity_type": "person"}, one_entry(listed, "person", common=common))
    assert (result.score >= THRESHOLD) is hit, result.explanation


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
