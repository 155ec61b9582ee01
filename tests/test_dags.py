"""DAG integrity: every DAG imports cleanly, quickly, with tags, retries and no heavy imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = textwrap.dedent(
    """
    import json, sys, time
    started = time.monotonic()
    from airflow.dag_processing.dagbag import DagBag
    bag = DagBag(dag_folder=sys.argv[1])
    heavy = sorted(m for m in ("polars", "duckdb", "great_expectations", "rapidfuzz", "pipelines", "screening")
                   if m in sys.modules)
    out = {
        "errors": {k: str(v) for k, v in bag.import_errors.items()},
        "dags": {
            d.dag_id: {
                "tags": sorted(d.tags),
                "tasks": {
                    t.task_id: {"retries": t.retries, "trigger_rule": getattr(t.trigger_rule, "value", "")}
                    for t in d.tasks
                },
                "mapped": sorted(t.task_id for t in d.tasks if getattr(t, "is_mapped", False)),
                "catchup": d.catchup,
                "doc": bool(d.doc_md),
            }
            for d in bag.dags.values()
        },
        "heavy": heavy,
        "seconds": time.monotonic() - started,
    }
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The DAG folder as Airflow's DagBag sees it, parsed in a fresh interpreter."""
    home = tmp_path_factory.mktemp("airflow")
    env = dict(os.environ, AIRFLOW_HOME=str(home), AIRFLOW__CORE__LOAD_EXAMPLES="False")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "dags")], capture_output=True, text=True, env=env, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_dags_import_cleanly_with_tags_and_retries(parsed: dict[str, Any]) -> None:
    assert parsed["errors"] == {}
    assert "interdict_nightly" in parsed["dags"]
    for dag_id, dag in parsed["dags"].items():
        assert dag["tags"], f"{dag_id} has no tags"
        assert dag["doc"], f"{dag_id} has no documentation"
        assert dag["catchup"] is False
        retried = [t for t, info in dag["tasks"].items() if info["retries"] >= 1]
        assert retried, f"{dag_id} retries no task"


def test_nightly_dag_shape(parsed: dict[str, Any]) -> None:
    dag = parsed["dags"]["interdict_nightly"]
    tasks = dag["tasks"]
    assert set(tasks) >= {
        "prepare_watchlist", "banks", "stage_bank", "shards", "screen_shard", "hit_sets", "report_bank", "summarize"
    }
    # Work on a bank or a shard is retried: a killed worker must not lose the night.
    for step in ("stage_bank", "screen_shard", "report_bank"):
        assert tasks[step]["retries"] >= 1, step
    # The fan-in steps and the summary run even when a bank or a shard fails, so the other banks are
    # reported and the regulator sees which bank is missing.
    for step in ("shards", "hit_sets", "summarize"):
        assert tasks[step]["trigger_rule"] == "all_done", step
    assert set(dag["mapped"]) >= {"stage_bank", "screen_shard", "report_bank"}


def test_parsing_imports_nothing_heavy(parsed: dict[str, Any]) -> None:
    assert parsed["heavy"] == [], f"DAG files import {parsed['heavy']} at parse time"


def test_banks_come_from_the_configuration_when_the_night_runs(tmp_path: Path) -> None:
    """A bank added to the configuration is screened the next night: the DAG does not fix the
    banks at parse time, its ``banks`` task reads them when it runs."""
    import yaml

    config = tmp_path / "interdict.yml"
    raw = yaml.safe_load((ROOT / "infra" / "interdict.yml").read_text(encoding="utf-8"))
    raw["banks"].append({"id": "bank-new", "name": "New Bank"})
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    probe = textwrap.dedent(
        """
        import json, sys
        from airflow.dag_processing.dagbag import DagBag
        dag = DagBag(dag_folder=sys.argv[1]).dags["interdict_nightly"]
        print(json.dumps(dag.get_task("banks").python_callable()))
        """
    )
    env = dict(os.environ, AIRFLOW_HOME=str(tmp_path / "airflow"), AIRFLOW__CORE__LOAD_EXAMPLES="False",
               INTERDICT_CONFIG=str(config))
    done = subprocess.run([sys.executable, "-c", probe, str(ROOT / "dags")], capture_output=True, text=True,
                          env=env, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    banks = json.loads(done.stdout.strip().splitlines()[-1])
    assert banks[-1] == "bank-new"
    assert len(banks) == len(raw["banks"])
