"""``interdict check NAME``: one name against the lists, answered in about a second."""

from __future__ import annotations

import argparse
import json
import shutil
import textwrap
import time
from pathlib import Path

from pipelines.check import (
    DEFAULT_LIMIT,
    AuditLog,
    CheckError,
    CheckResult,
    ListsSource,
    Query,
    check,
    config_from,
    lists_source,
    local_user,
    night_snapshot,
    open_index,
    snapshot_source,
)
from pipelines.cli.progress import library_logs
from screening.model import ENTITY_TYPES


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """The lists to check against and where the audit log goes (shared with ``serve``)."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--lists", type=Path, metavar="DIR", help="a folder of official list files")
    source.add_argument(
        "--date", metavar="YYYY-MM-DD",
        help="the watchlist snapshot of that night (default without --lists: the latest night run here)",
    )
    parser.add_argument(
        "--audit-log", type=Path, metavar="FILE",
        help="where every query is recorded (default $INTERDICT_HOME/audit/check.jsonl)",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "check",
        help="check one name against the lists: best candidates with score and reason",
        description="Screen one name against a folder of list files (--lists) or the watchlist snapshot of a "
        "night run here (the latest by default; --date for another), and print the best candidates with their "
        "score, whether each is a hit under the threshold in force, and why they matched. The lists are "
        "normalised once and cached under $INTERDICT_HOME/cache/check/, so later checks take about a second. "
        "Every check is written to the audit log.",
    )
    parser.add_argument("name", metavar="NAME", help="the name to check (quote it)")
    parser.add_argument("--type", default="unknown", choices=ENTITY_TYPES, help="entity type (default unknown)")
    parser.add_argument("--dob", metavar="YYYY[-MM[-DD]]", help="date of birth, confirms or rules out a match")
    parser.add_argument("--country", metavar="CC", help="nationality or country, ISO 3166 alpha-2")
    parser.add_argument("--id", dest="id_number", metavar="NUMBER", help="passport, national id or registration")
    add_source_arguments(parser)
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help=f"candidates shown (default {DEFAULT_LIMIT})")
    parser.add_argument("--json", action="store_true", help="print the answer as JSON, for scripts")
    parser.set_defaults(func=run)


def home() -> Path:
    from pipelines.settings import Settings

    return Settings.from_env().home


def source_of(args: argparse.Namespace) -> ListsSource:
    """The lists the arguments name (looked up again by the server on each refresh)."""
    if args.lists is not None:
        return lists_source(args.lists)
    return snapshot_source(night_snapshot(home(), args.date))


def audit_path(args: argparse.Namespace) -> Path:
    return args.audit_log if args.audit_log is not None else home() / "audit" / "check.jsonl"


def cache_dir() -> Path:
    return home() / "cache" / "check"


def render_table(result: CheckResult, width: int) -> str:
    """The candidates as a terminal table, each with its reason on the line below."""
    q = result.query
    known = ", ".join(f"{k} {v}" for k, v in (("dob", q.dob), ("country", q.country), ("id", q.id_number)) if v)
    lines = [
        f"{q.name!r} ({q.entity_type}{', ' + known if known else ''}) against {result.lists}: "
        f"{result.entries} entries, algorithm {result.algorithm}",
    ]
    if not result.candidates:
        lines.append("no candidate: no list name is similar enough to be worth a look.")
        return "\n".join(lines)
    rows = [
        (str(i), f"{c.score:.3f}", "HIT" if c.hit else "below", f"{c.threshold:.2f}", c.list_source, c.entry_id,
         c.listed_name or "", c.matched_name or "")
        for i, c in enumerate(result.candidates, 1)
    ]
    head = ("#", "score", "", "thresh", "list", "entry", "listed name", "matched name")
    widths = [max(len(r[k]) for r in [head, *rows]) for k in range(len(head))]
    fixed = sum(widths[:6]) + 2 * 7
    name_room = max(16, (width - fixed) // 2)
    widths[6] = min(widths[6], name_room)
    widths[7] = min(widths[7], name_room)

    def fit(text: str, size: int) -> str:
        return text if len(text) <= size else text[: size - 1] + "…"

    def line(cells: tuple[str, ...]) -> str:
        parts = [fit(c, widths[k]).rjust(widths[k]) if k in (0, 1, 3) else fit(c, widths[k]).ljust(widths[k])
                 for k, c in enumerate(cells)]
        return "  ".join(parts).rstrip()

    lines.append(line(head))
    indent = " " * (widths[0] + 2)
    for row, candidate in zip(rows, result.candidates, strict=True):
        lines.append(line(row))
        reason = textwrap.fill(f"why: {candidate.reason}", width=max(40, width - len(indent)),
                               initial_indent=indent, subsequent_indent=indent + "     ")
        lines.append(reason)
    hits = result.hits
    lines.append(
        f"{len(hits)} hit(s) at or above the threshold" + (f": {', '.join(c.uid for c in hits)}" if hits else "")
        + "."
    )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    with library_logs(args.verbose):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    query = Query(args.name, args.type, args.dob, args.country, args.id_number)
    if args.limit < 1:
        raise CheckError("--limit must be at least 1")
    source = source_of(args)
    config = config_from()
    index = open_index(source, config, cache_dir())
    result = check(index, query, config, limit=args.limit)
    AuditLog(audit_path(args)).record(result, user=local_user(), client="command line", via="cli")
    seconds = time.monotonic() - started
    if args.json:
        print(json.dumps({**result.as_dict(), "seconds": round(seconds, 3), "cached": index.from_cache},
                         ensure_ascii=False, indent=2))
        return 0
    print(render_table(result, shutil.get_terminal_size((120, 20)).columns))
    made = "lists loaded from the cache" if index.from_cache else f"lists normalised in {index.seconds:.1f}s, cached"
    print(f"({seconds:.2f}s; {made})")
    return 0
