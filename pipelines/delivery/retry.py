"""Retrying transient object-store errors with exponential backoff.

boto3 already retries a single request a few times within a second or two; this covers longer
outages (a store restarting) around whole steps. Only :class:`~pipelines.errors.InterdictError`
subclasses marked ``transient`` are retried; access refusals and missing objects fail at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pipelines.errors import InterdictError

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    """``attempts`` tries in all, waiting ``first`` seconds, doubling up to ``longest``."""

    attempts: int = 6
    first: float = 0.5
    longest: float = 8.0

    def delays(self) -> list[float]:
        return [min(self.first * 2**i, self.longest) for i in range(max(self.attempts - 1, 0))]


def retrying(action: Callable[[], T], what: str, backoff: Backoff | None = None) -> T:
    """Run ``action``; on a transient error wait and try again, up to ``backoff.attempts`` tries."""
    for delay in [*(backoff or Backoff()).delays(), None]:
        try:
            return action()
        except InterdictError as exc:
            if not exc.transient or delay is None:
                raise
            log.warning("%s failed (%s); retrying in %.1fs", what, exc, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
