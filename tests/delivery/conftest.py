"""A small hand-made watchlist and bank, and a helper that runs the delivery of one night."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipelines import paths
from pipelines.delivery.bank_night import BankNight, deliver
from pipelines.settings import DecisionFileLimits, Settings
from pipelines.storage import ObjectStore
from screening import screen
from screening.model import PARTY_SCHEMA, Watchlist, conform

ENTRIES = [
    ("OFAC-SDN:1", "person", "Viktor Antonovich Brusilov", ["UKRAINE-EO13662"]),
    ("OFAC-SDN:2", "organization", "Kestrel Maritime Holdings", ["SDGT"]),
    ("UN-SC:QDi.900", "person", "Abdul Rahman Qaderi", ["QDi"]),
    ("OFAC-SDN:5", "person", "Tarquin Oyelaran", ["SDGT"]),
    ("OFAC-SDN:6", "person", "Lydia Markovna Zhelezova", ["RUSSIA-EO14024"]),
    ("OFAC-SDN:7", "person", "Oksana Petrenko Vail", ["CYBER2"]),
]

PARTIES = [
    ("customer:1", "Viktor Brusilov", "person", None),
    ("customer:2", "Kestrel Maritime Holdings Ltd", "organization", None),
    ("customer:3", "Abdul Rahman Qaderi", "person", None),
    ("customer:5", "Tarquin Oyelaran", "person", "1970-01-01"),
    ("customer:6", "Lydia Zhelezova", "person", "1961-05-02"),
    ("customer:7", "Oksana Petrenko Vail", "person", None),
    ("customer:8", "Margaret Ellison", "person", None),
]


def watchlist(entries: list[tuple[str, str, str, list[str]]], aliases: dict[str, list[str]] | None = None
              ) -> Watchlist:
    rows = [{"uid": u, "list_source": u.split(":")[0], "entry_id": u.split(":", 1)[1], "entity_type": t,
             "primary_name": n, "programs": p} for u, t, n, p in entries]
    names = [{"uid": u, "name": n, "strength": "strong", "name_type": "primary", "script": "Latin"}
             for u, _, n, _ in entries]
    for uid, extra in (aliases or {}).items():
        names += [{"uid": uid, "name": n, "strength": "strong", "name_type": "alias", "script": "Latin"}
                  for n in extra]
    return Watchlist(entries=pl.DataFrame(rows), names=pl.DataFrame(names)).conformed()


def parties(rows: list[tuple[str, str, str, str | None]]) -> pl.DataFrame:
    frame = pl.DataFrame(
        [{"record_id": r, "name": n, "entity_type": t, "dob": d} for r, n, t, d in rows],
        schema={"record_id": pl.String, "name": pl.String, "entity_type": pl.String, "dob": pl.String},
    )
    return conform(frame, PARTY_SCHEMA)


@dataclass
class Bank:
    """One bank's nights delivered into the shared test store."""

    settings: Settings
    bank: str
    tmp: Path

    @property
    def store(self) -> ObjectStore:
        return ObjectStore.open(self.settings, self.settings.config.buckets.reports)

    def night(self, run_date: str, wl: Watchlist, people: pl.DataFrame,
              limits: DecisionFileLimits | None = None) -> dict[str, Any]:
        hits = screen(people, wl)
        quarantine = pl.DataFrame(schema={"dataset": pl.String, "row": pl.Int64, "rule": pl.String,
                                          "reason": pl.String, "original": pl.String})
        night = BankNight(
            bank=self.bank, bank_name="Aldgate Commercial Bank", run_date=run_date, hits=hits, parties=people,
            watchlist=wl, quarantine=quarantine,
            validations={"customers": {"rows_in": people.height, "rows_loaded": people.height,
                                       "rows_quarantined": 0, "rules": {}}},
            manifest={"bank": self.bank, "run_date": run_date,
                      "lists": {"snapshot_sha256": "test", "sources": []},
                      "counts": {"parties_screened": people.height, "rows_quarantined": 0}},
        )
        return deliver(night, self.store, self.tmp / run_date, limits=limits)

    def file(self, run_date: str, name: str) -> bytes:
        return self.store.get_bytes(paths.report_prefix(self.bank, run_date) + name)

    def frame(self, run_date: str, name: str) -> pl.DataFrame:
        return pl.read_parquet(io.BytesIO(self.file(run_date, name)))

    def manifest(self, run_date: str) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.file(run_date, "manifest.json"))
        return result

    def submit(self, name: str, text: str | bytes) -> None:
        inbox = ObjectStore.open(self.settings, self.settings.config.buckets.reports, identity=self.bank)
        inbox.put_bytes(paths.inbox_prefix(self.bank) + name, text.encode("utf-8") if isinstance(text, str) else text)


@pytest.fixture()
def make_bank(s3_home: Path, tmp_path: Path) -> Callable[[str], Bank]:
    """A bank of the configuration whose report prefix is emptied first (tests share the store)."""

    def make(bank: str) -> Bank:
        settings = Settings.from_env()
        store = ObjectStore.open(settings, settings.config.buckets.reports)
        store.delete_prefix(f"{bank}/")
        store.delete_prefix(paths.inbox_prefix(bank))
        return Bank(settings, bank, tmp_path)

    return make
