"""Benchmark: review-decision intake and the decision register over several nights, and the CSV
writer's cost.

    .venv/bin/python benchmarks/bench_decisions.py --hits 22 --rows 50000 --nights 3

Each night a bank sends ``--rows`` decision rows on its ``--hits`` hits, split into files within
the limits on one file (``--max-rows``). Reports per night the time to read the files and update
the register, the rows the register carries, and the rows an append-only register (every
accepted decision carried) would carry. Then times the one CSV writer against a plain polars
``write_csv`` on a hits-like table of ``--csv-rows`` rows, in the same process.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import polars as pl

from pipelines.delivery.dispositions import ReceivedFile, read_decisions, update_register
from pipelines.settings import DecisionFileLimits
from pipelines.tables import write_csv


def _files(night: int, hits: int, rows: int, max_rows: int) -> list[ReceivedFile]:
    header = "record_id,uid,decision,reviewer,reason\n"
    lines = [
        f"customer:{n % hits},OFAC-SDN:{n % hits},{'false_positive' if n % 3 else 'true_match'},"
        f"reviewer.{n % 7},night {night} pass {n}\n"
        for n in range(rows)
    ]
    return [
        ReceivedFile(f"night-{night}-{i:03d}.csv", (header + "".join(lines[s : s + max_rows])).encode())
        for i, s in enumerate(range(0, rows, max_rows))
    ]


def bench_register(hits: int, rows: int, nights: int, max_rows: int) -> list[dict[str, float | int]]:
    reviewable = pl.DataFrame({
        "record_id": [f"customer:{h}" for h in range(hits)],
        "uid": [f"OFAC-SDN:{h}" for h in range(hits)],
        "party_fingerprint": ["p"] * hits,
        "entry_fingerprint": ["e"] * hits,
    })
    limits = DecisionFileLimits(max_rows=max_rows)
    register: pl.DataFrame | None = None
    append_only = 0
    out = []
    for night in range(1, nights + 1):
        files = _files(night, hits, rows, max_rows)
        started = time.perf_counter()
        intake = read_decisions(files, reviewable, night=f"2026-01-{night:02d}", reviewed_night=None, limits=limits)
        update = update_register(register, intake)
        seconds = time.perf_counter() - started
        register = update.register
        append_only += intake.accepted.height
        out.append({
            "night": night, "files": len(files), "rows": rows, "accepted": intake.accepted.height,
            "seconds": round(seconds, 2), "register_rows": register.height, "append_only_rows": append_only,
            "log_rows": update.log.height,
        })
    return out


def bench_csv(rows: int) -> dict[str, float]:
    frame = pl.DataFrame({
        "record_id": [f"customer:{n}" for n in range(rows)],
        "party_name": [("=" if n % 50 == 0 else "") + f"Party {n}" for n in range(rows)],
        "reason": [f"name 0.{n % 100:02d}; dob agrees" for n in range(rows)],
        "score": [n / rows for n in range(rows)],
    })
    with tempfile.TemporaryDirectory() as tmp:
        timings = {}
        for name, write in (("polars_write_csv", lambda p: frame.write_csv(p)), ("write_csv", lambda p: write_csv(frame, p))):
            best = min(_timed(write, Path(tmp) / f"{name}.csv") for _ in range(3))
            timings[name] = round(best, 3)
    timings["ratio"] = round(timings["write_csv"] / timings["polars_write_csv"], 2)
    return timings


def _timed(write: object, path: Path) -> float:
    started = time.perf_counter()
    write(path)  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hits", type=int, default=22)
    parser.add_argument("--rows", type=int, default=50_000, help="decision rows sent per night")
    parser.add_argument("--nights", type=int, default=3)
    parser.add_argument("--max-rows", type=int, default=DecisionFileLimits().max_rows)
    parser.add_argument("--csv-rows", type=int, default=200_000)
    args = parser.parse_args()
    result = {
        "register": bench_register(args.hits, args.rows, args.nights, args.max_rows),
        "csv": bench_csv(args.csv_rows),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
