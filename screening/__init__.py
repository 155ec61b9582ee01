"""Interdict's matching engine: pure functions over polars data, no I/O.

``screen(parties, watchlist, config)`` returns one row per hit (HIT_SCHEMA); ``prepare(watchlist)``
normalises a list once for many ``screen`` calls; ``compare(query, candidate)`` scores one party
against one entry with its explanation, for review and tuning tools.
"""

from screening.config import ALGORITHM_VERSION, ScreeningConfig, Weights
from screening.engine import Comparison, compare, screen
from screening.model import Watchlist
from screening.normalize import NormalName, normalise
from screening.prepare import PreparedWatchlist, prepare

__all__ = [
    "ALGORITHM_VERSION",
    "Comparison",
    "NormalName",
    "PreparedWatchlist",
    "ScreeningConfig",
    "Watchlist",
    "Weights",
    "compare",
    "normalise",
    "prepare",
    "screen",
]
