"""Out-of-sample class probabilities for every labelled row: the evidence confident learning and
the trigger rule stand on.

Each candidate model (``poisoning.models``: a logistic regression on scaled, imputed, one-hot
features; a small histogram gradient boosting that splits on categories and missing values
natively) is cross-validated over stratified folds, so every row is scored by a model that never
saw it. The first candidate always runs; later ones run while the CPU time projected from their
first fold fits ``poisoning.time_budget_s``. The candidate with the lower out-of-sample log loss
is kept, and its fold models stay available to score rows with a value replaced (the trigger
rule's counterfactual). Fitting runs on one thread: on a shared machine that is what keeps the
CPU time (and so the budget) steady.
"""

from __future__ import annotations

import contextlib
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np

from ...core.errors import MLSecConfigError
from ...core.progress import task
from ._features import Matrix

MODELS = ("logistic", "boosting")
UNKNOWN_MODEL = "unknown model {name!r} in poisoning.models; known: " + ", ".join(MODELS)
NO_MODELS = "poisoning.models is empty: name at least one of " + ", ".join(MODELS)
PROBABILITY_FLOOR = 1e-6


@dataclass
class Candidate:
    """What one model did: its cost, its out-of-sample log loss, or why it did not run."""

    name: str
    cpu_s: float = 0.0
    log_loss: float | None = None
    skipped: str | None = None


@dataclass
class LabelModel:
    """Out-of-sample probabilities of the chosen model and what is needed to score new rows."""

    name: str
    probabilities: np.ndarray          # sampled rows x classes
    judged: np.ndarray                 # bool per sampled row: its class was in its fold's fit
    folds: np.ndarray                  # fold of each sampled row
    estimators: list[Any]              # fold models (None where a fold could not be fitted)
    fold_classes: list[np.ndarray]     # class codes each fold model knows
    n_classes: int
    skill_z: float
    log_loss: float
    prior_log_loss: float
    candidates: list[Candidate] = field(default_factory=list)

    def has_skill(self, alpha: float) -> bool:
        """Better than the class shares alone, beyond chance (one-sided ``alpha``)."""
        return bool(self.skill_z >= NormalDist().inv_cdf(1.0 - alpha))

    def score(self, matrix_rows: np.ndarray, folds: np.ndarray | None) -> np.ndarray:
        """Class probabilities of ``matrix_rows``: each row by the model of its own fold (the
        one that did not see it), or, for rows outside the sample (``folds`` -1 or None), the
        average of every fold model."""
        out = np.zeros((len(matrix_rows), self.n_classes))
        if folds is None:
            folds = np.full(len(matrix_rows), -1)
        usable = [k for k, est in enumerate(self.estimators) if est is not None]
        for k in usable:
            own = folds == k
            outside = folds < 0
            if own.any():
                out[own] = self._predict(k, matrix_rows[own])
            if outside.any():
                out[outside] += self._predict(k, matrix_rows[outside]) / len(usable)
        return out

    def _predict(self, fold: int, rows: np.ndarray) -> np.ndarray:
        full = np.zeros((len(rows), self.n_classes))
        with _quiet():
            full[:, self.fold_classes[fold]] = self.estimators[fold].predict_proba(rows)
        return full


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Warnings of the fitting library (convergence, small classes) are ours to summarise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def make_estimator(name: str, matrix: Matrix, rows: int, seed: int) -> Any:
    """A fresh, unfitted estimator of the named kind for this matrix."""
    if name == "logistic":
        from sklearn.compose import ColumnTransformer
        from sklearn.impute import SimpleImputer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import OneHotEncoder, StandardScaler

        parts = []
        numeric = matrix.numeric
        categories = np.flatnonzero(matrix.categorical)
        if len(numeric):
            parts.append(("numeric", make_pipeline(SimpleImputer(strategy="median"),
                                                   StandardScaler()), numeric))
        if len(categories):
            parts.append(("categories", make_pipeline(
                SimpleImputer(strategy="constant", fill_value=-1.0),
                OneHotEncoder(handle_unknown="ignore")), categories))
        return make_pipeline(ColumnTransformer(parts), LogisticRegression(max_iter=500))
    if name == "boosting":
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(
            max_iter=100, max_leaf_nodes=15, l2_regularization=1.0,
            categorical_features=matrix.categorical if matrix.categorical.any() else None,
            early_stopping=rows >= 2000, random_state=seed)
    raise MLSecConfigError(UNKNOWN_MODEL.format(name=name))


