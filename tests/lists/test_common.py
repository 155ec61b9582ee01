from __future__ import annotations

from datetime import date

import pytest

from pipelines.lists.common import country_code, date_range, name_script


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09 Feb 1951", (date(1951, 2, 9), date(1951, 2, 9))),
        ("1951", (date(1951, 1, 1), date(1951, 12, 31))),
        ("Feb 1951", (date(1951, 2, 1), date(1951, 2, 28))),
        ("1951-02-09", (date(1951, 2, 9), date(1951, 2, 9))),
        ("09/02/1951", (date(1951, 2, 9), date(1951, 2, 9))),
        ("circa 1951", (date(1950, 1, 1), date(1952, 12, 31))),
        ("1960 to 1962", (date(1960, 1, 1), date(1962, 12, 31))),
        ("01 Jan 1960 to 31 Dec 1962", (date(1960, 1, 1), date(1962, 12, 31))),
        ("1979-1982", (date(1979, 1, 1), date(1982, 12, 31))),
        ("31 Feb 1951", None),
        ("unknown", None),
        ("", None),
    ],
)
def test_date_range(text: str, expected: tuple[date, date] | None) -> None:
    assert date_range(text) == expected


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Korea, North", "KP"),
        ("Democratic People's Republic of Korea", "KP"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Russian Federation", "RU"),
        ("Russia", "RU"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("Türkiye", "TR"),
        ("Burma", "MM"),
        ("Hong Kong", "HK"),
        ("DE", "DE"),
        ("Gaza, Egypt", "EG"),
        ("Atlantis", None),
        (None, None),
    ],
)
def test_country_code(name: str | None, code: str | None) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("Khalid al-Masri", "Latin"),
        ("Руслан Алиев", "Cyrillic"),
        ("خالد المصري", "Arabic"),
        ("张建国", "Han"),
        ("김철남", "Hangul"),
        ("7-28", None),
    ],
)
def test_name_script(name: str, script: str | None) -> None:
    assert name_script(name) == script
