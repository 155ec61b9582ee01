"""Splitting a night's parties into shards and merging the shards' hits back.

The same functions serve the nightly DAG (one Airflow task per shard, shards and hits as Parquet
in object storage) and ad-hoc runs (``interdict screen --shards N --workers M``, one process per
worker). The merged hits are identical whatever the number of shards: parties are split into
contiguous slices in input order, each party is screened on its own (the engine's candidate
generation depends only on the watchlist, never on the other parties of a batch), and the merge
sorts on every scalar column of a hit.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Final

import polars as pl

from screening import PreparedWatchlist, ScreeningConfig, Watchlist, prepare, screen
from screening.model import HIT_SCHEMA, conform, empty

log = logging.getLogger(__name__)

# A total order of hits: the engine's own order (record, best score first, list entry), then every
# other scalar column, so that ties sort the same way whatever the shard a hit came from.
MERGE_ORDER: Final = (
    ("record_id", False),
    ("score", True),
    ("uid", False),
    ("list_source", False),
    ("entry_id", False),
    ("party_name", False),
    ("matched_name", False),
    ("name_score", True),
    ("entity_type", False),
    ("explanation", False),
    ("algorithm", False),
)
MAX_SHARDS: Final = 256


def shard_count(parties: int, shard_parties: int, max_shards: int = MAX_SHARDS) -> int:
    """How many shards of about ``shard_parties`` parties each (at least one, at most ``max_shards``)."""
    if shard_parties < 1:
        raise ValueError(f"shard_parties must be positive, got {shard_parties}")
    return max(1, min(max_shards, math.ceil(parties / shard_parties)))


def split(parties: pl.DataFrame, shards: int) -> list[pl.DataFrame]:
    """``shards`` contiguous slices of ``parties`` in input order, sizes differing by at most one.

    Always exactly ``shards`` frames (some empty when there are fewer parties than shards), so a
    shard's index and the shard count name it whatever the data.
    """
    if shards < 1:
        raise ValueError(f"shard count must be positive, got {shards}")
    base, extra = divmod(parties.height, shards)
    out: list[pl.DataFrame] = []
    start = 0
    for i in range(shards):
        size = base + (1 if i < extra else 0)
        out.append(parties.slice(start, size))
        start += size
    return out


def merge_hits(frames: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """The hits of every shard as one frame (HIT_SCHEMA) in one total, deterministic order."""
    parts = [conform(f, HIT_SCHEMA) for f in frames if f.height]
    if not parts:
        return empty(HIT_SCHEMA)
    columns = [c for c, _ in MERGE_ORDER]
    descending = [d for _, d in MERGE_ORDER]
    return pl.concat(parts, how="vertical").sort(columns, descending=descending, nulls_last=True, maintain_order=True)


# Ad-hoc runs: shards screened by a pool of processes ---------------------------------------------

_worker_watchlist: PreparedWatchlist | None = None
_worker_config: ScreeningConfig | None = None


def _init_worker(watchlist: Watchlist, config: ScreeningConfig) -> None:
    global _worker_watchlist, _worker_config
    _worker_config = config
    _worker_watchlist = prepare(watchlist, config)


def _screen_in_worker(parties: pl.DataFrame) -> pl.DataFrame:
    if _worker_watchlist is None or _worker_config is None:
        raise RuntimeError("screening worker used before its initialiser ran")
    return screen(parties, _worker_watchlist, _worker_config)


def screen_sharded(
    parties: pl.DataFrame,
    watchlist: Watchlist,
    config: ScreeningConfig,
    *,
    shards: int = 1,
    workers: int = 1,
    piece_parties: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> pl.DataFrame:
    """Screen ``parties`` in ``shards`` slices with ``workers`` processes; merged, ordered hits.

    The result is the same for every ``shards`` and ``workers``. With several workers each process
    normalises the watchlist once and gives rapidfuzz an equal share of the cores. With
    ``piece_parties`` each shard is screened in pieces of at most that many parties, and
    ``progress`` is called with each piece's party count as it finishes (the hits are the same).
    """
    if workers < 1:
        raise ValueError(f"workers must be positive, got {workers}")
    pieces = split(parties, shards)
    if piece_parties:
        pieces = [p for shard in pieces for p in split(shard, shard_count(shard.height, piece_parties))]

    def done(piece: pl.DataFrame, hits: pl.DataFrame) -> pl.DataFrame:
        if progress is not None:
            progress(piece.height)
        return hits

    if workers == 1:
        prepared = prepare(watchlist, config)
        return merge_hits([done(p, screen(p, prepared, config)) for p in pieces])
    cores = os.cpu_count() or 1
    per_worker = dataclasses.replace(config, workers=max(1, cores // workers))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=min(workers, len(pieces)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(watchlist, per_worker),
    ) as pool:
        futures = {pool.submit(_screen_in_worker, p): p for p in pieces}
        results = [done(futures[f], f.result()) for f in as_completed(futures)]
    log.info("screened %d parties in %d shards with %d processes", parties.height, shards, workers)
    return merge_hits(results)
