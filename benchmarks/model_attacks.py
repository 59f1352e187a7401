"""Evasion and membership inference beside IBM's Adversarial Robustness Toolbox (ART).

Same models, same data, same rows, same budget unit. Evasion: breast cancer (569 x 30,
standardised, so one unit of the L-inf budget is one standard deviation for both tools), the
rows our check samples (seed 0, 100 rows) that the model classifies correctly, epsilon 0.1.
ART's attacks return adversarial points; an attack succeeds on a row when the point changes
the class within epsilon (its L-inf distance is measured, not trusted). Membership inference:
breast cancer and wine split in halves (seed 0), our three attacks at default settings beside
ART's rule-based attack and its black-box attack model (trained on half of the members and
non-members, graded by AUC on the other half: it sees membership labels ours never does).
CPU time is the process CPU (``time.process_time``) of each call, in the process that makes it
(ours in this one, ART's in the peer's).

ART needs its own environment (it is a benchmark peer, not a dependency: our attacks are exact
where ART's are iterative and batch every model call); it must hold the scikit-learn and numpy
versions of ours, so both sides fit identical models (the script checks that they classify the
same rows correctly). benchmarks/README.md says how it is built::

    python benchmarks/model_attacks.py --part robustness --peer-python PEER_VENV/bin/python
    python benchmarks/model_attacks.py --part privacy --peer-python PEER_VENV/bin/python

Parts: ``robustness`` (evasion) and ``privacy`` (membership inference), each printing its
Markdown table. Without ``--peer-python`` (or ``MLSEC_BENCH_PEER_PYTHON``) ART's rows say "not
run" (evasion) or are left out (membership).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from runners import Part, first_line, run_parts  # noqa: E402

EPSILON = 0.1
ROWS = 100
SEED = 0
HERE = Path(__file__).resolve().parent
MEMBERSHIP_DATA = ("breast cancer", "wine")


def _cpu(call: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """``call(*args, **kwargs)`` and the process CPU seconds it took."""
    start = time.process_time()
    value = call(*args, **kwargs)
    return value, time.process_time() - start


# -- the shared set-up: both processes build the same data and models from this code ----------

def evasion_data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardised breast cancer, its labels, and the rows our check samples (seed 0)."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True)
    Z = StandardScaler().fit_transform(X)
    rows = np.sort(np.random.default_rng(SEED).choice(len(Z), size=ROWS, replace=False))
    return Z, y, rows


def evasion_models() -> list[tuple[str, Any]]:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.tree import DecisionTreeClassifier

    return [("LogisticRegression", LogisticRegression(max_iter=5000)),
            ("DecisionTree (depth 6)", DecisionTreeClassifier(max_depth=6, random_state=0)),
            ("RandomForest (100 trees)", RandomForestClassifier(random_state=0))]


def membership_cases() -> list[tuple[str, Any, tuple[np.ndarray, ...]]]:
    """(name, fitted model, (X_train, y_train, X_test, y_test)) per data set and model."""
    from sklearn.datasets import load_breast_cancer, load_wine
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    cases: list[tuple[str, Any, tuple[np.ndarray, ...]]] = []
    for data_name, loader in zip(MEMBERSHIP_DATA, (load_breast_cancer, load_wine), strict=True):
        X, y = loader(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.5, random_state=SEED, stratify=y)
        for model_name, model in (
                ("RandomForest", RandomForestClassifier(random_state=SEED)),
                ("LogisticRegression C=0.05", make_pipeline(
                    StandardScaler(), LogisticRegression(C=0.05, max_iter=5000)))):
            model.fit(X_train, y_train)
            cases.append((f"{data_name}, {model_name}", model,
                          (X_train, y_train, X_test, y_test)))
    return cases


# -- ours ---------------------------------------------------------------------------------------

def ours_evasion() -> dict[str, Any]:
    """Our rows per model, and how many rows each model classifies correctly."""
    import pandas as pd

    from mlsecops_jupyter import check_robustness
    from mlsecops_jupyter.core import Settings

    Z, y, rows = evasion_data()
    frame = pd.DataFrame(Z, columns=[f"f{i}" for i in range(Z.shape[1])])
    settings = Settings().override({"robustness.clip_to_range": False,
                                    "robustness.figures": False})
    out: dict[str, Any] = {"rows": [], "correct": {}}
    for name, model in evasion_models():
        model.fit(Z, y)
        correct = rows[model.predict(Z[rows]) == y[rows]]
        report, cpu = _cpu(check_robustness, model, frame.to_numpy(), y, sample=ROWS,
                           epsilon=EPSILON, settings=settings)
        assert report.metrics["rows_attacked"] == len(correct)
        out["correct"][name] = len(correct)
        out["rows"].append([name, "ours: " + report.metrics["method"].split(" (")[0],
                            f"{report.metrics['attack_success_rate']:.3f}",
                            f"{report.metrics['median_minimal_perturbation']:.3f}",
                            f"{cpu:.2f}"])
    return out


def ours_membership() -> list[list[str]]:
    from mlsecops_jupyter import check_privacy
    from mlsecops_jupyter.core import Settings

    settings = Settings().override({"privacy.figures": False})
    table = []
    for where, model, (X_train, y_train, X_test, y_test) in membership_cases():
        report, cpu = _cpu(check_privacy, model, X_train, y_train, X_test, y_test,
                           settings=settings)
        for attack in report.metrics["attacks"]:
            flagged = bool(report.findings) and attack["attack"] == report.metrics["best_attack"]
            table.append([where, f"ours: {attack['attack']}", f"{attack['auc']:.3f}",
                          f"{attack['ci_low']:.3f}-{attack['ci_high']:.3f}",
                          "yes" if flagged else "", f"{cpu:.2f}"])
    return table


# -- ART (runs in the peer environment) ---------------------------------------------------------

def _art_rate(model: Any, Z: np.ndarray, adversarial: np.ndarray) -> tuple[float, float]:
    """Share of rows flipped within EPSILON, and the median L-inf distance of the points
    (over every attacked row; a row the attack did not flip counts as infinitely far)."""
    distance = np.abs(adversarial - Z).max(axis=1)
    flipped = model.predict(adversarial) != model.predict(Z)
    distance = np.where(flipped, distance, np.inf)
    # ART works in float32: a step of exactly epsilon measures up to ~1e-7 relative above it
    return float((distance <= EPSILON * (1 + 1e-5)).mean()), float(np.median(distance))


def art_evasion() -> dict[str, Any]:
    from art.attacks.evasion import (
        DecisionTreeAttack,
        FastGradientMethod,
        HopSkipJump,
        ProjectedGradientDescent,
    )
    from art.estimators.classification.scikitlearn import SklearnClassifier

    Z_all, y, rows = evasion_data()
    out: dict[str, Any] = {"rows": [], "correct": {}}
    for name, model in evasion_models():
        model.fit(Z_all, y)
        correct = rows[model.predict(Z_all[rows]) == y[rows]]
        out["correct"][name] = len(correct)
        Z = Z_all[correct]
        art_model = SklearnClassifier(model=model,
                                      clip_values=(float(Z_all.min()), float(Z_all.max())))
        attacks: list[tuple[str, Any]] = []
        if name.startswith("Logistic"):
            attacks += [("ART FGSM", FastGradientMethod(art_model, norm=np.inf, eps=EPSILON)),
                        ("ART PGD (100 steps)", ProjectedGradientDescent(
                            art_model, norm=np.inf, eps=EPSILON, eps_step=EPSILON / 10,
                            max_iter=100, verbose=False))]
        if name.startswith("DecisionTree"):
            attacks.append(("ART DecisionTreeAttack",
                            DecisionTreeAttack(art_model, verbose=False)))
        # 10 iterations of 100*sqrt(i) probes plus the searches: about 2,500 queries per row,
        # the order of our black-box budget (robustness.max_queries, 2,000)
        attacks.append(("ART HopSkipJump (L-inf)", HopSkipJump(
            art_model, norm=np.inf, max_iter=10, max_eval=1000, init_eval=100, verbose=False)))
        for label, attack in attacks:
            adversarial, cpu = _cpu(attack.generate, x=Z)
            print(f"{name}, {label}: {cpu:.1f} s CPU", file=sys.stderr, flush=True)
            rate, median = _art_rate(model, Z, adversarial)
            out["rows"].append([name, label, f"{rate:.3f}",
                                "-" if not np.isfinite(median) else f"{median:.3f}",
                                f"{cpu:.2f}"])
    return out


def art_membership() -> list[list[str]]:
    from art.attacks.inference.membership_inference import (
        MembershipInferenceBlackBox,
        MembershipInferenceBlackBoxRuleBased,
    )
    from art.estimators.classification.scikitlearn import SklearnClassifier
    from sklearn.metrics import roc_auc_score

    table = []
    for where, model, (X_train, y_train, X_test, y_test) in membership_cases():
        n = min(len(X_train), len(X_test))
        art_model = SklearnClassifier(model=model)
        rule = MembershipInferenceBlackBoxRuleBased(art_model)
        guesses, cpu = _cpu(rule.infer, np.r_[X_train[:n], X_test[:n]],
                            np.r_[y_train[:n], y_test[:n]], probabilities=True)
        truth = np.r_[np.ones(n), np.zeros(n)]
        auc = roc_auc_score(truth, np.asarray(guesses).reshape(len(truth), -1)[:, -1])
        table.append([where, "ART rule-based", f"{auc:.3f}", "-", "", f"{cpu:.2f}"])
        half = n // 2
        black_box = MembershipInferenceBlackBox(art_model, attack_model_type="rf")
        scores, cpu = _cpu(_fit_and_infer, black_box, (X_train, y_train, X_test, y_test),
                           half, n)
        truth = np.r_[np.ones(n - half), np.zeros(n - half)]
        auc = roc_auc_score(truth, np.asarray(scores).reshape(len(truth), -1)[:, -1])
        table.append([where, "ART black-box (attack model, sees labels)", f"{auc:.3f}", "-",
                      "", f"{cpu:.2f}"])
    return table


def _fit_and_infer(attack: Any, data: tuple[Any, ...], half: int, n: int) -> Any:
    """ART's attack model: fit on the first half of members and non-members, score the rest."""
    X_train, y_train, X_test, y_test = data
    attack.fit(X_train[:half], y_train[:half], X_test[:half], y_test[:half])
    return attack.infer(np.r_[X_train[half:n], X_test[half:n]],
                        np.r_[y_train[half:n], y_test[half:n]], probabilities=True)


