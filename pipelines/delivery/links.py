"""Time-limited download links for the night's notifications.

Each bank's notification carries presigned GET links to its own report files only; a link
grants reading that one object until it expires, without any credentials of the bank's.
Links are never part of the report set itself (they differ on every run).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from pipelines import paths
from pipelines.errors import StorageError
from pipelines.settings import Settings
from pipelines.storage import ObjectStore

DEFAULT_EXPIRY: Final = timedelta(hours=72)
MAX_EXPIRY: Final = timedelta(days=7)  # the longest a SigV4 presigned URL may live
LINKED_FILES: Final = ("summary.html", "hits.csv", "hits.parquet", "cleared.csv", "rejections.csv", "manifest.json")


def signing_store(settings: Settings, bucket: str) -> ObjectStore:
    """The pipeline's view of ``bucket`` through a client that signs links with Signature V4
    (``X-Amz-Expires``), which every S3 API accepts; no request is sent to sign a link."""
    creds = settings.credentials("pipeline")
    client = boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint,
        region_name=settings.s3_region,
        aws_access_key_id=creds.access_key if creds else None,
        aws_secret_access_key=creds.secret_key if creds else None,
        config=BotoConfig(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    return ObjectStore(client, bucket)


def presigned_get(store: ObjectStore, key: str, expiry: timedelta = DEFAULT_EXPIRY) -> str:
    """A URL that downloads ``key`` without credentials until ``expiry`` has passed."""
    if not timedelta(seconds=1) <= expiry <= MAX_EXPIRY:
        raise ValueError(f"link expiry {expiry} must be between 1 second and {MAX_EXPIRY}")
    try:
        url: str = store.client.generate_presigned_url(
            "get_object", Params={"Bucket": store.bucket, "Key": key}, ExpiresIn=int(expiry.total_seconds())
        )
    except (ClientError, BotoCoreError) as exc:
        raise StorageError(f"cannot sign a link to {store.uri(key)}: {exc}") from None
    return url


def bank_notification(
    store: ObjectStore,
    result: dict[str, Any],
    run_date: str,
    *,
    expiry: timedelta = DEFAULT_EXPIRY,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The notification for one bank's night: its counts and links to its own files."""
    bank = str(result["bank"])
    prefix = paths.report_prefix(bank, run_date)
    expires = (now or datetime.now(UTC)) + expiry
    return {
        "bank": bank,
        "run_date": run_date,
        "subject": f"Interdict {run_date}: {result.get('alerts', 0)} alerts "
        f"({result.get('new', 0)} new, {result.get('changed', 0)} changed, {result.get('cleared', 0)} cleared)",
        "counts": {
            k: result.get(k)
            for k in (
                "hits",
                "alerts",
                "new",
                "changed",
                "cleared",
                "suppressed",
                "decisions_accepted",
                "decisions_rejected",
            )
        },
        "manifest": result.get("manifest"),
        "links_expire_at": expires.isoformat(timespec="seconds"),
        "links": {name: presigned_get(store, prefix + name, expiry) for name in LINKED_FILES},
    }


def write_notifications(folder: Path, notes: list[dict[str, Any]]) -> list[Path]:
    """One JSON and one plain-text message per bank under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for note in notes:
        path = folder / f"{note['bank']}.json"
        path.write_text(json.dumps(note, indent=2, sort_keys=True), encoding="utf-8")
        lines = [note["subject"], "", f"Links valid until {note['links_expire_at']}:"]
        lines += [f"  {name}: {url}" for name, url in note["links"].items()]
        (folder / f"{note['bank']}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written
