"""
### Interdict — nightly sanctions screening

For the run date (the logical date, UTC):

1. **prepare_watchlist** parses the configured official list files into one snapshot for the night.
2. **screen_register** screens the company register landed for the night (companies, officers,
   persons with significant control), applies the 50 percent ownership rule, publishes the flags to
   `s3://<reports>/regulator/<run date>/register/`, and adds the flagged companies to the night's
   watchlist, so that customers and counterparties that are flagged companies alert too. A register
   that cannot be used leaves the lists alone in force and fails the night at the summary.
3. **banks** reads the configured reporting banks (a bank added to the configuration is screened
   from the next night on).
4. **stage_bank**, one mapped task per bank: fetch the bank's landed extracts, validate them with
   Great Expectations (failing rows quarantined with the reason), stage them in DuckDB and write the
   clean parties as Parquet shards of about `shard_parties` parties to `s3://<work>/<run date>/<bank>/`.
5. **screen_shard**, one mapped task per (bank, shard) on any worker: screen the shard, write its hits
   beside it. A retried shard overwrites its own hits, nothing else.
6. **report_bank**, one mapped task per bank whose shards all succeeded: merge the hit shards (the
   report is byte-identical whatever the shard count) and publish it to
   `s3://<reports>/<bank>/<run date>/` with `manifest.json` last.
7. **summarize** writes the regulator's cross-bank summary even when a bank failed, then fails the
   run if any bank has no report; it also writes each bank's notification with time-limited links.
8. **cleanup** deletes nights older than `retention_days` (infra/interdict.yml), whatever the
   night's outcome.

Bad input (a missing column, an unreadable file) fails only that bank's task, without retries,
with a message naming the file and the problem. Transient failures (object store, a killed
worker) are retried.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import CronTriggerTimetable, dag, get_current_context, task

RETRIES = int(os.environ.get("INTERDICT_RETRIES", "2"))
RETRY_DELAY = timedelta(seconds=int(os.environ.get("INTERDICT_RETRY_DELAY_SECONDS", "300")))


def _run_date() -> str:
    logical = get_current_context()["logical_date"]
    return str(logical.in_timezone("UTC").date().isoformat())


def _log_peak_memory() -> None:
    """Log the task process's peak resident memory (Linux VmHWM), for capacity planning."""
    import logging

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            peak = next((line.split()[1] for line in status if line.startswith("VmHWM:")), None)
    except OSError:
        return
    if peak is not None:
        logging.getLogger("interdict.capacity").info("peak_rss_kb=%s", peak)


def _terminal(exc: Exception) -> Exception:
    """Bad input or configuration fails the task at once; only transient errors are retried."""
    from airflow.sdk.exceptions import AirflowFailException

    from pipelines.errors import InterdictError

    if isinstance(exc, InterdictError) and not exc.transient:
        return AirflowFailException(str(exc))
    return exc


@dag(
    dag_id="interdict_nightly",
    schedule=CronTriggerTimetable("0 2 * * *", timezone="UTC"),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=3,
    default_args={
        "owner": "interdict",
        "retries": RETRIES,
        "retry_delay": RETRY_DELAY,
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=30),
    },
    tags=["interdict", "screening", "sanctions"],
    doc_md=__doc__,
)
def interdict_nightly() -> None:
    @task
    def prepare_watchlist() -> str:
        from pipelines.nightly import prepare_watchlist as step

        try:
            return step(_run_date())
        except Exception as exc:
            raise _terminal(exc) from exc

    @task
    def screen_register(lists: str) -> str:
        """The register: ownership flags published to the regulator; flagged companies join the
        watchlist the banks are screened against."""
        from pipelines.registry.nightly import screen_registry_night as step

        try:
            return step(_run_date(), lists)
        except Exception as exc:
            raise _terminal(exc) from exc
        finally:
            _log_peak_memory()

    @task
    def banks() -> list[str]:
        from pipelines.settings import Settings

        return [b.id for b in Settings.from_env().config.banks]

    @task(map_index_template="{{ task.op_kwargs['bank'] }}")
    def stage_bank(bank: str) -> dict[str, Any]:
        from pipelines.nightly import stage_bank as step

        try:
            return step(bank, _run_date())
        except Exception as exc:
            raise _terminal(exc) from exc
        finally:
            _log_peak_memory()

    @task(trigger_rule="all_done", retries=0)
    def shards(staged: list[dict[str, Any]]) -> list[str]:
        """Every staged bank's shard URIs, one list for the mapping (failed banks drop out)."""
        return [uri for bank in staged if bank for uri in bank["shards"]]

    @task(map_index_template="{{ task.op_kwargs['shard_uri'].split('/')[-3] }}/"
                             "{{ task.op_kwargs['shard_uri'].split('/')[-1].removesuffix('.parquet') }}")
    def screen_shard(shard_uri: str, snapshot: str) -> str:
        from pipelines.nightly import screen_shard as step

        try:
            return step(shard_uri, snapshot)
        except Exception as exc:
            raise _terminal(exc) from exc
        finally:
            _log_peak_memory()

    @task(trigger_rule="all_done", retries=0)
    def hit_sets(staged: list[dict[str, Any]], hits: list[str]) -> list[dict[str, Any]]:
        """Per bank whose every shard was screened: its hit shard URIs (a bank missing one drops out)."""
        done = [uri for uri in hits if uri]
        out = []
        for bank in (b for b in staged if b):
            mine = sorted(u for u in done if u.split("/")[-3] == bank["bank"])
            if len(mine) == len(bank["shards"]):
                out.append({"bank": bank["bank"], "hit_uris": mine})
        return out

    @task(map_index_template="{{ task.op_kwargs['bank'] }}")
    def report_bank(bank: str, hit_uris: list[str], snapshot: str) -> dict[str, Any]:
        from pipelines.nightly import report_bank as step

        try:
            return step(bank, _run_date(), snapshot, hit_uris)
        except Exception as exc:
            raise _terminal(exc) from exc
        finally:
            _log_peak_memory()

    @task(trigger_rule="all_done", retries=0)
    def summarize(results: list[dict[str, Any]]) -> str:
        from pipelines.nightly import summarize_night

        try:
            return summarize_night(_run_date(), [r for r in results if r])
        except Exception as exc:
            raise _terminal(exc) from exc

    @task(trigger_rule="all_done")
    def cleanup() -> dict[str, Any]:
        """Delete nights older than ``retention_days`` (reports, extracts, work files)."""
        from pipelines.delivery.retention import cleanup_expired

        try:
            return cleanup_expired(_run_date())
        except Exception as exc:
            raise _terminal(exc) from exc

    snapshot = screen_register(prepare_watchlist())
    staged = stage_bank.expand(bank=banks())
    hits = screen_shard.partial(snapshot=snapshot).expand(shard_uri=shards(staged))
    results = report_bank.partial(snapshot=snapshot).expand_kwargs(hit_sets(staged, hits))
    summarize(results) >> cleanup()


interdict_nightly()
