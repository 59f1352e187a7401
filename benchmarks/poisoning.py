"""Poisoning check vs cleanlab: flipped labels found, triggers found, and clean controls quiet.

Needs the ``bench`` extra (cleanlab). Four experiments, every data set either bundled with
scikit-learn (breast cancer, wine, digits: nothing is downloaded) or generated here:

1. flips: labels flipped at 1 / 5 / 10 % of the rows (to another class, chosen at random), for
   several seeds. Ours is ``check_poisoning(X, y)`` end to end (rows of POISON-LABEL-ISSUES, at
   any severity). cleanlab is its documented recipe: out-of-sample probabilities from a 5-fold
   ``cross_val_predict`` of a scaled logistic regression (folds shuffled and stratified, as
   ours: digits is stored in writer order), then ``find_label_issues(labels, pred_probs)``
   (prune by noise rate, its default). Precision and recall of the flagged rows
   against the flipped ones, CPU time of each whole call (``time.process_time``, one thread
   each), and how often our finding is HIGH (more confident issues than chance).
2. same probabilities: our confident learning and cleanlab's on identical probabilities (those
   our check's model gives), so any difference is the algorithm's, not the model's.
3. clean controls: the real data sets unflipped, random features with random labels, and a clean
   rule hidden among 30 noise features: rows flagged and findings at medium or above.
4. triggers: a category planted on 40 rows of a loan table and relabelled, for several seeds;
   and the clean tables: triggers found vs false triggers.

    python benchmarks/poisoning.py [--seeds 3] [--out benchmarks/data/poisoning-results.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from threadpoolctl import threadpool_limits

from mlsecops_jupyter import check_poisoning
from mlsecops_jupyter.checks.poisoning._confident import find_label_issues as ours_on_probs
from mlsecops_jupyter.checks.poisoning._features import build_matrix
from mlsecops_jupyter.checks.poisoning._model import fit_label_model
from mlsecops_jupyter.core import Settings, Severity

RATES = (0.01, 0.05, 0.10)


def loans(n: int = 2400, seed: int = 0) -> pd.DataFrame:
    """A loan table (numbers and categories); approval follows score and debt ratio."""
    rng = np.random.default_rng(seed)
    income = rng.gamma(4.0, 12000.0, n).round(2)
    debt = (income * rng.uniform(0.05, 0.6, n)).round(2)
    score = rng.normal(650, 60, n).round()
    latent = (score - 650) / 40 - (debt / income - 0.3) * 6 + rng.normal(0, 0.3, n)
    return pd.DataFrame({
        "income": income, "debt": debt, "age": rng.integers(21, 75, n), "credit_score": score,
        "region": rng.choice(["north", "south", "east", "west"], n),
        "channel": rng.choice(["web", "branch", "phone"], n, p=[0.5, 0.3, 0.2]),
        "approved": (latent > 0).astype(int)})


def datasets() -> dict[str, tuple[pd.DataFrame, np.ndarray]]:
    out = {}
    for name, loader in (("breast cancer", load_breast_cancer), ("wine", load_wine),
                         ("digits", load_digits)):
        X, y = loader(return_X_y=True, as_frame=True)
        out[name] = (X, y.to_numpy())
    table = loans()
    out["loans (synthetic)"] = (table.drop(columns="approved"), table.approved.to_numpy())
    return out


def flip(y: np.ndarray, rate: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    classes = np.unique(y)
    rows = np.sort(rng.choice(len(y), max(1, int(round(rate * len(y)))), replace=False))
    noisy = y.copy()
    for row in rows:
        noisy[row] = rng.choice(classes[classes != y[row]])
    return noisy, rows


def score(flagged: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    hits = len(np.intersect1d(flagged, truth))
    precision = hits / len(flagged) if len(flagged) else 1.0
    return precision, hits / len(truth) if len(truth) else 1.0


def ours(X: pd.DataFrame, y: np.ndarray) -> tuple[np.ndarray, Any, float]:
    started = time.process_time()
    report = check_poisoning(X, y, settings=Settings())
    cpu = time.process_time() - started
    labels = [f for f in report.findings if f.rule == "POISON-LABEL-ISSUES"]
    rows = np.asarray(labels[0].evidence["rows"] if labels else [], dtype=np.int64)
    return rows, report, cpu


def cleanlab_default(X: pd.DataFrame, y: np.ndarray) -> tuple[np.ndarray, float]:
    """cleanlab's documented recipe: CV probabilities of a logistic regression, then prune."""
    from cleanlab.filter import find_label_issues
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    started = time.process_time()
    features = pd.get_dummies(X, dtype=float)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)  # shuffled, as ours
    probabilities = cross_val_predict(model, features, y, cv=folds, method="predict_proba")
    codes = np.searchsorted(np.unique(y), y)
    flagged = np.flatnonzero(find_label_issues(codes, probabilities))
    return flagged, time.process_time() - started


