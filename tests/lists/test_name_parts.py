"""Given, middle and family names kept where the list gives them (persons only)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.lists import load_files
from pipelines.lists.common import ListBuilder
from screening.model import NAME_SCHEMA

PARTS = ("name", "given_name", "middle_name", "family_name")


def parts(frame: pl.DataFrame, uid: str) -> list[tuple[object, ...]]:
    return sorted(frame.filter(pl.col("uid") == uid).select(PARTS).iter_rows())


def names_of(path: Path) -> pl.DataFrame:
    return load_files([path]).watchlist.names


def test_schema_appends_the_parts() -> None:
    assert list(NAME_SCHEMA) == [
        "uid",
        "name",
        "strength",
        "name_type",
        "script",
        "given_name",
        "middle_name",
        "family_name",
    ]


def test_builder_parts_persons_only_and_on_a_name_seen_before() -> None:
    b = ListBuilder("X")
    person = b.entry("1", entity_type="person", primary_name="DOE, John Paul")
    b.name(person, "DOE, John Paul", given_name="John", middle_name="Paul", family_name="DOE")
    b.name(person, "Johnny", strength="weak")
    company = b.entry("2", entity_type="organization", primary_name="ACME LTD", given_name="ACME")
    b.name(company, "ACME LIMITED", family_name="LIMITED")
    names = b.watchlist().names
    assert parts(names, person) == [
        ("DOE, John Paul", "John", "Paul", "DOE"),
        ("Johnny", None, None, None),
    ]
    assert parts(names, company) == [("ACME LIMITED", None, None, None), ("ACME LTD", None, None, None)]
    assert names.filter(pl.col("uid") == person, pl.col("name") == "DOE, John Paul")["name_type"].to_list() == [
        "primary"
    ]


def test_un_xml(fixtures: Path) -> None:
    names = names_of(fixtures / "un" / "un_small.xml")
    assert parts(names, "UN-SC:QDi.950") == [
        ("Abu Umar", None, None, None),
        ("Omar Saleh al-Hashemi", None, None, None),
        ("UMAR SALIH AL-HASHIMI", "UMAR", "SALIH AL-HASHIMI", None),
        ("عمر صالح الهاشمي", None, None, None),
    ]
    assert {p[1:] for p in parts(names, "UN-SC:KPe.950")} == {(None, None, None)}


def test_eu_fsf_xml(fixtures: Path) -> None:
    names = names_of(fixtures / "eu" / "fsf_small.xml")
    uid = names.filter(pl.col("name") == "Umar Salih al-Hashimi")["uid"][0]
    assert parts(names, uid) == [
        ("Abu Umar", None, None, None),
        ("Umar Salih al-Hashimi", "Umar", "Salih", "al-Hashimi"),
        ("عمر صالح الهاشمي", None, None, None),
    ]
    company = names.filter(pl.col("name").str.starts_with("Obshchestvo"))
    assert company.select("given_name", "middle_name", "family_name").row(0) == (None, None, None)


def test_eu_fsf_csv(tmp_path: Path) -> None:
    path = tmp_path / "fsf.csv"
    path.write_text(
        "\ufefffileGenerationDate;Entity_LogicalId;Entity_EU_ReferenceNumber;Entity_SubjectType;"
        "Entity_Regulation_Programme;NameAlias_LastName;NameAlias_FirstName;NameAlias_MiddleName;"
        "NameAlias_WholeName;NameAlias_Strong\n"
        "01/03/2026;88001;EU.1.2;person;RUS;Volkov;Dmitriy;Sergeyevich;Dmitriy Sergeyevich Volkov;true\n"
        "01/03/2026;88001;EU.1.2;person;RUS;;;;Dima;false\n",
        encoding="utf-8",
    )
    assert parts(names_of(path), "EU-FSF:88001") == [
        ("Dima", None, None, None),
        ("Dmitriy Sergeyevich Volkov", "Dmitriy", "Sergeyevich", "Volkov"),
    ]


def test_eu_fsf_legacy_xml(tmp_path: Path) -> None:
    path = tmp_path / "legacy.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<WHOLE>\n'
        '<ENTITY Id="13" Type="P" legal_basis="753/2011 (OJ L199)" reg_date="2011-08-02" programme="AFG">\n'
        '<NAME Id="17" Entity_id="13" legal_basis="753/2011 (OJ L199)" reg_date="2011-08-02" programme="AFG">'
        "<LASTNAME>Baradar</LASTNAME><FIRSTNAME>Abdul</FIRSTNAME><MIDDLENAME>Ghani</MIDDLENAME>"
        "<WHOLENAME>Abdul Ghani Baradar</WHOLENAME><GENDER>M</GENDER></NAME>\n"
        '<NAME Id="18" Entity_id="13"><LASTNAME></LASTNAME><FIRSTNAME></FIRSTNAME><MIDDLENAME></MIDDLENAME>'
        "<WHOLENAME>Mullah Brother</WHOLENAME></NAME>\n"
        "</ENTITY>\n</WHOLE>\n",
        encoding="utf-8",
    )
    assert parts(names_of(path), "EU-FSF:13") == [
        ("Abdul Ghani Baradar", "Abdul", "Ghani", "Baradar"),
        ("Mullah Brother", None, None, None),
    ]


def test_ofsi_conlist_csv(fixtures: Path) -> None:
    names = names_of(fixtures / "uk" / "hmt_conlist_cp1252.csv")
    assert parts(names, "UK-OFSI:13001") == [
        ("Omar Saleh AL-HASHEMI", "Omar", "Saleh", "AL-HASHEMI"),
        ("Umar Salih AL-HASHIMI", "Umar", "Salih", "AL-HASHIMI"),
    ]
    assert parts(names, "UK-OFSI:13003") == [("Jürg ZÜRCHER", "Jürg", None, "ZÜRCHER")]
    assert parts(names, "UK-OFSI:13002") == [("MÜLLER HANDELSGESELLSCHAFT MBH", None, None, None)]


def test_uk_sanctions_list_xml(fixtures: Path) -> None:
    names = names_of(fixtures / "uk" / "uk_sl_small.xml")
    assert ("UMAR SALIH AL-HASHIMI", "UMAR", "SALIH", "AL-HASHIMI") in parts(names, "UK-SL:AQD0950")
    ship = names.filter(pl.col("name") == "NORTH STAR")
    assert ship.select("given_name", "middle_name", "family_name").row(0) == (None, None, None)


def test_uk_sanctions_list_csv(tmp_path: Path) -> None:
    path = tmp_path / "uk_sl.csv"
    path.write_text(
        "Report Date: 01-Mar-2026\n"
        "Unique ID,OFSI Group ID,UN Reference Number,Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,"
        "Name type,Alias strength,Title,Regime Name,Designation Type\n"
        "RUS9002,16001,,VOLKOV,Dmitriy,Sergeyevich,,,,Primary Name,,,Russia,Individual\n"
        "RUS9003,16002,,SEVERNYY PUT OOO,,,,,,Primary Name,,,Russia,Entity\n",
        encoding="utf-8",
    )
    names = names_of(path)
    assert parts(names, "UK-SL:RUS9002") == [("Dmitriy Sergeyevich VOLKOV", "Dmitriy", "Sergeyevich", "VOLKOV")]
    assert parts(names, "UK-SL:RUS9003") == [("SEVERNYY PUT OOO", None, None, None)]


def test_ofac_sdn_csv(fixtures: Path) -> None:
    names = load_files(sorted((fixtures / "ofac-sdn").glob("*.csv"))).watchlist.names
    assert parts(names, "OFAC-SDN:7001") == [
        ("ABU UMAR", None, None, None),
        ("AL-HASHEMI, Omar Saleh", "Omar", "Saleh", "AL-HASHEMI"),
        ("AL-HASHIMI, Umar Salih", "Umar", "Salih", "AL-HASHIMI"),
    ]
    assert parts(names, "OFAC-SDN:7002") == [
        ("NORDLICHT HANDEL GMBH", None, None, None),
        ("NORDLICHT TRADING GMBH", None, None, None),
    ]


def test_ofac_sdn_xml(fixtures: Path) -> None:
    names = names_of(fixtures / "ofac-xml" / "sdn_small.xml")
    assert parts(names, "OFAC-SDN:7001") == [
        ("ABU UMAR", None, None, None),
        ("AL-HASHEMI, Omar Saleh", "Omar", "Saleh", "AL-HASHEMI"),
        ("AL-HASHIMI, Umar Salih", "Umar", "Salih", "AL-HASHIMI"),
    ]
    assert parts(names, "OFAC-SDN:7003") == [("NORTH STAR", None, None, None)]


def test_ofac_advanced_xml(fixtures: Path) -> None:
    names = names_of(fixtures / "ofac-advanced" / "advanced_small.xml")
    assert parts(names, "OFAC-SDN:8001") == [
        ("DIMA", "DIMA", None, None),
        ("VOLKOV, Dmitriy", "Dmitriy", None, "VOLKOV"),
    ]


def test_opensanctions_ftm(fixtures: Path) -> None:
    names = names_of(fixtures / "opensanctions" / "entities.ftm.json")
    uid = "OPENSANCTIONS:NK-test1"
    assert ("Dmitriy Volkov", "Dmitriy", "Sergeyevich", "Volkov") in parts(names, uid)
    assert ("Dima", None, None, None) in parts(names, uid)
