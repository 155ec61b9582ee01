"""Sanctions list ingestion: read the official publications into one harmonised watchlist.

``load_directory(path)`` walks a folder, recognises each file's format by its content, parses it
and returns the consolidated :class:`screening.model.Watchlist` with the source files (and their
content hashes) and the problems met on the way. A file that cannot be used (empty, truncated,
unrecognised) is refused with :class:`pipelines.errors.ListError`; a malformed record inside a
usable file is reported in ``problems`` with its source reference and location.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.errors import ListError
from pipelines.lists.common import Parsed
from pipelines.lists.detect import SKIP, detect_file, is_list_like
from pipelines.lists.linking import also_listed, also_listed_by, link
from screening.model import PROBLEM_SCHEMA, Watchlist, empty

log = logging.getLogger(__name__)

LIST_SOURCES = ("OFAC-SDN", "OFAC-CONS", "UN-SC", "EU-FSF", "UK-OFSI", "UK-SL", "OPENSANCTIONS")

__all__ = [
    "LIST_SOURCES",
    "LoadedLists",
    "SourceFile",
    "also_listed",
    "also_listed_by",
    "load_directory",
    "load_files",
    "sample_lists_dir",
]


@dataclass(frozen=True)
class SourceFile:
    """One file read: which list it belongs to, its content hash, its format and how many list
    entries it defined (0 for companion files such as OFAC ``alt.csv``)."""

    list_source: str
    path: Path
    sha256: str
    format: str
    entries: int


@dataclass(frozen=True)
class LoadedLists:
    watchlist: Watchlist
    sources: list[SourceFile] = field(default_factory=list)
    problems: pl.DataFrame = field(default_factory=lambda: empty(PROBLEM_SCHEMA))

    def entries_per_source(self) -> dict[str, int]:
        counts = self.watchlist.entries.group_by("list_source").len()
        return {row[0]: row[1] for row in counts.sort("list_source").iter_rows()}


def sample_lists_dir() -> Path:
    """The small hand-written sample lists shipped with the package (official formats)."""
    return Path(__file__).resolve().parent / "samples"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class _Job:
    """One publication to parse: one file, or an OFAC legacy CSV set of companion files."""

    format: str
    files: dict[str, Path]
    run: Callable[[], Parsed]


def _ofac_source(name: str) -> str:
    # the SDN and the non-SDN consolidated legacy CSV sets share one layout; the official file
    # names (sdn.csv / cons_prim.csv) are the only thing that tells them apart
    return "OFAC-CONS" if name.lower().startswith("cons") else "OFAC-SDN"


def _jobs(paths: list[Path]) -> list[_Job]:
    from pipelines.lists import formats

    jobs: list[_Job] = []
    ofac_sets: dict[tuple[Path, str], dict[str, Path]] = {}
    deltas: list[Path] = []
    for path in paths:
        if path.stat().st_size == 0:
            if is_list_like(path):
                raise ListError(f"{path}: empty file")
            continue
        fmt = detect_file(path)
        if fmt == SKIP:
            log.debug("skipping %s: not a list", path)
            continue
        if fmt is None:
            if is_list_like(path):
                raise ListError(f"{path}: not a recognised sanctions list format")
            log.debug("skipping %s: not a list file", path)
            continue
        if fmt.startswith("ofac-csv:"):
            role = fmt.split(":", 1)[1]
            key = (path.parent, _ofac_source(path.name))
            group = ofac_sets.setdefault(key, {})
            if role in group:
                raise ListError(f"{path}: second OFAC {role} file in one folder (also {group[role]})")
            group[role] = path
            continue
        if fmt == "os-delta-json":
            deltas.append(path)
            continue
        jobs.append(_Job(fmt, {"main": path}, formats.parser_for(fmt, path)))
    for (_, source), group in ofac_sets.items():
        jobs.append(_Job("ofac-csv", group, formats.ofac_csv_parser(group, source)))
    if deltas:
        files = {"main": deltas[-1], **{f"delta{i}": p for i, p in enumerate(deltas[:-1])}}
        jobs.append(_Job("os-delta-json", files, formats.delta_parser(deltas)))
    return jobs


def load_files(paths: list[Path]) -> LoadedLists:
    """Parse the given list files (format detected from content) into one watchlist."""
    jobs = _jobs(sorted(paths))
    if not jobs:
        raise ListError(f"no sanctions list among {len(paths)} file(s)")
    parts: list[Watchlist] = []
    problem_frames: list[pl.DataFrame] = []
    sources: list[SourceFile] = []
    seen: dict[str, Path] = {}
    for job in jobs:
        parsed = job.run()
        main = job.files.get("main") or job.files["sdn"]
        watchlist = parsed.watchlist
        duplicated = [uid for uid in watchlist.entries["uid"].to_list() if uid in seen]
        if duplicated:
            problem_frames.append(
                pl.DataFrame(
                    [
                        (
                            uid.split(":", 1)[0],
                            uid.split(":", 1)[1],
                            str(main),
                            f"also in {seen[uid]}; the entry from the first file is kept",
                        )
                        for uid in duplicated
                    ],
                    schema=PROBLEM_SCHEMA,
                    orient="row",
                )
            )
            watchlist = Watchlist(
                **{t: getattr(watchlist, t).filter(~pl.col("uid").is_in(duplicated)) for t in Watchlist.TABLES}
            )
        for uid in watchlist.entries["uid"].to_list():
            seen[uid] = main
        parts.append(watchlist)
        problem_frames.append(parsed.problems)
        counts = parsed.entries_by_source
        for role, path in sorted(job.files.items(), key=lambda kv: kv[0] not in ("main", "sdn")):
            primary = role in ("main", "sdn")
            for source in sorted(counts) or ["unknown"]:
                sources.append(
                    SourceFile(
                        list_source=source,
                        path=path,
                        sha256=_sha256(path),
                        format=job.format if primary else f"{job.format}:{role}",
                        entries=counts.get(source, 0) if primary else 0,
                    )
                )
        log.info("read %s (%s): %s", main, job.format, ", ".join(f"{s} {n}" for s, n in counts.items()))
    watchlist = link(Watchlist.concat(parts))
    problems = pl.concat([empty(PROBLEM_SCHEMA), *problem_frames], how="vertical")
    log.info("watchlist: %d entries, %d names, %d problems", len(watchlist), watchlist.names.height, problems.height)
    return LoadedLists(watchlist=watchlist, sources=sources, problems=problems)


def load_directory(path: Path) -> LoadedLists:
    """Read every list publication under ``path`` (recursively) into one watchlist."""
    root = Path(path)
    if not root.is_dir():
        raise ListError(f"{root}: not a folder")
    files = [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]
    if not files:
        raise ListError(f"{root}: no sanctions list found (folder is empty)")
    try:
        return load_files(files)
    except ListError as exc:
        if str(exc).startswith("no sanctions list among"):
            raise ListError(f"{root}: no sanctions list found among {len(files)} file(s)") from exc
        raise
