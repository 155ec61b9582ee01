"""The reviewer's hit columns."""

from __future__ import annotations

import polars as pl

from pipelines.lists import load_directory, sample_lists_dir
from pipelines.report import REPORT_COLUMNS, hit_report
from screening import screen
from screening.model import PARTY_SCHEMA, conform


def test_a_hit_says_which_other_lists_name_the_same_party() -> None:
    watchlist = load_directory(sample_lists_dir()).watchlist
    on_un = pl.col("linked_refs").list.eval(pl.element().str.starts_with("UN-SC:")).list.any()
    both = watchlist.entries.filter((pl.col("list_source") == "OFAC-SDN") & on_un).row(0, named=True)
    parties = conform(
        pl.DataFrame({"record_id": ["customer:7"], "name": [both["primary_name"]], "entity_type": ["unknown"]}),
        PARTY_SCHEMA,
    )
    report = hit_report(screen(parties, watchlist), watchlist)
    assert report.columns == list(REPORT_COLUMNS)
    ofac = report.filter(pl.col("uid") == both["uid"]).row(0, named=True)
    assert ofac["party_role"] == "customer" and ofac["party_id"] == "7"
    assert "UN-SC:" in ofac["also_listed_by"]
    un_uid = ofac["also_listed_by"].split("; ")[0]
    assert report.filter(pl.col("uid") == un_uid)["also_listed_by"].to_list() == [both["uid"]]

