"""The privacy report: every attack's separation, the rows most exposed, finding and figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ...core.report import Figure
from .rules import RULES
from .stats import LOW_FPR, Separation

DECIMALS = 6
HISTOGRAM_BINS = 10


@dataclass
class Attack:
    name: str
    scores: np.ndarray  # membership score of every pooled row (members first)
    result: Separation


def _r(value: float) -> float:
    return round(float(value), DECIMALS)


def _plain(value: Any) -> Any:
    value = value.item() if hasattr(value, "item") else value
    return round(value, DECIMALS) if isinstance(value, float) else value


def best_attack(attacks: list[Attack]) -> Attack:
    """The attack with the highest AUC (the first listed on a tie)."""
    return max(attacks, key=lambda a: a.result.auc)


def metrics_of(attacks: list[Attack], truth: np.ndarray, labels: np.ndarray,
               proba: np.ndarray, correct: np.ndarray, members: np.ndarray, train: Any,
               classes: np.ndarray, output_kind: str, shadows_fitted: int, shadows_asked: int,
               z: float, options: Any) -> dict[str, Any]:
    best = best_attack(attacks)
    n = int(truth.sum())
    table = [{"attack": a.name, "auc": _r(a.result.auc), "ci_low": _r(a.result.ci_low),
              "ci_high": _r(a.result.ci_high), "advantage": _r(a.result.advantage),
              "tpr_at_1pct_fpr": _r(a.result.tpr_at_low_fpr)} for a in attacks]
    metrics: dict[str, Any] = {
        "membership_auc": _r(best.result.auc),
        "membership_auc_ci": {"low": _r(best.result.ci_low), "high": _r(best.result.ci_high)},
        "confidence_level": options.confidence_level,
        "interval": (f"DeLong, Bonferroni-adjusted over {len(attacks)} attack(s) "
                     f"(z = {z:.3f})"),
        "attacker_advantage": _r(best.result.advantage),
        "tpr_at_1pct_fpr": _r(best.result.tpr_at_low_fpr),
        "best_attack": best.name,
        "attacks": table,
        "members": n,
        "non_members": int((~truth).sum()),
        "train_accuracy": _r(correct[truth].mean()),
        "test_accuracy": _r(correct[~truth].mean()),
        "generalization_gap": _r(correct[truth].mean() - correct[~truth].mean()),
        "model_output": output_kind,
        "shadow_models": shadows_fitted,
        "shadow_models_asked": shadows_asked,
    }
    metrics["most_exposed_rows"] = _exposed(best, truth, labels, proba, members, train,
                                            classes, options.exposed_rows)
    metrics["tables"] = _tables(metrics)
    metrics["tables_cover"] = ["attacks", "most_exposed_rows", "tables_cover"]
    return metrics


def _exposed(best: Attack, truth: np.ndarray, labels: np.ndarray, proba: np.ndarray,
             members: np.ndarray, train: Any, classes: np.ndarray,
             limit: int) -> list[dict[str, Any]]:
    """The training rows the best attack is surest of, with the share of non-members that
    score as high (the false-positive rate an attacker pays to name that row)."""
    member_scores = best.scores[truth]
    other_scores = np.sort(best.scores[~truth])
    order = np.argsort(-member_scores, kind="stable")[:max(limit, 0)]
    rows = []
    for i in order:
        position = int(members[i])
        above = len(other_scores) - np.searchsorted(other_scores, member_scores[i], side="left")
        rows.append({
            "row": position,
            "index_label": _plain(train.index[position]),
            "label": _plain(classes[labels[i]]),
            "confidence": _r(proba[i, labels[i]]),
            "score": _r(member_scores[i]),
            "non_members_as_high": _r(above / max(len(other_scores), 1)),
        })
    return rows


def _tables(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    tables = [{
        "title": f"membership-inference attacks ({metrics['members']} members vs "
                 f"{metrics['non_members']} non-members; interval: {metrics['interval']})",
        "columns": ["attack", "AUC", "CI low", "CI high", "advantage", "TPR at 1% FPR"],
        "rows": [[a["attack"], a["auc"], a["ci_low"], a["ci_high"], a["advantage"],
                  a["tpr_at_1pct_fpr"]] for a in metrics["attacks"]],
    }]
    exposed = metrics["most_exposed_rows"]
    if exposed:
        tables.append({
            "title": f"training rows most exposed ({metrics['best_attack']} attack)",
            "columns": ["row", "index label", "label", "confidence", "score",
                        "non-members as high"],
            "rows": [[r["row"], r["index_label"], r["label"], r["confidence"], r["score"],
                      r["non_members_as_high"]] for r in exposed],
        })
    return tables


def findings(metrics: dict[str, Any], options: Any) -> list[Any]:
    low, high = metrics["membership_auc_ci"]["low"], metrics["membership_auc_ci"]["high"]
    if low <= options.auc_threshold:
        return []
    from ...core.severity import Severity

    auc = metrics["membership_auc"]
    severity = Severity.HIGH if auc >= options.high_auc else None
    exposed = [r["index_label"] for r in metrics["most_exposed_rows"][:5]]
    detail = (f"The {metrics['best_attack']} attack tells {metrics['members']} training rows "
              f"from {metrics['non_members']} held-out rows with AUC {auc:.3f} "
              f"({options.confidence_level:.0%} interval {low:.3f}-{high:.3f}, above "
              f"{options.auc_threshold:g}); attacker advantage {metrics['attacker_advantage']:.3f}"
              f", {metrics['tpr_at_1pct_fpr']:.1%} of members named at {LOW_FPR:.0%} false "
              f"positives. Train accuracy {metrics['train_accuracy']:.3f} vs test "
              f"{metrics['test_accuracy']:.3f}.")
    evidence = {"membership_auc": auc, "ci": [low, high], "attack": metrics["best_attack"],
                "attacker_advantage": metrics["attacker_advantage"],
                "tpr_at_1pct_fpr": metrics["tpr_at_1pct_fpr"], "most_exposed": exposed}
    return [RULES["PRIVACY-MEMBERSHIP-INFERENCE"].finding(detail, evidence=evidence,
                                                          severity=severity)]


def figures(metrics: dict[str, Any], attacks: list[Attack], truth: np.ndarray) -> list[Figure]:
    from ..svg_charts import Series, grouped_bars

    shown = []
    title = "membership AUC per attack (whiskers: interval; 0.5 = guessing)"
    names = [a["attack"] for a in metrics["attacks"]]
    chart = grouped_bars(title, names, [Series(
        "AUC", [a["auc"] for a in metrics["attacks"]],
        low=[a["ci_low"] for a in metrics["attacks"]],
        high=[a["ci_high"] for a in metrics["attacks"]])], y_label="AUC", y_max=1.0)
    shown.append(Figure(title, chart.svg, mime="image/svg+xml", width=chart.width))
    best = best_attack(attacks)
    edges = np.unique(np.quantile(best.scores, np.linspace(0, 1, HISTOGRAM_BINS + 1)))
    if len(edges) < 3 and best.scores.max() > best.scores.min():  # few distinct scores
        edges = np.linspace(best.scores.min(), best.scores.max(), HISTOGRAM_BINS + 1)
    if len(edges) >= 3:
        bins = np.clip(np.searchsorted(edges, best.scores, side="right") - 1, 0,
                       len(edges) - 2)
        count = len(edges) - 1
        share_in = np.bincount(bins[truth], minlength=count) / max(truth.sum(), 1)
        share_out = np.bincount(bins[~truth], minlength=count) / max((~truth).sum(), 1)
        title = f"{best.name} score: members vs non-members (score bins, low to high)"
        chart = grouped_bars(title, [str(i + 1) for i in range(count)],
                             [Series("members", share_in.tolist()),
                              Series("non-members", share_out.tolist())],
                             y_label="share of rows")
        shown.append(Figure(title, chart.svg, mime="image/svg+xml", width=chart.width))
    return shown
