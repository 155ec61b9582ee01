"""The object store and its access policy, against a real local SeaweedFS server."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.settings import Settings
from pipelines.storage import AccessDenied, ObjectNotFound, ObjectStore, sha256_bytes


@pytest.fixture()
def settings(s3_home: Path) -> Settings:
    return Settings.from_env()


def test_put_get_round_trip_verifies_hash(settings: Settings) -> None:
    store = ObjectStore.open(settings, settings.config.buckets.reports)
    digest = store.put_bytes("bank-a/2026-01-01/probe.txt", b"hello")
    assert digest == sha256_bytes(b"hello")
    assert store.get_bytes("bank-a/2026-01-01/probe.txt") == b"hello"
    assert store.exists("bank-a/2026-01-01/probe.txt")
    assert not store.exists("bank-a/2026-01-01/absent.txt")
    with pytest.raises(ObjectNotFound):
        store.get_bytes("bank-a/2026-01-01/absent.txt")


def test_bank_reads_only_its_own_prefix(settings: Settings) -> None:
    pipeline = ObjectStore.open(settings, settings.config.buckets.reports)
    pipeline.put_bytes("bank-a/2026-01-02/hits.csv", b"a")
    pipeline.put_bytes("bank-b/2026-01-02/hits.csv", b"b")
    bank_a = ObjectStore.open(settings, settings.config.buckets.reports, identity="bank-a")

    assert bank_a.get_bytes("bank-a/2026-01-02/hits.csv") == b"a"
    assert bank_a.list_keys("bank-a/2026-01-02/") == ["bank-a/2026-01-02/hits.csv"]
    with pytest.raises(AccessDenied):
        bank_a.get_bytes("bank-b/2026-01-02/hits.csv")
    with pytest.raises(AccessDenied):
        bank_a.list_keys("bank-b/")
    with pytest.raises(AccessDenied):
        bank_a.list_keys("")
    with pytest.raises(AccessDenied):
        bank_a.put_bytes("bank-a/2026-01-02/hits.csv", b"forged")
    assert pipeline.get_bytes("bank-a/2026-01-02/hits.csv") == b"a"


def test_bank_lands_only_in_its_own_landing_prefix(settings: Settings) -> None:
    bank_b = ObjectStore.open(settings, settings.config.buckets.landing, identity="bank-b")
    bank_b.put_bytes("bank-b/2026-01-03/customers.csv", b"customer_id\n")
    with pytest.raises(AccessDenied):
        bank_b.put_bytes("bank-a/2026-01-03/customers.csv", b"customer_id\n")


def test_unknown_key_is_refused(settings: Settings) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="nobody",
        aws_secret_access_key="nothing",
    )
    with pytest.raises(AccessDenied):
        ObjectStore(client, settings.config.buckets.reports).list_keys("")
