"""The summary page of a bank's night: every alert awaiting a decision on it, night after night;
possible ownership apart with its shares; the decisions template; markup shown as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.delivery.alerts import decisions_template, mark_differences
from pipelines.delivery.bank_night import BankNight, deliver
from pipelines.registry.evidence import ownership_links
from pipelines.registry.resolve import flagged_companies_as_watchlist
from screening import screen
from screening.model import Watchlist
from screening.ownership import EDGE_SCHEMA, SEED_SCHEMA, resolve_ownership
from tests.delivery.conftest import ENTRIES, PARTIES, Bank, parties, watchlist


def open_page(page: Any, bank: Bank, run_date: str) -> Any:
    """The night's summary page in headless Chromium (its own script runs)."""
    page.set_content(bank.file(run_date, "summary.html").decode("utf-8"))
    return page


def rows(page: Any, table: str = "alerts") -> list[dict[str, str]]:
    """The alert rows of one table, as their data attributes, in page order."""
    result: list[dict[str, str]] = page.eval_on_selector_all(
        f"#{table} tr[data-delta]", "rows => rows.map(r => Object.assign({}, r.dataset))")
    return result


def test_every_open_alert_stays_on_the_page_new_ones_first(make_bank: Callable[[str], Bank],
                                                           offline_page: Any) -> None:
    bank = make_bank("bank-a")
    first = bank.night("2026-04-01", watchlist(ENTRIES[:-1]), parties(PARTIES))
    assert first["alerts"] == 5
    # Night 2: nothing decided, nothing changed, and one entry added to the list.
    second = bank.night("2026-04-02", watchlist(ENTRIES), parties(PARTIES))
    assert (second["new"], second["unchanged"], second["alerts"]) == (1, 5, 6)
    page = open_page(offline_page, bank, "2026-04-02")
    shown = rows(page)
    assert len(shown) == 6
    assert [r["delta"] for r in shown] == ["new"] + ["unchanged"] * 5
    assert shown[0]["record"] == "customer:7"
    assert "Alerts awaiting a decision (6)" in page.inner_text("#alerts-heading")
    hits = bank.frame("2026-04-02", "hits.parquet").filter(pl.col("alert"))
    assert {(r["record"], r["uid"]) for r in shown} == set(hits.select("record_id", "uid").iter_rows())
    assert page.locator("tr[data-delta]:visible").count() == 6
    # Night 3, the same again: the carried-over alerts are still there.
    bank.night("2026-04-03", watchlist(ENTRIES), parties(PARTIES))
    assert [r["delta"] for r in rows(open_page(offline_page, bank, "2026-04-03"))] == ["unchanged"] * 6


