"""A whole night through real Airflow (``airflow dags test``), a real local S3 object store and
DuckDB, on generated sample data: planted matches reported, counts reconciled, re-runs identical,
a broken extract failing only its own bank."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipelines import paths
from pipelines.airflow_local import init_db, run_night
from pipelines.landing import land_bank_extracts
from pipelines.lists import load_directory, sample_lists_dir
from pipelines.nightly import screen_bank
from pipelines.samples.night import generate_night, land_night
from pipelines.settings import Settings
from pipelines.storage import AccessDenied, ObjectStore, sha256_bytes
from tests.conftest import local_object_store

pytestmark = pytest.mark.slow

RUN_DATE = "2026-11-24"
BROKEN_DATE = "2026-11-25"


@dataclass(frozen=True)
class Night:
    settings: Settings
    exit_code: int
    samples_dir: Path
    log: str

    @property
    def banks(self) -> list[str]:
        return [b.id for b in self.settings.config.banks]

    def summary(self, run_date: str = RUN_DATE) -> dict[str, Any]:
        path = self.settings.run_dir(run_date) / "summary.json"
        result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return result

    def reports(self, identity: str = "pipeline") -> ObjectStore:
        return ObjectStore.open(self.settings, self.settings.config.buckets.reports, identity=identity)

    def manifest(self, bank: str, run_date: str = RUN_DATE) -> dict[str, Any]:
        raw = self.reports(bank).get_bytes(paths.report_prefix(bank, run_date) + "manifest.json")
        result: dict[str, Any] = json.loads(raw)
        return result

    def hits(self, bank: str, run_date: str = RUN_DATE) -> pl.DataFrame:
        raw = self.reports(bank).get_bytes(paths.report_prefix(bank, run_date) + "hits.parquet")
        return pl.read_parquet(io.BytesIO(raw))


@pytest.fixture(scope="module")
def night_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An object store of this module's own: no other test's nights count as this bank's past."""
    with local_object_store(tmp_path_factory.mktemp("night-home")) as home:
        yield home


@pytest.fixture(scope="module")
def night(night_home: Path) -> Night:
    s3_home = night_home
    settings = Settings.from_env()
    watchlist = load_directory(sample_lists_dir()).watchlist
    samples_dir = s3_home / "samples" / RUN_DATE
    sample = generate_night(
        samples_dir, watchlist, [b.id for b in settings.config.banks],
        run_date=date.fromisoformat(RUN_DATE), seed=7, parties=400, companies=300,
    )
    land_night(settings, RUN_DATE, sample)
    init_db(settings)
    log_file = s3_home / "logs" / f"{RUN_DATE}.log"
    code = run_night(settings, RUN_DATE, retry_delay_seconds=1, log_file=log_file)
    return Night(settings, code, samples_dir, log_file.read_text(errors="replace"))


