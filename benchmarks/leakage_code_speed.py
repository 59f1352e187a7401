"""Code-level leakage: analysis time of a 200-cell notebook, and the runtime hooks' overhead.

Run from the repository root::

    python benchmarks/leakage_code_speed.py [--repeats 7] [--json]

1. ``check_code_leakage`` on a generated, realistic 200-cell notebook (loading, cleaning,
   feature engineering, helper functions, splits, fits, loops over models, plots-free). Target:
   under 1 s of CPU time.
2. The provenance hooks' cost as a share of the fit time they wrap, on real estimators: each fit
   runs with the hooks off and on, in alternating order, ``--repeats`` times; the medians are
   compared. The hooks' own work (fingerprinting the rows) is also timed directly, which is the
   steadier number on a shared machine. Target: under 5 %.

All times are CPU time of this process (``time.process_time``), which is robust to other jobs
on the machine; estimators run single-threaded (``n_jobs=1``) so CPU time is wall-clock work.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

import numpy as np

CELL_KINDS = (
    "df_{i} = df.copy()\ndf_{i}['ratio_{i}'] = df_{i}['a'] / (df_{i}['b'].abs() + 1)\n"
    "df_{i} = df_{i}.dropna()",
    "def clean_{i}(frame):\n    frame = frame.copy()\n    frame['c'] = frame['c'].clip(-3, 3)\n"
    "    return frame\n\ndf = clean_{i}(df)",
    "X = df.drop(columns=['label'])\ny = df['label']\n"
    "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state={i})",
    "scaler_{i} = StandardScaler().fit(X_train)\nX_train_s = scaler_{i}.transform(X_train)\n"
    "X_test_s = scaler_{i}.transform(X_test)",
    "model_{i} = LogisticRegression(C={c}, max_iter=500).fit(X_train_s, y_train)\n"
    "pred_{i} = model_{i}.predict(X_test_s)\nprint(accuracy_score(y_test, pred_{i}))",
    "pipe_{i} = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=50))\n"
    "scores_{i} = cross_val_score(pipe_{i}, X_train, y_train, cv=5)\nprint(scores_{i}.mean())",
    "summary_{i} = df.groupby('segment')['a'].agg(['mean', 'std'])\nsummary_{i}.head()",
    "for col in ['a', 'b', 'c']:\n    df[col + '_log_{i}'] = np.log1p(df[col].abs())",
    "%matplotlib inline\nax_{i} = df['a'].plot.hist(bins=30)",
    "grid_{i} = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression()),\n"
    "                        {{'logisticregression__C': [0.1, 1, 10]}}, cv=5)\n"
    "grid_{i}.fit(X_train, y_train)\nprint(grid_{i}.best_params_)",
)
HEADER = (
    "import numpy as np\nimport pandas as pd\n"
    "from sklearn.model_selection import train_test_split, cross_val_score, GridSearchCV\n"
    "from sklearn.preprocessing import StandardScaler\n"
    "from sklearn.linear_model import LogisticRegression\n"
    "from sklearn.ensemble import RandomForestClassifier\n"
    "from sklearn.pipeline import make_pipeline\nfrom sklearn.metrics import accuracy_score",
    "df = pd.read_csv('data/customers.csv')\ndf = df.drop_duplicates()",
)


def generated_notebook(cells: int = 200) -> dict[str, Any]:
    """A 200-cell notebook (markdown every tenth cell), executed in page order."""
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb_cells = []
    count = 0
    for i in range(cells):
        if i % 10 == 9:
            nb_cells.append(new_markdown_cell(f"## Step {i}"))
            continue
        source = HEADER[i] if i < len(HEADER) else CELL_KINDS[i % len(CELL_KINDS)].format(
            i=i, c=round(0.1 * (1 + i % 7), 1))
        count += 1
        cell = new_code_cell(source)
        cell.execution_count = count
        nb_cells.append(cell)
    return new_notebook(cells=nb_cells)


def static_speed(repeats: int) -> dict[str, Any]:
    from mlsecops_jupyter.checks.leakage import check_code_leakage

    notebook = generated_notebook()
    times = []
    report = None
    for _ in range(repeats):
        started = time.process_time()
        report = check_code_leakage(notebook)
        times.append(time.process_time() - started)
    assert report is not None
    return {"cells": len(notebook["cells"]), "statements": report.metrics["code"]["statements"],
            "findings": len(report.findings), "median_cpu_s": statistics.median(times),
            "max_cpu_s": max(times)}


def estimators() -> list[tuple[str, Any, tuple[int, int]]]:
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    return [
        ("StandardScaler", lambda: StandardScaler(), (200_000, 20)),
        ("LogisticRegression", lambda: LogisticRegression(max_iter=200), (50_000, 20)),
        ("RandomForestClassifier(50)", lambda: RandomForestClassifier(
            n_estimators=50, n_jobs=1, random_state=0), (20_000, 20)),
        ("HistGradientBoostingClassifier", lambda: HistGradientBoostingClassifier(
            max_iter=50, random_state=0), (100_000, 20)),
    ]


def hook_overhead(repeats: int) -> list[dict[str, Any]]:
    from mlsecops_jupyter.provenance import ProvenanceRecorder, install

    rng = np.random.default_rng(0)
    rows = []
    for name, make, (n, d) in estimators():
        X = rng.normal(size=(n, d))
        y = (X[:, 0] + rng.normal(size=n) > 0).astype(int)
        off: list[float] = []
        on: list[float] = []
        hook_cpu: list[float] = []
        for r in range(repeats):
            for hooked in ((False, True) if r % 2 == 0 else (True, False)):
                recorder = ProvenanceRecorder()
                hooks = install(recorder) if hooked else None
                try:
                    estimator = make()
                    started = time.process_time()
                    estimator.fit(X, y)
                    elapsed = time.process_time() - started
                finally:
                    if hooks is not None:
                        hooks.uninstall()
                (on if hooked else off).append(elapsed)
            recorder = ProvenanceRecorder()
            started = time.process_time()
            recorder.on_fit(make(), "fit", (X, y), {}, None)
            hook_cpu.append(time.process_time() - started)
        fit_off, fit_on = statistics.median(off), statistics.median(on)
        rows.append({
            "estimator": name, "rows": n, "columns": d, "fit_cpu_s": fit_off,
            "fit_hooked_cpu_s": fit_on,
            "difference_pct": 100 * (fit_on - fit_off) / fit_off,
            "hook_cpu_ms": 1000 * statistics.median(hook_cpu),
            "hook_pct_of_fit": 100 * statistics.median(hook_cpu) / fit_off,
        })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    static = static_speed(args.repeats)
    overhead = hook_overhead(args.repeats)
    if args.json:
        print(json.dumps({"static": static, "hooks": overhead}, indent=2))
        return
    print(f"static analysis: {static['cells']} cells, {static['statements']} statements, "
          f"{static['findings']} findings: median {static['median_cpu_s']:.3f} s CPU "
          f"(max {static['max_cpu_s']:.3f} s) -> "
          f"{'PASS' if static['max_cpu_s'] < 1 else 'FAIL'} (< 1 s)")
    print("| estimator | rows x cols | fit CPU (hooks off) | fit CPU (hooks on) | difference | "
          "hook work (direct) | hook work / fit |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in overhead:
        print(f"| {row['estimator']} | {row['rows']:,} x {row['columns']} | "
              f"{row['fit_cpu_s']:.3f} s | {row['fit_hooked_cpu_s']:.3f} s | "
              f"{row['difference_pct']:+.1f} % | {row['hook_cpu_ms']:.2f} ms | "
              f"{row['hook_pct_of_fit']:.2f} % |")
    worst = max(row["hook_pct_of_fit"] for row in overhead)
    print(f"{'PASS' if worst < 5 else 'FAIL'}: worst hook work {worst:.2f} % of the fit (< 5 %)")


if __name__ == "__main__":
    main()
