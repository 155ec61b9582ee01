"""The bank's side through the ``interdict reports`` command, with the banks' own identities:
fetch verifies every file against the manifest; submit lands decisions in the bank's inbox."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines import paths
from pipelines.cli import main
from pipelines.storage import AccessDenied, ObjectStore
from tests.delivery.conftest import ENTRIES, PARTIES, Bank, parties, watchlist

NIGHT = "2026-05-01"


def test_fetch_verifies_every_file_and_names_altered_and_missing_ones(
    make_bank: Callable[[str], Bank], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = make_bank("bank-b")
    bank.night(NIGHT, watchlist(ENTRIES), parties(PARTIES))

    assert main(["reports", "fetch", "--bank", "bank-b", "--to", str(tmp_path / "ok")]) == 0  # latest night
    manifest = bank.manifest(NIGHT)
    for name in manifest["files"]:
        assert (tmp_path / "ok" / name).is_file(), name
    assert "files verified" in capsys.readouterr().out

    prefix = paths.report_prefix("bank-b", NIGHT)
    bank.store.put_bytes(prefix + "hits.csv", b"record_id\ncustomer:forged\n")
    bank.store.delete(prefix + "cleared.csv")
    code = main(["reports", "fetch", "--bank", "bank-b", "--date", NIGHT, "--to", str(tmp_path / "bad")])
    err = capsys.readouterr().err
    assert code == 1
    assert "ALTERED  hits.csv" in err and "MISSING  cleared.csv" in err
    assert not (tmp_path / "bad" / "hits.csv").exists()


def test_fetch_of_an_incomplete_night_fails(make_bank: Callable[[str], Bank], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    bank = make_bank("bank-b")
    bank.store.put_bytes(paths.report_prefix("bank-b", "2026-05-02") + "hits.csv", b"half written")
    assert main(["reports", "fetch", "--bank", "bank-b", "--date", "2026-05-02", "--to", str(tmp_path)]) == 1
    assert "no complete report" in capsys.readouterr().err


def test_submit_lands_in_the_banks_own_inbox_only(make_bank: Callable[[str], Bank], tmp_path: Path) -> None:
    bank = make_bank("bank-b")
    good = tmp_path / "decisions.csv"
    good.write_text("record_id,uid,decision,reviewer,reason\ncustomer:1,OFAC-SDN:1,false_positive,r,namesake\n")
    assert main(["reports", "submit", "--bank", "bank-b", str(good)]) == 0
    keys = bank.store.list_keys(paths.inbox_prefix("bank-b"))
    assert len(keys) == 1 and keys[0].endswith("-decisions.csv")
    assert bank.store.get_bytes(keys[0]) == good.read_bytes()

    bad = tmp_path / "bad.csv"
    bad.write_text("name,verdict\nx,y\n")
    assert main(["reports", "submit", "--bank", "bank-b", str(bad)]) == 1  # refused before upload
    assert len(bank.store.list_keys(paths.inbox_prefix("bank-b"))) == 1

    as_b = ObjectStore.open(bank.settings, bank.settings.config.buckets.reports, identity="bank-b")
    with pytest.raises(AccessDenied):
        as_b.put_bytes(paths.inbox_prefix("bank-a") + "x.csv", good.read_bytes())
    with pytest.raises(AccessDenied):
        as_b.put_bytes(paths.report_prefix("bank-b", NIGHT) + "hits.csv", b"forged")
    with pytest.raises(AccessDenied):
        as_b.get_bytes(paths.report_prefix("bank-a", NIGHT) + "manifest.json")


def test_regulator_reads_only_the_cross_bank_summaries(make_bank: Callable[[str], Bank]) -> None:
    bank = make_bank("bank-c")
    bank.night(NIGHT, watchlist(ENTRIES), parties(PARTIES))
    bank.store.put_bytes(paths.regulator_prefix(NIGHT) + "summary.json", b"{}")
    regulator = ObjectStore.open(bank.settings, bank.settings.config.buckets.reports, identity="regulator")
    assert regulator.get_bytes(paths.regulator_prefix(NIGHT) + "summary.json") == b"{}"
    with pytest.raises(AccessDenied):
        regulator.get_bytes(paths.report_prefix("bank-c", NIGHT) + "hits.csv")
    with pytest.raises(AccessDenied):
        regulator.put_bytes(paths.regulator_prefix(NIGHT) + "summary.json", b"forged")
