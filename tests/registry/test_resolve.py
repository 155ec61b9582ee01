"""Register screening end to end: fixtures and sample lists, the command line, bank matching."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.cli import main
from pipelines.lists import load_directory, sample_lists_dir
from pipelines.registry import OWNERSHIP_SOURCE, flagged_companies_as_watchlist, screen_register
from screening import screen
from screening.model import PARTY_SCHEMA, Watchlist, conform

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registry"
FLAG_COLUMNS = ["company_id", "company_name", "basis", "aggregate_share", "listed_parties", "evidence"]


@pytest.fixture(scope="module")
def watchlist() -> Watchlist:
    return load_directory(sample_lists_dir()).watchlist


def test_screen_register_writes_flags_and_hits(watchlist: Watchlist, tmp_path: Path) -> None:
    result = screen_register(FIXTURES, watchlist, tmp_path)
    flags = pl.read_parquet(result.flags_path)
    assert flags.columns[:6] == FLAG_COLUMNS
    basis = dict(zip(flags["company_id"], flags["basis"], strict=True))
    assert basis == {"01000001": "ownership", "01000002": "ownership", "SC100004": "control", "01000003": "possible"}
    assert result.flagged == {"ownership": 2, "control": 1, "possible": 1}
    chain = flags.filter(pl.col("company_id") == "01000002").row(0, named=True)
    assert chain["evidence"] == (
        "NORTHSEA TRADING LIMITED is more than 50% owned by NORTHSEA HOLDINGS LIMITED, which is blocked: "
        "75% or more owned by listed person VOLKOV, Dmitriy Sergeyevich (OFAC-SDN 50104)"
    )
    hits = pl.read_parquet(result.hits_path)
    # The officer's hit is reported but does not seed: an officer holds no shares.
    assert hits.filter(pl.col("record_kind") == "officer")["seed"].to_list() == [False]
    assert result.seeds == 2
    assert result.quarantined == pl.read_parquet(result.quarantine_path).height == 3


def test_threshold_is_configurable(watchlist: Watchlist, tmp_path: Path) -> None:
    result = screen_register(FIXTURES, watchlist, tmp_path, threshold=25.0)
    flags = pl.read_parquet(result.flags_path).filter(pl.col("basis") == "ownership")
    # 01000003 is more than 25 % held by a blocked company, and holds 30 % of the Danish company.
    assert sorted(flags["company_id"]) == ["01000001", "01000002", "01000003", "bods:e-1"]


def test_cli_writes_csv_with_the_agreed_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "flags.csv"
    code = main(["ownership", str(FIXTURES), "--lists", str(sample_lists_dir()), "--out", str(out)])
    assert code == 0
    flags = pl.read_csv(out, schema_overrides={"company_id": pl.String})
    assert flags.columns[:6] == FLAG_COLUMNS
    assert flags.filter(pl.col("basis") == "possible")["company_id"].to_list() == ["01000003"]
    assert "flagged: 1 control, 2 ownership, 1 possible" in capsys.readouterr().out


def test_cli_refuses_an_unknown_output_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ownership", str(FIXTURES), "--lists", str(sample_lists_dir()), "--out", str(tmp_path / "f.xlsx")])
    assert code == 1
    assert ".csv or .parquet" in capsys.readouterr().err


def test_bank_customers_matching_a_flagged_company_are_found(watchlist: Watchlist, tmp_path: Path) -> None:
    flags = pl.read_parquet(screen_register(FIXTURES, watchlist, tmp_path).flags_path)
    derived = flagged_companies_as_watchlist(flags)
    assert set(derived.entries["list_source"]) == {OWNERSHIP_SOURCE}
    assert derived.entries.filter(pl.col("entry_id") == "01000002")["asset_freeze"].to_list() == [True]
    assert derived.entries.filter(pl.col("entry_id") == "01000003")["asset_freeze"].to_list() == [False]
    customers = conform(
        pl.DataFrame(
            {
                "record_id": ["c1", "c2"],
                "name": ["Northsea Trading Ltd", "Riverside Bakery Ltd"],
                "entity_type": ["organization", "organization"],
            }
        ),
        PARTY_SCHEMA,
    )
    hits = screen(customers, Watchlist.concat([watchlist, derived]))
    found = hits.filter(pl.col("list_source") == OWNERSHIP_SOURCE)
    assert found["record_id"].to_list() == ["c1"]
    assert found["entry_id"].to_list() == ["01000002"]


def test_sample_register_flags_match_its_truth(watchlist: Watchlist, tmp_path: Path) -> None:
    import json

    from pipelines.samples.registry import generate_register

    written = generate_register(tmp_path / "register", watchlist, seed=11, companies=1200)
    again = generate_register(tmp_path / "again", watchlist, seed=11, companies=1200)
    for a, b in zip(written["files"], again["files"], strict=True):
        assert Path(a).read_bytes() == Path(b).read_bytes()  # deterministic
    truth = json.loads(Path(written["truth"]).read_text())
    result = screen_register(tmp_path / "register", watchlist, tmp_path / "out")
    flags = pl.read_parquet(result.flags_path)
    found = dict(zip(flags["company_id"], flags["basis"], strict=True))
    expected = {number: row["basis"] for number, row in truth["flagged"].items()}
    assert found == expected
    assert not set(truth["not_flagged"]) & set(found)
    assert {row["scenario"] for row in truth["flagged"].values()} >= {
        "direct", "chain", "aggregate", "band upper bound", "right to appoint directors", "ownership ring",
        "shared listed corporate owner", "subsidiary of a listed company",
    }  # fmt: skip
    assert result.quarantined == sum(truth["quarantined"].values())
