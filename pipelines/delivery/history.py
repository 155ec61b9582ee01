"""A bank's earlier nights in the object store: the previous complete night, and its files
read back with their hashes checked against that night's manifest."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass
from typing import Any

import polars as pl
from botocore.exceptions import BotoCoreError, ClientError

from pipelines import paths
from pipelines.errors import InterdictError, StorageError
from pipelines.publish import MANIFEST
from pipelines.storage import ObjectNotFound, ObjectStore, sha256_bytes

log = logging.getLogger(__name__)


class ReportTampered(InterdictError):
    """A published file does not match the hash its manifest records."""


def night_dates(store: ObjectStore, bank: str) -> list[str]:
    """Every run date with objects under the bank's reports prefix, oldest first."""
    found: list[str] = []
    paginator = store.client.get_paginator("list_objects_v2")
    try:
        for page in paginator.paginate(Bucket=store.bucket, Prefix=f"{bank}/", Delimiter="/"):
            for common in page.get("CommonPrefixes", []):
                name = str(common["Prefix"])[len(bank) + 1 :].rstrip("/")
                try:
                    found.append(paths.check_run_date(name))
                except ValueError:
                    continue
    except (ClientError, BotoCoreError) as exc:
        raise StorageError(f"list {store.uri(bank + '/')} failed: {exc}") from None
    return sorted(found)


@dataclass(frozen=True)
class PublishedNight:
    store: ObjectStore
    bank: str
    run_date: str
    manifest: dict[str, Any]

    @property
    def prefix(self) -> str:
        return paths.report_prefix(self.bank, self.run_date)

    def has(self, name: str) -> bool:
        return name in self.manifest.get("files", {})

    def read(self, name: str) -> bytes:
        """A file of this night, refused when it differs from the manifest's hash."""
        data = self.store.get_bytes(self.prefix + name)
        expected = self.manifest["files"][name]["sha256"]
        if sha256_bytes(data) != expected:
            raise ReportTampered(f"{self.store.uri(self.prefix + name)} does not match its manifest hash")
        return data

    def frame(self, name: str) -> pl.DataFrame | None:
        if not self.has(name):
            return None
        try:
            return pl.read_parquet(io.BytesIO(self.read(name)))
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise ReportTampered(
                f"{self.store.uri(self.prefix + name)} matches its manifest but is not readable Parquet: {exc}"
            ) from None


def published_night(store: ObjectStore, bank: str, run_date: str) -> PublishedNight | None:
    """The bank's night ``run_date`` when it is complete (its manifest exists)."""
    try:
        manifest = json.loads(store.get_bytes(paths.report_prefix(bank, run_date) + MANIFEST))
    except ObjectNotFound:
        return None
    except ValueError:
        log.warning("%s %s: unreadable manifest, night ignored", bank, run_date)
        return None
    return PublishedNight(store, bank, run_date, manifest)


def previous_night(store: ObjectStore, bank: str, run_date: str) -> PublishedNight | None:
    """The bank's latest complete night before ``run_date``, if any."""
    for day in reversed(night_dates(store, bank)):
        if day >= run_date:
            continue
        night = published_night(store, bank, day)
        if night is not None:
            return night
    return None
