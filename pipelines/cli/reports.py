"""``interdict reports fetch|submit``: a bank's side of the report exchange."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.delivery.bank_side import fetch_report, submit_decisions
from pipelines.localstore import ensure_running
from pipelines.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "reports",
        help="fetch a bank's report set or submit its review decisions, with the bank's credentials",
        description="The bank's side: download and verify its nightly report, upload review decisions. "
        "Uses INTERDICT_<BANK>_S3_ACCESS_KEY/SECRET_KEY, or the bank's local identity on a local store.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    fetch = actions.add_parser(
        "fetch",
        help="download a report set and verify every file against the manifest",
        description="Download bank B's report set for date D (default: its latest) into DIR and check every "
        "file against the SHA-256 and size in manifest.json. Exits 1 naming any missing or altered file.",
    )
    fetch.add_argument("--bank", required=True)
    fetch.add_argument("--date", default=None, help="run date YYYY-MM-DD (default: the latest report)")
    fetch.add_argument("--to", required=True, type=Path, help="folder to download into")
    fetch.set_defaults(func=run_fetch)
    submit = actions.add_parser(
        "submit",
        help="upload review decisions to the bank's inbox",
        description="Upload DECISIONS.csv (record_id, uid or list_source+entry_id, decision true_match|"
        "false_positive, reviewer, reason[, decided_at]) to the bank's inbox. The next night applies it; "
        "rejected rows come back in that night's rejections.csv.",
    )
    submit.add_argument("--bank", required=True)
    submit.add_argument("decisions", type=Path, metavar="DECISIONS.csv")
    submit.set_defaults(func=run_submit)


def _settings() -> Settings:
    settings = Settings.from_env()
    if settings.endpoint_is_local:
        ensure_running(settings)
    return settings


def run_fetch(args: argparse.Namespace) -> int:
    result = fetch_report(_settings(), args.bank, args.date, args.to)
    for name in result.unlisted:
        print(f"note: {name} is under the report prefix but not in the manifest; ignored", file=sys.stderr)
    for name in result.missing:
        print(f"MISSING  {name}", file=sys.stderr)
    for name in result.altered:
        print(f"ALTERED  {name} (does not match the manifest's SHA-256 and size)", file=sys.stderr)
    if not result.ok:
        print(
            f"{args.bank} {result.run_date}: report NOT verified: {len(result.missing)} missing, "
            f"{len(result.altered)} altered",
            file=sys.stderr,
        )
        return 1
    print(
        f"{args.bank} {result.run_date}: {len(result.verified)} files verified against the manifest in {result.folder}"
    )
    return 0


def run_submit(args: argparse.Namespace) -> int:
    uri = submit_decisions(_settings(), args.bank, args.decisions)
    print(f"decisions uploaded to {uri}; the next night applies them")
    return 0
