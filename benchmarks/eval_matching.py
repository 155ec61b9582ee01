"""Accuracy of the screening engine on the labelled set, beside exhaustive rapidfuzz baselines
(token_sort_ratio and WRatio over every list name) and, when installed, nomenklatura's logic-v2.

Reports recall by kind of variation, false alerts per 1,000 clean records, precision, F1 and a
threshold sweep, and how many of the true pairs exhaustive scoring finds candidate generation keeps.

    .venv/bin/python -m benchmarks.eval_matching [--labelled var/labelled.parquet] [--out docs/...]
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import subprocess
import time
from pathlib import Path

import numpy as np
import polars as pl
from rapidfuzz import fuzz, utils
from rapidfuzz.process import cdist

from benchmarks.labelled.build import build
from benchmarks.screening_common import ROOT, full_watchlist
from screening import ScreeningConfig, Watchlist, prepare, screen
from screening.engine import _identifier_hits, _score_pairs, candidates
from screening.evidence import EVIDENCE_GATE
from screening.prepare import PreparedWatchlist, name_forms, prepare_parties
from screening.scoring import evidence_scores, name_scores

THRESHOLDS = [round(0.70 + 0.02 * i, 2) for i in range(15)]
NK_SCRIPT = Path(__file__).with_name("nomenklatura_logic_v2.py")


def metrics(scored: pl.DataFrame, labelled: pl.DataFrame, threshold: float) -> dict[str, float]:
    """Metrics at ``threshold`` for hit rows (record_id, uid, score) against the labels."""
    at = scored.filter(pl.col("score") >= threshold)
    labels = labelled.select("record_id", "true_uid", "kind")
    joined = at.join(labels, on="record_id", how="inner").with_columns(
        (pl.col("uid") == pl.col("true_uid")).fill_null(False).alias("correct")
    )
    positives = labels.filter(pl.col("true_uid").is_not_null())
    negatives = labels.filter(pl.col("true_uid").is_null())
    found = joined.filter(pl.col("correct")).select("record_id").unique()
    recall = found.height / max(positives.height, 1)
    alerted_clean = joined.filter(pl.col("true_uid").is_null())["record_id"].n_unique()
    precision = joined["correct"].sum() / max(joined.height, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {
        "threshold": threshold,
        "recall": recall,
        "false_alerts_per_1000": 1000 * alerted_clean / max(negatives.height, 1),
        "precision": precision,
        "f1": f1,
        "hits": float(joined.height),
    }


def recall_by_kind(scored: pl.DataFrame, labelled: pl.DataFrame, threshold: float) -> dict[str, float]:
    correct = (
        scored.filter(pl.col("score") >= threshold)
        .join(labelled.select("record_id", "true_uid"), on="record_id")
        .filter(pl.col("uid") == pl.col("true_uid"))
        .select("record_id")
        .unique()
        .with_columns(pl.lit(True).alias("found"))
    )
    table = (
        labelled.filter(pl.col("true_uid").is_not_null())
        .join(correct, on="record_id", how="left")
        .group_by("kind")
        .agg(pl.col("found").fill_null(False).mean().alias("recall"), pl.len().alias("n"))
        .sort("kind")
    )
    return {row["kind"]: round(row["recall"], 4) for row in table.iter_rows(named=True)}


def sweep(scored: pl.DataFrame, labelled: pl.DataFrame) -> list[dict[str, float]]:
    return [metrics(scored, labelled, t) for t in THRESHOLDS]


def operating_point(rows: list[dict[str, float]], max_false: float = 2.0) -> dict[str, float]:
    """The threshold with the best recall while false alerts stay within ``max_false`` per 1,000."""
    ok = [r for r in rows if r["false_alerts_per_1000"] <= max_false]
    return max(ok, key=lambda r: (r["recall"], r["threshold"])) if ok else rows[-1]


def exhaustive_baseline(labelled: pl.DataFrame, wl: Watchlist, scorer: str, workers: int) -> pl.DataFrame:
    """Best score per (record, uid) of ``scorer`` over every list name, default processing."""
    names = (
        wl.names.select("uid", "name", "strength")
        .vstack(wl.entries.select("uid", pl.col("primary_name").alias("name"), pl.lit("strong").alias("strength")))
        .filter(pl.col("name").is_not_null())
        .unique(["uid", "name"])
    )
    fn = {"token_sort_ratio": fuzz.token_sort_ratio, "WRatio": fuzz.WRatio}[scorer]
    choices = [utils.default_process(n) for n in names["name"].to_list()]
    queries = [utils.default_process(n) for n in labelled["name"].to_list()]
    uids = names["uid"].to_numpy()
    out: list[pl.DataFrame] = []
    step = 500
    for start in range(0, len(queries), step):
        block = cdist(
            queries[start : start + step],
            choices,
            scorer=fn,
            processor=None,
            workers=workers,
            score_cutoff=THRESHOLDS[0] * 100,
            dtype=np.uint8,
        )
        qi, ci = np.nonzero(block)
        out.append(
            pl.DataFrame(
                {
                    "record_id": labelled["record_id"].to_numpy()[qi + start],
                    "uid": uids[ci],
                    "score": block[qi, ci].astype(np.float64) / 100.0,
                }
            )
        )
    return pl.concat(out).group_by("record_id", "uid").agg(pl.col("score").max())


def true_pair_recall(
    labelled: pl.DataFrame, pwl: PreparedWatchlist, thresholds: list[float], config: ScreeningConfig
) -> list[dict[str, float]]:
    """Of the true pairs (each positive with its own list entry) that exhaustive scoring finds at a
    threshold (the engine's whole scoring against every name of the entry, no blocking), the share
    the engine still finds when scoring only the pairs candidate generation proposes."""
    positives = labelled.filter(pl.col("true_uid").is_not_null())
    parties = prepare_parties(positives.select("record_id", "name", "entity_type", "dob"))
    forms = name_forms(parties["name"])
    truth = positives.select("record_id", pl.col("true_uid").alias("uid"))
    pairs = (
        parties.select("record_id", "name")
        .join(forms.frame.select("name", pl.col("idx").alias("pidx")), on="name")
        .join(truth, on="record_id")
        .join(pwl.names.select("uid", "nid"), on="uid")
        .select("pidx", "nid")
        .unique()
    )
    li = pairs["pidx"].to_numpy().astype(np.int64)
    ri = pairs["nid"].to_numpy().astype(np.int64)
    gate = max(config.min_name_score, EVIDENCE_GATE)
    similarity = name_scores(forms, li, pwl.forms, ri, workers=config.workers, floor=gate)
    weigh = similarity >= gate
    scores = np.zeros(len(li), dtype=np.float64)
    scores[weigh] = evidence_scores(forms, li[weigh], pwl.forms, ri[weigh], similarity[weigh], pwl.rarity)
    exhaustive = pairs.with_columns(pl.Series("name_score", scores)).filter(pl.col("name_score") > 0)
    blocked = exhaustive.join(candidates(forms, pwl), on=["pidx", "nid"], how="semi")
    id_hits = _identifier_hits(parties, pwl)

    def found(scored: pl.DataFrame) -> pl.DataFrame:
        hits = _score_pairs(parties, forms, pwl, scored, id_hits, config)
        return hits.join(truth, on=["record_id", "uid"], how="semi").select("record_id", "score")

    everything, kept = found(exhaustive), found(blocked)
    rows = []
    for threshold in thresholds:
        exhaustive_found = everything.filter(pl.col("score") >= threshold)
        kept_found = kept.filter(pl.col("score") >= threshold).join(exhaustive_found, on="record_id", how="semi")
        rows.append(
            {
                "threshold": threshold,
                "positives": float(positives.height),
                "found_exhaustively": float(exhaustive_found.height),
                "found_with_candidates": float(kept_found.height),
                "candidate_recall": kept_found.height / max(exhaustive_found.height, 1),
            }
        )
    return rows


def candidate_recall(
    labelled: pl.DataFrame, pwl: PreparedWatchlist, thresholds: list[float], workers: int, sample: int
) -> list[dict[str, float]]:
    """Share of (party name, list name) pairs whose name similarity reaches each threshold when every
    list name is compared, that candidate generation also proposes (on a sample of the set): pairs
    of any two names alike letter for letter, most of them no match at all."""
    forms = name_forms(labelled.sample(min(sample, labelled.height), seed=3)["name"])
    n_party = forms.frame.height
    n_list = pwl.forms.frame.height
    found: list[pl.DataFrame] = []
    step = max(1, 2_000_000 // max(n_list, 1))
    for start in range(0, n_party, step):
        stop = min(start + step, n_party)
        li = np.repeat(np.arange(start, stop, dtype=np.int64), n_list)
        ri = np.tile(np.arange(n_list, dtype=np.int64), stop - start)
        s = name_scores(forms, li, pwl.forms, ri, workers=workers)
        keep = s >= min(thresholds)
        found.append(
            pl.DataFrame({"pidx": li[keep].astype(np.uint32), "nid": ri[keep].astype(np.uint32), "s": s[keep]})
        )
    exhaustive = pl.concat(found)
    cands = candidates(forms, pwl)
    rows = []
    for threshold in thresholds:
        pairs = exhaustive.filter(pl.col("s") >= threshold)
        kept = pairs.join(cands, on=["pidx", "nid"], how="inner").height
        rows.append(
            {
                "threshold": threshold,
                "party_names": float(n_party),
                "exhaustive_pairs": float(pairs.height),
                "kept_by_candidates": float(kept),
                "candidate_recall": kept / max(pairs.height, 1),
                "candidate_pairs": float(cands.height),
                "all_pairs": float(n_party * n_list),
            }
        )
    return rows


def nomenklatura_scores(labelled: pl.DataFrame, wl: Watchlist, python: Path, limit: int) -> pl.DataFrame | None:
    """logic-v2 scores from a separate interpreter where nomenklatura is installed, on the pairs
    the engine's candidate generation proposes (logic-v2 is too slow to run exhaustively)."""
    if not python.exists():
        return None
    work = ROOT / "var" / "eval"
    work.mkdir(parents=True, exist_ok=True)
    pwl = prepare(wl)
    sample = labelled.sample(min(limit, labelled.height), seed=1)
    forms = name_forms(sample["name"])
    pairs = (
        candidates(forms, pwl)
        .join(forms.frame.select(pl.col("idx").alias("pidx"), pl.col("name").alias("query")), on="pidx")
        .join(pwl.names.select("nid", "uid"), on="nid")
        .select("query", "uid")
        .unique()
        .join(sample.select("record_id", pl.col("name").alias("query"), "entity_type"), on="query")
    )
    pairs.write_parquet(work / "nk_pairs.parquet")
    entities = wl.entries.select("uid", "entity_type", "primary_name").join(
        wl.names.group_by("uid").agg(pl.col("name").alias("aliases")), on="uid", how="left"
    )
    entities.write_parquet(work / "nk_entities.parquet")
    subprocess.run(
        [
            str(python),
            str(NK_SCRIPT),
            str(work / "nk_pairs.parquet"),
            str(work / "nk_entities.parquet"),
            str(work / "nk_scores.parquet"),
        ],
        check=True,
    )
    return pl.read_parquet(work / "nk_scores.parquet"), sample  # type: ignore[return-value]


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labelled", type=Path, default=ROOT / "var" / "labelled.parquet")
    parser.add_argument("--positives", type=int, default=2600)
    parser.add_argument("--negatives", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=-1)
    parser.add_argument("--nomenklatura-python", type=Path, default=Path("/tmp/nkvenv/bin/python"))
    parser.add_argument("--nomenklatura-limit", type=int, default=1500)
    parser.add_argument("--candidate-sample", type=int, default=1500)
    parser.add_argument("--baseline-sample", type=int, default=3000)
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "eval" / "eval_matching.json")
    parser.add_argument(
        "--engine-only",
        action="store_true",
        help="only the engine on the whole set (no baselines, candidate recall or nomenklatura): seconds, not minutes",
    )
    parser.add_argument(
        "--misses",
        type=Path,
        default=None,
        help="write the missed positives and the alerted clean records at the default threshold here (CSV)",
    )
    args = parser.parse_args()

    wl, skipped = full_watchlist()
    if args.labelled.exists():
        labelled = pl.read_parquet(args.labelled)
    else:
        labelled = build(wl, positives=args.positives, negatives=args.negatives, seed=args.seed)
        args.labelled.parent.mkdir(parents=True, exist_ok=True)
        labelled.write_parquet(args.labelled)
    n_pos = labelled.filter(pl.col("true_uid").is_not_null()).height
    print(f"watchlist: {len(wl)} entries, {wl.names.height} names ({len(skipped)} list folders not loadable yet)")
    print(f"labelled set: {n_pos} positives, {labelled.height - n_pos} clean records")
    random.seed(args.seed)

    report: dict[str, object] = {}
    floor = ScreeningConfig(
        thresholds=dict.fromkeys(("person", "organization", "vessel", "aircraft", "unknown"), THRESHOLDS[0]),
        workers=args.workers,
    )
    started = time.perf_counter()
    pwl = prepare(wl, floor)
    hits = screen(labelled.select("record_id", "name", "entity_type", "dob"), pwl, floor)
    engine_secs = time.perf_counter() - started
    engine = sweep(hits.select("record_id", "uid", "score"), labelled)
    default_t = ScreeningConfig().thresholds["person"]
    report["engine"] = {
        "seconds": engine_secs,
        "sweep": engine,
        "at_default_threshold": metrics(hits, labelled, default_t),
        "recall_by_kind_at_default": recall_by_kind(hits, labelled, default_t),
        "operating_point_2_per_1000": operating_point(engine),
    }
    # The exhaustive baselines score every record against every list name: run them on a sample,
    # and report the engine on the same sample beside them.
    sample = labelled.sample(min(args.baseline_sample, labelled.height), seed=args.seed)
    on_sample = sweep(hits.select("record_id", "uid", "score"), sample)
    report["engine_on_baseline_sample"] = {
        "records": sample.height,
        "sweep": on_sample,
        "operating_point_2_per_1000": operating_point(on_sample),
    }
    report["true_pair_candidate_recall"] = true_pair_recall(labelled, pwl, [0.80, default_t, 0.90], floor)
    print_report({"engine": report["engine"], "true_pair_candidate_recall": report["true_pair_candidate_recall"]})
    if args.misses is not None:
        write_misses(hits, labelled, default_t, args.misses)
    if args.engine_only:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1, default=float))
        print(f"\nfull report: {args.json}")
        return
    for scorer in ("token_sort_ratio", "WRatio"):
        started = time.perf_counter()
        base = exhaustive_baseline(sample, wl, scorer, args.workers)
        secs = time.perf_counter() - started
        rows = sweep(base, sample)
        op = operating_point(rows)
        report[f"exhaustive_{scorer}"] = {
            "records": sample.height,
            "seconds": secs,
            "sweep": rows,
            "operating_point_2_per_1000": op,
            "recall_by_kind_at_operating_point": recall_by_kind(base, sample, op["threshold"]),
        }
    report["candidate_generation"] = candidate_recall(
        labelled, pwl, [0.80, default_t, 0.90], args.workers, args.candidate_sample
    )
    nk = nomenklatura_scores(labelled, wl, args.nomenklatura_python, args.nomenklatura_limit)
    if nk is not None:
        nk_scores, sample = nk  # type: ignore[misc]
        nk_thresholds = [round(0.5 + 0.05 * i, 2) for i in range(10)]
        report["nomenklatura_logic_v2_on_candidates"] = {
            "records": sample.height,
            "sweep": [metrics(nk_scores, sample, t) for t in nk_thresholds],
            "engine_on_same_records": [metrics(hits, sample, t) for t in THRESHOLDS[::2]],
        }
    else:
        report["nomenklatura_logic_v2_on_candidates"] = "not installed"
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1, default=float))
    print_report(report)
    print(f"\nfull report: {args.json}")


