"""``check_drift`` on data with known, injected drift; clean controls stay quiet; bad input
gets one line."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlsecops_jupyter.checks.drift import check_drift
from mlsecops_jupyter.checks.svg_charts import HISTOGRAM_WIDTH
from mlsecops_jupyter.core import MLSecInputError, Report, Settings, Severity


def frame(n: int, seed: int, *, score_shift: float = 0.0, rho: float = 0.0,
          channel: tuple[float, ...] = (0.5, 0.3, 0.15, 0.05), balance_missing: float = 0.05,
          visits_rate: float = 2.0, churn_rate: float = 0.3) -> pd.DataFrame:
    """Customers: numeric, integer, discrete, categorical, boolean, missing values, a pair."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(0, 1, n)
    x2 = rho * x1 + np.sqrt(1 - rho ** 2) * rng.normal(0, 1, n)
    balance = rng.normal(1000, 300, n)
    balance[rng.random(n) < balance_missing] = np.nan
    channels = ["web", "store", "phone", "app"][: len(channel)]
    return pd.DataFrame({
        "income": rng.gamma(2.0, 20_000, n),
        "age": rng.integers(18, 90, n),
        "score": rng.normal(600 + 80 * score_shift, 80, n),
        "visits": rng.poisson(visits_rate, n),
        "channel": rng.choice(channels, n, p=np.asarray(channel) / sum(channel)),
        "member": rng.random(n) < 0.4,
        "region": rng.choice([f"r{i:02d}" for i in range(30)], n,
                             p=(w := 1 / np.arange(1, 31)) / w.sum()),
        "balance": balance,
        "x1": x1,
        "x2": x2,
        "churn": (rng.random(n) < churn_rate).astype(int),
    })


def found(report: Report) -> list[tuple[str, Any]]:
    return sorted((f.rule, f.location.column) for f in report.findings)


# -- clean controls -----------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(8))
def test_two_samples_of_one_distribution_raise_nothing(seed: int) -> None:
    report = check_drift(frame(2_000, 2 * seed), frame(1_500, 2 * seed + 1), target="churn")
    assert report.findings == [], [f.detail for f in report.findings]
    assert report.metrics["tests"] >= 11
    assert report.metrics["multivariate"]["drifted"] is False


def test_a_tiny_shift_is_significant_at_scale_but_does_not_matter() -> None:
    """0.06 std on 100,000 rows: KS rejects, the effect is below drift.numeric_effect."""
    report = check_drift(frame(100_000, 1), frame(100_000, 2, score_shift=0.06))
    column = report.metrics["columns"]["score"]
    assert column["p_adjusted"] < 0.01
    assert column["effect"] < 0.1
    assert report.findings == []
    assert report.metrics["sample_rows"] == {"reference": 50_000, "current": 50_000}


# -- injected drift -----------------------------------------------------------------------------
def test_a_mean_shift_is_found_in_that_column_only() -> None:
    report = check_drift(frame(3_000, 1), frame(3_000, 2, score_shift=0.5))
    assert found(report) == [("DRIFT-FEATURE", "score")]
    finding = report.findings[0]
    evidence = finding.evidence
    assert finding.severity is Severity.HIGH  # 0.5 std >= 3 x the 0.1 threshold
    assert evidence["test"] == "ks" and evidence["p_adjusted"] <= 0.01
    assert evidence["effect"]["measure"] == "wasserstein/std"
    assert evidence["effect"]["value"] == pytest.approx(0.5, abs=0.08)
    assert evidence["reference"]["mean"] == pytest.approx(600, abs=5)
    assert evidence["current"]["mean"] == pytest.approx(640, abs=5)
    assert {"psi", "statistic", "p_value", "sample_rows"} <= set(evidence)
    assert "reference standard deviations" in finding.detail
    assert [fig.title for fig in report.figures] == ["score: reference vs current values"]
    figure = report.figures[0]
    assert figure.mime == "image/svg+xml" and not figure.drawn  # drawn only when shown
    assert figure.data.startswith(b"<svg") and figure.width == HISTOGRAM_WIDTH


def test_a_moderate_shift_is_medium() -> None:
    report = check_drift(frame(5_000, 1), frame(5_000, 2, score_shift=0.2))
    assert [(f.rule, f.location.column, f.severity) for f in report.findings] == [
        ("DRIFT-FEATURE", "score", Severity.MEDIUM)]


def test_a_new_category_and_a_vanished_one_are_named_with_their_shares() -> None:
    reference = frame(4_000, 1, channel=(0.5, 0.3, 0.15, 0.05))
    current = frame(4_000, 2, channel=(0.5, 0.3, 0.15, 0.05))
    current["channel"] = current["channel"].replace({"app": "kiosk"})
    report = check_drift(reference, current)
    assert found(report) == [("DRIFT-FEATURE", "channel")]
    evidence = report.findings[0].evidence
    assert evidence["kind"] == "categorical" and evidence["test"] == "chi2"
    assert evidence["new_categories"] == {"kiosk": pytest.approx(0.05, abs=0.015)}
    assert evidence["vanished_categories"] == {"app": pytest.approx(0.05, abs=0.015)}
    assert "New: 'kiosk'" in report.findings[0].detail


