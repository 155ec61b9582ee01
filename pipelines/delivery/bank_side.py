"""The bank's side: fetching its report set and submitting review decisions, with the bank's
own credentials (``INTERDICT_<BANK>_S3_ACCESS_KEY`` / ``..._SECRET_KEY``; on a local store the
bank's identity in ``infra/s3-identities.json``).

A fetch trusts nothing but the manifest: every file it lists is downloaded and checked against
its SHA-256 and size; a missing or altered file is named, never silently accepted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipelines import paths
from pipelines.delivery.dispositions import parse_file, safe_name
from pipelines.errors import InterdictError
from pipelines.publish import MANIFEST
from pipelines.settings import Settings
from pipelines.storage import ObjectNotFound, ObjectStore, sha256_bytes


class ReportIncomplete(InterdictError):
    """The bank's report for that night has no manifest: it is not (yet) complete."""


@dataclass
class FetchResult:
    bank: str
    run_date: str
    folder: Path
    verified: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)  # objects under the prefix the manifest does not list

    @property
    def ok(self) -> bool:
        return not self.missing and not self.altered


def bank_store(settings: Settings, bank: str) -> ObjectStore:
    settings.config.bank(bank)
    return ObjectStore.open(settings, settings.config.buckets.reports, identity=bank)


def latest_date(store: ObjectStore, bank: str) -> str:
    try:
        pointer = json.loads(store.get_bytes(paths.latest_key(bank)))
    except ObjectNotFound:
        raise ReportIncomplete(f"{bank} has no published report yet ({store.uri(paths.latest_key(bank))})") from None
    return paths.check_run_date(str(pointer["run_date"]))


def fetch_report(settings: Settings, bank: str, run_date: str | None, folder: Path) -> FetchResult:
    """Download the bank's report set for ``run_date`` (default: its latest) into ``folder``."""
    store = bank_store(settings, bank)
    run_date = paths.check_run_date(run_date) if run_date else latest_date(store, bank)
    prefix = paths.report_prefix(bank, run_date)
    try:
        raw = store.get_bytes(prefix + MANIFEST)
    except ObjectNotFound:
        raise ReportIncomplete(
            f"no complete report for {bank} on {run_date}: {store.uri(prefix + MANIFEST)} does not exist"
        ) from None
    manifest = json.loads(raw)
    result = FetchResult(bank, run_date, folder)
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    for name, info in sorted(manifest.get("files", {}).items()):
        target = (folder / name).resolve()
        if root not in target.parents:
            result.altered.append(name)  # a manifest naming a path outside the folder is not trusted
            continue
        try:
            data = store.get_bytes(prefix + name)
        except ObjectNotFound:
            result.missing.append(name)
            continue
        if sha256_bytes(data) != info.get("sha256") or len(data) != info.get("bytes"):
            result.altered.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        result.verified.append(name)
    (folder / MANIFEST).write_bytes(raw)
    listed = set(manifest.get("files", {})) | {MANIFEST}
    result.unlisted = sorted(k[len(prefix) :] for k in store.list_keys(prefix) if k[len(prefix) :] not in listed)
    return result


def submit_decisions(settings: Settings, bank: str, path: Path, *, now: datetime | None = None) -> str:
    """Upload a decision file to the bank's inbox; returns its URI. A file the night could not read
    at all (missing columns, not UTF-8, over the limits on one file) is refused here, before upload."""
    data = path.read_bytes()
    _, _, problem = parse_file(data, settings.config.decision_files)
    if problem:
        raise InterdictError(f"{path}: {problem}")
    settings.config.bank(bank)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    key = f"{paths.inbox_prefix(bank)}{stamp}-{sha256_bytes(data)[:12]}-{safe_name(path.name)}"
    store = ObjectStore.open(settings, settings.config.buckets.reports, identity=bank)
    store.put_bytes(key, data, "text/csv; charset=utf-8")
    return store.uri(key)
