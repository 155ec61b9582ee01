"""``interdict screen`` end to end on the sample lists shipped with the package."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.cli import main
from pipelines.lists import sample_lists_dir


@pytest.mark.slow
def test_screen_writes_hits_and_rejected_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = pl.read_csv(sample_lists_dir() / "ofac" / "sdn.csv", has_header=False, n_rows=1)
    listed = str(sample[0, 1])
    parties = tmp_path / "parties.csv"
    pl.DataFrame(
        {
            "record_id": ["1", "2", "3"],
            "name": [listed.lower(), "Jane Ordinary", ""],
            "entity_type": ["unknown", "person", "person"],
        }
    ).write_csv(parties)
    out = tmp_path / "hits.csv"
    assert main(["screen", str(parties), "--lists", str(sample_lists_dir()), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "3 rows in, 2 screened, 1 rejected" in printed
    hits = pl.read_csv(out, infer_schema=False)
    # The core columns keep their positions; the party's name comes last.
    assert hits.columns == [
        "record_id", "list_source", "entry_id", "score", "matched_name", "explanation", "party_name"]
    assert hits["party_name"].to_list() == [listed.lower()] * hits.height
    assert set(hits["record_id"].to_list()) == {"1"}
    assert (tmp_path / "hits.csv.rejected.csv").exists()


def test_missing_required_column_is_an_error(tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    pl.DataFrame({"record_id": ["1"], "name": ["x"]}).write_csv(parties)
    code = main(["screen", str(parties), "--lists", str(sample_lists_dir()), "--out", str(tmp_path / "h.csv")])
    assert code == 1


@pytest.mark.slow
def test_windows_1252_semicolon_export_is_read_with_its_line_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = pl.read_csv(sample_lists_dir() / "ofac" / "sdn.csv", has_header=False, n_rows=1)
    listed = str(sample[0, 1])
    parties = tmp_path / "export.csv"
    parties.write_bytes(
        f"record_id;name;entity_type\r\n1;José García;person\r\n2;{listed};unknown\r\n3;;person\r\n".encode("cp1252")
    )
    out = tmp_path / "hits.csv"
    assert main(["screen", str(parties), "--lists", str(sample_lists_dir()), "--out", str(out)]) == 0
    assert "3 rows in, 2 screened, 1 rejected" in capsys.readouterr().out
    assert set(pl.read_csv(out, infer_schema=False)["record_id"]) == {"2"}
    rejected = pl.read_csv(tmp_path / "hits.csv.rejected.csv", infer_schema=False)
    assert rejected["_row"].to_list() == ["4"]
