"""The data docs pages: each rule in words, on the provider's column, every value escaped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipelines.datadocs import describe, render_data_docs


def rule(kind: str, column: str | None = None, meta_column: str | None = None, rule_name: str = "r",
         **kwargs: Any) -> dict[str, Any]:
    level = "row" if column else "dataset"
    return {"type": kind, "kwargs": {"batch_id": "b", **({"column": column} if column else {}), **kwargs},
            "meta": {"rule": rule_name, "column": meta_column or column, "level": level}}


@pytest.mark.parametrize(
    ("expectation", "words"),
    [
        (rule("expect_column_values_to_be_between", "__date_of_birth", "date_of_birth",
              min_value=19000101.0, max_value=20261124.0),
         "date_of_birth is a real date from 1900-01-01 to 2026-11-24"),
        (rule("expect_column_values_to_be_between", "__dob_year", "dob_year", min_value=1900, max_value=2026),
         "dob_year is between 1900 and 2026"),
        (rule("expect_column_values_to_be_between", "__share_low", "share_low", min_value=0, max_value=100),
         "share_low is between 0 and 100"),
        (rule("expect_column_values_to_be_in_set", "__full_name__has_letter", "full_name", value_set=[True]),
         "full_name has a letter"),
        (rule("expect_column_values_to_be_in_set", "__ordered", "share_low", "share_bounds_ordered",
              value_set=[True]),
         "share bounds ordered"),
        (rule("expect_column_values_to_be_in_set", "gender", value_set=["M", "F"]), "gender is one of M, F"),
        (rule("expect_column_values_to_be_in_set", "country", value_set=[f"C{i}" for i in range(20)]),
         "country is one of 20 allowed values (C0, C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, …)"),
        (rule("expect_column_values_to_be_null", "_problem", "_problem"),
         "every record reads cleanly (quotes closed, the right number of fields, no NUL bytes)"),
        (rule("expect_column_value_lengths_to_be_between", "full_name", max_value=500),
         "full_name is at most 500 characters"),
        (rule("expect_table_row_count_to_be_between", min_value=1), "at least 1 row(s)"),
    ],
)
def test_each_rule_reads_in_words(expectation: dict[str, Any], words: str) -> None:
    assert describe(expectation) == words


def test_failing_values_are_escaped_and_helper_columns_left_out(tmp_path: Path) -> None:
    markup = "<img src=x onerror=alert(1)>"
    result = {
        "success": False, "suite_name": "customers", "meta": {"rows": 3},
        "statistics": {"evaluated_expectations": 2, "successful_expectations": 0},
        "results": [
            {"success": False, "expectation_config": rule("expect_column_values_to_be_in_set", "nationality",
                                                          value_set=["GB"], rule_name="nationality_iso"),
             "result": {"unexpected_count": 1, "unexpected_percent": 33.3,
                        "partial_unexpected_counts": [{"value": markup, "count": 1}]}},
            {"success": False, "expectation_config": rule("expect_column_values_to_be_between", "__date_of_birth",
                                                          "date_of_birth", min_value=19000101, max_value=20261124),
             "result": {"unexpected_count": 2, "partial_unexpected_counts": [{"value": 0, "count": 1},
                                                                               {"value": 20271230, "count": 1}]}},
            {"success": True, "expectation_config": rule("expect_table_columns_to_match_set",
                                                         column_set=["customer_id"]),
             "result": {"observed_value": ["customer_id", "__date_of_birth", "_problem"]}},
        ],
    }
    index = render_data_docs({"customers": result, "payments": {}}, tmp_path)
    page = (tmp_path / "customers.html").read_text(encoding="utf-8")
    assert markup not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "not a real date; 2027-12-30" in page
    assert "__date_of_birth" not in page and "_problem" not in page
    assert "columns found: customer_id" in page
    assert "refused before validation" in index.read_text(encoding="utf-8")
    assert "http" not in page.replace("http-equiv", "")  # nothing loaded from anywhere
