"""``check_drift``: reference vs current data, per column, jointly, label and prediction."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError
from ...core.progress import task
from ...core.report import Report, Skipped
from ...core.settings import DriftSettings, Settings
from . import _classifier
from ._columns import ColumnResult, measure
from ._inputs import (
    DATETIME,
    KIND_MISMATCH,
    kind_of,
    named_or_pair,
    resolve_columns,
    sample_positions,
)
from ._sides import Sides, all_missing, sides_for
from ._stats import holm
from .rules import CHECK

ALL_EMPTY = ("every compared column is empty (all values missing) on both sides: {names}; "
             "there is nothing to compare")
SAMPLE_METHOD = ("seeded uniform random sample of rows (seed {seed}) for the value tests and "
                 "the domain classifier; missing-value shares count every row")


@dataclass
class Multivariate:
    """The domain classifier's outcome inside the test family."""

    result: _classifier.DomainResult
    encoded: tuple[np.ndarray, np.ndarray, np.ndarray]   # matrix, categorical mask, sides
    adjusted: float = 1.0
    drifted: bool = False
    # the separation comes from columns that drifted on their own: a finding would repeat them
    explained: bool = False
    # the classifier refitted without those columns, when some drifted
    residual: _classifier.DomainResult | None = None


@dataclass
class Outcome:
    """Everything ``check_drift`` measured, handed to the presentation."""

    config: DriftSettings
    rows: dict[str, int]
    sample_rows: dict[str, int]
    columns: list[ColumnResult]
    label: ColumnResult | None
    prediction: ColumnResult | None
    multivariate: Multivariate | None
    tests: int
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def measured(self) -> list[ColumnResult]:
        return [*self.columns, *(c for c in (self.label, self.prediction) if c is not None)]


def check_drift(reference: Any, current: Any, target: Any = None, prediction: Any = None, *,
                columns: Sequence[Any] | None = None, exclude: Sequence[Any] | None = None,
                settings: Settings | None = None, subject: str | None = None,
                feature_names: Sequence[str] | None = None) -> Report:
    """Find how the current data differs from the reference data, column by column and jointly.

    Parameters
    ----------
    reference, current : DataFrame, dask DataFrame, 2-D array or path
        The data the model was built on (or any baseline) and the data it sees now. Paths are
        read as CSV or Parquet (by content). Arrays take their column names from
        ``feature_names`` (else ``x0, x1, ...``, the names the lineage reference uses). A dask
        DataFrame on either side is counted and sampled across its partitions on the active
        dask scheduler (the same sample pandas would draw, docs/dask.md).
    target, prediction : str or (array-like, array-like), optional
        The label and the model's output: a column name both sides hold (left out of the
        features), or a pair ``(reference values, current values)``. Enables DRIFT-LABEL /
        DRIFT-PREDICTION.
    columns, exclude : list of column names, optional
        Compare only ``columns`` (default: every column of the reference), minus ``exclude``.
        Date/time columns are compared only when named in ``columns``: later data is always
        later.
    settings : Settings, optional
        ``settings.drift`` holds the sample sizes, alpha and effect thresholds
        (``[tool.mlsec.drift]``); default: ``Settings.load()``.
    subject : str, optional
        What the report is about (default: ``"reference vs current"``, or the file names).

    Returns
    -------
    Report
        ``check="drift"``. Findings: DRIFT-FEATURE (``location.column``), DRIFT-MULTIVARIATE,
        DRIFT-LABEL, DRIFT-PREDICTION, each with statistic, p-value (raw and Holm-adjusted),
        effect and both sides' summaries in ``evidence``. ``metrics["columns"]`` holds every
        column's numbers, ``metrics["sample_rows"]`` the sample sizes used.
    """
    started = time.perf_counter()
    settings = settings if settings is not None else Settings.load()
    config = settings.drift
    sides = sides_for(reference, current, feature_names, config)
    ref, cur = sides.reference, sides.current
    target_column, target_pair = named_or_pair(target, "target", ref, cur)
    prediction_column, prediction_pair = named_or_pair(prediction, "prediction", ref, cur)
    reserved = [c for c in (target_column, prediction_column) if c is not None]
    resolved = resolve_columns(ref, cur, columns, exclude, reserved,
                               lambda side, name: all_missing(sides, side, name))
    skipped = [Skipped(f"column {c!r}", "only in the current data: nothing to compare it with")
               for c in resolved.only_current]
    compared = []
    for name in resolved.features:
        if resolved.kinds[name] == DATETIME and columns is None:
            skipped.append(Skipped(f"column {name!r}", "a date/time column: later data is "
                                   "always later; name it in columns= to compare it"))
            continue
        compared.append(name)
    ref, cur, positions = sides.sampled([*compared, *reserved], config)
    results: list[ColumnResult] = []
    with task("drift: comparing columns", total=len(compared)) as step:
        for name in compared:
            step.advance(note=str(name))
            results.append(measure(name, "feature", resolved.kinds[name], ref[name], cur[name],
                                   positions, config, _totals(sides, name)))
    if results and all(_empty(r) for r in results) and target is None and prediction is None:
        names = ", ".join(repr(str(r.name)) for r in results[:5])
        raise MLSecInputError(ALL_EMPTY.format(names=names))
    label = _outcome_column("label", target_column, target_pair, sides, ref, cur, positions,
                            config)
    output = _outcome_column("prediction", prediction_column, prediction_pair, sides, ref, cur,
                             positions, config)
    for result in [*results, *(c for c in (label, output) if c is not None)]:
        if result.not_tested:
            skipped.append(Skipped(f"values of {result.name!r}", result.not_tested))
    multivariate = _multivariate(ref, cur, results, resolved.kinds, positions, config, skipped)
    outcome = Outcome(config, {"reference": sides.rows("reference"),
                               "current": sides.rows("current")},
                      {"reference": len(ref) if positions[0] is None else len(positions[0]),
                       "current": len(cur) if positions[1] is None else len(positions[1])},
                      results, label, output, multivariate, 0, skipped)
    _decide(outcome)
    if multivariate is not None and multivariate.drifted:
        _beyond_drifted_columns(multivariate, results, config)
        if not multivariate.explained:
            shown = multivariate.residual or multivariate.result
            _classifier.find_drivers(shown, config.max_drivers, config.seed)

    from ._present import build_metrics, findings

    report = Report(check=CHECK, subject=subject or _subject(reference, current),
                    findings=findings(outcome), metrics=build_metrics(outcome),
                    skipped=outcome.skipped)
    report.metrics.update(sides.describe())
    if config.figures:
        from ._plots import drift_figures

        report.figures.extend(drift_figures(outcome.measured, config.max_figures))
    report.elapsed_s = time.perf_counter() - started
    return report


