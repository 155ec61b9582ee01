"""Screening chunks in worker processes gives the same hits as screening in-process."""

from __future__ import annotations

import random

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from screening import ScreeningConfig, Watchlist, parallel, prepare, screen

GIVEN = [
    "Mohamed", "Muhammad", "Ali", "Hassan", "Hussein", "Omar", "Sergei", "Sergey", "Ivan", "Olga", "Maria",
    "John", "Juan", "Carlos", "Li", "Wei", "Fatima", "Aisha", "Abdulrahman", "Abd al-Rahman", "Pierre", "Anna",
]  # fmt: skip
FAMILY = [
    "Ivanov", "Ivanoff", "Petrov", "Al-Husseini", "bin Laden", "Hernandez", "Ochoa", "Smith", "Zhang",
    "Wang", "Kim", "Nguyen", "Schmidt", "Müller", "Dubois", "Rossi", "Kowalski", "Иванов", "حسين", "Yuan",
]  # fmt: skip
ORGS = ["Romashka", "Ocean Star", "Bank Melli", "Global Trading", "Sea Breeze", "Petro Star", "Delta"]
FORMS = ["LLC", "OOO", "Limited", "GmbH", "Co.", "S.A.", ""]


def _person(rng: random.Random) -> str:
    parts = [rng.choice(GIVEN), rng.choice(FAMILY)]
    if rng.random() < 0.4:
        parts.insert(1, rng.choice(GIVEN))
    if rng.random() < 0.2:
        parts.reverse()
    return " ".join(parts)


def _typo(rng: random.Random, name: str) -> str:
    i = rng.randrange(len(name))
    return name[:i] + rng.choice("aeiouxyz") + name[i + 1 :]


@pytest.fixture(scope="module")
def generated() -> tuple[Watchlist, pl.DataFrame]:
    rng = random.Random(7)
    listed = [_person(rng) for _ in range(300)] + [f"{rng.choice(ORGS)} {rng.choice(FORMS)}" for _ in range(60)]
    types = ["person"] * 300 + ["organization"] * 60
    entries = pl.DataFrame(
        {
            "uid": [f"L:{i}" for i in range(len(listed))],
            "list_source": ["L"] * len(listed),
            "entry_id": [str(i) for i in range(len(listed))],
            "entity_type": types,
            "primary_name": listed,
        }
    )
    wl = Watchlist(entries=entries).conformed()
    names: list[str | None] = []
    for i in range(4000):
        roll = rng.random()
        if roll < 0.15:
            name: str | None = rng.choice(listed)
        elif roll < 0.3:
            name = _typo(rng, rng.choice(listed))
        elif roll < 0.32:
            name = None
        else:
            name = _person(rng) if rng.random() < 0.8 else f"{rng.choice(ORGS)} {rng.choice(GIVEN)} {rng.choice(FORMS)}"
            if i % 3 == 0:
                name = _typo(rng, name)
        names.append(name)
    parties = pl.DataFrame(
        {
            "record_id": [f"p{i}" for i in range(len(names))],
            "name": names,
            "entity_type": [rng.choice(["person", "organization", "unknown"]) for _ in names],
            "dob": [str(rng.randrange(1950, 1990)) if rng.random() < 0.5 else None for _ in names],
        }
    )
    return wl, parties


def test_workers_give_identical_hits(
    generated: tuple[Watchlist, pl.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    wl, parties = generated
    # Small enough that a few thousand names take the pool, in several chunks.
    monkeypatch.setattr(parallel, "MIN_PARALLEL_NAMES", 100)
    serial = ScreeningConfig(workers=1, chunk_size=1_500)
    pooled = ScreeningConfig(workers=2, chunk_size=1_500)
    assert parallel.wants_pool(pooled.workers, parties["name"])
    prepared = prepare(wl, serial)
    one = screen(parties, prepared, serial)
    two = screen(parties, prepared, pooled)
    assert one.height > 100
    assert_frame_equal(one, two)
    # And whatever the chunk size.
    assert_frame_equal(one, screen(parties, prepared, ScreeningConfig(workers=2, chunk_size=700)))


def test_no_pool_for_one_worker_or_few_names(generated: tuple[Watchlist, pl.DataFrame]) -> None:
    _, parties = generated
    assert not parallel.wants_pool(1, parties["name"])
    assert not parallel.wants_pool(2, parties["name"])  # fewer than MIN_PARALLEL_NAMES


def _double(chunk: pl.DataFrame) -> pl.DataFrame:
    return chunk.with_columns(pl.col("n") * 2)


def test_chunks_come_back_in_order() -> None:
    chunks = [pl.DataFrame({"n": [k, k + 100]}) for k in range(7)]
    with parallel.ChunkPool(2, len, ("",)) as pool:
        out = list(pool.run(_double, chunks, in_process=_double))
    assert [c["n"].to_list() for c in out] == [[2 * k, 2 * (k + 100)] for k in range(7)]


def test_workers_that_cannot_start_leave_the_chunks_to_this_process() -> None:
    import os

    chunks = [pl.DataFrame({"n": [k]}) for k in range(5)]
    screened_here: list[int] = []

    def here(chunk: pl.DataFrame) -> pl.DataFrame:
        screened_here.append(chunk["n"][0])
        return _double(chunk)

    # Workers that die as they start, as on a host whose main module cannot be imported again.
    with parallel.ChunkPool(1, os._exit, (3,)) as pool:
        out = list(pool.run(_double, chunks, in_process=here))
    assert [c["n"][0] for c in out] == [0, 2, 4, 6, 8]
    assert screened_here == [0, 1, 2, 3, 4]
