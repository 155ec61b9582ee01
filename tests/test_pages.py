"""The pages a night publishes, opened as a bank's analyst opens them: fetched with the bank's own
credentials from a real local object store, in a real headless Chromium with the network off.

One night on generated sample data (bank-a as generated, bank-b with markup planted in every
field of its extracts and of the register), run in-process through the same steps as the DAG.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipelines import paths
from pipelines.cli import main
from pipelines.lists import load_directory, sample_lists_dir
from pipelines.nightly import prepare_watchlist, screen_bank
from pipelines.registry.nightly import screen_registry_night
from pipelines.samples.night import NightSample, generate_night, land_night
from pipelines.settings import Settings
from pipelines.storage import ObjectStore
from screening import ALGORITHM_VERSION
from tests.conftest import local_object_store
from tests.pages import screenshot

pytestmark = pytest.mark.slow

NIGHT_1, NIGHT_2 = "2026-05-04", "2026-05-05"
BANKS = ("bank-a", "bank-b")
PAYLOADS = ("<img src=x onerror=alert(1)>", '"><script>alert(2)</script>', "<svg onload=alert(3)>")
LISTED = "KIM CHOL NAM"  # on the sample OFAC and UN lists
HIT_ID = f"C-{PAYLOADS[0]}"  # a customer id with markup, on a customer who alerts


@dataclass(frozen=True)
class Night:
    settings: Settings
    sample: NightSample
    home: Path

    def fetch(self, bank: str, run_date: str, folder: Path) -> Path:
        assert main(["reports", "fetch", "--bank", bank, "--date", run_date, "--to", str(folder)]) == 0
        return folder

    def hits(self, bank: str, run_date: str) -> pl.DataFrame:
        store = ObjectStore.open(self.settings, self.settings.config.buckets.reports, identity=bank)
        return pl.read_parquet(io.BytesIO(store.get_bytes(paths.report_prefix(bank, run_date) + "hits.parquet")))


def run_night(settings: Settings, run_date: str, banks: tuple[str, ...] = BANKS) -> None:
    """The DAG's steps in this process: lists, register, then each bank's stage, screen and report."""
    snapshot = prepare_watchlist(run_date, settings)
    extended = screen_registry_night(run_date, snapshot, settings)
    for bank in banks:
        screen_bank(bank, run_date, extended, settings)


def _append(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        for row in rows:
            writer.writerow([row.get(column.strip(), "") for column in header])


def plant_markup(sample: NightSample) -> None:
    """Markup in every field of bank-b's customers and payments and of the register's companies:
    one row per field (most are quarantined, their values quoted in the data docs), and one
    customer with a listed name whose id and identifier carry markup, so that it alerts."""
    bank = next(b for b in sample.banks if b.bank == "bank-b")
    customers = bank.files["customers"]
    good = {"customer_type": "person", "full_name": "Jane Ordinary", "date_of_birth": "1970-01-01",
            "gender": "F", "nationality": "GB", "country": "GB", "id_type": "passport", "opened_on": "2020-01-01"}
    with customers.open(encoding="utf-8") as handle:
        columns = next(csv.reader(handle))
    rows = [
        {**good, "customer_id": f"XSS-{i}", column: PAYLOADS[i % len(PAYLOADS)]}
        for i, column in enumerate(columns)
    ]
    rows.append({**good, "customer_id": HIT_ID, "full_name": LISTED, "id_number": PAYLOADS[1], "date_of_birth": "",
                 "nationality": "KP", "country": "KP"})
    _append(customers, rows)
    payments = bank.files["payments"]
    with payments.open(encoding="utf-8") as handle:
        pay_columns = next(csv.reader(handle))
    base = {"value_date": "2026-05-01", "amount": "10.00", "currency": "EUR", "ordering_name": "Acme Ltd",
            "ordering_country": "GB", "beneficiary_name": "Beta GmbH", "beneficiary_country": "DE"}
    _append(payments, [{**base, "payment_id": f"XSS-P{i}", column: PAYLOADS[i % len(PAYLOADS)]}
                       for i, column in enumerate(pay_columns)])
    _append(payments, [{**base, "payment_id": "XSS-PHIT", "beneficiary_name": f"{LISTED} {PAYLOADS[2]}"}])
    companies = next(p for p in sample.register_files if p.name.startswith("BasicCompanyData"))
    _append(companies, [
        {"CompanyName": PAYLOADS[0], "CompanyNumber": "19999991", "CompanyStatus": "Active",
         "IncorporationDate": "01/01/2010"},
        {"CompanyName": "Markup Holdings Ltd", "CompanyNumber": PAYLOADS[1], "CompanyStatus": PAYLOADS[2],
         "IncorporationDate": PAYLOADS[0]},
    ])


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Night]:
    with local_object_store(tmp_path_factory.mktemp("pages-home")) as home:
        settings = Settings.from_env()
        watchlist = load_directory(sample_lists_dir()).watchlist
        sample = generate_night(home / "samples", watchlist, list(BANKS), run_date=date.fromisoformat(NIGHT_1),
                                seed=5, parties=300, companies=300)
        plant_markup(sample)
        land_night(settings, NIGHT_1, sample)
        run_night(settings, NIGHT_1)
        yield Night(settings, sample, home)


@pytest.fixture(scope="module")
def bank_a(night: Night, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return night.fetch("bank-a", NIGHT_1, tmp_path_factory.mktemp("bank-a"))


def test_summary_page_lists_every_open_alert_with_its_evidence(night: Night, bank_a: Path, offline_page: Any) -> None:
    page = offline_page
    page.goto((bank_a / "summary.html").as_uri())
    hits = night.hits("bank-a", NIGHT_1)
    alerts = hits.filter(pl.col("alert"))
    rows = page.locator("tr[data-delta]")
    assert rows.count() == alerts.height > 0
    assert {r.get_attribute("data-delta") for r in rows.all()} == {"new"}
    assert page.locator("mark").count() > 0, "the sample's planted variants differ from the list by some letters"
    assert page.inner_text("#algorithm") == ALGORITHM_VERSION
    assert "0.86" in page.inner_text("#thresholds")
    assert page.locator("text=What to do next").count() == 1
    assert "interdict reports submit --bank bank-a" in page.inner_text("#next")
    assert page.locator("pre").count() == 0, "data quality is a table, not a JSON dump"
    assert page.external_requests == []
    screenshot(page, "summary.png")

    # A company flagged through the register shows who owns or controls it, down to the listed party.
    owned = page.locator("tr[data-list=OWNERSHIP]")
    assert owned.count() == alerts.filter(pl.col("list_source") == "OWNERSHIP").height > 0
    holders = owned.first.locator("ul.owners li")
    assert holders.count() >= 1
    assert holders.last.locator(".pill").inner_text() == "listed"
    assert owned.first.locator(".basis").inner_text() != ""
    longest = "#alerts tr[data-list=OWNERSHIP]:has(ul.owners ul.owners)"
    screenshot(page, "summary-ownership.png",
               selector=longest if page.locator(longest).count() else "#alerts tr[data-list=OWNERSHIP]")


def test_filters_narrow_the_alerts_without_a_server(night: Night, bank_a: Path, offline_page: Any) -> None:
    page = offline_page
    page.goto((bank_a / "summary.html").as_uri())
    alerts = night.hits("bank-a", NIGHT_1).filter(pl.col("alert"))
    visible = page.locator("tr[data-delta]:visible")
    assert visible.count() == alerts.height
    for box in page.locator("#filters input[name=list]").all():
        if box.get_attribute("value") != "OWNERSHIP":
            box.uncheck()
    owned = alerts.filter(pl.col("list_source") == "OWNERSHIP").height
    assert visible.count() == owned
    assert page.inner_text("#shown") == f"{owned} of {alerts.height} alerts shown"
    page.evaluate("document.getElementById('alerts-heading').scrollIntoView()")
    screenshot(page, "summary-filtered.png")

    page.click("#filters button[name=reset]")
    page.select_option("#filters select[name=band]", "high")
    assert visible.count() == alerts.filter(pl.col("score") >= 0.95).height
    page.uncheck("#filters input[name=delta][value=new]")
    assert visible.count() == 0
    page.click("#filters button[name=reset]")
    assert visible.count() == alerts.height
    assert page.external_requests == []


def test_data_docs_are_styled_offline_without_helper_columns(bank_a: Path, offline_page: Any) -> None:
    page = offline_page
    page.goto((bank_a / "data-docs" / "customers.html").as_uri())
    assert page.external_requests == []
    banner = page.eval_on_selector("header.top", "e => getComputedStyle(e).backgroundColor")
    assert banner == "rgb(31, 48, 71)"
    assert page.eval_on_selector("th", "e => getComputedStyle(e).fontWeight") == "600"
    text = page.inner_text("body")
    assert "__" not in text and "has_letter" not in text
    assert "full_name has a letter" in text and "customer_id is unique" in text
    screenshot(page, "data-docs.png")
    page.click("text=All datasets")
    assert page.locator("table a").count() == 2


def test_quarantine_keeps_only_the_providers_values(bank_a: Path) -> None:
    quarantine = pl.read_csv(bank_a / "quarantine.csv", infer_schema=False)
    assert quarantine.height > 0
    assert not any("_problem" in value for value in quarantine["original"].to_list())


def test_no_published_page_runs_planted_markup(night: Night, offline_page: Any) -> None:
    store = ObjectStore.open(night.settings, night.settings.config.buckets.reports)
    keys = [k for prefix in ("bank-a/", "bank-b/", "regulator/") for k in store.list_keys(prefix)]
    pages = [k for k in keys if k.endswith(".html")]
    assert any(k.startswith("bank-b/") and k.endswith("summary.html") for k in pages)
    assert any(k.startswith("regulator/") for k in pages)
    # The markup reached the report: bank-b's alerts name the planted customer.
    hits = night.hits("bank-b", NIGHT_1)
    assert HIT_ID in hits["party_id"].to_list()
    dialogs: list[str] = []
    offline_page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    folder = night.home / "published"
    for key in pages:
        body = store.get_bytes(key)
        for payload in PAYLOADS:
            assert payload.encode() not in body, f"{key} holds {payload!r} unescaped"
        path = folder / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        offline_page.goto(path.as_uri())
        assert offline_page.locator("img[src=x], svg[onload]").count() == 0, key
        assert not offline_page.evaluate("Array.from(document.scripts).some(s => s.text.includes('alert('))"), key
    summary = store.get_bytes(paths.report_prefix("bank-b", NIGHT_1) + "summary.html").decode()
    assert "C-&lt;img src=x onerror=alert(1)&gt;" in summary  # shown as text, escaped
    assert dialogs == []
    assert offline_page.external_requests == []


def test_the_decisions_template_goes_back_unchanged_and_the_next_night_applies_it(
    night: Night, bank_a: Path, offline_page: Any, tmp_path: Path
) -> None:
    page = offline_page
    page.goto((bank_a / "summary.html").as_uri())
    with page.expect_download() as info:
        page.click("#template")
    template = tmp_path / info.value.suggested_filename
    info.value.save_as(template)
    assert template.name == f"decisions-bank-a-{NIGHT_1}.csv"
    assert template.read_bytes() == (bank_a / "decisions-template.csv").read_bytes()

    rows = list(csv.DictReader(template.open(encoding="utf-8", newline="")))
    alerts = night.hits("bank-a", NIGHT_1).filter(pl.col("alert"))
    assert len(rows) == alerts.height
    assert {(r["record_id"], r["uid"]) for r in rows} == set(alerts.select("record_id", "uid").iter_rows())
    assert all(not r["decision"] and not r["reviewer"] and not r["reason"] for r in rows)

    # The analyst fills in the three decision columns, nothing else.
    with template.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    header = table[0]
    for i, row in enumerate(table[1:]):
        row[header.index("decision")] = "true_match" if i == 0 else "false_positive"
        row[header.index("reviewer")] = "ana.k"
        row[header.index("reason")] = "checked against the passport copy" if i == 0 else "different person"
    with template.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(table)
    assert main(["reports", "submit", "--bank", "bank-a", str(template)]) == 0

    land_night(night.settings, NIGHT_2, night.sample)
    run_night(night.settings, NIGHT_2, banks=("bank-a",))
    second = night.hits("bank-a", NIGHT_2)
    folder = night.fetch("bank-a", NIGHT_2, tmp_path / "night-2")
    rejections = pl.read_csv(folder / "rejections.csv", infer_schema=False)
    assert rejections.height == 0, rejections.to_dicts()
    decided = second.filter(pl.col("disposition").is_not_null())
    assert decided.height == len(rows)
    assert second.filter(pl.col("suppressed")).height == len(rows) - 1
    assert second.filter(pl.col("disposition") == "true_match")["alert"].to_list() == [False]
    page.goto((folder / "summary.html").as_uri())
    assert page.locator("tr[data-delta]").count() == second.filter(pl.col("alert")).height
    assert f"Decided hits ({decided.height})" in page.inner_text("body")
