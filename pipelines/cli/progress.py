"""Progress of long command-line work on standard error: a bar with the rate and the time left on
a terminal; a line every tenth of the way when the output goes to a file or a pipe; nothing with
``--quiet``. Results go to standard output, so a script reading them is never disturbed."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TextIO


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class Progress:
    """Counts ``unit`` done out of ``total``: ``with Progress(n, "screening", "parties") as p: p.advance(k)``."""

    def __init__(self, total: int, label: str, unit: str, *, quiet: bool = False, stream: TextIO | None = None):
        self.total = total
        self.label = label
        self.unit = unit
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self._next_line = 0.1
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        self.started = time.monotonic()
        if self.quiet or self.total <= 0:
            return self
        if self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total, rate="")
        return self

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, amount: int) -> None:
        self.done += amount
        if self.quiet or self.total <= 0:
            return
        rate = self.rate()
        if self._bar is not None:
            self._bar.update(self._task, advance=amount, rate=f"{rate:,.0f} {self.unit}/s")
            return
        share = self.done / self.total
        if share >= self._next_line or self.done >= self.total:
            left = (self.total - self.done) / rate if rate > 0 else 0.0
            print(
                f"{self.label}: {self.done:,} of {self.total:,} {self.unit} ({rate:,.0f}/s, about "
                f"{_duration(left)} left)",
                file=self.stream,
                flush=True,
            )
            while self._next_line <= share:
                self._next_line += 0.1

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()


def status(message: str, *, quiet: bool = False) -> None:
    """One line saying what the command is doing now, on standard error."""
    if not quiet:
        print(message, file=sys.stderr, flush=True)


class _WarningsOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


@contextmanager
def library_logs(verbose: bool) -> Iterator[None]:
    """Library log lines below WARNING hidden unless ``verbose``: the command reports its steps in
    words. A filter on the root handlers, since some libraries pin their own loggers to INFO."""
    if verbose:
        yield
        return
    quiet = _WarningsOnly()
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(quiet)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(quiet)
