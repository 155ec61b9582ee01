"""Shared helpers of the screening benchmarks: the full watchlist from every shared list file."""

from __future__ import annotations

import logging
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists import load_directory
from screening import Watchlist

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def full_watchlist(lists_dir: Path = SHARED / "lists") -> tuple[Watchlist, list[str]]:
    """Every list folder under ``lists_dir`` that the list loader supports, as one watchlist.

    Returns the watchlist and the folders that were skipped (format not supported yet)."""
    parts: list[Watchlist] = []
    skipped: list[str] = []
    folders = sorted({p.parent for p in lists_dir.rglob("*") if p.is_file()})
    for folder in folders:
        try:
            parts.append(load_directory(folder).watchlist)
        except ListError as exc:
            skipped.append(f"{folder.relative_to(lists_dir)}: {exc}")
    return Watchlist.concat(parts), skipped