def write_misses(hits: pl.DataFrame, labelled: pl.DataFrame, threshold: float, path: Path) -> None:
    """Missed positives (with the true entry's best score, if any) and alerted clean records."""
    at = hits.filter(pl.col("score") >= threshold)
    labels = labelled.select("record_id", "name", "kind", "true_uid")
    found = at.join(labels, on="record_id").filter(pl.col("uid") == pl.col("true_uid")).select("record_id").unique()
    true_best = (
        hits.join(labels, on="record_id")
        .filter(pl.col("uid") == pl.col("true_uid"))
        .group_by("record_id")
        .agg(pl.col("score").max(), pl.col("matched_name").first(), pl.col("explanation").first())
    )
    missed = (
        labels.filter(pl.col("true_uid").is_not_null())
        .join(found, on="record_id", how="anti")
        .join(true_best, on="record_id", how="left")
        .with_columns(pl.lit("missed").alias("outcome"))
    )
    false = (
        at.join(labels.filter(pl.col("true_uid").is_null()), on="record_id")
        .select("record_id", "name", "kind", "true_uid", "score", "matched_name", "explanation")
        .with_columns(pl.lit("false_alert").alias("outcome"))
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pl.concat([missed, false], how="diagonal_relaxed").write_csv(path)
    print(f"misses and false alerts: {path}")


def _fmt(row: dict[str, float]) -> str:
    return (
        f"t={row['threshold']:.2f} recall={row['recall']:.3f} fa/1000={row['false_alerts_per_1000']:.1f} "
        f"precision={row['precision']:.3f} f1={row['f1']:.3f}"
    )


def print_report(report: dict[str, object]) -> None:
    for name, section in report.items():
        if isinstance(section, list):
            continue
        print(f"\n== {name}")
        if not isinstance(section, dict):
            print(section)
            continue
        for key, value in section.items():
            if key == "sweep":
                for row in value:
                    print("  " + _fmt(row))
            elif isinstance(value, dict) and "threshold" in value:
                print(f"  {key}: {_fmt(value)}")
            else:
                print(f"  {key}: {value}")
    for name in ("true_pair_candidate_recall", "candidate_generation"):
        rows = report.get(name)
        if isinstance(rows, list):
            print(f"\n== {name}")
            for row in rows:
                print("  " + ", ".join(f"{k}={v:.4g}" for k, v in row.items()))


if __name__ == "__main__":
    main()
