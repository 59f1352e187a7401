"""Time of ``explain`` per model family, and its overhead over calling shap directly.

One run, side by side, on the same data: 5,000 rows x 10 features (one informative), every
model at scikit-learn default settings, ``explain`` at default settings (1,000-row sample,
100-row background, 8 s budget). For the overhead, shap is called directly with the SAME
explainer, sample and background (and, for permutation, the same max_evals the wrapper settled
on), plots off on both sides; plots are timed separately. The first permutation call in a
process compiles shap's numba kernels; that one-time cost is measured and reported apart.

Usage: ``python benchmarks/explain_speed.py`` (prints a Markdown table).
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

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


def direct_shap(model: Any, report: Any, sample: pd.DataFrame, background: pd.DataFrame) -> float:
    """Seconds for shap alone: same explainer, rows and background as the wrapper used."""
    import shap

    method = report.metrics["method"]
    started = time.perf_counter()
    if method == "tree":
        shap.TreeExplainer(model)(sample)
    elif method == "linear":
        masker = shap.maskers.Independent(background, max_samples=len(background))
        shap.LinearExplainer(model, masker)(sample)
    else:
        back = background.to_numpy()[: report.metrics["background_rows"]]
        masker = shap.maskers.Independent(back, max_samples=len(back))
        explainer = shap.PermutationExplainer(model.predict_proba, masker)
        explainer(sample.to_numpy(), max_evals=report.metrics["max_evals"], silent=True)
    return time.perf_counter() - started


def main() -> None:
    from mlsecops_jupyter.checks.explain import explain
    from mlsecops_jupyter.checks.explain.inputs import _sample_positions
    from mlsecops_jupyter.core import Settings

    warnings.simplefilter("ignore")
    frame, label = data()
    defaults = Settings()
    no_plots = defaults.override({"explain.plots": False})
    print("| model | explainer | rows explained | max_evals / background | explain (default, "
          "with plots) s | wrapper, no plots s | shap direct s | overhead | plots s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, model in families():
        model.fit(frame, label)
        started = time.perf_counter()
        report = explain(model, frame, settings=defaults)
        with_plots = time.perf_counter() - started
        warmup = report.metrics.get("warmup_s", 0.0)
        started = time.perf_counter()
        bare = explain(model, frame, settings=no_plots)
        wrapper = time.perf_counter() - started - bare.metrics.get("warmup_s", 0.0)
        positions = _sample_positions(len(frame), 1000, 0, None)
        sample = frame.iloc[positions]
        rows = bare.metrics["rows_explained"]
        if rows < len(sample):  # the wrapper explained an evenly spread subset; do the same
            keep = np.linspace(0, len(sample) - 1, rows).round().astype(int)
            sample = sample.iloc[sorted(set(keep))]
        background = frame.iloc[_sample_positions(len(frame), 100, 1, None)]
        direct = direct_shap(model, bare, sample, background)
        overhead = (wrapper - direct) / direct
        evals = bare.metrics.get("max_evals", "-")
        note = f" (+{warmup:.1f} s numba compile, first call)" if warmup > 1 else ""
        print(f"| {name} | {bare.metrics['explainer']} | {rows} | {evals} / "
              f"{bare.metrics['background_rows']} | {with_plots - warmup:.2f}{note} | "
              f"{wrapper:.2f} | {direct:.2f} | {overhead:+.1%} | "
              f"{with_plots - warmup - wrapper:.2f} |")


if __name__ == "__main__":
    main()
