"""``%mlsec bias`` and ``mlsec bias`` end to end: real notebook variables, a real fitted model,
real CSV/Parquet files; numbers checked against fairlearn."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import demographic_parity_difference, equalized_odds_ratio
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from mlsecops_jupyter.cli import main
from mlsecops_jupyter.core import MLSecCheckFailed, Report

FAST = "--set bias.bootstrap_iterations=100 --set bias.figures=false"


def people(n: int = 800, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["F", "M"], n)
    income = rng.normal(50, 10, n) + np.where(sex == "M", 8.0, 0.0)
    age = rng.integers(18, 70, n)
    approved = (income + rng.normal(0, 5, n) > 55).astype(int)
    return pd.DataFrame({"income": income, "age": age, "sex": sex, "approved": approved})


@pytest.fixture(scope="module")
def session(ip: Any) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    data = people()
    features = data[["income", "age"]]
    model = LogisticRegression(max_iter=500).fit(features, data.approved)
    values = {"df": data, "X": data[["income", "age", "sex"]], "y": data.approved,
              "model": model, "y_pred": model.predict(features), "sex": data.sex,
              "w": np.linspace(0.5, 1.5, len(data))}
    ip.user_ns.update(values)
    return values


def _magic(ip: Any, line: str) -> Report:
    with capture_output():
        report = ip.run_line_magic("mlsec", line)
    assert isinstance(report, Report) and report.check == "bias"
    return report


def test_bias_on_prediction_variables_matches_fairlearn(ip: Any, session: dict[str, Any]) -> None:
    report = _magic(ip, f"bias y y_pred --sensitive sex --format text {FAST}")
    expected = demographic_parity_difference(session["y"], session["y_pred"],
                                             sensitive_features=session["sex"])
    assert report.metrics["disparities"]["demographic_parity_difference"] == pytest.approx(
        expected, abs=1e-9)
    assert report.subject == "y_pred vs y"


def test_bias_with_columns_of_data_and_weights(ip: Any, session: dict[str, Any]) -> None:
    report = _magic(ip, f"bias y y_pred --data df --sensitive sex --weights w --format text "
                        f"{FAST}")
    expected = equalized_odds_ratio(session["y"], session["y_pred"],
                                    sensitive_features=session["sex"],
                                    sample_weight=session["w"])
    assert report.metrics["disparities"]["equalized_odds_ratio"] == pytest.approx(expected,
                                                                                  abs=1e-9)
    assert report.metrics["sample_weighted"] is True


def test_bias_of_a_model_drops_the_sensitive_column_it_was_not_fitted_on(
        ip: Any, session: dict[str, Any]) -> None:
    report = _magic(ip, f"bias model X y --sensitive sex --format text {FAST}")
    expected = demographic_parity_difference(session["y"], session["y_pred"],
                                             sensitive_features=session["sex"])
    assert report.metrics["disparities"]["demographic_parity_difference"] == pytest.approx(
        expected, abs=1e-9)
    assert any(f.rule == "BIAS-DEMOGRAPHIC-PARITY" for f in report.findings)
    assert [s.what for s in report.skipped] == ["column 'sex' of X"]


def test_strict_mode_fails_the_cell(ip: Any, session: dict[str, Any]) -> None:
    with capture_output(), pytest.raises(MLSecCheckFailed):
        ip.run_line_magic("mlsec", f"bias model X y --sensitive sex --fail-on medium {FAST}")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("bias y y_pred --sensitive nope", "'nope' is neither a variable"),
        ("bias y --sensitive sex", "bias takes Y_TRUE Y_PRED"),
        ("bias y y_pred", "--sensitive is needed"),
        ("bias sex X y --sensitive sex", "'sex' has no predict method"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(ip: Any, session: dict[str, Any], line: str,
                                             expected: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        ip.run_line_magic("mlsec", line)
    assert expected in str(excinfo.value) and "\n" not in str(excinfo.value)


def test_without_sensitive_bias_groups_by_the_protected_columns_pii_marked(
        ip: Any, session: dict[str, Any]) -> None:
    with capture_output():
        pii = ip.run_line_magic("mlsec", "pii df --format text")
    assert pii.metrics["protected_attributes"] == {"age": "age", "sex": "sex/gender"}
    assert pii.metrics["bias_command"] == "%mlsec bias MODEL X y --sensitive age,sex"
    report = _magic(ip, f"bias model X y --format text {FAST}")
    expected = demographic_parity_difference(session["y"], session["y_pred"],
                                             sensitive_features=session["sex"])
    assert report.metrics["disparities"]["demographic_parity_difference"] == pytest.approx(
        expected, abs=1e-9)
    # age has 52 values: offered by the pii report, but not grouped by without being asked
    assert report.metrics["sensitive_from"] == (
        "protected attributes of the last %mlsec pii report (df); left out, more than 20 "
        "values (bin them and pass --sensitive): age")
    with pytest.raises(UsageError, match="are not columns of --data"):
        ip.run_line_magic("mlsec", "bias y y_pred --data w")


@pytest.fixture(scope="module")
def predictions_file(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bias-files")
    data = people()
    data["pred"] = (data.income > 55).astype(int)
    data.to_csv(folder / "preds.csv", index=False)
    files = {"csv": folder / "preds.csv"}
    try:
        data.to_parquet(folder / "preds.parquet")
        files["parquet"] = folder / "preds.parquet"
    except ImportError:  # no parquet engine installed
        pass
    return files


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_cli_bias_json_and_exit_codes(capsys: pytest.CaptureFixture,
                                      predictions_file: dict[str, Path], kind: str) -> None:
    if kind not in predictions_file:
        pytest.skip("no parquet engine")
    path = predictions_file[kind]
    common = [str(path), "--y-true", "approved", "--y-pred", "pred", "--sensitive", "sex",
              "--set", "bias.bootstrap_iterations=100"]
    code = main(["bias", *common, "--format", "json", "--fail-on", "none"])
    out = capsys.readouterr().out
    assert code == 0
    report = json.loads(out)
    data = pd.read_csv(predictions_file["csv"])
    expected = demographic_parity_difference(data.approved, data.pred,
                                             sensitive_features=data.sex)
    assert report["metrics"]["disparities"]["demographic_parity_difference"] == pytest.approx(
        expected, abs=1e-9)
    assert set(report["metrics"]["by_group"]["sex"]) == {"F", "M"}
    assert main(["bias", *common, "--fail-on", "medium"]) == 1
    text = capsys.readouterr().out
    assert "bias by sex:" in text and "disparities (fairlearn definitions):" in text
    assert main(["bias", *common, "--format", "sarif", "--fail-on", "none"]) == 0
    sarif = json.loads(capsys.readouterr().out)
    rule_ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "BIAS-DEMOGRAPHIC-PARITY" in rule_ids
    # the same --output as mlsec scan: the file gets the document, stderr one summary line
    target = path.parent / f"bias-{kind}.json"
    assert main(["bias", *common, "--format", "json", "--output", str(target),
                 "--fail-on", "none"]) == 0
    assert json.loads(target.read_text())["check"] == "bias"
    assert capsys.readouterr().err.startswith(f"mlsec: wrote json to {target}: ")


def test_cli_unknown_column_exits_2(capsys: pytest.CaptureFixture,
                                    predictions_file: dict[str, Path]) -> None:
    code = main(["bias", str(predictions_file["csv"]), "--y-true", "approved", "--y-pred",
                 "nope", "--sensitive", "sex"])
    assert code == 2
    assert "'nope' is not a column of" in capsys.readouterr().err


# -- no silent wrong answers: scores, thresholds, one-hot attributes, misspelt names -----------
SCORES_REFUSED = "y_pred holds scores, not class labels"


@pytest.fixture(scope="module")
def scored(ip: Any, session: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, Any]:
    """The fitted model's probabilities, a one-hot X and model, a regressor, a CSV of scores."""
    from sklearn.linear_model import LinearRegression, LogisticRegression

    data = session["df"]
    proba = session["model"].predict_proba(data[["income", "age"]])[:, 1]
    encoded = pd.get_dummies(data[["income", "age", "sex"]], columns=["sex"], dtype=int)
    encoded_model = LogisticRegression(max_iter=1000).fit(encoded, data.approved)
    regressor = LinearRegression().fit(data[["age", "approved"]], data.income)
    values = {"proba": proba, "X_onehot": encoded, "model_onehot": encoded_model,
              "income": data.income, "income_pred": regressor.predict(data[["age", "approved"]])}
    ip.user_ns.update(values)
    folder = tmp_path_factory.mktemp("bias-scores")
    frame = data.assign(proba=proba)
    frame.to_csv(folder / "scores.csv", index=False)
    values["csv"] = folder / "scores.csv"
    return values


