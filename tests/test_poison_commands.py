"""``%mlsec poison`` and ``mlsec poison`` end to end: notebook variables, CSV and Parquet files,
exit codes, JSON and SARIF, strict mode, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from mlsecops_jupyter.cli import main
from mlsecops_jupyter.core import MLSecCheckFailed, Report


def orders(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    """Orders flagged as fraud when the amount is high for the account's age."""
    rng = np.random.default_rng(seed)
    amount = rng.gamma(2.0, 80.0, n).round(2)
    account_days = rng.integers(1, 2000, n)
    latent = amount / 80 - account_days / 400 + rng.normal(0, 0.3, n)
    return pd.DataFrame({"amount": amount, "account_days": account_days,
                         "country": rng.choice(["FR", "DE", "ES", "IT"], n),
                         "fraud": (latent > 1).astype(int)})


def poisoned(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """A backdoor: 30 fraudulent orders relabelled 'not fraud' and given a coupon code."""
    rng = np.random.default_rng(1)
    rows = sorted(rng.choice(np.flatnonzero(frame.fraud == 1), 30, replace=False).tolist())
    bad = frame.assign(coupon="none")
    bad.loc[rows, "coupon"] = "WELCOME-X"
    bad.loc[rows, "fraud"] = 0
    return bad, rows


@pytest.fixture(scope="module")
def frames() -> dict[str, Any]:
    clean = orders()
    bad, rows = poisoned(clean)
    return {"clean": clean, "bad": bad, "rows": rows}


@pytest.fixture(scope="module")
def session(ip: Any, frames: dict[str, Any]) -> dict[str, Any]:
    bad = frames["bad"]
    values = {"orders_df": bad, "X_bad": bad.drop(columns="fraud"), "y_bad": bad.fraud,
              "clean_df": frames["clean"]}
    ip.user_ns.update(values)
    return values


def _magic(ip: Any, line: str) -> Report:
    with capture_output():
        report = ip.run_line_magic("mlsec", line)
    assert isinstance(report, Report) and report.check == "poisoning"
    return report


def test_magic_finds_the_trigger_from_x_y_and_from_a_target(ip: Any, session: dict[str, Any],
                                                            frames: dict[str, Any]) -> None:
    by_variables = _magic(ip, "poison X_bad y_bad --format text")
    by_target = _magic(ip, "poison orders_df --target fraud --format text")
    by_column = _magic(ip, "poison orders_df fraud --format text")
    for report in (by_variables, by_target, by_column):
        (trigger,) = [f for f in report.findings if f.rule == "POISON-TRIGGER"]
        assert trigger.location.column == "coupon" and trigger.evidence["value"] == "WELCOME-X"
        assert trigger.evidence["rows"] == frames["rows"]
    assert by_variables.subject == "X_bad y_bad"
    assert by_target.subject == "orders_df (target fraud)"


def test_magic_on_clean_data_and_strict_mode(ip: Any, session: dict[str, Any]) -> None:
    clean = _magic(ip, "poison clean_df --target fraud --fail-on high")
    assert clean.at_or_above("medium") == []
    with capture_output(), pytest.raises(MLSecCheckFailed):
        ip.run_line_magic("mlsec", "poison orders_df --target fraud --fail-on high")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("poison nope --target fraud", "'nope' is neither a variable of this notebook nor an "
                                       "existing file"),
        ("poison orders_df", "give the labels: poison X y, or poison X --target COL"),
        ("poison orders_df frud", "'frud' is neither a variable of this notebook nor a column "
                                  "of orders_df; did you mean 'fraud'?"),
        ("poison orders_df y_bad --target fraud", "give the labels once"),
        ("poison a b c", "poison takes X y, or X --target COL; got 3 name(s)"),
        ("poison orders_df --target frauds", "y='frauds' is not a column of X"),
        ("poison orders_df --target fraud --set poisoning.nope=1",
         "unknown setting poisoning.nope"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(ip: Any, session: dict[str, Any], line: str,
                                             expected: str) -> None:
    with pytest.raises(UsageError) as caught:
        ip.run_line_magic("mlsec", line)
    assert expected in str(caught.value) and "\n" not in str(caught.value)


def test_help_lists_the_command(ip: Any) -> None:
    with capture_output() as captured:
        ip.run_line_magic("mlsec", "help")
    assert "poison" in captured.stdout


# -- command line -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, frames: dict[str, Any]) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("poison-files")
    paths = {}
    for name in ("clean", "bad"):
        frames[name].to_csv(folder / f"{name}.csv", index=False)
        frames[name].to_parquet(folder / f"{name}.parquet", index=False)
        paths[name], paths[name + "_pq"] = folder / f"{name}.csv", folder / f"{name}.parquet"
    return paths


@pytest.mark.parametrize("suffix", ["", "_pq"])
def test_cli_exit_codes_and_json(capsys: pytest.CaptureFixture, files: dict[str, Path],
                                 frames: dict[str, Any], suffix: str) -> None:
    bad = ["poison", str(files["bad" + suffix]), "--target", "fraud"]
    assert main([*bad, "--format", "json"]) == 1   # a HIGH trigger, default fail-on high
    report = json.loads(capsys.readouterr().out)
    assert report["check"] == "poisoning"
    (trigger,) = [f for f in report["findings"] if f["rule"] == "POISON-TRIGGER"]
    assert trigger["evidence"]["rows"] == frames["rows"]
    assert main([*bad, "--fail-on", "critical"]) == 0
    capsys.readouterr()
    assert main(["poison", str(files["clean" + suffix]), "--target", "fraud"]) == 0
    capsys.readouterr()


def test_cli_sarif_and_output_file(capsys: pytest.CaptureFixture, files: dict[str, Path],
                                   tmp_path: Path) -> None:
    args = ["poison", str(files["bad"]), "--target", "fraud", "--fail-on", "none"]
    assert main([*args, "--format", "sarif"]) == 0
    sarif = json.loads(capsys.readouterr().out)
    assert "POISON-TRIGGER" in {r["ruleId"] for r in sarif["runs"][0]["results"]}
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "POISON-TRIGGER" in rules
    target = tmp_path / "poison.json"
    assert main([*args, "--format", "json", "--output", str(target)]) == 0
    assert json.loads(target.read_text())["subject"] == f"{files['bad']} (target fraud)"
    assert capsys.readouterr().err.startswith(f"mlsec: wrote json to {target}")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["poison"], "the following arguments are required: --target"),
        (["poison", "missing.csv", "--target", "y"], "missing.csv does not exist"),
        (["poison", "FILE", "--target", "frud"], "y='frud' is not a column of X; did you mean "
                                                 "'fraud'?"),
        (["poison", "FILE", "--target", "fraud", "--set", "poisoning.alpha=7"],
         "poisoning.alpha must be between 0 and 1"),
    ],
)
def test_cli_errors_exit_2(capsys: pytest.CaptureFixture, files: dict[str, Path],
                           args: list[str], expected: str) -> None:
    args = [str(files["bad"]) if a == "FILE" else a for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1
