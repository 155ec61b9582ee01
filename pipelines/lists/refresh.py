"""One night's list step: fetch every enabled source, parse, guard, publish the snapshot.

Any refusal (a download that failed, an empty, truncated or changed file, a broken sanity
bound) leaves the previous snapshot in force; the result says so for the night's manifest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists import load_directory
from pipelines.lists.fetch import FetchedFile, fetch_source
from pipelines.lists.snapshot import SnapshotResult, publish_snapshot, refuse
from pipelines.lists.sources import SourceConfig
from pipelines.lists.store import ListStore

log = logging.getLogger(__name__)


def refresh_lists(
    store: ListStore,
    workdir: Path,
    sources: Mapping[str, SourceConfig],
    *,
    progress: Callable[[str], None] | None = None,
) -> tuple[SnapshotResult, list[FetchedFile]]:
    """Fetch, parse and publish; returns the snapshot result and the files fetched."""
    enabled = {name: s for name, s in sources.items() if s.enabled}
    fetched: list[FetchedFile] = []
    for i, (name, source) in enumerate(sorted(enabled.items()), start=1):
        if progress:
            progress(f"[{i}/{len(enabled)}] fetching {name} ({len(source.files)} file(s))")
        try:
            fetched.extend(fetch_source(source, store, workdir))
        except ListError as exc:
            return refuse(store, [str(exc)]), fetched
    if progress:
        progress(f"parsing {len(fetched)} file(s)")
    try:
        loaded = load_directory(workdir)
    except ListError as exc:
        return refuse(store, [str(exc)]), fetched
    missing = sorted(set(enabled) - set(loaded.entries_per_source()))
    if missing:
        return refuse(store, [f"{name}: no entries parsed from its files" for name in missing]), fetched
    if progress:
        progress(f"publishing snapshot of {len(loaded.watchlist)} entries")
    return publish_snapshot(loaded, store, enabled), fetched
