"""The night's watchlist: guarded publication, and the previous snapshot kept when lists are refused."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml

from pipelines.errors import ListError
from pipelines.lists import sample_lists_dir
from pipelines.localstore import ensure_buckets
from pipelines.nightly import Snapshot, prepare_watchlist
from pipelines.settings import PROJECT_ROOT, Settings


@pytest.fixture()
def settings(s3_home: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Settings with a lists bucket of this test's own, so snapshots start from nothing."""
    config = yaml.safe_load((PROJECT_ROOT / "infra" / "interdict.yml").read_text())
    config["buckets"]["lists"] = f"lists-{request.node.name.replace('_', '-')[:40].lower()}"
    path = tmp_path / "interdict.yml"
    path.write_text(yaml.safe_dump(config))
    base = Settings.from_env()
    configured = dataclasses.replace(base, config_path=path, list_sources_path=None)
    ensure_buckets(configured)
    return configured


def _lists(tmp_path: Path, *, truncate_un: bool = False, drop_un: bool = False) -> Path:
    folder = tmp_path / "lists"
    shutil.copytree(sample_lists_dir(), folder)
    un = folder / "un" / "consolidated.xml"
    if drop_un:
        shutil.rmtree(folder / "un")
    elif truncate_un:
        un.write_bytes(un.read_bytes()[: len(un.read_bytes()) // 2])
    return folder


SAMPLE_BOUNDS = PROJECT_ROOT / "pipelines" / "lists" / "sources-samples.yml"


def test_accepted_lists_become_the_snapshot(settings: Settings, tmp_path: Path) -> None:
    folder = prepare_watchlist("2026-05-01", settings)
    snapshot = Snapshot.open(folder)
    assert snapshot.meta["snapshot"]["status"] == "accepted"
    assert snapshot.meta["entries"] == {"OFAC-SDN": 21, "UN-SC": 10}
    assert {s["list_source"] for s in snapshot.meta["sources"]} == {"OFAC-SDN", "UN-SC"}
    assert all(s["raw"].startswith("s3://") for s in snapshot.meta["sources"])


def test_truncated_list_is_refused_and_previous_snapshot_stays(settings: Settings, tmp_path: Path) -> None:
    good = Snapshot.open(prepare_watchlist("2026-05-01", settings))
    broken = dataclasses.replace(
        settings, lists_dir=_lists(tmp_path, truncate_un=True), list_sources_path=SAMPLE_BOUNDS
    )
    night = Snapshot.open(prepare_watchlist("2026-05-02", broken))
    assert night.sha256 == good.sha256
    assert night.meta["snapshot"]["status"] == "refused"
    assert any("consolidated.xml" in p for p in night.meta["snapshot"]["refused_because"])
    assert night.watchlist().entries.height == good.watchlist().entries.height


def test_a_list_that_disappears_is_refused_by_the_drop_guard(settings: Settings, tmp_path: Path) -> None:
    good = Snapshot.open(prepare_watchlist("2026-05-01", settings))
    without_un = dataclasses.replace(
        settings, lists_dir=_lists(tmp_path, drop_un=True), list_sources_path=SAMPLE_BOUNDS
    )
    night = Snapshot.open(prepare_watchlist("2026-05-02", without_un))
    assert night.meta["snapshot"]["status"] == "refused"
    assert night.sha256 == good.sha256
    assert any("UN-SC" in p for p in night.meta["snapshot"]["refused_because"])


def test_refused_lists_without_an_earlier_snapshot_stop_the_night(settings: Settings, tmp_path: Path) -> None:
    broken = dataclasses.replace(
        settings, lists_dir=_lists(tmp_path, truncate_un=True), list_sources_path=SAMPLE_BOUNDS
    )
    with pytest.raises(ListError, match="no earlier snapshot"):
        prepare_watchlist("2026-05-01", broken)
