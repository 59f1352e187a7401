"""Explain benchmarks: time per model family and overhead over shap, the first explanation in
a new process, and what the figures cost.

    python benchmarks/explain.py                       # every part
    python benchmarks/explain.py --part speed          # one part; its options after it
    python benchmarks/explain.py --quick               # every part on two or three models

Parts (``--part NAME --help`` lists a part's options):

- ``speed``: ``explain`` per model family at default settings, and its overhead over shap;
- ``cold-start``: the first explanation in a fresh process, empty and warm numba cache;
- ``plots``: what the figures cost, plots on against off (warm cache).

Run from the repository root: ``cold-start`` and ``plots`` start processes that import this
file for the data and the models.
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
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def _about(function: Callable[..., Any]) -> str:
    return (function.__doc__ or "").strip().splitlines()[0]


# -- speed part ---------------------------------------------------------------------------------

ROWS, FEATURES = 5000, 10


def data() -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(ROWS, FEATURES)),
                         columns=[f"f{i}" for i in range(FEATURES)])
    label = (frame["f3"] + 0.5 * rng.normal(size=ROWS) > 0).astype(int)
    return frame, label


def families() -> list[tuple[str, Any]]:
    from sklearn.ensemble import (
        ExtraTreesClassifier,
        GradientBoostingClassifier,
        HistGradientBoostingClassifier,
        RandomForestClassifier,
    )
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    return [
        ("DecisionTree", DecisionTreeClassifier(random_state=0)),
        ("RandomForest", RandomForestClassifier(random_state=0)),
        ("ExtraTrees", ExtraTreesClassifier(random_state=0)),
        ("GradientBoosting", GradientBoostingClassifier(random_state=0)),
        ("HistGradientBoosting", HistGradientBoostingClassifier(random_state=0)),
        ("LogisticRegression", LogisticRegression()),
        ("GaussianNB", GaussianNB()),
        ("KNeighbors", KNeighborsClassifier()),
        ("MLP", MLPClassifier(random_state=0)),
        ("SVC(probability)", SVC(probability=True, random_state=0)),
    ]


def direct_shap(model: Any, report: Any, sample: pd.DataFrame, background: pd.DataFrame,
                vectorised: bool = False, cached_link: bool = False) -> float:
    """Seconds for shap alone: same explainer, rows and background as the wrapper used.

    ``explainer(X)`` is the call shap documents; ``vectorised`` uses ``shap_values(X)`` of the
    exact explainers instead (the path the wrapper takes). ``cached_link`` gives the permutation
    explainer the wrapper's cacheable identity link (a numba ``cfunc``: compiled once per
    machine instead of once per process, but each kernel call pays ~6 us more to dispatch it),
    which separates the wrapper's own cost from that trade.
    """
    import shap

    method = report.metrics["method"]
    started = time.perf_counter()
    if method == "tree":
        explainer = shap.TreeExplainer(model)
        explainer.shap_values(sample) if vectorised else explainer(sample)
    elif method == "linear":
        masker = shap.maskers.Independent(background, max_samples=len(background))
        explainer = shap.LinearExplainer(model, masker)
        explainer.shap_values(sample) if vectorised else explainer(sample)
    else:
        back = background.to_numpy()[: report.metrics["background_rows"]]
        masker = shap.maskers.Independent(back, max_samples=len(back))
        link: dict[str, Any] = {}
        if cached_link:
            from mlsecops_jupyter.checks.explain.compiled import identity_link

            link = {"link": identity_link(), "linearize_link": False}
        explainer = shap.PermutationExplainer(model.predict_proba, masker, **link)
        explainer(sample.to_numpy(), max_evals=report.metrics["max_evals"], silent=True)
    return time.perf_counter() - started


def cpu_median(calls: list[Any], repeats: int) -> list[float]:
    """Median CPU seconds of each call, the calls alternated so machine drift hits all alike."""
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(repeats):
        for index, call in enumerate(calls):
            started = time.process_time()
            call()
            times[index].append(time.process_time() - started)
    return [float(np.median(t)) for t in times]


PINNED_ROWS = {"tree": 1000, "linear": 1000, "permutation": 100}
SLOW_TREES = ("RandomForest", "ExtraTrees")


def main_speed(argv: list[str] | None = None) -> None:
    """Time of ``explain`` per model family, and its overhead over calling shap directly.

    One run, side by side, on the same data: 5,000 rows x 10 features (one informative), every
    model at scikit-learn default settings, ``explain`` at default settings (1,000-row sample,
    100-row background, 6 s budget). For the overhead, ``explain`` and shap are given the SAME
    rows (X is a drawn sample, explained whole) and shap is called with the same explainer and
    background (and, for permutation, the same max_evals the wrapper settled on), plots off on
    both sides; plots are timed separately. A last column times ``explain`` drawing that sample
    itself from the 5,000-row frame (its seeded sampling, which a direct shap user would write
    too). The first permutation call in a process compiles shap's numba kernels; that one-time cost
    is measured and reported apart.

    Usage: ``python benchmarks/explain.py --part speed [--models GradientBoosting,GaussianNB]``
    (prints Markdown tables).
    """
    from mlsecops_jupyter.checks.explain import explain
    from mlsecops_jupyter.checks.explain.inputs import _sample_positions
    from mlsecops_jupyter.core import Settings

    parser = argparse.ArgumentParser(description=_about(main_speed))
    parser.add_argument("--models", help="comma-separated model names (default: all)")
    args = parser.parse_args(argv)
    wanted = set(args.models.split(",")) if args.models else None
    warnings.simplefilter("ignore")
    frame, label = data()
    defaults = Settings()
    # no budget reductions: the wrapper and shap do the same work on the same rows
    pinned = defaults.override({"explain.plots": False, "explain.time_budget_s": 1e6})
    with open("/proc/loadavg") as handle:
        print(f"load average at start: {' '.join(handle.read().split()[:3])}\n")
    default_rows, overhead_rows = [], []
    for name, model in families():
        if wanted is not None and name not in wanted:
            continue
        model.fit(frame, label)
        started = time.perf_counter()
        report = explain(model, frame, settings=defaults)
        for figure in report.figures:  # shap's figures are drawn when shown: draw them here
            figure.data  # noqa: B018
        with_plots = time.perf_counter() - started
        warmup = report.metrics.get("warmup_s", 0.0)
        note = f" (+{warmup:.1f} s numba compile)" if warmup > 1 else ""
        evals = report.metrics.get("max_evals", "-")
        default_rows.append(
            f"| {name} | {report.metrics['explainer']} | {report.metrics['rows_explained']} | "
            f"{evals} / {report.metrics.get('background_rows', '-')} | "
            f"{with_plots - warmup:.2f}{note} |")

        rows = PINNED_ROWS[report.metrics["method"]]
        if name in SLOW_TREES:  # unlimited-depth forests: ~25-75 ms per row in TreeSHAP
            rows = 200
        # both sides get the same rows: X is the drawn sample itself, so the wrapper explains
        # all of it, and its background is the one the wrapper draws from X (seed + 1)
        sample = frame.iloc[_sample_positions(len(frame), rows, 0, None)]
        background = sample.iloc[_sample_positions(len(sample), 100, 1, None)]
        bare = explain(model, sample, settings=pinned)
        # short runs need many alternated repeats: a 5 % difference is ~2 ms at 36 ms
        repeats = 41 if bare.elapsed_s < 0.1 else 7 if bare.elapsed_s < 1 else 3
        calls = [lambda model=model, sample=sample: explain(model, sample, settings=pinned),
                 lambda model=model, sample=sample, bare=bare, background=background:
                 direct_shap(model, bare, sample, background)]
        calls.append(lambda model=model, rows=rows: explain(model, frame, sample=rows,
                                                             settings=pinned))
        exact = bare.metrics["method"] in ("tree", "linear")
        if exact:
            calls.append(lambda model=model, sample=sample, bare=bare, background=background:
                         direct_shap(model, bare, sample, background, vectorised=True))
        else:
            calls.append(lambda model=model, sample=sample, bare=bare, background=background:
                         direct_shap(model, bare, sample, background, cached_link=True))
        whole, direct, drawing, other = cpu_median(calls, repeats)
        vectorised = [other] if exact else []
        same_link = "-" if exact else f"{other:.4f} ({(whole - other) / other:+.1%})"
        fastest = f"{vectorised[0]:.4f}" if vectorised else "-"
        fastest_s = min([direct, *vectorised])
        overhead_rows.append(
            f"| {name} | {bare.metrics['explainer']} | {bare.metrics['rows_explained']} | "
            f"{bare.metrics.get('max_evals', '-')} / {bare.metrics.get('background_rows', '-')} | "
            f"{whole:.4f} | {direct:.4f} | {(whole - direct) / direct:+.1%} | {fastest} | "
            f"{1000 * (whole - fastest_s):+.1f} ({(whole - fastest_s) / fastest_s:+.1%}) | "
            f"{drawing:.4f} | {same_link} |")
        print(default_rows[-1], overhead_rows[-1], sep="\n", flush=True)
    print("\n| model | explainer | rows explained | max_evals / background | explain (default "
          "settings, with plots) s |")
    print("|---|---|---:|---|---:|")
    print("\n".join(default_rows))
    print("\n| model | explainer | rows | max_evals / background | explain, CPU s | shap "
          "`explainer(X)`, CPU s | overhead | shap `shap_values(X)`, CPU s | explain minus the "
          f"fastest shap call, ms (%) | explain drawing the sample from {ROWS:,} rows, CPU s | "
          "shap `explainer(X)` with the wrapper's cached link, CPU s (explain's overhead) |")
    print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(overhead_rows))

# -- cold-start and plots parts -----------------------------------------------------------------

FAMILIES = ("GaussianNB", "KNeighbors", "MLP", "SVC(probability)", "RandomForest",
            "LogisticRegression")

CHILD = textwrap.dedent("""
    import json, resource, sys, time, warnings
    warnings.simplefilter("ignore")
    sys.path.insert(0, "benchmarks")
    from explain import data, families
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


