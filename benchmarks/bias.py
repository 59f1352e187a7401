"""Bias check speed: check_bias against fairlearn's MetricFrame, and what its figures cost.

    python benchmarks/bias.py                        # every part
    python benchmarks/bias.py --part speed           # 1,000,000 rows x 3 sensitive features
    python benchmarks/bias.py --part speed --rows 100000
    python benchmarks/bias.py --part figures         # what the figures cost, as users run it
    python benchmarks/bias.py --quick                # every part on 20,000 rows, once

``speed``: both compute the same 5 metrics (selection rate, TPR, FPR, accuracy, precision) per
group of each of 3 sensitive features; the values are asserted equal (1e-9) before any time is
printed. Ours does more in the measured call: the other group rates, the intersection of the three
features, every disparity and 1,000 bootstrap replicates; figures are off (they are not metrics).
Times are process CPU seconds (``time.process_time``), best of ``--repeat`` runs.

``figures`` measures the check the way a user runs it instead: each run is a whole fresh
process at default settings (figures on, 1,000 bootstrap replicates) that makes the data, calls
``check_bias`` and renders the report as the notebook shows it (its HTML, figures drawn),
against the same process with ``bias.figures`` off. Reported: the CPU time of the whole process
(interpreter, imports, data, check, HTML; ``resource.getrusage`` of the child) and of the
check + HTML alone (``time.process_time`` inside the child), best of ``--repeat``.
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
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from fairlearn import metrics as fm
from sklearn.metrics import accuracy_score, precision_score

from mlsecops_jupyter.checks.fairness import check_bias
from mlsecops_jupyter.core import Settings

METRICS = {
    "selection_rate": fm.selection_rate,
    "true_positive_rate": fm.true_positive_rate,
    "false_positive_rate": fm.false_positive_rate,
    "accuracy": accuracy_score,
    "precision": partial(precision_score, zero_division=0),
}
TARGET_SPEEDUP = 30.0
TARGET_FIGURE_RATIO = 1.5  # a check with its figures within 1.5x of the check without them

# one user run: fresh interpreter, data, check_bias at defaults (or figures off), HTML as shown
FIGURE_CHILD = textwrap.dedent("""
    import json, sys, time
    sys.path.insert(0, sys.argv[1])
    from bias import make_data
    from mlsecops_jupyter.checks.fairness import check_bias
    from mlsecops_jupyter.core import Settings
    from mlsecops_jupyter.display import render_html
    data = make_data(int(sys.argv[2]))
    settings = Settings() if sys.argv[3] == "on" else Settings().override({"bias.figures": False})
    started = time.process_time()
    report = check_bias(data.y_true, data.y_pred, data[["sex", "race", "age"]],
                        settings=settings)
    html = render_html(report)
    check_s = time.process_time() - started
    kinds = sorted({getattr(f, "mime", "image/png").split("/")[1] for f in report.figures})
    print(json.dumps({"check_s": check_s, "figures": len(report.figures), "kinds": kinds,
                      "html_bytes": len(html), "matplotlib": "matplotlib" in sys.modules}))
