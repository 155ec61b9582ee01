"""Checking one name against the lists, in about a second: ``interdict check`` and ``interdict serve``.

The watchlist is normalised once (:func:`screening.prepare`) and the result kept in a cache under
``$INTERDICT_HOME/cache/check/``, keyed by the content of the lists and the matcher's code: the
first check against a set of lists pays for the normalisation, every later one loads it in a
fraction of a second. One name is screened as one party with the thresholds lowered, so that the
best candidates show even below the threshold, each marked hit or not against the threshold in
force for the party's type.

The lists are a folder of official list files (``--lists``), or the watchlist snapshot of a night
the pipeline ran here (``$INTERDICT_HOME/runs/<date>/``), the one the banks were screened against,
flagged companies of the register included.

Every check is written to an audit log (JSON lines): when, who, from where, what was asked
against which lists, and what came back.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

import polars as pl

from pipelines.errors import InputError, InterdictError
from screening import ALGORITHM_VERSION, PreparedWatchlist, ScreeningConfig, Watchlist, prepare, screen
from screening.model import ENTITY_TYPES

log = logging.getLogger(__name__)

# Candidates below this score are not shown: names less alike than this are not worth a look.
CANDIDATE_FLOOR: Final = 0.70
DEFAULT_LIMIT: Final = 10
MAX_NAME_LENGTH: Final = 500
SNAPSHOT_FOLDERS: Final = ("watchlist-ownership", "watchlist")  # the one with the register's flags first
_SNAPSHOT_META: Final = "snapshot.json"
_CACHE_FORMAT: Final = 1


class CheckError(InterdictError):
    """A check that cannot be made: no lists to check against, or a query that is not a name."""


@dataclass(frozen=True)
class ListsSource:
    """Where the lists come from and a digest of their content (it keys the cache)."""

    description: str
    digest: str
    load: Callable[[], Watchlist] = field(repr=False, compare=False)


def _digest_files(files: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def lists_source(folder: Path) -> ListsSource:
    """A folder of official list files (formats recognised by content)."""
    if not folder.is_dir():
        raise CheckError(f"{folder}: not a folder of list files")
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    if not files:
        raise CheckError(f"{folder}: no list files in it")

    def load() -> Watchlist:
        from pipelines.lists import load_directory

        return load_directory(folder).watchlist

    return ListsSource(f"the lists in {folder}", _digest_files(files, folder), load)


def night_snapshot(home: Path, run_date: str | None = None) -> Path:
    """The watchlist snapshot folder of the night ``run_date`` (default: the latest night) under
    ``home/runs``: the lists plus the register's flagged companies when the register ran."""
    runs = home / "runs"
    if run_date is not None:
        try:
            date.fromisoformat(run_date)
        except ValueError:
            raise CheckError(f"--date {run_date!r} is not a date YYYY-MM-DD") from None
    dates = [run_date] if run_date else sorted((p.name for p in runs.glob("*-*-*") if p.is_dir()), reverse=True)
    for night in dates:
        for name in SNAPSHOT_FOLDERS:
            folder = runs / night / name
            if (folder / _SNAPSHOT_META).is_file():
                return folder
    where = f"for {run_date} " if run_date else ""
    raise CheckError(
        f"no night's watchlist snapshot {where}under {runs}: pass --lists DIR (a folder of list files), "
        "or run a night first (interdict night / interdict demo)"
    )


def snapshot_source(folder: Path) -> ListsSource:
    """A night's snapshot folder as written by the pipeline."""
    files = [folder / f"{t}.parquet" for t in Watchlist.TABLES]
    missing = [p.name for p in files if not p.is_file()]
    if missing:
        raise CheckError(f"{folder}: incomplete snapshot, missing {', '.join(missing)}")
    meta = json.loads((folder / _SNAPSHOT_META).read_text(encoding="utf-8"))

    def load() -> Watchlist:
        return Watchlist(**{t: pl.read_parquet(folder / f"{t}.parquet") for t in Watchlist.TABLES})

    night = folder.parent.name
    lists = str(meta.get("sha256", ""))[:12]
    register = " with the register's flagged companies" if folder.name == SNAPSHOT_FOLDERS[0] else ""
    return ListsSource(
        f"the night of {night} (lists snapshot {lists}{register})", _digest_files(files, folder), load
    )


