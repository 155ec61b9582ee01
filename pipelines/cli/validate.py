"""``interdict validate FILE --kind KIND --out DIR``: the nightly data-quality gates on one file.

Writes to DIR:

- ``clean.csv``: the rows that passed, as read (every value as text), with ``row``;
- ``rejected.csv``: the rows that failed: ``row`` (line in FILE), the original values, ``rule``
  (the failed rules, ``;``-separated) and ``reason``;
- ``summary.json``: rows in, rows loaded, rows rejected, rejected rows per rule, and the
  data-quality shares that limit screening (for party files);
- ``validation.json`` and ``data-docs/``: the Great Expectations result and its HTML page.

A file that cannot be read, or that fails a dataset-level rule, exits non-zero with one message
naming the file and the problem (summary.json still records a dataset-level refusal).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.extracts import PROBLEM, ROW, read_extract
from pipelines.validation import DatasetRejected, quality_summary, render_data_docs, to_parties, validate

log = logging.getLogger(__name__)

KINDS = ("customers", "payments", "parties", "companies", "officers", "psc")
_PARTY_KINDS = ("customers", "payments", "parties")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "validate",
        help="run the data-quality gates on one extract file",
        description=(__doc__ or "").split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="CSV, Parquet or JSON (lines) extract")
    parser.add_argument("--kind", required=True, choices=KINDS, help="what the file holds")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the results")
    parser.add_argument("--encoding", help="the file's encoding (default: detected)")
    parser.add_argument("--delimiter", help="the CSV delimiter (default: detected); use '\\t' for tab")
    parser.add_argument(
        "--previous-rows",
        type=int,
        metavar="N",
        help="the previous delivery's row count: a drop of 90 %% or more is refused",
    )
    parser.add_argument("--date", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="the run date (default today)")
    parser.add_argument("--no-docs", action="store_true", help="skip the HTML data docs")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    delimiter = "\t" if args.delimiter in ("\\t", "tab") else args.delimiter
    frame = read_extract(args.file, args.kind, encoding=args.encoding, delimiter=delimiter)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    source = str(args.file)
    try:
        result = validate(frame, args.kind, source=source, previous_rows=args.previous_rows, today=args.date)
    except DatasetRejected as exc:
        refused = {"source": source, "kind": args.kind, "rows_in": frame.height, "refused": str(exc)}
        _write_json(out / "summary.json", refused)
        if exc.gx_results:
            _write_json(out / "validation.json", exc.gx_results)
            if not args.no_docs:
                render_data_docs({args.file.name: exc.gx_results}, out / "data-docs")
        raise

    clean = result.clean.drop(PROBLEM).rename({ROW: "row"}).select("row", pl.exclude("row"))
    rejected = result.quarantine.drop(PROBLEM).rename({ROW: "row"}).select("row", pl.exclude("row"))
    _write_csv(clean, out / "clean.csv")
    _write_csv(rejected, out / "rejected.csv")
    summary: dict[str, Any] = {
        "source": source,
        "kind": args.kind,
        "rows_in": result.summary["rows_in"],
        "rows_loaded": result.summary["rows_loaded"],
        "rows_rejected": result.summary["rows_quarantined"],
        "rejected_per_rule": result.summary["rules"],
        "rules_checked": result.summary["rules_checked"],
    }
    if args.kind in _PARTY_KINDS:
        basis = result.clean if args.kind == "customers" else to_parties(result.clean, args.kind)
        summary["quality"] = quality_summary(basis)
    _write_json(out / "summary.json", summary)
    _write_json(out / "validation.json", result.gx_results)
    if not args.no_docs:
        render_data_docs({args.file.name: result.gx_results}, out / "data-docs")
    print(f"{summary['rows_in']} rows in, {summary['rows_loaded']} loaded, {summary['rows_rejected']} rejected")
    for rule, count in sorted(result.summary["rules"].items(), key=lambda item: -item[1]):
        print(f"  {count:>8}  {rule}")
    print(f"-> {out}")
    return 0


def _write_csv(frame: pl.DataFrame, path: Path) -> None:
    frame.write_csv(path)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True, default=str, ensure_ascii=False), encoding="utf-8")