def test_a_rise_in_missing_values_is_a_drift_of_its_own() -> None:
    report = check_drift(frame(4_000, 1), frame(4_000, 2, balance_missing=0.2))
    assert found(report) == [("DRIFT-FEATURE", "balance")]
    finding = report.findings[0]
    assert finding.evidence["drifted"] == ["missing"]
    assert finding.evidence["missing"]["change"] == pytest.approx(0.15, abs=0.02)
    assert finding.title == "A feature's share of missing values changed"
    assert "missing values 5." in finding.detail


def test_a_discrete_count_column_is_compared_as_categories() -> None:
    report = check_drift(frame(4_000, 1), frame(4_000, 2, visits_rate=2.8))
    assert found(report) == [("DRIFT-FEATURE", "visits")]
    assert report.findings[0].evidence["kind"] == "discrete"
    assert report.findings[0].evidence["test"] == "chi2"


def test_a_changed_correlation_is_found_jointly_and_only_jointly() -> None:
    report = check_drift(frame(6_000, 1, rho=0.0), frame(6_000, 2, rho=0.8))
    assert found(report) == [("DRIFT-MULTIVARIATE", None)]
    finding = report.findings[0]
    drivers = [d["column"] for d in finding.evidence["drivers"]]
    assert set(drivers[:2]) == {"x1", "x2"}
    assert finding.evidence["auc"] > 0.55
    assert "None of them drifted on its own" in finding.detail


def test_a_changed_correlation_beside_a_drifted_column_is_still_found() -> None:
    report = check_drift(frame(6_000, 1), frame(6_000, 2, score_shift=0.5, rho=0.8))
    assert found(report) == [("DRIFT-FEATURE", "score"), ("DRIFT-MULTIVARIATE", None)]
    evidence = next(f for f in report.findings if f.rule == "DRIFT-MULTIVARIATE").evidence
    assert evidence["auc_without_drifted_columns"] > 0.55
    assert {d["column"] for d in evidence["drivers"][:2]} == {"x1", "x2"}


def test_label_drift_from_a_column_and_prediction_drift_from_two_arrays() -> None:
    reference, current = frame(5_000, 1), frame(5_000, 2, churn_rate=0.45)
    rng = np.random.default_rng(0)
    report = check_drift(reference, current, target="churn",
                         prediction=(rng.beta(2, 5, 5_000), rng.beta(3, 4, 4_000)))
    assert found(report) == [("DRIFT-LABEL", "churn"), ("DRIFT-PREDICTION", None)]
    label = next(f for f in report.findings if f.rule == "DRIFT-LABEL")
    assert label.severity is Severity.HIGH
    assert label.evidence["kind"] == "discrete"
    assert "churn" not in report.metrics["columns"]  # the label is not a feature
    assert report.metrics["prediction"]["drifted"] == ["values"]


def test_reports_are_deterministic_and_strict_json() -> None:
    reference, current = frame(3_000, 1), frame(3_000, 2, score_shift=0.4, rho=0.6)
    first, second = check_drift(reference, current), check_drift(reference, current)
    assert first.to_dict() | {"elapsed_s": 0} == second.to_dict() | {"elapsed_s": 0}

    def refuse(token: str) -> None:
        raise AssertionError(f"{token} in JSON")

    json.loads(first.to_json(), parse_constant=refuse)


def test_sarif_carries_the_drift_rules() -> None:
    report = check_drift(frame(3_000, 1), frame(3_000, 2, score_shift=0.5))
    sarif = report.to_sarif()
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "DRIFT-FEATURE" in rules
    assert sarif["runs"][0]["results"][0]["ruleId"] == "DRIFT-FEATURE"


def test_settings_change_the_thresholds_and_turn_off_parts() -> None:
    settings = Settings().override({"drift.numeric_effect": 0.6, "drift.multivariate": False,
                                    "drift.figures": False})
    report = check_drift(frame(3_000, 1), frame(3_000, 2, score_shift=0.5), settings=settings)
    assert report.findings == [] and report.figures == []
    assert "multivariate" not in report.metrics


# -- inputs that work ---------------------------------------------------------------------------
def test_columns_of_one_side_only_dates_and_all_missing_columns_are_reported_as_skipped() -> None:
    reference, current = frame(1_000, 1), frame(1_000, 2)
    reference["when"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(1_000), "h")
    current["when"] = pd.Timestamp("2025-01-01") + pd.to_timedelta(np.arange(1_000), "h")
    reference["empty"] = current["empty"] = np.nan
    reference["customer"] = [f"c{i:05d}" for i in range(1_000)]
    current["customer"] = [f"c{i:05d}" for i in range(1_000, 2_000)]
    current["extra"] = 1.0
    report = check_drift(reference, current)
    skipped = {s.what: s.why for s in report.skipped}
    assert skipped["values of 'customer'"].startswith("an identifier: 1000 of 1000")
    assert "date/time" in skipped["column 'when'"]
    assert skipped["values of 'empty'"] == "no values to compare on either side"
    assert "only in the current data" in skipped["column 'extra'"]
    assert report.findings == []
    named = check_drift(reference, current, columns=["when", "score"])
    assert found(named) == [("DRIFT-FEATURE", "when")]