def _empty(result: ColumnResult) -> bool:
    """No value at all on either side (every row missing)."""
    return all(result.summaries.get(side, {}).get("missing_share") == 1.0
               for side in ("reference", "current"))


def _subject(reference: Any, current: Any) -> str:
    import os

    if isinstance(reference, (str, os.PathLike)) and isinstance(current, (str, os.PathLike)):
        return f"{reference} vs {current}"
    return "reference vs current"


def _totals(sides: Sides, column: Any) -> tuple[int, int, int, int]:
    """Missing values and rows of ``column`` on each side, over every row."""
    return (sides.missing("reference", column), sides.rows("reference"),
            sides.missing("current", column), sides.rows("current"))


def _outcome_column(role: str, column: Any, pair: tuple[Any, Any] | None, sides: Sides,
                    ref: Any, cur: Any, positions: tuple[np.ndarray | None, np.ndarray | None],
                    config: DriftSettings) -> ColumnResult | None:
    """The label or prediction, from a column of both frames or from two arrays of values."""
    totals = None
    if column is not None:
        ref_values, cur_values = ref[column], cur[column]
        name = column
        totals = _totals(sides, column)
    elif pair is not None:
        ref_values, cur_values = pair
        rng = np.random.default_rng(config.seed + (1 if role == "label" else 2))
        positions = (sample_positions(len(ref_values), config.sample_rows, rng),
                     sample_positions(len(cur_values), config.sample_rows, rng))
        name = role
    else:
        return None
    kinds = (kind_of(ref_values), kind_of(cur_values))
    if totals is None:
        totals = (int(ref_values.isna().sum()), len(ref_values), int(cur_values.isna().sum()),
                  len(cur_values))
    ref_empty, cur_empty = totals[0] == totals[1], totals[2] == totals[3]
    if kinds[0] != kinds[1] and not (ref_empty or cur_empty):
        raise MLSecInputError(KIND_MISMATCH.format(name=str(name), reference=kinds[0],
                                                   current=kinds[1]))
    kind = kinds[1] if ref_empty else kinds[0]
    return measure(name, role, kind, ref_values, cur_values, positions, config, totals)


