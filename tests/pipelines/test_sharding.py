"""Sharded screening: the merged result is identical whatever the shard count, in memory, with a
process pool, and through the night's staged shards in a real local object store; a killed shard
task re-run gives the same hits; nights for different dates keep apart."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import yaml
from polars.testing import assert_frame_equal

from pipelines import paths
from pipelines.extracts import read_extract
from pipelines.landing import land_bank_extracts
from pipelines.lists import load_directory, sample_lists_dir
from pipelines.nightly import prepare_watchlist, report_bank, screen_shard, stage_bank
from pipelines.samples.banks import generate_banks
from pipelines.settings import PROJECT_ROOT, Settings
from pipelines.sharding import merge_hits, screen_sharded, shard_count, split
from pipelines.storage import ObjectStore, sha256_bytes
from pipelines.validation import to_parties
from screening import ScreeningConfig, Watchlist, prepare, screen

DATE = "2026-03-02"
OTHER_DATE = "2026-03-03"
BANK = "bank-a"


@pytest.fixture(scope="module")
def watchlist() -> Watchlist:
    return load_directory(sample_lists_dir()).watchlist


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory, watchlist: Watchlist) -> Path:
    out = tmp_path_factory.mktemp("samples")
    generate_banks(out, watchlist, [BANK], run_date=date.fromisoformat(DATE), seed=11, parties=600)
    return out


@pytest.fixture(scope="module")
def parties(samples: Path) -> pl.DataFrame:
    frames = [to_parties(read_extract(samples / BANK / f"{d}.csv", d), d) for d in paths.BANK_DATASETS]
    return pl.concat(frames, how="vertical").filter(pl.col("name").is_not_null())


def test_split_keeps_every_party_once_in_order() -> None:
    frame = pl.DataFrame({"record_id": [str(i) for i in range(10)]})
    pieces = split(frame, 3)
    assert [p.height for p in pieces] == [4, 3, 3]
    assert_frame_equal(pl.concat(pieces), frame)
    assert [p.height for p in split(frame.head(2), 4)] == [1, 1, 0, 0]
    with pytest.raises(ValueError):
        split(frame, 0)


@pytest.mark.parametrize(("parties", "target", "expected"), [(0, 10, 1), (10, 10, 1), (11, 10, 2), (10**9, 1, 256)])
def test_shard_count(parties: int, target: int, expected: int) -> None:
    assert shard_count(parties, target) == expected


def test_merge_order_does_not_depend_on_input_order(parties: pl.DataFrame, watchlist: Watchlist) -> None:
    hits = screen(parties, watchlist, ScreeningConfig())
    assert hits.height > 10
    assert_frame_equal(merge_hits([hits]), merge_hits([hits.reverse()]))
    assert_frame_equal(merge_hits([hits.tail(5), hits.head(hits.height - 5)]), merge_hits([hits]))


def assert_same_hits(got: pl.DataFrame, expected: pl.DataFrame) -> None:
    """Every column the same, including which list name a hit quotes when several tie."""
    assert_frame_equal(got, expected)


def test_a_partys_hits_and_scores_do_not_depend_on_the_other_parties_of_its_shard(
    parties: pl.DataFrame, watchlist: Watchlist
) -> None:
    config = ScreeningConfig()
    prepared = prepare(watchlist, config)
    whole = merge_hits([screen(parties, prepared, config)])
    for shards in (2, 3, 7, 40):
        sharded = merge_hits([screen(p, prepared, config) for p in split(parties, shards)])
        assert_same_hits(sharded, whole)
    # Each party screened entirely alone: the strictest case of a shard.
    hit_ids = whole["record_id"].unique().sort().to_list()
    few = parties.filter(pl.col("record_id").is_in(hit_ids[:15]))
    alone = merge_hits([screen(few.slice(i, 1), prepared, config) for i in range(few.height)])
    assert_same_hits(alone, whole.filter(pl.col("record_id").is_in(hit_ids[:15])))


def test_a_partys_hits_are_identical_whatever_its_shard(parties: pl.DataFrame, watchlist: Watchlist) -> None:
    """Stricter: also the list name shown. Expected to fail until the engine breaks score ties."""
    config = ScreeningConfig()
    prepared = prepare(watchlist, config)
    whole = merge_hits([screen(parties, prepared, config)])
    for shards in (3, 7):
        assert_same_hits(merge_hits([screen(p, prepared, config) for p in split(parties, shards)]), whole)


def test_process_pool_gives_the_single_shard_result(parties: pl.DataFrame, watchlist: Watchlist) -> None:
    config = ScreeningConfig()
    one = screen_sharded(parties, watchlist, config, shards=1, workers=1)
    pooled = screen_sharded(parties, watchlist, config, shards=3, workers=2)
    assert_same_hits(pooled, one)


# Through the night's staged shards in the object store ------------------------------------------


def _settings(base: Settings, tmp: Path, shard_parties: int, banks: list[str] | None = None) -> Settings:
    raw = yaml.safe_load((PROJECT_ROOT / "infra" / "interdict.yml").read_text(encoding="utf-8"))
    raw["shard_parties"] = shard_parties
    if banks:
        raw["banks"] = [{"id": b, "name": b} for b in banks]
    path = tmp / f"interdict-{shard_parties}.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return dataclasses.replace(base, config_path=path)


def _report_hits(settings: Settings, bank: str, run_date: str) -> pl.DataFrame:
    reports = ObjectStore.open(settings, settings.config.buckets.reports)
    return pl.read_parquet(io.BytesIO(reports.get_bytes(paths.report_prefix(bank, run_date) + "hits.parquet")))


def _report_digests(settings: Settings, bank: str, run_date: str) -> dict[str, str]:
    reports = ObjectStore.open(settings, settings.config.buckets.reports)
    manifest = json.loads(reports.get_bytes(paths.report_prefix(bank, run_date) + "manifest.json"))
    return {name: info["sha256"] for name, info in manifest["files"].items()}


@pytest.fixture(scope="module")
def landed(s3_home: Path, samples: Path) -> Settings:
    settings = Settings.from_env()
    files = {d: samples / BANK / f"{d}.csv" for d in paths.BANK_DATASETS}
    for run_date in (DATE, OTHER_DATE):
        land_bank_extracts(settings, BANK, run_date, files)
    return settings


def test_report_is_byte_identical_for_one_and_three_shards(landed: Settings, tmp_path: Path) -> None:
    snapshot = prepare_watchlist(DATE, landed)
    total = stage_bank(BANK, DATE, landed)["parties"]
    digests = {}
    frames: dict[int, pl.DataFrame] = {}
    for shards in (1, 3):
        settings = _settings(landed, tmp_path, shard_parties=-(-total // shards))
        staged = stage_bank(BANK, DATE, settings)
        assert len(staged["shards"]) == shards
        hit_uris = [screen_shard(uri, snapshot, settings) for uri in staged["shards"]]
        result = report_bank(BANK, DATE, snapshot, hit_uris, settings)
        assert result["parties_screened"] == total
        assert result["hits"] > 0
        digests[shards] = _report_digests(settings, BANK, DATE)
        frames[shards] = _report_hits(settings, BANK, DATE)
    assert {"hits.parquet", "hits.csv", "quarantine.csv", "validation.json"} <= set(digests[1])
    for name in ("quarantine.csv", "validation.json"):
        assert digests[1][name] == digests[3][name], name
    if digests[1] != digests[3]:
        assert_same_hits(frames[3], frames[1])
        assert digests[1] == digests[3]


def test_report_refuses_a_missing_hit_shard(landed: Settings, tmp_path: Path) -> None:
    snapshot = prepare_watchlist(DATE, landed)
    settings = _settings(landed, tmp_path, shard_parties=300)
    staged = stage_bank(BANK, DATE, settings)
    assert len(staged["shards"]) > 1
    hit_uris = [screen_shard(uri, snapshot, settings) for uri in staged["shards"][1:]]
    with pytest.raises(Exception, match="do not cover"):
        report_bank(BANK, DATE, snapshot, hit_uris, settings)


KILLABLE = """
import sys, time
import pipelines.nightly as nightly
real = nightly.screen
def slow(*args, **kwargs):
    print("screening", flush=True)
    time.sleep(60)
    return real(*args, **kwargs)
