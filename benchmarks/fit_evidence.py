"""Fit the token-evidence model (``screening.evidence.MODEL``) on a labelled set built with another
seed than the evaluation set, and report it on the evaluation set.

    .venv/bin/python -m benchmarks.fit_evidence [--train-seed 11] [--eval-seed 7]

Each (party, list entry) pair the engine weighs (similarity at least ``EVIDENCE_GATE``) becomes a
row of the measures in ``screening.evidence.FEATURES``; the pair of a positive with its own entry
is labelled 1, every pair of a clean record 0 (pairs of a positive with other entries are left out:
the same person is often listed by several sources). Clean names of the evaluation set are left out
of the training set. The model is a logistic regression with a small L2 penalty, fitted by Newton's
method; paste the printed tuple into ``screening/evidence.py``.
"""

from __future__ import annotations

import argparse

import numpy as np
import numpy.typing as npt
import polars as pl

from benchmarks.labelled.build import build
from benchmarks.screening_common import full_watchlist
from screening import PreparedWatchlist, prepare
from screening.engine import candidates
from screening.evidence import EVIDENCE_GATE, FEATURES, token_evidence
from screening.prepare import name_forms
from screening.scoring import name_scores

Matrix = npt.NDArray[np.float64]


def measures(labelled: pl.DataFrame, wl: PreparedWatchlist) -> pl.DataFrame:
    """One row per (record, entry): the measures of its most similar pair of names, and the label."""
    forms = name_forms(labelled["name"])
    pairs = candidates(forms, wl)
    li = pairs["pidx"].to_numpy().astype(np.int64)
    ri = pairs["nid"].to_numpy().astype(np.int64)
    similarity = name_scores(forms, li, wl.forms, ri, workers=-1)
    keep = similarity >= EVIDENCE_GATE
    li, ri, similarity = li[keep], ri[keep], similarity[keep]
    # The tokens the engine weighs (screening.scoring.evidence_scores): the forms' written tokens.
    party_tokens, list_tokens = forms.arrays["written"], wl.forms.arrays["written"]
    rows = [
        token_evidence(party_tokens[i].split(), list_tokens[j].split(), wl.rarity).vector(float(s))
        for i, j, s in zip(li, ri, similarity, strict=True)
    ]
    frame = pl.DataFrame(
        np.array(rows, dtype=np.float64).reshape(-1, len(FEATURES)), schema=list(FEATURES), orient="row"
    )
    frame = frame.with_columns(
        pl.Series("pidx", li.astype(np.uint32)),
        pl.Series("nid", ri.astype(np.uint32)),
    )
    return (
        frame.join(wl.names.select("nid", "uid"), on="nid")
        .join(forms.frame.select(pl.col("idx").alias("pidx"), "name"), on="pidx")
        .join(labelled.select("record_id", "name", "kind", "true_uid"), on="name")
        .sort("name_score", descending=True)
        .unique(["record_id", "uid"], keep="first")
        .with_columns((pl.col("uid") == pl.col("true_uid")).fill_null(False).alias("y"))
        .filter(pl.col("y") | pl.col("true_uid").is_null())
    )


def design(frame: pl.DataFrame) -> Matrix:
    return np.column_stack([np.ones(frame.height), *(frame[c].cast(pl.Float64).to_numpy() for c in FEATURES)])


def fit(x: Matrix, y: Matrix, penalty: float = 1.0) -> Matrix:
    beta = np.zeros(x.shape[1])
    ridge = penalty * np.diag(np.r_[0.0, np.ones(x.shape[1] - 1)])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-x @ beta))
        gradient = x.T @ (p - y) + ridge @ beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + ridge
        beta = beta - np.linalg.solve(hessian, gradient)
    return beta


def report(frame: pl.DataFrame, labelled: pl.DataFrame, beta: Matrix) -> None:
    score = 1.0 / (1.0 + np.exp(-design(frame) @ beta))
    score = np.where(frame["name_score"].to_numpy() >= 0.999, 1.0, score)
    frame = frame.with_columns(pl.Series("evidence", score))
    best = frame.group_by("record_id").agg(pl.col("evidence").max())
    positives = labelled.filter(pl.col("true_uid").is_not_null()).join(
        frame.filter(pl.col("y")).group_by("record_id").agg(pl.col("evidence").max()), on="record_id", how="left"
    )
    clean = labelled.filter(pl.col("true_uid").is_null()).join(best, on="record_id", how="left")
    found = positives["evidence"].fill_null(0.0).to_numpy()
    alerts = np.sort(clean["evidence"].fill_null(0.0).to_numpy())[::-1]
    for per_1000 in (1, 2, 4):
        k = per_1000 * clean.height // 1000
        threshold = alerts[k] if k < len(alerts) else 0.0
        print(
            f"  name evidence alone, <= {per_1000} false alerts / 1,000: threshold > {threshold:.3f}, "
            f"recall {float((found > threshold).mean()):.4f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train-seed", type=int, default=11)
    parser.add_argument("--eval-seed", type=int, default=7)
    parser.add_argument("--positives", type=int, default=2600)
    parser.add_argument("--negatives", type=int, default=10000)
    args = parser.parse_args()
    watchlist, _ = full_watchlist()
    wl = prepare(watchlist)
    held_out = build(watchlist, positives=args.positives, negatives=args.negatives, seed=args.eval_seed)
    train = build(watchlist, positives=args.positives, negatives=args.negatives, seed=args.train_seed)
    seen = held_out.filter(pl.col("true_uid").is_null())["name"].unique().implode()
    train = train.filter(pl.col("true_uid").is_not_null() | ~pl.col("name").is_in(seen))
    train_rows = measures(train, wl)
    beta = fit(design(train_rows), train_rows["y"].cast(pl.Float64).to_numpy())
    print(f"trained on {train_rows.height} pairs (seed {args.train_seed}); coefficients:")
    for name, value in zip(("intercept", *FEATURES), beta, strict=True):
        print(f"  {name:16s} {value:8.3f}")
    print("MODEL = (" + ", ".join(f"{v:.3f}" for v in beta) + ")")
    print(f"held out (seed {args.eval_seed}):")
    report(measures(held_out, wl), held_out, beta)


if __name__ == "__main__":
    main()
