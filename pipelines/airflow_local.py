"""Running the nightly DAG locally: Airflow 3 with SQLite metadata under ``$INTERDICT_HOME/airflow``,
driven by ``airflow dags test`` (in-process, no scheduler needed), or by a scheduler with the
LocalExecutor running tasks in parallel (:class:`LocalAirflow`, used by the benchmarks)."""

from __future__ import annotations

import logging
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.errors import InterdictError
from pipelines.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

DAG_ID = "interdict_nightly"


def airflow_env(settings: Settings, *, retry_delay_seconds: int | None = None) -> dict[str, str]:
    home = settings.home / "airflow"
    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT": "120",
        "GX_ANALYTICS_ENABLED": "false",
        "INTERDICT_HOME": str(settings.home),
    })
    if settings.s3_endpoint:
        env["INTERDICT_S3_ENDPOINT"] = settings.s3_endpoint
    if retry_delay_seconds is not None:
        env["INTERDICT_RETRY_DELAY_SECONDS"] = str(retry_delay_seconds)
    return env


def _airflow() -> str:
    beside = Path(sys.executable).parent / "airflow"
    return str(beside) if beside.exists() else "airflow"


def init_db(settings: Settings) -> None:
    """Create or upgrade the SQLite metadata database (quick when it is current)."""
    env = airflow_env(settings)
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    done = subprocess.run([_airflow(), "db", "migrate"], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise InterdictError(f"airflow db migrate failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def run_night(settings: Settings, run_date: str, *, retry_delay_seconds: int | None = None,
              log_file: Path | None = None) -> int:
    """``airflow dags test interdict_nightly RUN_DATE``; returns its exit code."""
    env = airflow_env(settings, retry_delay_seconds=retry_delay_seconds)
    cmd = [_airflow(), "dags", "test", DAG_ID, run_date]
    log.info("running %s", " ".join(cmd))
    if log_file is None:
        return subprocess.run(cmd, env=env).returncode
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("w") as handle:
        return subprocess.run(cmd, env=env, stdout=handle, stderr=subprocess.STDOUT).returncode


# LocalExecutor: scheduler, API server (task execution API) and DAG processor on loopback ----------


@dataclass(frozen=True)
class TaskRun:
    """One task instance of a finished DAG run, from the metadata database."""

    task_id: str
    map_index: int
    state: str
    try_number: int
    seconds: float


@dataclass(frozen=True)
class NightRun:
    run_id: str
    state: str
    seconds: float
    tasks: list[TaskRun]


def local_executor_env(settings: Settings, *, port: int, parallelism: int,
                       retry_delay_seconds: int | None = None) -> dict[str, str]:
    """``airflow_env`` plus what the separate Airflow 3 components need to run tasks in parallel.

    SQLite metadata is accepted with the LocalExecutor by Airflow 3.3 (the SequentialExecutor and
    its SQLite-only rule are gone); production uses Postgres (``infra/helm``).
    """
    env = airflow_env(settings, retry_delay_seconds=retry_delay_seconds)
    home = Path(env["AIRFLOW_HOME"])
    secret_file = home / "jwt-secret"
    if not secret_file.exists():
        home.mkdir(parents=True, exist_ok=True)
        secret_file.write_text(secrets.token_hex(32))
    env.update({
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": str(parallelism),
        "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": str(parallelism),
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        # Only the nights asked for: no scheduled run of "today" competing with them.
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API_AUTH__JWT_SECRET": secret_file.read_text().strip(),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "10",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
    })
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalAirflow:
    """The Airflow 3 components a LocalExecutor needs, as child processes on loopback::

        with LocalAirflow(settings, parallelism=2) as airflow:
            night = airflow.run_night("2026-11-24")
    """

    COMPONENTS = (("api-server", ["api-server", "--workers", "1"]), ("dag-processor", ["dag-processor"]),
                  ("scheduler", ["scheduler"]))

    def __init__(self, settings: Settings, *, parallelism: int = 2, retry_delay_seconds: int | None = None) -> None:
        self.settings = settings
        self.port = _free_port()
        self.env = local_executor_env(settings, port=self.port, parallelism=parallelism,
                                      retry_delay_seconds=retry_delay_seconds)
        self.home = Path(self.env["AIRFLOW_HOME"])
        self.procs: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> LocalAirflow:
        init_db(self.settings)
        logs = self.home / "components"
        logs.mkdir(parents=True, exist_ok=True)
        for name, args in self.COMPONENTS:
            with (logs / f"{name}.log").open("ab") as handle:
                self.procs.append(subprocess.Popen(
                    [_airflow(), *args], env=self.env, stdout=handle, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, start_new_session=True,
                ))
        self._wait(lambda: self._dag_parsed(), 180, "the DAG processor to parse interdict_nightly")
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def _wait(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            dead = [p.args for p in self.procs if p.poll() is not None]
            if dead:
                raise InterdictError(f"Airflow component exited: {dead}; see {self.home / 'components'}")
            if time.monotonic() > deadline:
                raise InterdictError(f"timed out after {timeout:.0f}s waiting for {what}")
            time.sleep(1)

    def _query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(self.home / "airflow.db", timeout=30)) as con:
            return list(con.execute(sql, params).fetchall())

    def _dag_parsed(self) -> bool:
        return bool(self._query("SELECT 1 FROM serialized_dag WHERE dag_id = ?", DAG_ID))

    def run_night(self, run_date: str, timeout: float = 6 * 3600) -> NightRun:
        """Trigger the night for ``run_date`` and wait until it finishes."""
        logical = f"{run_date}T00:00:00+00:00"
        started = time.monotonic()
        earlier = self._query(
            "SELECT run_id FROM dag_run WHERE dag_id = ? AND logical_date LIKE ?", DAG_ID, f"{run_date} 00:00:00%",
        )
        if earlier:
            # One run per logical date: a night run again is its earlier run cleared and re-run.
            run_id = str(earlier[0][0])
            command = [_airflow(), "tasks", "clear", DAG_ID, "--start-date", logical, "--end-date", logical, "--yes"]
        else:
            run_id = f"local__{run_date}__{time.time_ns()}"
            command = [_airflow(), "dags", "trigger", DAG_ID, "--run-id", run_id, "--logical-date", logical]
        done = subprocess.run(command, env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise InterdictError(f"{' '.join(command[1:4])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        self._wait(lambda: self._run_state(run_id) not in ("success", "failed"), 60, f"run {run_id} to start")
        finished = ("success", "failed")
        self._wait(lambda: self._run_state(run_id) in finished, timeout, f"run {run_id}")
        rows = self._query(
            "SELECT task_id, map_index, state, try_number, "
            "(julianday(end_date) - julianday(start_date)) * 86400.0 FROM task_instance "
            "WHERE dag_id = ? AND run_id = ? ORDER BY start_date", DAG_ID, run_id,
        )
        tasks = [TaskRun(r[0], int(r[1]), str(r[2]), int(r[3] or 0), float(r[4] or 0.0)) for r in rows]
        return NightRun(run_id, self._run_state(run_id), time.monotonic() - started, tasks)

    def _run_state(self, run_id: str) -> str:
        rows = self._query("SELECT state FROM dag_run WHERE dag_id = ? AND run_id = ?", DAG_ID, run_id)
        return str(rows[0][0]) if rows else "none"

    def task_logs(self, run_id: str) -> dict[tuple[str, int], str]:
        """Each task instance's last log, by (task_id, map_index)."""
        out: dict[tuple[str, int], str] = {}
        base = self.home / "logs" / f"dag_id={DAG_ID}" / f"run_id={run_id}"
        attempt = re.compile(r"attempt=(\d+)")
        for path in sorted(base.glob("task_id=*/**/attempt=*.log"), key=lambda p: int(attempt.findall(str(p))[-1])):
            task_id = next(p.split("=", 1)[1] for p in path.parts if p.startswith("task_id="))
            index = next((int(p.split("=", 1)[1]) for p in path.parts if p.startswith("map_index=")), -1)
            out[(task_id, index)] = path.read_text(errors="replace")
        return out
