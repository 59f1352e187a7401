"""``%mlsec robustness`` and ``%mlsec privacy`` end to end: real variables, real models, real
display, strict mode, the lineage record, and one-line errors; neither exists in the CLI."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from mlsecops_jupyter.core import MLSecCheckFailed, Report


@pytest.fixture(scope="module")
def variables(ip: Any) -> dict[str, Any]:
    from sklearn.datasets import load_wine
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_wine(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, random_state=0,
                                                        stratify=y)
    rng = np.random.default_rng(1)
    near = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    near_y = (near["a"] + 0.3 * rng.normal(size=200) > 0).astype(int)
    values = {
        "forest": RandomForestClassifier(random_state=0).fit(X_train, y_train),
        "linear": make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(
            X_train, y_train),
        "fragile": LogisticRegression().fit(near, near_y),
        "near": near, "near_y": near_y,
        "X_train": X_train, "X_test": X_test, "y_train": y_train, "y_test": y_test,
        "number": 3,
    }
    ip.user_ns.update(values)
    return values


def _run(ip: Any, line: str) -> tuple[Any, list[dict[str, Any]]]:
    with capture_output() as captured:
        result = ip.run_line_magic("mlsec", line)
    return result, [output.data for output in captured.outputs]


def test_robustness_returns_shows_and_records_the_report(ip: Any, variables: Any) -> None:
    from mlsecops_jupyter.lineage import read_records

    report, outputs = _run(ip, "robustness linear X_test y_test --epsilon 0.2")
    assert isinstance(report, Report) and report.check == "robustness"
    assert report.subject == "linear on X_test" and report.metrics["epsilon"] == 0.2
    assert report.metrics["exact"] is True
    (html,) = [o["text/html"] for o in outputs if "text/html" in o]
    assert "success rate by epsilon" in html and "data:image/svg+xml;base64" in html
    path = ip.magics_manager.registry["MLSecMagics"].recorder.path
    checks = [r for r in read_records(path) if r["kind"] == "check"]
    assert checks[-1]["report"]["check"] == "robustness"
    assert checks[-1]["report"]["metrics"]["attack_success_rate"] == \
        report.metrics["attack_success_rate"]


def test_robustness_options_reach_the_check(ip: Any, variables: Any) -> None:
    report, outputs = _run(ip, "robustness fragile near near_y --immutable b --sample 50 "
                               "--method boundary --set robustness.max_queries=400 "
                               "--format text")
    assert report.metrics["rows_sampled"] == 50 and report.metrics["exact"] is False
    assert report.metrics["space"]["numeric_moved"] == ["a"]
    assert report.metrics["max_queries_per_row"] <= 400
    assert any("robustness on fragile on near" in str(o.get("text/plain", ""))
               for o in outputs)


def test_robustness_strict_mode_fails(ip: Any, variables: Any) -> None:
    with pytest.raises(MLSecCheckFailed, match="ROBUST-EVASION"), capture_output():
        ip.run_line_magic("mlsec", "robustness fragile near near_y --epsilon 0.5 "
                                   "--fail-on medium --format text")


def test_privacy_returns_and_catches_the_forest(ip: Any, variables: Any) -> None:
    report, outputs = _run(ip, "privacy forest X_train y_train X_test y_test --format text")
    assert report.check == "privacy"
    assert report.subject == "forest on X_train vs X_test"
    assert [f.rule for f in report.findings] == ["PRIVACY-MEMBERSHIP-INFERENCE"]
    text = "".join(str(o.get("text/plain", "")) for o in outputs)
    assert "membership-inference attacks" in text
    with pytest.raises(MLSecCheckFailed), capture_output():
        ip.run_line_magic("mlsec", "privacy forest X_train y_train X_test y_test "
                                   "--shadow-models 0 --fail-on medium --format text")


def test_privacy_shadow_models_option(ip: Any, variables: Any) -> None:
    report, _ = _run(ip, "privacy linear X_train y_train X_test y_test --shadow-models 0 "
                         "--sample 40 --format json")
    assert [a["attack"] for a in report.metrics["attacks"]] == ["loss threshold"]
    assert report.metrics["members"] == 40 and report.findings == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("robustness missing X_test y_test", "not a variable"),
        ("robustness number X_test y_test", "no predict method"),
        ("robustness linear X_test", "the following arguments are required"),
        ("robustness linear X_test near_y", "y has 200 label"),
        ("robustness linear X_test y_test --epsilon -1", "epsilon must"),
        ("robustness linear X_test y_test --method magic", "invalid choice"),
        ("robustness linear X_test y_test --immutable colour", "immutable column 'colour'"),
        ("privacy forest X_train y_train X_test", "the following arguments are required"),
        ("privacy forest X_train near_y X_test y_test", "y_train has 200 label"),
        ("privacy forest X_train y_train near y_test", "lacks the column"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(ip: Any, variables: Any, line: str,
                                             expected: str) -> None:
    with pytest.raises(UsageError, match=expected) as caught:
        ip.run_line_magic("mlsec", line)
    assert "\n" not in str(caught.value)


def test_help_lists_both_commands(ip: Any) -> None:
    with capture_output() as captured:
        ip.run_line_magic("mlsec", "help")
    assert "robustness" in captured.stdout and "privacy" in captured.stdout


def test_the_command_line_has_neither(capsys: pytest.CaptureFixture) -> None:
    """Attacks run the model: notebook and Python API only, like explain."""
    from mlsecops_jupyter.cli import main

    for name in ("robustness", "privacy"):
        assert main([name, "model.joblib"]) == 2
        assert f"unknown command {name!r}" in capsys.readouterr().err
