"""Presigned links in the night's notifications, and retention, against the real local store."""

from __future__ import annotations

import dataclasses
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest

from pipelines import paths
from pipelines.delivery.links import bank_notification, presigned_get, signing_store, write_notifications
from pipelines.delivery.retention import cleanup_expired
from pipelines.settings import Settings
from pipelines.storage import ObjectStore


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        body: bytes = answer.read()
    return body


def test_presigned_link_works_without_credentials_until_it_expires(s3_home: Path) -> None:
    settings = Settings.from_env()
    ObjectStore.open(settings, settings.config.buckets.reports).put_bytes(
        paths.report_prefix("bank-a", "2026-06-01") + "summary.html", b"<html>report</html>")
    store = signing_store(settings, settings.config.buckets.reports)
    key = paths.report_prefix("bank-a", "2026-06-01") + "summary.html"
    link = presigned_get(store, key, timedelta(hours=1))
    assert "X-Amz-Expires=3600" in link
    assert _get(link) == b"<html>report</html>"
    with pytest.raises(urllib.error.HTTPError):
        _get(link.replace("summary.html", "hits.csv"))  # a link opens its own object only
    short = presigned_get(store, key, timedelta(seconds=1))
    time.sleep(2.1)
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(short)
    assert refused.value.code == 403
    with pytest.raises(ValueError):
        presigned_get(store, key, timedelta(days=8))


def test_notification_links_only_the_banks_own_files(s3_home: Path, tmp_path: Path) -> None:
    settings = Settings.from_env()
    store = signing_store(settings, settings.config.buckets.reports)
    note = bank_notification(store, {"bank": "bank-a", "alerts": 3, "new": 1, "changed": 2}, "2026-06-01")
    assert note["subject"].startswith("Interdict 2026-06-01: 3 alerts (1 new, 2 changed")
    assert all("/bank-a/2026-06-01/" in url for url in note["links"].values())
    written = write_notifications(tmp_path, [note])
    assert json.loads(written[0].read_text())["links"]["summary.html"] == note["links"]["summary.html"]
    assert "summary.html: http" in (tmp_path / "bank-a.txt").read_text()


def test_retention_deletes_only_expired_nights(s3_home: Path, tmp_path: Path) -> None:
    config = tmp_path / "interdict.yml"
    text = (Path(Settings.from_env().config_path)).read_text(encoding="utf-8")
    config.write_text(text.replace("retention_days: 400", "retention_days: 30"), encoding="utf-8")
    settings = dataclasses.replace(Settings.from_env(), config_path=config)
    assert settings.config.retention_days == 30
    reports = ObjectStore.open(settings, settings.config.buckets.reports)
    landing = ObjectStore.open(settings, settings.config.buckets.landing)
    old, kept = "2024-01-01", "2024-02-15"  # 30 days before 2024-03-01 is 2024-01-31
    for night in (old, kept):
        for name in ("hits.csv", "manifest.json"):
            reports.put_bytes(paths.report_prefix("bank-c", night) + name, b"x")
        reports.put_bytes(paths.regulator_prefix(night) + "summary.json", b"{}")
        landing.put_bytes(paths.landing_key("bank-c", night, "customers"), b"customer_id\n")
    reports.put_bytes(paths.latest_key("bank-c"), json.dumps(
        {"run_date": old, "prefix": paths.report_prefix("bank-c", old)}).encode())
    reports.put_bytes(paths.inbox_prefix("bank-c") + "2024-01-01.csv", b"record_id\n")
    local_old = settings.run_dir(old)
    local_old.mkdir(parents=True)

    result = cleanup_expired("2024-03-01", settings)
    assert result["before"] == "2024-01-31"
    assert reports.list_keys(paths.report_prefix("bank-c", old)) == []
    assert not reports.exists(paths.regulator_prefix(old) + "summary.json")
    assert not landing.exists(paths.landing_key("bank-c", old, "customers"))
    assert not reports.exists(paths.latest_key("bank-c"))  # it pointed at a deleted night
    assert not local_old.exists()
    assert reports.exists(paths.report_prefix("bank-c", kept) + "manifest.json")
    assert landing.exists(paths.landing_key("bank-c", kept, "customers"))
    assert reports.exists(paths.inbox_prefix("bank-c") + "2024-01-01.csv")  # undated inbox kept
    reports.delete_prefix("bank-c/")
    reports.delete_prefix(paths.inbox_prefix("bank-c"))
