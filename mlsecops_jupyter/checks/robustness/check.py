"""``check_robustness``: how many correct predictions an attacker flips with a small change.

For each sampled row the model classifies correctly, the check finds the smallest L-inf
perturbation (in standard deviations of each numeric column) that changes the model's class:
exactly for models with an affine decision function and for single trees, with a decision-based
black-box attack (an upper bound) otherwise. ``attack_success_rate`` is the share of those
rows whose minimal perturbation is within ``epsilon``; the same minima give the success rate at
every other epsilon, and the median minimal perturbation.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError, MLSecUsageError
from ...core.progress import task
from ...core.report import Report
from ...core.settings import Settings
from .boundary import boundary_attack
from .linear import affine_model, beyond, category_shifts, exact_linear, move
from .model_io import call_model, classifier_classes, labelled_rows, model_input, model_name
from .present import figures, findings, metrics_of, skipped_notes
from .rules import CHECK
from .space import Queries, build_space
from .sparsify import sparsify
from .tree import exact_tree, single_tree

METHODS = ("auto", "exact", "boundary")
NOT_EXACT = ("{model} has no exact attack (neither an affine decision function nor a single "
             "tree): use method='auto' or 'boundary'")
BAD_EPSILON = "epsilon must be a positive number of standard deviations, got {value!r}"
BAD_SAMPLE = "sample must be at least 1, got {value}"
NOTHING_CORRECT = ("{model} classifies none of the {rows} sampled row(s) correctly: there is "
                   "no correct prediction to attack")


def check_robustness(model: Any, X: Any, y: Any, *, epsilon: float | None = None,
                     immutable: Sequence[str] | None = None, sample: int | None = None,
                     method: str = "auto", settings: Settings | None = None,
                     subject: str | None = None) -> Report:
    """Evasion robustness of a fitted classifier on the labelled rows ``X``, ``y``.

    Parameters
    ----------
    model : fitted classifier
        A scikit-learn classifier or Pipeline, or any object with ``predict`` (without
        ``classes_`` its classes are the labels of ``y``); ``decision_function`` enables the
        exact attack of affine models.
    X : DataFrame or array
        Rows to attack (with the columns the model was fitted on); also sets each numeric
        column's scale (its standard deviation) and range.
    y : array-like
        True labels of ``X``; only correctly classified rows are attacked.
    epsilon : float, optional
        The attacker's L-inf budget in standard deviations (default
        ``settings.robustness.epsilon``, 0.1); ROBUST-EVASION is judged at this epsilon.
    immutable : sequence of str, optional
        Columns the attacker cannot change (a one-hot attribute by its name: ``sex`` holds
        ``sex_F``, ``sex_M``); added to ``settings.robustness.immutable``.
    sample : int, optional
        Rows of X attacked (a seeded sample); default ``settings.robustness.sample_rows``.
    method : {"auto", "exact", "boundary"}
        ``auto`` uses the exact attack where one exists, else the black-box attack.
    settings : Settings, optional
    subject : str, optional
        What the report names (default: the model's class).

    Returns
    -------
    Report
        Check ``"robustness"``: ``metrics["attack_success_rate"]``, ``epsilon``,
        ``median_minimal_perturbation``, ``success_rate_by_epsilon``, ``features_moved``,
        ``most_vulnerable_rows``; ROBUST-EVASION when the rate passes the threshold.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    settings = settings or Settings.load()
    options = settings.robustness
    eps = _epsilon(options.epsilon if epsilon is None else epsilon)
    sample_rows = options.sample_rows if sample is None else int(sample)
    if sample_rows < 1:
        raise MLSecUsageError(BAD_SAMPLE.format(value=sample_rows))
    if method not in METHODS:
        raise MLSecUsageError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    frozen = [*options.immutable, *(immutable or ())]
    with task("robustness: preparing the data"):
        classes = classifier_classes(model, y)
        data = labelled_rows(model, X, y, classes)
        space = build_space(data.frame, frozen, clip_to_range=options.clip_to_range,
                            categorical_changes=options.categorical_changes)
        predicted_all = pd_index(classes).get_indexer(
            call_model(model, "predict", model_input(model, data.frame), "X"))
    rng = np.random.default_rng(options.seed)
    total = len(data.frame)
    sampled = np.sort(rng.choice(total, size=sample_rows, replace=False)) \
        if total > sample_rows else np.arange(total)
    correct = sampled[predicted_all[sampled] == data.labels[sampled]]
    if len(correct) == 0:
        raise MLSecInputError(NOTHING_CORRECT.format(model=model_name(model),
                                                     rows=len(sampled)))
    queries = Queries(model, data.frame.iloc[correct], space, classes)
    rows = np.arange(len(correct))
    predicted = predicted_all[correct]
    outcome = _attack(model, queries, rows, predicted, method, options, data.frame, space,
                      predicted_all, eps, rng, cpu_started)
    report_metrics = metrics_of(outcome, queries, space, data, correct, sampled, total, eps,
                                classes, options)
    report = Report(
        check=CHECK,
        subject=subject or model_name(model),
        findings=findings(report_metrics, options),
        metrics=report_metrics,
        skipped=skipped_notes(outcome, space, total, len(sampled), options),
        elapsed_s=time.perf_counter() - started,
        figures=figures(report_metrics) if options.figures else [],
    )
    return report


def pd_index(values: Any) -> Any:
    import pandas as pd

    return pd.Index(values)


def _epsilon(value: Any) -> float:
    try:
        eps = float(value)
    except (TypeError, ValueError):
        raise MLSecUsageError(BAD_EPSILON.format(value=value)) from None
    if not np.isfinite(eps) or eps <= 0:
        raise MLSecUsageError(BAD_EPSILON.format(value=value))
    return eps


class Outcome:
    """What the attack found for each attacked row, and how."""

    def __init__(self, n: int, m: int, g: int) -> None:
        self.epsilons = np.full(n, np.inf)
        self.moves = np.zeros((n, m))
        self.codes = np.zeros((n, g), dtype=np.int64)
        self.influence = np.zeros((n, m))
        self.method = ""
        self.exact = False
        self.notes: list[str] = []
        self.verified = np.zeros(n, dtype=bool)
        self.at_epsilon_moves = np.zeros((n, m))
        self.at_epsilon_codes = np.zeros((n, g), dtype=np.int64)
        self.adversarial_class = np.full(n, -1, dtype=np.int64)
        self.rounds = 0


def _attack(model: Any, queries: Queries, rows: np.ndarray, predicted: np.ndarray,
            method: str, options: Any, frame: Any, space: Any, predicted_all: np.ndarray,
            eps: float, rng: np.random.Generator, cpu_started: float) -> Outcome:
    n, m, g = len(rows), space.dimensions, len(space.categorical)
    outcome = Outcome(n, m, g)
    outcome.codes = queries.codes0[rows].copy()
    tree = single_tree(model)
    has_nan = not np.isfinite(queries.x0).all()
    linear = None
    d0 = None
    if method in ("auto", "exact") and tree is None and hasattr(model, "decision_function"):
        with task("robustness: testing for an affine decision function"):
            d0 = queries.decision(rows, np.zeros((n, m)))
            linear = affine_model(queries, rows, d0, rng)
    if method == "exact" and (linear is None and (tree is None or has_nan)):
        raise MLSecUsageError(NOT_EXACT.format(model=model_name(model)))
    if method != "boundary" and tree is not None and not has_nan:
        with task("robustness: exact attack on the tree's leaves"):
            outcome.epsilons, outcome.moves, outcome.codes = exact_tree(
                queries, rows, predicted, tree, options.categorical_changes)
        outcome.method, outcome.exact = "exact (tree leaves)", True
        outcome.influence = np.abs(outcome.moves)
    elif method != "boundary" and linear is not None and d0 is not None:
        with task("robustness: exact attack on the affine decision function"):
            switches = category_shifts(queries, rows, d0, options.categorical_changes)
            codes, shifts = switches if switches is not None else (None, None)
            eps_rows, moves, chosen, solutions = exact_linear(
                queries, rows, predicted, d0, linear, codes if codes is not None else
                np.zeros((n, 0, g), dtype=np.int64), shifts)
        outcome.epsilons, outcome.moves, outcome.codes = eps_rows, moves, chosen
        outcome.method, outcome.exact = "exact (affine decision function, gradient step)", True
        for i, solution in enumerate(solutions):
            outcome.influence[i] = solution.gain
            if np.isfinite(solution.epsilon) and solution.epsilon <= eps:
                outcome.at_epsilon_moves[i] = move(solution, queries.low_u[rows[i]],
                                                   queries.high_u[rows[i]],
                                                   max(eps, beyond(solution.epsilon)))
    else:
        pool = frame[space.numeric].to_numpy(dtype=float) if m else np.zeros((len(frame), 0))
        deadline = cpu_started + options.cpu_budget_s
        result = boundary_attack(queries, rows, predicted, outcome.codes, pool, predicted_all,
                                 max_queries=options.max_queries, deadline=deadline, rng=rng)
        outcome.epsilons, outcome.moves = result.epsilons, result.moves
        outcome.influence = result.influence
        outcome.method = "black-box (decision-based, HopSkipJump-style, L-inf)"
        outcome.notes += result.stopped
        outcome.rounds = result.rounds
    _confirm(queries, rows, predicted, outcome, eps)
    return outcome


def _confirm(queries: Queries, rows: np.ndarray, predicted: np.ndarray, outcome: Outcome,
             eps: float) -> None:
    """Ask the model about every point found; prepare the points at epsilon for the report."""
    found = np.flatnonzero(np.isfinite(outcome.epsilons))
    if len(found):
        classes = queries.predict(rows[found], outcome.moves[found], outcome.codes[found])
        flipped = classes != predicted[found]
        outcome.verified[found] = flipped
        outcome.adversarial_class[found] = classes
        unconfirmed = found[~flipped]
        if len(unconfirmed):
            outcome.notes.append(f"{len(unconfirmed)} point(s) the attack computed were not "
                                 "confirmed by the model and count as not flipped")
            outcome.epsilons[unconfirmed] = np.inf
    within = np.flatnonzero(outcome.epsilons <= eps)
    if len(within) == 0:
        return
    start = outcome.at_epsilon_moves[within]
    unset = ~np.abs(start).any(axis=1)
    start[unset] = _deepen(queries, rows[within[unset]], outcome.moves[within[unset]],
                           outcome.epsilons[within[unset]], eps)
    hit = queries.predict(rows[within], start, outcome.codes[within]) != predicted[within]
    start[~hit] = outcome.moves[within[~hit]]
    with task("robustness: features the attack needed"):
        moves, codes = sparsify(queries, rows[within], predicted[within], start,
                                outcome.codes[within], outcome.influence[within])
    outcome.at_epsilon_moves[within] = moves
    outcome.at_epsilon_codes[within] = codes


def _deepen(queries: Queries, rows: np.ndarray, moves: np.ndarray, found: np.ndarray,
            eps: float) -> np.ndarray:
    """A boundary point pushed out to the budget along its own direction (deeper in the other
    class, so resets that keep it there are easier to find)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(found > 0, eps / found, 1.0)
    return queries.clip(rows, moves * factor[:, None])
