"""Where every night's objects live. One place, so the DAG, the CLI and the tests agree.

| what | bucket | key |
| --- | --- | --- |
| a bank's landed extract | landing | ``<bank>/<run date>/<dataset>.csv`` |
| the register's landed extract | landing | ``registry/<run date>/<file>`` |
| a bank's report set | reports | ``<bank>/<run date>/<file>``, ``manifest.json`` written last |
| a bank's latest report pointer | reports | ``<bank>/latest.json`` |
| a bank's review decisions | reports | ``inbox/<bank>/<file>`` |
| the regulator's cross-bank summary | reports | ``regulator/<run date>/summary.json`` |
| a raw list file, immutable | lists | ``raw/<sha256>/<file name>`` |
| a night's watchlist snapshot | work | ``<run date>/watchlist/<table>.parquet`` |
| a bank's staged inputs | work | ``<run date>/<bank>/stage/<file>`` |
| a bank's party and hit shards | work | ``<run date>/<bank>/parties|hits/shard-<i>-of-<n>.parquet`` |
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

BANK_DATASETS: Final = ("customers", "payments")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_run_date(run_date: str) -> str:
    if not _DATE.match(run_date):
        raise ValueError(f"run date {run_date!r} is not YYYY-MM-DD")
    date.fromisoformat(run_date)
    return run_date


def landing_key(bank: str, run_date: str, dataset: str) -> str:
    return f"{bank}/{check_run_date(run_date)}/{dataset}.csv"


def registry_prefix(run_date: str) -> str:
    return f"registry/{check_run_date(run_date)}/"


def report_prefix(bank: str, run_date: str) -> str:
    return f"{bank}/{check_run_date(run_date)}/"


def latest_key(bank: str) -> str:
    return f"{bank}/latest.json"


def inbox_prefix(bank: str) -> str:
    return f"inbox/{bank}/"


def regulator_prefix(run_date: str) -> str:
    return f"regulator/{check_run_date(run_date)}/"


def raw_list_key(sha256: str, filename: str) -> str:
    return f"raw/{sha256}/{filename}"


# A night's intermediate objects, in the work bucket (pipeline identity only), keyed by run date
# first so that nights never collide and a night's work is removed with one prefix.


def work_prefix(run_date: str, bank: str) -> str:
    return f"{check_run_date(run_date)}/{bank}/"


def party_shard_key(run_date: str, bank: str, index: int, count: int) -> str:
    return f"{work_prefix(run_date, bank)}parties/shard-{index:05d}-of-{count:05d}.parquet"


def hit_shard_key(run_date: str, bank: str, index: int, count: int) -> str:
    return f"{work_prefix(run_date, bank)}hits/shard-{index:05d}-of-{count:05d}.parquet"


def stage_key(run_date: str, bank: str, name: str) -> str:
    return f"{work_prefix(run_date, bank)}stage/{name}"


def snapshot_key(run_date: str, name: str, snapshot: str = "watchlist") -> str:
    """A file of the night's snapshot ``snapshot`` (the lists, or the lists with ownership flags)."""
    if snapshot not in {"watchlist", "watchlist-ownership"}:
        raise ValueError(f"unknown snapshot {snapshot!r}")
    return f"{check_run_date(run_date)}/{snapshot}/{name}"


def register_status_key(run_date: str) -> str:
    """The register step's outcome for the night, in the work bucket."""
    return f"{check_run_date(run_date)}/registry/register.json"
