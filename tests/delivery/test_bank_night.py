"""A bank's nights end to end through the delivery, against the real local object store:
delta against the previous night, review decisions applied and rejected, re-runs identical."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from pipelines.settings import DecisionFileLimits
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


DECISION = "record_id,uid,decision,reviewer,reason\ncustomer:1,OFAC-SDN:1,false_positive,ana.k,namesake\n"


def test_every_inbox_file_is_taken_in_even_with_the_bytes_of_another(make_bank: Callable[[str], Bank]) -> None:
    bank = make_bank("bank-b")
    bank.night(NIGHT_1, watchlist(ENTRIES), parties(PARTIES))
    same = ("a b.csv", "a_b.csv", "a:b.csv")  # one flat name, three keys, the same bytes
    for key in same:
        bank.submit(key, DECISION)
    bank.submit("other.csv", DECISION.replace("ana.k", "ben.o"))
    second = bank.night(NIGHT_2, watchlist(ENTRIES), parties(PARTIES))

    manifest = bank.manifest(NIGHT_2)
    received = {f["file"]: f for f in manifest["decisions"]["received"]}
    keys = sorted(f"inbox/bank-b/{k}" for k in (*same, "other.csv"))
    assert sorted(f["inbox_key"] for f in received.values()) == keys
    assert {f"received/{name}" for name in received} <= set(manifest["files"])
    for name in received:
        assert bank.file(NIGHT_2, f"received/{name}") == DECISION.encode() or name == "other.csv"
    duplicates = {n: f["duplicate_of"] for n, f in received.items() if f.get("duplicate_of")}
    originals = {n for n, f in received.items() if f["sha256"] == received["a_b.csv"]["sha256"]} - set(duplicates)
    assert len(duplicates) == 2 and len(originals) == 1 and set(duplicates.values()) == originals
    assert all(received[n]["accepted"] == 0 for n in duplicates)
    assert manifest["decisions"]["duplicate_files"] == 2 and manifest["decisions"]["files"] == 4
    assert (second["decisions_accepted"], second["decisions_rejected"]) == (2, 0)  # each row once
    assert bank.store.list_keys("inbox/bank-b/") == []

    # An attempt that published but did not empty the inbox: the re-run takes nothing twice.
    before = {k: bank.store.get_bytes(k) for k in bank.store.list_keys(f"bank-b/{NIGHT_2}/")}
    for key in same:
        bank.submit(key, DECISION)
    bank.night(NIGHT_2, watchlist(ENTRIES), parties(PARTIES))
    assert {k: bank.store.get_bytes(k) for k in bank.store.list_keys(f"bank-b/{NIGHT_2}/")} == before
    assert bank.store.list_keys("inbox/bank-b/") == []
    # The same bytes sent again under a new key are another file, marked as a duplicate.
    bank.submit("resent.csv", DECISION)
    bank.night(NIGHT_2, watchlist(ENTRIES), parties(PARTIES))
    received = {f["file"]: f for f in bank.manifest(NIGHT_2)["decisions"]["received"]}
    assert received["resent.csv"]["duplicate_of"] in originals and len(received) == 5


def test_hostile_decision_rows_are_refused_by_line_and_never_leak(make_bank: Callable[[str], Bank]) -> None:
    bank = make_bank("bank-c")
    bank.night(NIGHT_1, watchlist(ENTRIES), parties(PARTIES))
    bank.submit("review.csv", (
        "record_id,uid,decision,reviewer,reason\n"
        "customer:1\x00,OFAC-SDN:1,false_positive,ana.k,namesake\n"
        "customer:5,OFAC-SDN:5,true_match,ben.o,passport matches, and the date of birth\n"
        "customer:6,OFAC-SDN:6,false_positive,=HYPERLINK(\"http://x\"),@SUM(1)\n"
    ))
    bank.submit("bulk.csv", DECISION.split("\n")[0] + "\n" + "customer:2,OFAC-SDN:2,false_positive,a,b\n" * 4)
    tally = bank.night(NIGHT_2, watchlist(ENTRIES), parties(PARTIES), limits=DecisionFileLimits(max_rows=3))
    assert (tally["decisions_accepted"], tally["decisions_rejected"]) == (1, 3)

    rejections = pl.read_csv(bank.file(NIGHT_2, "rejections.csv"))
    by_line = {(r["received_file"], r["line"]): r for r in rejections.iter_rows(named=True)}
    assert by_line[("review.csv", 2)]["record_id"] == "customer:1\\x00"
    assert "control character U+0000 in record_id" in by_line[("review.csv", 2)]["problem"]
    assert "6 fields where the header has 5" in by_line[("review.csv", 3)]["problem"]
    assert "more than 3 decision rows" in by_line[("bulk.csv", None)]["problem"]
    decided = by_record(bank.frame(NIGHT_2, "decisions.parquet"))
    assert decided["customer:6"]["reviewer"] == '=HYPERLINK("http://x")'  # kept as sent, neutralised in CSV
    assert pl.read_csv(bank.file(NIGHT_2, "decisions.csv"))["reviewer"].to_list() == ["'=HYPERLINK(\"http://x\")"]
    # Only the received files themselves, kept byte for byte, hold the raw control character.
    for name in bank.manifest(NIGHT_2)["files"]:
        if not name.startswith("received/") and not name.endswith(".parquet"):
            assert b"\x00" not in bank.file(NIGHT_2, name), name


def test_the_register_keeps_one_decision_per_hit_and_each_night_logs_its_own(
    make_bank: Callable[[str], Bank],
) -> None:
    bank = make_bank("bank-a")
    wl, people = watchlist(ENTRIES), parties(PARTIES)
    bank.night(NIGHT_1, wl, people)
    header = "record_id,uid,decision,reviewer,reason\n"
    for n in range(3):
        bank.submit(f"review-{n}.csv", header + "".join(
            f"customer:{c},OFAC-SDN:{c},false_positive,ana.k,pass {n}.{i}\n" for i in range(100) for c in (1, 6)))
    second = bank.night(NIGHT_2, wl, people)
    assert second["decisions_accepted"] == 600
    register = bank.frame(NIGHT_2, "decisions.parquet")
    assert register.select("record_id", "received_file", "line", "reason").rows() == [
        ("customer:1", "review-2.csv", 200, "pass 2.99"), ("customer:6", "review-2.csv", 201, "pass 2.99")]
    assert bank.manifest(NIGHT_2)["decisions"] | {"received": None} == {
        "files": 3, "duplicate_files": 0, "rows": 600, "accepted": 600, "rejected": 0, "in_force": 2,
        "superseded": 598, "received": None}
    log = pl.read_csv(bank.file(NIGHT_2, "decision-log.csv"))
    assert log.height == 600 and log["in_force"].sum() == 2
    assert log.filter(pl.col("in_force"))["supersedes"].to_list() == [
        f"{NIGHT_2} review-2.csv line 198", f"{NIGHT_2} review-2.csv line 199"]

    bank.submit("late.csv", header + "customer:1,OFAC-SDN:1,true_match,carl.d,new evidence\n")
    third = bank.night("2026-03-03", wl, people)
    assert bank.frame("2026-03-03", "decisions.parquet").height == 2
    log = pl.read_csv(bank.file("2026-03-03", "decision-log.csv"))
    assert log.select("reviewer", "in_force", "supersedes").rows() == [
        ("carl.d", True, f"{NIGHT_2} review-2.csv line 200")]
    hits = by_record(bank.frame("2026-03-03", "hits.parquet"))
    assert hits["customer:1"]["disposition"] == "true_match" and hits["customer:6"]["suppressed"]
    assert (third["confirmed"], third["suppressed"]) == (1, 1)
    # A night without new decisions carries the register as it is and logs nothing.
    bank.night("2026-03-04", wl, people)
    assert bank.frame("2026-03-04", "decisions.parquet").equals(bank.frame("2026-03-03", "decisions.parquet"))
    assert pl.read_csv(bank.file("2026-03-04", "decision-log.csv")).height == 0
