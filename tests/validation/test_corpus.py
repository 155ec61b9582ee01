"""Every file of the malformed corpus gives rows, a refusal or one clear error — never a crash or a
silent drop (tests/fixtures/malformed/cases.csv)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from pipelines.errors import InputError, ValidationFailed
from pipelines.extracts import read_extract
from pipelines.validation import validate

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "malformed"
CASES = list(csv.DictReader((CORPUS / "cases.csv").open(encoding="utf-8")))


def test_every_corpus_file_has_a_case() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.name not in ("cases.csv", "make_corpus.py", "README.md")}
    assert files == {case["file"] for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_corpus_case(case: dict[str, str]) -> None:
    path = CORPUS / case["file"]
    if case["outcome"] == "error":
        with pytest.raises(InputError) as error:
            read_extract(path, case["kind"])
        assert str(error.value).startswith(f"{path}: ")
        assert case["message"] in str(error.value)
        return
    frame = read_extract(path, case["kind"])
    assert frame.height == int(case["rows"])
    assert frame["_problem"].drop_nulls().len() == int(case["problems"])
    if case["first_name"]:
        name_column = "name" if case["kind"] == "psc" else "full_name"
        expected = re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), case["first_name"])
        assert frame[name_column][0] == expected
    if case["outcome"] == "refused":
        with pytest.raises(ValidationFailed, match=case["message"]):
            validate(frame, case["kind"], source=case["file"], today=dt.date(2026, 11, 25))
        return
    if not int(case["quarantined"]):
        return  # nothing to quarantine; validating every clean file would cost half a second each
    result = validate(frame, case["kind"], source=case["file"], today=dt.date(2026, 11, 25), max_rejected_share=None)
    summary = result.summary
    assert summary["rows_in"] == frame.height == summary["rows_loaded"] + summary["rows_quarantined"]
    assert summary["rows_quarantined"] == int(case["quarantined"])
    # every read problem is quarantined with that problem as (part of) its reason
    problems = set(frame["_problem"].drop_nulls())
    reasons = " | ".join(result.quarantine["reason"].to_list())
    assert all(problem in reasons for problem in problems)
