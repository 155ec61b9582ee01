"""The steps of one night. Each takes the run date (one partition), reads and writes only that
partition, and returns something small (a path, a URI, a dict of counts) for Airflow's XCom.

1. :func:`prepare_watchlist` — parse the configured list files into the night's snapshot.
2. Per bank, in three steps the DAG maps over (see ``pipelines/sharding.py``):
   :func:`stage_bank` fetches its landed extracts, validates them, stages them in DuckDB and writes
   the clean parties as N Parquet shards to the work bucket; :func:`screen_shard` screens one shard
   (one task per shard, on any worker) and writes its hits beside it; :func:`report_bank` merges
   the hit shards and writes and publishes the report set. :func:`screen_bank` runs the three in
   one process.
3. :func:`summarize_night` — the regulator's cross-bank summary; fails when a bank failed.
"""

from __future__ import annotations

import io
import json
import logging
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines import paths
from pipelines.delivery.bank_night import BankNight, deliver
from pipelines.delivery.history import previous_night
from pipelines.delivery.links import bank_notifications, write_notifications
from pipelines.delivery.retry import retrying
from pipelines.errors import ConfigError, InputError, InterdictError, ListError
from pipelines.extracts import read_extract
from pipelines.lists import load_directory, sample_lists_dir
from pipelines.lists.refresh import refresh_lists
from pipelines.lists.snapshot import SnapshotResult, load_snapshot, publish_snapshot, refuse, snapshot_meta
from pipelines.lists.sources import SourceConfig, load_sources
from pipelines.report import quarantine_report
from pipelines.settings import PROJECT_ROOT, Settings
from pipelines.sharding import merge_hits, shard_count, split
from pipelines.storage import ObjectNotFound, ObjectStore
from pipelines.validation import render_data_docs, to_parties, validate
from screening import ALGORITHM_VERSION, ScreeningConfig, prepare, screen
from screening.model import Watchlist

log = logging.getLogger(__name__)

SNAPSHOT_META = "snapshot.json"
EXTRA_TABLES = "extra_tables"
SAMPLE_SOURCES = Path(__file__).resolve().parent / "lists" / "sources-samples.yml"
_MEMORY_LIMIT = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


@cache
def code_version() -> str:
    """The package version, with the git commit when running from a checkout."""
    version = metadata.version("interdict")
    try:
        commit = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short=12", "HEAD"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return version
    return f"{version}+g{commit}" if commit else version


def connect_duckdb(path: Path, settings: Settings) -> duckdb.DuckDBPyConnection:
    if not _MEMORY_LIMIT.match(settings.duckdb_memory_limit):
        raise ConfigError(f"INTERDICT_DUCKDB_MEMORY_LIMIT={settings.duckdb_memory_limit!r} is not like '4GB'")
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute(f"SET threads = {int(settings.duckdb_threads)}")
    con.execute(f"SET memory_limit = '{settings.duckdb_memory_limit}'")
    return con


