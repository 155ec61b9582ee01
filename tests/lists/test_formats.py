from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import ListError
from pipelines.lists import LoadedLists, load_directory, load_files


def rows(frame: pl.DataFrame, uid: str, *cols: str) -> list[tuple[object, ...]]:
    return sorted(frame.filter(pl.col("uid") == uid).select(cols).iter_rows())


def one(path: Path) -> LoadedLists:
    return load_files([path])


def test_eu_fsf_xml(fixtures: Path) -> None:
    w = one(fixtures / "eu" / "fsf_small.xml").watchlist
    person = w.entries.row(by_predicate=pl.col("uid") == "EU-FSF:77001", named=True)
    assert person["entity_type"] == "person"
    assert person["programs"] == ["TAQA"]
    assert person["listed_on"] == date(2014, 8, 20)
    assert person["linked_refs"] == ["UN-SC:QDi.950"]
    assert person["gender"] == "male"
    assert ("Abu Umar", "weak") in rows(w.names, "EU-FSF:77001", "name", "strength")
    assert ("عمر صالح الهاشمي", "original_script") in rows(w.names, "EU-FSF:77001", "name", "name_type")
    assert rows(w.dobs, "EU-FSF:77001", "dob_from", "dob_to") == [
        (date(1970, 1, 1), date(1972, 12, 31)),
        (date(1970, 1, 2), date(1970, 1, 2)),
    ]
    assert ("passport", "B1234567", "IQ") in rows(w.identifiers, "EU-FSF:77001", "id_type", "value", "country")
    assert rows(w.entries, "EU-FSF:77002", "entity_type") == [("organization",)]
    assert ("ООО «Северный путь»", "Cyrillic") in rows(w.names, "EU-FSF:77002", "name", "script")


def test_eu_fsf_csv(fixtures: Path) -> None:
    w = one(fixtures / "eu" / "fsf_small.csv").watchlist
    assert sorted(w.entries["uid"]) == ["EU-FSF:77001", "EU-FSF:77002"]
    assert ("Abu Umar", "weak") in rows(w.names, "EU-FSF:77001", "name", "strength")
    assert ("passport", "B1234567") in rows(w.identifiers, "EU-FSF:77001", "id_type", "value")


def test_hmt_conlist_windows_1252(fixtures: Path) -> None:
    loaded = one(fixtures / "uk" / "hmt_conlist_cp1252.csv")
    w = loaded.watchlist
    assert sorted(w.entries["entry_id"]) == ["13001", "13002", "13003"]
    person = w.entries.row(by_predicate=pl.col("uid") == "UK-OFSI:13001", named=True)
    assert person["primary_name"] == "Umar Salih AL-HASHIMI"
    assert person["linked_refs"] == ["UN-SC:QDi.950"]
    assert person["listed_on"] == date(2014, 8, 20)
    assert ("Omar Saleh AL-HASHEMI",) in rows(w.names, "UK-OFSI:13001", "name")
    assert rows(w.dobs, "UK-OFSI:13001", "dob_from", "dob_to") == [
        (date(1970, 1, 2), date(1970, 1, 2)),
        (date(1971, 1, 1), date(1971, 12, 31)),
    ]
    assert ("IQ", "nationality") in rows(w.countries, "UK-OFSI:13001", "country", "kind")
    assert ("passport", "B1234567") in rows(w.identifiers, "UK-OFSI:13001", "id_type", "value")
    assert rows(w.entries, "UK-OFSI:13002", "primary_name") == [("MÜLLER HANDELSGESELLSCHAFT MBH",)]
    assert rows(w.entries, "UK-OFSI:13003", "primary_name") == [("Jürg ZÜRCHER",)]
    assert loaded.problems["problem"].str.contains("malformed row").sum() == 1


def test_uk_sanctions_list_xml(fixtures: Path) -> None:
    w = one(fixtures / "uk" / "uk_sl_small.xml").watchlist
    person = w.entries.row(by_predicate=pl.col("uid") == "UK-SL:AQD0950", named=True)
    assert person["linked_refs"] == ["UK-OFSI:13001", "UN-SC:QDi.950"]
    assert person["asset_freeze"] is True
    assert ("Abu Umar", "weak") in rows(w.names, "UK-SL:AQD0950", "name", "strength")
    assert ("passport", "B1234567") in rows(w.identifiers, "UK-SL:AQD0950", "id_type", "value")
    assert (date(1971, 1, 1), date(1971, 12, 31)) in rows(w.dobs, "UK-SL:AQD0950", "dob_from", "dob_to")
    ship = w.entries.row(by_predicate=pl.col("uid") == "UK-SL:RUS9001", named=True)
    assert (ship["entity_type"], ship["asset_freeze"]) == ("vessel", False)
    assert rows(w.identifiers, "UK-SL:RUS9001", "id_type", "value") == [("imo", "9004176")]


