"""interdict validate: clean rows, rejected rows, summary.json; one message for unusable files."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from pipelines.cli import main

CUSTOMERS = (
    "customer_id,customer_type,full_name,given_name,family_name,date_of_birth,gender,nationality,country,"
    "id_type,id_number,opened_on\n"
    "C1,person,Anna Berg,Anna,Berg,1980-02-03,F,SE,SE,passport,P1,2020-01-01\n"
    "C2,person,Волков Иван,Иван,Волков,1975-05-06,M,RU,RU,,,2020-01-01\n"
    'C3,organization,"ACME, Ltd",,,,,,GB,registration,0123,2019-05-05\n'
    "C4,person,,,,1990-01-01,M,XX,SE,,,2020-01-01\n"
    "C5,person,Bo Ek\n"
)


def test_validate_writes_clean_rejected_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(CUSTOMERS, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["validate", str(source), "--kind", "customers", "--out", str(out), "--date", "2026-11-25"])
    assert code == 0
    assert capsys.readouterr().out.splitlines()[0] == "5 rows in, 3 loaded, 2 rejected"

    clean = pl.read_csv(out / "clean.csv", infer_schema=False)
    assert clean["customer_id"].to_list() == ["C1", "C2", "C3"]
    assert clean["row"].to_list() == ["2", "3", "4"]
    rejected = pl.read_csv(out / "rejected.csv", infer_schema=False)
    assert rejected.columns[0] == "row" and rejected.columns[-2:] == ["rule", "reason"]
    assert rejected.select("row", "customer_id", "rule").rows() == [
        ("5", "C4", "full_name_present;nationality_iso"),
        ("6", "C5", "well_formed_record"),
    ]
    assert rejected["reason"][1] == "line 6: 3 fields, expected 12"

    summary = json.loads((out / "summary.json").read_text())
    assert (summary["rows_in"], summary["rows_loaded"], summary["rows_rejected"]) == (5, 3, 2)
    assert summary["rejected_per_rule"] == {"full_name_present": 1, "nationality_iso": 1, "well_formed_record": 1}
    quality = summary["quality"]
    assert quality["share_persons_with_dob"] == 1.0
    assert quality["scripts"] == {"Cyrillic": 1}
    assert quality["swapped_looking_names"] == 1  # "Волков Иван" = family name first
    assert json.loads((out / "validation.json").read_text())["success"] is False
    assert "customers.csv.html" in (out / "data-docs" / "index.html").read_text()
    page = (out / "data-docs" / "customers.csv.html").read_text()
    assert "full_name is present" in page and "nationality_iso" in page
    assert "&#x27;XX&#x27;" in page  # the failing value, escaped


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,country\nAl,SE\n", "missing required columns 'customer_id', 'customer_type', 'full_name'"),
        ('customer_id,customer_type,full_name\n"C1,person,Al\n', "line 2: unterminated quoted field"),
    ],
)
def test_unusable_file_exits_non_zero_with_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(content, encoding="utf-8")
    code = main(["validate", str(source), "--kind", "customers", "--out", str(tmp_path / "out")])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"interdict validate: error: {source}: {err[0].split(': ', 3)[-1]}"]
    assert message in err[0] and "Traceback" not in err[0]


def test_dataset_refusal_still_writes_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "customers.csv"
    rows = "".join(f"C{i},person,Al Bo,,,03/02/1980,,,,,,\n" for i in range(12))
    source.write_text(CUSTOMERS.splitlines()[0] + "\n" + rows, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["validate", str(source), "--kind", "customers", "--out", str(out), "--no-docs"])
    assert code == 1
    assert "rule date_of_birth_format (column 'date_of_birth') fails on 12 of 12 rows" in capsys.readouterr().err
    assert "date_of_birth_format" in json.loads((out / "summary.json").read_text())["refused"]
