from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.lists import also_listed, also_listed_by, load_files


def test_eu_uk_and_un_refs_link_the_same_person(fixtures: Path) -> None:
    loaded = load_files(
        [
            fixtures / "eu" / "fsf_small.xml",
            fixtures / "uk" / "uk_sl_small.xml",
            fixtures / "uk" / "hmt_conlist_cp1252.csv",
            fixtures / "un" / "un_small.xml",
            *sorted((fixtures / "ofac-sdn").glob("*.csv")),
        ]
    )
    w = loaded.watchlist
    assert also_listed_by(w, "UN-SC:QDi.950") == ["EU-FSF", "OFAC-SDN", "UK-OFSI", "UK-SL"]
    assert also_listed_by(w, "EU-FSF:77002") == []
    pairs = also_listed(w)
    reason = pairs.filter(pl.col("uid") == "UK-SL:AQD0950", pl.col("other_uid") == "EU-FSF:77001")["reason"]
    assert "both cite UN-SC:QDi.950" in reason.item()
    # the same vessel by IMO number on two lists
    assert also_listed_by(w, "UK-SL:RUS9001") == ["OFAC-SDN"]
    entry = w.entries.row(by_predicate=pl.col("uid") == "EU-FSF:77001", named=True)
    assert "UK-SL:AQD0950" in entry["linked_refs"]
