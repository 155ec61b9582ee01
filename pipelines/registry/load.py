"""Load a folder of register extracts, in any supported format, into DuckDB tables.

Formats are recognised by content, not by file name:

| format | recognised by |
| --- | --- |
| ``companies-csv`` | a CSV header with ``CompanyNumber`` (Companies House BasicCompanyData) |
| ``companies-json`` | JSON objects with ``CompanyNumber`` |
| ``psc`` | JSON lines or array of ``{"company_number", "data"}`` (the PSC snapshot) |
| ``officers-csv`` | a CSV header with ``company_number`` and ``officer_role`` |
| ``bods`` | BODS 0.2/0.3 statements (``statementType``) or 0.4 records (``recordType``) |
| ``gleif-lei`` / ``gleif-rr`` | LEI-CDF ``LEIData`` / RR-CDF ``RelationshipData`` XML |

Files in no supported format are listed in ``Register.unsupported`` and left out.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final

import duckdb
import polars as pl

from pipelines.errors import InputError
from pipelines.registry import bods, companies_house, gleif, quality
from pipelines.registry.model import SCHEMAS, TABLES, Parsed
from screening.model import empty

log = logging.getLogger(__name__)

FORMATS: Final = ("companies-csv", "companies-json", "psc", "officers-csv", "bods", "gleif-lei", "gleif-rr")
_XML_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")


@dataclass
class Register:
    """A loaded register: clean tables in DuckDB and as polars frames, and what was refused."""

    con: duckdb.DuckDBPyConnection
    companies: pl.DataFrame
    persons: pl.DataFrame
    edges: pl.DataFrame
    officers: pl.DataFrame
    quarantine: pl.DataFrame
    files: dict[str, str] = field(default_factory=dict)  # file name -> format
    unsupported: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # records left out on purpose, by reason
    rows_in: dict[str, int] = field(default_factory=dict)

    def graph_edges(self) -> pl.DataFrame:
        """The ownership graph (``screening.ownership.EDGE_SCHEMA``), built in DuckDB."""
        frame: pl.DataFrame = self.con.sql(sql_text("graph.sql")).pl()
        return frame

    def nodes(self) -> pl.DataFrame:
        """``node_id, name, node_kind`` for every company and owner."""
        frame: pl.DataFrame = self.con.sql(sql_text("nodes.sql")).pl()
        return frame

    def summary(self) -> dict[str, object]:
        return {
            "files": dict(self.files),
            "unsupported": list(self.unsupported),
            "rows_in": dict(self.rows_in),
            "rows_loaded": {t: getattr(self, t).height for t in TABLES},
            "rows_quarantined": {t: int((self.quarantine["table"] == t).sum()) for t in TABLES},
            "skipped": dict(self.skipped),
        }


def sql_text(name: str) -> str:
    return resources.files("pipelines.registry").joinpath(name).read_text(encoding="utf-8")


def _head(path: Path, size: int = 65536) -> str:
    with path.open("rb") as fh:
        return fh.read(size).decode("utf-8-sig", errors="replace")


def json_records(path: Path, parsed: Parsed | None = None) -> Iterator[Mapping[str, Any]]:
    """Objects of a JSON array file, or of a JSON-lines file (blank lines ignored)."""
    text_start = _head(path, 4096).lstrip()
    if text_start.startswith("["):
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid JSON: {exc}") from exc
        yield from (item for item in data if isinstance(item, Mapping))
        return
    with path.open(encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                if parsed is None:
                    raise InputError(path, f"line {number} is not JSON") from None
                parsed.skip(f"malformed JSON line ({path.name}:{number})")
                continue
            if isinstance(item, Mapping):
                yield item


def detect(path: Path) -> str | None:
    """The register format of ``path`` from its content, or ``None``."""
    head = _head(path)
    start = head.lstrip()
    if not start:
        return None
    if start.startswith("<"):
        body = re.sub(r"<\?.*?\?>|<!--.*?-->", "", start, flags=re.S)
        m = _XML_ROOT.search(body)
        root = m[1] if m else ""
        return {"LEIData": "gleif-lei", "RelationshipData": "gleif-rr"}.get(root)
    if start[0] in "[{":
        try:
            first = next(json_records(path), None)
        except InputError:
            return None
        if first is None:
            return None
        keys = {str(k).strip() for k in first}
        if {"company_number", "data"} <= keys or ("data" in keys and "kind" in (first.get("data") or {})):
            return "psc"
        if bods.is_bods(first):
            return "bods"
        if "CompanyNumber" in keys:
            return "companies-json"
        return None
    header = {c.strip().strip('"').strip() for c in start.splitlines()[0].split(",")}
    if "CompanyNumber" in header:
        return "companies-csv"
    if {"company_number", "officer_role"} <= header:
        return "officers-csv"
    return None


def read_file(path: Path, fmt: str) -> Parsed:
    """Parse one register file of a known format."""
    if fmt == "companies-csv":
        return companies_house.read_companies_csv(path)
    if fmt == "officers-csv":
        return companies_house.read_officers_csv(path)
    if fmt == "gleif-lei":
        return gleif.read_lei(path)
    if fmt == "gleif-rr":
        return gleif.read_rr(path)
    parsed = Parsed()
    records = json_records(path, parsed)
    if fmt == "psc":
        result = companies_house.read_psc(path, records)
    elif fmt == "bods":
        result = bods.read_bods(path.name, records)
    elif fmt == "companies-json":
        result = companies_house.read_companies_json(path, records)
    else:
        raise InputError(path, f"unknown register format {fmt!r}")
    for reason, count in parsed.skipped.items():
        result.skipped[reason] = result.skipped.get(reason, 0) + count
    return result


def load_register(directory: Path, *, database: str = ":memory:") -> Register:
    """Read every supported file under ``directory`` (recursively) into one :class:`Register`."""
    if not directory.is_dir():
        raise InputError(directory, "register folder not found")
    parts: dict[str, list[pl.DataFrame]] = {t: [] for t in TABLES}
    aliases: dict[str, str] = {}
    files: dict[str, str] = {}
    unsupported: list[str] = []
    skipped: dict[str, int] = {}
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and not p.name.startswith(".")):
        name = str(path.relative_to(directory))
        fmt = detect(path)
        if fmt is None:
            unsupported.append(name)
            continue
        parsed = read_file(path, fmt)
        files[name] = fmt
        aliases.update(parsed.aliases)
        for reason, count in parsed.skipped.items():
            skipped[reason] = skipped.get(reason, 0) + count
        for table, frame in parsed.frames().items():
            if not frame.is_empty():
                parts[table].append(frame)
    frames = {t: pl.concat(parts[t], how="vertical") if parts[t] else empty(SCHEMAS[t]) for t in TABLES}
    if aliases:
        frames = _apply_aliases(frames, aliases)
    rows_in = {t: frames[t].height for t in TABLES}
    clean: dict[str, pl.DataFrame] = {}
    quarantined: list[pl.DataFrame] = []
    for table in TABLES:
        clean[table], bad = quality.split(table, frames[table])
        quarantined.append(bad)
    quarantine = pl.concat(quarantined, how="vertical")
    con = duckdb.connect(database)
    for table in TABLES:
        frame = clean[table]
        con.register("incoming", frame.to_arrow())
        # Table names come from the fixed TABLES tuple, never from input.
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM incoming")
        con.unregister("incoming")
    register = Register(
        con=con,
        companies=clean["companies"],
        persons=clean["persons"],
        edges=clean["edges"],
        officers=clean["officers"],
        quarantine=quarantine,
        files=files,
        unsupported=unsupported,
        skipped=skipped,
        rows_in=rows_in,
    )
    log.info(
        "register %s: %d files, %d companies, %d owners, %d edges, %d officers, %d quarantined",
        directory, len(files), register.companies.height, register.persons.height,
        register.edges.height, register.officers.height, quarantine.height,
    )  # fmt: skip
    return register


def _apply_aliases(frames: dict[str, pl.DataFrame], aliases: dict[str, str]) -> dict[str, pl.DataFrame]:
    def remap(column: str) -> pl.Expr:
        return pl.col(column).replace(aliases)

    out = dict(frames)
    out["edges"] = frames["edges"].with_columns(remap("owner_id"), remap("owned_id"))
    out["persons"] = frames["persons"].with_columns(remap("person_id"))
    out["companies"] = frames["companies"].with_columns(remap("company_id"))
    return out
