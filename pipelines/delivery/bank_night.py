"""One bank's report set for one night: built from the screening hits, compared with the bank's
previous night, joined with its review decisions, written and published.

The set, under ``<bank>/<run date>/`` in the reports bucket:

| file | what it holds |
| --- | --- |
| ``summary.html`` | the analyst's work surface: every open alert with its evidence, filters, what to do next |
| ``decisions-template.csv`` | tonight's open alerts as a decisions file to fill in and send back |
| ``hits.parquet``, ``hits.csv`` | tonight's hits with delta, decision in force and fingerprints |
| ``cleared.parquet``, ``cleared.csv`` | hits of the previous report that cleared tonight, and why |
| ``decisions.parquet``, ``decisions.csv`` | the bank's decision register: the latest decision on each hit |
| ``decision-log.csv`` | the decisions accepted tonight, in order of receipt, and what each superseded |
| ``rejections.csv`` | decisions received tonight that were refused, and why |
| ``received/<file>`` | every decision file taken in tonight, as uploaded (duplicates marked in the manifest) |
| ``quarantine.csv``, ``validation.json`` | input rows that failed validation; rule results |
| ``manifest.json`` | written last: inputs, list versions, counts, every file's SHA-256 and size |
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import polars as pl

from pipelines import paths
from pipelines.delivery import alerts, delta, dispositions, html
from pipelines.delivery.fingerprints import entry_fingerprints, party_fingerprints
from pipelines.delivery.history import PublishedNight, previous_night, published_night
from pipelines.delivery.retry import Backoff, retrying
from pipelines.publish import publish_report_set
from pipelines.report import CLEARED_COLUMNS, DELIVERED_COLUMNS, REPORT_COLUMNS, hit_report
from pipelines.settings import DecisionFileLimits
from pipelines.storage import ObjectStore, sha256_bytes
from pipelines.tables import write_csv
from screening.model import Watchlist

log = logging.getLogger(__name__)

RECEIVED: Final = "received/"
_DELTA_RANK: Final = {"new": 0, "changed": 1, "unchanged": 2}


@dataclass(frozen=True)
class BankNight:
    """What screening produced for one bank and night, and what the manifest records of it."""

    bank: str
    bank_name: str
    run_date: str
    hits: pl.DataFrame  # screening.model.HIT_SCHEMA
    parties: pl.DataFrame  # screening.model.PARTY_SCHEMA
    watchlist: Watchlist
    quarantine: pl.DataFrame  # pipelines.report.quarantine_report
    validations: dict[str, Any]
    manifest: dict[str, Any]  # inputs, lists, screening, counts so far
    extra_files: dict[str, Path] = field(default_factory=dict)  # published as they are (data docs)
    ownership: pl.DataFrame | None = None  # the register's flags behind OWNERSHIP entries, if any
    ownership_links: pl.DataFrame | None = None  # the holdings behind those flags
    inbox: str = ""  # where the bank sends its decision files (shown on the summary page)


def _quality(parties: pl.DataFrame) -> Any:
    """The data-quality summary of :mod:`pipelines.validation` when it offers one."""
    summary = getattr(importlib.import_module("pipelines.validation"), "quality_summary", None)
    return summary(parties) if callable(summary) else None


def _received(
    store: ObjectStore, bank: str, current: PublishedNight | None, backoff: Backoff
) -> tuple[list[dispositions.ReceivedFile], list[str]]:
    """Decision files for tonight: those already published with this night (a re-run) and every
    file in the bank's inbox. Returns the files and the inbox keys read.

    An inbox key that this night already published with the same bytes is not taken twice (an
    earlier attempt published it but did not get to empty the inbox); any other inbox file is
    taken in under a name of its own, also when its bytes equal another file's.
    """
    files: list[dispositions.ReceivedFile] = []
    if current is not None:
        keys = {str(f["file"]): f.get("inbox_key") for f in current.manifest.get("decisions", {}).get("received", [])}
        for name in sorted(current.manifest.get("files", {})):
            if name.startswith(RECEIVED):
                short = name[len(RECEIVED) :]
                files.append(dispositions.ReceivedFile(short, current.read(name), keys.get(short)))
    taken = {(f.inbox_key, f.sha256) for f in files}
    names = {f.name for f in files}
    inbox = paths.inbox_prefix(bank)
    inbox_keys = retrying(lambda: store.list_keys(inbox), f"list {store.uri(inbox)}", backoff)
    for key in sorted(inbox_keys):
        data = retrying(lambda key=key: store.get_bytes(key), f"get {store.uri(key)}", backoff)  # type: ignore[misc]
        digest = sha256_bytes(data)
        if (key, digest) in taken or (None, digest) in taken:  # None: published before keys were recorded
            continue
        name = dispositions.unique_name(dispositions.safe_name(key[len(inbox) :]), digest, names)
        names.add(name)
        files.append(dispositions.ReceivedFile(name, data, key))
    return files, inbox_keys


def _conform(frame: pl.DataFrame, columns: tuple[str, ...], like: dict[str, pl.DataType]) -> pl.DataFrame:
    return frame.select(
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(like.get(c, pl.String())).alias(c) for c in columns
    )


@dataclass(frozen=True)
class Built:
    """Tonight's hits, cleared hits, decision intake and decision register."""

    hits: pl.DataFrame
    cleared: pl.DataFrame
    intake: dispositions.Intake
    decisions: dispositions.RegisterUpdate


