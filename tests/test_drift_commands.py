"""``%mlsec drift`` and ``mlsec drift`` end to end: a model's training data recorded beside the
lineage log when it is fitted and used as the reference, strict mode, the card's Monitoring
section, and the CLI's exit codes, JSON and SARIF."""

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
from mlsecops_jupyter.lineage import read_records, verify

TRAIN = """
import numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

def customers(n, seed, income_shift=0.0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"income": rng.normal(50 + income_shift, 10, n),
                          "age": rng.integers(18, 80, n).astype(float),
                          "tenure": rng.gamma(2.0, 3.0, n)})
    frame["churn"] = (frame.income + rng.normal(0, 8, n) < 45).astype(int)
    return frame

train = customers(4000, 1)
clf = make_pipeline(StandardScaler(), LogisticRegression())
clf.fit(train[["income", "age", "tenure"]], train["churn"])
"""


def _magic(ip: Any, line: str) -> Report:
    with capture_output():
        report = ip.run_line_magic("mlsec", line)
    assert isinstance(report, Report) and report.check == "drift"
    return report


@pytest.fixture(scope="module")
def fitted(ip: Any) -> Path:
    """Fit the model in the shell (runtime hooks on); return the lineage log's path."""
    result = ip.run_cell(TRAIN, store_history=True)
    assert result.success, result.error_in_exec
    ip.run_cell("shifted = customers(3000, 2, income_shift=6.0)\n"
                "same = customers(3000, 3)\n"
                "unlabelled = same.drop(columns=['churn'])", store_history=True)
    magics = ip.magics_manager.registry["MLSecMagics"]
    return Path(magics.recorder.path)


def test_fitting_records_a_bounded_reference_sample_in_the_log(fitted: Path) -> None:
    records = read_records(fitted)
    references = [r for r in records if r.get("kind") == "check"
                  and r["report"]["check"] == "drift-reference"]
    assert [r["report"]["subject"] for r in references] == ["clf"]
    meta = references[0]["report"]["metrics"]["reference"]
    assert meta["rows_total"] == 4000 and meta["sample_rows"] == 4000
    assert meta["columns"] == ["income", "age", "tenure"] and meta["target"] == "churn"
    assert meta["estimator"] == "sklearn.pipeline.Pipeline"
    sample = fitted.parent / meta["file"]
    assert sample.parent.name == "reference" and sample.suffix == ".parquet"
    assert pd.read_parquet(sample).shape == (4000, 4)
    assert references[0]["cell"]["execution_count"] is not None  # recorded inside its cell
    assert verify(fitted).ok


def test_a_model_as_reference_finds_the_shift_and_compares_labels(ip: Any,
                                                                  fitted: Path) -> None:
    report = _magic(ip, "drift clf shifted --format text")
    rules = sorted((f.rule, f.location.column) for f in report.findings)
    assert ("DRIFT-FEATURE", "income") in rules
    assert ("DRIFT-LABEL", "churn") in rules  # fewer churners once income rose
    assert all(column in ("income", "churn") for _, column in rules if column)
    assert report.metrics["reference"]["recorded"] == "fitted in this kernel"
    assert report.metrics["reference"]["sample_rows"] == 4000
    why = {s.what: s.why for s in report.skipped}
    assert "in-sample" in why["DRIFT-PREDICTION"]


def test_a_model_as_reference_stays_quiet_on_data_like_its_training_data(
        ip: Any, fitted: Path) -> None:
    assert _magic(ip, "drift clf same").findings == []
    assert _magic(ip, "drift clf unlabelled").findings == []


def test_predictions_drift_against_held_out_data(ip: Any, fitted: Path) -> None:
    report = _magic(ip, "drift same shifted --predict clf --target churn")
    rules = {f.rule for f in report.findings}
    assert {"DRIFT-PREDICTION", "DRIFT-LABEL", "DRIFT-FEATURE"} <= rules
    with pytest.raises(UsageError, match="--predict is for data references"):
        _magic(ip, "drift clf same --predict clf")


def test_the_log_is_used_by_name_once_the_model_object_is_gone(ip: Any, fitted: Path) -> None:
    ip.run_cell("kept = clf\ndel clf", store_history=True)
    try:
        report = _magic(ip, "drift clf shifted")
        assert report.metrics["reference"]["recorded"].startswith("lineage record ")
        assert ("DRIFT-FEATURE", "income") in {(f.rule, f.location.column)
                                               for f in report.findings}
    finally:
        ip.run_cell("clf = kept", store_history=True)


def test_strict_mode_fails_after_showing_the_report(ip: Any, fitted: Path) -> None:
    with capture_output() as shown, pytest.raises(MLSecCheckFailed, match="DRIFT-"):
        ip.run_line_magic("mlsec", "drift clf shifted --fail-on medium --format text")
    shown_text = "".join(o.data.get("text/plain", "") for o in shown.outputs)
    assert "DRIFT-FEATURE" in shown_text  # the report is shown before the run fails


