"""Screening of party chunks in worker processes, one chunk per process at a time.

Normalisation, token evidence and much of the bulk scoring hold Python's interpreter lock, so
one process uses about one core whatever rapidfuzz's threads do. :class:`ChunkPool` starts one
``spawn`` process per core, hands each the prepared watchlist once (its initializer), then the
parties chunk by chunk; each process normalises and scores its chunk entirely and sends back
the chunk's hits, which come back in chunk order. The hits are the same as in-process: the same
function runs on the same chunks, and a party's hits do not depend on which chunk it is in.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Final

import polars as pl

log = logging.getLogger(__name__)

# Below this many distinct party names, starting worker processes costs more than it saves.
MIN_PARALLEL_NAMES: Final = 20_000
# Parties per chunk handed to a worker: small enough that a few chunks in flight stay well
# within memory, large enough that each is worth a round trip.
CHUNK_SIZE: Final = 50_000

Chunk = pl.DataFrame
ScreenChunk = Callable[[Chunk], pl.DataFrame]


def pool_size(workers: int) -> int:
    """Processes for ``ScreeningConfig.workers`` (``-1`` or ``0`` = every core, ``1`` = no pool)."""
    return os.cpu_count() or 1 if workers < 1 else workers


def wants_pool(workers: int, names: pl.Series) -> bool:
    """Whether ``workers`` asks for more than one process and ``names`` has enough distinct values."""
    return pool_size(workers) > 1 and names.n_unique() > MIN_PARALLEL_NAMES


class ChunkPool:
    """A pool of processes screening chunks of parties; use as a context manager.

    ``initializer(*initargs)`` runs once in each process (it receives the prepared watchlist and
    the configuration); ``run`` then applies a module-level function to each chunk there.
    """

    def __init__(self, processes: int, initializer: Callable[..., None], initargs: tuple[object, ...]) -> None:
        # "spawn": the parent runs polars and rapidfuzz thread pools, which a fork would copy in
        # whatever state they are.
        self.processes = processes
        self.executor = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=initializer,
            initargs=initargs,
        )
        self.broken = False

    def __enter__(self) -> ChunkPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def run(self, screen: ScreenChunk, chunks: Sequence[Chunk], in_process: ScreenChunk) -> Iterator[pl.DataFrame]:
        """The hits of each chunk, in order: ``screen`` in the workers, ``in_process`` here for any
        chunk the workers could not take (processes that cannot start, such as on a host whose main
        module cannot be imported again)."""
        ahead = 2 * self.processes
        pending: dict[int, Future[pl.DataFrame]] = {}
        for k, chunk in enumerate(chunks):
            for j in range(k, min(k + ahead, len(chunks))):
                if j not in pending and not self.broken:
                    pending[j] = self._submit(screen, chunks[j])
            future = pending.pop(k, None)
            yield self._result(future, chunk, in_process)

    def _submit(self, screen: ScreenChunk, chunk: Chunk) -> Future[pl.DataFrame]:
        try:
            return self.executor.submit(screen, chunk)
        except BrokenProcessPool:
            self.broken = True
            failed: Future[pl.DataFrame] = Future()
            failed.set_exception(BrokenProcessPool("worker processes unavailable"))
            return failed

    def _result(self, future: Future[pl.DataFrame] | None, chunk: Chunk, in_process: ScreenChunk) -> pl.DataFrame:
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool:
                if not self.broken:
                    log.warning("screening workers unavailable; chunks screened in-process")
                self.broken = True
        return in_process(chunk)


def chunk_pool(
    workers: int, names: pl.Series, initializer: Callable[..., None], initargs: tuple[object, ...]
) -> ChunkPool | None:
    """A pool when :func:`wants_pool`, else None."""
    if not wants_pool(workers, names):
        return None
    return ChunkPool(pool_size(workers), initializer, initargs)
