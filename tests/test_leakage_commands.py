"""``%mlsec leakage`` and ``mlsec leakage`` (data level) end to end: real notebook variables,
real CSV/Parquet files, exit codes and JSON/SARIF output."""

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


def patients(n: int = 2000, seed: int = 7) -> pd.DataFrame:
    """Hospital visits: several visits per patient; readmission depends on age and stay."""
    rng = np.random.default_rng(seed)
    age = rng.integers(20, 90, n)
    stay = rng.gamma(2.0, 2.5, n).round(1)
    latent = (age - 55) / 20 + (stay - 5) / 4 + rng.normal(0, 1.5, n)
    return pd.DataFrame({
        "patient_id": [f"P{v:04d}" for v in rng.integers(0, n // 5, n)],
        "age": age,
        "stay_days": stay,
        "bmi": rng.normal(27, 4, n).round(2),
        "ward": rng.choice(["cardio", "ortho", "neuro", "general"], n),
        "readmitted": (latent > 0.5).astype(int),
    })


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    data = patients()
    train = data.iloc[:1500]
    clean_test = data.iloc[1500:].drop(columns=["patient_id"])
    leaky_test = pd.concat([data.iloc[1500:], train.iloc[:9]])
    return {"train": train, "clean_train": train.drop(columns=["patient_id"]),
            "clean_test": clean_test, "leaky_test": leaky_test}


@pytest.fixture(scope="module")
def session(ip: Any, frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    numeric = ["age", "stay_days", "bmi"]
    x_train = frames["clean_train"][numeric].to_numpy()
    values = {"train_df": frames["train"], "test_df": frames["leaky_test"],
              "clean_train": frames["clean_train"], "clean_test": frames["clean_test"],
              "X_train": x_train,
              "X_test": np.vstack([frames["clean_test"][numeric].to_numpy(), x_train[:3]])}
    ip.user_ns.update(values)
    return values


def _magic(ip: Any, line: str) -> Report:
    with capture_output():
        report = ip.run_line_magic("mlsec", line)
    assert isinstance(report, Report) and report.check == "leakage"
    return report


def test_magic_finds_duplicates_and_shared_patients(ip: Any, session: dict[str, Any],
                                                    frames: dict[str, pd.DataFrame]) -> None:
    report = _magic(ip, "leakage train_df test_df --target readmitted --group patient_id "
                        "--format text")
    found = sorted((f.rule, f.location.column, f.evidence["count"]) for f in report.findings)
    shared = set(frames["train"].patient_id) & set(frames["leaky_test"].patient_id)
    assert found == [("LEAK-DUPLICATE-ROWS", None, 9),
                     ("LEAK-GROUP-OVERLAP", "patient_id", len(shared))]
    assert report.subject == "train_df vs test_df"
    assert report.metrics["roles"]["group"] == ["patient_id"]


def test_magic_on_clean_frames_and_on_arrays(ip: Any, session: dict[str, Any]) -> None:
    assert _magic(ip, "leakage clean_train clean_test --target readmitted").findings == []
    arrays = _magic(ip, "leakage X_train X_test --format json")
    seen = {tuple(row) for row in session["X_train"]}
    expected = sum(tuple(row) in seen for row in session["X_test"])
    assert expected >= 3   # the 3 copied rows, plus any chance coincidence
    assert [(f.rule, f.evidence["count"]) for f in arrays.findings] == \
        [("LEAK-DUPLICATE-ROWS", expected)]


def test_magic_set_override_and_text_output(ip: Any, session: dict[str, Any]) -> None:
    default = _magic(ip, "leakage clean_train clean_test --target readmitted")
    table = {row[0]: row[2] for row in default.metrics["tables"][-1]["rows"]}
    assert 0.6 < table["age"] < 0.9   # a real but legitimate signal: no finding by default
    report = _magic(ip, "leakage clean_train clean_test --target readmitted --format text "
                        "--set leakage.proxy_auc=0.6")
    # with a 0.6 threshold age passes: the per-call setting reached the check
    assert ("LEAK-TARGET-PROXY", "age") in {(f.rule, f.location.column)
                                            for f in report.findings}


def test_strict_mode_fails_the_cell(ip: Any, session: dict[str, Any]) -> None:
    with capture_output(), pytest.raises(MLSecCheckFailed):
        ip.run_line_magic("mlsec", "leakage train_df test_df --fail-on high")
    # medium auto-detected overlap only: a high threshold passes
    report = _magic(ip, "leakage clean_train clean_test --fail-on high")
    assert report.findings == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("leakage train_df nope", "'nope' is neither a variable of this notebook nor an "
                                  "existing file"),
        ("leakage train_df", "leakage takes TRAIN TEST (two data sets)"),
        ("leakage train_df test_df --target nope", "target='nope' is not a column of train"),
        ("leakage train_df test_df --code", "--code analyses the notebook's code"),
        ("leakage train_df test_df --bogus", "unrecognized arguments: --bogus"),
        ("leakage train_df test_df --set leakage.nope=1", "unknown setting leakage.nope"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(ip: Any, session: dict[str, Any], line: str,
                                             expected: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        ip.run_line_magic("mlsec", line)
    assert expected in str(excinfo.value) and "\n" not in str(excinfo.value)


# -- command line -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory,
          frames: dict[str, pd.DataFrame]) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("leakage-files")
    paths = {}
    for name in ("train", "leaky_test", "clean_train", "clean_test"):
        frames[name].to_csv(folder / f"{name}.csv", index=False)
        frames[name].to_parquet(folder / f"{name}.parquet", index=False)
        paths[name] = folder / f"{name}.csv"
        paths[name + "_pq"] = folder / f"{name}.parquet"
    return paths


@pytest.mark.parametrize("suffix", ["", "_pq"])
def test_cli_exit_codes_and_json(capsys: pytest.CaptureFixture, files: dict[str, Path],
                                 suffix: str) -> None:
    leaky = ["leakage", "--train", str(files["train" + suffix]), "--test",
             str(files["leaky_test" + suffix]), "--target", "readmitted", "--group",
             "patient_id"]
    assert main([*leaky, "--format", "json"]) == 1   # high findings, default fail-on high
    report = json.loads(capsys.readouterr().out)
    assert report["check"] == "leakage"
    assert sorted(f["rule"] for f in report["findings"]) == ["LEAK-DUPLICATE-ROWS",
                                                             "LEAK-GROUP-OVERLAP"]
    assert main([*leaky, "--fail-on", "critical"]) == 0
    assert "LEAK-DUPLICATE-ROWS" in capsys.readouterr().out
    clean = ["leakage", "--train", str(files["clean_train" + suffix]), "--test",
             str(files["clean_test" + suffix]), "--target", "readmitted"]
    assert main([*clean, "--fail-on", "info"]) == 0
    capsys.readouterr()


def test_cli_sarif_and_output_file(capsys: pytest.CaptureFixture, files: dict[str, Path],
                                   tmp_path: Path) -> None:
    args = ["leakage", "--train", str(files["train"]), "--test", str(files["leaky_test"]),
            "--group", "patient_id", "--fail-on", "none"]
    assert main([*args, "--format", "sarif"]) == 0
    sarif = json.loads(capsys.readouterr().out)
    results = sarif["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["LEAK-DUPLICATE-ROWS", "LEAK-GROUP-OVERLAP"]
    target = tmp_path / "leak.json"
    assert main([*args, "--format", "json", "--output", str(target)]) == 0
    assert json.loads(target.read_text())["subject"] == \
        f"{files['train']} vs {files['leaky_test']}"
    assert capsys.readouterr().err.startswith(f"mlsec: wrote json to {target}: 2 findings")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["leakage"], "give --train FILE and --test FILE (data level), or one NOTEBOOK.ipynb"),
        (["leakage", "--train", "x.csv"], "give --train FILE and --test FILE"),
        (["leakage", "--train", "missing.csv", "--test", "missing.csv"],
         "missing.csv does not exist"),
        (["leakage", "nb.ipynb", "--train", "a.csv"], "give either a NOTEBOOK.ipynb or "
                                                      "--train/--test, not both"),
        (["leakage", "--train", "a.csv", "--test", "b.csv", "--fail-on", "bad"],
         "leakage: argument --fail-on"),
    ],
)
def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture, args: list[str],
                                 expected: str) -> None:
    assert main(args) == 2
    assert expected in capsys.readouterr().err


def test_cli_unknown_target_exits_2(capsys: pytest.CaptureFixture,
                                    files: dict[str, Path]) -> None:
    code = main(["leakage", "--train", str(files["train"]), "--test", str(files["clean_test"]),
                 "--target", "nope"])
    assert code == 2
    assert "target='nope' is not a column of train" in capsys.readouterr().err


# -- no silent wrong answers ------------------------------------------------------------------
def applicants(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    """Loan applicants: income to the cent (continuous), a few coarse columns, the label."""
    rng = np.random.default_rng(seed)
    income = rng.normal(50_000, 12_000, n).round(2)
    return pd.DataFrame({
        "income": income,
        "age": rng.integers(18, 80, n),
        "city": rng.choice(["Paris", "Lyon", "Nice"], n),
        "approved": (income + rng.normal(0, 8_000, n) > 52_000).astype(int),
    })


def test_magic_on_numpy_object_arrays_has_no_false_identifier(ip: Any) -> None:
    """``df.to_numpy()`` of mixed columns: the incomes were taken for identifiers, left out of
    the row comparison, and every test row became a "duplicate" on age, city and label (HIGH)."""
    from sklearn.model_selection import train_test_split

    data = applicants()
    train, test = train_test_split(data, test_size=0.25, random_state=0)
    ip.user_ns.update({"A_train": train.to_numpy(), "A_test": test.to_numpy()})
    assert ip.user_ns["A_train"].dtype == object
    report = _magic(ip, "leakage A_train A_test --format text")
    assert report.findings == []
    assert report.metrics["roles"]["id"] == []
    assert report.metrics["fingerprint_columns"] == ["x0", "x1", "x2", "x3"]
    ip.user_ns.update({"A_frame_train": train, "A_frame_test": test})
    assert _magic(ip, "leakage A_frame_train A_frame_test --format text").findings == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("leakage train_df tset_df", "'tset_df' is neither a variable of this notebook nor an "
                                     "existing file; did you mean 'test_df'?"),
        ("leakage train_df test_df --target readmited", "target='readmited' is not a column of "
                                                        "train; did you mean 'readmitted'?"),
        ("leakage train_df test_df --group patient", "did you mean 'patient_id'?"),
    ],
)
def test_misspelt_names_get_a_suggestion(ip: Any, session: dict[str, Any], line: str,
                                         expected: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        ip.run_line_magic("mlsec", line)
    assert expected in str(excinfo.value) and "\n" not in str(excinfo.value)


def test_misspelt_file_gets_a_suggestion(ip: Any, session: dict[str, Any],
                                         files: dict[str, Path]) -> None:
    misspelt = files["train"].with_name("trian.csv")
    with pytest.raises(UsageError) as excinfo:
        ip.run_line_magic("mlsec", f"leakage {misspelt} {files['clean_test']}")
    assert f"did you mean '{files['train']}'?" in str(excinfo.value)


def test_magic_masks_personal_data_in_group_overlap_examples(ip: Any) -> None:
    from sklearn.model_selection import train_test_split

    from mlsecops_jupyter.checks.pii.synth import people_frame
    from mlsecops_jupyter.display.text import render_text

    people = people_frame(rows=400, seed=2, pool=400)
    rng = np.random.default_rng(2)
    orders = pd.DataFrame({"customer_email": people.email.to_numpy()[rng.integers(0, 400, 2000)],
                           "basket": rng.gamma(2.0, 30.0, 2000).round(2)})
    train, test = train_test_split(orders, test_size=0.25, random_state=0)
    ip.user_ns.update({"orders_train": train, "orders_test": test})
    report = _magic(ip, "leakage orders_train orders_test --group customer_email "
                        "--format text")
    finding = next(f for f in report.findings if f.rule == "LEAK-GROUP-OVERLAP")
    assert finding.evidence["examples_masked"] == "EMAIL_ADDRESS"
    shown = render_text(report) + report.to_json()
    shared = set(train.customer_email) & set(test.customer_email)
    assert shared and not [email for email in shared if email in shown]
