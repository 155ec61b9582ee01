"""Review decisions (dispositions) sent back by a bank, validated, kept and applied.

A bank uploads CSV files to its inbox (``inbox/<bank>/`` in the reports bucket). The next night
takes in every file there and checks every row:

- **accepted**: a row that names a hit of the bank's previous report with a valid decision,
  reviewer and reason. It is recorded with the fingerprints of the party and the list entry as
  they were when the hit was reviewed;
- **rejected**: any other row, with the problem in words and its line, into ``rejections.csv``;
  a file that cannot be read at all, or is larger than the limits on one file
  (:class:`~pipelines.settings.DecisionFileLimits`), is one rejection naming the file. Nothing is
  dropped silently: ``rows received = rows accepted + rows rejected`` for every file.

Every file taken from the inbox is published with the night's report (``received/<file>``,
listed in the manifest with its inbox key and hash). A file whose bytes equal an earlier one's is
published too, marked ``duplicate_of`` that file; its rows are counted once, with the original.

The register (``decisions.parquet``) carries one decision per hit: the latest accepted one, in
order of receipt (night, file, line). A newer decision on a hit supersedes the older; each
night's ``decision-log.csv`` is that night's part of the audit trail: every decision accepted
that night (who, when, what, why, from which file and line), whether it is now in force, and the
decision it superseded.

Applying: the decision on a hit is in force while the hit's party fingerprint and entry
fingerprint equal those recorded with the decision. A false positive in force suppresses the
alert; a true match in force marks the hit as confirmed. When either fingerprint changes the
decision is stale and the hit alerts again.

Decision file columns: ``record_id``; the hit's list entry as ``uid`` or as ``list_source`` and
``entry_id``; ``decision`` (``true_match`` or ``false_positive``); ``reviewer``; ``reason``;
optional ``decided_at`` (ISO date or time). Other columns are ignored, so a reviewer can fill in
a copy of ``hits.csv``. A row with more fields than the header, or with a control character in a
value that is read, is refused.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Final

import polars as pl

from pipelines.settings import DecisionFileLimits
from pipelines.storage import sha256_bytes
from pipelines.tables import CONTROL, escape_controls

DECISIONS: Final = ("true_match", "false_positive")
REQUIRED: Final = ("record_id", "decision", "reviewer", "reason")
READ: Final = ("record_id", "uid", "list_source", "entry_id", "decision", "reviewer", "reason", "decided_at")
HIT: Final = ("record_id", "uid")
RECEIPT_ORDER: Final = ("received_night", "received_file", "line")
_FORMULA_QUOTED: Final = re.compile(r"^'(?=[=+\-@\t\r])")
_SAFE_NAME: Final = re.compile(r"[^A-Za-z0-9._-]+")

REGISTER_SCHEMA: Final[dict[str, pl.DataType]] = {
    "record_id": pl.String(),
    "uid": pl.String(),
    "decision": pl.String(),
    "reviewer": pl.String(),
    "reason": pl.String(),
    "decided_at": pl.String(),
    "party_fingerprint": pl.String(),
    "entry_fingerprint": pl.String(),
    "received_file": pl.String(),
    "received_sha256": pl.String(),
    "received_night": pl.String(),
    "line": pl.Int64(),
}
REJECTION_SCHEMA: Final[dict[str, pl.DataType]] = {
    "received_file": pl.String(),
    "line": pl.Int64(),
    "record_id": pl.String(),
    "uid": pl.String(),
    "decision": pl.String(),
    "reviewer": pl.String(),
    "problem": pl.String(),
}
# One night's part of the audit trail: the decisions accepted that night, in order of receipt.
LOG_COLUMNS: Final = (
    "record_id",
    "uid",
    "decision",
    "reviewer",
    "decided_at",
    "reason",
    "received_file",
    "line",
    "in_force",  # the hit's decision after tonight (false: a later row tonight superseded it)
    "supersedes",  # the decision on the hit it replaced: "<night> <file> line <n>"
)


@dataclass(frozen=True)
class ReceivedFile:
    """A decision file taken in tonight: its name under ``received/``, its bytes, and the inbox
    key it was uploaded to."""

    name: str
    data: bytes
    inbox_key: str | None = None

    @cached_property
    def sha256(self) -> str:
        return sha256_bytes(self.data)


@dataclass(frozen=True)
class Row:
    """One record of a decision file: the line it starts on, its values by (lower-case) column,
    and any fields beyond the header's."""

    line: int
    values: dict[str, str]
    extra: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Intake:
    """Tonight's decisions: accepted rows, rejected rows, and what became of each received file."""

    accepted: pl.DataFrame  # REGISTER_SCHEMA
    rejected: pl.DataFrame  # REJECTION_SCHEMA
    files: list[dict[str, object]]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "duplicate_files": sum(1 for f in self.files if f.get("duplicate_of")),
            "rows": self.accepted.height + self.rejected.height,
            "accepted": self.accepted.height,
            "rejected": self.rejected.height,
        }


