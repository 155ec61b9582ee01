"""Running the nightly DAG locally: Airflow 3 with SQLite metadata under ``$INTERDICT_HOME/airflow``,
driven by ``airflow dags test`` (in-process, no scheduler needed)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

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
