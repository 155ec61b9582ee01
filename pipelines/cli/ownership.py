"""``interdict ownership REGISTER_DIR --lists DIR --out FLAGS``: check a company register against
the lists and the 50 percent ownership rule, outside the nightly run."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.errors import ConfigError
from pipelines.lists import load_directory
from pipelines.registry.load import load_register
from pipelines.registry.resolve import DEFAULT_SEED_MIN_SCORE, resolve_register
from pipelines.tables import write_table


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "ownership",
        help="flag companies owned 50%% or more, or controlled, by listed parties",
        description="Load every register file in REGISTER_DIR (Companies House companies CSV, PSC snapshot, "
        "officers CSV, BODS 0.2/0.4, GLEIF LEI/RR; recognised by content), screen companies, owners and "
        "officers against the lists in DIR, apply the ownership rule to a fixed point and write one row per "
        "flagged company to FLAGS (.csv or .parquet): company_id, company_name, basis (ownership, control "
        "or possible), aggregate_share, listed_parties, evidence.",
    )
    parser.add_argument("register_dir", type=Path, metavar="REGISTER_DIR")
    parser.add_argument("--lists", type=Path, required=True, metavar="DIR", help="folder of sanctions list files")
    parser.add_argument("--out", type=Path, required=True, metavar="FLAGS", help="output file, .csv or .parquet")
    parser.add_argument("--threshold", type=float, default=50.0, help="aggregate percentage that blocks (default 50)")
    parser.add_argument(
        "--seed-score",
        type=float,
        default=DEFAULT_SEED_MIN_SCORE,
        help=f"minimum match score for a register party to count as listed (default {DEFAULT_SEED_MIN_SCORE})",
    )
    parser.add_argument("--hits", type=Path, default=None, help="also write the register parties' list hits here")
    parser.add_argument("--quarantine", type=Path, default=None, help="also write refused register rows here")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not 0 < args.threshold <= 100:
        raise ConfigError(f"--threshold must be in (0, 100], got {args.threshold}")
    if args.out.suffix.lower() not in {".csv", ".parquet"}:
        raise ConfigError(f"--out must end in .csv or .parquet, got {args.out}")
    watchlist = load_directory(args.lists).watchlist
    reg = load_register(args.register_dir)
    flags, hits = resolve_register(reg, watchlist, threshold=args.threshold, seed_min_score=args.seed_score)
    write_table(flags, args.out)
    if args.hits:
        write_table(hits, args.hits)
    if args.quarantine:
        write_table(reg.quarantine, args.quarantine)
    counts = {str(b): int(n) for b, n in flags.group_by("basis").len().sort("basis").iter_rows()}
    summary = ", ".join(f"{n} {b}" for b, n in counts.items()) or "none"
    print(
        f"{reg.companies.height} companies, {reg.persons.height} owners, {reg.edges.height} ownership edges, "
        f"{reg.officers.height} officers ({reg.quarantine.height} rows quarantined); "
        f"{hits.height} list hits, {int(hits['seed'].sum())} listed parties; flagged: {summary} -> {args.out}"
    )
    return 0
