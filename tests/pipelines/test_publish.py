"""Publishing a report set: verified, idempotent, resumable — against a real local object store,
stopped and restarted mid-publish.

The restart test runs its own SeaweedFS server on its own free ports, so stopping it disturbs
no other test.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.delivery.bank_side import ReportIncomplete, fetch_report
from pipelines.delivery.retry import Backoff
from pipelines.errors import StorageError
from pipelines.localstore import LocalStore, ensure_buckets
from pipelines.publish import publish_report_set
from pipelines.settings import Settings
from pipelines.storage import ObjectStore, sha256_bytes
from tests.conftest import free_port_block

NIGHT = "2026-04-01"
PREFIX = f"bank-a/{NIGHT}/"
LATEST = "bank-a/latest.json"


def report_files(folder: Path, version: str) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in ("hits.csv", "hits.parquet", "quarantine.csv", "summary.html", "received/a.csv"):
        path = folder / name.replace("/", "_")
        path.write_bytes(f"{name} {version}\n".encode() * 2000)
        files[name] = path
    return files


def assert_complete(store: ObjectStore, prefix: str, files: dict[str, Path]) -> None:
    manifest = json.loads(store.get_bytes(prefix + "manifest.json"))
    assert set(manifest["files"]) == set(files)
    for name, path in files.items():
        stored = sha256_bytes(store.get_bytes(prefix + name))
        assert stored == manifest["files"][name]["sha256"] == sha256_bytes(path.read_bytes()), name
        assert manifest["files"][name]["bytes"] == path.stat().st_size
    assert sorted(store.list_keys(prefix)) == sorted([prefix + n for n in files] + [prefix + "manifest.json"])


@pytest.fixture()
def own_store(tmp_path: Path) -> Iterator[tuple[Settings, LocalStore]]:
    settings = dataclasses.replace(
        Settings.from_env(), home=tmp_path / "home", s3_endpoint=f"http://127.0.0.1:{free_port_block()}"
    )
    local = LocalStore.from_settings(settings)
    local.start()
    try:
        ensure_buckets(settings)
        yield settings, local
    finally:
        local.stop(timeout=1)


def test_store_down_mid_publish_fails_cleanly_then_resumes(
    own_store: tuple[Settings, LocalStore], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings, local = own_store
    reports = ObjectStore.open(settings, settings.config.buckets.reports)
    publish_report_set(reports, PREFIX, report_files(tmp_path / "old", "old"), {"run_date": NIGHT}, latest_key=LATEST)
    new = report_files(tmp_path / "new", "new")

    stored: list[str] = []

    def crash_after_two(name: str) -> None:
        stored.append(name)
        if len(stored) == 2:
            local.stop(timeout=0.3)  # the store dies mid-publish

    with pytest.raises(StorageError) as failure:
        publish_report_set(reports, PREFIX, new, {"run_date": NIGHT}, latest_key=LATEST,
                           backoff=Backoff(attempts=2, first=0.2), after_upload=crash_after_two)
    assert failure.value.transient  # the task will be retried

    def restart() -> None:
        local.start()
        ensure_buckets(settings)

    threading.Thread(target=restart, daemon=True).start()

    def while_publishing(name: str) -> None:
        # Mid-publish, the half-written night never reads as complete.
        assert not reports.exists(PREFIX + "manifest.json")
        with pytest.raises(ReportIncomplete):
            fetch_report(settings, "bank-a", NIGHT, tmp_path / "fetched")

    # The retried attempt starts while the store is still down, waits for it, and resumes.
    caplog.set_level(logging.INFO, logger="pipelines.publish")
    publish_report_set(reports, PREFIX, new, {"run_date": NIGHT}, latest_key=LATEST,
                       backoff=Backoff(attempts=12, first=0.5, longest=4.0), after_upload=while_publishing)
    assert_complete(reports, PREFIX, new)
    assert json.loads(reports.get_bytes(LATEST))["prefix"] == PREFIX
    assert "(2 kept from an earlier attempt)" in caplog.text
    assert fetch_report(settings, "bank-a", NIGHT, tmp_path / "fetched").ok


def test_republish_is_idempotent_and_removes_stale_objects(s3_home: Path, tmp_path: Path) -> None:
    settings = Settings.from_env()
    reports = ObjectStore.open(settings, settings.config.buckets.reports)
    prefix, latest = "bank-c/2026-04-01/", "bank-c/latest.json"
    reports.delete_prefix("bank-c/")
    files = report_files(tmp_path / "files", "v1")
    reports.put_bytes(prefix + "leftover.csv", b"from an earlier attempt")
    publish_report_set(reports, prefix, files, {"run_date": "2026-04-01"}, latest_key=latest)
    first = {k: reports.get_bytes(k) for k in reports.list_keys(prefix)}
    publish_report_set(reports, prefix, files, {"run_date": "2026-04-01"}, latest_key=latest)
    assert {k: reports.get_bytes(k) for k in reports.list_keys(prefix)} == first
    assert_complete(reports, prefix, files)
    # A re-run of an older night does not move the latest pointer back.
    publish_report_set(reports, "bank-c/2026-03-31/", files, {"run_date": "2026-03-31"}, latest_key=latest)
    assert json.loads(reports.get_bytes(latest))["run_date"] == "2026-04-01"


def test_altered_upload_fails_verification(s3_home: Path, tmp_path: Path) -> None:
    """A file that changes between hashing and upload is caught before the manifest is written."""
    settings = Settings.from_env()
    reports = ObjectStore.open(settings, settings.config.buckets.reports)
    prefix = "bank-c/2026-04-02/"
    files = report_files(tmp_path / "files", "v1")

    def tamper(name: str) -> None:
        if name == "hits.csv":
            reports.put_bytes(prefix + name, b"forged")

    with pytest.raises(StorageError, match="failed verification"):
        publish_report_set(reports, prefix, files, {"run_date": "2026-04-02"}, after_upload=tamper)
    assert not reports.exists(prefix + "manifest.json")
