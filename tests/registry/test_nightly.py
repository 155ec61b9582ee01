"""The register's part of the night, against the real local object store."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from pipelines import paths
from pipelines.landing import land_register
from pipelines.lists import load_directory, sample_lists_dir
from pipelines.nightly import Snapshot, prepare_watchlist
from pipelines.registry.nightly import screen_registry_night
from pipelines.samples.registry import generate_register
from pipelines.settings import Settings
from pipelines.storage import AccessDenied, ObjectStore
from screening import screen
from screening.model import PARTY_SCHEMA, conform


@pytest.fixture(scope="module")
def settings(s3_home: Path) -> Settings:
    return Settings.from_env()


def test_register_flags_are_published_and_extend_the_watchlist(settings: Settings, tmp_path: Path) -> None:
    run_date = "2026-03-02"
    watchlist = load_directory(sample_lists_dir()).watchlist
    written = generate_register(tmp_path / "registry", watchlist, seed=3, companies=300)
    land_register(settings, run_date, [Path(f) for f in written["files"]])
    truth = json.loads(Path(written["truth"]).read_text())

    base = prepare_watchlist(run_date, settings)
    extended_dir = screen_registry_night(run_date, base, settings)
    assert extended_dir != base
    extended = Snapshot.open(extended_dir)
    ownership = extended.watchlist().entries.filter(pl.col("list_source") == "OWNERSHIP")
    assert truth["flagged"], "the sample register plants flagged companies"
    assert set(ownership["entry_id"]) >= set(truth["flagged"])
    assert not set(ownership["entry_id"]) & set(truth["not_flagged"])
    assert extended.meta["register"]["delivered"] is True

    reports = ObjectStore.open(settings, settings.config.buckets.reports, identity="regulator")
    prefix = paths.regulator_prefix(run_date) + "register/"
    manifest = json.loads(reports.get_bytes(prefix + "manifest.json"))
    assert manifest["counts"]["companies"] > 0
    assert "ownership_flags.csv" in manifest["files"]
    # The Great Expectations suites of the register ran and are published with the flags.
    assert {"validation.json", "data-docs/index.html"} <= set(manifest["files"])
    validation = json.loads(reports.get_bytes(prefix + "validation.json"))
    assert set(validation) == {"register_companies", "register_persons", "ownership", "register_officers"}
    assert all(result["success"] for result in validation.values())
    with pytest.raises(AccessDenied):
        ObjectStore.open(settings, settings.config.buckets.reports, identity="bank-a").get_bytes(
            prefix + "manifest.json"
        )

    # A bank customer that is a flagged company alerts against the OWNERSHIP entry.
    flagged = ownership.row(0, named=True)
    party = conform(
        pl.DataFrame({"record_id": ["customer:1"], "name": [flagged["primary_name"]], "entity_type": ["organization"]}),
        PARTY_SCHEMA,
    )
    hits = screen(party, extended.watchlist())
    assert (hits["list_source"] == "OWNERSHIP").any()


def test_without_a_register_the_lists_alone_are_used(settings: Settings) -> None:
    run_date = "2026-03-03"
    base = prepare_watchlist(run_date, settings)
    assert screen_registry_night(run_date, base, settings) == base
    status = json.loads((settings.run_dir(run_date) / "registry" / "register.json").read_text())
    assert status["delivered"] is False
