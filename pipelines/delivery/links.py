"""Time-limited download links for the night's notifications.

Each bank's notification carries presigned GET links to its own report files only; a link
grants reading that one object until it expires, without any credentials of the bank's.
Links are never part of the report set itself (they differ on every run).

A link is signed with the bank's **link identity** (``<bank>-links`` unless the bank's
``link_identity`` says otherwise), which may only read that bank's report prefix; never with the
pipeline's key. A presigned link is as good as the key that signed it, for as long as that key is
valid: deactivating or rotating the link identity's key revokes every link it signed, and
nothing else.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from pipelines import paths
from pipelines.errors import ConfigError, StorageError
from pipelines.settings import Settings
from pipelines.storage import ObjectStore

log = logging.getLogger(__name__)

DEFAULT_EXPIRY: Final = timedelta(hours=72)
MAX_EXPIRY: Final = timedelta(days=7)  # the longest a SigV4 presigned URL may live
LINKED_FILES: Final = ("summary.html", "hits.csv", "hits.parquet", "cleared.csv", "rejections.csv", "manifest.json")


def link_signer(settings: Settings, bank: str) -> ObjectStore:
    """The reports bucket seen by ``bank``'s link identity, through a client that signs links
    with Signature V4 (``X-Amz-Expires``), which every S3 API accepts; no request is sent to sign
    a link. A :class:`ConfigError` when the identity has no credentials: links are never signed
    with another key."""
    identity = settings.config.bank(bank).links_identity
    try:
        creds = settings.credentials(identity)
        found = ""
    except ConfigError as exc:  # a local store whose identities file lacks it
        creds, found = None, f" ({exc})"
    if creds is None:
        env = f"INTERDICT_{identity.upper().replace('-', '_')}_S3_ACCESS_KEY"
        raise ConfigError(
            f"no credentials for {identity!r}, the read-only identity that signs {bank}'s download links{found}: "
            f"set {env} and {env.replace('ACCESS_KEY', 'SECRET_KEY')}"
        )
    client = boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint,
        region_name=settings.s3_region,
        aws_access_key_id=creds.access_key,
        aws_secret_access_key=creds.secret_key,
        config=BotoConfig(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    return ObjectStore(client, settings.config.buckets.reports)


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
    store: ObjectStore | None,
    result: dict[str, Any],
    run_date: str,
    *,
    expiry: timedelta = DEFAULT_EXPIRY,
    now: datetime | None = None,
    no_links: str = "",
) -> dict[str, Any]:
    """The notification for one bank's night: its counts and links to its own files, signed by
    ``store``'s identity (without a store: no links, and ``no_links`` says why)."""
    bank = str(result["bank"])
    prefix = paths.report_prefix(bank, run_date)
    expires = (now or datetime.now(UTC)) + expiry
    note = {
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
        "links_expire_at": None,
        "links": {},
    }
    if store is None:
        return {**note, "links_unavailable": no_links or "no identity to sign links with"}
    return {
        **note,
        "links_expire_at": expires.isoformat(timespec="seconds"),
        "links": {name: presigned_get(store, prefix + name, expiry) for name in LINKED_FILES},
    }


def bank_notifications(
    settings: Settings, results: list[dict[str, Any]], run_date: str, *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """One notification per bank result, its links signed by that bank's link identity. A bank
    whose link identity has no credentials gets its notification without links, saying why."""
    expiry = timedelta(hours=settings.config.link_expiry_hours)
    notes = []
    for result in results:
        bank = str(result["bank"])
        try:
            signer = link_signer(settings, bank)
        except ConfigError as exc:
            log.error("%s: notification without download links: %s", bank, exc)
            notes.append(bank_notification(None, result, run_date, expiry=expiry, now=now, no_links=str(exc)))
            continue
        notes.append(bank_notification(signer, result, run_date, expiry=expiry, now=now))
    return notes


def write_notifications(folder: Path, notes: list[dict[str, Any]]) -> list[Path]:
    """One JSON and one plain-text message per bank under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for note in notes:
        path = folder / f"{note['bank']}.json"
        path.write_text(json.dumps(note, indent=2, sort_keys=True), encoding="utf-8")
        lines = [note["subject"], ""]
        if note["links"]:
            lines += [f"Links valid until {note['links_expire_at']}:"]
            lines += [f"  {name}: {url}" for name, url in note["links"].items()]
        else:
            lines += [
                f"No download links tonight: {note.get('links_unavailable', '')}",
                f"The report is at {note['manifest']} (interdict reports fetch --bank {note['bank']}).",
            ]
        (folder / f"{note['bank']}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written