def plot_cost(repeat: int, names: tuple[str, ...] = FAMILIES) -> None:
    """Per family (warm numba cache): CPU with plots off and on, whole process and explain."""
    print(f"| model | explainer | whole process: plots off CPU s | on | ratio | explain + HTML: "
          f"off CPU s | on | ratio (best of {repeat}) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name in names:
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


def _families(argv: list[str] | None, about: str, repeat: bool) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=about)
    parser.add_argument("--models", default=",".join(FAMILIES),
                        help="comma-separated model names (default: %(default)s)")
    if repeat:
        parser.add_argument("--repeat", type=int, default=3)
    return parser.parse_args(argv)


def main_plots(argv: list[str] | None = None) -> None:
    """What the figures cost: per family (warm numba cache), plots on against off.

    The same process with ``explain.plots`` on and off, figures drawn as the notebook shows them
    (the report's HTML; shap's beeswarm and waterfall are drawn lazily, on display), best of
    ``--repeat``.
    """
    args = _families(argv, _about(main_plots), repeat=True)
    plot_cost(args.repeat, tuple(args.models.split(",")))


def main_cold_start(argv: list[str] | None = None) -> None:
    """The first explanation in a NEW process: ``explain`` end to end, plots included.

    The issue's bar is a global explanation of any scikit-learn model at default settings within
    10 s. The permutation explainer's numba kernels make the first call of a process the slow
    one, so each measurement here is a fresh interpreter that imports, fits (not timed) and
    calls ``explain(model, X)`` once. Two states of numba's on-disk cache are measured, in this
    order:

    - ``empty cache``: a new, empty ``NUMBA_CACHE_DIR`` - the first explanation ever on a
      machine;
    - ``warm cache``: the same folder again - every later process (``explain.compile_cache``).

    Wall time is what the user waits; CPU time (user + system of the process) is the steadier
    number on a shared machine. Run from the repository root (the child processes import this
    file from ``benchmarks/``).
    """
    args = _families(argv, _about(main_cold_start), repeat=False)
    with open("/proc/loadavg") as handle:
        load = handle.read().split()[:3]
    print(f"load average at start: {' '.join(load)} on {os.cpu_count()} cores\n")
    print("| model | explainer | empty cache: wall s | CPU s | of which warm-up s | rows | "
          "warm cache: wall s | CPU s | warm-up s | rows |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.models.split(","):
        with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache_dir:
            cold = measure(name, cache_dir)
            warm = measure(name, cache_dir)
        print(f"| {name} | {cold['explainer']} | {cold['wall']:.2f} | {cold['cpu']:.2f} | "
              f"{cold['warmup']:.2f} | {cold['rows']} | {warm['wall']:.2f} | {warm['cpu']:.2f} | "
              f"{warm['warmup']:.2f} | {warm['rows']} |", flush=True)


if __name__ == "__main__":
    # the runner is imported here: the child processes import this module for data and families
    from runners import Part, run_parts

    raise SystemExit(run_parts(__doc__ or "", {
        "speed": Part(main_speed, _about(main_speed), ("--models", "GaussianNB,DecisionTree")),
        "cold-start": Part(main_cold_start, _about(main_cold_start),
                           ("--models", "GaussianNB,LogisticRegression")),
        "plots": Part(main_plots, _about(main_plots),
                      ("--models", "GaussianNB", "--repeat", "1")),
    }))