def _stage(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Replace ``table`` (a name from this module, never from input) with ``frame``."""
    con.register("_frame", frame.to_arrow())
    try:
        con.execute(f'CREATE OR REPLACE TABLE "{table}" AS SELECT * FROM _frame')
    finally:
        con.unregister("_frame")


# 1. The watchlist snapshot -------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    path: Path
    meta: dict[str, Any]

    @property
    def sha256(self) -> str:
        return str(self.meta["sha256"])

    def watchlist(self) -> Watchlist:
        tables = {t: pl.read_parquet(self.path / f"{t}.parquet") for t in Watchlist.TABLES}
        return Watchlist(**tables)

    def table(self, name: str) -> pl.DataFrame | None:
        """An extra table written with the snapshot (such as the register's ``ownership_flags``)."""
        if name not in self.meta.get(EXTRA_TABLES, []):
            return None
        return pl.read_parquet(self.path / f"{name}.parquet")

    @staticmethod
    def files(meta: dict[str, Any]) -> list[str]:
        """The snapshot folder's files: the watchlist tables, any extra tables, the meta last."""
        tables = [*Watchlist.TABLES, *meta.get(EXTRA_TABLES, [])]
        return [*(f"{t}.parquet" for t in tables), SNAPSHOT_META]

    @classmethod
    def write(
        cls,
        folder: Path,
        watchlist: Watchlist,
        meta: dict[str, Any],
        work: ObjectStore,
        run_date: str,
        extra: dict[str, pl.DataFrame] | None = None,
    ) -> Snapshot:
        """Write the night's snapshot ``folder`` (atomically: a temporary folder, then a rename) and
        publish it to the work bucket, for workers on other machines (see :meth:`fetch`). ``extra``
        tables travel with it (name → frame)."""
        extra = extra or {}
        meta = {**meta, EXTRA_TABLES: sorted(extra)} if extra else meta
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for table in Watchlist.TABLES:
            getattr(watchlist, table).write_parquet(tmp / f"{table}.parquet")
        for name, frame in extra.items():
            frame.write_parquet(tmp / f"{name}.parquet")
        (tmp / SNAPSHOT_META).write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
        for name in cls.files(meta):
            work.put_file(paths.snapshot_key(run_date, name, folder.name), tmp / name)
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
        return cls(folder, meta)

    @classmethod
    def open(cls, path: str | Path) -> Snapshot:
        folder = Path(path)
        try:
            meta = json.loads((folder / SNAPSHOT_META).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InterdictError(f"watchlist snapshot {folder} is missing or unreadable: {exc}") from None
        return cls(folder, meta)

    @classmethod
    def fetch(cls, path: str | Path, run_date: str, settings: Settings) -> Snapshot:
        """The snapshot at ``path``, first copied from the work bucket when this worker lacks it
        (Celery and Kubernetes workers do not share the disk of the task that prepared it)."""
        folder = Path(path)
        work = ObjectStore.open(settings, settings.config.buckets.work)
        published = work.get_bytes(paths.snapshot_key(run_date, SNAPSHOT_META, folder.name))
        local = folder / SNAPSHOT_META
        # A copy left by an earlier attempt of the night must be the snapshot published now.
        if not local.exists() or local.read_bytes() != published:
            tmp = folder.with_name(f"{folder.name}.fetch-{time.time_ns()}")
            for name in cls.files(json.loads(published)):
                work.download(paths.snapshot_key(run_date, name, folder.name), tmp / name)
            shutil.rmtree(folder, ignore_errors=True)
            try:
                tmp.rename(folder)
            except OSError:  # another task on this worker fetched it at the same moment
                shutil.rmtree(tmp, ignore_errors=True)
        return cls.open(folder)


def _list_sources(settings: Settings, lists_dir: Path) -> dict[str, SourceConfig]:
    if settings.list_sources_path:
        return load_sources(settings.list_sources_path)
    if lists_dir.resolve() == sample_lists_dir().resolve():
        return load_sources(SAMPLE_SOURCES)
    return load_sources()


def _snapshot_in_force(settings: Settings, store: ObjectStore, run_date: str) -> tuple[SnapshotResult, str]:
    """Fetch or read the night's lists and make them the snapshot in force, unless a guard
    refuses them (then the previous snapshot stays in force and the result says why)."""
    if settings.lists_fetch:
        sources = _list_sources(settings, Path("."))
        download = settings.run_dir(run_date) / "lists-download"
        shutil.rmtree(download, ignore_errors=True)
        result, fetched = refresh_lists(store, download, sources, progress=log.info)
        return result, f"fetched from {len(fetched)} publication file(s)"
    lists_dir = settings.lists_dir or sample_lists_dir()
    sources = _list_sources(settings, lists_dir)
    try:
        loaded = load_directory(lists_dir)
    except ListError as exc:
        return refuse(store, [str(exc)]), str(lists_dir)
    for src in loaded.sources:
        key = paths.raw_list_key(src.sha256, src.path.name)
        if not store.exists(key):
            store.put_file(key, src.path)
    return publish_snapshot(loaded, store, sources, every_enabled_source=False), str(lists_dir)


LIST_SUITES = (("list_entries", "entries"), ("list_names", "names"))


def _validate_lists(watchlist: Watchlist, sha256: str, run_date: str) -> dict[str, Any]:
    """Run the list suites on the snapshot in force; returns their summaries by suite.

    A list entry that breaks a rule is still screened — leaving it out could miss a listed
    party — but the rule, the count and the rows are recorded for the night's manifests.
    """
    out: dict[str, Any] = {}
    for kind, table in LIST_SUITES:
        checked = validate(
            getattr(watchlist, table), kind, source=f"list snapshot {sha256[:12]} ({table})",
            today=date.fromisoformat(run_date), max_rejected_share=None,
        )
        out[kind] = checked.summary
        if checked.quarantine.height:
            examples = checked.quarantine.head(5).select("uid", "rule").rows()
            log.warning("list snapshot %s: %d %s rows break list rules, screened all the same: %s",
                        sha256[:12], checked.quarantine.height, table, examples)
    return out


def prepare_watchlist(run_date: str, settings: Settings | None = None) -> str:
    """Make the night's watchlist snapshot and copy it to the run's folder; returns the folder.

    The lists are read from ``INTERDICT_LISTS_DIR`` (or fetched from the publishers with
    ``INTERDICT_LISTS_FETCH``), checked against each source's sanity bounds and published as a
    content-addressed snapshot in the lists bucket, with the diff against the previous one. A
    refused publication (empty, truncated or changed file, too large a drop) leaves the previous
    snapshot in force and the night's manifests say so; with no previous snapshot the night stops.
    Raw list files are kept, immutable, under their content hash.
    """
    settings = settings or Settings.from_env()
    paths.check_run_date(run_date)
    started = time.monotonic()
    store = ObjectStore.open(settings, settings.config.buckets.lists)
    result, origin = _snapshot_in_force(settings, store, run_date)
    if result.sha256 is None:
        raise ListError(
            "the lists were refused and there is no earlier snapshot to screen against: "
            + "; ".join(result.problems)
        )
    watchlist = load_snapshot(store, result.sha256).conformed()
    stored = snapshot_meta(store, result.sha256)
    sources = [
        {**src, "raw": store.uri(paths.raw_list_key(src["sha256"], src["file"]))}
        for src in sorted(stored["sources"], key=lambda s: (s["list_source"], s["file"]))
    ]

    validation = _validate_lists(watchlist, result.sha256, run_date)
    meta = {
        "sha256": result.sha256,
        "origin": origin,
        "sources": sources,
        "entries": {k: sum(v.values()) for k, v in stored["entries"].items()},
        "names": watchlist.names.height,
        "problems": stored.get("problems", 0),
        "snapshot": result.manifest(),
        "validation": validation,
    }
    out = settings.run_dir(run_date) / "watchlist"
    Snapshot.write(out, watchlist, meta, ObjectStore.open(settings, settings.config.buckets.work), run_date)

    con = connect_duckdb(settings.run_dir(run_date) / "watchlist.duckdb", settings)
    try:
        for table in Watchlist.TABLES:
            _stage(con, table, getattr(watchlist, table))
    finally:
        con.close()
    log.info(
        "watchlist %s (%s): %d entries, %d names from %s in %.1fs",
        result.sha256[:12], result.status, len(watchlist), watchlist.names.height, origin,
        time.monotonic() - started,
    )
    return str(out)


# 2. One bank ---------------------------------------------------------------------------------


def screening_config(settings: Settings) -> ScreeningConfig:
    t = settings.config.thresholds
    return ScreeningConfig(
        thresholds={
            "person": t.person, "organization": t.organization, "vessel": t.vessel,
            "aircraft": t.aircraft, "unknown": t.unknown,
        },
        workers=settings.config.screening_workers,
    )


def _parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, statistics=False)
    return buffer.getvalue()


def _split_uri(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://") or "/" not in uri[5:]:
        raise InterdictError(f"{uri!r} is not an s3://bucket/key URI")
    bucket, key = uri[5:].split("/", 1)
    return bucket, key


def stage_bank(bank: str, run_date: str, settings: Settings | None = None) -> dict[str, Any]:
    """Fetch, validate and stage one bank's extracts; write its clean parties as shards.

    The parties go to ``s3://<work>/<run date>/<bank>/parties/`` as ``ceil(parties / shard_parties)``
    Parquet shards, and what the report needs later (inputs, validation summaries, quarantined
    rows) to ``.../stage/``. Returns ``{"bank", "parties", "shards": [shard URI, ...]}``.
    """
    settings = settings or Settings.from_env()
    paths.check_run_date(run_date)
    bank_cfg = settings.config.bank(bank)
    started = time.monotonic()
    work = settings.run_dir(run_date) / bank
    shutil.rmtree(work, ignore_errors=True)
    landing = ObjectStore.open(settings, settings.config.buckets.landing)
    reports = ObjectStore.open(settings, settings.config.buckets.reports)
    previous = previous_night(reports, bank, run_date)
    previous_rows = {i["dataset"]: i["rows_in"] for i in (previous.manifest if previous else {}).get("inputs", [])}

    inputs: list[dict[str, Any]] = []
    clean: dict[str, pl.DataFrame] = {}
    quarantined: dict[str, pl.DataFrame] = {}
    validations: dict[str, Any] = {}
    gx_results: dict[str, Any] = {}
    for dataset in paths.BANK_DATASETS:
        key = paths.landing_key(bank, run_date, dataset)
        local = work / "input" / f"{dataset}.csv"
        try:
            digest = landing.download(key, local)
        except ObjectNotFound:
            raise InputError(landing.uri(key), f"{bank} delivered no {dataset} extract for {run_date}") from None
        frame = read_extract(local, dataset, encoding=bank_cfg.encoding, delimiter=bank_cfg.delimiter)
        result = validate(
            frame, dataset, source=landing.uri(key), previous_rows=previous_rows.get(dataset),
            today=date.fromisoformat(run_date),
        )
        clean[dataset], quarantined[dataset] = result.clean, result.quarantine
        validations[dataset] = result.summary
        gx_results[dataset] = result.gx_results
        summary = result.summary
        if summary["rows_in"] != summary["rows_loaded"] + summary["rows_quarantined"]:
            raise InterdictError(f"{landing.uri(key)}: rows do not reconcile: {summary}")
        inputs.append({
            "dataset": dataset, "uri": landing.uri(key), "sha256": digest,
            "rows_in": summary["rows_in"], "rows_loaded": summary["rows_loaded"],
            "rows_quarantined": summary["rows_quarantined"],
        })

    parties = pl.concat([to_parties(clean[d], d) for d in paths.BANK_DATASETS], how="vertical")
    con = connect_duckdb(work / "staging.duckdb", settings)
    try:
        for dataset in paths.BANK_DATASETS:
            _stage(con, dataset, clean[dataset])
            _stage(con, f"{dataset}_quarantine", quarantined[dataset])
        _stage(con, "parties", parties)
    finally:
        con.close()

    store = ObjectStore.open(settings, settings.config.buckets.work)
    store.delete_prefix(paths.work_prefix(run_date, bank))
    for dataset in paths.BANK_DATASETS:
        store.put_bytes(paths.stage_key(run_date, bank, f"quarantine-{dataset}.parquet"),
                        _parquet_bytes(quarantined[dataset]))
    store.put_bytes(paths.stage_key(run_date, bank, "gx-results.json"),
                    json.dumps(gx_results, sort_keys=True, default=str).encode("utf-8"), "application/json")
    state = {"bank": bank, "run_date": run_date, "inputs": inputs, "validations": validations,
             "parties": parties.height}
    store.put_bytes(paths.stage_key(run_date, bank, "stage.json"),
                    json.dumps(state, sort_keys=True, default=str).encode("utf-8"), "application/json")
    count = shard_count(parties.height, settings.config.shard_parties)
    shards = []
    for index, part in enumerate(split(parties, count)):
        key = paths.party_shard_key(run_date, bank, index, count)
        store.put_bytes(key, _parquet_bytes(part))
        shards.append(store.uri(key))
    log.info("%s %s: %d parties staged in %d shard(s) in %.1fs", bank, run_date, parties.height, count,
             time.monotonic() - started)
    return {"bank": bank, "parties": parties.height, "shards": shards}


def screen_shard(shard_uri: str, snapshot_dir: str, settings: Settings | None = None) -> str:
    """Screen one party shard written by :func:`stage_bank`; returns the URI of its hits.

    The hits overwrite ``.../hits/<same shard name>``: a retried or repeated task writes the
    same object again, so a task killed mid-run leaves nothing half-done behind.
    """
    settings = settings or Settings.from_env()
    bucket, key = _split_uri(shard_uri)
    run_date = paths.check_run_date(key.split("/", 1)[0])
    if "/parties/" not in key:
        raise InterdictError(f"{shard_uri} is not a party shard of a night")
    started = time.monotonic()
    store = ObjectStore(ObjectStore.open(settings, bucket).client, bucket)
    parties = pl.read_parquet(io.BytesIO(store.get_bytes(key)))
    snapshot = Snapshot.fetch(snapshot_dir, run_date, settings)
    config = screening_config(settings)
    hits = screen(parties, prepare(snapshot.watchlist(), config), config)
    hits_key = key.replace("/parties/", "/hits/", 1)
    store.put_bytes(hits_key, _parquet_bytes(hits))
    log.info("%s: %d parties, %d hits in %.1fs", shard_uri, parties.height, hits.height, time.monotonic() - started)
    return store.uri(hits_key)


def report_bank(
    bank: str, run_date: str, snapshot_dir: str, hit_uris: list[str], settings: Settings | None = None
) -> dict[str, Any]:
    """Merge one bank's hit shards and write and publish its report set; returns the counts and
    manifest URI. The report is byte-identical whatever the number of shards."""
    settings = settings or Settings.from_env()
    paths.check_run_date(run_date)
    started = time.monotonic()
    work = settings.run_dir(run_date) / bank
    shutil.rmtree(work / "report", ignore_errors=True)
    reports = ObjectStore.open(settings, settings.config.buckets.reports)
    store = ObjectStore.open(settings, settings.config.buckets.work)
    state = json.loads(store.get_bytes(paths.stage_key(run_date, bank, "stage.json")))
    inputs: list[dict[str, Any]] = state["inputs"]
    validations: dict[str, Any] = state["validations"]
    parties_screened = int(state["parties"])
    quarantined = {
        d: pl.read_parquet(io.BytesIO(store.get_bytes(paths.stage_key(run_date, bank, f"quarantine-{d}.parquet"))))
        for d in paths.BANK_DATASETS
    }
    expected = {k for k in store.list_keys(paths.work_prefix(run_date, bank) + "parties/")}
    given = {_split_uri(u)[1].replace("/hits/", "/parties/", 1) for u in hit_uris}
    if given != expected:
        raise InterdictError(
            f"{bank} {run_date}: hit shards {sorted(given)} do not cover the staged shards {sorted(expected)}"
        )
    hits = merge_hits([pl.read_parquet(io.BytesIO(store.get_bytes(_split_uri(u)[1]))) for u in sorted(hit_uris)])
    snapshot = Snapshot.fetch(snapshot_dir, run_date, settings)
    watchlist = snapshot.watchlist()
    parties = pl.concat([pl.read_parquet(io.BytesIO(store.get_bytes(k))) for k in sorted(expected)], how="vertical")
    quarantine = quarantine_report(quarantined)
    manifest: dict[str, Any] = {
        "bank": bank,
        "run_date": run_date,
        "run_id": f"{bank}/{run_date}",
        "code_version": code_version(),
        "inputs": inputs,
        "lists": {
            "snapshot_sha256": snapshot.sha256,
            "sources": snapshot.meta["sources"],
            # accepted | unchanged | refused (the previous snapshot stayed in force, and why),
            # the changes since the previous snapshot and where that diff is stored.
            "snapshot": snapshot.meta.get("snapshot"),
            "validation": snapshot.meta.get("validation"),
            "register": snapshot.meta.get("register"),
        },
        "screening": {"thresholds": screening_config(settings).thresholds, "algorithm": ALGORITHM_VERSION},
        "counts": {"parties_screened": parties_screened, "rows_quarantined": quarantine.height},
    }
    gx_results = json.loads(store.get_bytes(paths.stage_key(run_date, bank, "gx-results.json")))
    shutil.rmtree(work / "data-docs", ignore_errors=True)
    docs = render_data_docs(gx_results, work / "data-docs").parent
    night = BankNight(
        bank=bank, bank_name=settings.config.bank(bank).name, run_date=run_date, hits=hits, parties=parties,
        watchlist=watchlist, quarantine=quarantine, validations=validations, manifest=manifest,
        extra_files={f"data-docs/{p.name}": p for p in sorted(docs.glob("*.html"))},
        ownership=snapshot.table("ownership_flags"), ownership_links=snapshot.table("ownership_links"),
        inbox=reports.uri(paths.inbox_prefix(bank)),
    )
    delivered = deliver(night, reports, work / "report", limits=settings.config.decision_files)
    quality = {d: {k: v.get(k) for k in ("rows_in", "rows_loaded", "rows_quarantined")} for d, v in validations.items()}
    return {**delivered, "quality": quality, "seconds": round(time.monotonic() - started, 1)}


def screen_bank(bank: str, run_date: str, snapshot_dir: str, settings: Settings | None = None) -> dict[str, Any]:
    """Stage, screen every shard and report one bank's night in this process; returns the counts
    and manifest URI (the same report as the DAG's sharded tasks produce)."""
    settings = settings or Settings.from_env()
    staged = stage_bank(bank, run_date, settings)
    hit_uris = [screen_shard(uri, snapshot_dir, settings) for uri in staged["shards"]]
    return report_bank(bank, run_date, snapshot_dir, hit_uris, settings)


# 3. The regulator's summary ------------------------------------------------------------------


def regulator_summary(
    run_date: str, banks: list[dict[str, Any]], failed: list[str], snapshot_meta: dict[str, Any]
) -> dict[str, Any]:
    """The regulator's cross-bank view of a night: hits per bank, list versions, run health and
    data quality — counts only, no party data."""
    per_bank = [
        {k: b.get(k) for k in (
            "bank", "parties_screened", "hits", "parties_with_hits", "alerts", "new", "changed", "cleared",
            "suppressed", "confirmed", "rows_quarantined", "decisions_accepted", "decisions_rejected",
            "quality", "seconds", "manifest",
        )}
        for b in banks
    ]
    return {
        "run_date": run_date,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "code_version": code_version(),
        "lists": {
            "snapshot_sha256": snapshot_meta.get("sha256"),
            "entries": snapshot_meta.get("entries"),
            "sources": [
                {k: s.get(k) for k in ("list_source", "file", "format", "sha256", "entries")}
                for s in snapshot_meta.get("sources", [])
            ],
        },
        "banks": per_bank,
        "totals": {
            k: sum(int(b.get(k) or 0) for b in banks)
            for k in ("parties_screened", "hits", "alerts", "new", "changed", "cleared", "rows_quarantined")
        },
        "health": {
            "banks_configured": len(banks) + len(failed),
            "banks_reported": len(banks),
            "slowest_bank_seconds": max((float(b.get("seconds") or 0) for b in banks), default=0.0),
        },
        "failed_banks": failed,
        "status": "complete" if not failed else "incomplete",
    }


def summarize_night(run_date: str, results: list[dict[str, Any]], settings: Settings | None = None) -> str:
    """Write the cross-bank summary; raise when any configured bank has no report tonight."""
    settings = settings or Settings.from_env()
    paths.check_run_date(run_date)
    done = {r["bank"]: r for r in results if r}
    configured = [b.id for b in settings.config.banks]
    failed = [b for b in configured if b not in done]
    snapshot_meta: dict[str, Any] = {}
    snap = settings.run_dir(run_date) / "watchlist" / SNAPSHOT_META
    if snap.exists():
        snapshot_meta = json.loads(snap.read_text(encoding="utf-8"))
    summary = regulator_summary(run_date, [done[b] for b in configured if b in done], failed, snapshot_meta)
    register = _register_status(settings, run_date)
    summary["register"] = register
    if register.get("error"):
        summary["status"] = "incomplete"
    body = json.dumps(summary, indent=2, sort_keys=True).encode("utf-8")
    local = settings.run_dir(run_date) / "summary.json"
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_bytes(body)
    reports = ObjectStore.open(settings, settings.config.buckets.reports)
    key = paths.regulator_prefix(run_date) + "summary.json"
    retrying(lambda: reports.put_bytes(key, body, "application/json"), f"put {reports.uri(key)}")
    notes = bank_notifications(settings, [done[b] for b in configured if b in done], run_date)
    write_notifications(settings.run_dir(run_date) / "notifications", notes)
    log.info("night %s: %d banks reported, failed: %s", run_date, len(done), failed or "none")
    if failed:
        raise InterdictError(f"night {run_date} incomplete: no report for {', '.join(failed)} (see task logs)")
    if register.get("error"):
        raise InterdictError(f"night {run_date} incomplete: the register could not be screened: {register['error']}")
    return reports.uri(key)


def _register_status(settings: Settings, run_date: str) -> dict[str, Any]:
    """The register step's outcome (written by pipelines.registry.nightly), if it ran."""
    work = ObjectStore.open(settings, settings.config.buckets.work)
    try:
        status: dict[str, Any] = json.loads(work.get_bytes(paths.register_status_key(run_date)))
    except ObjectNotFound:
        return {"delivered": None}
    return status
