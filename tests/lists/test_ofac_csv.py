from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import ListError
from pipelines.lists import LoadedLists, load_directory


@pytest.fixture()
def loaded(fixtures: Path) -> LoadedLists:
    return load_directory(fixtures / "ofac-sdn")


def rows(frame: pl.DataFrame, uid: str, *cols: str) -> list[tuple[object, ...]]:
    return sorted(frame.filter(pl.col("uid") == uid).select(cols).iter_rows())


def test_entries_and_types(loaded: LoadedLists) -> None:
    entries = loaded.watchlist.entries
    assert dict(entries.select("entry_id", "entity_type").iter_rows()) == {
        "7001": "person",
        "7002": "organization",
        "7003": "vessel",
        "7005": "aircraft",
    }
    first = entries.row(by_predicate=pl.col("uid") == "OFAC-SDN:7001", named=True)
    assert first["programs"] == ["IFSR", "SDGT"]
    assert first["gender"] == "male"
    assert first["linked_refs"] == ["UN-SC:QDi.950"]
    assert first["asset_freeze"] is True


def test_names_strong_former_and_weak(loaded: LoadedLists) -> None:
    names = loaded.watchlist.names
    assert rows(names, "OFAC-SDN:7001", "name", "strength", "name_type") == [
        ("ABU UMAR", "weak", "alias"),
        ("AL-HASHEMI, Omar Saleh", "strong", "alias"),
        ("AL-HASHIMI, Umar Salih", "strong", "primary"),
    ]
    assert ("NORDLICHT TRADING GMBH", "strong", "former") in rows(
        names, "OFAC-SDN:7002", "name", "strength", "name_type"
    )


def test_remarks_facts(loaded: LoadedLists) -> None:
    w = loaded.watchlist
    assert rows(w.dobs, "OFAC-SDN:7001", "dob_from", "dob_to") == [
        (date(1970, 1, 1), date(1972, 12, 31)),
        (date(1970, 1, 2), date(1970, 1, 2)),
    ]
    assert rows(w.identifiers, "OFAC-SDN:7001", "id_type", "value", "country") == [("passport", "B1234567", "IQ")]
    assert rows(w.identifiers, "OFAC-SDN:7002", "id_type", "value", "country") == [
        ("crypto", "XBT:1BoatSLRHtKNngkdXEeobR76b53LETtpyT", None),
        ("registration", "HRB 98765", "DE"),
        ("tax", "27/123/45678", "DE"),  # from sdn_comments.csv
    ]
    assert ("imo", "9004176", None) in rows(w.identifiers, "OFAC-SDN:7003", "id_type", "value", "country")
    assert rows(w.countries, "OFAC-SDN:7001", "country", "kind") == [
        ("IQ", "address"),
        ("IQ", "birth"),
        ("IQ", "nationality"),
    ]
    assert ("KP", "registration") in rows(w.countries, "OFAC-SDN:7003", "country", "kind")
    assert rows(w.addresses, "OFAC-SDN:7002", "address", "city", "country") == [
        ("Jungfernstieg 1, Hamburg 20354", "Hamburg 20354", "DE")
    ]


def test_malformed_records_are_reported(loaded: LoadedLists) -> None:
    problems = loaded.problems
    by_entry = {row["entry_id"]: row["problem"] for row in problems.iter_rows(named=True)}
    assert "malformed sdn record" in by_entry["7004"]
    assert "date of birth not understood" in by_entry["7005"]
    assert "unknown entry number" in by_entry["7099"]
    assert all(problems["location"].str.contains("sdn.csv|alt.csv"))


def test_sources_carry_hashes(loaded: LoadedLists) -> None:
    formats = {s.format: s for s in loaded.sources}
    assert set(formats) == {"ofac-csv", "ofac-csv:alt", "ofac-csv:add", "ofac-csv:comments"}
    assert formats["ofac-csv"].entries == 4
    assert all(len(s.sha256) == 64 and s.list_source == "OFAC-SDN" for s in loaded.sources)


def test_truncated_file_is_refused(fixtures: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ofac"
    shutil.copytree(fixtures / "ofac-sdn", folder)
    data = (folder / "sdn.csv").read_bytes()
    (folder / "sdn.csv").write_bytes(data[: data.index(b"Registration Identification")])
    with pytest.raises(ListError, match=r"sdn.csv: truncated or malformed OFAC sdn file"):
        load_directory(folder)


def test_companion_without_main_file_is_refused(fixtures: Path, tmp_path: Path) -> None:
    shutil.copy(fixtures / "ofac-sdn" / "alt.csv", tmp_path / "alt.csv")
    with pytest.raises(ListError, match="without its main sdn file"):
        load_directory(tmp_path)


def test_real_sdn_csv(lists_dir: Path) -> None:
    loaded = load_directory(lists_dir / "ofac" / "sdn-csv")
    w = loaded.watchlist
    assert len(w) == 8976
    counts = dict(w.entries.group_by("entity_type").len().iter_rows())
    assert counts == {"person": 4620, "organization": 3673, "vessel": 406, "aircraft": 277}
    assert w.names.filter(pl.col("name_type") != "primary", pl.col("strength") == "strong").height >= 11_900
    assert w.identifiers.filter(pl.col("id_type") == "crypto").height > 50
    assert loaded.problems.height < 5