@dataclass(frozen=True)
class RegisterUpdate:
    """The register after tonight (one decision per hit), tonight's decision log, and how many
    decisions left the register because a newer one on the same hit superseded them."""

    register: pl.DataFrame  # REGISTER_SCHEMA
    log: pl.DataFrame  # LOG_COLUMNS
    superseded: int


def safe_name(name: str) -> str:
    """An inbox key's file part as a flat, harmless file name."""
    cleaned = _SAFE_NAME.sub("_", name.strip("/")).strip("._")
    return cleaned or "decisions.csv"


def unique_name(name: str, digest: str, taken: set[str]) -> str:
    """``name``, or ``name`` tagged with the file's hash (and a counter) when already taken."""
    if name not in taken:
        return name
    stem, dot, ext = name.rpartition(".")
    for n in itertools.count(1):
        tag = digest[:8] if n == 1 else f"{digest[:8]}-{n}"
        candidate = f"{stem}-{tag}{dot}{ext}" if dot else f"{name}-{tag}"
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable")


def _cell(row: Row, column: str) -> str:
    value = row.values.get(column)
    return _FORMULA_QUOTED.sub("", value.strip()) if value else ""


def _normal_decision(value: str) -> str:
    return re.sub(r"[\s-]+", "_", value.strip().lower())


