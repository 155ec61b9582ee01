"""validate(): suites per dataset, quarantine with reasons, dataset-level refusals, reconciliation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from expectations import SuiteContext
from pipelines.errors import ValidationFailed
from pipelines.extracts import read_extract
from pipelines.validation import DatasetRejected, to_parties, validate, validate_parties

TODAY = dt.date(2026, 11, 25)
CUSTOMER_COLUMNS = (
    "customer_id", "customer_type", "full_name", "given_name", "family_name", "date_of_birth", "gender",
    "nationality", "country", "id_type", "id_number", "opened_on",
)  # fmt: skip


def customers(*rows: tuple[str | None, ...]) -> pl.DataFrame:
    return pl.DataFrame(
        [dict(zip(CUSTOMER_COLUMNS, row, strict=True)) for row in rows],
        schema=dict.fromkeys(CUSTOMER_COLUMNS, pl.String),
    )


GOOD = ("C1", "person", "Anna Berg", "Anna", "Berg", "1980-02-03", "F", "SE", "SE", "passport", "P1", "2020-01-01")
ORG = ("C2", "organization", "ACME Ltd", None, None, None, None, None, "DE", "registration", "HRB 1", "2019-05-05")


def reasons(result: object) -> dict[str, str]:
    quarantine = result.quarantine  # type: ignore[attr-defined]
    return dict(zip(quarantine["customer_id"].to_list(), quarantine["rule"].to_list(), strict=True))


def test_clean_rows_pass_unchanged() -> None:
    frame = customers(GOOD, ORG)
    result = validate(frame, "customers", source="customers.csv", today=TODAY)
    assert result.quarantine.height == 0
    assert result.clean.drop("_row", "_problem").equals(frame)
    assert result.summary["rows_in"] == 2 and result.summary["rows_loaded"] == 2
    assert result.gx_results["success"] is True
    assert result.gx_results["meta"]["suite"] == "customers"


def test_row_failures_are_quarantined_with_every_failed_rule() -> None:
    frame = customers(
        GOOD,
        ("C3", "person", "  ", None, None, "1980-02-03", "M", "SE", "SE", None, None, None),
        ("C4", "person", "Bo Ek", None, None, "2027-01-01", "X", "XX", "SE", None, None, None),
        ("C5", "person", "12 345", None, None, "1899-12-31", None, "se", None, None, None, None),
        ("C6", "person", "Cy Ek", None, None, "2001-02-30", None, None, None, "licence", None, None),
        ("C7", "robot", "Di Ek", None, None, "03/02/1980", None, None, None, None, None, None),
        ("C1", "person", "Ed Ek", None, None, None, None, None, None, None, None, None),
        ORG,
    )
    result = validate(frame, "customers", source="customers.csv", today=TODAY)
    assert reasons(result) == {
        "C1": "customer_id_unique",
        "C3": "full_name_present",
        "C4": "date_of_birth_plausible;gender_valid;nationality_iso",
        "C5": "full_name_not_numeric;date_of_birth_plausible;nationality_iso",
        "C6": "date_of_birth_plausible;id_type_valid",
        "C7": "customer_type_valid;date_of_birth_format",
    }
    # both rows sharing an id are quarantined, with their own line numbers
    assert result.quarantine.filter(pl.col("customer_id") == "C1")["_row"].to_list() == [1, 7]
    c4 = result.quarantine.filter(pl.col("customer_id") == "C4")["reason"][0]
    assert "date_of_birth is not a real date, is before 1900-01-01 or after 2026-11-25: '2027-01-01'" in c4
    assert "nationality is not an ISO 3166 country code: 'XX'" in c4
    assert result.clean["customer_id"].to_list() == ["C2"]
    summary = result.summary
    assert (summary["rows_in"], summary["rows_loaded"], summary["rows_quarantined"]) == (8, 1, 7)
    assert summary["rules"]["customer_id_unique"] == 2
    assert summary["rules"]["nationality_iso"] == 2
    # the original value is kept in quarantine, not the normalised one
    assert result.quarantine.filter(pl.col("customer_id") == "C3")["full_name"].to_list() == ["  "]


def test_read_problems_become_quarantine_reasons(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("customer_id,customer_type,full_name\nC1,person,Al Bo\nC2,person\nC3,person,Cy Di\n")
    result = validate(read_extract(path, "customers"), "customers", source=str(path), today=TODAY)
    assert result.quarantine["customer_id"].to_list() == ["C2"]
    assert result.quarantine["rule"].to_list() == ["well_formed_record;full_name_present"]
    assert result.quarantine["reason"][0].startswith("line 3: 2 fields, expected 3; full_name is empty")
    assert result.quarantine["_row"].to_list() == [3]


def test_missing_required_column_refuses_the_extract() -> None:
    frame = pl.DataFrame({"customer_id": ["C1"], "name": ["Al"]})
    with pytest.raises(ValidationFailed) as error:
        validate(frame, "customers", source="s3://landing/bank-a/customers.csv", today=TODAY)
    message = str(error.value)
    assert message.startswith("s3://landing/bank-a/customers.csv: missing required columns")
    assert "'customer_type', 'full_name' (found: customer_id, name)" in message


def test_a_ninety_percent_drop_is_an_error_not_a_success() -> None:
    frame = customers(*[(f"C{i}", *GOOD[1:]) for i in range(10)])
    assert validate(frame, "customers", source="c.csv", previous_rows=99, today=TODAY).summary["rows_loaded"] == 10
    with pytest.raises(DatasetRejected) as error:
        validate(frame, "customers", source="c.csv", previous_rows=100, today=TODAY)
    assert "previous night's 100 rows" in str(error.value)
    assert "(this extract: 10 rows)" in str(error.value)
    assert error.value.gx_results["success"] is False


def test_an_empty_customer_extract_is_refused_an_empty_payment_day_is_not() -> None:
    with pytest.raises(DatasetRejected, match="fewer than 1 rows"):
        validate(customers(), "customers", source="c.csv", today=TODAY)
    payments = pl.DataFrame(schema=dict.fromkeys(["payment_id", "ordering_name", "beneficiary_name"], pl.String))
    assert validate(payments, "payments", source="p.csv", today=TODAY).summary["rows_in"] == 0


def test_a_rule_failing_on_most_rows_is_a_systematic_problem() -> None:
    frame = customers(*[(f"C{i}", "person", "Al Bo", None, None, "03/02/1980", *GOOD[6:]) for i in range(12)])
    with pytest.raises(DatasetRejected) as error:
        validate(frame, "customers", source="c.csv", today=TODAY)
    message = str(error.value)
    assert "c.csv: rule date_of_birth_format (column 'date_of_birth') fails on 12 of 12 rows (100%)" in message
    assert "rows 1, 2, 3" in message and "'03/02/1980'" in message
    result = validate(frame, "customers", source="c.csv", today=TODAY, max_rejected_share=None)
    assert result.summary["rows_quarantined"] == 12


def test_payments_suite() -> None:
    columns = ("payment_id", "value_date", "amount", "currency", "ordering_name", "ordering_country",
               "beneficiary_name", "beneficiary_country", "beneficiary_bic")  # fmt: skip
    rows = [
        ("P1", "2026-11-24", "1250.00", "EUR", "Al Bo", "DE", "ACME", "FR", "BNPAFRPPXXX"),
        ("P2", "2026-11-24", "-5", "EURO", "Al Bo", "DE", "ACME", "FR", "BNPA"),
        ("P3", "24.11.2026", "1,5", "EUR", "", "DE", "ACME", "FR", None),
    ]
    frame = pl.DataFrame([dict(zip(columns, r, strict=True)) for r in rows])
    result = validate(frame, "payments", source="p.csv", today=TODAY)
    rules = dict(zip(result.quarantine["payment_id"], result.quarantine["rule"], strict=True))
    assert rules == {
        "P2": "amount_positive;currency_format;beneficiary_bic_format",
        "P3": "value_date_format;amount_numeric;ordering_name_present",
    }


def test_to_parties_maps_customers_and_payments() -> None:
    clean = customers(GOOD, ORG, ("C9", "person", None, "Li", "Wei", None, "m", None, "cn", None, None, None))
    parties = to_parties(clean, "customers")
    assert parties.columns == ["record_id", "name", "entity_type", "dob", "country", "id_number", "gender"]
    assert parties.rows() == [
        ("customer:C1", "Anna Berg", "person", "1980-02-03", "SE", "P1", "female"),
        ("customer:C2", "ACME Ltd", "organization", None, "DE", "HRB 1", None),
        ("customer:C9", "Li Wei", "person", None, "CN", None, "male"),
    ]
    payments = pl.DataFrame(
        {
            "payment_id": ["P1", "P2"],
            "ordering_name": ["Al\nBo", "Cy"],
            "ordering_country": ["DE", None],
            "beneficiary_name": ["ACME", "Di"],
            "beneficiary_country": ["fr", "GB"],
        }
    )
    assert to_parties(payments, "payments").select("record_id", "name", "entity_type", "country").rows() == [
        ("payment:P1:ordering", "Al Bo", "unknown", "DE"),
        ("payment:P1:beneficiary", "ACME", "unknown", "FR"),
        ("payment:P2:ordering", "Cy", "unknown", None),
        ("payment:P2:beneficiary", "Di", "unknown", "GB"),
    ]


def test_party_gate_rejects_rows_never_the_file() -> None:
    frame = pl.DataFrame(
        {
            "record_id": ["r1", "r2", "r3", "r4"],
            "name": ["Al Bo", "", "Cy", "Di"],
            "entity_type": ["person", "person", "ship", "organization"],
            "dob": ["1970", None, None, "1970-13"],
        }
    )
    result = validate_parties(frame, source="parties.csv", today=TODAY)
    assert result.clean["record_id"].to_list() == ["r1"]
    assert result.quarantine["rule"].to_list() == ["name_present", "entity_type_valid", "dob_format"]
    with pytest.raises(ValidationFailed, match="missing required column 'entity_type'"):
        validate_parties(frame.drop("entity_type"), source="parties.csv")


def test_register_file_suites() -> None:
    companies = pl.DataFrame(
        {
            "CompanyName": ["! LTD", "ACME LIMITED", "12345"],
            "CompanyNumber": ["08209948", "SC12345", "OC301234"],
            "CompanyStatus": ["Active", "Active", None],
            "IncorporationDate": ["11/09/2012", "31/02/2001", "2001-01-01"],
        }
    )
    result = validate(companies, "companies", source="BasicCompanyData.csv", today=TODAY)
    assert result.quarantine["rule"].to_list() == [
        "company_number_format;incorporation_date_plausible",
        "company_name_not_numeric;company_status_present;incorporation_date_format",
    ]
    psc = pl.DataFrame(
        {
            "company_number": ["08209948", "08209948", "06452920"],
            "kind": [
                "individual-person-with-significant-control",
                "persons-with-significant-control-statement",
                "corporate-entity-person-with-significant-control",
            ],
            "name": ["Mr Marc Feldman", None, None],
            "date_of_birth.year": ["1961", None, None],
            "natures_of_control": [
                "ownership-of-shares-75-to-100-percent",
                None,
                "ownership-of-shares-75-to-50-percent",
            ],
            "notified_on": ["2021-12-13", "2016-09-11", "2016-04-06"],
        }
    )
    result = validate(psc, "psc", source="psc.jsonl", today=TODAY)
    assert result.quarantine["_row"].to_list() == [3]
    assert result.quarantine["rule"].to_list() == ["name_present;share_band_ordered"]


def test_harmonised_register_and_list_tables() -> None:
    edges = pl.DataFrame(
        {
            "owner_id": ["p1", "p2", "c3"],
            "owned_id": ["c1", "c1", "c3"],
            "share_low": [25.0, 75.0, 50.0],
            "share_high": [50.0, 150.0, 75.0],
            "natures": [["ownership-of-shares-25-to-50-percent"], [], None],
        }
    )
    result = validate(edges, "ownership", source="edges", today=TODAY)
    assert result.quarantine["rule"].to_list() == ["share_high_range", "owner_not_owned"]
    entries = pl.DataFrame(
        {
            "uid": ["ofac:1", "ofac:1", "un:QDi.001"],
            "list_source": ["ofac", "ofac", "un"],
            "entry_id": ["1", "1", "QDi.001"],
            "entity_type": ["person", "person", "individual"],
            "primary_name": ["Al Bo", "Al Bo", "Cy Di"],
            "listed_on": [dt.date(2001, 9, 23), dt.date(2001, 9, 23), None],
            "programs": [["SDGT"], ["SDGT"], []],
        }
    )
    result = validate(entries, "list_entries", source="watchlist", today=TODAY)
    assert result.quarantine["rule"].to_list() == ["uid_unique", "uid_unique", "entity_type_valid"]


def test_real_companies_house_files(shared_data: Path) -> None:
    folder = shared_data / "registry" / "gb-companies-house-bods-uk-psc-pipeline"
    companies = read_extract(folder / "basic-company-data-1.unwrapped.csv", "companies")
    result = validate(companies, "companies", source="basic-company-data-1.csv", today=TODAY)
    assert result.summary["rows_in"] == result.summary["rows_loaded"] + result.summary["rows_quarantined"]
    assert result.summary["rows_loaded"] >= 1
    psc = read_extract(folder / "psc-data-1.json", "psc")
    result = validate(psc, "psc", source="psc-data-1.json", today=TODAY)
    assert result.summary == result.summary | {"rows_in": 2, "rows_loaded": 2, "rows_quarantined": 0}


@pytest.mark.parametrize(
    "kind", ["officers", "register_companies", "register_persons", "register_officers", "list_names"]
)
def test_every_suite_runs_on_a_minimal_extract(kind: str) -> None:
    from expectations import spec

    dataset = spec(kind)
    frame = pl.DataFrame({c: ["Ab"] for c in dataset.required} | {c: [None] for c in dataset.optional})
    result = validate(frame.cast(pl.String), kind, source=kind, today=TODAY, max_rejected_share=None)
    assert result.summary["rows_in"] == 1
    assert result.summary["rules_checked"] == len(dataset.expectations(SuiteContext(today="2026-11-25")))


def test_column_batches_give_the_same_result() -> None:
    frame = customers(
        GOOD,
        ("C3", "person", "12", None, None, "2027-01-01", "X", "XX", "SE", None, None, None),
        ("C1", "robot", "Ed Ek", None, None, "1980-02-30", None, None, None, None, None, None),
        ORG,
    )
    whole = validate(frame, "customers", source="c.csv", today=TODAY, column_batches=False)
    split = validate(frame, "customers", source="c.csv", today=TODAY, column_batches=True)
    assert split.quarantine.equals(whole.quarantine)
    assert split.summary == whole.summary
    assert [r["expectation_config"]["meta"]["rule"] for r in split.gx_results["results"]] == [
        r["expectation_config"]["meta"]["rule"] for r in whole.gx_results["results"]
    ]


def test_party_dates_of_birth_must_be_plausible() -> None:
    frame = pl.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "name": ["Al", "Bo", "Cy"],
            "entity_type": ["Person"] * 3,
            "dob": ["1970", "2999-01", "1850-02-03"],
        }
    )
    result = validate_parties(frame, source="parties.csv", today=TODAY)
    assert result.quarantine["rule"].to_list() == ["dob_plausible", "dob_plausible"]
    assert result.quarantine["reason"][0] == "dob is before 1900 or after 2026: '2999-01'"


def test_data_docs_pages_are_the_same_bytes_every_time(tmp_path: Path) -> None:
    from pipelines.validation import render_data_docs

    result = validate(customers(GOOD, ORG, ("C3", "person", "", "", "", "1980-02-03", "F", "XX", "SE", "", "", "")),
                      "customers", source="customers.csv", today=TODAY)
    first = render_data_docs({"customers": result.gx_results}, tmp_path / "a")
    second = render_data_docs({"customers": result.gx_results}, tmp_path / "b")
    pages = sorted(p.name for p in first.parent.glob("*.html"))
    assert pages == ["customers.html", "index.html"]
    for name in pages:
        assert (first.parent / name).read_bytes() == (second.parent / name).read_bytes(), name
    assert "failed" in first.read_text()
