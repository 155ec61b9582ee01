"""The register's part of the night: screen the landed company-register extract, apply the
50 percent rule, publish the flags to the regulator, and extend the night's watchlist with the
flagged companies so that bank customers and counterparties that are flagged companies alert too.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

import polars as pl

from pipelines import paths
from pipelines.nightly import SNAPSHOT_META, Snapshot
from pipelines.publish import publish_report_set
from pipelines.registry.resolve import flagged_companies_as_watchlist, screen_register
from pipelines.settings import Settings
from pipelines.storage import ObjectStore
from screening.model import Watchlist

log = logging.getLogger(__name__)

REGISTER_STATUS = "register.json"


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists joined with '; ' and structs as JSON, for a CSV a reviewer can open."""
    return frame.with_columns(
        pl.col(c).cast(pl.List(pl.String)).list.join("; ") if isinstance(t, pl.List) else pl.col(c).struct.json_encode()
        for c, t in frame.schema.items()
        if isinstance(t, (pl.List, pl.Struct))
    )


def _write_extended_snapshot(base: Snapshot, derived: Watchlist, out: Path, register: dict[str, Any]) -> None:
    """``base`` plus the derived OWNERSHIP entries, written as a snapshot folder (atomically)."""
    extended = Watchlist.concat([base.watchlist(), derived])
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for table in Watchlist.TABLES:
        getattr(extended, table).write_parquet(tmp / f"{table}.parquet")
    meta = {**base.meta, "register": register}
    meta["entries"] = {**base.meta.get("entries", {}), "OWNERSHIP": derived.entries.height}
    (tmp / SNAPSHOT_META).write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)


def screen_registry_night(run_date: str, snapshot_dir: str, settings: Settings | None = None) -> str:
    """Screen the register landed for ``run_date``; returns the snapshot folder the banks screen
    against (the night's lists, plus flagged companies when a register was delivered)."""
    settings = settings or Settings.from_env()
    paths.check_run_date(run_date)
    started = time.monotonic()
    base = Snapshot.open(snapshot_dir)
    work = settings.run_dir(run_date) / "registry"
    shutil.rmtree(work, ignore_errors=True)
    landing = ObjectStore.open(settings, settings.config.buckets.landing)
    prefix = paths.registry_prefix(run_date)
    keys = landing.list_keys(prefix)
    if not keys:
        log.warning("no register extract landed under %s: banks are screened against the lists only",
                    landing.uri(prefix))
        status = {"delivered": False, "prefix": landing.uri(prefix)}
        (work).mkdir(parents=True, exist_ok=True)
        (work / REGISTER_STATUS).write_text(json.dumps(status, indent=2), encoding="utf-8")
        return snapshot_dir

    inputs = []
    for key in keys:
        name = key[len(prefix):]
        digest = landing.download(key, work / "input" / name)
        inputs.append({"uri": landing.uri(key), "sha256": digest})
    result = screen_register(
        work / "input", base.watchlist(), work / "report", threshold=settings.config.ownership_threshold
    )
    flags = pl.read_parquet(result.flags_path)
    counts = {
        "companies": result.companies, "owners": result.owners, "edges": result.edges,
        "officers": result.officers, "rows_quarantined": result.quarantined, "party_hits": result.party_hits,
        "flagged": result.flagged,
    }
    files = {}
    for path in (result.flags_path, result.hits_path, result.quarantine_path):
        files[path.name] = path
        csv_path = path.with_suffix(".csv")
        _flat(pl.read_parquet(path)).write_csv(csv_path)
        files[csv_path.name] = csv_path
    manifest = {
        "run_date": run_date,
        "kind": "register",
        "inputs": inputs,
        "lists": {"snapshot_sha256": base.sha256},
        "ownership_threshold": settings.config.ownership_threshold,
        "counts": counts,
    }
    reports = ObjectStore.open(settings, settings.config.buckets.reports)
    uri = publish_report_set(reports, paths.regulator_prefix(run_date) + "register/", files, manifest)
    status = {"delivered": True, "manifest": uri, **counts}
    (work / REGISTER_STATUS).write_text(json.dumps(status, indent=2, sort_keys=True), encoding="utf-8")

    out = settings.run_dir(run_date) / "watchlist-ownership"
    _write_extended_snapshot(base, flagged_companies_as_watchlist(flags), out, status)
    log.info(
        "register %s: %d companies, %d edges, %d flagged %s, %d quarantined in %.1fs -> %s",
        run_date, result.companies, result.edges, flags.height, result.flagged, result.quarantined,
        time.monotonic() - started, uri,
    )
    return str(out)
