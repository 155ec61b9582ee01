"""``interdict demo`` and ``interdict night``: a whole night locally, through Airflow."""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from pipelines.airflow_local import LocalAirflow, init_db, run_night
from pipelines.lists import load_directory, sample_lists_dir
from pipelines.localstore import ensure_running
from pipelines.samples.night import generate_night, land_night
from pipelines.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser(
        "demo",
        help="a full night on generated sample data, published to the local object store",
        description="Start the local object store, initialise Airflow, generate and land sample extracts "
        "for every configured bank, run the nightly DAG for one date and print each bank's summary. "
        "Running it again for the same date replaces that night's reports.",
    )
    demo.add_argument("--date", default=date.today().isoformat(), help="run date YYYY-MM-DD (default today)")
    demo.add_argument("--parties", type=int, default=2000, help="sample parties per bank (default 2000)")
    demo.add_argument("--companies", type=int, default=2000, help="companies in the sample register")
    demo.add_argument("--seed", type=int, default=42)
    demo.set_defaults(func=run_demo)

    night = sub.add_parser(
        "night",
        help="run the nightly DAG for one date on what has landed (airflow dags test)",
        description="Run the interdict_nightly DAG for DATE with local Airflow and print the summary.",
    )
    night.add_argument("--date", default=date.today().isoformat(), help="run date YYYY-MM-DD (default today)")
    night.add_argument("--retry-delay", type=int, default=None, help="seconds between task retries")
    night.add_argument("--executor", choices=("test", "local"), default="test",
                       help="test: `airflow dags test` in one process (default); local: scheduler, API server and "
                       "DAG processor with the LocalExecutor, tasks in parallel")
    night.add_argument("--parallelism", type=int, default=2, help="tasks at once with --executor local (default 2)")
    night.set_defaults(func=run_one_night)


def print_summary(settings: Settings, run_date: str) -> bool:
    path = settings.run_dir(run_date) / "summary.json"
    if not path.exists():
        print(f"no summary for {run_date}: the night did not get that far (see the log above)")
        return False
    summary = json.loads(path.read_text(encoding="utf-8"))
    print()
    print(f"Night {run_date} — lists snapshot {str(summary['lists']['snapshot_sha256'])[:12]}, "
          f"entries {summary['lists']['entries']}")
    print(f"{'bank':<10} {'parties':>8} {'hits':>6} {'quarantined':>12}  report")
    for bank in summary["banks"]:
        print(f"{bank['bank']:<10} {bank['parties_screened']:>8} {bank['hits']:>6} "
              f"{bank['rows_quarantined']:>12}  {bank['manifest']}")
    register = summary.get("register") or {}
    if register.get("delivered"):
        print(f"register: {register['companies']} companies, {register['edges']} ownership edges, "
              f"flagged {register['flagged']} -> {register['manifest']}")
    elif register.get("error"):
        print(f"register: FAILED — {register['error']}")
    for bank in summary["failed_banks"]:
        print(f"{bank:<10} FAILED — no report tonight; see the screen_bank task log")
    print(f"status: {summary['status']}")
    return bool(summary["status"] == "complete")


def run_one_night(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if settings.endpoint_is_local:
        ensure_running(settings)
    if args.executor == "local":
        with LocalAirflow(settings, parallelism=args.parallelism, retry_delay_seconds=args.retry_delay) as airflow:
            night = airflow.run_night(args.date)
        for t in night.tasks:
            print(f"{t.task_id:<18} {t.map_index:>3} {t.state:<8} try {t.try_number}  {t.seconds:8.1f}s")
        ok = print_summary(settings, args.date)
        return 0 if night.state == "success" and ok else 1
    init_db(settings)
    code = run_night(settings, args.date, retry_delay_seconds=args.retry_delay)
    ok = print_summary(settings, args.date)
    return 0 if code == 0 and ok else 1


def run_demo(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    run_date = date.fromisoformat(args.date).isoformat()
    started = time.monotonic()
    print(f"[1/5] local object store at {settings.s3_endpoint}")
    ensure_running(settings)
    print(f"[2/5] Airflow metadata database under {settings.home / 'airflow'}")
    init_db(settings)
    lists_dir = settings.lists_dir or sample_lists_dir()
    print(f"[3/5] sample extracts planted with names from {lists_dir}")
    watchlist = load_directory(lists_dir).watchlist
    out = settings.home / "samples" / run_date
    banks = [b.id for b in settings.config.banks]
    night = generate_night(out, watchlist, banks, run_date=date.fromisoformat(run_date), seed=args.seed,
                           parties=args.parties, companies=args.companies)
    print(f"[4/5] banks land their extracts in s3://{settings.config.buckets.landing}/<bank>/{run_date}/, "
          f"the register in registry/{run_date}/")
    land_night(settings, run_date, night)
    log_file = settings.home / "logs" / f"night-{run_date}.log"
    print(f"[5/5] airflow dags test interdict_nightly {run_date} (log: {log_file})")
    code = run_night(settings, run_date, retry_delay_seconds=5, log_file=log_file)
    ok = print_summary(settings, run_date)
    print(f"truth file of planted matches: {Path(out) / 'truth.csv'}")
    print(f"done in {time.monotonic() - started:.0f}s")
    return 0 if code == 0 and ok else 1