def _truth(night: Night) -> list[dict[str, str]]:
    with (night.samples_dir / "truth.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_night_completes_for_every_bank(night: Night) -> None:
    assert night.exit_code == 0, night.log[-4000:]
    summary = night.summary()
    assert summary["status"] == "complete", summary
    assert summary["failed_banks"] == []
    assert sorted(b["bank"] for b in summary["banks"]) == sorted(night.banks)
    regulator = night.reports("regulator").get_bytes(paths.regulator_prefix(RUN_DATE) + "summary.json")
    assert json.loads(regulator)["status"] == "complete"
    assert summary["register"]["delivered"] is True
    assert sum(summary["register"]["flagged"].values()) > 0


def test_customers_that_are_flagged_companies_alert(night: Night) -> None:
    planted = [t for t in _truth(night) if t["list_source"] == "OWNERSHIP" and t["expected"] == "match"]
    assert planted, "the sample plants flagged companies among customers"
    for bank in night.banks:
        hits = night.hits(bank).filter(pl.col("list_source") == "OWNERSHIP")
        found = set(zip(hits["record_id"], hits["entry_id"], strict=True))
        for t in (t for t in planted if t["bank"] == bank):
            assert (t["record_id"], t["entry_id"]) in found, t


def test_planted_matches_are_reported(night: Night) -> None:
    truth = _truth(night)
    for bank in night.banks:
        hits = night.hits(bank)
        found = {(r["record_id"], f"{r['list_source']}:{r['entry_id']}") for r in hits.iter_rows(named=True)}
        planted = [t for t in truth if t["bank"] == bank and t["expected"] == "match"]
        assert planted, f"no planted matches for {bank}"
        missed = [t for t in planted if (t["record_id"], t["uid"]) not in found]
        assert not missed, f"{bank}: planted matches not reported: {missed}"
        near = [t for t in truth if t["bank"] == bank and t["expected"] == "no_match"]
        alerted = [t for t in near if (t["record_id"], t["uid"]) in found]
        assert len(alerted) <= len(near) // 4, f"{bank}: near misses alerted: {alerted}"
        assert set(hits.columns) >= {"record_id", "party_name", "list_source", "entry_id", "matched_name",
                                     "score", "reason"}
        assert hits["score"].is_between(0, 1).all()
        assert hits["reason"].str.len_chars().min() > 0  # type: ignore[operator]


def test_manifests_reconcile_and_list_every_file(night: Night) -> None:
    truth = _truth(night)
    for bank in night.banks:
        manifest = night.manifest(bank)
        prefix = paths.report_prefix(bank, RUN_DATE)
        assert manifest["run_date"] == RUN_DATE
        assert manifest["lists"]["snapshot_sha256"]
        assert {s["list_source"] for s in manifest["lists"]["sources"]} >= {"OFAC-SDN", "UN-SC"}
        assert manifest["lists"]["snapshot"]["status"] in {"accepted", "unchanged"}
        assert manifest["lists"]["snapshot"]["diff_key"] or manifest["lists"]["snapshot"]["status"] == "unchanged"
        assert manifest["lists"]["register"]["delivered"] is True
        entries = manifest["lists"]["validation"]["list_entries"]
        assert entries["rows_in"] == sum(manifest["lists"]["snapshot"]["entries"]["OFAC-SDN"].values()) + sum(
            manifest["lists"]["snapshot"]["entries"]["UN-SC"].values()
        )
        for source in manifest["inputs"]:
            assert source["rows_in"] == source["rows_loaded"] + source["rows_quarantined"]
            assert len(source["sha256"]) == 64
        quarantined = sum(s["rows_quarantined"] for s in manifest["inputs"])
        defects = [t for t in truth if t["bank"] == bank and t["expected"] == "quarantine"]
        assert quarantined >= len(defects) - 1  # a duplicated id quarantines one or both rows
        assert manifest["counts"]["rows_quarantined"] == quarantined
        loaded = sum(s["rows_loaded"] for s in manifest["inputs"] if s["dataset"] == "customers")
        payments = sum(s["rows_loaded"] for s in manifest["inputs"] if s["dataset"] == "payments")
        assert manifest["counts"]["parties_screened"] == loaded + 2 * payments
        store = night.reports(bank)
        assert manifest["counts"]["hits"] == night.hits(bank).height
        for name, info in manifest["files"].items():
            assert sha256_bytes(store.get_bytes(prefix + name)) == info["sha256"], name
        assert sorted(store.list_keys(prefix)) == sorted([prefix + n for n in manifest["files"]] +
                                                         [prefix + "manifest.json"])


def test_bank_cannot_read_another_banks_report(night: Night) -> None:
    bank_a = night.reports("bank-a")
    with pytest.raises(AccessDenied):
        bank_a.get_bytes(paths.report_prefix("bank-b", RUN_DATE) + "manifest.json")
    with pytest.raises(AccessDenied):
        bank_a.list_keys(paths.report_prefix("bank-b", RUN_DATE))


def test_rerun_replaces_the_night_with_an_identical_report(night: Night) -> None:
    bank = night.banks[0]
    prefix = paths.report_prefix(bank, RUN_DATE)
    store = night.reports()
    manifest_before = night.manifest(bank)
    before = {k: sha256_bytes(store.get_bytes(k)) for k in store.list_keys(prefix)}
    # The snapshot the night screened against: the lists extended with the register's flags.
    snapshot = str(night.settings.run_dir(RUN_DATE) / "watchlist-ownership")
    screen_bank(bank, RUN_DATE, snapshot, night.settings)
    after = {k: sha256_bytes(store.get_bytes(k)) for k in store.list_keys(prefix)}
    assert night.manifest(bank) == manifest_before
    assert after == before


def test_broken_extract_fails_only_its_bank(night: Night) -> None:
    settings = night.settings
    banks = night.banks
    broken_bank = banks[-1]
    for bank in banks:
        files = {d: night.samples_dir / bank / f"{d}.csv" for d in paths.BANK_DATASETS}
        if bank == broken_bank:
            text = files["customers"].read_text(encoding="utf-8").replace("customer_id,", "client_ref,", 1)
            broken = night.samples_dir.parent / "broken" / "customers.csv"
            broken.parent.mkdir(parents=True, exist_ok=True)
            broken.write_text(text, encoding="utf-8")
            files["customers"] = broken
        land_bank_extracts(settings, bank, BROKEN_DATE, files)
    log_file = settings.home / "logs" / f"{BROKEN_DATE}.log"
    code = run_night(settings, BROKEN_DATE, retry_delay_seconds=1, log_file=log_file)
    log = log_file.read_text(errors="replace")
    assert code != 0 or "failed" in log.lower()
    summary = night.summary(BROKEN_DATE)
    assert summary["failed_banks"] == [broken_bank]
    assert summary["status"] == "incomplete"
    for bank in banks[:-1]:
        assert night.manifest(bank, BROKEN_DATE)["counts"]["parties_screened"] > 0
    assert not night.reports().exists(paths.report_prefix(broken_bank, BROKEN_DATE) + "manifest.json")
    assert "customer_id" in log and "customers.csv" in log
