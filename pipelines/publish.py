"""Publishing a report set like a database commit.

Every file is written under the night's prefix and verified (size and SHA-256); objects left
over from an earlier attempt that are not part of this set are deleted; the manifest, listing
every file with its hash, is written last, then the bank's ``latest.json`` pointer. A reader who
finds a manifest finds a complete report; a half-written night has no manifest.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from pipelines.report import manifest_bytes
from pipelines.storage import ObjectStore, sha256_file

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
_CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".parquet": "application/vnd.apache.parquet",
    ".html": "text/html; charset=utf-8",
}


def content_type(name: str) -> str:
    return _CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream")


def publish_report_set(
    store: ObjectStore,
    prefix: str,
    files: dict[str, Path],
    manifest: dict[str, Any],
    *,
    latest_key: str | None = None,
) -> str:
    """Upload ``files`` under ``prefix`` and the manifest last; returns the manifest's URI."""
    if store.exists(prefix + MANIFEST):
        # The night is being replaced: withdraw the old manifest first, so that nobody takes
        # a mixture of old and new files for a complete report.
        store.delete(prefix + MANIFEST)
    listed: dict[str, dict[str, Any]] = {}
    for name, path in sorted(files.items()):
        digest = store.put_file(prefix + name, path, content_type(name))
        if digest != sha256_file(path):
            raise RuntimeError(f"{path} changed while it was published")
        listed[name] = {"sha256": digest, "bytes": path.stat().st_size}
    stale = [k for k in store.list_keys(prefix) if k[len(prefix) :] not in listed and k != prefix + MANIFEST]
    for key in stale:
        store.delete(key)
    if stale:
        log.info("removed %d objects of an earlier attempt under %s", len(stale), store.uri(prefix))
    full = {**manifest, "files": listed}
    store.put_bytes(prefix + MANIFEST, manifest_bytes(full), content_type(MANIFEST))
    uri = store.uri(prefix + MANIFEST)
    if latest_key:
        pointer = {"run_date": manifest.get("run_date"), "manifest": uri, "prefix": prefix}
        store.put_bytes(latest_key, json.dumps(pointer, sort_keys=True).encode(), content_type(".json"))
    return uri
