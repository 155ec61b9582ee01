"""Publishing a report set like a database commit.

1. An earlier manifest of the same night is withdrawn first: from then on the night reads as
   incomplete until this publish finishes.
2. Every file is written under the night's prefix. A file already there with the same size and
   MD5 (from an interrupted attempt) is kept, so a new attempt resumes where the last stopped.
3. The prefix is listed and every file verified (size and MD5 as the store reports them); objects
   not part of this set are deleted.
4. The manifest, listing every file with its SHA-256 and size, is written; then the bank's
   ``latest.json`` pointer, which only ever moves forward in time.

Each step is retried with backoff on transient errors. A publish that gives up leaves no
manifest, so a half-written night never looks complete; the next attempt resumes it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipelines.delivery.retry import Backoff, retrying
from pipelines.errors import StorageError
from pipelines.report import manifest_bytes
from pipelines.storage import ObjectInfo, ObjectNotFound, ObjectStore, sha256_file

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


def _md5_file(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _listing(store: ObjectStore, prefix: str, backoff: Backoff) -> dict[str, ObjectInfo]:
    return retrying(lambda: {o.key: o for o in store.list_objects(prefix)}, f"list {store.uri(prefix)}", backoff)


def publish_report_set(
    store: ObjectStore,
    prefix: str,
    files: dict[str, Path],
    manifest: dict[str, Any],
    *,
    latest_key: str | None = None,
    backoff: Backoff | None = None,
    after_upload: Callable[[str], None] | None = None,
) -> str:
    """Upload ``files`` (name under ``prefix`` → local path) and the manifest last; returns the
    manifest's URI. ``after_upload`` is called with each name once it is stored."""
    backoff = backoff or Backoff()
    manifest_key = prefix + MANIFEST
    if retrying(lambda: store.exists(manifest_key), f"check {store.uri(manifest_key)}", backoff):
        retrying(lambda: store.delete(manifest_key), f"withdraw {store.uri(manifest_key)}", backoff)

    local = {name: (path, path.stat().st_size, _md5_file(path), sha256_file(path)) for name, path in files.items()}
    present = _listing(store, prefix, backoff)
    resumed = 0
    for name, (path, size, md5, _) in sorted(local.items()):
        there = present.get(prefix + name)
        if there is not None and there.size == size and there.etag == md5:
            resumed += 1
        else:
            retrying(
                lambda name=name, path=path: store.put_file(prefix + name, path, content_type(name)),  # type: ignore[misc]
                f"put {store.uri(prefix + name)}",
                backoff,
            )
        if after_upload is not None:
            after_upload(name)

    present = _listing(store, prefix, backoff)
    for name, (_, size, md5, _) in sorted(local.items()):
        there = present.get(prefix + name)
        if there is None or there.size != size or there.etag != md5:
            found = "missing" if there is None else f"{there.size} bytes, MD5 {there.etag}"
            raise StorageError(
                f"{store.uri(prefix + name)} failed verification: expected {size} bytes, MD5 {md5}; store has {found}"
            )
    stale = sorted(k for k in present if k[len(prefix) :] not in local and k != manifest_key)
    for key in stale:
        retrying(lambda key=key: store.delete(key), f"delete {store.uri(key)}", backoff)  # type: ignore[misc]
    if stale:
        log.info("removed %d objects of an earlier attempt under %s", len(stale), store.uri(prefix))

    listed = {name: {"sha256": sha, "bytes": size} for name, (_, size, _, sha) in sorted(local.items())}
    body = manifest_bytes({**manifest, "files": listed})
    retrying(
        lambda: store.put_bytes(manifest_key, body, content_type(MANIFEST)), f"put {store.uri(manifest_key)}", backoff
    )
    uri = store.uri(manifest_key)
    if latest_key:
        _move_latest(store, latest_key, prefix, uri, str(manifest.get("run_date", "")), backoff)
    log.info("published %d files under %s (%d kept from an earlier attempt)", len(local), store.uri(prefix), resumed)
    return uri


def _move_latest(store: ObjectStore, key: str, prefix: str, uri: str, run_date: str, backoff: Backoff) -> None:
    """Point ``key`` at this night unless it already points at a later one."""

    def current() -> str:
        try:
            return str(json.loads(store.get_bytes(key)).get("run_date") or "")
        except ObjectNotFound:
            return ""
        except ValueError:
            return ""

    if retrying(current, f"get {store.uri(key)}", backoff) > run_date:
        return
    pointer = json.dumps({"run_date": run_date, "manifest": uri, "prefix": prefix}, sort_keys=True).encode()
    retrying(lambda: store.put_bytes(key, pointer, content_type(".json")), f"put {store.uri(key)}", backoff)