def art_worker(side: str) -> None:
    """Print ART's rows of one side (``evasion`` or ``membership``) as one JSON object (run by
    the peer environment's python)."""
    warnings.filterwarnings("ignore")
    import art
    import sklearn

    # HopSkipJump's probes and the black-box attack model's forest draw from numpy's global
    # generator; seeded, each side's rows are the same on every run
    np.random.seed(SEED)
    rows = art_evasion() if side == "evasion" else art_membership()
    print(json.dumps({"art": art.__version__, "sklearn": sklearn.__version__,
                      "numpy": np.__version__, side: rows}))


def run_art(python: str | None, side: str) -> dict[str, Any] | None:
    """ART's rows of one side from the peer environment, checked to fit the same models."""
    if not python:
        return None
    # the worker's progress lines and errors go to this process's stderr
    done = subprocess.run([python, __file__, "--art-worker", side], stdout=subprocess.PIPE,
                          text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if done.returncode != 0:
        raise SystemExit(f"the ART worker failed with exit code {done.returncode}")
    art = dict(json.loads(done.stdout.strip().splitlines()[-1]))
    import sklearn

    if (art["sklearn"], art["numpy"]) != (sklearn.__version__, np.__version__):
        raise SystemExit(f"the peer environment has scikit-learn {art['sklearn']} and "
                         f"numpy {art['numpy']}; this one {sklearn.__version__} and "
                         f"{np.__version__}: the models would differ")
    return art


# -- the tables ---------------------------------------------------------------------------------

def _markdown(columns: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _interleave(ours: list[list[str]], theirs: list[list[str]]) -> list[list[str]]:
    """Rows grouped by their first column (model or case), ours first, in our order."""
    keys = list(dict.fromkeys(row[0] for row in ours))
    return [row for key in keys for row in (*[r for r in ours if r[0] == key],
                                            *[r for r in theirs if r[0] == key])]


def _options(main: Any, argv: list[str] | None) -> argparse.Namespace:
    """The peer's python, shared by both parts; ours runs from this checkout."""
    parser = argparse.ArgumentParser(description=first_line(main))
    parser.add_argument("--peer-python", default=os.environ.get("MLSEC_BENCH_PEER_PYTHON"),
                        help="python of the environment with ART installed")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    sys.path.insert(0, str(HERE.parent))
    return args


def main_robustness(argv: list[str] | None = None) -> None:
    """Evasion: our robustness check beside ART's attacks on the same models and rows."""
    args = _options(main_robustness, argv)
    import sklearn

    art = run_art(args.peer_python, "evasion")
    ours = ours_evasion()
    if art is not None:
        assert art["evasion"]["correct"] == ours["correct"], "the two sides fit other models"
    art_evasion_rows = art["evasion"]["rows"] if art else [
        [name, "ART", "not run", "-", "-"] for name, _ in evasion_models()]
    peer = f"ART {art['art']}" if art else "ART not run"
    print(f"{peer}; scikit-learn {sklearn.__version__}; epsilon {EPSILON} sd (L-inf), "
          f"{ROWS} sampled rows\n")
    print("## Evasion (breast cancer, standardised)\n")
    print(_markdown(["model", "attack", "success rate at 0.1", "median distance", "CPU s"],
                    _interleave(ours["rows"], art_evasion_rows)))


def main_privacy(argv: list[str] | None = None) -> None:
    """Membership inference: our privacy check beside ART's rule-based and black-box attacks."""
    args = _options(main_privacy, argv)
    import sklearn

    art = run_art(args.peer_python, "membership")
    membership = ours_membership()
    art_membership_rows = art["membership"] if art else []
    peer = f"ART {art['art']}" if art else "ART not run"
    print(f"{peer}; scikit-learn {sklearn.__version__}\n")
    print("## Membership inference (halves, seed 0)\n")
    print(_markdown(["data, model", "attack", "AUC", "interval", "flagged", "CPU s"],
                    _interleave(membership, art_membership_rows)))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--art-worker"]:  # the peer environment's side, not a part
        art_worker(sys.argv[2])
        raise SystemExit(0)
    raise SystemExit(run_parts(__doc__ or "", {
        "robustness": Part(main_robustness, first_line(main_robustness)),
        "privacy": Part(main_privacy, first_line(main_privacy))}))