def _valid_time(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _row_problems(row: Row, header_width: int) -> list[str]:
    """What makes a record unreadable as a decision, before its values are looked at."""
    problems = []
    if any(v.strip() for v in row.extra):
        problems.append(
            f"{header_width + len(row.extra)} fields where the header has {header_width}: "
            "a value holding the delimiter must be quoted"
        )
    for column in READ:
        found = CONTROL.search(row.values.get(column) or "")
        if found:
            problems.append(f"control character U+{ord(found.group()):04X} in {column}")
    return problems


def read_decisions(
    received: Sequence[ReceivedFile],
    reviewable: pl.DataFrame,
    *,
    night: str,
    reviewed_night: str | None,
    limits: DecisionFileLimits | None = None,
) -> Intake:
    """Check every row of every received file against ``reviewable``.

    ``reviewable`` is the bank's previous report (``record_id``, ``uid``, fingerprints), the one
    its reviewers saw, published for ``reviewed_night``. Files are read in name order; a file
    with the same bytes as one read before it is recorded as its duplicate, its rows not read
    again.
    """
    limits = limits or DecisionFileLimits()
    known = {
        (r["record_id"], r["uid"]): (r["party_fingerprint"], r["entry_fingerprint"])
        for r in reviewable.select("record_id", "uid", "party_fingerprint", "entry_fingerprint").iter_rows(named=True)
    }
    accepted: list[dict[str, object]] = []
    rejected: list[dict[str, object]] = []
    files: list[dict[str, object]] = []
    first_by_digest: dict[str, str] = {}
    for received_file in sorted(received, key=lambda f: f.name):
        name, digest = received_file.name, received_file.sha256
        record: dict[str, object] = {
            "file": name,
            "inbox_key": received_file.inbox_key,
            "sha256": digest,
            "bytes": len(received_file.data),
        }
        if digest in first_by_digest:
            files.append({**record, "duplicate_of": first_by_digest[digest], "accepted": 0, "rejected": 0})
            continue
        first_by_digest[digest] = name
        before = (len(accepted), len(rejected))

        def reject(line: int | None, problem: str, row: Row | None = None, uid: str = "", file: str = name) -> None:
            def shown(value: str) -> str | None:
                return escape_controls(value) or None

            rejected.append(
                {
                    "received_file": file,
                    "line": line,
                    "record_id": shown(_cell(row, "record_id")) if row else None,
                    "uid": shown(uid),
                    "decision": shown(_cell(row, "decision")) if row else None,
                    "reviewer": shown(_cell(row, "reviewer")) if row else None,
                    "problem": escape_controls(problem),
                }
            )

        header_width, rows, problem = parse_file(received_file.data, limits)
        if problem:
            reject(None, problem)
        for row in rows:
            uid = _cell(row, "uid")
            if not uid and _cell(row, "list_source") and _cell(row, "entry_id"):
                uid = f"{_cell(row, 'list_source')}:{_cell(row, 'entry_id')}"
            problems = _row_problems(row, header_width)
            if problems:
                reject(row.line, "; ".join(problems), row, uid)
                continue
            record_id = _cell(row, "record_id")
            decision = _normal_decision(_cell(row, "decision"))
            decided_at = _cell(row, "decided_at")
            if not record_id or not uid:
                problems.append("the hit is not named: record_id and uid (or list_source and entry_id) are needed")
            elif (record_id, uid) not in known:
                seen = f"the report of {reviewed_night}" if reviewed_night else "any earlier report"
                problems.append(f"unknown hit: {record_id} has no hit on {uid} in {seen}")
            if decision not in DECISIONS:
                problems.append(f"decision {_cell(row, 'decision')!r} is not one of {', '.join(DECISIONS)}")
            if not _cell(row, "reviewer"):
                problems.append("reviewer is empty")
            if not _cell(row, "reason"):
                problems.append("reason is empty")
            if decided_at and not _valid_time(decided_at):
                problems.append(f"decided_at {decided_at!r} is not an ISO date or time")
            if problems:
                reject(row.line, "; ".join(problems), row, uid)
                continue
            party_fp, entry_fp = known[(record_id, uid)]
            accepted.append(
                {
                    "record_id": record_id,
                    "uid": uid,
                    "decision": decision,
                    "reviewer": _cell(row, "reviewer"),
                    "reason": _cell(row, "reason"),
                    "decided_at": decided_at or None,
                    "party_fingerprint": party_fp,
                    "entry_fingerprint": entry_fp,
                    "received_file": name,
                    "received_sha256": digest,
                    "received_night": night,
                    "line": row.line,
                }
            )
        files.append({**record, "accepted": len(accepted) - before[0], "rejected": len(rejected) - before[1]})
    return Intake(
        accepted=pl.DataFrame(accepted, schema=REGISTER_SCHEMA),
        rejected=pl.DataFrame(rejected, schema=REJECTION_SCHEMA),
        files=files,
    )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def parse_file(data: bytes, limits: DecisionFileLimits | None = None) -> tuple[int, list[Row], str | None]:
    """The header's width, the records (with the line each starts on) of a decision file, and
    the reason it cannot be read, if so (then no record is taken from it)."""
    limits = limits or DecisionFileLimits()
    if len(data) > limits.max_bytes:
        return 0, [], (
            f"file of {len(data):,} bytes ({_mb(len(data))}) is larger than the limit of "
            f"{limits.max_bytes:,} bytes ({_mb(limits.max_bytes)}) for one decision file: split it into smaller files"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return 0, [], f"not UTF-8 text ({exc.reason} at byte {exc.start})"
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        has_ref = "uid" in header or {"list_source", "entry_id"} <= set(header)
        missing = [c for c in REQUIRED if c not in header] + ([] if has_ref else ["uid (or list_source and entry_id)"])
        if missing:
            return len(header), [], f"missing columns: {', '.join(missing)} (found: {', '.join(header) or 'none'})"
        end = reader.line_num
        for raw in reader:
            start, end = end + 1, reader.line_num
            if not any(v.strip() for v in raw):
                continue
            if len(rows) == limits.max_rows:
                return len(header), [], (
                    f"more than {limits.max_rows:,} decision rows (the limit for one decision file; "
                    f"row {limits.max_rows + 1:,} is on line {start:,}): split it into smaller files"
                )
            rows.append(Row(start, dict(zip(header, raw, strict=False)), raw[len(header) :]))
    except csv.Error as exc:
        return len(header), rows, f"CSV error at line {reader.line_num}: {exc}; later lines not read"
    return len(header), rows, None


def update_register(previous: pl.DataFrame | None, intake: Intake) -> RegisterUpdate:
    """The decision register after tonight, and tonight's decision log.

    ``previous`` is the register of the bank's previous night (it holds only earlier nights), so
    a re-run of a night rebuilds the same register. The register keeps, for each hit, the latest
    decision in order of receipt.
    """
    order = list(RECEIPT_ORDER)
    earlier = pl.DataFrame(schema=REGISTER_SCHEMA)
    if previous is not None:
        earlier = (
            previous.select([pl.col(c).cast(t) for c, t in REGISTER_SCHEMA.items()])
            .sort(order, maintain_order=True)
            .group_by(HIT, maintain_order=True)
            .last()
        )
    receipt = pl.format("{} {} line {}", "received_night", "received_file", "line")
    history = (
        pl.concat(
            [
                earlier.with_columns(pl.lit(False).alias("_tonight")),
                intake.accepted.with_columns(pl.lit(True).alias("_tonight")),
            ],
            how="vertical",
        )
        .sort(order, maintain_order=True)
        .with_columns(
            receipt.shift(1).over(HIT).alias("supersedes"),
            (pl.int_range(pl.len()).over(HIT) == pl.len().over(HIT) - 1).alias("in_force"),
        )
    )
    register = history.filter("in_force").select(list(REGISTER_SCHEMA))
    return RegisterUpdate(
        register=register,
        log=history.filter("_tonight").select(LOG_COLUMNS),
        superseded=history.height - register.height,
    )


def apply(hits: pl.DataFrame, register: pl.DataFrame) -> pl.DataFrame:
    """``hits`` with the decision in force on each: ``disposition``, ``reviewer``, ``decided_at``,
    ``disposition_stale`` (the party or the entry changed since) and ``alert`` (needs review)."""
    latest = (
        register.sort(list(RECEIPT_ORDER), maintain_order=True)
        .group_by(HIT, maintain_order=True)
        .last()
        .select(
            "record_id",
            "uid",
            pl.col("decision").alias("disposition"),
            "reviewer",
            pl.col("reason").alias("disposition_reason"),
            pl.coalesce("decided_at", "received_night").alias("decided_at"),
            pl.col("party_fingerprint").alias("_party_decided"),
            pl.col("entry_fingerprint").alias("_entry_decided"),
        )
    )
    joined = hits.join(latest, on=["record_id", "uid"], how="left")
    decided = pl.col("disposition").is_not_null()
    in_force = (
        decided
        & (pl.col("_party_decided") == pl.col("party_fingerprint"))
        & (pl.col("_entry_decided") == pl.col("entry_fingerprint"))
    )
    return joined.with_columns(
        (decided & ~in_force).alias("disposition_stale"),
        (in_force & (pl.col("disposition") == "false_positive")).alias("suppressed"),
        (~in_force).alias("alert"),
    ).drop("_party_decided", "_entry_decided")