""")


def make_data(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["F", "M"], rows)
    race = rng.choice(["asian", "black", "hispanic", "other", "white"], rows)
    age = rng.choice(["18-25", "26-35", "36-45", "46-55", "56-65", "65+"], rows)
    y_true = (rng.random(rows) < 0.35).astype(np.int64)
    lift = np.where(sex == "M", 0.1, 0.0) + np.where(race == "black", -0.08, 0.0)
    y_pred = (rng.random(rows) < 0.2 + 0.5 * y_true + lift).astype(np.int64)
    return pd.DataFrame({"sex": sex, "race": race, "age": age, "y_true": y_true,
                         "y_pred": y_pred})


def run_fairlearn(data: pd.DataFrame) -> dict[str, pd.DataFrame]:
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for feature in ("sex", "race", "age"):
            frame = fm.MetricFrame(metrics=METRICS, y_true=data.y_true, y_pred=data.y_pred,
                                   sensitive_features=data[feature])
            out[feature] = frame.by_group
    return out


def run_ours(data: pd.DataFrame) -> dict[str, Any]:
    settings = Settings().override({"bias.figures": False})
    report = check_bias(data.y_true, data.y_pred, data[["sex", "race", "age"]],
                        settings=settings)
    return report.metrics["by_group"]


def best_cpu(function: Any, data: pd.DataFrame, repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.process_time()
        result = function(data)
        best = min(best, time.process_time() - started)
    return best, result


def user_run(rows: int, figures: str) -> dict[str, Any]:
    """One fresh process as a user runs the check; its whole CPU time and the check's alone."""
    here = os.path.dirname(os.path.abspath(__file__))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as empty:  # no project settings file: the defaults
        done = subprocess.run([sys.executable, "-c", FIGURE_CHILD, here, str(rows), figures],
                              capture_output=True, text=True, check=True, cwd=empty,
                              env={k: v for k, v in os.environ.items()
                                   if not k.startswith("MLSEC_")})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    measured["process_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return measured


def figure_cost(rows: int, repeat: int) -> None:
    runs: dict[str, list[dict[str, Any]]] = {"off": [], "on": []}
    for _ in range(repeat):  # interleaved, so both settings see the same machine load
        for figures in ("off", "on"):
            runs[figures].append(user_run(rows, figures))
    best = {key: {name: min(run[name] for run in value) for name in ("process_s", "check_s")}
            for key, value in runs.items()}
    on = runs["on"][0]
    print(f"rows: {rows:,}; sensitive features: 3 (+ their intersection); default settings; "
          f"figures drawn: {on['figures']} ({', '.join(on['kinds'])}), matplotlib imported: "
          f"{on['matplotlib']}; "
          f"HTML {on['html_bytes']:,} bytes")
    print(f"| check_bias, fresh process | figures off: CPU s | figures on: CPU s | ratio "
          f"(best of {repeat}) |")
    print("|---|---:|---:|---:|")
    for label, key in (("whole process (start, imports, data, check, HTML)", "process_s"),
                       ("check + HTML alone", "check_s")):
        ratio = best["on"][key] / best["off"][key]
        print(f"| {label} | {best['off'][key]:.3f} | {best['on'][key]:.3f} | {ratio:.2f}x |")
    ratio = best["on"]["check_s"] / best["off"]["check_s"]
    print(f"figures within {TARGET_FIGURE_RATIO}x of no figures: "
          f"{'met' if ratio <= TARGET_FIGURE_RATIO else 'NOT met'}")


def main_figures(argv: list[str] | None = None) -> None:
    """What the figures cost: check_bias in fresh processes, figures on against off."""
    parser = argparse.ArgumentParser(description=(main_figures.__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    figure_cost(args.rows, args.repeat)


def main_speed(argv: list[str] | None = None) -> None:
    """check_bias against fairlearn's MetricFrame on the same data, side by side in one run."""
    parser = argparse.ArgumentParser(description=(main_speed.__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    data = make_data(args.rows)
    run_ours(data.head(1000))  # warm the lazy imports of both sides
    run_fairlearn(data.head(1000))
    fairlearn_s, expected = best_cpu(run_fairlearn, data, args.repeat)
    ours_s, ours = best_cpu(run_ours, data, args.repeat)
    compared = 0
    for feature, frame in expected.items():
        for group, row in frame.iterrows():
            for metric, value in row.items():
                assert abs(ours[feature][str(group)][metric] - value) <= 1e-9, (feature, group,
                                                                                 metric)
                compared += 1
    speedup = fairlearn_s / ours_s
    print(f"rows: {args.rows:,}; sensitive features: 3; metrics: {len(METRICS)}; "
          f"values compared: {compared}, all equal to 1e-9")
    print(f"| implementation | CPU s (best of {args.repeat}) |")
    print("|---|---|")
    print(f"| fairlearn MetricFrame (3 frames x 5 metrics) | {fairlearn_s:.3f} |")
    print(f"| mlsecops check_bias (8 rates, intersection, disparities, 1000 bootstrap "
          f"replicates) | {ours_s:.3f} |")
    print(f"speed-up: {speedup:.1f}x (target >= {TARGET_SPEEDUP:.0f}x: "
          f"{'met' if speedup >= TARGET_SPEEDUP else 'NOT met'})")


if __name__ == "__main__":
    # the runner is imported here: the figures part's children import this module for make_data
    from runners import Part, first_line, run_parts

    QUICK = ("--rows", "20000", "--repeat", "1")
    raise SystemExit(run_parts(__doc__ or "", {
        "speed": Part(main_speed, first_line(main_speed), QUICK),
        "figures": Part(main_figures, first_line(main_figures), QUICK),
    }))
