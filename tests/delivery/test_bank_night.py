"""A bank's nights end to end through the delivery, against the real local object store:
delta against the previous night, review decisions applied and rejected, re-runs identical."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from screening.model import Watchlist
from tests.delivery.conftest import ENTRIES, PARTIES, Bank, parties, watchlist

NIGHT_1, NIGHT_2 = "2026-03-01", "2026-03-02"


def night_2_inputs() -> tuple[Watchlist, pl.DataFrame]:
    entries = [e for e in ENTRIES if e[0] != "UN-SC:QDi.900"]  # delisted
    wl = watchlist(entries, aliases={"OFAC-SDN:2": ["Kestrel Maritime"]})  # amended
    people = [(r, n, t, "1961-06-02" if r == "customer:6" else d) for r, n, t, d in PARTIES]  # data changed
    return wl, parties(people)


def by_record(frame: pl.DataFrame) -> dict[str, dict[str, object]]:
    return {r["record_id"]: r for r in frame.iter_rows(named=True)}


def test_delta_and_decisions_over_two_nights(make_bank: Callable[[str], Bank]) -> None:
    bank = make_bank("bank-a")
    first = bank.night(NIGHT_1, watchlist(ENTRIES[:-1]), parties(PARTIES))
    assert first["new"] == first["hits"] == first["alerts"] == 5
    hits_1 = bank.frame(NIGHT_1, "hits.parquet")
    assert set(hits_1["delta"]) == {"new"}
    assert hits_1["party_fingerprint"].str.len_chars().to_list() == [64] * 5

    bank.submit("review-1.csv", (
        "record_id,uid,decision,reviewer,reason\n"
        "customer:1,OFAC-SDN:1,false_positive,ana.k,different person: born 1988\n"
        "customer:6,OFAC-SDN:6,False Positive,ana.k,namesake\n"
        "customer:5,OFAC-SDN:5,true_match,ben.o,passport matches\n"
        "customer:8,OFAC-SDN:1,false_positive,ana.k,no such hit\n"
        "customer:2,OFAC-SDN:2,maybe,ana.k,unsure\n"
        "customer:3,UN-SC:QDi.900,false_positive,,\n"
    ))
    bank.submit("broken.csv", "who,what\nx,y\n")

    wl, people = night_2_inputs()
    second = bank.night(NIGHT_2, wl, people)
    hits = by_record(bank.frame(NIGHT_2, "hits.parquet"))
    assert hits["customer:1"]["delta"] == "unchanged"
    assert hits["customer:1"]["suppressed"] and not hits["customer:1"]["alert"]
    assert hits["customer:5"]["disposition"] == "true_match" and not hits["customer:5"]["alert"]
    assert hits["customer:6"]["delta"] == "changed" and "party_data" in str(hits["customer:6"]["change"])
    assert hits["customer:6"]["disposition_stale"] and hits["customer:6"]["alert"]  # alerts again
    assert hits["customer:2"]["delta"] == "changed" and "list_entry" in str(hits["customer:2"]["change"])
    assert hits["customer:7"]["delta"] == "new"  # an existing party against an added entry
    assert "customer:3" not in hits
    cleared = by_record(bank.frame(NIGHT_2, "cleared.parquet"))
    assert cleared["customer:3"]["cleared_reason"] == "delisted"

    assert (second["new"], second["changed"], second["unchanged"], second["cleared"]) == (1, 2, 2, 1)
    assert (second["suppressed"], second["confirmed"], second["alerts"]) == (1, 1, 3)
    # Every row received is accepted or rejected, never dropped.
    assert (second["decisions_accepted"], second["decisions_rejected"]) == (3, 4)
    rejected = pl.read_csv(bank.file(NIGHT_2, "rejections.csv"))
    problems = dict(zip(rejected["record_id"].fill_null("").to_list(), rejected["problem"].to_list(), strict=True))
    assert "unknown hit" in problems["customer:8"]
    assert "'maybe' is not one of" in problems["customer:2"]
    assert "reviewer is empty" in problems["customer:3"] and "reason is empty" in problems["customer:3"]
    assert "missing columns" in problems[""]
    manifest = bank.manifest(NIGHT_2)
    assert {"received/broken.csv", "received/review-1.csv", "summary.html", "decisions.parquet"} <= set(
        manifest["files"])
    assert manifest["previous_night"] == NIGHT_1
    assert bank.store.list_keys("inbox/bank-a/") == []  # taken in, kept with the report

    register = bank.frame(NIGHT_2, "decisions.parquet")
    assert register.select("record_id", "reviewer", "received_file").rows() == [
        ("customer:1", "ana.k", "review-1.csv"), ("customer:6", "ana.k", "review-1.csv"),
        ("customer:5", "ben.o", "review-1.csv")]

    page = bank.file(NIGHT_2, "summary.html").decode()
    assert page.index("Alerts awaiting a decision") < page.index("Counts") < page.index("<svg")
    assert "Oksana Petrenko Vail" in page and "Rejected review decisions (4)" in page

    # A re-run of the night replaces it with identical files, decisions included.
    before = {k: bank.store.get_bytes(k) for k in bank.store.list_keys(f"bank-a/{NIGHT_2}/")}
    bank.night(NIGHT_2, *night_2_inputs())
    after = {k: bank.store.get_bytes(k) for k in bank.store.list_keys(f"bank-a/{NIGHT_2}/")}
    assert after == before

    # The decisions carry to the next night without being sent again.
    third = bank.night("2026-03-03", *night_2_inputs())
    assert (third["new"], third["changed"], third["suppressed"], third["alerts"]) == (0, 0, 1, 3)