def test_bad_input_is_a_one_line_usage_error(ip: Any, fitted: Path) -> None:
    with pytest.raises(UsageError, match="neither a variable of this notebook nor an existing "
                                         "file; did you mean 'shifted'"):
        _magic(ip, "drift clf shiftd")
    ip.user_ns["narrow"] = pd.DataFrame({"income": np.arange(50.0)})
    with pytest.raises(UsageError, match="lacks 2 column"):
        _magic(ip, "drift clf narrow")
    with pytest.raises(UsageError, match="no reference data recorded for 'nothing'"):
        ip.user_ns["nothing"] = __import__("sklearn.linear_model").linear_model.Ridge()
        _magic(ip, "drift nothing same")


def test_a_changed_reference_sample_is_refused(ip: Any, fitted: Path, tmp_path: Path) -> None:
    ip.run_cell("clf2 = make_pipeline(StandardScaler(), LogisticRegression())\n"
                "clf2.fit(train[['income', 'age']].iloc[:500], train['churn'].iloc[:500])",
                store_history=True)
    meta = next(r["report"]["metrics"]["reference"] for r in reversed(read_records(fitted))
                if r.get("kind") == "check" and r["report"]["subject"] == "clf2")
    sample = fitted.parent / meta["file"]
    frame = pd.read_parquet(sample)
    frame.loc[0, "income"] = 1e9
    frame.to_parquet(sample, index=False)
    ip.run_cell("del clf2", store_history=True)  # only the log knows it now
    with pytest.raises(UsageError, match="was changed after it was recorded"):
        _magic(ip, "drift clf2 same")


def test_the_card_has_a_monitoring_section(ip: Any, fitted: Path, tmp_path: Path) -> None:
    _magic(ip, "drift clf shifted")
    with capture_output():
        ip.run_line_magic("mlsec", f"card clf --out {tmp_path / 'card'}")
    card = json.loads((tmp_path / "card" / "model_card.json").read_text())
    monitoring = next(s for s in card["sections"] if s["key"] == "monitoring")
    assert monitoring["has_evidence"]
    assert monitoring["facts"]["reference data"].startswith("4000 of 4000 training rows of clf")
    titles = [t["title"] for t in monitoring["tables"]]
    assert any("Drift per column" in title for title in titles)
    assert any(row[1] == "DRIFT-FEATURE" for t in monitoring["tables"] for row in t["rows"])
    markdown = (tmp_path / "card" / "model_card.md").read_text()
    assert "## Monitoring" in markdown


# -- command line -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("drift-cli")
    rng = np.random.default_rng(5)

    def make(n: int, shift: float) -> pd.DataFrame:
        return pd.DataFrame({"a": rng.normal(shift, 1, n), "b": rng.choice(["x", "y"], n),
                             "c": rng.integers(0, 100, n)})

    paths = {"ref": folder / "ref.parquet", "same": folder / "same.csv",
             "shifted": folder / "shifted.parquet"}
    make(3000, 0.0).to_parquet(paths["ref"])
    make(3000, 0.0).to_csv(paths["same"], index=False)
    make(3000, 1.0).to_parquet(paths["shifted"])
    return paths


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["drift", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_exit_codes_and_json(files: dict[str, Path],
                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, str(files["ref"]), str(files["same"]), "--format", "json")
    assert code == 0 and json.loads(out)["findings"] == []
    code, out, _ = _cli(capsys, str(files["ref"]), str(files["shifted"]), "--format", "json")
    report = json.loads(out)
    assert code == 1  # the shift is HIGH, the CLI's default threshold
    assert [f["location"]["column"] for f in report["findings"]] == ["a"]
    code, _, _ = _cli(capsys, str(files["ref"]), str(files["shifted"]), "--fail-on", "critical")
    assert code == 0


def test_cli_sarif(files: dict[str, Path], capsys: pytest.CaptureFixture[str],
                   tmp_path: Path) -> None:
    import jsonschema

    out = tmp_path / "drift.sarif"
    code, _, err = _cli(capsys, str(files["ref"]), str(files["shifted"]), "--format", "sarif",
                        "-o", str(out))
    assert code == 1 and "1 finding" in err
    sarif = json.loads(out.read_text())
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(sarif, schema)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "DRIFT-FEATURE"


def test_cli_reads_the_reference_from_a_lineage_log(fitted: Path, ip: Any, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    ip.user_ns["shifted"].to_parquet(tmp_path / "new.parquet")
    code, out, _ = _cli(capsys, str(fitted), str(tmp_path / "new.parquet"), "--model", "clf",
                        "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["metrics"]["reference"]["model"] == "clf"
    assert {"DRIFT-FEATURE", "DRIFT-LABEL"} <= {f["rule"] for f in report["findings"]}
    code, _, err = _cli(capsys, str(fitted), str(tmp_path / "new.parquet"), "--model", "nope")
    assert code == 2 and err.count("\n") == 1 and "no drift reference for 'nope'" in err


@pytest.mark.parametrize(("argv", "expected"), [
    (["missing.csv", "also.csv"], "missing.csv does not exist"),
    (["{ref}", "{ref}", "--target", "nope"], "target='nope' is not a column"),
    (["{ref}", "{same}", "--model", "clf"], "--model names a model of a lineage log"),
])
def test_cli_bad_input_exits_2_with_one_line(files: dict[str, Path], argv: list[str],
                                             expected: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(capsys, *[a.format(**{k: str(v) for k, v in files.items()})
                                  for a in argv])
    assert code == 2
    assert expected in err and err.count("\n") == 1