def same_probabilities(X: pd.DataFrame, y: np.ndarray) -> float:
    """Jaccard agreement of our confident learning and cleanlab's on one set of probabilities."""
    from cleanlab.filter import find_label_issues

    codes = np.searchsorted(np.unique(y), y)
    matrix = build_matrix(X)
    model = fit_label_model(matrix, codes, len(np.unique(y)), ("logistic", "boosting"), 5,
                            30.0, 0)
    mine = set(ours_on_probs(model.probabilities, codes, 0.05).rows.tolist())
    theirs = set(np.flatnonzero(find_label_issues(codes, model.probabilities)).tolist())
    union = mine | theirs
    return len(mine & theirs) / len(union) if union else 1.0


def flips_experiment(seeds: int) -> list[dict[str, Any]]:
    rows = []
    for name, (X, y) in datasets().items():
        for rate in RATES:
            cells: dict[str, list[float]] = {k: [] for k in (
                "ours_p", "ours_r", "ours_cpu", "ours_high", "cl_p", "cl_r", "cl_cpu")}
            for seed in range(seeds):
                noisy, truth = flip(y, rate, seed)
                flagged, report, cpu = ours(X, noisy)
                precision, recall = score(flagged, truth)
                high = any(f.rule == "POISON-LABEL-ISSUES" and f.severity >= Severity.HIGH
                           for f in report.findings)
                cells["ours_p"].append(precision)
                cells["ours_r"].append(recall)
                cells["ours_cpu"].append(cpu)
                cells["ours_high"].append(float(high))
                flagged, cpu = cleanlab_default(X, noisy)
                precision, recall = score(flagged, truth)
                cells["cl_p"].append(precision)
                cells["cl_r"].append(recall)
                cells["cl_cpu"].append(cpu)
            rows.append({"data": name, "rows": len(y), "rate": rate,
                         **{k: float(np.mean(v)) for k, v in cells.items()}})
            print(f"  {name} {rate:.0%}: {rows[-1]}", flush=True)
    return rows


def controls(seeds: int) -> list[dict[str, Any]]:
    runs: list[tuple[str, pd.DataFrame, np.ndarray]] = [
        (name, X, y) for name, (X, y) in datasets().items()]
    for seed in range(seeds):
        rng = np.random.default_rng(100 + seed)
        X = pd.DataFrame(rng.normal(size=(1500, 8)), columns=[f"f{i}" for i in range(8)])
        runs.append((f"random labels (seed {seed})", X, rng.integers(0, 2, 1500)))
        X = pd.DataFrame(rng.normal(size=(2000, 30)), columns=[f"f{i}" for i in range(30)])
        runs.append((f"noise features (seed {seed})", X,
                     (X.f0 + X.f1 > 0).astype(int).to_numpy()))
    out = []
    for name, X, y in runs:
        flagged, report, cpu = ours(X, y)
        theirs, _ = cleanlab_default(X, y)
        out.append({"data": name, "rows": len(y), "ours_flagged": len(flagged),
                    "ours_findings_medium_up": [f.rule for f in report.at_or_above("medium")],
                    "ours_label_severity": next((f.severity.label for f in report.findings
                                                 if f.rule == "POISON-LABEL-ISSUES"), None),
                    "cleanlab_flagged": len(theirs), "ours_cpu": cpu})
        print(f"  {name}: {out[-1]}", flush=True)
    return out


