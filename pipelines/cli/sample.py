"""``interdict sample``: deterministic sample extracts for the demo, tests and benchmarks."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from pipelines.lists import load_directory, sample_lists_dir
from pipelines.localstore import ensure_running
from pipelines.samples.night import generate_night, land_night
from pipelines.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "sample",
        help="generate sample bank extracts (with planted matches) and optionally land them",
        description="Write customers.csv and payments.csv per bank under OUT/<bank>/ and OUT/truth.csv "
        "listing every planted match, near miss and defective row; and a company register (Companies House "
        "companies, officers and PSC snapshot with ownership chains, shared owners and cycles) under "
        "OUT/registry/ with its own truth.json. Deterministic for a given --seed.",
    )
    parser.add_argument("--out", type=Path, default=None, help="output folder (default $INTERDICT_HOME/samples/DATE)")
    parser.add_argument("--date", default=date.today().isoformat(), help="run date YYYY-MM-DD (default today)")
    parser.add_argument("--parties", type=int, default=2000, help="parties per bank (default 2000)")
    parser.add_argument("--companies", type=int, default=2000, help="companies in the sample register (default 2000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--banks", default=None, help="comma-separated bank ids (default: configured banks)")
    parser.add_argument("--lists", type=Path, default=None, help="list folder whose names are planted")
    parser.add_argument("--land", action="store_true", help="upload the extracts to the landing bucket")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    run_date = date.fromisoformat(args.date)
    banks = args.banks.split(",") if args.banks else [b.id for b in settings.config.banks]
    out = args.out or settings.home / "samples" / run_date.isoformat()
    lists_dir = args.lists or settings.lists_dir or sample_lists_dir()
    watchlist = load_directory(lists_dir).watchlist
    night = generate_night(out, watchlist, banks, run_date=run_date, seed=args.seed, parties=args.parties,
                           companies=args.companies)
    print(f"registry: {night.register['companies']} companies, {night.register['flagged']} planted flags "
          f"-> {out / 'registry'}")
    for s in night.banks:
        print(f"{s.bank}: {s.customers} customers, {s.payments} payments, {s.planted} planted matches, "
              f"{s.near_misses} near misses, {s.defects} defective rows -> {out / s.bank}")
    if args.land:
        if settings.endpoint_is_local:
            ensure_running(settings)
        for uri in land_night(settings, run_date.isoformat(), night):
            print(f"landed {uri}")
    return 0