def _code_digest() -> str:
    """The matcher's code and the libraries its prepared form is made of: a change invalidates the cache."""
    import screening

    digest = hashlib.sha256(f"{_CACHE_FORMAT} {ALGORITHM_VERSION} {sys.version} {pl.__version__}".encode())
    root = Path(screening.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class CheckIndex:
    """A watchlist prepared for checks, and what the answers quote from it."""

    source: str
    digest: str
    prepared: PreparedWatchlist
    entries: pl.DataFrame  # uid, list_source, entry_id, listed_name, programs, remarks
    entry_count: int
    from_cache: bool = False
    seconds: float = 0.0


def build_index(source: ListsSource, config: ScreeningConfig) -> CheckIndex:
    started = time.monotonic()
    watchlist = source.load()
    entries = watchlist.entries.select(
        "uid",
        "list_source",
        "entry_id",
        pl.col("primary_name").alias("listed_name"),
        pl.col("programs").list.join("; ").alias("programs"),
        "remarks",
    ).unique(subset="uid", keep="first", maintain_order=True)
    prepared = prepare(watchlist, config)
    return CheckIndex(source.description, source.digest, prepared, entries, len(watchlist),
                      seconds=time.monotonic() - started)


def open_index(source: ListsSource, config: ScreeningConfig, cache_dir: Path | None) -> CheckIndex:
    """The prepared watchlist of ``source``, from the cache when it holds it, else built and cached.

    The cache holds pickles this program wrote, in a folder only its user can write (0700); a file
    that cannot be read back is rebuilt.
    """
    started = time.monotonic()
    path = None
    if cache_dir is not None:
        path = cache_dir / f"{source.digest[:32]}-{_code_digest()}.pickle"
        if path.is_file():
            try:
                with path.open("rb") as handle:
                    index: CheckIndex = pickle.load(handle)
                if isinstance(index, CheckIndex) and index.digest == source.digest:
                    return CheckIndex(source.description, index.digest, index.prepared, index.entries,
                                      index.entry_count, from_cache=True, seconds=time.monotonic() - started)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError) as exc:
                log.warning("check cache %s unreadable (%s): rebuilding it", path, exc)
    index = build_index(source, config)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for old in path.parent.glob(f"{source.digest[:32]}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)  # made by an earlier version of the matcher
    return index


@dataclass(frozen=True)
class Query:
    """One party to check: a name, and what else is known of it."""

    name: str
    entity_type: str = "unknown"
    dob: str | None = None
    country: str | None = None
    id_number: str | None = None

    def __post_init__(self) -> None:
        name = " ".join(self.name.split())
        if not name:
            raise CheckError("the name is empty")
        if len(name) > MAX_NAME_LENGTH:
            raise CheckError(f"the name is longer than {MAX_NAME_LENGTH} characters")
        if not any(c.isalpha() for c in name):
            raise CheckError("the name has no letter")
        kind = (self.entity_type or "unknown").strip().lower()
        if kind not in ENTITY_TYPES:
            raise CheckError(f"type {self.entity_type!r} is not one of {', '.join(ENTITY_TYPES)}")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "entity_type", kind)
        for attribute in ("dob", "country", "id_number"):
            value = getattr(self, attribute)
            object.__setattr__(self, attribute, value.strip() or None if isinstance(value, str) else None)


@dataclass(frozen=True)
class Candidate:
    uid: str
    list_source: str
    entry_id: str
    listed_name: str | None
    matched_name: str | None
    programs: str | None
    entity_type: str | None
    score: float
    threshold: float
    hit: bool
    reason: str


@dataclass(frozen=True)
class CheckResult:
    query: Query
    lists: str
    entries: int
    candidates: list[Candidate]
    threshold: float
    algorithm: str = ALGORITHM_VERSION

    @property
    def hits(self) -> list[Candidate]:
        return [c for c in self.candidates if c.hit]

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": asdict(self.query),
            "lists": self.lists,
            "entries": self.entries,
            "algorithm": self.algorithm,
            "threshold": self.threshold,
            "hit": bool(self.hits),
            "candidates": [asdict(c) for c in self.candidates],
        }


def _threshold(config: ScreeningConfig, party_type: str, list_type: str | None) -> float:
    """The engine's rule: the party's type sets the threshold; an unknown party takes the list
    entry's type's threshold when that is stricter."""
    own = float(config.thresholds[party_type])
    if party_type == "unknown" and list_type in config.thresholds:
        return max(own, float(config.thresholds[str(list_type)]))
    return own


