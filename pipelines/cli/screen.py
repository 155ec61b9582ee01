"""``interdict screen PARTIES --lists DIR --out HITS``: ad-hoc batch screening outside Airflow."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import polars as pl

from pipelines.cli.progress import Progress, library_logs, status
from pipelines.errors import InputError
from pipelines.extracts import read_extract
from pipelines.lists import LoadedLists, load_directory
from pipelines.sharding import screen_sharded
from pipelines.tables import write_csv, write_table
from pipelines.validation import to_parties, validate_parties
from screening import ScreeningConfig
from screening.model import ENTITY_TYPES

REQUIRED = ("record_id", "name", "entity_type")
# The core output columns. Scripts read them by position: new columns go at the end.
OUTPUT_COLUMNS = ("record_id", "list_source", "entry_id", "score", "matched_name", "explanation", "party_name")
OUTPUT_SUFFIXES = (".csv", ".parquet")
# Parties screened per piece: how often the progress moves (the hits do not depend on it).
PIECE_PARTIES = 10_000
_SHOWN_PROBLEMS = 5


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "screen",
        help="screen a file of parties against a folder of official list files",
        description="Screen PARTIES (CSV or Parquet with record_id, name, entity_type and optional dob, "
        "country, id_number, gender) against every list file in DIR (formats detected by content). "
        "Writes one row per (record_id, list entry) at or above the threshold to HITS (CSV or Parquet "
        "by extension): record_id, list_source, entry_id, score, matched_name, explanation, party_name. "
        "Rows that cannot be screened go to HITS.rejected.csv with the reason; list records that could "
        "not be read cleanly to HITS.list-problems.csv. Progress goes to standard error, the summary to "
        "standard output.",
    )
    parser.add_argument("parties", type=Path, metavar="PARTIES")
    parser.add_argument("--lists", type=Path, required=True, metavar="DIR", help="folder of list files")
    parser.add_argument("--out", type=Path, required=True, metavar="HITS", help="output .csv or .parquet")
    for entity_type in ENTITY_TYPES:
        parser.add_argument(
            f"--threshold-{entity_type}",
            type=float,
            default=None,
            metavar="SCORE",
            help=f"minimum score of a hit for {entity_type} parties (default from the engine)",
        )
    parser.add_argument("--all-columns", action="store_true", help="write every hit column, not just the core")
    parser.add_argument(
        "--shards",
        type=int,
        default=1,
        metavar="N",
        help="split the parties into N shards (same output as 1; default 1)",
    )
    parser.add_argument(
        "--workers", type=int, default=1, metavar="M", help="screen the shards with M processes (default 1)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress, only the closing summary")
    parser.set_defaults(func=run)


def read_parties(path: Path) -> pl.DataFrame:
    """Parties from CSV or Parquet, every column read as text, with ``_row`` (its line) and
    ``_problem`` (why a row could not be read cleanly). The encoding and delimiter are detected;
    a file lacking a required column, or not readable at all, is an :class:`InputError`."""
    if not path.is_file():
        raise InputError(path, "no such file")
    return read_extract(path, "parties")


def check_arguments(args: argparse.Namespace) -> dict[str, float]:
    """Everything that can be checked before any work: refused at once, naming the argument."""
    if args.out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError(args.out, f"--out must end in .csv or .parquet, not {args.out.suffix or 'nothing'!r}")
    if args.out.is_dir():
        raise InputError(args.out, "--out is a folder: give a file name ending in .csv or .parquet")
    if args.shards < 1 or args.workers < 1:
        raise InputError(args.parties, "--shards and --workers must be at least 1")
    if not args.parties.is_file():
        raise InputError(args.parties, "no such file")
    if not args.lists.is_dir():
        raise InputError(args.lists, "--lists must be a folder of list files")
    thresholds = {t: v for t in ENTITY_TYPES if (v := getattr(args, f"threshold_{t}".replace("-", "_"))) is not None}
    try:
        ScreeningConfig(thresholds=thresholds)
    except ValueError as exc:
        raise InputError(args.out, f"threshold: {exc}") from None
    return thresholds


def skipped_files(folder: Path, loaded: LoadedLists) -> list[Path]:
    """Files under ``folder`` that were not read as part of any list (hidden files aside)."""
    used = {s.path.resolve() for s in loaded.sources}
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return sorted(p for p in files if p.resolve() not in used)


def _sibling(out: Path, suffix: str) -> Path:
    return out.with_name(out.name + suffix)


def run(args: argparse.Namespace) -> int:
    with library_logs(args.verbose):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    quiet = bool(args.quiet)
    thresholds = check_arguments(args)
    config = ScreeningConfig(thresholds=thresholds)

    status(f"reading {args.parties}", quiet=quiet)
    parties = read_parties(args.parties)
    if parties.height == 0:
        raise InputError(args.parties, "no records: the file has a header but no rows")
    status(f"reading the lists in {args.lists}", quiet=quiet)
    loaded = load_directory(args.lists)
    skipped = skipped_files(args.lists, loaded)
    status(f"checking {parties.height:,} rows (data-quality rules)", quiet=quiet)
    result = validate_parties(parties, source=str(args.parties))
    clean = to_parties(result.clean, "parties")
    rejected = result.quarantine

    with Progress(clean.height, "screening", "parties", quiet=quiet) as progress:
        hits = screen_sharded(
            clean,
            loaded.watchlist,
            config,
            shards=args.shards,
            workers=args.workers,
            piece_parties=PIECE_PARTIES,
            progress=progress.advance,
        )
    if not args.all_columns:
        hits = hits.select(OUTPUT_COLUMNS)
    write_table(hits, args.out)

    rejected_path = _sibling(args.out, ".rejected.csv")
    problems_path = _sibling(args.out, ".list-problems.csv")
    for stale in (rejected_path, problems_path):
        stale.unlink(missing_ok=True)  # an earlier run's file would be taken for tonight's
    if rejected.height:
        write_csv(rejected.with_columns(pl.col(pl.List(pl.String)).list.join("|")), rejected_path)
    if loaded.problems.height:
        write_csv(loaded.problems, problems_path)

    seconds = time.monotonic() - started
    where = f" -> {rejected_path} (each row with its reason)" if rejected.height else ""
    print(f"{parties.height} rows in, {clean.height} screened, {rejected.height} rejected{where}")
    per_list = ", ".join(f"{k} {v}" for k, v in loaded.entries_per_source().items())
    files = len({s.path for s in loaded.sources})
    print(f"{len(loaded.watchlist)} list entries from {files} file(s) in {args.lists} ({per_list})")
    if loaded.problems.height:
        print(f"{loaded.problems.height} list record(s) could not be read cleanly -> {problems_path}:")
        for row in loaded.problems.head(_SHOWN_PROBLEMS).iter_rows(named=True):
            print(f"  {row['list_source']} {row['entry_id'] or ''} ({row['location']}): {row['problem']}")
        if loaded.problems.height > _SHOWN_PROBLEMS:
            print(f"  … and {loaded.problems.height - _SHOWN_PROBLEMS} more")
    if skipped:
        names = ", ".join(str(p.relative_to(args.lists)) for p in skipped[:10])
        more = f" and {len(skipped) - 10} more" if len(skipped) > 10 else ""
        print(f"warning: skipped {len(skipped)} file(s) in {args.lists} that are not sanctions lists: {names}{more}")
    rate = f", {clean.height / seconds:,.0f} parties/s" if seconds > 0 else ""
    print(
        f"{hits.height} hits for {hits['record_id'].n_unique()} parties -> {args.out} ({seconds:.1f}s{rate})"
    )
    return 0
