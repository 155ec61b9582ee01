"""Normalisation in worker processes gives the same hits as in-process normalisation."""

from __future__ import annotations

import random

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from screening import ScreeningConfig, Watchlist, parallel, prepare, screen
from screening.prepare import assemble_forms, distinct_names, form_columns, name_forms

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
    # Small enough that a few thousand names take the pool, in several chunks and batches.
    monkeypatch.setattr(parallel, "MIN_PARALLEL_NAMES", 100)
    monkeypatch.setattr(parallel, "BATCH_SIZE", 250)
    serial = ScreeningConfig(workers=1, chunk_size=1_500)
    pooled = ScreeningConfig(workers=2, chunk_size=1_500)
    assert parallel.forms_pool(pooled.workers, parties["name"]) is not None
    prepared = prepare(wl, serial)
    one = screen(parties, prepared, serial)
    two = screen(parties, prepared, pooled)
    assert one.height > 100
    assert_frame_equal(one, two)
    # And whatever the chunk size.
    assert_frame_equal(one, screen(parties, prepared, ScreeningConfig(workers=2, chunk_size=700)))


def test_batched_forms_equal_in_process_forms(generated: tuple[Watchlist, pl.DataFrame]) -> None:
    _, parties = generated
    whole = name_forms(parties["name"])
    values = distinct_names(parties["name"])
    parts = [form_columns(values[i : i + 333]) for i in range(0, len(values), 333)]
    batched = assemble_forms(values, type(parts[0]).concat(parts))
    assert_frame_equal(whole.frame, batched.frame)
    assert_frame_equal(whole.keys, batched.keys)
    for k, v in whole.arrays.items():
        assert v.tolist() == batched.arrays[k].tolist()
    for attr in ("ntok", "abjad", "skeleton_len", "particles"):
        assert getattr(whole, attr).tolist() == getattr(batched, attr).tolist()


def test_no_pool_for_one_worker_or_few_names(generated: tuple[Watchlist, pl.DataFrame]) -> None:
    _, parties = generated
    assert parallel.forms_pool(1, parties["name"]) is None
    assert parallel.forms_pool(2, parties["name"]) is None  # fewer than MIN_PARALLEL_NAMES


def test_workers_that_cannot_start_fall_back_to_in_process_normalisation() -> None:
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    names = pl.Series("name", ["Ivan Petrov", "Ocean Star LLC", "Ivan Petrov", "Wei Zhang"])
    pool = parallel.FormsPool(processes=1)
    pool.executor.shutdown()
    # Workers that die as they start, as on a host whose main module cannot be imported again.
    pool.executor = ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=os._exit, initargs=(3,)
    )
    with pool:
        first = pool.submit(names).result()
        second = pool.submit(names).result()  # the pool is known broken: no new attempt
    expected = name_forms(names)
    assert first.frame.equals(expected.frame)
    assert second.frame.equals(expected.frame)