def build(
    night: BankNight,
    previous: PublishedNight | None,
    received: Sequence[dispositions.ReceivedFile],
    limits: DecisionFileLimits | None = None,
) -> Built:
    """Tonight's hits, cleared hits, decision intake and register."""
    report = hit_report(night.hits, night.watchlist)
    prev_hits = previous.frame("hits.parquet") if previous else None
    wanted = report["record_id"]
    if prev_hits is not None:
        wanted = pl.concat([wanted, prev_hits["record_id"]])
    party_fp = party_fingerprints(night.parties.filter(pl.col("record_id").is_in(wanted.unique().implode())))
    entry_fp = entry_fingerprints(night.watchlist, report["uid"])
    report = report.join(party_fp, on="record_id", how="left").join(entry_fp, on="uid", how="left")

    classified = delta.classify(report, prev_hits)
    gone = delta.cleared(report, prev_hits, live_uids=night.watchlist.entries["uid"], parties=party_fp)

    reviewable = prev_hits if prev_hits is not None else report.clear()
    if "uid" not in reviewable.columns or "party_fingerprint" not in reviewable.columns:
        reviewable = _conform(reviewable, DELIVERED_COLUMNS, dict(classified.schema))
        reviewable = reviewable.with_columns(pl.concat_str(["list_source", "entry_id"], separator=":").alias("uid"))
    intake = dispositions.read_decisions(
        received,
        reviewable,
        night=night.run_date,
        reviewed_night=previous.run_date if previous else None,
        limits=limits,
    )
    prev_register = previous.frame("decisions.parquet") if previous else None
    decisions = dispositions.update_register(prev_register, intake)
    decided = dispositions.apply(classified, decisions.register)

    schema = dict(decided.schema)
    hits = _conform(decided, DELIVERED_COLUMNS, schema).sort(
        [
            pl.col("alert").not_(),
            pl.col("delta").replace_strict(_DELTA_RANK, default=3),
            pl.col("score"),
            "record_id",
            "list_source",
            "entry_id",
        ],
        descending=[False, False, True, False, False, False],
    )
    cleared = _conform(gone, CLEARED_COLUMNS, {**schema, **dict(gone.schema)}).sort(
        ["record_id", "list_source", "entry_id"]
    )
    return Built(hits, cleared, intake, decisions)


def counts(night: BankNight, hits: pl.DataFrame, cleared: pl.DataFrame, intake: dispositions.Intake) -> dict[str, int]:
    by_delta = dict(hits.group_by("delta").len().iter_rows())
    in_force = hits.filter(pl.col("disposition").is_not_null() & ~pl.col("disposition_stale"))
    return {
        **night.manifest.get("counts", {}),
        "hits": hits.height,
        "parties_with_hits": hits["record_id"].n_unique(),
        "alerts": int(hits["alert"].sum()),
        "new": int(by_delta.get("new", 0)),
        "changed": int(by_delta.get("changed", 0)),
        "unchanged": int(by_delta.get("unchanged", 0)),
        "cleared": cleared.height,
        "suppressed": int(hits["suppressed"].sum()),
        "confirmed": int((in_force["disposition"] == "true_match").sum()),
        "stale_decisions": int(hits["disposition_stale"].sum()),
        "decisions_received": intake.counts["rows"],
        "decisions_accepted": intake.counts["accepted"],
        "decisions_rejected": intake.counts["rejected"],
    }


