"""The nightly DAG at scale: N parties for one bank through Airflow's LocalExecutor with two
parallel shard tasks, against a SeaweedFS S3 server of its own. Prints per task its wall time and
peak resident memory, and writes them as JSON.

    .venv/bin/python -m benchmarks.bench_nightly --parties 1000000 --parties 2000000

``--parties`` is the number of extract rows (half customers, half payments; a payment has two
parties), as for ``interdict sample --parties``. Everything lives under ``--home`` (default a new
folder in /tmp), the object store on free loopback ports; nothing of ``var/`` is touched.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import yaml

RUN_DATE = "2026-11-24"
BANK = "bank-a"
PEAK = re.compile(r"peak_rss_kb=(\d+)")


SYLLABLES = ("ka", "ro", "vin", "el", "ta", "mi", "sor", "lu", "den", "ba", "ri", "on", "za", "fe", "gul", "ti")


def diversify(sample_dir: Path, seed: int = 7) -> None:
    """Give every party that is not a planted case a name of its own: a made-up token after the
    first word ("Jonas Fischer" -> "Jonas Rovinta Fischer"). The sample generator draws names from
    pools, so 1.5 million parties carry only ~45,000 distinct names, while a real bank's parties are
    nearly all distinct; screening cost follows the distinct names."""
    import random

    import polars as pl

    rng = random.Random(seed)
    truth = pl.read_csv(sample_dir / "truth.csv", infer_schema=False)
    planted = set(truth["record_id"].to_list())

    def token() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()

    def widen(name: str | None, record_id: str) -> str | None:
        if not name or record_id in planted:
            return name
        first, _, rest = name.partition(" ")
        return f"{first} {token()} {rest}" if rest else f"{first} {token()}"

    for dataset, columns in (
        ("customers", {"full_name": None}),
        ("payments", {"ordering_name": "ordering", "beneficiary_name": "beneficiary"}),
    ):
        path = sample_dir / BANK / f"{dataset}.csv"
        frame = pl.read_csv(path, infer_schema=False)
        id_col = "customer_id" if dataset == "customers" else "payment_id"
        ids = frame[id_col].to_list()
        for column, role in columns.items():
            prefix = "customer" if dataset == "customers" else "payment"
            record_ids = [f"{prefix}:{i}:{role}" if role else f"{prefix}:{i}" for i in ids]
            values = [widen(n, r) for n, r in zip(frame[column].to_list(), record_ids, strict=True)]
            frame = frame.with_columns(pl.Series(column, values, dtype=pl.String))
        frame.write_csv(path)


def bench_one(home: Path, rows: int, shards: int, diverse: bool = False) -> dict[str, Any]:
    from pipelines.airflow_local import LocalAirflow
    from pipelines.landing import land_bank_extracts
    from pipelines.lists import load_directory, sample_lists_dir
    from pipelines.samples.banks import generate_banks
    from pipelines.settings import PROJECT_ROOT, Settings

    config = yaml.safe_load((PROJECT_ROOT / "infra" / "interdict.yml").read_text(encoding="utf-8"))
    config["banks"] = [b for b in config["banks"] if b["id"] == BANK]
    # rows/2 customers + rows/2 payments x 2 parties = 1.5 x rows parties, in ``shards`` shards.
    config["shard_parties"] = math.ceil(rows * 1.5 / shards)
    config_path = home / "interdict.yml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    os.environ["INTERDICT_CONFIG"] = str(config_path)
    settings = Settings.from_env()

    started = time.monotonic()
    watchlist = load_directory(settings.lists_dir or sample_lists_dir()).watchlist
    sample = generate_banks(
        home / "samples", watchlist, [BANK], run_date=date.fromisoformat(RUN_DATE), seed=42, parties=rows
    )[0]
    if diverse:
        diversify(home / "samples")
    generated = time.monotonic() - started
    # Screening time grows with the distinct names more than with the parties.
    import polars as pl

    customers = pl.read_csv(sample.files["customers"], infer_schema=False, columns=["full_name"])
    payments = pl.read_csv(sample.files["payments"], infer_schema=False, columns=["ordering_name", "beneficiary_name"])
    distinct = pl.concat([customers["full_name"], payments["ordering_name"], payments["beneficiary_name"]]).n_unique()
    land_bank_extracts(settings, BANK, RUN_DATE, sample.files)
    landed = time.monotonic() - started - generated

    with LocalAirflow(settings, parallelism=shards, retry_delay_seconds=10) as airflow:
        night = airflow.run_night(RUN_DATE)
        logs = airflow.task_logs(night.run_id)
    # Other work on the machine during the night (1-minute load average at its end; 2 = two busy cores).
    load = float(Path("/proc/loadavg").read_text().split()[0])
    tasks = []
    for t in night.tasks:
        peak = PEAK.findall(logs.get((t.task_id, t.map_index), ""))
        tasks.append(
            {
                "task": t.task_id,
                "map_index": t.map_index,
                "state": t.state,
                "tries": t.try_number,
                "seconds": round(t.seconds, 1),
                "peak_rss_mb": round(int(peak[-1]) / 1024) if peak else None,
            }
        )
    summary = json.loads((settings.run_dir(RUN_DATE) / "summary.json").read_text(encoding="utf-8"))
    bank = summary["banks"][0] if summary["banks"] else {}
    names = settings.run_dir(RUN_DATE) / "watchlist" / "snapshot.json"
    return {
        "extract_rows": rows,
        "list_entries": json.loads(names.read_text(encoding="utf-8"))["entries"] if names.exists() else None,
        "parties_screened": bank.get("parties_screened"),
        "distinct_names": distinct,
        "hits": bank.get("hits"),
        "shards": shards,
        "diverse_names": diverse,
        "night_state": night.state,
        "load_average_at_end": load,
        "night_seconds": round(night.seconds, 1),
        "sample_seconds": round(generated, 1),
        "landing_seconds": round(landed, 1),
        "tasks": tasks,
    }


def kill_one_shard(home: Path, stop: threading.Event, killed: list[str]) -> None:
    """SIGKILL the process of the first running screen_shard task, as the OOM killer would."""
    import sqlite3

    db = home / "airflow" / "airflow.db"
    while not stop.is_set():
        try:
            with sqlite3.connect(db, timeout=30) as con:
                rows = con.execute(
                    "SELECT id, map_index, try_number FROM task_instance "
                    "WHERE task_id = 'screen_shard' AND state = 'running'"
                ).fetchall()
        except sqlite3.Error:
            rows = []
        for ti_id, map_index, try_number in rows:
            for proc in Path("/proc").iterdir():
                try:
                    title = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
                # The metadata database may hold the task instance's UUID without dashes.
                if title.replace("-", "").startswith(f"airflow worker  {str(ti_id).replace('-', '')}"):
                    time.sleep(1)  # mid-run: the shard is being read and screened
                    try:
                        os.kill(int(proc.name), signal.SIGKILL)
                    except ProcessLookupError:
                        continue
                    killed.append(f"screen_shard[{map_index}] try {try_number} pid {proc.name}")
                    return
        time.sleep(0.5)


def resilience(home: Path, rows: int, shards: int) -> dict[str, Any]:
    """The same night twice, the second time with one shard task killed mid-run: same report?"""
    from pipelines import paths
    from pipelines.airflow_local import LocalAirflow
    from pipelines.settings import Settings
    from pipelines.storage import ObjectStore

    first = bench_one(home, rows, shards)
    settings = Settings.from_env()
    reports = ObjectStore.open(settings, settings.config.buckets.reports)

    def digests() -> dict[str, str]:
        manifest = json.loads(reports.get_bytes(paths.report_prefix(BANK, RUN_DATE) + "manifest.json"))
        return {name: info["sha256"] for name, info in manifest["files"].items()}

    before = digests()
    hits_key = paths.report_prefix(BANK, RUN_DATE) + "hits.parquet"
    hits_before = reports.get_bytes(hits_key)
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=kill_one_shard, args=(home, stop, killed), daemon=True)
    with LocalAirflow(settings, parallelism=shards, retry_delay_seconds=5) as airflow:
        killer.start()
        night = airflow.run_night(RUN_DATE)
        stop.set()
    after = digests()
    import io

    import polars as pl

    # Which of several equally scored list names a hit shows is not fixed by the engine (see
    # docs/scale-out.md); everything else must be the same.
    ties = ["matched_name", "reason"]
    first_hits = pl.read_parquet(io.BytesIO(hits_before)).drop(ties, strict=False)
    second_hits = pl.read_parquet(io.BytesIO(reports.get_bytes(hits_key))).drop(ties, strict=False)
    return {
        "first_night_state": first["night_state"],
        "killed": killed,
        "second_night_state": night.state,
        # Clearing the night for the re-run adds one try to every task; the killed shard has one more.
        "tries": {f"{t.task_id}[{t.map_index}]": t.try_number for t in night.tasks},
        "same_report_files": {k: before[k] == after.get(k) for k in before},
        "same_hits_but_tied_names": first_hits.equals(second_hits),
        "hits": second_hits.height,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parties", type=int, action="append", required=True, help="extract rows (repeatable)")
    parser.add_argument("--shards", type=int, default=2, help="shards and parallel tasks (default 2)")
    parser.add_argument("--home", type=Path, default=None, help="working folder (default: new temporary)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/nightly.json"))
    parser.add_argument(
        "--lists", type=Path, default=None, help="folder of official list files (default: the bundled sample lists)"
    )
    parser.add_argument(
        "--diverse-names",
        action="store_true",
        help="give every non-planted party a distinct name, as in a real bank's data",
    )
    parser.add_argument(
        "--kill-one-shard",
        action="store_true",
        help="resilience check: run each night twice, killing one shard task the second time",
    )
    args = parser.parse_args()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    if args.lists:
        os.environ["INTERDICT_LISTS_DIR"] = str(args.lists.resolve())

    from tests.conftest import local_object_store

    results = []
    for rows in args.parties:
        home = args.home / str(rows) if args.home else Path(tempfile.mkdtemp(prefix=f"interdict-bench-{rows}-"))
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        with local_object_store(home):
            if args.kill_one_shard:
                result = resilience(home, rows, args.shards)
            else:
                result = bench_one(home, rows, args.shards, diverse=args.diverse_names)
        results.append(result)
        print(json.dumps(result, indent=2), flush=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if args.kill_one_shard:
        return
    print(f"{'rows':>10} {'parties':>10} {'night s':>8}  task (seconds, peak MB)")
    for r in results:
        tasks = ", ".join(
            f"{t['task']}[{t['map_index']}] {t['seconds']}s {t['peak_rss_mb']}MB"
            for t in r["tasks"]
            if t["task"] in {"stage_bank", "screen_shard", "report_bank"}
        )
        print(f"{r['extract_rows']:>10} {r['parties_screened']!s:>10} {r['night_seconds']:>8}  {tasks}")


if __name__ == "__main__":
    main()
