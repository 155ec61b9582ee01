"""The register's part of the night: screen the landed company-register extract, apply the
50 percent rule, publish the flags to the regulator, and extend the night's watchlist with the
flagged companies so that bank customers and counterparties that are flagged companies alert too.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from datetime import date
from typing import Any

import polars as pl

from pipelines import paths
from pipelines.errors import InterdictError
from pipelines.nightly import Snapshot
from pipelines.publish import publish_report_set
from pipelines.registry.evidence import ownership_links
from pipelines.registry.load import Register, load_register
from pipelines.registry.resolve import flagged_companies_as_watchlist, screen_loaded_register, seeds_from_hits
from pipelines.settings import Settings
from pipelines.storage import ObjectStore
from pipelines.tables import write_table
from pipelines.validation import render_data_docs, validate
from screening.model import Watchlist

log = logging.getLogger(__name__)

REGISTER_STATUS = "register.json"


# The register's loaded tables and the Great Expectations suite each must pass.
REGISTER_SUITES = (
    ("register_companies", "companies"),
    ("register_persons", "persons"),
    ("ownership", "edges"),
    ("register_officers", "officers"),
)


def _validate_register(register: Register, source: str, run_date: str) -> dict[str, Any]:
    """Run the register suites on the loaded tables; returns their results by suite.

    The loader has already quarantined every row that breaks a register rule, with the reason; the
    suites state the same rules for the published validation. A row the loader kept that a suite
    still refuses means the two disagree: the register is refused rather than screened in part.
    """
    results: dict[str, Any] = {}
    for kind, table in REGISTER_SUITES:
        checked = validate(
            getattr(register, table), kind, source=f"{source} ({table})", today=date.fromisoformat(run_date)
        )
        results[kind] = checked.gx_results
        if checked.quarantine.height:
            rules = checked.summary.get("rules") or checked.quarantine["rule"].unique().to_list()
            raise InterdictError(
                f"{source}: {checked.quarantine.height} {table} rows pass the register loader but fail "
                f"the {kind} suite ({rules})"
            )
    return results


def _record(settings: Settings, run_date: str, status: dict[str, Any]) -> None:
    body = json.dumps(status, indent=2, sort_keys=True)
    local = settings.run_dir(run_date) / "registry" / REGISTER_STATUS
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_text(body, encoding="utf-8")
    work = ObjectStore.open(settings, settings.config.buckets.work)
    work.put_bytes(paths.register_status_key(run_date), body.encode("utf-8"), "application/json")


def screen_registry_night(run_date: str, snapshot_dir: str, settings: Settings | None = None) -> str:
    """Screen the register landed for ``run_date``; returns the snapshot folder the banks screen
    against: the night's lists plus flagged companies, or the lists alone when no register was
    delivered or it could not be used (the outcome is recorded for the night's summary, which
    then fails the night; the banks are still screened)."""
    settings = settings or Settings.from_env()
    paths.check_run_date(run_date)
    landing = ObjectStore.open(settings, settings.config.buckets.landing)
    prefix = paths.registry_prefix(run_date)
    if not landing.list_keys(prefix):
        log.warning("no register extract landed under %s: banks are screened against the lists only",
                    landing.uri(prefix))
        _record(settings, run_date, {"delivered": False, "prefix": landing.uri(prefix)})
        return snapshot_dir
    try:
        status, extended = _screen(settings, run_date, snapshot_dir, landing, prefix)
    except InterdictError as exc:
        if exc.transient:
            raise
        log.error("register %s could not be screened: %s", run_date, exc)
        _record(settings, run_date, {"delivered": True, "error": str(exc), "prefix": landing.uri(prefix)})
        return snapshot_dir
    _record(settings, run_date, status)
    return extended


def _screen(
    settings: Settings, run_date: str, snapshot_dir: str, landing: ObjectStore, prefix: str
) -> tuple[dict[str, Any], str]:
    started = time.monotonic()
    base = Snapshot.fetch(snapshot_dir, run_date, settings)
    work = settings.run_dir(run_date) / "registry"
    shutil.rmtree(work, ignore_errors=True)
    inputs = []
    for key in landing.list_keys(prefix):
        name = key[len(prefix):]
        digest = landing.download(key, work / "input" / name)
        inputs.append({"uri": landing.uri(key), "sha256": digest})
    register = load_register(work / "input")
    gx_results = _validate_register(register, landing.uri(prefix), run_date)
    lists = base.watchlist()
    result = screen_loaded_register(
        register, lists, work / "report", threshold=settings.config.ownership_threshold
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
        write_table(pl.read_parquet(path), csv_path)
        files[csv_path.name] = csv_path
    validation = work / "report" / "validation.json"
    validation.write_text(json.dumps(gx_results, indent=2, sort_keys=True, default=str), encoding="utf-8")
    files[validation.name] = validation
    docs = render_data_docs(gx_results, work / "data-docs").parent
    files.update({f"data-docs/{p.name}": p for p in sorted(docs.glob("*.html"))})
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
    # The night's lists plus the flagged companies, as the snapshot the banks screen against.
    derived = flagged_companies_as_watchlist(flags)
    meta = {**base.meta, "register": status}
    meta["entries"] = {**base.meta.get("entries", {}), "OWNERSHIP": derived.entries.height}
    out = settings.run_dir(run_date) / "watchlist-ownership"
    work_store = ObjectStore.open(settings, settings.config.buckets.work)
    links = ownership_links(
        flags, register.graph_edges(), seeds_from_hits(pl.read_parquet(result.hits_path), lists), register.nodes()
    )
    Snapshot.write(
        out, Watchlist.concat([lists, derived]), meta, work_store, run_date,
        extra={"ownership_flags": flags, "ownership_links": links},
    )
    log.info(
        "register %s: %d companies, %d edges, %d flagged %s, %d quarantined in %.1fs -> %s",
        run_date, result.companies, result.edges, flags.height, result.flagged, result.quarantined,
        time.monotonic() - started, uri,
    )
    return status, str(out)
