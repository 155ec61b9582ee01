"""Name normalisation of party chunks in worker processes, ahead of their scoring.

Normalisation is pure Python and runs on one core, while rapidfuzz and polars already use every
core. :class:`FormsPool` hands the distinct names of a chunk, in batches, to a process pool; the
engine asks for the next chunk's names before scoring the current one, so that both overlap. The
forms are the same as :func:`screening.prepare.name_forms` computes in-process: the same function
runs on the same names, and the batches are put back together in order.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Final

import polars as pl

from screening.prepare import FormColumns, NameForms, assemble_forms, distinct_names, form_columns

log = logging.getLogger(__name__)

# Below this many distinct party names, starting worker processes costs more than it saves.
MIN_PARALLEL_NAMES: Final = 20_000
# Names per task handed to a worker.
BATCH_SIZE: Final = 4_000


def pool_size(workers: int) -> int:
    """Processes for ``ScreeningConfig.workers`` (``-1`` or ``0`` = every core, ``1`` = no pool)."""
    return os.cpu_count() or 1 if workers < 1 else workers


class PendingForms:
    """The forms of one chunk's names, being computed by the pool."""

    def __init__(self, values: list[str], batches: list[Future[FormColumns]]) -> None:
        self.values = values
        self.batches = batches

    def result(self) -> NameForms:
        if self.batches:
            try:
                return assemble_forms(self.values, FormColumns.concat([b.result() for b in self.batches]))
            except BrokenProcessPool:
                # Worker processes could not start here (a host whose main module cannot be
                # imported again, such as some task runners): the same function, in this process.
                log.warning("name normalisation workers unavailable; %d names normalised in-process", len(self.values))
        return assemble_forms(self.values, form_columns(self.values))


class FormsPool:
    """A process pool normalising names; use as a context manager."""

    def __init__(self, processes: int, batch_size: int | None = None) -> None:
        # "spawn": the parent runs polars and rapidfuzz thread pools, which a fork would copy
        # in whatever state they are.
        self.batch_size = batch_size or BATCH_SIZE
        self.executor = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"))

    def __enter__(self) -> FormsPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, names: pl.Series) -> PendingForms:
        """Start normalising the distinct values of ``names``."""
        values = distinct_names(names)
        step = self.batch_size
        try:
            batches = [self.executor.submit(form_columns, values[i : i + step]) for i in range(0, len(values), step)]
        except BrokenProcessPool:
            batches = []  # an earlier chunk found the workers unable to start: normalised in-process
        return PendingForms(values, batches)


def forms_pool(workers: int, names: pl.Series) -> FormsPool | None:
    """A pool when ``workers`` asks for more than one process and ``names`` has enough distinct values."""
    processes = pool_size(workers)
    if processes <= 1 or names.n_unique() <= MIN_PARALLEL_NAMES:
        return None
    return FormsPool(processes)
