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
        ("bias y y_pred", "the following arguments are required: --sensitive"),
        ("bias sex X y --sensitive sex", "'sex' has no predict method"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(ip: Any, session: dict[str, Any], line: str,
                                             expected: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        ip.run_line_magic("mlsec", line)
    assert expected in str(excinfo.value) and "\n" not in str(excinfo.value)


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
