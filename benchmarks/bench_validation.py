"""Benchmark: read and validate a synthetic customer extract (default 1,000,000 rows).

    .venv/bin/python benchmarks/bench_validation.py --rows 1000000

Writes the extract to a temporary folder (or --csv PATH), then times read_extract, validate and
to_parties, and reports the process's peak resident memory. Organisations (10 %) have a comma in
their name, so their lines are quoted. About 4 % of the rows carry a defect (empty name, future
date of birth, unknown country, a duplicated id on two rows), so quarantine is exercised.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

GIVEN = ["Anna", "Bo", "Carlos", "Dmitri", "Elif", "Fatima", "Gustav", "Hana", "Ivan", "Józef", "Кирилл", "محمد"]
FAMILY = ["Berg", "Ek", "García", "Ivanov", "Yılmaz", "Haddad", "Larsen", "Nováková", "Petrov", "Wiśniewski"]
COUNTRIES = ["SE", "DE", "ES", "RU", "TR", "LB", "DK", "CZ", "PL", "GB", "FR", "CN"]


def make_extract(path: Path, rows: int) -> None:
    """A deterministic customers.csv of ``rows`` rows, ~4 % defective, 10 % organisations."""
    i = pl.int_range(0, rows, eager=True).alias("i")
    frame = pl.DataFrame(i).with_columns(
        customer_id=pl.format("C{}", pl.col("i")),
        is_org=(pl.col("i") % 10) == 0,
        given_name=pl.lit(pl.Series(GIVEN)).gather(pl.col("i") % len(GIVEN)),
        family_name=pl.lit(pl.Series(FAMILY)).gather((pl.col("i") // 7) % len(FAMILY)),
        country=pl.lit(pl.Series(COUNTRIES)).gather((pl.col("i") // 3) % len(COUNTRIES)),
        dob=pl.date(1940, 1, 1) + pl.duration(days=(pl.col("i") * 7919) % 25000),
    )
    defect = pl.col("i") % 100
    frame = frame.select(
        pl.when(defect == 97).then(pl.format("C{}", pl.col("i") - 1)).otherwise("customer_id").alias("customer_id"),
        pl.when("is_org").then(pl.lit("organization")).otherwise(pl.lit("person")).alias("customer_type"),
        pl.when(defect == 98)
        .then(pl.lit(""))
        .when("is_org")
        .then(pl.format("{} Trading Co., Ltd", "family_name"))
        .otherwise(pl.format("{} {}", "given_name", "family_name"))
        .alias("full_name"),
        pl.when("is_org").then(None).otherwise("given_name").alias("given_name"),
        pl.when("is_org").then(None).otherwise("family_name").alias("family_name"),
        pl.when("is_org")
        .then(None)
        .when(defect == 99)
        .then(pl.lit("2999-01-01"))
        .otherwise(pl.col("dob").dt.strftime("%Y-%m-%d"))
        .alias("date_of_birth"),
        pl.when("is_org").then(None).otherwise(pl.lit("F")).alias("gender"),
        pl.when(defect == 96).then(pl.lit("XX")).otherwise("country").alias("nationality"),
        pl.col("country"),
        pl.when("is_org").then(pl.lit("registration")).otherwise(pl.lit("passport")).alias("id_type"),
        pl.format("ID{}", pl.col("i")).alias("id_number"),
        pl.lit("2020-01-01").alias("opened_on"),
    )
    frame.write_csv(path)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--csv", type=Path, help="use or write the extract here (default: a temporary folder)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    from pipelines.extracts import read_extract
    from pipelines.validation import to_parties, validate

    with tempfile.TemporaryDirectory() as tmp:
        path = args.csv or Path(tmp) / "customers.csv"
        if not path.exists():
            started = time.perf_counter()
            make_extract(path, args.rows)
            print(f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f}s")
        baseline = peak_rss_mb()
        timings: dict[str, float] = {}

        started = time.perf_counter()
        import great_expectations  # noqa: F401  (timed apart: a one-off cost per process)

        timings["import_great_expectations"] = time.perf_counter() - started

        started = time.perf_counter()
        frame = read_extract(path, "customers")
        timings["read_extract"] = time.perf_counter() - started

        started = time.perf_counter()
        result = validate(frame, "customers", source=str(path), today=dt.date(2026, 11, 25))
        timings["validate"] = time.perf_counter() - started

        started = time.perf_counter()
        parties = to_parties(result.clean, "customers")
        timings["to_parties"] = time.perf_counter() - started

    report = {
        "rows": frame.height,
        "rows_loaded": result.summary["rows_loaded"],
        "rows_quarantined": result.summary["rows_quarantined"],
        "parties": parties.height,
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "seconds_read_and_validate": round(timings["read_extract"] + timings["validate"], 2),
        "peak_rss_mb": round(peak_rss_mb()),
        "rss_before_mb": round(baseline),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "polars": pl.__version__,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
