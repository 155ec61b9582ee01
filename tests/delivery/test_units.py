"""Fingerprints, decision-file reading, delta and the summary chart on literal inputs."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.delivery import delta
from pipelines.delivery.dispositions import read_decisions
from pipelines.delivery.fingerprints import entry_fingerprints, party_fingerprints
from pipelines.delivery.html import score_chart
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
    intake = read_decisions({"f.csv": text.encode()}, REVIEWABLE, night="2026-02-02", reviewed_night="2026-02-01")
    assert intake.accepted.height == accepted
    assert intake.rejected.height == (0 if problem is None else 1)
    if problem:
        assert problem in intake.rejected["problem"][0]
    else:
        assert intake.accepted["decision"][0] in {"true_match", "false_positive"}


def test_decision_file_not_utf8_is_rejected_whole() -> None:
    intake = read_decisions({"f.csv": b"\xff\xfe\x00r"}, REVIEWABLE, night="2026-02-02", reviewed_night=None)
    assert intake.accepted.height == 0 and "not UTF-8" in intake.rejected["problem"][0]


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
