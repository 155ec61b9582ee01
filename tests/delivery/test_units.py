"""Fingerprints, decision-file reading, delta and the summary chart on literal inputs."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.delivery import delta
from pipelines.delivery.dispositions import LOG_COLUMNS, Intake, ReceivedFile, read_decisions, update_register
from pipelines.delivery.fingerprints import entry_fingerprints, party_fingerprints
from pipelines.delivery.html import score_chart
from pipelines.settings import DecisionFileLimits
from tests.delivery.conftest import ENTRIES, parties, watchlist

REVIEWABLE = pl.DataFrame({
    "record_id": ["customer:1", "payment:9:ordering", "=1+1"],
    "uid": ["OFAC-SDN:1", "UN-SC:QDi.900", "OFAC-SDN:1"],
    "party_fingerprint": ["p1", "p9", "p2"],
    "entry_fingerprint": ["e1", "e9", "e1"],
})


def test_party_fingerprint_covers_exactly_the_screened_fields() -> None:
    base = parties([("customer:1", "Viktor Brusilov", "person", "1970")])
    fp = party_fingerprints(base)["party_fingerprint"][0]
    assert fp == party_fingerprints(parties([("customer:1", "Viktor Brusilov", "person", "1970")]))[
        "party_fingerprint"][0]
    assert len(fp) == 64
    assert party_fingerprints(base.with_columns(pl.lit("M").alias("gender")))["party_fingerprint"][0] == fp
    for changed in (base.with_columns(pl.lit("1971").alias("dob")), base.with_columns(pl.lit("RU").alias("country")),
                    base.with_columns(pl.lit("Viktor Brusilow").alias("name"))):
        assert party_fingerprints(changed)["party_fingerprint"][0] != fp


def test_entry_fingerprint_changes_with_any_of_the_entrys_content() -> None:
    before = entry_fingerprints(watchlist(ENTRIES))
    amended = entry_fingerprints(watchlist(ENTRIES, aliases={"OFAC-SDN:2": ["Kestrel Maritime"]}))
    changed = before.join(amended, on="uid").filter(pl.col("entry_fingerprint") != pl.col("entry_fingerprint_right"))
    assert changed["uid"].to_list() == ["OFAC-SDN:2"]
    only = entry_fingerprints(watchlist(ENTRIES), pl.Series(["OFAC-SDN:5"]))
    assert only["uid"].to_list() == ["OFAC-SDN:5"]


HEADER = "record_id,uid,decision,reviewer,reason\n"


def read(text: str, limits: DecisionFileLimits | None = None) -> Intake:
    return read_decisions([ReceivedFile("f.csv", text.encode())], REVIEWABLE, night="2026-02-02",
                          reviewed_night="2026-02-01", limits=limits)


@pytest.mark.parametrize(
    ("text", "accepted", "problem"),
    [
        ("record_id,uid,decision,reviewer,reason\ncustomer:1,OFAC-SDN:1,false_positive,a,b\n", 1, None),
        ("\ufeffRecord_ID;List_Source;Entry_ID;Decision;Reviewer;Reason\n"
         "payment:9:ordering;UN-SC;QDi.900;TRUE MATCH;a;b\n", 1, None),
        ("record_id,uid,decision,reviewer,reason\n'=1+1,OFAC-SDN:1,false-positive,a,b\n", 1, None),
        ("record_id,uid,decision,reviewer,reason\ncustomer:1,OFAC-SDN:2,false_positive,a,b\n", 0, "unknown hit"),
        ("record_id,uid,decision,reviewer,reason,decided_at\ncustomer:1,OFAC-SDN:1,false_positive,a,b,yesterday\n",
         0, "not an ISO date"),
        ("record_id,decision,reviewer,reason\ncustomer:1,false_positive,a,b\n", 0, "missing columns: uid"),
    ],
)
def test_decision_rows_are_accepted_or_rejected_never_dropped(text: str, accepted: int, problem: str | None) -> None:
    intake = read(text)
    assert intake.accepted.height == accepted
    assert intake.rejected.height == (0 if problem is None else 1)
    if problem:
        assert problem in intake.rejected["problem"][0]
    else:
        assert intake.accepted["decision"][0] in {"true_match", "false_positive"}


def test_decision_file_not_utf8_is_rejected_whole() -> None:
    intake = read_decisions([ReceivedFile("f.csv", b"\xff\xfe\x00r")], REVIEWABLE, night="2026-02-02",
                            reviewed_night=None)
    assert intake.accepted.height == 0 and "not UTF-8" in intake.rejected["problem"][0]


def test_a_row_with_more_fields_than_the_header_is_refused_with_its_line() -> None:
    intake = read(HEADER + "customer:1,OFAC-SDN:1,false_positive,ana.k,namesake, born 1988\n"
                  "\n"
                  "customer:1,OFAC-SDN:1,false_positive,ana.k,\"namesake,\nborn 1988\"\n"
                  "payment:9:ordering,UN-SC:QDi.900,true_match,ben.o,passport,\n")
    assert intake.rejected.select("line", "record_id").rows() == [(2, "customer:1")]
    assert "6 fields where the header has 5" in intake.rejected["problem"][0]
    # A quoted delimiter is a value; a trailing empty field loses nothing. Lines are where rows start.
    assert intake.accepted.select("line", "reason").rows() == [(4, "namesake,\nborn 1988"), (6, "passport")]


def test_control_characters_are_refused_and_escaped_in_the_rejection() -> None:
    intake = read(HEADER + "customer:1\x00,OFAC-SDN:1,false_positive,ana.k,namesake\n"
                  "customer:1,OFAC-SDN:1,false_positive,ana\x1b[31m.k,namesake\n"
                  "customer:1,OFAC-SDN:1,false_positive,ana.k,\"line one\nline two\ttabbed\"\n")
    assert intake.accepted["line"].to_list() == [4]  # tab and line feed are ordinary whitespace
    rejected = intake.rejected.rows(named=True)
    assert [r["line"] for r in rejected] == [2, 3]
    assert rejected[0]["record_id"] == "customer:1\\x00" and "U+0000 in record_id" in rejected[0]["problem"]
    assert rejected[1]["reviewer"] == "ana\\x1b[31m.k" and "U+001B in reviewer" in rejected[1]["problem"]
    assert not any(c in str(v) for r in rejected for v in r.values() for c in "\x00\x1b")


def test_limits_on_one_file_are_stated_in_the_refusal() -> None:
    rows = "".join(f"customer:1,OFAC-SDN:1,false_positive,ana.k,pass {n}\n" for n in range(4))
    limits = DecisionFileLimits(max_rows=3, max_bytes=10_000)
    intake = read(HEADER + "\n" + rows, limits)
    assert intake.accepted.height == 0 and intake.rejected.height == 1
    assert intake.rejected["line"][0] is None
    assert "more than 3 decision rows" in intake.rejected["problem"][0]
    assert "row 4 is on line 6" in intake.rejected["problem"][0]
    assert read(HEADER + rows[: rows.index("pass 3")].rsplit("\n", 1)[0] + "\n", limits).accepted.height == 3
    big = read(HEADER + rows, DecisionFileLimits(max_rows=10, max_bytes=100))
    assert "larger than the limit of 100 bytes" in big.rejected["problem"][0]
    assert f"file of {len((HEADER + rows).encode()):,} bytes" in big.rejected["problem"][0]


def test_a_file_with_the_bytes_of_another_is_recorded_as_its_duplicate() -> None:
    text = (HEADER + "customer:1,OFAC-SDN:1,false_positive,ana.k,namesake\n").encode()
    files = [ReceivedFile("b.csv", text, "inbox/bank-a/b.csv"), ReceivedFile("a.csv", text, "inbox/bank-a/a.csv"),
             ReceivedFile("c.csv", text + b"\n", "inbox/bank-a/c.csv")]
    intake = read_decisions(files, REVIEWABLE, night="2026-02-02", reviewed_night="2026-02-01")
    by_name = {f["file"]: f for f in intake.files}
    assert set(by_name) == {"a.csv", "b.csv", "c.csv"}
    assert by_name["b.csv"]["duplicate_of"] == "a.csv" and by_name["b.csv"]["accepted"] == 0
    assert by_name["b.csv"]["inbox_key"] == "inbox/bank-a/b.csv"
    assert "duplicate_of" not in by_name["a.csv"] and "duplicate_of" not in by_name["c.csv"]
    assert intake.counts == {"files": 3, "duplicate_files": 1, "rows": 2, "accepted": 2, "rejected": 0}


def test_a_newer_decision_supersedes_the_older_and_the_log_keeps_both() -> None:
    night_1 = read(HEADER + "customer:1,OFAC-SDN:1,false_positive,ana.k,namesake\n"
                   "payment:9:ordering,UN-SC:QDi.900,true_match,ben.o,passport\n")
    first = update_register(None, night_1)
    assert first.register.height == 2 and first.superseded == 0
    assert first.log["in_force"].to_list() == [True, True] and first.log["supersedes"].to_list() == [None, None]
    night_2 = read_decisions(
        [ReceivedFile("r.csv", (HEADER + "".join(f"customer:1,OFAC-SDN:1,false_positive,ana.k,again {n}\n"
                                                  for n in range(500))
                                + "customer:1,OFAC-SDN:1,true_match,carl.d,new evidence\n").encode())],
        REVIEWABLE, night="2026-02-03", reviewed_night="2026-02-02")
    second = update_register(first.register, night_2)
    assert second.register.height == 2  # one decision per hit, however many were sent
    assert second.superseded == 501
    latest = second.register.filter(pl.col("record_id") == "customer:1").row(0, named=True)
    assert (latest["decision"], latest["reviewer"], latest["line"]) == ("true_match", "carl.d", 502)
    log = second.log
    assert log.columns == list(LOG_COLUMNS) and log.height == 501
    assert log["in_force"].sum() == 1 and log.row(-1, named=True)["in_force"]
    assert log["supersedes"][0] == "2026-02-02 f.csv line 2"
    assert log["supersedes"][-1] == "2026-02-03 r.csv line 501"
    # Re-running the night on the same previous register gives the same result.
    assert update_register(first.register, night_2).register.equals(second.register)


def test_delta_classifies_against_the_previous_night() -> None:
    cols = ("record_id", "uid", "score", "party_fingerprint", "entry_fingerprint")
    prev = pl.DataFrame([("c:1", "L:1", 0.9, "p", "e"), ("c:2", "L:2", 0.9, "p", "e"), ("c:3", "L:3", 0.9, "p", "e"),
                         ("c:4", "L:4", 0.9, "p", "e")], schema=cols, orient="row")
    now = pl.DataFrame([("c:1", "L:1", 0.9, "p", "e"), ("c:2", "L:2", 0.95, "p", "e"), ("c:5", "L:1", 0.9, "p", "e")],
                       schema=cols, orient="row")
    got = delta.classify(now, prev)
    assert got.select("record_id", "delta", "change").rows() == [
        ("c:1", "unchanged", None), ("c:2", "changed", "score"), ("c:5", "new", None)]
    gone = delta.cleared(now, prev, live_uids=pl.Series(["L:1", "L:2", "L:4"]),
                         parties=pl.DataFrame({"record_id": ["c:4"], "party_fingerprint": ["p"]}))
    assert gone.select("record_id", "cleared_reason").sort("record_id").rows() == [
        ("c:3", "delisted"), ("c:4", "no_longer_above_threshold")]


def test_score_chart_is_an_inline_svg_histogram() -> None:
    svg = score_chart([0.81, 0.82, 0.95, 1.0])
    assert svg.startswith("<svg") and svg.count("<rect") == 8  # 0.800 .. 1.000 in steps of 0.025
    assert "0.800–0.825: 2" in svg and "0.975–1.000: 1" in svg
    assert "No hits" in score_chart([])
