"""``interdict check``: one name against the sample lists, answered and explained, cached, audited."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipelines.check import CheckError, Query, check, lists_source, night_snapshot, open_index, snapshot_source
from pipelines.cli import main
from pipelines.lists import load_directory, sample_lists_dir
from screening import ScreeningConfig
from screening.model import Watchlist


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INTERDICT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def audit_lines(home: Path) -> list[dict[str, object]]:
    path = home / "audit" / "check.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_listed_name_with_a_typo_is_found_and_explained(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # KIM, Chol Nam is on the sample OFAC list (50106) and the sample UN list; one letter doubled.
    argv = ["check", "Kim Chol Namm", "--type", "person", "--lists", str(sample_lists_dir())]
    assert main([*argv, "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["hit"] is True and answer["cached"] is False
    best = answer["candidates"][0]
    assert best["uid"] in {"OFAC-SDN:50106", "UN-SC:KPi.091"} and best["hit"] is True
    assert best["score"] >= best["threshold"] == 0.86
    assert "KIM" in best["reason"].upper() and "Kim Chol Namm" in best["reason"]
    assert {c["uid"] for c in answer["candidates"] if c["hit"]} == {"OFAC-SDN:50106", "UN-SC:KPi.091"}

    # The second check reads the prepared lists back from the cache and prints a table.
    assert main(argv) == 0
    table = capsys.readouterr().out
    assert "HIT" in table and "OFAC-SDN" in table and "why: name 'Kim Chol Namm'" in table
    assert "from the cache" in table

    lines = audit_lines(home)
    assert len(lines) == 2
    assert lines[0]["outcome"] == "hit" and lines[0]["via"] == "cli" and lines[0]["user"]
    assert lines[0]["query"] == {"name": "Kim Chol Namm", "entity_type": "person", "dob": None, "country": None,
                                 "id_number": None}
    assert str(lines[0]["time"]).endswith("+00:00")


def test_a_name_far_from_every_list_name_is_no_hit(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "Margaret Ellison", "--lists", str(sample_lists_dir()), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["hit"] is False
    assert all(not c["hit"] for c in answer["candidates"])
    assert audit_lines(home)[0]["outcome"] == "no hit"


def test_a_conflicting_date_of_birth_lowers_the_score(home: Path) -> None:
    index = open_index(lists_source(sample_lists_dir()), ScreeningConfig(workers=1), None)
    plain = check(index, Query("Kim Chol Nam", "person"))
    conflicting = check(index, Query("Kim Chol Nam", "person", dob="1990-01-01"))
    by_uid = {c.uid: c for c in conflicting.candidates}
    best = plain.candidates[0]
    assert by_uid[best.uid].score < best.score
    assert "conflicts" in by_uid[best.uid].reason


@pytest.mark.parametrize(
    ("name", "problem"), [("   ", "empty"), ("12345", "no letter"), ("x" * 501, "longer than 500")]
)
def test_what_is_not_a_name_is_refused(home: Path, name: str, problem: str, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    assert main(["check", name, "--lists", str(sample_lists_dir())]) == 1
    assert problem in capsys.readouterr().err


def test_the_nights_snapshot_is_the_default_and_a_newer_night_wins(home: Path, tmp_path: Path) -> None:
    with pytest.raises(CheckError, match="pass --lists DIR"):
        night_snapshot(home)
    with pytest.raises(CheckError, match="not a date"):
        night_snapshot(home, "../../etc")
    watchlist = load_directory(sample_lists_dir()).watchlist
    for night, keep in (("2026-03-01", watchlist.entries.height), ("2026-03-02", 3)):
        folder = home / "runs" / night / "watchlist"
        folder.mkdir(parents=True)
        uids = watchlist.entries["uid"].head(keep).implode()
        for table in Watchlist.TABLES:
            getattr(watchlist, table).filter(pl.col("uid").is_in(uids)).write_parquet(folder / f"{table}.parquet")
        (folder / "snapshot.json").write_text(json.dumps({"sha256": night.replace("-", "") * 4}), encoding="utf-8")
    latest = snapshot_source(night_snapshot(home))
    assert "2026-03-02" in latest.description
    assert open_index(latest, ScreeningConfig(workers=1), None).entry_count == 3
    earlier = snapshot_source(night_snapshot(home, "2026-03-01"))
    assert open_index(earlier, ScreeningConfig(workers=1), None).entry_count == watchlist.entries.height
    assert earlier.digest != latest.digest


def test_changed_lists_are_not_answered_from_the_cache(home: Path, tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    shutil.copytree(sample_lists_dir(), lists)
    cache = tmp_path / "cache"
    first = open_index(lists_source(lists), ScreeningConfig(workers=1), cache)
    again = open_index(lists_source(lists), ScreeningConfig(workers=1), cache)
    assert (first.from_cache, again.from_cache) == (False, True)
    un = next(lists.rglob("*.xml"))
    un.unlink()
    changed = open_index(lists_source(lists), ScreeningConfig(workers=1), cache)
    assert not changed.from_cache and changed.entry_count < first.entry_count
