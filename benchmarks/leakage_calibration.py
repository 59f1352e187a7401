"""How the thresholds of the data-level leakage check were chosen (docs/leakage.md).

Three experiments on synthetic data with known truth, using the check's own statistic
(cross-fitted single-column AUC over quantile bins, ``checks/leakage/_target.py``):

1. null: a random id / random date / random category against a label: the distribution of the
   score across seeds and sample sizes (what a threshold must stay above);
2. legitimate features of known population AUC 0.65 ... 0.85: the score must stay below
   ``proxy_auc`` (0.9) so that strong features are not flagged for being strong;
3. leaks (the label with 1-8 % of rows flipped, times noise): the score must pass ``proxy_auc``.

    python benchmarks/leakage_calibration.py [--seeds 200]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from mlsecops_jupyter.checks.leakage import _target


def _score(values: pd.Series, y: np.ndarray, rng: np.random.Generator,
           ordinal: bool = False) -> float:
    codes, n_bins = _target.bin_codes(values, 20, 50, ordinal=ordinal)
    label, _ = _target.encode_label(pd.Series(y))
    assert label is not None
    folds = np.zeros(len(y), dtype=np.int64)
    folds[rng.permutation(len(y))[: len(y) // 2]] = 1
    return _target.predictive_score(codes, n_bins, label, folds)


def null_scores(n: int, seeds: int) -> dict[str, np.ndarray]:
    out: dict[str, list[float]] = {"random id": [], "random date": [], "random category": []}
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        y = (rng.random(n) < 0.3).astype(int)
        out["random id"].append(_score(pd.Series(rng.permutation(n)), y, rng, ordinal=True))
        dates = pd.Series(pd.Timestamp("2020-01-01")
                          + pd.to_timedelta(rng.integers(0, 1000, n), unit="D"))
        out["random date"].append(_score(dates, y, rng, ordinal=True))
        cats = pd.Series(rng.choice([f"c{i}" for i in range(300)], n))
        out["random category"].append(_score(cats, y, rng))
    return {k: np.asarray(v) for k, v in out.items()}


def legit_scores(auc: float, n: int, seeds: int) -> np.ndarray:
    """A normal feature whose population AUC is ``auc`` (binormal model, equal variances)."""
    from scipy.stats import norm

    shift = np.sqrt(2) * norm.ppf(auc)
    scores = []
    for seed in range(seeds):
        rng = np.random.default_rng(1000 + seed)
        y = (rng.random(n) < 0.3).astype(int)
        x = rng.normal(0, 1, n) + shift * y
        scores.append(_score(pd.Series(x), y, rng))
    return np.asarray(scores)


def leak_scores(flip: float, n: int, seeds: int) -> np.ndarray:
    scores = []
    for seed in range(seeds):
        rng = np.random.default_rng(5000 + seed)
        y = (rng.random(n) < 0.3).astype(int)
        flipped = np.where(rng.random(n) < flip, 1 - y, y)
        scores.append(_score(pd.Series(flipped * rng.gamma(2, 20, n)), y, rng))
    return np.asarray(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=200)
    args = parser.parse_args()
    print("| experiment | rows | mean | 99th pct | max |")
    print("|---|---|---|---|---|")
    for n in (200, 1000, 5000, 20000):
        for name, values in null_scores(n, args.seeds).items():
            print(f"| null: {name} | {n} | {values.mean():.3f} | "
                  f"{np.quantile(values, 0.99):.3f} | {values.max():.3f} |")
    for auc in (0.65, 0.75, 0.8, 0.85):
        values = legit_scores(auc, 20000, args.seeds // 4)
        print(f"| legitimate feature, population AUC {auc} | 20000 | {values.mean():.3f} | "
              f"{np.quantile(values, 0.99):.3f} | {values.max():.3f} |")
    for flip in (0.01, 0.04, 0.08):
        values = leak_scores(flip, 20000, args.seeds // 4)
        print(f"| leak: label with {flip:.0%} flipped | 20000 | {values.mean():.3f} | "
              f"{np.quantile(values, 0.01):.3f} (1st pct) | {values.min():.3f} (min) |")


if __name__ == "__main__":
    main()
