"""Register loaders on our own fixtures and on the real shared samples."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import InputError
from pipelines.registry import Register, detect, load_register
from pipelines.registry.bods import share_bounds
from pipelines.registry.companies_house import natures_to_holding, parse_date
from pipelines.registry.model import company_number

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registry"


@pytest.fixture(scope="module")
def register() -> Register:
    return load_register(FIXTURES)


def edge(register: Register, owner: str, owned: str) -> dict[str, object]:
    rows = register.graph_edges().filter((pl.col("owner_id") == owner) & (pl.col("owned_id") == owned))
    assert rows.height == 1, f"no edge {owner} -> {owned}"
    return rows.row(0, named=True)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("ch/BasicCompanyData-2026-01-01-part1_1.csv", "companies-csv"),
        ("ch/psc-snapshot-2026-01-01.txt", "psc"),
        ("ch/officers.csv", "officers-csv"),
        ("bods/statements-0.2.jsonl", "bods"),
        ("bods/package-0.4.json", "bods"),
        ("lei.xml", "gleif-lei"),
        ("rr.xml", "gleif-rr"),
        ("README.txt", None),
    ],
)
def test_formats_are_recognised_by_content(name: str, fmt: str | None) -> None:
    assert detect(FIXTURES / name) == fmt


@pytest.mark.parametrize(
    ("natures", "expected"),
    [
        (["ownership-of-shares-25-to-50-percent"], (25.0, 50.0, [])),
        (["ownership-of-shares-50-to-75-percent", "voting-rights-50-to-75-percent"], (50.0, 75.0, ["voting-majority"])),
        (["ownership-of-shares-75-to-100-percent-as-trust"], (75.0, 100.0, [])),
        (["ownership-of-shares-more-than-25-percent-registered-overseas-entity"], (25.0, 100.0, [])),
        (["voting-rights-25-to-50-percent"], (None, None, [])),
        (["right-to-appoint-and-remove-directors-as-firm"], (None, None, ["appoint-directors"])),
        (["significant-influence-or-control"], (None, None, ["significant-influence"])),
    ],
)
def test_natures_of_control(natures: list[str], expected: tuple[object, ...]) -> None:
    assert natures_to_holding(natures) == expected


@pytest.mark.parametrize(
    ("share", "bounds"),
    [
        ({"exact": 26.15}, (26.15, 26.15)),
        ({"minimum": 75, "exclusiveMaximum": 100}, (75.0, 100.0)),
        ({"exclusiveMinimum": 25, "exclusiveMaximum": 50}, (25.0, 50.0)),
        ({"minimum": 10}, (10.0, 100.0)),
        ({}, (None, None)),
    ],
)
def test_bods_share_bounds(share: dict[str, float], bounds: tuple[object, object]) -> None:
    assert share_bounds(share) == bounds


def test_dates_and_company_numbers() -> None:
    assert parse_date("11/09/2012") == "2012-09-11"
    assert parse_date("2019-09-11T11:17:23Z") == "2019-09-11"
    assert parse_date("31/02/2019") == "31/02/2019"  # kept for the quarantine to show
    assert company_number(" 686734 ") == "00686734"
    assert company_number("sc100004") == "SC100004"


def test_companies_house_files(register: Register) -> None:
    companies = register.companies.filter(pl.col("company_id") == "01000001").row(0, named=True)
    assert companies["company_name"] == "NORTHSEA HOLDINGS LIMITED"
    assert companies["incorporated_on"] == "2010-03-02"
    assert companies["country"] == "GB"
    # The corporate PSC's registration number "1000001" joins the register company 01000001.
    assert edge(register, "01000001", "01000002")["share_low"] == 50.0
    volkov = register.persons.filter(pl.col("person_id") == "psc:01000001/AAA111").row(0, named=True)
    assert (volkov["dob"], volkov["nationality"], volkov["country"]) == ("1971-05", "RU", "CY")
    assert edge(register, "psc:SC100004/EEE555", "SC100004")["control"] == ["appoint-directors"]
    officers = register.officers.sort("officer_id")
    assert officers["officer_id"].to_list() == ["OF1", "OF2"]
    assert officers.row(0, named=True)["dob"] == "1971-05"


def test_bods_versions(register: Register) -> None:
    # 0.2: the ended interest is left out; the GB-COH entity joins the register number.
    assert edge(register, "01000003", "bods:e-1")["share_low"] == 30.0
    lars = edge(register, "bods:p-1", "bods:e-1")
    assert (lars["share_low"], lars["control"]) == (26.15, ["voting-majority"])  # replaced 99 % statement gone
    # 0.4: the latest statement of a record wins; indirect and closed interests are left out.
    kari = edge(register, "bods:per-1", "bods:ent-a")
    assert (kari["share_low"], kari["share_high"], kari["control"]) == (25.0, 50.0, ["appoint-directors"])


def test_gleif_consolidation_joins_the_register(register: Register) -> None:
    parent = edge(register, "lei:529900BBBBBBBBBBBB02", "01000001")
    assert parent["control"] == ["consolidated-by-parent"] and parent["share_low"] is None


def test_quarantine_keeps_every_row(register: Register) -> None:
    for table, rows_in in register.rows_in.items():
        quarantined = register.quarantine.filter(pl.col("table") == table).height
        assert rows_in == getattr(register, table).height + quarantined
    reasons = dict(zip(register.quarantine["source"], register.quarantine["reason"], strict=True))
    assert "company number is not 8 characters" in reasons["BasicCompanyData-2026-01-01-part1_1.csv:6"]
    assert reasons["BasicCompanyData-2026-01-01-part1_1.csv:7"] == "incorporation date is not a date"
    assert reasons["officers.csv:4"] == "resigned before appointment"
    assert register.skipped["ceased"] == 1
    assert register.skipped["malformed JSON line (psc-snapshot-2026-01-01.txt:8)"] == 1
    assert register.unsupported == ["README.txt"]


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_register(tmp_path / "absent")


@pytest.mark.shared_data
def test_real_companies_house_and_psc_samples(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / "registry" / "gb-companies-house-bods-uk-psc-pipeline"
    for path in source.iterdir():
        if path.name != "basic-company-data-1.csv":  # hard-wrapped as stored: not a CSV
            (tmp_path / path.name).symlink_to(path)
    register = load_register(tmp_path)
    assert register.files["basic-company-data-1.unwrapped.csv"] == "companies-csv"
    assert register.files["psc-data-1.json"] == "psc"
    assert register.companies.filter(pl.col("company_id") == "08209948")["company_name"][0] == "! LTD"
    # Robert Hitchins Limited, UK-registered 00686734, owns 75-100 % of 07434180.
    owner = edge(register, "00686734", "07434180")
    assert (owner["share_low"], owner["share_high"]) == (75.0, 100.0)
    assert register.skipped["ceased"] == 1
    assert register.quarantine.is_empty()


@pytest.mark.shared_data
def test_real_bods_and_gleif_samples(shared_data: Path, tmp_path: Path) -> None:
    for folder in ("bods-0.2-oo-register-bodsdata", "bods-0.4-examples-data-standard", "gleif-lei-rr-bodspipelines"):
        for path in (shared_data / "registry" / folder).iterdir():
            (tmp_path / f"{folder}-{path.name}").symlink_to(path)
    register = load_register(tmp_path)
    assert set(register.files.values()) == {"bods", "gleif-lei", "gleif-rr"}
    # tecido.json: Shear Trust's holding in Tecido Ltd was updated to 80 %; Maria Esteves's was closed.
    shear = edge(register, "bods:033E84672B", "bods:01B68D7633")
    assert shear["share_low"] == 80.0
    graph = register.graph_edges()
    assert graph.filter(pl.col("owner_id") == "bods:018AF6B3EB").is_empty()
    assert register.companies.filter(pl.col("company_id") == "02723534")["company_name"][0] == "AstraZeneca PLC"
    assert graph.filter(pl.col("control").list.contains("consolidated-by-parent")).height == 1
