"""``interdict screen`` end to end on the sample lists shipped with the package."""

from __future__ import annotations

import shutil
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


def test_a_wrong_output_type_is_refused_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text("record_id,name,entity_type\n1,Jane Ordinary,person\n", encoding="utf-8")
    # The lists folder does not even exist: the output's type is refused first.
    code = main(["screen", str(parties), "--lists", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o.xlsx")])
    assert code == 1
    assert "--out must end in .csv or .parquet, not '.xlsx'" in capsys.readouterr().err
    assert not (tmp_path / "o.xlsx").exists()


def test_a_header_only_file_is_refused_before_the_lists_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parties = tmp_path / "parties.csv"
    parties.write_text("record_id,name,entity_type\n", encoding="utf-8")
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "notes.txt").write_text("not a list\n", encoding="utf-8")  # reading it would fail
    code = main(["screen", str(parties), "--lists", str(lists), "--out", str(tmp_path / "h.csv")])
    assert code == 1
    err = capsys.readouterr().err
    assert "no records: the file has a header but no rows" in err and "sanctions list" not in err


@pytest.mark.slow
def test_the_summary_names_every_file_it_wrote_and_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lists = tmp_path / "lists"
    shutil.copytree(sample_lists_dir(), lists)
    (lists / "README.md").write_text("where these lists came from\n", encoding="utf-8")
    parties = tmp_path / "parties.csv"
    parties.write_text("record_id,name,entity_type\n1,Kim Chol Nam,person\n2,,person\n", encoding="utf-8")
    out = tmp_path / "hits.parquet"
    assert main(["screen", str(parties), "--lists", str(lists), "--out", str(out), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""  # --quiet: no progress
    lines = captured.out.splitlines()
    assert lines[0] == f"2 rows in, 1 screened, 1 rejected -> {out}.rejected.csv (each row with its reason)"
    assert f"warning: skipped 1 file(s) in {lists} that are not sanctions lists: README.md" in lines
    assert lines[-1].startswith(f"2 hits for 1 parties -> {out}")
    assert pl.read_parquet(out)["party_name"].to_list() == ["Kim Chol Nam", "Kim Chol Nam"]


def test_progress_reports_parties_per_second_and_time_left() -> None:
    import io

    from pipelines.cli.progress import Progress

    stream = io.StringIO()
    with Progress(100, "screening", "parties", stream=stream) as progress:
        for _ in range(4):
            progress.advance(25)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 4 and lines[-1].startswith("screening: 100 of 100 parties (")
    assert all("/s, about " in line and line.endswith(" left)") for line in lines)
    quiet = io.StringIO()
    with Progress(100, "screening", "parties", stream=quiet, quiet=True) as progress:
        progress.advance(100)
    assert quiet.getvalue() == ""
