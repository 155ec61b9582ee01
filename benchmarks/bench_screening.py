"""Speed and memory of ``screening.screen``: N parties against the full watchlist built from every
shared list folder the loader supports, beside exhaustive token_sort_ratio on a sample in the same
run (every party against every list name, rapidfuzz cdist on all cores).

Each size runs in a fresh interpreter so that its peak memory (max RSS) is its own.

    .venv/bin/python -m benchmarks.bench_screening --sizes 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl
from rapidfuzz import fuzz, utils
from rapidfuzz.process import cdist

from benchmarks.labelled.build import clean_parties, variation
from benchmarks.screening_common import ROOT, full_watchlist
from screening import ScreeningConfig, Watchlist, prepare, screen


def make_parties(wl: Watchlist, n: int, seed: int, planted_share: float = 0.005) -> pl.DataFrame:
    """``n`` parties: ordinary names from many locales (a third with a typo), and a small share of
    listed names with variations."""
    rng = random.Random(seed)
    listed = wl.entries.select("primary_name", "entity_type").rows()
    kinds = ("exact", "typo", "translit", "case_punct", "token_order")
    names: list[str] = []
    types: list[str] = []
    for name, entity_type, _ in clean_parties(rng, n, person_share=0.8):
        if rng.random() < planted_share:
            listed_name, listed_type = rng.choice(listed)
            name = variation(rng, rng.choice(kinds), listed_name, listed_type, {}) or listed_name
            entity_type = listed_type if listed_type in ("person", "organization") else "unknown"
        elif rng.random() < 0.33:
            name = variation(rng, "typo", name, entity_type, {}) or name
        names.append(name)
        types.append(entity_type if rng.random() < 0.9 else "unknown")
    years = np.random.default_rng(seed).integers(1940, 2005, n)
    return pl.DataFrame(
        {
            "record_id": [f"p{i}" for i in range(n)],
            "name": names,
            "entity_type": types,
            "dob": [str(y) if i % 3 else None for i, y in enumerate(years.tolist())],
        }
    )


def exhaustive_token_sort(parties: pl.DataFrame, wl: Watchlist, threshold: float) -> tuple[float, int]:
    """Seconds and hit count of token_sort_ratio of every party against every list name."""
    names = wl.names["name"].drop_nulls().to_list() + wl.entries["primary_name"].drop_nulls().to_list()
    started = time.perf_counter()
    choices = [utils.default_process(n) for n in names]
    queries = [utils.default_process(n) for n in parties["name"].to_list()]
    hits = 0
    for start in range(0, len(queries), 1000):
        block = cdist(
            queries[start : start + 1000],
            choices,
            scorer=fuzz.token_sort_ratio,
            processor=None,
            workers=-1,
            score_cutoff=threshold * 100,
            dtype=np.uint8,
        )
        hits += int(np.count_nonzero(block))
    return time.perf_counter() - started, hits


def run_one(n: int, seed: int, baseline_sample: int) -> dict[str, float]:
    wl, _ = full_watchlist()
    parties = make_parties(wl, n, seed)
    config = ScreeningConfig()
    started = time.perf_counter()
    pwl = prepare(wl, config)
    prepare_secs = time.perf_counter() - started
    started = time.perf_counter()
    hits = screen(parties, pwl, config)
    screen_secs = time.perf_counter() - started
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    # Worker processes normalising names (ScreeningConfig.workers): the largest one's peak.
    worker_peak_gib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    sample = parties.sample(min(baseline_sample, n), seed=seed)
    base_secs, base_hits = exhaustive_token_sort(sample, wl, config.thresholds["person"])
    return {
        "parties": n,
        "distinct_names": parties["name"].n_unique(),
        "list_entries": len(wl),
        "list_names": pwl.names.height,
        "prepare_seconds": prepare_secs,
        "screen_seconds": screen_secs,
        "parties_per_second": n / screen_secs,
        "hits": hits.height,
        "parties_with_hits": hits["record_id"].n_unique(),
        "peak_rss_gib": peak_gib,
        "worker_peak_rss_gib": worker_peak_gib,
        "workers": config.workers,
        "baseline_sample": sample.height,
        "baseline_seconds": base_secs,
        "baseline_parties_per_second": sample.height / base_secs,
        "baseline_hits_on_sample": base_hits,
        "speedup": (n / screen_secs) / (sample.height / base_secs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--baseline-sample", type=int, default=5000)
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "eval" / "bench_screening.json")
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(run_one(args.one, args.seed, args.baseline_sample)))
        return
    results = []
    for n in args.sizes:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_screening",
                "--one",
                str(n),
                "--seed",
                str(args.seed),
                "--baseline-sample",
                str(args.baseline_sample),
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(row)
        print(
            f"{row['parties']:>9,} parties ({row['distinct_names']:,} distinct names) vs {row['list_entries']:,} "
            f"entries / {row['list_names']:,} names: screen {row['screen_seconds']:.1f}s = "
            f"{row['parties_per_second']:,.0f} parties/s, peak RSS {row['peak_rss_gib']:.2f} GiB "
            f"(+ {row['worker_peak_rss_gib']:.2f} GiB per worker process), "
            f"{row['hits']:,} hits; prepare {row['prepare_seconds']:.1f}s; exhaustive token_sort_ratio "
            f"{row['baseline_parties_per_second']:,.0f} parties/s on {row['baseline_sample']:,} -> "
            f"speed-up x{row['speedup']:.0f}",
            flush=True,
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
