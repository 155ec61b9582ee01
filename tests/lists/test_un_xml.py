from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import ListError
from pipelines.lists import load_directory, load_files


def rows(frame: pl.DataFrame, uid: str, *cols: str) -> list[tuple[object, ...]]:
    return sorted(frame.filter(pl.col("uid") == uid).select(cols).iter_rows())


def test_un_individual(fixtures: Path) -> None:
    loaded = load_files([fixtures / "un" / "un_small.xml"])
    w = loaded.watchlist
    entry = w.entries.row(by_predicate=pl.col("uid") == "UN-SC:QDi.950", named=True)
    assert entry["primary_name"] == "UMAR SALIH AL-HASHIMI"
    assert entry["listed_on"] == date(2014, 8, 15)
    assert entry["programs"] == ["Al-Qaida"]
    assert rows(w.names, "UN-SC:QDi.950", "name", "strength", "name_type", "script") == [
        ("Abu Umar", "weak", "alias", "Latin"),
        ("Omar Saleh al-Hashemi", "strong", "alias", "Latin"),
        ("UMAR SALIH AL-HASHIMI", "strong", "primary", "Latin"),
        ("عمر صالح الهاشمي", "strong", "original_script", "Arabic"),
    ]
    assert rows(w.dobs, "UN-SC:QDi.950", "dob_from", "dob_to") == [
        (date(1968, 1, 1), date(1969, 12, 31)),
        (date(1970, 1, 1), date(1972, 12, 31)),
        (date(1970, 1, 2), date(1970, 1, 2)),
    ]
    assert rows(w.identifiers, "UN-SC:QDi.950", "id_type", "value", "country") == [("passport", "B1234567", "IQ")]
    assert ("IQ", "nationality") in rows(w.countries, "UN-SC:QDi.950", "country", "kind")


def test_un_entity_and_problems(fixtures: Path) -> None:
    loaded = load_files([fixtures / "un" / "un_small.xml"])
    w = loaded.watchlist
    assert rows(w.entries, "UN-SC:KPe.950", "entity_type") == [("organization",)]
    assert ("Ocean Breeze Trading", "former") in rows(w.names, "UN-SC:KPe.950", "name", "name_type")
    assert rows(w.identifiers, "UN-SC:KPe.950", "id_type", "value") == [("imo", "5627413")]
    assert loaded.problems.select("entry_id", "problem").rows() == [
        ("2", "record without REFERENCE_NUMBER; not loaded")
    ]


def test_truncated_xml_is_refused(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / "un" / "un_small.xml").read_bytes()
    (tmp_path / "un.xml").write_bytes(data[: len(data) // 2])
    with pytest.raises(ListError, match=r"un.xml: truncated or malformed UN XML"):
        load_directory(tmp_path)


def test_real_un_list(lists_dir: Path) -> None:
    loaded = load_files([lists_dir / "un" / "UN_consolidated.xml"])
    w = loaded.watchlist
    counts = dict(w.entries.group_by("entity_type").len().iter_rows())
    assert counts == {"person": 730, "organization": 273}
    assert w.names.filter(pl.col("strength") == "weak").height > 500
    assert w.names.filter(pl.col("name_type") == "original_script").height > 300
    assert w.dobs.height > 800
