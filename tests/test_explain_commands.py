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
    assert "global importance" in text and "row 5:" in text
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