def _multivariate(ref: Any, cur: Any, results: list[ColumnResult], kinds: dict[Any, str],
                  positions: tuple[np.ndarray | None, np.ndarray | None],
                  config: DriftSettings, skipped: list[Skipped]) -> Multivariate | None:
    """The domain classifier on the compared feature columns (at least two)."""
    if not config.multivariate:
        return None
    # columns with values somewhere; identifiers would only let the trees memorise rows
    names = [r.name for r in results if not _empty(r) and not r.identifier]
    if len(names) < 2:
        skipped.append(Skipped("DRIFT-MULTIVARIATE", "fewer than two columns to compare "
                               "jointly: the per-column tests say it all"))
        return None
    rng = np.random.default_rng(config.seed + 3)
    samples = []
    for frame, kept in ((ref, positions[0]), (cur, positions[1])):
        rows = len(frame) if kept is None else len(kept)
        chosen = sample_positions(rows, config.classifier_rows, rng)
        picked = kept if chosen is None else (chosen if kept is None else kept[chosen])
        sampled = frame[names] if picked is None else frame[names].iloc[picked]
        samples.append(sampled)
    if min(len(s) for s in samples) < _classifier.MIN_ROWS:
        skipped.append(Skipped("DRIFT-MULTIVARIATE", f"fewer than {_classifier.MIN_ROWS} rows "
                               "on a side for a classifier"))
        return None
    with task("drift: domain classifier"):
        matrix, mask, sides = _classifier.encode(samples[0], samples[1], names, kinds)
        return Multivariate(_classifier.fit(matrix, mask, sides, names, config.seed),
                            (matrix, mask, sides))


def _decide(outcome: Outcome) -> None:
    """Holm over every test of the report, then the effect thresholds that matter."""
    config = outcome.config
    family: list[tuple[ColumnResult | None, str, float]] = []
    for result in outcome.measured:
        for aspect, tested in result.tests:
            family.append((result, aspect, tested.p_value))
    if outcome.multivariate is not None:
        family.append((None, "multivariate", outcome.multivariate.result.p_value))
    outcome.tests = len(family)
    adjusted = holm([p for _, _, p in family])
    for (owner, aspect, _), p_adjusted in zip(family, adjusted, strict=True):
        significant = p_adjusted <= config.alpha
        if owner is None:
            assert outcome.multivariate is not None
            outcome.multivariate.adjusted = p_adjusted
            outcome.multivariate.drifted = significant and (
                outcome.multivariate.result.auc >= config.classifier_auc)
            continue
        owner.adjusted[aspect] = p_adjusted
        measured = owner.values if aspect == "values" else owner.missing
        assert measured is not None
        if significant and measured.effect >= threshold_of(measured, config):
            owner.drifted.append(aspect)


def _beyond_drifted_columns(multivariate: Multivariate, results: list[ColumnResult],
                            config: DriftSettings) -> None:
    """Whether the rows still separate without the columns that drifted on their own.

    A classifier that separates the sides only through columns with their own finding repeats
    those findings. So when some columns drifted, it is refitted without them: only if the rest
    still separates (its AUC reaches ``classifier_auc`` and its p-value ``alpha``; both tests
    must reject, which keeps the report's error rate) is there a joint change to report, and
    its drivers come from that refit. A correlation between a drifted column and another one
    is then not reported on its own: the drifted column's finding stands for it.
    """
    full = multivariate.result
    drifted = {r.name for r in results if r.drifted}
    if not drifted:
        return
    keep = [j for j, name in enumerate(full.columns) if name not in drifted]
    if len(keep) < 2:
        multivariate.explained = True
        return
    matrix, mask, sides = multivariate.encoded
    with task("drift: domain classifier without the drifted columns"):
        residual = _classifier.fit(matrix[:, keep], mask[keep], sides,
                                   [full.columns[j] for j in keep], config.seed)
    multivariate.residual = residual
    multivariate.explained = not (residual.p_value <= config.alpha
                                  and residual.auc >= config.classifier_auc)


def threshold_of(tested: Any, config: DriftSettings) -> float:
    """The effect that matters for a test: by what it measures."""
    if tested.effect_name == "wasserstein/std":
        return config.numeric_effect
    if tested.effect_name == "jensen-shannon":
        return config.categorical_effect
    return config.missing_effect