def test_scores_as_y_pred_are_refused_the_same_way_everywhere(
        ip: Any, session: dict[str, Any], scored: dict[str, Any],
        capsys: pytest.CaptureFixture) -> None:
    """Probabilities measured as a regression said "no findings" on this biased model."""
    from mlsecops_jupyter.checks.fairness import check_bias
    from mlsecops_jupyter.core import MLSecInputError

    with pytest.raises(MLSecInputError, match=SCORES_REFUSED):
        check_bias(session["y"], scored["proba"], session["sex"])
    with pytest.raises(UsageError) as excinfo:
        ip.run_line_magic("mlsec", f"bias y proba --sensitive sex {FAST}")
    message = str(excinfo.value)
    assert SCORES_REFUSED in message and "--y-score" in message and "--threshold" in message
    assert "\n" not in message
    code = main(["bias", str(scored["csv"]), "--y-true", "approved", "--y-pred", "proba",
                 "--sensitive", "sex"])
    assert code == 2
    assert SCORES_REFUSED in capsys.readouterr().err


def test_a_threshold_cuts_scores_and_the_report_says_so(
        ip: Any, session: dict[str, Any], scored: dict[str, Any],
        capsys: pytest.CaptureFixture) -> None:
    predicted = (scored["proba"] >= 0.5).astype(int)
    expected = demographic_parity_difference(session["y"], predicted,
                                             sensitive_features=session["sex"])
    report = _magic(ip, f"bias y proba --sensitive sex --threshold 0.5 --format text {FAST}")
    assert report.metrics["task"] == "binary"
    assert report.metrics["threshold"] == 0.5
    assert "score >= 0.5" in report.metrics["y_pred_from_scores"]
    assert report.metrics["disparities"]["demographic_parity_difference"] == pytest.approx(
        expected, abs=1e-9)
    assert any(f.rule == "BIAS-DEMOGRAPHIC-PARITY" for f in report.findings)
    assert "mean_score" in report.metrics["overall"]  # the scores also serve as y_score
    code = main(["bias", str(scored["csv"]), "--y-true", "approved", "--y-pred", "proba",
                 "--sensitive", "sex", "--threshold", "0.5", "--format", "json",
                 "--fail-on", "none", "--set", "bias.bootstrap_iterations=100"])
    assert code == 0
    cli = json.loads(capsys.readouterr().out)
    assert cli["metrics"]["disparities"]["demographic_parity_difference"] == pytest.approx(
        expected, abs=1e-9)
    assert "score >= 0.5" in cli["metrics"]["y_pred_from_scores"]


