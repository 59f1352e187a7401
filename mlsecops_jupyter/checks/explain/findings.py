"""Security-relevant readings of an explanation: one dominant feature, sensitive proxies.

Associations are measured on the explained sample and bounded in [0, 1] so one threshold fits
all pairs: Cramer's V between two categorical columns, the correlation ratio (eta) between a
numeric and a categorical one, |Pearson r| between two numeric ones.
"""

from __future__ import annotations

from typing import Any

from ...core.finding import Finding, Location
from ...core.settings import ExplainSettings
from .rules import RULES

MAX_CATEGORIES = 20  # a column with at most this many distinct values is treated as categorical


def importance_table(values: Any, names: list[str]) -> list[dict[str, Any]]:
    """Mean |SHAP| per feature with its spread (std and IQR), most important first."""
    import numpy as np

    # one contiguous row per feature, sorted once: the mean, spread and quartiles then cost a
    # few vectorised passes (np.percentile's partition is ~4x slower at 1,000 rows, and the
    # table must cost little next to a shap call of tens of milliseconds)
    signed = np.asarray(values, dtype=float).T
    magnitude = np.sort(np.abs(signed), axis=1)
    means = magnitude.mean(axis=1)
    stds = magnitude.std(axis=1)
    q1, q3 = _quartile(magnitude, 0.25), _quartile(magnitude, 0.75)
    signed = signed.mean(axis=1)
    total = float(means.sum()) or 1.0
    rows: list[dict[str, Any]] = [
        {
            "feature": name,
            "mean_abs_shap": round(float(means[index]), 6),
            "std_abs_shap": round(float(stds[index]), 6),
            "iqr_abs_shap": round(float(q3[index] - q1[index]), 6),
            "mean_shap": round(float(signed[index]), 6),
            "share": round(float(means[index]) / total, 6),
        }
        for index, name in enumerate(names)
    ]
    rows.sort(key=lambda row: (-row["mean_abs_shap"], row["feature"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def _quartile(ordered: Any, q: float) -> Any:
    """The q-quantile of each row of an ascending-sorted matrix (numpy's linear method)."""
    import math

    count = ordered.shape[1]
    position = q * (count - 1)
    low = math.floor(position)
    high = min(low + 1, count - 1)
    return ordered[:, low] + (ordered[:, high] - ordered[:, low]) * (position - low)


def dominant_feature(table: list[dict[str, Any]], settings: ExplainSettings) -> list[Finding]:
    if len(table) < 2 or table[0]["mean_abs_shap"] <= 0:
        return []
    top, second = table[0], table[1]
    ratio = top["mean_abs_shap"] / second["mean_abs_shap"] if second["mean_abs_shap"] else None
    if top["share"] <= settings.dominance_share:
        return []
    if ratio is not None and ratio <= settings.dominance_ratio:
        return []
    ratio_text = "all other features carry none" if ratio is None else f"{ratio:.1f}x the next"
    detail = (f"{top['feature']!r} carries {top['share']:.0%} of the total mean |SHAP| "
              f"({ratio_text}, {second['feature']!r}): a leakage suspect")
    return [RULES["EXPLAIN-DOMINANT-FEATURE"].finding(
        detail, Location(column=top["feature"]),
        {"feature": top["feature"], "share": top["share"],
         "ratio_to_next": None if ratio is None else round(ratio, 3),
         "next_feature": second["feature"]},
    )]


def sensitive_features(table: list[dict[str, Any]], data: Any, names: list[str],
                       sensitive: Any, settings: ExplainSettings) -> tuple[list[Finding],
                                                                          dict[str, Any]]:
    """Findings for sensitive attributes (or proxies) in the top-k, and the association table."""
    findings: list[Finding] = []
    associations: dict[str, dict[str, float]] = {}
    if sensitive is None or sensitive.shape[1] == 0:
        return findings, associations
    top = [row for row in table[: settings.sensitive_top_k] if row["mean_abs_shap"] > 0]
    position = {name: i for i, name in enumerate(names)}
    for row in top:
        feature = row["feature"]
        column = data[:, position[feature]]
        for attribute in sensitive.columns:
            if _names_attribute(feature, str(attribute)):
                strength, how = 1.0, f"encodes the sensitive attribute {attribute!r} itself"
            else:
                strength = association(column, sensitive[attribute].to_numpy())
                how = (f"is a proxy of the sensitive attribute {attribute!r} (association "
                       f"{strength:.2f})")
            associations.setdefault(feature, {})[str(attribute)] = round(strength, 6)
            if strength < settings.association_threshold:
                continue
            detail = f"{feature!r} (rank {row['rank']}, {row['share']:.0%} of attribution) {how}"
            findings.append(RULES["EXPLAIN-SENSITIVE-FEATURE"].finding(
                detail, Location(column=feature),
                {"feature": feature, "sensitive": str(attribute), "rank": row["rank"],
                 "association": round(strength, 6)},
            ))
    return findings, associations


def _names_attribute(feature: str, attribute: str) -> bool:
    """``sex``, ``cat__sex`` and one-hot ``cat__sex_F`` all name the attribute ``sex``."""
    tail = feature.split("__", 1)[-1]
    return tail == attribute or tail.startswith(attribute + "_") or feature == attribute


def association(feature: Any, attribute: Any) -> float:
    """Strength in [0, 1] between two columns; 0 when either is constant or empty."""
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"f": feature, "a": attribute}).dropna()
    if len(frame) < 3 or frame["f"].nunique() < 2 or frame["a"].nunique() < 2:
        return 0.0
    f_categorical = _categorical(frame["f"])
    a_categorical = _categorical(frame["a"])
    if f_categorical and a_categorical:
        return _cramers_v(frame["f"], frame["a"])
    if not f_categorical and not a_categorical:
        value = np.corrcoef(frame["f"].astype(float), frame["a"].astype(float))[0, 1]
        return float(abs(value)) if np.isfinite(value) else 0.0
    numeric, groups = (frame["a"], frame["f"]) if f_categorical else (frame["f"], frame["a"])
    return _correlation_ratio(numeric.astype(float), groups)


def _categorical(column: Any) -> bool:
    return column.dtype.kind not in "biuf" or column.nunique() <= MAX_CATEGORIES


def _cramers_v(left: Any, right: Any) -> float:
    import numpy as np
    import pandas as pd

    table = pd.crosstab(left.astype(str), right.astype(str)).to_numpy(dtype=float)
    total = table.sum()
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / total
    chi2 = float(((table - expected) ** 2 / expected).sum())
    k = min(table.shape) - 1
    return float(np.sqrt(chi2 / (total * k))) if k > 0 else 0.0


def _correlation_ratio(numeric: Any, groups: Any) -> float:
    import numpy as np

    overall = numeric.mean()
    total = float(((numeric - overall) ** 2).sum())
    if total == 0:
        return 0.0
    between = sum(len(part) * (part.mean() - overall) ** 2
                  for _, part in numeric.groupby(groups.astype(str)))
    return float(np.sqrt(between / total))
