"""Parse time and peak memory for every list file in the shared reference data.

Each publication is parsed in a fresh process so its peak resident memory is its own:
``peak RSS`` is the process maximum, ``baseline`` the same process after imports, before parsing;
the parse time is the fastest of ``--repeat`` runs (default one: a cold parse).

    .venv/bin/python benchmarks/bench_lists.py [--data ../shared/data/lists] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_one(target: Path, repeat: int) -> dict[str, object]:
    from pipelines.lists import load_directory, load_files

    baseline = _rss_mb()
    times = []
    loaded = None
    for _ in range(repeat):
        started = time.perf_counter()
        loaded = load_directory(target) if target.is_dir() else load_files([target])
        times.append(time.perf_counter() - started)
    assert loaded is not None
    size = sum(p.stat().st_size for p in ([target] if target.is_file() else target.iterdir()))
    return {
        "target": str(target),
        "bytes": size,
        "entries": len(loaded.watchlist),
        "names": loaded.watchlist.names.height,
        "seconds": min(times),
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(_rss_mb(), 1),
    }


def targets(data: Path) -> list[Path]:
    """Every publication: OFAC legacy CSV sets as one folder, every other list file alone."""
    out: list[Path] = []
    from pipelines.lists.detect import SKIP, detect_file

    for path in sorted(data.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        fmt = detect_file(path)
        if fmt is None or fmt == SKIP or fmt == "os-delta-json":
            continue
        if fmt.startswith("ofac-csv:"):
            if path.parent not in out:
                out.append(path.parent)
            continue
        out.append(path)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "lists")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.repeat)))
        return 0
    rows = []
    for target in targets(args.data):
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(target), "--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    header = "| file | size | entries | names | parse time | peak RSS (baseline) |"
    print(header)
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        name = str(Path(str(r["target"])).relative_to(args.data))
        print(
            f"| {name} | {int(r['bytes']) / 1e6:.2f} MB | {r['entries']} | {r['names']} | "
            f"{float(r['seconds']):.3f} s | {r['peak_mb']} MB ({r['baseline_mb']} MB) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