def test_a_real_regression_target_still_works(ip: Any, scored: dict[str, Any]) -> None:
    from fairlearn.metrics import MetricFrame, mean_prediction

    report = _magic(ip, f"bias income income_pred --sensitive sex --format text {FAST}")
    assert report.metrics["task"] == "regression"
    frame = MetricFrame(metrics=mean_prediction, y_true=scored["income"],
                        y_pred=scored["income_pred"], sensitive_features=ip.user_ns["sex"])
    for group, value in frame.by_group.items():
        assert report.metrics["by_group"]["sex"][group]["mean_prediction"] == pytest.approx(
            value, rel=1e-9)


def test_sensitive_name_maps_to_its_one_hot_columns_and_says_so(
        ip: Any, session: dict[str, Any], scored: dict[str, Any]) -> None:
    report = _magic(ip, f"bias model_onehot X_onehot y --sensitive sex --format text {FAST}")
    assert report.metrics["sensitive_from_one_hot"] == {
        "sex": "rebuilt from one-hot columns sex_F, sex_M"}
    assert set(report.metrics["by_group"]["sex"]) == {"F", "M"}
    predicted = scored["model_onehot"].predict(scored["X_onehot"])
    expected = demographic_parity_difference(session["y"], predicted,
                                             sensitive_features=session["sex"])
    assert report.metrics["disparities"]["demographic_parity_difference"] == pytest.approx(
        expected, abs=1e-9)
    assert not report.skipped  # the model was fitted on sex_F/sex_M: nothing left out
    from mlsecops_jupyter.display.text import render_text

    assert "rebuilt from one-hot columns sex_F, sex_M" in render_text(report)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("bias y y_prd --sensitive sex", "did you mean 'y_pred'?"),
        ("bias y y_pred --sensitive sexx", "did you mean 'sex'?"),
        ("bias model X y --sensitive Sex", "did you mean 'sex'?"),
        ("bias y y_pred --data dff --sensitive sex", "did you mean 'df'?"),
        ("bias y y_pred --sensitive sex --weights ww", "did you mean 'w'"),
    ],
)
def test_misspelt_names_get_a_suggestion(ip: Any, session: dict[str, Any], line: str,
                                         expected: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        ip.run_line_magic("mlsec", line)
    assert expected in str(excinfo.value) and "\n" not in str(excinfo.value)


def test_cli_misspelt_column_gets_a_suggestion(capsys: pytest.CaptureFixture,
                                               predictions_file: dict[str, Path]) -> None:
    code = main(["bias", str(predictions_file["csv"]), "--y-true", "aproved", "--y-pred",
                 "pred", "--sensitive", "sex"])
    assert code == 2
    assert "did you mean 'approved'?" in capsys.readouterr().err
