"""Retention: nights older than ``retention_days`` (``infra/interdict.yml``) are deleted from the
object store — bank reports, regulator summaries, landed extracts, the work bucket — and from
the local working folder.

A report night's manifest is deleted first, so a night being removed never looks complete.
A bank's ``latest.json`` that points at a deleted night is removed too. Raw list files (kept by
content hash) are not personal data and stay, so any kept night can be reproduced.
"""

from __future__ import annotations

import json
import logging
import shutil
from datetime import date, timedelta

from botocore.exceptions import BotoCoreError, ClientError

from pipelines import paths
from pipelines.delivery.retry import Backoff, retrying
from pipelines.errors import StorageError
from pipelines.publish import MANIFEST
from pipelines.settings import Settings
from pipelines.storage import ObjectNotFound, ObjectStore

log = logging.getLogger(__name__)


def cutoff(run_date: str, retention_days: int) -> str:
    """Nights strictly before this date are expired."""
    return (date.fromisoformat(paths.check_run_date(run_date)) - timedelta(days=retention_days)).isoformat()


def _folders(store: ObjectStore, prefix: str) -> list[str]:
    """The immediate sub-folders of ``prefix`` (without the trailing slash)."""
    found: list[str] = []
    try:
        for page in store.client.get_paginator("list_objects_v2").paginate(
            Bucket=store.bucket, Prefix=prefix, Delimiter="/"
        ):
            found += [str(c["Prefix"])[len(prefix) :].rstrip("/") for c in page.get("CommonPrefixes", [])]
    except (ClientError, BotoCoreError) as exc:
        raise StorageError(f"list {store.uri(prefix)} failed: {exc}") from None
    return sorted(found)


def _is_date(name: str) -> bool:
    try:
        paths.check_run_date(name)
    except ValueError:
        return False
    return True


def _delete_night(store: ObjectStore, prefix: str, backoff: Backoff) -> int:
    keys = retrying(lambda: store.list_keys(prefix), f"list {store.uri(prefix)}", backoff)
    keys.sort(key=lambda k: (k != prefix + MANIFEST, k))  # the manifest first
    for key in keys:
        retrying(lambda key=key: store.delete(key), f"delete {store.uri(key)}", backoff)  # type: ignore[misc]
    return len(keys)


def _expire_dated(store: ObjectStore, parents: list[str], before: str, backoff: Backoff) -> tuple[list[str], int]:
    """Delete ``<parent><date>/`` for every date before ``before``; returns the prefixes and objects."""
    gone, objects = [], 0
    for parent in parents:
        for name in _folders(store, parent):
            if _is_date(name) and name < before:
                objects += _delete_night(store, f"{parent}{name}/", backoff)
                gone.append(f"{parent}{name}/")
    return gone, objects


def cleanup_expired(
    run_date: str, settings: Settings | None = None, *, backoff: Backoff | None = None
) -> dict[str, object]:
    """Delete every night before ``run_date - retention_days``; returns the cutoff date, the
    number of objects deleted and the number of nights removed per area."""
    settings = settings or Settings.from_env()
    backoff = backoff or Backoff()
    before = cutoff(run_date, settings.config.retention_days)
    buckets = settings.config.buckets
    removed: dict[str, list[str]] = {}
    objects = 0

    reports = ObjectStore.open(settings, buckets.reports)
    inbox = paths.inbox_prefix("_").split("/", 1)[0]  # decision inboxes are not dated nights
    owners = [f"{name}/" for name in _folders(reports, "") if name != inbox]
    removed["reports"], n = _expire_dated(reports, owners, before, backoff)
    objects += n
    for owner in owners:
        key = f"{owner}latest.json"
        try:
            pointer = json.loads(reports.get_bytes(key))
        except (ObjectNotFound, ValueError):
            continue
        if isinstance(pointer, dict) and pointer.get("prefix") in removed["reports"]:
            retrying(lambda key=key: reports.delete(key), f"delete {reports.uri(key)}", backoff)  # type: ignore[misc]
            objects += 1

    landing = ObjectStore.open(settings, buckets.landing)
    removed["landing"], n = _expire_dated(landing, [f"{x}/" for x in _folders(landing, "")], before, backoff)
    objects += n
    work_bucket = getattr(buckets, "work", None)
    if isinstance(work_bucket, str):
        work = ObjectStore.open(settings, work_bucket)
        removed["work"], n = _expire_dated(work, [""], before, backoff)
        objects += n

    runs = settings.home / "runs"
    removed["local"] = []
    if runs.is_dir():
        for folder in sorted(runs.iterdir()):
            if folder.is_dir() and _is_date(folder.name) and folder.name < before:
                shutil.rmtree(folder)
                removed["local"].append(str(folder))
    log.info(
        "retention %d days: removed nights before %s (%d objects, %s)",
        settings.config.retention_days,
        before,
        objects,
        {k: len(v) for k, v in removed.items()},
    )
    return {"before": before, "objects": objects, "nights": {k: len(v) for k, v in removed.items()}}
