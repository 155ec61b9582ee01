"""Presigned links in the night's notifications, and retention, against the real local store."""

from __future__ import annotations

import dataclasses
import json
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from pipelines import paths
from pipelines.delivery.links import LINKED_FILES, bank_notifications, link_signer, presigned_get, write_notifications
from pipelines.delivery.retention import cleanup_expired
from pipelines.localstore import LocalStore, ensure_buckets
from pipelines.settings import Settings
from pipelines.storage import AccessDenied, ObjectStore
from tests.conftest import free_port_block


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        body: bytes = answer.read()
    return body


def _refused_soon(url: str, seconds: float = 5.0) -> int:
    """The HTTP status with which ``url`` is refused, waiting a moment for a reload to apply."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            _get(url)
        except urllib.error.HTTPError as exc:
            return exc.code
        if time.monotonic() > deadline:
            return 200
        time.sleep(0.1)


def _bank_config(tmp_path: Path, extra_bank: str) -> Settings:
    text = Path(Settings.from_env().config_path).read_text(encoding="utf-8")
    config = tmp_path / "interdict.yml"
    config.write_text(text.replace("banks:\n", f"banks:\n  - id: {extra_bank}\n    name: New Bank\n", 1),
                      encoding="utf-8")
    return dataclasses.replace(Settings.from_env(), config_path=config)


def test_presigned_link_works_without_credentials_until_it_expires(s3_home: Path) -> None:
    settings = Settings.from_env()
    ObjectStore.open(settings, settings.config.buckets.reports).put_bytes(
        paths.report_prefix("bank-a", "2026-06-01") + "summary.html", b"<html>report</html>")
    store = link_signer(settings, "bank-a")
    key = paths.report_prefix("bank-a", "2026-06-01") + "summary.html"
    link = presigned_get(store, key, timedelta(hours=1))
    assert "X-Amz-Expires=3600" in link
    query = parse_qs(urlparse(link).query)
    assert query["X-Amz-Credential"][0].startswith("interdict-bank-a-links/")  # never the pipeline's key
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


def test_the_link_identity_can_only_read_its_own_banks_reports(s3_home: Path) -> None:
    settings = Settings.from_env()
    pipeline = ObjectStore.open(settings, settings.config.buckets.reports)
    own, other = paths.report_prefix("bank-a", "2026-06-02"), paths.report_prefix("bank-b", "2026-06-02")
    for key in (own + "hits.csv", other + "hits.csv", paths.inbox_prefix("bank-a") + "review.csv"):
        pipeline.put_bytes(key, b"record_id\n")
    signer = link_signer(settings, "bank-a")
    assert signer.get_bytes(own + "hits.csv") == b"record_id\n"
    for denied in (
        lambda: signer.get_bytes(other + "hits.csv"),
        lambda: signer.get_bytes(paths.inbox_prefix("bank-a") + "review.csv"),
        lambda: signer.list_keys(own),
        lambda: signer.put_bytes(own + "hits.csv", b"forged"),
        lambda: signer.delete(own + "hits.csv"),
    ):
        with pytest.raises(AccessDenied):
            denied()
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(presigned_get(signer, other + "hits.csv"))  # a link to another bank's file is refused
    assert refused.value.code == 403
    assert pipeline.get_bytes(own + "hits.csv") == b"record_id\n"


def test_notifications_link_only_each_banks_own_files(s3_home: Path, tmp_path: Path) -> None:
    settings = _bank_config(tmp_path, "bank-new")
    results = [{"bank": "bank-a", "alerts": 3, "new": 1, "changed": 2, "manifest": "s3://r/bank-a/m.json"},
               {"bank": "bank-new", "alerts": 0, "manifest": "s3://r/bank-new/m.json"}]
    notes = {n["bank"]: n for n in bank_notifications(settings, results, "2026-06-01")}
    note = notes["bank-a"]
    assert note["subject"].startswith("Interdict 2026-06-01: 3 alerts (1 new, 2 changed")
    assert set(note["links"]) == set(LINKED_FILES)
    assert all("/bank-a/2026-06-01/" in url and "interdict-bank-a-links" in url for url in note["links"].values())
    # A bank without a link identity gets no links rather than links signed with another key.
    assert notes["bank-new"]["links"] == {}
    assert "INTERDICT_BANK_NEW_LINKS_S3_ACCESS_KEY" in notes["bank-new"]["links_unavailable"]
    written = write_notifications(tmp_path, list(notes.values()))
    assert json.loads(written[0].read_text())["links"]["summary.html"] == note["links"]["summary.html"]
    assert "summary.html: http" in (tmp_path / "bank-a.txt").read_text()
    assert "No download links tonight" in (tmp_path / "bank-new.txt").read_text()


def test_links_are_revoked_by_rotating_the_link_identitys_key(tmp_path: Path) -> None:
    identities = tmp_path / "s3-identities.json"
    doc = json.loads(Settings.from_env().identities_path.read_text(encoding="utf-8"))
    identities.write_text(json.dumps(doc), encoding="utf-8")
    settings = dataclasses.replace(Settings.from_env(), home=tmp_path / "home", identities_path=identities,
                                   s3_endpoint=f"http://127.0.0.1:{free_port_block()}")
    local = LocalStore.from_settings(settings)
    local.start()
    try:
        ensure_buckets(settings)
        key = paths.report_prefix("bank-a", "2026-06-03") + "hits.csv"
        ObjectStore.open(settings, settings.config.buckets.reports).put_bytes(key, b"record_id\n")
        old_link = presigned_get(link_signer(settings, "bank-a"), key)
        assert _get(old_link) == b"record_id\n"
        # Rotate: the link identity gets a new key, the old one is gone; the running store reloads.
        for identity in doc["identities"]:
            if identity["name"] == "bank-a-links":
                identity["credentials"] = [{"accessKey": "interdict-bank-a-links-2", "secretKey": "rotated-secret"}]
        identities.write_text(json.dumps(doc), encoding="utf-8")
        assert local.reload()
        assert _refused_soon(old_link) == 403
        assert _get(presigned_get(link_signer(settings, "bank-a"), key)) == b"record_id\n"  # new links work
        assert ObjectStore.open(settings, settings.config.buckets.reports).get_bytes(key) == b"record_id\n"
    finally:
        local.stop(timeout=1)


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
