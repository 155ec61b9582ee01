"""Interdict's matching engine: pure functions over polars data, no I/O."""

from screening.model import Watchlist

__all__ = ["Watchlist"]
