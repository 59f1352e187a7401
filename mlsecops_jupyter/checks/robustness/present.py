"""The robustness report: metrics, tables, the ROBUST-EVASION finding and the figures.

Everything shown is computed from each attacked row's minimal perturbation (exact, or the best
the attack found) and from the reduced adversarial points at epsilon (``sparsify``), with fixed
rounding, so the same inputs give the same report.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.report import Figure, Skipped
from .rules import RULES

EPSILON_GRID = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
TOP_ROWS = 10
TOP_FEATURES = 15
DECIMALS = 6


def _round(value: float) -> float | None:
    return round(float(value), DECIMALS) if np.isfinite(value) else None


def _plain(value: Any) -> Any:
    value = value.item() if hasattr(value, "item") else value
    return round(value, DECIMALS) if isinstance(value, float) else value


def metrics_of(outcome: Any, queries: Any, space: Any, data: Any, correct: np.ndarray,
               sampled: np.ndarray, total: int, eps: float, classes: np.ndarray,
               options: Any) -> dict[str, Any]:
    attacked = len(correct)
    minima = outcome.epsilons
    flipped = minima <= eps
    rate = float(flipped.mean())
    finite = minima[np.isfinite(minima)]
    grid = sorted({*EPSILON_GRID, eps})
    by_epsilon = {f"{e:g}": round(float((minima <= e).mean()), DECIMALS) for e in grid}
    metrics: dict[str, Any] = {
        "attack_success_rate": round(rate, DECIMALS),
        "epsilon": eps,
        "epsilon_unit": "standard deviations per numeric feature (L-inf)",
        "method": outcome.method,
        "exact": outcome.exact,
        "rows_total": total,
        "rows_sampled": int(len(sampled)),
        "rows_misclassified": int(len(sampled) - attacked),
        "rows_attacked": attacked,
        "rows_flipped": int(flipped.sum()),
        "rows_not_flipped_at_any_size": int((~np.isfinite(minima)).sum()),
        "median_minimal_perturbation": _round(float(np.median(minima))),
        "minimal_perturbation_quartiles": {
            name: _round(float(q)) for name, q in
            zip(("q1", "median", "q3"), np.quantile(minima, (0.25, 0.5, 0.75)), strict=True)},
        "success_rate_by_epsilon": by_epsilon,
        "queries": int(queries.queries.sum()),
        "max_queries_per_row": int(queries.queries.max(initial=0)),
        "space": space.describe(),
    }
    if outcome.rounds:
        metrics["attack_rounds"] = outcome.rounds
    if len(finite) < attacked:
        metrics["median_note"] = ("rows with no flip found count as infinitely robust: the "
                                  "median is over every attacked row")
    metrics["features_moved"] = _features_moved(outcome, queries, space, flipped)
    metrics["most_vulnerable_rows"] = _vulnerable_rows(outcome, queries, space, data, correct,
                                                       classes)
    metrics["tables"] = _tables(metrics, eps)
    metrics["tables_cover"] = ["features_moved", "most_vulnerable_rows",
                               "success_rate_by_epsilon", "space", "tables_cover"]
    return metrics


def _features_moved(outcome: Any, queries: Any, space: Any,
                    flipped: np.ndarray) -> list[dict[str, Any]]:
    """Per feature: in how many flipped rows the reduced attack still moves it, and how far."""
    at = np.flatnonzero(flipped)
    rows: list[dict[str, Any]] = []
    if len(at) == 0:
        return rows
    moves = outcome.at_epsilon_moves[at]
    for j, name in enumerate(space.numeric):
        moved = moves[:, j] != 0
        count = int(moved.sum())
        if count:
            size = np.abs(moves[moved, j])
            rows.append({"feature": name, "kind": "numeric", "rows": count,
                         "share": round(count / len(at), DECIMALS),
                         "mean_move_sd": round(float(size.mean()), DECIMALS),
                         "mean_move": round(float((size * space.scale[j]).mean()), DECIMALS)})
    original = queries.codes0[at]
    codes = outcome.at_epsilon_codes[at]
    for g, feature in enumerate(space.categorical):
        count = int((codes[:, g] != original[:, g]).sum())
        if count:
            rows.append({"feature": feature.name, "kind": f"categorical ({feature.kind})",
                         "rows": count, "share": round(count / len(at), DECIMALS),
                         "mean_move_sd": None, "mean_move": None})
    rows.sort(key=lambda r: (-r["rows"], r["feature"]))
    return rows


def _vulnerable_rows(outcome: Any, queries: Any, space: Any, data: Any, correct: np.ndarray,
                     classes: np.ndarray) -> list[dict[str, Any]]:
    order = np.argsort(outcome.epsilons, kind="stable")
    rows = []
    for i in order[:TOP_ROWS]:
        if not np.isfinite(outcome.epsilons[i]):
            break
        moves = outcome.moves[i]
        # the coordinates that bought the most of the flip first (an L-inf move is often
        # the same size on every coordinate: the attack's influence tells them apart)
        weight = np.abs(moves) * (outcome.influence[i] if outcome.influence[i].any() else 1.0)
        changed = [space.numeric[j] for j in np.argsort(-weight, kind="stable")
                   if moves[j] != 0][:3]
        changed += [f.name for g, f in enumerate(space.categorical)
                    if outcome.codes[i, g] != queries.codes0[i, g]]
        position = int(correct[i])
        rows.append({
            "row": position,
            "index_label": _plain(data.index[position]),
            "label": _plain(classes[data.labels[position]]),
            "becomes": _plain(classes[outcome.adversarial_class[i]]),
            "minimal_perturbation": _round(outcome.epsilons[i]),
            "largest_moves": ", ".join(changed) or "-",
        })
    return rows


def _tables(metrics: dict[str, Any], eps: float) -> list[dict[str, Any]]:
    tables = [{
        "title": "success rate by epsilon (share of correctly classified rows flipped)",
        "columns": ["epsilon (sd)", "success rate", "judged"],
        "rows": [[float(k), v, "yes" if float(k) == eps else ""]
                 for k, v in metrics["success_rate_by_epsilon"].items()],
    }]
    features = metrics["features_moved"][:TOP_FEATURES]
    if features:
        tables.append({
            "title": f"features the attack needed at epsilon {eps:g} (over "
                     f"{metrics['rows_flipped']} flipped rows)",
            "columns": ["feature", "kind", "rows", "share", "mean move (sd)", "mean move"],
            "rows": [[r["feature"], r["kind"], r["rows"], r["share"], r["mean_move_sd"],
                      r["mean_move"]] for r in features],
        })
    vulnerable = metrics["most_vulnerable_rows"]
    if vulnerable:
        tables.append({
            "title": "most vulnerable rows (smallest perturbation that flips them)",
            "columns": ["row", "index label", "label", "becomes", "minimal perturbation (sd)",
                        "largest moves"],
            "rows": [[r["row"], r["index_label"], r["label"], r["becomes"],
                      r["minimal_perturbation"], r["largest_moves"]] for r in vulnerable],
        })
    return tables


def findings(metrics: dict[str, Any], options: Any) -> list[Any]:
    rate = metrics["attack_success_rate"]
    if rate <= options.success_threshold:
        return []
    rule = RULES["ROBUST-EVASION"]
    severity = None
    if rate >= options.high_rate:
        from ...core.severity import Severity

        severity = Severity.HIGH
    eps = metrics["epsilon"]
    kind = "exact" if metrics["exact"] else "found by the attack (a lower bound)"
    top = [r["feature"] for r in metrics["features_moved"][:3]]
    detail = (f"{metrics['rows_flipped']} of {metrics['rows_attacked']} correctly classified "
              f"rows ({rate:.0%}) change class under a perturbation of at most epsilon = "
              f"{eps:g} standard deviations per numeric feature (L-inf); threshold "
              f"{options.success_threshold:.0%}. Rate {kind}; method: {metrics['method']}.")
    if top:
        detail += f" Features the attack needed most: {', '.join(top)}."
    evidence = {"attack_success_rate": rate, "epsilon": eps,
                "rows_flipped": metrics["rows_flipped"],
                "rows_attacked": metrics["rows_attacked"],
                "median_minimal_perturbation": metrics["median_minimal_perturbation"],
                "features": top, "exact": metrics["exact"]}
    return [rule.finding(detail, evidence=evidence, severity=severity)]


def skipped_notes(outcome: Any, space: Any, total: int, sampled: int,
                  options: Any) -> list[Skipped]:
    notes = []
    if sampled < total:
        notes.append(Skipped(f"{total - sampled} of {total} rows",
                             f"attacked a seeded sample of {sampled} rows (robustness."
                             f"sample_rows, seed {options.seed})"))
    for column, why in sorted(space.held.items()):
        notes.append(Skipped(f"column {column}", f"never perturbed: {why}"))
    notes += [Skipped("attack", note) for note in outcome.notes]
    return notes


def figures(metrics: dict[str, Any]) -> list[Figure]:
    from ..svg_charts import Series, grouped_bars, horizontal_bars

    shown = []
    rates = metrics["success_rate_by_epsilon"]
    title = "share of correct predictions flipped, by epsilon (sd, L-inf)"
    chart = grouped_bars(title, list(rates), [Series("success rate", list(rates.values()))],
                         y_label="attack success rate", y_max=1.0)
    shown.append(Figure(title, chart.svg, mime="image/svg+xml", width=chart.width))
    features = metrics["features_moved"][:TOP_FEATURES]
    if features:
        title = f"features the attack needed at epsilon {metrics['epsilon']:g}"
        chart = horizontal_bars(title, [r["feature"] for r in features],
                                [r["share"] for r in features],
                                x_label="share of flipped rows")
        shown.append(Figure(title, chart.svg, mime="image/svg+xml", width=chart.width))
    return shown
