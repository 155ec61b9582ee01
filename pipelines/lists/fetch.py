"""Fetch list publications from their official publishers.

Conditional requests (``If-None-Match`` / ``If-Modified-Since`` from the previous answer), a
timeout per request, retries with exponential backoff on network errors, 429 and 5xx; every raw
file kept immutable in the store under its content hash, and written to a local folder for
parsing. A file the publisher says has not changed (304) is taken from the store.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists.sources import SourceConfig
from pipelines.lists.store import STATE_PREFIX, ListStore, raw_key

log = logging.getLogger(__name__)
USER_AGENT = "interdict-lists/1.0 (sanctions screening)"


class FetchError(ListError):
    """A publication could not be downloaded; retrying later may succeed."""

    transient = True


@dataclass(frozen=True)
class FetchedFile:
    list_source: str
    name: str
    url: str
    sha256: str
    key: str  # raw file in the store
    path: Path  # local copy to parse
    status: str  # downloaded | not-modified
    size: int


@dataclass(frozen=True)
class _State:
    url: str
    etag: str | None
    last_modified: str | None
    sha256: str
    key: str


def _state_key(list_source: str, name: str) -> str:
    return f"{STATE_PREFIX}{list_source}/{name}.json"


def _read_state(store: ListStore, list_source: str, name: str) -> _State | None:
    key = _state_key(list_source, name)
    if not store.exists(key):
        return None
    try:
        return _State(**json.loads(store.get_bytes(key)))
    except (ValueError, TypeError):
        return None


def _get(url: str, headers: dict[str, str], timeout: float) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = answer.read()
            length = answer.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) != len(body):
                raise FetchError(f"{url}: got {len(body)} bytes of {length} (connection cut)")
            return answer.status, body, dict(answer.headers.items())
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return 304, b"", dict(exc.headers.items())
        raise


def _download(
    source: SourceConfig, url: str, headers: dict[str, str], sleep: Callable[[float], None]
) -> tuple[int, bytes, dict[str, str]]:
    attempts = source.retries + 1
    for attempt in range(attempts):
        try:
            return _get(url, headers, source.timeout_seconds)
        except urllib.error.HTTPError as exc:
            if exc.code != 429 and exc.code < 500:
                raise ListError(f"{source.list_source}: {url} answered {exc.code} {exc.reason}") from exc
            problem = f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, ConnectionError, FetchError) as exc:
            problem = str(getattr(exc, "reason", exc))
        if attempt + 1 < attempts:
            delay = source.backoff_seconds * 2**attempt
            log.warning("%s: %s (%s); retrying in %.1fs", source.list_source, url, problem, delay)
            sleep(delay)
    raise FetchError(f"{source.list_source}: {url} failed after {attempts} attempts: {problem}")


def fetch_source(
    source: SourceConfig,
    store: ListStore,
    dest: Path,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> list[FetchedFile]:
    """Fetch every file of ``source`` into ``dest/<list_source>/``; raw bytes into the store."""
    folder = dest / source.list_source
    folder.mkdir(parents=True, exist_ok=True)
    fetched: list[FetchedFile] = []
    for name, url in source.files.items():
        previous = _read_state(store, source.list_source, name)
        headers: dict[str, str] = {}
        if previous and previous.url == url and store.exists(previous.key):
            if previous.etag:
                headers["If-None-Match"] = previous.etag
            if previous.last_modified:
                headers["If-Modified-Since"] = previous.last_modified
        status, body, answer_headers = _download(source, url, headers, sleep)
        if status == 304 and previous:
            body = store.get_bytes(previous.key)
            outcome = "not-modified"
        else:
            outcome = "downloaded"
        if not body.strip():
            raise ListError(f"{source.list_source}: {url} returned an empty file")
        digest = hashlib.sha256(body).hexdigest()
        key = raw_key(digest, name)
        if not store.exists(key):
            store.put_bytes(key, body)
        path = folder / name
        path.write_bytes(body)
        lowered = {k.lower(): v for k, v in answer_headers.items()}
        state = _State(
            url=url,
            etag=lowered.get("etag") or (previous.etag if previous and status == 304 else None),
            last_modified=lowered.get("last-modified")
            or (previous.last_modified if previous and status == 304 else None),
            sha256=digest,
            key=key,
        )
        store.put_bytes(_state_key(source.list_source, name), json.dumps(asdict(state)).encode())
        fetched.append(FetchedFile(source.list_source, name, url, digest, key, path, outcome, len(body)))
        log.info("%s %s: %s, %d bytes, sha256 %s", source.list_source, name, outcome, len(body), digest[:12])
    return fetched
