"""``interdict screen PARTIES --lists DIR --out HITS``: ad-hoc batch screening outside Airflow."""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

import polars as pl

from pipelines.errors import InputError
from pipelines.extracts import read_extract
from pipelines.lists import load_directory
from pipelines.sharding import screen_sharded
from pipelines.tables import write_table
from pipelines.validation import to_parties, validate_parties
from screening import ScreeningConfig
from screening.model import ENTITY_TYPES

log = logging.getLogger(__name__)

REQUIRED = ("record_id", "name", "entity_type")
OUTPUT_COLUMNS = ("record_id", "list_source", "entry_id", "score", "matched_name", "explanation")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "screen",
        help="screen a file of parties against a folder of official list files",
        description="Screen PARTIES (CSV or Parquet with record_id, name, entity_type and optional dob, "
        "country, id_number, gender) against every list file in DIR (formats detected by content). "
        "Writes one row per (record_id, list entry) at or above the threshold to HITS (CSV or Parquet "
        "by extension).",
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
    parser.set_defaults(func=run)


def read_parties(path: Path) -> pl.DataFrame:
    """Parties from CSV or Parquet, every column read as text, with ``_row`` (its line) and
    ``_problem`` (why a row could not be read cleanly). The encoding and delimiter are detected;
    a file lacking a required column, or not readable at all, is an :class:`InputError`."""
    if not path.is_file():
        raise InputError(path, "no such file")
    return read_extract(path, "parties")


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    parties = read_parties(args.parties)
    loaded = load_directory(args.lists)
    thresholds = {t: v for t in ENTITY_TYPES if (v := getattr(args, f"threshold_{t}".replace("-", "_"))) is not None}
    config = ScreeningConfig(thresholds=thresholds)
    result = validate_parties(parties, source=str(args.parties))
    clean = to_parties(result.clean, "parties")
    rejected = result.quarantine
    if args.shards < 1 or args.workers < 1:
        raise InputError(args.parties, "--shards and --workers must be at least 1")
    hits = screen_sharded(clean, loaded.watchlist, config, shards=args.shards, workers=args.workers)
    if not args.all_columns:
        hits = hits.select(OUTPUT_COLUMNS)
    write_table(hits, args.out)
    if rejected.height:
        rejected.with_columns(pl.col(pl.List(pl.String)).list.join("|")).write_csv(
            args.out.with_name(args.out.name + ".rejected.csv")
        )
    print(f"{parties.height} rows in, {clean.height} screened, {rejected.height} rejected")
    print(
        f"{len(loaded.watchlist)} list entries, {hits.height} hits for "
        f"{hits['record_id'].n_unique()} parties -> {args.out} ({time.monotonic() - started:.1f}s)"
    )
    return 0
