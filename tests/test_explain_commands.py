"""``%mlsec explain`` end to end: real notebook variables, real fitted models, real display."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from mlsecops_jupyter.core import MLSecCheckFailed, Report
from mlsecops_jupyter.display import render_text

FAST = "--set explain.background_rows=30 --sample 80"


@pytest.fixture(scope="module")
def variables(ip: Any) -> dict[str, Any]:
    from sklearn.ensemble import GradientBoostingClassifier

    rng = np.random.default_rng(7)
    rows = 300
    sex = rng.choice(["F", "M"], rows)
    frame = pd.DataFrame({
        "height": np.where(sex == "M", 178.0, 165.0) + rng.normal(0, 3, rows),
        "tenure": rng.normal(size=rows),
        "score": rng.normal(size=rows),
        "sex": sex,
    })
    label = (frame["height"] + 5 * frame["tenure"] + rng.normal(0, 3, rows) > 172).astype(int)
    features = frame[["height", "tenure", "score"]]
    model = GradientBoostingClassifier(n_estimators=30, random_state=0).fit(features, label)
    values = {"model": model, "people": frame, "features": features, "nothing": 3}
    ip.user_ns.update(values)
    return values


def _run(ip: Any, line: str) -> tuple[Any, list[dict[str, Any]]]:
    with capture_output() as captured:
        result = ip.run_line_magic("mlsec", line)
    return result, [output.data for output in captured.outputs]


def test_explain_returns_and_shows_the_report(ip: Any, variables: Any) -> None:
    report, outputs = _run(ip, f"explain model features {FAST} --format html")
    assert isinstance(report, Report) and report.check == "explain"
    assert report.metrics["explainer"] == "TreeExplainer"
    assert report.metrics["importance"][0]["feature"] == "height"
    (html,) = [o["text/html"] for o in outputs if "text/html" in o]
    # importance bars as SVG, shap's beeswarm as a hi-dpi PNG
    assert "global importance" in html and html.count("data:image/svg+xml;base64") == 1
    assert html.count("data:image/png;base64") == 1


def test_explain_row_sensitive_and_text(ip: Any, variables: Any) -> None:
    report, outputs = _run(ip, f"explain model people --row 5 --sensitive sex {FAST} "
                               "--format text")
    assert report.metrics["row"]["row"] == 5
    assert len(report.figures) == 3
    flagged = [f.evidence for f in report.findings if f.rule == "EXPLAIN-SENSITIVE-FEATURE"]
    assert {"feature": "height", "sensitive": "sex"}.items() <= flagged[0].items()
    text = render_text(report)
    assert "global importance" in text and "row 5 (index label 5):" in text
    assert any(text.splitlines()[0] in str(o.get("text/plain", "")) for o in outputs)


def test_explain_strict_mode_fails(ip: Any, variables: Any) -> None:
    with pytest.raises(MLSecCheckFailed), capture_output():
        ip.run_line_magic("mlsec", f"explain model people --sensitive sex {FAST} "
                                   "--fail-on medium --format text")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("explain missing features", "not a variable"),
        ("explain model features --row 999", "out of range"),
        ("explain nothing features", "no predict method"),
        ("explain model features --method linear", "needs a linear model"),
        ("explain model features --method magic", "invalid choice"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(ip: Any, variables: Any, line: str,
                                             expected: str) -> None:
    with pytest.raises(UsageError, match=expected) as caught:
        ip.run_line_magic("mlsec", line)
    assert "\n" not in str(caught.value)


# -- position and index label, one-hot attributes, misspelt names -----------------------------
@pytest.fixture(scope="module")
def split(ip: Any, variables: Any) -> dict[str, Any]:
    """A held-out split: index labels are the original row numbers, not positions."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    people = variables["people"]
    encoded = pd.get_dummies(people, columns=["sex"], dtype=int)
    label = (people["height"] > 172).astype(int)
    train, test = train_test_split(encoded, test_size=0.3, random_state=0)
    onehot_model = LogisticRegression(max_iter=1000).fit(train, label.loc[train.index])
    values = {"X_test": test, "onehot_model": onehot_model}
    ip.user_ns.update(values)
    return values


def test_row_reports_its_position_and_its_index_label(ip: Any, split: dict[str, Any]) -> None:
    test = split["X_test"]
    label = int(test.index[3])
    assert label != 3
    report, _ = _run(ip, f"explain onehot_model X_test --row 3 {FAST} --format text")
    row = report.metrics["row"]
    assert row["position"] == 3 and row["index_label"] == label and row["row"] == label
    expected = split["onehot_model"].decision_function(test.iloc[[3]])[0]
    assert row["output_value"] == pytest.approx(expected, abs=1e-4)
    text = render_text(report)
    assert f"row 3 (index label {label}):" in text
    assert report.figures[-1].title == f"row 3 (index label {label}): contributions (waterfall)"
    last, _ = _run(ip, f"explain onehot_model X_test --row -1 {FAST} --format text")
    assert last.metrics["row"]["position"] == len(test) - 1
    assert last.metrics["row"]["index_label"] == int(test.index[-1])


def test_sensitive_name_maps_to_its_one_hot_columns_and_says_so(
        ip: Any, split: dict[str, Any]) -> None:
    report, _ = _run(ip, f"explain onehot_model X_test --sensitive sex {FAST} --format text")
    assert report.metrics["sensitive_from_one_hot"] == {
        "sex": "rebuilt from one-hot columns sex_F, sex_M"}
    assert "rebuilt from one-hot columns sex_F, sex_M" in render_text(report)
    flagged = {(f.evidence["feature"], f.evidence["sensitive"]) for f in report.findings
               if f.rule == "EXPLAIN-SENSITIVE-FEATURE"}
    assert ("height", "sex") in flagged  # a proxy of the rebuilt attribute


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("explain modle features", "'modle' is not a variable of this notebook; did you mean "
                                   "'model'?"),
        ("explain model featurs", "did you mean 'features'?"),
        ("explain model people --sensitive sexe", "did you mean 'sex'?"),
        ("explain onehot_model X_test --sensitive gender", "neither a column of X, nor the "
                                                           "name of its one-hot columns"),
    ],
)
def test_misspelt_names_get_a_suggestion(ip: Any, split: dict[str, Any], line: str,
                                         expected: str) -> None:
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("mlsec", f"{line} {FAST}")
    assert expected in str(caught.value) and "\n" not in str(caught.value)
