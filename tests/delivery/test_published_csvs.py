"""Every CSV a whole night publishes is safe to open in a spreadsheet: two nights of one bank and
the company register, run step by step as the DAG runs them, on sample data whose party names,
company names, officers and review decisions begin with formula characters or hold control
characters, against a real local object store of this module's own."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

from pipelines import paths
from pipelines.delivery.bank_night import RECEIVED
from pipelines.landing import land_bank_extracts, land_register
from pipelines.lists import load_directory, sample_lists_dir
from pipelines.nightly import prepare_watchlist, screen_bank, summarize_night
from pipelines.registry.nightly import screen_registry_night
from pipelines.samples.night import NightSample, generate_night
from pipelines.settings import Settings
from pipelines.storage import ObjectStore
from pipelines.tables import CONTROL, FORMULA_START
from tests.conftest import local_object_store

pytestmark = pytest.mark.slow

BANK = "bank-a"
NIGHTS = ("2026-05-04", "2026-05-05")
HOSTILE = ("=", "+", "-", "@", "\t", "\r")


def _poison(path: Path, columns: tuple[str, ...]) -> None:
    """Prefix the named columns of every row with a formula character, in turn."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = [h.strip() for h in rows[0]]
    at = [header.index(c) for c in columns]
    for n, row in enumerate(rows[1:]):
        for i in at:
            if row[i]:
                row[i] = HOSTILE[n % len(HOSTILE)] + row[i]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(rows)


def _land(settings: Settings, run_date: str, sample: NightSample) -> None:
    land_register(settings, run_date, sample.register_files)
    land_bank_extracts(settings, BANK, run_date, sample.banks[0].files)


def _night(settings: Settings, run_date: str) -> None:
    lists = prepare_watchlist(run_date, settings)
    snapshot = screen_registry_night(run_date, lists, settings)
    result = screen_bank(BANK, run_date, snapshot, settings)
    summarize_night(run_date, [result], settings)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ObjectStore, Path]]:
    home = tmp_path_factory.mktemp("csv-night")
    with local_object_store(home):
        base = Settings.from_env()
        doc = yaml.safe_load(base.config_path.read_text(encoding="utf-8"))
        doc["banks"] = [b for b in doc["banks"] if b["id"] == BANK]
        config = home / "interdict.yml"
        config.write_text(yaml.safe_dump(doc), encoding="utf-8")
        settings = dataclasses.replace(base, config_path=config)
        sample = generate_night(
            home / "samples", load_directory(sample_lists_dir()).watchlist, [BANK],
            run_date=date.fromisoformat(NIGHTS[0]), seed=11, parties=150, companies=120,
        )
        _poison(sample.banks[0].files["customers"], ("full_name",))
        _poison(sample.banks[0].files["payments"], ("ordering_name", "beneficiary_name"))
        register = {p.name: p for p in sample.register_files}
        _poison(register["BasicCompanyData-sample.csv"], ("CompanyName",))
        _poison(register["officers.csv"], ("name",))

        _land(settings, NIGHTS[0], sample)
        _night(settings, NIGHTS[0])
        reports = ObjectStore.open(settings, settings.config.buckets.reports)
        hits = list(csv.DictReader(io.StringIO(
            reports.get_bytes(paths.report_prefix(BANK, NIGHTS[0]) + "hits.csv").decode("utf-8"))))
        assert len(hits) >= 3, "the sample plants matches"
        decisions = ["record_id,uid,decision,reviewer,reason"]
        for n, hit in enumerate(hits[:3]):
            decisions.append(f"{hit['record_id'].lstrip(chr(39))},{hit['uid']},false_positive,"
                             f"{HOSTILE[n]}cmd|' /C calc'!A0,@SUM(1+1)")
        decisions += ["-2+3,OFAC-SDN:1,false_positive,=ana,unknown hit",
                      f"{hits[0]['record_id']}\x00,{hits[0]['uid']},false_positive,ana.k,\x1b[2Jcleared"]
        inbox = ObjectStore.open(settings, settings.config.buckets.reports, identity=BANK)
        inbox.put_bytes(paths.inbox_prefix(BANK) + "review.csv", ("\n".join(decisions) + "\n").encode("utf-8"))

        _land(settings, NIGHTS[1], sample)
        _night(settings, NIGHTS[1])
        yield reports, home


def _published_csvs(reports: ObjectStore) -> dict[str, bytes]:
    """Every CSV the nights published, except the decision files received, which are the bank's
    own uploads kept byte for byte."""
    keys = [k for k in reports.list_keys("") if k.endswith(".csv") and f"/{RECEIVED}" not in k]
    return {k: reports.get_bytes(k) for k in keys if not k.startswith(paths.inbox_prefix(BANK))}


def test_no_published_csv_cell_starts_a_formula_or_holds_a_control_character(
    published: tuple[ObjectStore, Path],
) -> None:
    reports, _ = published
    files = _published_csvs(reports)
    names = {k.rsplit("/", 1)[-1] for k in files}
    assert {"hits.csv", "cleared.csv", "decisions.csv", "decision-log.csv", "rejections.csv", "quarantine.csv",
            "ownership_flags.csv", "register_hits.csv", "register_quarantine.csv"} <= names
    neutralised: dict[str, int] = {}
    for key, data in sorted(files.items()):
        for line, row in enumerate(csv.reader(io.StringIO(data.decode("utf-8"), newline="")), start=1):
            for cell in row:
                assert not cell.startswith(FORMULA_START), f"{key} line {line}: {cell!r}"
                assert not CONTROL.search(cell), f"{key} line {line}: {cell!r}"
                if cell[:1] == "'" and cell[1:2] in HOSTILE:
                    neutralised[key.rsplit("/", 1)[-1]] = neutralised.get(key.rsplit("/", 1)[-1], 0) + 1
    # The hostile values did reach these files, neutralised.
    assert {"hits.csv", "ownership_flags.csv", "decisions.csv", "decision-log.csv", "rejections.csv"} <= set(
        neutralised), neutralised
    rejections = files[paths.report_prefix(BANK, NIGHTS[1]) + "rejections.csv"].decode("utf-8")
    assert "\\x00" in rejections and "control character U+0000 in record_id" in rejections
