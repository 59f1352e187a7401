"""The first explanation in a NEW process: ``explain`` end to end, plots included.

The issue's bar is a global explanation of any scikit-learn model at default settings within
10 s. The permutation explainer's numba kernels make the first call of a process the slow one,
so each measurement here is a fresh interpreter that imports, fits (not timed) and calls
``explain(model, X)`` once. Two states of numba's on-disk cache are measured, in this order:

- ``empty cache``: a new, empty ``NUMBA_CACHE_DIR`` - the first explanation ever on a machine;
- ``warm cache``: the same folder again - every later process (``explain.compile_cache``).

Wall time is what the user waits; CPU time (user + system of the process) is the steadier
number on a shared machine. Usage: ``python benchmarks/explain_cold_start.py``.

``--plots`` measures what the figures cost instead: per family, with a warm cache, the same
process with ``explain.plots`` on and off, figures drawn as the notebook shows them (the report's
HTML; shap's beeswarm and waterfall are drawn lazily, on display), best of ``--repeat``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
    name, plots = sys.argv[1], sys.argv[2] == "on"
    frame, label = data()
    model = dict(families())[name].fit(frame, label)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    from mlsecops_jupyter.checks.explain import explain
    from mlsecops_jupyter.core import Settings
    from mlsecops_jupyter.display import render_html
    report = explain(model, frame, settings=Settings().override({"explain.plots": plots}))
    render_html(report)  # as the notebook shows it: the lazy figures are drawn here
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({"wall": wall, "cpu": cpu, "rows": report.metrics["rows_explained"],
                      "explainer": report.metrics["explainer"],
                      "warmup": report.metrics.get("warmup_s", 0.0)}))
""")


def measure(name: str, cache_dir: str, plots: str = "on") -> dict[str, float]:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-c", CHILD, name, plots], env=env,
                          capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    measured: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    measured["process"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return measured


def plot_cost(repeat: int) -> None:
    """Per family (warm numba cache): CPU with plots off and on, whole process and explain."""
    print(f"| model | explainer | whole process: plots off CPU s | on | ratio | explain + HTML: "
          f"off CPU s | on | ratio (best of {repeat}) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name in FAMILIES:
        with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache_dir:
            measure(name, cache_dir)  # fill the cache: the cold start is measured without --plots
            runs: dict[str, list[dict[str, float]]] = {"off": [], "on": []}
            for _ in range(repeat):
                for plots in ("off", "on"):
                    runs[plots].append(measure(name, cache_dir, plots))
        best = {k: {m: min(r[m] for r in v) for m in ("process", "cpu")} for k, v in runs.items()}
        print(f"| {name} | {runs['on'][0]['explainer']} | {best['off']['process']:.2f} | "
              f"{best['on']['process']:.2f} | "
              f"{best['on']['process'] / best['off']['process']:.2f}x | "
              f"{best['off']['cpu']:.2f} | {best['on']['cpu']:.2f} | "
              f"{best['on']['cpu'] / best['off']['cpu']:.2f}x |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plots", action="store_true",
                        help="measure what the figures cost (plots on vs off, warm cache)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.plots:
        plot_cost(args.repeat)
        return
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
