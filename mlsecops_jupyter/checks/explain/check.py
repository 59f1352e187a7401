"""``explain``: SHAP attributions of a fitted model, with the findings they support."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from ...core.progress import task
from ...core.report import Report, Skipped
from ...core.settings import Settings
from .choose import plan as choose_plan
from .findings import dominant_feature, importance_table, sensitive_features
from .inputs import prepare
from .plots import bar_figure, beeswarm_figure, waterfall_figure
from .rules import CHECK, RULES
from .run import explain_sample

TOP_IN_METRICS = 50
BEESWARM_ROWS = 400  # shap's beeswarm lays out every dot; more rows only cost time
BACKGROUND_UNUSED = ("TreeExplainer weighs each path by the trees' own training cover "
                     "(tree_path_dependent): the background given is not used")


def explain(model: Any, X: Any, background: Any = None, *,
            feature_names: Sequence[str] | None = None, sample: int | None = None,
            method: str = "auto", sensitive: Any = None, row: int | None = None,
            settings: Settings | None = None, subject: str | None = None) -> Report:
    """Explain what ``model`` relies on, with SHAP, in bounded time.

    Parameters
    ----------
    model : fitted estimator
        A scikit-learn model or Pipeline (or any object with ``predict``/``predict_proba``).
    X : DataFrame or array
        Rows to explain; a seeded sample of ``sample`` rows is explained (stated in the report).
    background : DataFrame or array, optional
        Reference rows for linear/permutation/kernel explainers (default: rows of X).
    feature_names : sequence of str, optional
        Column names for numpy inputs (they replace a frame's names too).
    sample : int, optional
        Rows explained; default ``settings.explain.sample_rows`` (1,000).
    method : {"auto", "tree", "linear", "permutation", "kernel"}
        ``auto`` picks tree/linear explainers where exact, else permutation.
    sensitive : str, sequence of str, Series or DataFrame, optional
        Sensitive attributes: column names of X (used by the model or not) or their values.
    row : int, optional
        Position of one row of X to explain alone (waterfall plot and per-feature table).
    settings : Settings, optional

    Returns
    -------
    Report
        Check ``"explain"``; ``metrics["importance"]`` (mean |SHAP|, std, IQR, share per
        feature), the explainer, space and output explained; bar and beeswarm figures (and a
        waterfall for ``row``); EXPLAIN-* findings.
    """
    started = time.perf_counter()
    settings = settings or Settings.load()
    options = settings.explain
    sample_rows = options.sample_rows if sample is None else int(sample)
    if sample_rows < 1:
        from ...core.errors import MLSecUsageError

        raise MLSecUsageError(f"sample must be at least 1, got {sample_rows}")
    with task("explain: preparing the data"):
        chosen = choose_plan(model, method)
        prepared = prepare(model, X, background, feature_names=feature_names,
                           sensitive=sensitive, row=row, sample_rows=sample_rows,
                           background_rows=options.background_rows, seed=options.seed,
                           needs_background=chosen.method != "tree")
    elapsed = time.perf_counter() - started
    attribution = explain_sample(chosen, prepared.frame, prepared.background,
                                 budget_s=max(0.5, options.time_budget_s - elapsed),
                                 compile_cache=options.compile_cache, seed=options.seed)
    table = importance_table(attribution.values, attribution.feature_names)
    sensitive_rows = (None if prepared.sensitive is None
                      else prepared.sensitive.iloc[attribution.explained_rows])
    findings = dominant_feature(table, options)
    proxy_findings, associations = sensitive_features(
        table, attribution.data, attribution.feature_names, sensitive_rows, options)
    findings += proxy_findings
    if attribution.additivity_failed:
        findings.append(RULES["EXPLAIN-ADDITIVITY"].finding(
            f"{chosen.explainer} additivity check failed on {type(chosen.explained).__name__}; "
            "values recomputed without the check"))
    explained = len(attribution.explained_rows)
    metrics: dict[str, Any] = {
        "explainer": chosen.explainer,
        "method": chosen.method,
        "space": chosen.space,
        "output": attribution.output,
        "rows_total": prepared.rows_total,
        "rows_explained": explained,
        "sample_rows": sample_rows,
        "features": len(attribution.feature_names),
        "importance": table[:TOP_IN_METRICS],
    }
    if prepared.background is not None:
        metrics["background_rows"] = attribution.background_rows
    if attribution.max_evals is not None:
        metrics["max_evals"] = attribution.max_evals
        metrics["warmup_s"] = round(attribution.warmup_s, 3)
    if associations:
        metrics["sensitive_associations"] = associations
    if prepared.sensitive_sources:
        metrics["sensitive_from_one_hot"] = {
            name: "rebuilt from one-hot columns " + ", ".join(columns)
            for name, columns in prepared.sensitive_sources.items()}
    skipped = [Skipped(f"{prepared.rows_total - explained} of {prepared.rows_total} rows",
                       f"explained a sample of {explained} rows (seed {options.seed})")
               ] if explained < prepared.rows_total else []
    skipped += [Skipped("explainer cost", note) for note in attribution.reductions]
    if background is not None and prepared.background is None:
        skipped.append(Skipped("background", BACKGROUND_UNUSED))
    if len(table) > TOP_IN_METRICS:
        skipped.append(Skipped(f"{len(table) - TOP_IN_METRICS} least important features",
                               "left out of the importance table in metrics"))
    figures = []
    row_metrics = _row_explanation(prepared, attribution) if row is not None else None
    if row_metrics is not None:
        metrics["row"] = row_metrics
    metrics["tables"] = _tables(table, row_metrics, prepared.row_caption() if row_metrics
                                else "")
    metrics["tables_cover"] = ["importance", "row", "tables_cover"]
    if options.plots:
        explanation = _shap_explanation(attribution)
        figures.append(bar_figure(table, "global importance: mean |SHAP| per feature"))
        shown = explanation[: BEESWARM_ROWS]
        figures.append(beeswarm_figure(
            shown, f"SHAP values per feature (beeswarm, {len(shown.values)} rows)"))
        if row is not None and prepared.row_position in attribution.explained_rows:
            index = attribution.explained_rows.index(prepared.row_position)
            figures.append(waterfall_figure(explanation[index],
                                            f"{prepared.row_caption()}: contributions "
                                            "(waterfall)"))
    return Report(
        check=CHECK,
        subject=subject or type(model).__name__,
        findings=findings,
        metrics=metrics,
        skipped=skipped,
        elapsed_s=time.perf_counter() - started,
        figures=figures,
    )


def _tables(table: list[dict[str, Any]], row: dict[str, Any] | None,
            caption: str = "") -> list[dict[str, Any]]:
    """The importance table (and one row's contributions) for the text and HTML views."""
    tables = [{
        "title": "global importance (mean |SHAP| over the explained rows)",
        "columns": ["rank", "feature", "mean |SHAP|", "std", "IQR", "share", "mean SHAP"],
        "rows": [[r["rank"], r["feature"], r["mean_abs_shap"], r["std_abs_shap"],
                  r["iqr_abs_shap"], r["share"], r["mean_shap"]] for r in table],
    }]
    if row is not None:
        title = (f"{caption or 'row ' + str(row['row'])}: base value "
                 f"{row['base_value']:.3f} -> output {row['output_value']:.3f}")
        if "class" in row:
            title += f" (explaining class {row['class']})"
        tables.append({
            "title": title,
            "columns": ["feature", "value", "SHAP"],
            "rows": [[c["feature"], c["value"], c["shap"]] for c in row["contributions"]],
        })
    return tables


def _shap_explanation(attribution: Any) -> Any:
    import shap

    return shap.Explanation(values=attribution.values, base_values=attribution.base_values,
                            data=attribution.data, feature_names=attribution.feature_names)


def _row_explanation(prepared: Any, attribution: Any) -> dict[str, Any] | None:
    """One prediction: base value, each feature's value and contribution, largest first."""
    if prepared.row_position not in attribution.explained_rows:
        return None
    index = attribution.explained_rows.index(prepared.row_position)
    values = attribution.values[index]
    contributions = sorted(
        ({"feature": name, "value": _plain(attribution.data[index][i]),
          "shap": round(float(values[i]), 6)}
         for i, name in enumerate(attribution.feature_names)),
        key=lambda item: (-abs(item["shap"]), item["feature"]),
    )
    base = float(attribution.base_values[index])
    result: dict[str, Any] = {
        "row": _plain(prepared.row_label),
        "position": prepared.row_requested,
        "index_label": _plain(prepared.row_label),
        "base_value": round(base, 6),
        "output_value": round(base + float(values.sum()), 6),
        "contributions": contributions[:TOP_IN_METRICS],
    }
    if attribution.class_per_row:
        result["class"] = attribution.class_per_row[index]
    return result


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    return round(value, 6) if isinstance(value, float) else value