def test_a_column_empty_in_the_current_data_is_a_missing_value_drift() -> None:
    reference, current = frame(1_000, 1), frame(1_000, 2)
    current["income"] = np.nan
    report = check_drift(reference, current)
    assert found(report) == [("DRIFT-FEATURE", "income")]
    assert report.findings[0].evidence["drifted"] == ["missing"]


def test_arrays_files_unicode_and_infinities() -> None:
    reference = frame(1_500, 1).drop(columns=["channel", "region"])
    current = frame(1_500, 2, score_shift=0.6).drop(columns=["channel", "region"])
    arrays = check_drift(reference.to_numpy(float), current.to_numpy(float),
                         feature_names=list(reference.columns))
    assert found(arrays) == [("DRIFT-FEATURE", "score")]
    unnamed = check_drift(reference.to_numpy(float), current.to_numpy(float))
    assert found(unnamed) == [("DRIFT-FEATURE", "x2")]  # score is the third column
    odd = pd.DataFrame({"städt\u202e": ["Zürich", "東京", None] * 200,
                        "v": np.r_[np.inf, -np.inf, np.arange(598.0)]})
    report = check_drift(odd, odd.copy())
    assert report.findings == []
    assert report.metrics["columns"]["v"]["kind"] == "numeric"


def test_csv_and_parquet_paths(tmp_path: Any) -> None:
    reference, current = frame(1_000, 1), frame(1_000, 2, score_shift=0.6)
    reference.to_csv(tmp_path / "ref.csv", index=False)
    current.to_parquet(tmp_path / "cur.parquet")
    report = check_drift(tmp_path / "ref.csv", tmp_path / "cur.parquet")
    assert found(report) == [("DRIFT-FEATURE", "score")]
    assert report.subject.endswith("ref.csv vs " + str(tmp_path / "cur.parquet"))


# -- bad input: one line each -------------------------------------------------------------------
def _base() -> pd.DataFrame:
    return frame(200, 1)


BAD_INPUTS = {
    "empty reference": (lambda: (_base().iloc[:0], _base(), {}), "reference has no rows"),
    "empty current": (lambda: (_base(), _base().iloc[:0], {}), "current has no rows"),
    "one row": (lambda: (_base(), _base().iloc[:1], {}), "current has 1 row(s)"),
    "no columns": (lambda: (pd.DataFrame(index=range(20)), _base(), {}),
                   "reference has no columns"),
    "missing column": (lambda: (_base(), _base().drop(columns=["income"]), {}),
                       "lacks 1 column(s) of the reference: 'income'"),
    "mismatched kinds": (lambda: (_base(), _base().assign(age=lambda f: f.age.astype(str)), {}),
                         "'age' holds numeric values in the reference but categorical values"),
    "all missing": (lambda: (_base()[["income"]] * np.nan, _base()[["income"]] * np.nan, {}),
                    "every compared column is empty"),
    "not a table": (lambda: (42, _base(), {}), "reference must be a DataFrame"),
    "3-D array": (lambda: (np.zeros((3, 3, 3)), _base(), {}), "must be 2-D"),
    "unknown target": (lambda: (_base(), _base(), {"target": "chrn"}),
                       "target='chrn' is not a column of the reference data; did you mean "
                       "'churn'?"),
    "unknown exclude": (lambda: (_base(), _base(), {"exclude": ["nope"]}), "exclude='nope'"),
    "unknown columns": (lambda: (_base(), _base(), {"columns": ["scor"]}), "columns='scor'"),
    "duplicate columns": (lambda: (pd.concat([_base(), _base()[["age"]]], axis=1), _base(), {}),
                          "duplicate column names (age)"),
    "prediction pair of a table": (
        lambda: (_base(), _base(), {"prediction": (np.zeros((5, 2)), np.zeros(5))}),
        "prediction (reference) must be one column"),
    "prediction of another type": (lambda: (_base(), _base(), {"prediction": 3}),
                                   "prediction must be a column name"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_naming_the_problem(case: str) -> None:
    make, expected = BAD_INPUTS[case]
    reference, current, options = make()
    with pytest.raises(MLSecInputError) as raised:
        check_drift(reference, current, **options)
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message


def test_long_work_is_reported_to_the_progress_sink() -> None:
    from mlsecops_jupyter.core.progress import using_sink

    events: list[tuple[str, ...]] = []

    class Sink:
        def started(self, label: str, total: int | None) -> None:
            events.append(("start", label))

        def advanced(self, label: str, done: int, total: int | None, note: str) -> None:
            events.append(("step", note))

        def finished(self, label: str, elapsed_s: float) -> None:
            events.append(("end", label))

    with using_sink(Sink()):
        check_drift(frame(500, 1), frame(500, 2))
    assert ("start", "drift: comparing columns") in events
    assert ("step", "score") in events and ("end", "drift: domain classifier") in events
