"""The first explanation in a NEW process: ``explain`` end to end, plots included.

The issue's bar is a global explanation of any scikit-learn model at default settings within
10 s. The permutation explainer's numba kernels make the first call of a process the slow one,
so each measurement here is a fresh interpreter that imports, fits (not timed) and calls
``explain(model, X)`` once. Two states of numba's on-disk cache are measured, in this order:

- ``empty cache``: a new, empty ``NUMBA_CACHE_DIR`` - the first explanation ever on a machine;
- ``warm cache``: the same folder again - every later process (``explain.compile_cache``).

Wall time is what the user waits; CPU time (user + system of the process) is the steadier
number on a shared machine. Usage: ``python benchmarks/explain_cold_start.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap

FAMILIES = ("GaussianNB", "KNeighbors", "MLP", "SVC(probability)", "RandomForest",
            "LogisticRegression")

CHILD = textwrap.dedent("""
    import json, resource, sys, time, warnings
    warnings.simplefilter("ignore")
    sys.path.insert(0, "benchmarks")
    from explain_speed import data, families
    name = sys.argv[1]
    frame, label = data()
    model = dict(families())[name].fit(frame, label)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    from mlsecops_jupyter.checks.explain import explain
    report = explain(model, frame)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({"wall": wall, "cpu": cpu, "rows": report.metrics["rows_explained"],
                      "explainer": report.metrics["explainer"],
                      "warmup": report.metrics.get("warmup_s", 0.0)}))
""")


def measure(name: str, cache_dir: str) -> dict[str, float]:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    done = subprocess.run([sys.executable, "-c", CHILD, name], env=env, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    with open("/proc/loadavg") as handle:
        load = handle.read().split()[:3]
    print(f"load average at start: {' '.join(load)} on {os.cpu_count()} cores\n")
    print("| model | explainer | empty cache: wall s | CPU s | of which warm-up s | rows | "
          "warm cache: wall s | CPU s | warm-up s | rows |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in FAMILIES:
        with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache_dir:
            cold = measure(name, cache_dir)
            warm = measure(name, cache_dir)
        print(f"| {name} | {cold['explainer']} | {cold['wall']:.2f} | {cold['cpu']:.2f} | "
              f"{cold['warmup']:.2f} | {cold['rows']} | {warm['wall']:.2f} | {warm['cpu']:.2f} | "
              f"{warm['warmup']:.2f} | {warm['rows']} |", flush=True)


if __name__ == "__main__":
    main()
