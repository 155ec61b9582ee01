"""Benchmark: the 50 percent rule over a synthetic register of 1,000,000 companies and 2,000,000
ownership edges (default sizes).

    .venv/bin/python benchmarks/bench_ownership.py [--companies N] [--edges M] [--seeds K]

Half the edges are people's holdings, half companies' holdings of other companies (chains mostly
downward, with a share of random edges that make cycles). Shares are Companies House bands or exact
percentages. Reports the time of each stage and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import time

import duckdb
import numpy as np
import polars as pl

from pipelines.registry.load import sql_text
from screening.ownership import EDGE_SCHEMA, SEED_SCHEMA, resolve_ownership

BANDS = np.array([[25.0, 50.0], [50.0, 75.0], [75.0, 100.0], [10.0, 10.0], [30.0, 30.0], [60.0, 60.0]])


def synthetic(companies: int, edges: int, seeds: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    persons = companies // 2
    people_edges = edges // 2
    company_edges = edges - people_edges
    # people -> companies
    p_owner = rng.integers(0, persons, people_edges)
    p_owned = rng.integers(0, companies, people_edges)
    # companies -> companies: mostly a parent with a lower number (chains), 2 % anywhere (cycles)
    c_owned = rng.integers(1, companies, company_edges)
    back = rng.integers(1, 50, company_edges)
    c_owner = np.maximum(c_owned - back, 0)
    anywhere = rng.random(company_edges) < 0.02
    c_owner[anywhere] = rng.integers(0, companies, int(anywhere.sum()))
    band = BANDS[rng.integers(0, len(BANDS), edges)]
    control = rng.random(edges) < 0.02
    owner_ids = pl.concat(
        [
            pl.Series(p_owner).cast(pl.String).str.zfill(7).str.replace(r"^", "P"),
            pl.Series(c_owner).cast(pl.String).str.zfill(8),
        ]
    )
    owned_ids = pl.Series(np.concatenate([p_owned, c_owned])).cast(pl.String).str.zfill(8)
    frame = pl.DataFrame(
        {
            "owner_id": owner_ids,
            "owned_id": owned_ids,
            "share_low": band[:, 0],
            "share_high": band[:, 1],
            "control": pl.Series(np.where(control, "appoint-directors", ""))
            .str.split(",")
            .list.eval(pl.element().filter(pl.element() != "")),
        },
        schema=EDGE_SCHEMA,
    )
    listed = rng.choice(persons, seeds, replace=False)
    seed_frame = pl.DataFrame(
        {
            "party_id": pl.Series(listed).cast(pl.String).str.zfill(7).str.replace(r"^", "P"),
            "party_name": [f"Listed Person {i}" for i in range(seeds)],
            "entity_type": ["person"] * seeds,
            "list_ref": [f"OFAC-SDN {10000 + i}" for i in range(seeds)],
        },
        schema=SEED_SCHEMA,
    )
    return frame, seed_frame


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--companies", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=2_000_000)
    parser.add_argument("--seeds", type=int, default=2_000)
    args = parser.parse_args()

    t0 = time.perf_counter()
    edges, seeds = synthetic(args.companies, args.edges, args.seeds)
    t1 = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.register("incoming", edges.to_arrow())
    con.execute("CREATE TABLE edges AS SELECT * FROM incoming")
    graph = con.sql(sql_text("graph.sql")).pl()
    t2 = time.perf_counter()
    flags = resolve_ownership(graph, seeds)
    t3 = time.perf_counter()
    counts = dict(flags.group_by("basis").len().sort("basis").iter_rows())
    print(
        f"companies {args.companies:,}, edges {args.edges:,} ({graph.height:,} after merging duplicates), "
        f"listed seeds {args.seeds:,}"
    )
    print(f"generate synthetic register   {t1 - t0:7.1f} s")
    print(f"ownership graph in DuckDB     {t2 - t1:7.1f} s")
    print(f"resolve to a fixed point      {t3 - t2:7.1f} s  (incl. evidence for {flags.height:,} flags)")
    deepest = flags["depth"].max() if flags.height else 0
    print(f"flagged: {counts}; deepest chain {deepest!s}")
    print(f"peak memory (RSS)             {peak_mib():7.0f} MiB")


if __name__ == "__main__":
    main()
