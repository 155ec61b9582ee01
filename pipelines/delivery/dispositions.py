"""Review decisions (dispositions) sent back by a bank, validated, kept and applied.

A bank uploads CSV files to its inbox (``inbox/<bank>/`` in the reports bucket). The next night
reads every file there, checks every row and

- **accepts** a row that names a hit of the bank's previous report with a valid decision,
  reviewer and reason: it joins the bank's decision register (``decisions.parquet``), an
  append-only audit trail carried from night to night, with the fingerprints of the party and the
  list entry as they were when the hit was reviewed;
- **rejects** any other row, or a whole file that cannot be read, into ``rejections.csv`` in the
  bank's report set, with the problem in words. Nothing is dropped silently:
  ``rows received = rows accepted + rows rejected`` for every file.

The received files themselves are published with the night's report (``received/<file>``, listed
in the manifest with their hashes) before they are removed from the inbox.

Applying: the latest decision on a hit is in force while the hit's party fingerprint and entry
fingerprint equal those recorded with the decision. A false positive in force suppresses the
alert; a true match in force marks the hit as confirmed. When either fingerprint changes the
decision is stale and the hit alerts again.

Decision file columns: ``record_id``; the hit's list entry as ``uid`` or as ``list_source`` and
``entry_id``; ``decision`` (``true_match`` or ``false_positive``); ``reviewer``; ``reason``;
optional ``decided_at`` (ISO date or time). Other columns are ignored, so a reviewer can fill in
a copy of ``hits.csv``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import polars as pl

from pipelines.storage import sha256_bytes

DECISIONS: Final = ("true_match", "false_positive")
REQUIRED: Final = ("record_id", "decision", "reviewer", "reason")
MAX_FILE_BYTES: Final = 20 * 1024 * 1024
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


@dataclass(frozen=True)
class Intake:
    """Tonight's decisions: accepted rows, rejected rows, and counts per received file."""

    accepted: pl.DataFrame  # REGISTER_SCHEMA
    rejected: pl.DataFrame  # REJECTION_SCHEMA
    files: list[dict[str, object]]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "rows": self.accepted.height + self.rejected.height,
            "accepted": self.accepted.height,
            "rejected": self.rejected.height,
        }


def safe_name(name: str) -> str:
    """An inbox key's file part as a flat, harmless file name."""
    cleaned = _SAFE_NAME.sub("_", name.strip("/")).strip("._")
    return cleaned or "decisions.csv"


def _cell(row: dict[str, str | None], column: str) -> str:
    value = row.get(column)
    return _FORMULA_QUOTED.sub("", value.strip()) if value else ""


def _normal_decision(value: str) -> str:
    return re.sub(r"[\s-]+", "_", value.strip().lower())


def _valid_time(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def read_decisions(
    received: dict[str, bytes],
    reviewable: pl.DataFrame,
    *,
    night: str,
    reviewed_night: str | None,
) -> Intake:
    """Check every row of every received file (name → bytes) against ``reviewable``.

    ``reviewable`` is the bank's previous report (``record_id``, ``uid``, fingerprints), the one
    its reviewers saw, published for ``reviewed_night``.
    """
    known = {
        (r["record_id"], r["uid"]): (r["party_fingerprint"], r["entry_fingerprint"])
        for r in reviewable.select("record_id", "uid", "party_fingerprint", "entry_fingerprint").iter_rows(named=True)
    }
    accepted: list[dict[str, object]] = []
    rejected: list[dict[str, object]] = []
    files: list[dict[str, object]] = []
    for name in sorted(received):
        data = received[name]
        digest = sha256_bytes(data)
        before = (len(accepted), len(rejected))

        def reject(
            line: int | None, problem: str, row: dict[str, str | None] | None = None, uid: str = "", file: str = name
        ) -> None:
            row = row or {}
            rejected.append(
                {
                    "received_file": file,
                    "line": line,
                    "record_id": _cell(row, "record_id") or None,
                    "uid": uid or None,
                    "decision": _cell(row, "decision") or None,
                    "reviewer": _cell(row, "reviewer") or None,
                    "problem": problem,
                }
            )

        rows, problem = parse_file(data)
        if problem:
            reject(None, problem)
        for line, row in rows:
            uid = _cell(row, "uid")
            if not uid and _cell(row, "list_source") and _cell(row, "entry_id"):
                uid = f"{_cell(row, 'list_source')}:{_cell(row, 'entry_id')}"
            record_id = _cell(row, "record_id")
            decision = _normal_decision(_cell(row, "decision"))
            decided_at = _cell(row, "decided_at")
            problems = []
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
                reject(line, "; ".join(problems), row, uid)
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
                    "line": line,
                }
            )
        files.append(
            {
                "file": name,
                "sha256": digest,
                "bytes": len(data),
                "accepted": len(accepted) - before[0],
                "rejected": len(rejected) - before[1],
            }
        )
    return Intake(
        accepted=pl.DataFrame(accepted, schema=REGISTER_SCHEMA),
        rejected=pl.DataFrame(rejected, schema=REJECTION_SCHEMA),
        files=files,
    )


def parse_file(data: bytes) -> tuple[list[tuple[int, dict[str, str | None]]], str | None]:
    """Rows (with their line numbers) of a decision file, or the reason it cannot be read."""
    if len(data) > MAX_FILE_BYTES:
        return [], f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], f"not UTF-8 text ({exc.reason} at byte {exc.start})"
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    has_ref = "uid" in header or {"list_source", "entry_id"} <= set(header)
    missing = [c for c in REQUIRED if c not in header] + ([] if has_ref else ["uid (or list_source and entry_id)"])
    if missing:
        return [], f"missing columns: {', '.join(missing)} (found: {', '.join(header) or 'none'})"
    rows: list[tuple[int, dict[str, str | None]]] = []
    try:
        for row in reader:
            if not any((v or "").strip() for k, v in row.items() if k is not None and isinstance(v, str)):
                continue
            rows.append((reader.line_num, {k: v for k, v in row.items() if isinstance(k, str)}))
    except csv.Error as exc:
        return rows, f"CSV error after line {reader.line_num}: {exc}; later lines not read"
    return rows, None


def extend_register(previous: pl.DataFrame | None, intake: Intake) -> pl.DataFrame:
    """The decision register after tonight: every earlier decision, then tonight's accepted ones.

    ``previous`` is the register of the bank's previous night (it holds only earlier nights), so
    a re-run of a night rebuilds the same register.
    """
    parts = [pl.DataFrame(schema=REGISTER_SCHEMA), intake.accepted]
    if previous is not None:
        parts.insert(1, previous.select([pl.col(c).cast(t) for c, t in REGISTER_SCHEMA.items()]))
    return pl.concat(parts, how="vertical")


def apply(hits: pl.DataFrame, register: pl.DataFrame) -> pl.DataFrame:
    """``hits`` with the decision in force on each: ``disposition``, ``reviewer``, ``decided_at``,
    ``disposition_stale`` (the party or the entry changed since) and ``alert`` (needs review)."""
    latest = (
        register.sort(["received_night", "received_file", "line"], maintain_order=True)
        .group_by("record_id", "uid", maintain_order=True)
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