def write(
    out: Path,
    night: BankNight,
    previous: PublishedNight | None,
    received: Sequence[dispositions.ReceivedFile],
    limits: DecisionFileLimits | None = None,
) -> tuple[dict[str, Path], dict[str, Any]]:
    """Write the report set's files to ``out``; returns name → path and the manifest (sans files)."""
    built = build(night, previous, received, limits)
    hits, cleared, intake, register = built.hits, built.cleared, built.intake, built.decisions.register
    tally = counts(night, hits, cleared, intake)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files[name] = path

    for name, frame in (("hits", hits), ("cleared", cleared), ("decisions", register)):
        frame.write_parquet(out / f"{name}.parquet", statistics=False)
        files[f"{name}.parquet"] = out / f"{name}.parquet"
    csvs = {
        "hits": hits,
        "cleared": cleared,
        "decisions": register,
        "decision-log": built.decisions.log,
        "rejections": intake.rejected,
        "quarantine": night.quarantine,
    }
    for name, frame in csvs.items():
        files[f"{name}.csv"] = write_csv(frame, out / f"{name}.csv")
    put("validation.json", json.dumps(night.validations, indent=2, sort_keys=True, default=str).encode())
    files.update(night.extra_files)
    for received_file in sorted(received, key=lambda f: f.name):
        put(RECEIVED + received_file.name, received_file.data)
    open_alerts = hits.filter(pl.col("alert"))
    template = alerts.decisions_template(open_alerts)
    put("decisions-template.csv", template)
    views = alerts.alert_views(
        open_alerts, night.hits, night.parties, night.watchlist, night.ownership, night.ownership_links
    )
    summary = html.NightSummary(
        bank=night.bank,
        bank_name=night.bank_name,
        run_date=night.run_date,
        previous_night=previous.run_date if previous else None,
        hits=hits,
        cleared=cleared,
        counts=tally,
        validations=night.validations,
        lists=night.manifest.get("lists", {}),
        rejections=intake.rejected,
        quality=_quality(night.parties),
        alerts=tuple(views),
        screening=night.manifest.get("screening", {}),
        template=template,
        inbox=night.inbox,
    )
    put("summary.html", html.render(summary).encode("utf-8"))
    manifest = {
        **night.manifest,
        "counts": tally,
        "previous_night": previous.run_date if previous else None,
        "decisions": {
            **intake.counts,
            "in_force": register.height,
            "superseded": built.decisions.superseded,
            "received": intake.files,
        },
        "columns": {"hits": list(DELIVERED_COLUMNS), "cleared": list(CLEARED_COLUMNS)},
    }
    return files, manifest


def deliver(
    night: BankNight,
    store: ObjectStore,
    out: Path,
    *,
    backoff: Backoff | None = None,
    limits: DecisionFileLimits | None = None,
) -> dict[str, Any]:
    """Build, write and publish the bank's report set; then empty the decisions taken in from its
    inbox. Returns the manifest's URI and the night's counts."""
    backoff = backoff or Backoff()
    bank, run_date = night.bank, night.run_date
    previous = retrying(lambda: previous_night(store, bank, run_date), f"previous night of {bank}", backoff)
    current = retrying(lambda: published_night(store, bank, run_date), f"night {run_date} of {bank}", backoff)
    received, inbox_keys = _received(store, bank, current, backoff)
    files, manifest = write(out, night, previous, received, limits)
    uri = publish_report_set(
        store,
        paths.report_prefix(bank, run_date),
        files,
        manifest,
        latest_key=paths.latest_key(bank),
        backoff=backoff,
    )
    for key in inbox_keys:
        retrying(lambda key=key: store.delete(key), f"delete {store.uri(key)}", backoff)  # type: ignore[misc]
    tally: dict[str, int] = manifest["counts"]
    log.info(
        "%s %s: %d hits (%d new, %d changed, %d cleared, %d alerts); decisions %d accepted, %d rejected -> %s",
        bank,
        run_date,
        tally["hits"],
        tally["new"],
        tally["changed"],
        tally["cleared"],
        tally["alerts"],
        tally["decisions_accepted"],
        tally["decisions_rejected"],
        uri,
    )
    return {"bank": bank, "manifest": uri, **tally}


__all__ = ["REPORT_COLUMNS", "BankNight", "build", "deliver", "write"]
