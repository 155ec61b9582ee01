"""The one CSV writer: flat cells, control characters escaped, spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import InputError
from pipelines.tables import escape_controls, neutralise_formulas, write_csv, write_table


def test_spreadsheet_formulas_are_neutralised() -> None:
    frame = pl.DataFrame({"name": ["=HYPERLINK('x')", "+1", "@SUM(A1)", "-2", "\tx", "\rx", "Plain", "a=b"],
                          "n": range(8)})
    assert neutralise_formulas(frame)["name"].to_list() == [
        "'=HYPERLINK('x')", "'+1", "'@SUM(A1)", "'-2", "'\tx", "'\rx", "Plain", "a=b"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("customer:1\x00", "customer:1\\x00"), ("\x1b[2Jx", "\\x1b[2Jx"), ("a\x7fb\x85", "a\\x7fb\\x85"),
     ("two\nlines\tand tab\r\n", "two\nlines\tand tab\r\n"), ("Zürich", "Zürich")],
)
def test_control_characters_are_escaped_visibly(value: str, shown: str) -> None:
    assert escape_controls(value) == shown


def test_every_csv_cell_is_safe_and_parquet_is_left_as_it_is(tmp_path: Path) -> None:
    frame = pl.DataFrame({
        "name": ["=cmd|' /C calc'!A0", "\x00-2", "ok, quoted\nline", None],
        "aliases": [["-a", "b"], [], None, ["=c"]],
        "detail": [{"k": "=v"}, {"k": None}, {"k": "x"}, {"k": "y"}],
        "score": [1.0, -2.0, 0.5, 0.0],
    })
    rows = list(csv.reader(write_csv(frame, tmp_path / "out" / "t.csv").open(encoding="utf-8", newline="")))
    assert rows[0] == ["name", "aliases", "detail", "score"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "'-a; b", '{"k":"=v"}', "1.0"]
    assert rows[2][:2] == ["\\x00-2", ""] and rows[2][3] == "-2.0"  # numbers are numbers, not formulas
    assert rows[3][0] == "ok, quoted\nline" and rows[4][1] == "'=c"
    assert write_table(frame, tmp_path / "t.csv").read_bytes() == (tmp_path / "out" / "t.csv").read_bytes()
    assert pl.read_parquet(write_table(frame, tmp_path / "t.parquet")).equals(frame)
    with pytest.raises(InputError):
        write_table(frame, tmp_path / "t.xlsx")
