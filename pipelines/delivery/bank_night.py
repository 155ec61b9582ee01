"""One bank's report set for one night: built from the screening hits, compared with the bank's
previous night, joined with its review decisions, written and published.

The set, under ``<bank>/<run date>/`` in the reports bucket:

| file | what it holds |
| --- | --- |
| ``summary.html`` | the analyst's work surface: every open alert with its evidence, filters, what to do next |
| ``decisions-template.csv`` | tonight's open alerts as a decisions file to fill in and send back |
| ``hits.parquet``, ``hits.csv`` | tonight's hits with delta, decision in force and fingerprints |
| ``cleared.parquet``, ``cleared.csv`` | hits of the previous report that cleared tonight, and why |
| ``decisions.parquet``, ``decisions.csv`` | the bank's decision register: every accepted decision so far |
| ``rejections.csv`` | decisions received tonight that were refused, and why |
| ``received/<file>`` | the decision files received tonight, as uploaded |
| ``quarantine.csv``, ``validation.json`` | input rows that failed validation; rule results |
| ``manifest.json`` | written last: inputs, list versions, counts, every file's SHA-256 and size |
"""

from __future__ import annotations

import importlib
import json
import logging
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
from pipelines.report import CLEARED_COLUMNS, DELIVERED_COLUMNS, REPORT_COLUMNS, hit_report, neutralise_formulas
from pipelines.storage import ObjectStore, sha256_bytes
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
) -> tuple[dict[str, bytes], list[str]]:
    """Decision files for tonight: those already published with this night (a re-run) and those
    in the bank's inbox. Returns name → bytes and the inbox keys read."""
    files: dict[str, bytes] = {}
    if current is not None:
        for name in sorted(current.manifest.get("files", {})):
            if name.startswith(RECEIVED):
                files[name[len(RECEIVED) :]] = current.read(name)
    inbox = paths.inbox_prefix(bank)
    keys = retrying(lambda: store.list_keys(inbox), f"list {store.uri(inbox)}", backoff)
    digests = {sha256_bytes(v) for v in files.values()}
    for key in sorted(keys):
        data = retrying(lambda key=key: store.get_bytes(key), f"get {store.uri(key)}", backoff)  # type: ignore[misc]
        digest = sha256_bytes(data)
        if digest in digests:
            continue  # already taken in by an earlier attempt of this night
        name = dispositions.safe_name(key[len(inbox) :])
        if name in files:
            stem, dot, ext = name.rpartition(".")
            name = f"{stem}-{digest[:8]}{dot}{ext}" if dot else f"{name}-{digest[:8]}"
        files[name] = data
        digests.add(digest)
    return files, keys


def _conform(frame: pl.DataFrame, columns: tuple[str, ...], like: dict[str, pl.DataType]) -> pl.DataFrame:
    return frame.select(
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(like.get(c, pl.String())).alias(c) for c in columns
    )


def build(
    night: BankNight, previous: PublishedNight | None, received: dict[str, bytes]
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, dispositions.Intake]:
    """Tonight's hits, cleared hits, decision register and decision intake."""
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
        received, reviewable, night=night.run_date, reviewed_night=previous.run_date if previous else None
    )
    prev_register = previous.frame("decisions.parquet") if previous else None
    register = dispositions.extend_register(prev_register, intake)
    decided = dispositions.apply(classified, register)

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
    return hits, cleared, register, intake


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
    out: Path, night: BankNight, previous: PublishedNight | None, received: dict[str, bytes]
) -> tuple[dict[str, Path], dict[str, Any]]:
    """Write the report set's files to ``out``; returns name → path and the manifest (sans files)."""
    hits, cleared, register, intake = build(night, previous, received)
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
        neutralise_formulas(frame).write_csv(out / f"{name}.csv")
        files[f"{name}.csv"] = out / f"{name}.csv"
    neutralise_formulas(intake.rejected).write_csv(out / "rejections.csv")
    files["rejections.csv"] = out / "rejections.csv"
    neutralise_formulas(night.quarantine).write_csv(out / "quarantine.csv")
    files["quarantine.csv"] = out / "quarantine.csv"
    put("validation.json", json.dumps(night.validations, indent=2, sort_keys=True, default=str).encode())
    files.update(night.extra_files)
    for name, data in sorted(received.items()):
        put(RECEIVED + name, data)
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
        "decisions": {**intake.counts, "received": intake.files},
        "columns": {"hits": list(DELIVERED_COLUMNS), "cleared": list(CLEARED_COLUMNS)},
    }
    return files, manifest


def deliver(
    night: BankNight,
    store: ObjectStore,
    out: Path,
    *,
    backoff: Backoff | None = None,
) -> dict[str, Any]:
    """Build, write and publish the bank's report set; then empty the decisions taken in from its
    inbox. Returns the manifest's URI and the night's counts."""
    backoff = backoff or Backoff()
    bank, run_date = night.bank, night.run_date
    previous = retrying(lambda: previous_night(store, bank, run_date), f"previous night of {bank}", backoff)
    current = retrying(lambda: published_night(store, bank, run_date), f"night {run_date} of {bank}", backoff)
    received, inbox_keys = _received(store, bank, current, backoff)
    files, manifest = write(out, night, previous, received)
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
