"""How long one name takes: ``interdict check`` as a new process (first call, then with the
prepared lists cached) and ``POST /check`` on a running ``interdict serve``.

    .venv/bin/python benchmarks/bench_check.py --lists DIR [--repeat 5]

Each ``check`` is a whole command run (interpreter start, imports, cache load, screening, audit
line), timed from outside; the server is timed per request over loopback, after one warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

INTERDICT = str(Path(sys.executable).with_name("interdict"))
NAMES = ("Ayman al Zawahri", "Abu Bakr al-Bagdadi", "Kim Chol Namm", "Margaret Ellison", "Hezbolah")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_check(name: str, lists: Path, env: dict[str, str]) -> tuple[float, float, dict[str, object]]:
    """Wall-clock and CPU seconds of one whole ``interdict check`` command, and its answer."""
    started, cpu = time.perf_counter(), _children_cpu()
    out = subprocess.run(
        [INTERDICT, "check", name, "--lists", str(lists), "--json"],
        check=True, capture_output=True, text=True, env=env,
    ).stdout
    return time.perf_counter() - started, _children_cpu() - cpu, json.loads(out)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lists", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-check-"))
    env = {**os.environ, "INTERDICT_HOME": str(home)}

    print(f"load average before: {os.getloadavg()[0]:.1f}")
    first, first_cpu, answer = run_check(NAMES[0], args.lists, env)
    print(f"lists: {answer['lists']}, {answer['entries']} entries")
    print(f"interdict check, first call (normalises and caches the lists): {first:.2f} s wall, {first_cpu:.2f} s CPU")
    later, cpu, inside = [], [], []
    for i in range(args.repeat):
        seconds, used, answer = run_check(NAMES[i % len(NAMES)], args.lists, env)
        assert answer["cached"], "the later calls read the cache"
        later.append(seconds)
        cpu.append(used)
        inside.append(float(str(answer["seconds"])))
    print(f"interdict check, later calls: median {statistics.median(later):.2f} s wall "
          f"(min {min(later):.2f}, max {max(later):.2f}, n={len(later)}), median {statistics.median(cpu):.2f} s CPU; "
          f"inside the command (after imports) median {statistics.median(inside):.2f} s")

    port = free_port()
    server = subprocess.Popen(
        [INTERDICT, "serve", "--lists", str(args.lists), "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        timings = []
        for i in range(args.repeat * 4 + 1):
            body = json.dumps({"name": NAMES[i % len(NAMES)], "user": "bench"}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/check", data=body,
                                             headers={"Content-Type": "application/json"})
            started = time.perf_counter()
            urllib.request.urlopen(request, timeout=30).read()
            if i:
                timings.append(time.perf_counter() - started)
        print(f"POST /check on interdict serve: median {1000 * statistics.median(timings):.0f} ms "
              f"(min {1000 * min(timings):.0f}, max {1000 * max(timings):.0f}, n={len(timings)})")
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    audit = home / "audit" / "check.jsonl"
    print(f"audit lines written: {len(audit.read_text(encoding='utf-8').splitlines())}")


if __name__ == "__main__":
    main()