def check(
    index: CheckIndex, query: Query, config: ScreeningConfig | None = None, *, limit: int = DEFAULT_LIMIT
) -> CheckResult:
    """The best candidates for ``query``, best first, each a hit or not under ``config``'s thresholds."""
    config = config or ScreeningConfig()
    lenient = config.with_thresholds(**dict.fromkeys(ENTITY_TYPES, CANDIDATE_FLOOR))
    party = pl.DataFrame(
        [{"record_id": "query", "name": query.name, "entity_type": query.entity_type, "dob": query.dob,
          "country": query.country, "id_number": query.id_number}],
        schema={c: pl.String for c in ("record_id", "name", "entity_type", "dob", "country", "id_number")},
    )
    found = screen(party, index.prepared, lenient)
    if found.height:
        found = found.join(index.entries.select("uid", "listed_name", "programs"), on="uid", how="left")
    candidates = []
    for row in found.sort(["score", "uid"], descending=[True, False]).head(limit).iter_rows(named=True):
        threshold = _threshold(config, query.entity_type, row["entity_type"])
        candidates.append(
            Candidate(
                uid=row["uid"], list_source=row["list_source"], entry_id=row["entry_id"],
                listed_name=row["listed_name"], matched_name=row["matched_name"], programs=row["programs"],
                entity_type=row["entity_type"], score=round(float(row["score"]), 4), threshold=threshold,
                hit=float(row["score"]) >= threshold, reason=row["explanation"],
            )
        )
    return CheckResult(query, index.source, index.entry_count, candidates,
                       threshold=float(config.thresholds[query.entity_type]))


class AuditLog:
    """Append-only JSON lines, one per query: time, user, client, query, lists and result."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(
            {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), **record},
            ensure_ascii=False, sort_keys=True,
        )
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())

    def record(self, result: CheckResult, *, user: str | None, client: str, via: str) -> None:
        self.write({
            "via": via,
            "user": user or "unidentified",
            "client": client,
            "query": asdict(result.query),
            "lists": result.lists,
            "algorithm": result.algorithm,
            "outcome": "hit" if result.hits else "no hit",
            "hits": [{"uid": c.uid, "score": c.score} for c in result.hits],
            "best": {"uid": result.candidates[0].uid, "score": result.candidates[0].score}
            if result.candidates else None,
        })

    def refusal(self, *, user: str | None, client: str, via: str, status: int, problem: str) -> None:
        self.write({"via": via, "user": user or "unidentified", "client": client, "outcome": "refused",
                    "status": status, "problem": problem})


def local_user() -> str:
    """The account running the command, as the audit log's user for a command-line check."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


class Checker:
    """A loaded index and the settings to answer with: one per command or server.

    Built from a function that names the lists source, so that a server can notice a newer night
    (:meth:`refresh`) and answer from it without a restart.
    """

    def __init__(
        self, locate: Callable[[], ListsSource], config: ScreeningConfig, cache_dir: Path | None, audit: AuditLog
    ) -> None:
        self.locate = locate
        self.config = config
        self.cache_dir = cache_dir
        self.audit = audit
        self._lock = threading.Lock()
        self.index = open_index(locate(), config, cache_dir)
        self._checked = time.monotonic()

    def refresh(self, every: float = 60.0) -> None:
        """Reload when the lists changed (at most every ``every`` seconds)."""
        if time.monotonic() - self._checked < every:
            return
        with self._lock:
            self._checked = time.monotonic()
            source = self.locate()
            if source.digest != self.index.digest:
                log.info("lists changed: now %s", source.description)
                self.index = open_index(source, self.config, self.cache_dir)

    def check(self, query: Query, *, limit: int = DEFAULT_LIMIT) -> CheckResult:
        return check(self.index, query, self.config, limit=limit)


def config_from(thresholds: dict[str, float] | None = None) -> ScreeningConfig:
    """The screening configuration of the installation (``infra/interdict.yml``) when it can be
    read, for the same thresholds the nights use; one thread for one name."""
    from pipelines.settings import Settings

    settings = Settings.from_env()
    try:
        base: dict[str, float] = settings.config.thresholds.model_dump()
    except InterdictError as exc:
        raise InputError(settings.config_path, f"cannot read the thresholds: {exc}") from None
    base.update(thresholds or {})
    return ScreeningConfig(thresholds=base, workers=1)
