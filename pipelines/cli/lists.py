"""``interdict lists fetch | show | diff``: the sanctions lists and their snapshots.

- ``fetch`` downloads every enabled source (conditional requests, retries), parses, checks the
  guards and publishes a snapshot; prints entries per source and type and the changes.
- ``show`` summarises the snapshot in force, or a folder of list files.
- ``diff`` compares two snapshots (by hash) or two folders of list files.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import polars as pl

from pipelines.errors import ListError
from pipelines.lists import load_directory
from pipelines.lists.refresh import refresh_lists
from pipelines.lists.snapshot import (
    counts_by_source_and_type,
    current_snapshot,
    diff_summary,
    diff_watchlists,
    load_snapshot,
    snapshot_meta,
)
from pipelines.lists.sources import load_sources
from pipelines.lists.store import FolderStore, ListStore
from screening.model import Watchlist

TYPES = ("person", "organization", "vessel", "aircraft", "unknown")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("lists", help="fetch, show and compare the sanctions lists")
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep raw files and snapshots in this folder (default: the lists bucket of the object store)",
    )
    commands = parser.add_subparsers(dest="lists_command", metavar="COMMAND", required=True)

    fetch = commands.add_parser("fetch", help="download the configured lists and publish a snapshot")
    fetch.add_argument("--sources", type=Path, default=None, metavar="YAML", help="list sources file")
    fetch.add_argument("--work", type=Path, default=None, metavar="DIR", help="where downloads are parsed")
    fetch.set_defaults(func=cmd_fetch)

    show = commands.add_parser("show", help="summarise the snapshot in force, or a folder of list files")
    show.add_argument("path", nargs="?", type=Path, default=None, metavar="DIR")
    show.set_defaults(func=cmd_show)

    diff = commands.add_parser("diff", help="entries added, removed and amended between two lists")
    diff.add_argument("old", metavar="OLD", help="snapshot hash (or prefix) or folder of list files")
    diff.add_argument("new", metavar="NEW", nargs="?", default=None, help="default: the snapshot in force")
    diff.add_argument("--out", type=Path, default=None, metavar="FILE", help="write every change (.csv/.parquet)")
    diff.set_defaults(func=cmd_diff)


def _store(args: argparse.Namespace) -> ListStore:
    if args.store is not None:
        return FolderStore(args.store)
    from pipelines.settings import Settings
    from pipelines.storage import ObjectStore

    settings = Settings.from_env()
    store = ObjectStore.open(settings, settings.config.buckets.lists)
    store.ensure_bucket()
    return store


def _progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def counts_table(counts: dict[str, dict[str, int]], changes: dict[str, dict[str, int]] | None = None) -> str:
    """A plain-text table: entries per source and type, and changes since the previous snapshot."""
    header = ["source", *TYPES, "total"]
    if changes is not None:
        header += ["added", "removed", "amended"]
    rows = []
    for source in sorted(set(counts) | set(changes or {})):
        per_type = counts.get(source, {})
        row = [source, *(str(per_type.get(t, 0)) for t in TYPES), str(sum(per_type.values()))]
        if changes is not None:
            change = changes.get(source, {})
            row += [str(change.get(k, 0)) for k in ("added", "removed", "amended")]
        rows.append(row)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_fetch(args: argparse.Namespace) -> int:
    sources = load_sources(args.sources)
    store = _store(args)
    with tempfile.TemporaryDirectory(prefix="interdict-lists-") as tmp:
        work = args.work or Path(tmp)
        result, fetched = refresh_lists(store, work, sources, progress=_progress)
    for f in fetched:
        print(f"{f.list_source:<14} {f.name:<24} {f.status:<13} {f.size:>10} bytes  sha256 {f.sha256[:16]}")
    if result.status == "refused":
        print(f"publication refused; snapshot in force: {result.sha256 or 'none'}", file=sys.stderr)
        for problem in result.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"snapshot {result.sha256} ({result.status})")
    print(counts_table(result.counts, result.diff))
    return 0


def _resolve(args: argparse.Namespace, ref: str | None) -> Watchlist:
    if ref is not None and Path(ref).is_dir():
        return load_directory(Path(ref)).watchlist
    store = _store(args)
    if ref is None:
        return load_snapshot(store)
    matches = sorted({k.split("/")[1] for k in store.list_keys(f"snapshots/{ref}") if k.count("/") >= 2})
    if len(matches) != 1:
        raise ListError(f"{ref}: neither a folder nor one snapshot hash ({len(matches)} snapshots match)")
    return load_snapshot(store, matches[0])


def cmd_show(args: argparse.Namespace) -> int:
    if args.path is not None:
        loaded = load_directory(args.path)
        print(counts_table(counts_by_source_and_type(loaded.watchlist)))
        for src in loaded.sources:
            print(f"{src.list_source:<14} {src.format:<22} {src.entries:>6}  {src.sha256[:16]}  {src.path}")
        if loaded.problems.height:
            print(f"{loaded.problems.height} problem(s):")
            with pl.Config(tbl_rows=20, fmt_str_lengths=80):
                print(loaded.problems.select("list_source", "entry_id", "problem").head(20))
        return 0
    store = _store(args)
    pointer = current_snapshot(store)
    if pointer is None:
        print("no snapshot yet: run `interdict lists fetch`", file=sys.stderr)
        return 1
    meta = snapshot_meta(store, str(pointer["sha256"]))
    print(f"snapshot {meta['sha256']} created {meta['created']} (previous {meta.get('previous_sha256')})")
    print(counts_table(meta["entries"], meta.get("diff", {})))
    print(json.dumps(meta["sources"], indent=2))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    old = _resolve(args, args.old)
    new = _resolve(args, args.new)
    diff = diff_watchlists(old, new)
    print(counts_table(counts_by_source_and_type(new), diff_summary(diff)))
    if args.out:
        frame = diff.with_columns(pl.col("tables").list.join(","))
        if args.out.suffix == ".parquet":
            frame.write_parquet(args.out)
        else:
            frame.write_csv(args.out)
        print(f"{diff.height} change(s) written to {args.out}")
    return 0