def test_ofac_sdn_xml(fixtures: Path) -> None:
    w = one(fixtures / "ofac-xml" / "sdn_small.xml").watchlist
    assert set(w.entries["list_source"]) == {"OFAC-SDN"}
    assert rows(w.names, "OFAC-SDN:7001", "name", "strength", "name_type") == [
        ("ABU UMAR", "weak", "alias"),
        ("AL-HASHEMI, Omar Saleh", "strong", "alias"),
        ("AL-HASHIMI, Umar Salih", "strong", "primary"),
    ]
    assert rows(w.identifiers, "OFAC-SDN:7001", "id_type", "value", "country") == [
        ("crypto", "XBT:1BoatSLRHtKNngkdXEeobR76b53LETtpyT", None),
        ("passport", "B1234567", "IQ"),
    ]
    assert rows(w.entries, "OFAC-SDN:7001", "gender") == [("male",)]
    assert ("imo", "9004176") in rows(w.identifiers, "OFAC-SDN:7003", "id_type", "value")


def test_ofac_advanced_xml_splits_sdn_and_non_sdn(fixtures: Path) -> None:
    w = one(fixtures / "ofac-advanced" / "advanced_small.xml").watchlist
    entries = {r["uid"]: r for r in w.entries.iter_rows(named=True)}
    assert set(entries) == {"OFAC-SDN:8001", "OFAC-CONS:8002"}
    assert entries["OFAC-SDN:8001"]["asset_freeze"] is True
    assert entries["OFAC-CONS:8002"]["asset_freeze"] is False
    assert entries["OFAC-SDN:8001"]["gender"] == "male"
    assert entries["OFAC-SDN:8001"]["listed_on"] == date(2022, 4, 6)
    assert ("DIMA", "weak") in rows(w.names, "OFAC-SDN:8001", "name", "strength")
    assert rows(w.dobs, "OFAC-SDN:8001", "dob_from") == [(date(1979, 11, 7),)]
    assert rows(w.identifiers, "OFAC-SDN:8001", "id_type", "value", "country") == [("passport", "722145893", "RU")]
    assert ("RU", "citizenship") in rows(w.countries, "OFAC-SDN:8001", "country", "kind")
    assert rows(w.identifiers, "OFAC-CONS:8002", "id_type", "value") == [("tax", "7701234567")]


def test_opensanctions(fixtures: Path) -> None:
    w = load_directory(fixtures / "opensanctions").watchlist
    person = w.entries.row(by_predicate=pl.col("uid") == "OPENSANCTIONS:NK-test1", named=True)
    assert person["programs"] == ["US-RUS"]
    assert person["listed_on"] == date(2022, 4, 6)
    assert {"OFAC-SDN:50104", "UK-SL:RUS9002"} <= set(person["linked_refs"])
    assert ("Dima", "weak") in rows(w.names, "OPENSANCTIONS:NK-test1", "name", "strength")
    assert rows(w.addresses, "OPENSANCTIONS:NK-test1", "city", "country") == [("Yekaterinburg", "RU")]
    assert "OPENSANCTIONS:NK-notarget" not in w.entries["uid"].to_list()
    assert ("김철남", "Hangul") in rows(w.names, "OPENSANCTIONS:os-1", "name", "script")


def test_changed_schema_is_refused(tmp_path: Path) -> None:
    (tmp_path / "conlist.csv").write_text("Last Updated,01/03/2016\nName 6,Name 1,Surname\nA,B,C\n")
    with pytest.raises(ListError, match="schema changed"):
        load_directory(tmp_path)


FULL_FILES = [
    ("ofac/sdn-csv", {"OFAC-SDN": 8976}),
    ("ofac/consolidated-xml-2026/ofac.xml", {"OFAC-CONS": 442}),
    ("ofac/cons-advanced-xml-2020/cons_advanced.xml", {"OFAC-CONS": 366, "OFAC-SDN": 9}),
    ("un/UN_consolidated.xml", {"UN-SC": 1003}),
    ("eu/eu-fsf-legacy-2016-opendatalabcz/data.xml", {"EU-FSF": 595}),
    ("eu/eu-fsf-sample-gsmiguel/sample_eu_fsf.xml", {"EU-FSF": 5}),
    ("uk/uk-hmt-conlist-2014-sergey-chechaev/sanctionsconlist.csv", {"UK-OFSI": 2297}),
    ("uk/uk-hmt-conlist-2016-opendatalabcz/data.csv", {"UK-OFSI": 463}),
    ("uk/uk-fcdo-sample-gsmiguel/sample_uk_sanctions.xml", {"UK-SL": 5}),
    ("opensanctions/opensanctions-targets-simple-eu-cor-trkyzc/targetssimple.csv", {"OPENSANCTIONS": 635}),
    ("opensanctions/opensanctions-ftm-yente-zala/entities.ftm.json", {"OPENSANCTIONS": 14}),
]


@pytest.mark.parametrize(("relative", "expected"), FULL_FILES)
def test_real_files(lists_dir: Path, relative: str, expected: dict[str, int]) -> None:
    path = lists_dir / relative
    loaded = load_directory(path) if path.is_dir() else load_files([path])
    assert loaded.entries_per_source() == expected
    assert loaded.problems.height < 0.05 * len(loaded.watchlist) + 5
