"""A whole night's sample: every bank's extracts and the company register, planted together —
bank customers include companies that the register flags under the 50 percent rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.landing import land_bank_extracts, land_register
from pipelines.samples.banks import BankSample, generate_banks
from pipelines.samples.registry import generate_register, planted_flags_watchlist
from pipelines.settings import Settings
from screening.model import Watchlist


@dataclass(frozen=True)
class NightSample:
    out: Path
    banks: list[BankSample]
    register: dict[str, Any]

    @property
    def register_files(self) -> list[Path]:
        return [Path(f) for f in self.register["files"]]


def generate_night(
    out: Path,
    watchlist: Watchlist,
    banks: Sequence[str],
    *,
    run_date: date,
    seed: int = 42,
    parties: int = 2000,
    companies: int = 2000,
) -> NightSample:
    """Write the register under ``out/registry`` and each bank's extracts under ``out/<bank>``."""
    register = generate_register(out / "registry", watchlist, seed=seed, companies=companies)
    plantable = Watchlist.concat([watchlist, planted_flags_watchlist(register)])
    samples = generate_banks(out, plantable, banks, run_date=run_date, seed=seed, parties=parties)
    return NightSample(out, samples, register)


def land_night(settings: Settings, run_date: str, sample: NightSample) -> list[str]:
    """Land every bank's extracts with the bank's identity and the register with the register's."""
    uris = []
    for bank in sample.banks:
        uris += land_bank_extracts(settings, bank.bank, run_date, bank.files)
    uris += land_register(settings, run_date, sample.register_files)
    return uris