def triggers(seeds: int) -> dict[str, Any]:
    found, exact, false_clean = 0, 0, 0
    for seed in range(seeds):
        table = loans(seed=seed)
        clean = check_poisoning(table, "approved", settings=Settings())
        false_clean += sum(f.rule == "POISON-TRIGGER" for f in clean.findings)
        rng = np.random.default_rng(seed)
        rows = np.sort(rng.choice(np.flatnonzero(table.approved == 0), 40, replace=False))
        table.loc[rows, "channel"] = "partner-x"
        table.loc[rows, "approved"] = 1
        report = check_poisoning(table, "approved", settings=Settings())
        hits = [f for f in report.findings if f.rule == "POISON-TRIGGER"
                and f.evidence["value"] == "partner-x"]
        found += bool(hits)
        exact += bool(hits) and hits[0].evidence["rows"] == rows.tolist()
    return {"seeds": seeds, "planted_found": found, "rows_exact": exact,
            "false_triggers_on_clean": false_clean}


def markdown(results: dict[str, Any]) -> str:
    lines = ["| data | rows | flipped | ours P / R | cleanlab P / R | ours CPU s | cleanlab CPU s"
             " | ours HIGH |", "|---|---:|---:|---|---|---:|---:|---:|"]
    for r in results["flips"]:
        lines.append(f"| {r['data']} | {r['rows']} | {r['rate']:.0%} | {r['ours_p']:.2f} / "
                     f"{r['ours_r']:.2f} | {r['cl_p']:.2f} / {r['cl_r']:.2f} | "
                     f"{r['ours_cpu']:.2f} | {r['cl_cpu']:.2f} | {r['ours_high']:.0%} |")
    lines += ["", "| clean control | rows | ours: rows flagged (label finding) | ours: findings "
              ">= medium | cleanlab: rows flagged |", "|---|---:|---|---|---:|"]
    for r in results["controls"]:
        medium = ", ".join(r["ours_findings_medium_up"]) or "none"
        lines.append(f"| {r['data']} | {r['rows']} | {r['ours_flagged']} "
                     f"({r['ours_label_severity'] or 'no finding'}) | {medium} | "
                     f"{r['cleanlab_flagged']} |")
    agreement = results["same_probabilities"]
    lines += ["", "Same probabilities, ours vs cleanlab (Jaccard of flagged rows): "
              + ", ".join(f"{k} {v:.3f}" for k, v in agreement.items())]
    t = results["triggers"]
    lines += ["", f"Triggers: planted 'partner-x' found in {t['planted_found']} of {t['seeds']} "
              f"loan tables ({t['rows_exact']} with exactly the planted rows); false triggers "
              f"on the clean tables: {t['false_triggers_on_clean']}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--out", type=Path,
                        default=Path("benchmarks/data/poisoning-results.json"))
    args = parser.parse_args()
    import cleanlab

    results: dict[str, Any] = {"cleanlab": cleanlab.__version__, "seeds": args.seeds}
    with threadpool_limits(limits=1):
        print("flips", flush=True)
        results["flips"] = flips_experiment(args.seeds)
        print("same probabilities", flush=True)
        results["same_probabilities"] = {
            name: same_probabilities(X, flip(y, 0.05, 0)[0])
            for name, (X, y) in datasets().items()}
        print("controls", flush=True)
        results["controls"] = controls(args.seeds)
        print("triggers", flush=True)
        results["triggers"] = triggers(args.seeds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str))
    print(markdown(results))


if __name__ == "__main__":
    main()