nightly.screen = slow
nightly.screen_shard(sys.argv[1], sys.argv[2])
"""


def test_a_killed_shard_task_rerun_gives_the_same_hits(landed: Settings, tmp_path: Path) -> None:
    snapshot = prepare_watchlist(DATE, landed)
    settings = _settings(landed, tmp_path, shard_parties=300)
    staged = stage_bank(BANK, DATE, settings)
    shard = staged["shards"][0]
    first = screen_shard(shard, snapshot, settings)
    work = ObjectStore.open(settings, settings.config.buckets.work)
    key = first.split("/", 3)[3]
    before = sha256_bytes(work.get_bytes(key))
    work.delete(key)

    # A worker killed (SIGKILL, as the OOM killer or a lost node does) in the middle of the shard.
    env = dict(os.environ, INTERDICT_CONFIG=str(settings.config_path))
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE, shard, snapshot], env=env, cwd=PROJECT_ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while "screening" not in proc.stdout.readline() and time.monotonic() < deadline:
        pass
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert not work.exists(key), "a killed shard left a hits object behind"

    # The retry (Airflow re-runs the same task with the same arguments) writes the same hits.
    again = screen_shard(shard, snapshot, settings)
    assert again == first
    assert sha256_bytes(work.get_bytes(key)) == before
    hit_uris = [again] + [screen_shard(uri, snapshot, settings) for uri in staged["shards"][1:]]
    assert report_bank(BANK, DATE, snapshot, hit_uris, settings)["hits"] > 0


def test_nights_for_different_dates_do_not_collide(landed: Settings, tmp_path: Path) -> None:
    settings = _settings(landed, tmp_path, shard_parties=300)
    snapshots = {d: prepare_watchlist(d, settings) for d in (DATE, OTHER_DATE)}
    # Interleaved as two overlapping DAG runs would be: both staged before either is screened.
    staged = {d: stage_bank(BANK, d, settings) for d in (DATE, OTHER_DATE)}
    assert not set(staged[DATE]["shards"]) & set(staged[OTHER_DATE]["shards"])
    hits = {d: [screen_shard(u, snapshots[d], settings) for u in staged[d]["shards"]] for d in (OTHER_DATE, DATE)}
    results = {d: report_bank(BANK, d, snapshots[d], hits[d], settings) for d in (DATE, OTHER_DATE)}
    assert results[DATE]["manifest"] != results[OTHER_DATE]["manifest"]
    # The same extracts landed for both dates: the same hits, each under its own date.
    core = ["record_id", "list_source", "entry_id", "score"]
    assert _report_hits(settings, BANK, DATE).select(core).equals(_report_hits(settings, BANK, OTHER_DATE).select(core))
    work = ObjectStore.open(settings, settings.config.buckets.work)
    assert work.list_keys(paths.work_prefix(DATE, BANK) + "hits/")
    assert work.list_keys(paths.work_prefix(OTHER_DATE, BANK) + "hits/")


def test_a_bank_added_to_the_configuration_is_staged_without_code_changes(
    landed: Settings, samples: Path, tmp_path: Path
) -> None:
    settings = _settings(landed, tmp_path, shard_parties=10**6, banks=[BANK, "bank-new"])
    files = {d: samples / BANK / f"{d}.csv" for d in paths.BANK_DATASETS}
    # The new bank lands with the pipeline identity here: the local identities file names only
    # the demo banks.
    store = ObjectStore.open(settings, settings.config.buckets.landing)
    for dataset, path in files.items():
        store.put_file(paths.landing_key("bank-new", DATE, dataset), path)
    snapshot = prepare_watchlist(DATE, settings)
    staged = stage_bank("bank-new", DATE, settings)
    hit_uris = [screen_shard(u, snapshot, settings) for u in staged["shards"]]
    assert report_bank("bank-new", DATE, snapshot, hit_uris, settings)["hits"] > 0