def test_possible_ownership_has_its_own_section_with_both_shares(make_bank: Callable[[str], Bank],
                                                                 offline_page: Any) -> None:
    bank = make_bank("bank-c")
    graph = pl.DataFrame(
        [("X", "10000001", 60.0, 60.0, []), ("X", "10000002", 25.0, 50.0, [])], schema=EDGE_SCHEMA, orient="row"
    )
    listed = pl.DataFrame([("X", "Viktor Antonovich Brusilov", "person", "OFAC-SDN 1")], schema=SEED_SCHEMA,
                          orient="row")
    nodes = pl.DataFrame({"node_id": ["X", "10000001", "10000002"],
                          "name": ["V Brusilov", "NORTHWIND ALLOYS LIMITED", "SOUTHBANK FREIGHT LIMITED"]})
    flags = resolve_ownership(graph, listed, nodes)
    assert dict(flags.select("company_id", "basis").iter_rows()) == {"10000001": "ownership", "10000002": "possible"}
    wl = Watchlist.concat([watchlist(ENTRIES), flagged_companies_as_watchlist(flags)])
    people = parties([*PARTIES, ("customer:20", "Northwind Alloys Ltd", "organization", None),
                      ("customer:21", "Southbank Freight Limited", "organization", None)])
    night = BankNight(
        bank="bank-c", bank_name="Cheapside Bank", run_date="2026-04-01", hits=screen(people, wl), parties=people,
        watchlist=wl, quarantine=pl.DataFrame(schema={"dataset": pl.String, "row": pl.Int64, "rule": pl.String,
                                                      "reason": pl.String, "original": pl.String}),
        validations={}, manifest={"bank": "bank-c", "run_date": "2026-04-01", "lists": {"sources": []},
                                  "screening": {"thresholds": {"person": 0.86}, "algorithm": "test-algorithm"}},
        ownership=flags, ownership_links=ownership_links(flags, graph, listed, nodes), inbox="s3://x/inbox/bank-c/",
    )
    deliver(night, bank.store, bank.tmp / "bank-c")
    page = open_page(offline_page, bank, "2026-04-01")
    assert [r["record"] for r in rows(page, "possible")] == ["customer:21"]
    text = " ".join(page.inner_text("#possible tr[data-record='customer:21']").split())
    # The band 25–50 % establishes 25 %, below the 50 % threshold; its upper bound could reach it.
    assert "established share held by listed parties: 25 %" in text and "possible share: up to 50 %" in text
    assert "25–50 % Viktor Antonovich Brusilov" in text
    assert [r["record"] for r in rows(page) if r["list"] == "OWNERSHIP"] == ["customer:20"]
    holders = page.locator("#alerts tr[data-record='customer:20'] ul.owners li").all_inner_texts()
    assert [" ".join(h.split()) for h in holders] == ["60 % Viktor Antonovich Brusilov (OFAC-SDN 1) listed"]
    assert page.inner_text("#algorithm") == "test-algorithm"
    assert "s3://x/inbox/bank-c/" in page.inner_text("#next")


def test_names_are_marked_where_their_letters_differ() -> None:
    party, listed = mark_differences("REZAEI Mohammad Hossin", "REZAEI, Mohammad Hossein")
    assert party == "REZAEI Mohammad Hossin"
    assert listed == "REZAEI, Mohammad Hoss<mark>e</mark>in"
    # Word order and case do not count; an extra word is marked whole; markup is text.
    party, listed = mark_differences("Chol Nam Kimm <b>", "KIM, Ch'ol-nam")
    assert party == "Chol Nam Kim<mark>m</mark> &lt;<mark>b</mark>&gt;"
    assert listed == "KIM, Ch&#x27;ol-nam"


def test_the_template_is_the_alerts_with_empty_decisions_and_no_live_formulas() -> None:
    alerts = pl.DataFrame({
        "record_id": ["customer:1"], "uid": ["OFAC-SDN:1"], "list_source": ["OFAC-SDN"], "entry_id": ["1"],
        "party_name": ["=HYPERLINK(\"http://x\")"], "listed_name": ["Brusilov"], "score": [0.91234], "delta": ["new"],
    })
    rows = list(csv.DictReader(io.StringIO(decisions_template(alerts).decode("utf-8"))))
    assert rows == [{
        "record_id": "customer:1", "uid": "OFAC-SDN:1", "list_source": "OFAC-SDN", "entry_id": "1",
        "party_name": "'=HYPERLINK(\"http://x\")", "listed_name": "Brusilov", "score": "0.912", "delta": "new",
        "decision": "", "reviewer": "", "reason": "", "decided_at": "",
    }]


def test_the_page_needs_no_network_and_its_filters_run(make_bank: Callable[[str], Bank], offline_page: Any,
                                                       tmp_path: Path) -> None:
    bank = make_bank("bank-b")
    bank.night("2026-04-01", watchlist(ENTRIES), parties(PARTIES))
    page_file = tmp_path / "summary.html"
    page_file.write_bytes(bank.file("2026-04-01", "summary.html"))
    offline_page.goto(page_file.as_uri())
    assert offline_page.is_visible("#filters")  # shown only once the page's own script runs
    visible = offline_page.locator("tr[data-delta]:visible")
    assert visible.count() == 6
    offline_page.uncheck("#filters input[name=list][value=OFAC-SDN]")
    assert visible.count() == 1 and offline_page.inner_text("#shown") == "1 of 6 alerts shown"
    assert offline_page.external_requests == []
