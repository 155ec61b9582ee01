from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import ListError
from pipelines.lists import LIST_SOURCES, load_directory, sample_lists_dir
from screening.model import ENTITY_TYPES, PROBLEM_SCHEMA, Watchlist


def test_samples_load_and_conform() -> None:
    loaded = load_directory(sample_lists_dir())
    w = loaded.watchlist
    for table, schema in zip(Watchlist.TABLES, Watchlist.SCHEMAS, strict=True):
        assert dict(getattr(w, table).schema) == schema, table
    assert dict(loaded.problems.schema) == PROBLEM_SCHEMA
    assert loaded.problems.height == 0
    assert 20 <= len(w) <= 40
    assert set(w.entries["entity_type"]) == {"person", "organization", "vessel", "aircraft"}
    assert set(w.entries["entity_type"]) <= set(ENTITY_TYPES)
    assert set(w.entries["list_source"]) == {"OFAC-SDN", "UN-SC"}
    assert set(w.entries["list_source"]) <= set(LIST_SOURCES)
    assert w.entries["uid"].is_unique().all()
    assert (w.entries["uid"] == w.entries["list_source"] + ":" + w.entries["entry_id"]).all()
    # every table row belongs to an entry
    for table in Watchlist.TABLES[1:]:
        assert getattr(w, table)["uid"].is_in(w.entries["uid"].to_list()).all(), table
    # weak aliases, scripts, and a person on both lists
    assert w.names.filter(pl.col("strength") == "weak").height >= 5
    assert {"Arabic", "Cyrillic", "Han", "Hangul"} <= set(w.names["script"].drop_nulls())
    linked = w.entries.filter(pl.col("linked_refs").list.contains("UN-SC:QDi.612"))
    assert linked["uid"].to_list() == ["OFAC-SDN:50101"]


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ListError, match="no sanctions list"):
        load_directory(tmp_path)


def test_folder_without_a_list_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("notes\n")
    with pytest.raises(ListError, match="no sanctions list found"):
        load_directory(tmp_path)


def test_empty_list_file_is_refused(fixtures: Path, tmp_path: Path) -> None:
    (tmp_path / "un.xml").write_bytes(b"")
    with pytest.raises(ListError, match=r"un.xml: empty file"):
        load_directory(tmp_path)


def test_unrecognised_list_like_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mystery.csv").write_text("a,b,c\n1,2,3\n")
    with pytest.raises(ListError, match=r"mystery.csv: not a recognised sanctions list format"):
        load_directory(tmp_path)


def test_format_is_detected_by_content_not_name(fixtures: Path, tmp_path: Path) -> None:
    (tmp_path / "whatever.dat").write_bytes((fixtures / "un" / "un_small.xml").read_bytes())
    loaded = load_directory(tmp_path)
    assert set(loaded.watchlist.entries["list_source"]) == {"UN-SC"}
    assert loaded.sources[0].format == "un-xml"


def test_same_entry_in_two_files_is_kept_once(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / "un" / "un_small.xml").read_bytes()
    (tmp_path / "a.xml").write_bytes(data)
    (tmp_path / "b.xml").write_bytes(data)
    loaded = load_directory(tmp_path)
    assert loaded.watchlist.entries["uid"].is_unique().all()
    assert loaded.problems["problem"].str.contains("also in").sum() == 2