def fold_of_rows(codes: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Stratified fold assignment (0 .. k-1) of each row; fewer folds for tiny data."""
    from sklearn.model_selection import StratifiedKFold

    k = max(2, min(folds, len(codes)))
    assignment = np.zeros(len(codes), dtype=np.int64)
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    with _quiet():
        for fold, (_, held) in enumerate(splitter.split(np.zeros(len(codes)), codes)):
            assignment[held] = fold
    return assignment


def _run_candidate(name: str, matrix: Matrix, codes: np.ndarray, folds: np.ndarray,
                   n_classes: int, seed: int, budget_left: float | None
                   ) -> tuple[Candidate, dict[str, Any] | None]:
    """Cross-validate one model; stop after the first fold when it would overrun the budget."""
    candidate = Candidate(name)
    k = int(folds.max()) + 1
    probabilities = np.zeros((len(codes), n_classes))
    judged = np.ones(len(codes), dtype=bool)
    estimators: list[Any] = []
    fold_classes: list[np.ndarray] = []
    with task(f"poisoning: cross-validating the {name} model", total=k) as step:
        for fold in range(k):
            started = time.process_time()
            held = folds == fold
            fit_codes = codes[~held]
            known = np.unique(fit_codes)
            judged[held] = np.isin(codes[held], known)
            if len(known) < 2:
                shares = np.bincount(fit_codes, minlength=n_classes) / max(len(fit_codes), 1)
                probabilities[held] = shares
                estimators.append(None)
                fold_classes.append(known)
            else:
                estimator = make_estimator(name, matrix, int((~held).sum()), seed)
                with _quiet():
                    estimator.fit(matrix.values[~held], fit_codes)
                    scored = estimator.predict_proba(matrix.values[held])
                probabilities[np.ix_(held, estimator.classes_)] = scored
                estimators.append(estimator)
                fold_classes.append(np.asarray(estimator.classes_))
            candidate.cpu_s += time.process_time() - started
            step.advance(note=f"fold {fold + 1} of {k}")
            if fold == 0 and budget_left is not None and candidate.cpu_s * k > budget_left:
                candidate.skipped = (f"projected {candidate.cpu_s * k:.1f} s CPU from its first "
                                     f"fold, more than the {budget_left:.1f} s left of the "
                                     "budget")
                return candidate, None
    return candidate, {"probabilities": probabilities, "judged": judged,
                       "estimators": estimators, "fold_classes": fold_classes}


def _row_log_loss(probabilities: np.ndarray, codes: np.ndarray) -> np.ndarray:
    given = probabilities[np.arange(len(codes)), codes]
    return -np.log(np.clip(given, PROBABILITY_FLOOR, 1.0))


def _prior_probabilities(codes: np.ndarray, folds: np.ndarray, n_classes: int) -> np.ndarray:
    """Each row's class shares from the other folds: the no-skill baseline, out of sample."""
    prior = np.zeros((len(codes), n_classes))
    for fold in range(int(folds.max()) + 1):
        held = folds == fold
        counts = np.bincount(codes[~held], minlength=n_classes).astype(np.float64)
        prior[held] = counts / max(counts.sum(), 1.0)
    return prior


def fit_label_model(matrix: Matrix, codes: np.ndarray, n_classes: int, models: tuple[str, ...],
                    folds: int, budget_s: float, seed: int) -> LabelModel:
    """Cross-validate the candidates within the budget and keep the best (on one thread)."""
    if not models:
        raise MLSecConfigError(NO_MODELS)
    for name in models:
        if name not in MODELS:
            raise MLSecConfigError(UNKNOWN_MODEL.format(name=name))
    assignment = fold_of_rows(codes, folds, seed)
    candidates: list[Candidate] = []
    best: tuple[float, Candidate, dict[str, Any]] | None = None
    spent = 0.0
    with one_thread():
        for name in dict.fromkeys(models):
            left = None if best is None else max(budget_s - spent, 0.0)
            candidate, result = _run_candidate(name, matrix, codes, assignment, n_classes, seed,
                                               left)
            spent += candidate.cpu_s
            candidates.append(candidate)
            if result is None:
                continue
            judged = result["judged"]
            losses = _row_log_loss(result["probabilities"], codes)
            candidate.log_loss = float(losses[judged].mean()) if judged.any() else float("inf")
            if best is None or candidate.log_loss < best[0]:
                best = (candidate.log_loss, candidate, result)
    assert best is not None  # the first candidate always completes
    loss, chosen, result = best
    judged = result["judged"]
    prior = _prior_probabilities(codes, assignment, n_classes)
    gain = _row_log_loss(prior, codes) - _row_log_loss(result["probabilities"], codes)
    gain = gain[judged]
    spread = float(gain.std(ddof=1)) if len(gain) > 1 else 0.0
    skill_z = float(gain.mean() / (spread / np.sqrt(len(gain)))) if spread > 0 else (
        float("inf") if len(gain) and gain.mean() > 0 else 0.0)
    return LabelModel(
        name=chosen.name, probabilities=result["probabilities"], judged=judged,
        folds=assignment, estimators=result["estimators"],
        fold_classes=result["fold_classes"], n_classes=n_classes, skill_z=skill_z,
        log_loss=loss, prior_log_loss=float(_row_log_loss(prior, codes)[judged].mean()),
        candidates=candidates)


def one_thread() -> Any:
    """Native thread pools (OpenMP, BLAS) limited to one thread for the block."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)
