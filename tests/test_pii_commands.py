"""``%mlsec pii`` and ``mlsec pii`` end to end: notebook variables, CSV/Parquet files, text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output

from mlsecops_jupyter.checks.pii.synth import people_frame
from mlsecops_jupyter.cli import main
from mlsecops_jupyter.core import MLSecCheckFailed, Report

COLUMNS = ["email", "credit_card", "support_notes", "sku", "order_id"]


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return people_frame(400, seed=4)[COLUMNS]


@pytest.fixture(scope="module")
def session(ip: Any, customers: pd.DataFrame) -> dict[str, Any]:
    values = {"customers": customers, "not_a_frame": [1, 2, 3]}
    ip.user_ns.update(values)
    return values


def _magic(ip: Any, line: str) -> Report:
    with capture_output():
        report = ip.run_line_magic("mlsec", line)
    assert isinstance(report, Report) and report.check == "pii"
    return report


def test_pii_on_a_frame_variable(ip: Any, session: dict[str, Any]) -> None:
    report = _magic(ip, "pii customers --format text")
    assert report.subject == "customers"
    assert sorted((f.location.column, f.rule) for f in report.findings) == [
        ("credit_card", "PII-CREDIT-CARD"), ("email", "PII-EMAIL-ADDRESS"),
        ("support_notes", "PII-FREE-TEXT")]


def test_pii_columns_spans_and_sample(ip: Any, session: dict[str, Any]) -> None:
    report = _magic(ip, "pii customers --columns support_notes,sku --spans --sample 100 "
                        "--format text")
    assert [f.rule for f in report.findings] == ["PII-FREE-TEXT"]
    assert report.metrics["sample"]["rows_sampled"] == 100
    spans = report.metrics["spans"]
    assert spans and {s["column"] for s in spans} == {"support_notes"}
    frame = session["customers"]
    for span in spans:
        assert frame.loc[span["row"], "support_notes"][span["start"]:span["end"]]


def test_pii_text(ip: Any, session: dict[str, Any]) -> None:
    report = _magic(ip, 'pii --text "write to jane@example.org or call (415) 555-0132" '
                        "--format text")
    assert [f.rule for f in report.findings] == ["PII-EMAIL-ADDRESS", "PII-PHONE-NUMBER"]
    assert report.subject == "--text"


def test_strict_mode_fails_the_cell(ip: Any, session: dict[str, Any]) -> None:
    with capture_output(), pytest.raises(MLSecCheckFailed):
        ip.run_line_magic("mlsec", "pii customers --fail-on high --format text")


@pytest.mark.parametrize(("line", "expected"), [
    ("pii", "pii takes a DATAFRAME or --text"),
    ('pii customers --text "x"', "pii takes a DATAFRAME or --text"),
    ("pii nope", "'nope' is neither a variable of this notebook nor an existing file"),
    ("pii not_a_frame", "'not_a_frame' is a list, not a pandas or dask DataFrame"),
    ("pii customers --columns nope", "'nope' is not a column of customers"),
    ("pii customer", "did you mean 'customers'?"),
    ("pii customers --columns emial", "'emial' is not a column of customers; did you mean "
                                      "'email'?"),
    ("pii customers --sample 0", "sample must be a positive number of rows"),
    ("pii customers --set pii.nope=1", "unknown setting pii.nope"),
])
def test_bad_input_is_a_one_line_usage_error(ip: Any, session: dict[str, Any], line: str,
                                             expected: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        ip.run_line_magic("mlsec", line)
    assert expected in str(excinfo.value) and "\n" not in str(excinfo.value)


@pytest.fixture(scope="module")
def table_files(tmp_path_factory: pytest.TempPathFactory,
                customers: pd.DataFrame) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pii-files")
    customers.to_csv(folder / "customers.csv", index=False)
    customers.to_parquet(folder / "customers.parquet")
    (folder / "broken.parquet").write_bytes(b"PAR1 not really")
    return {"csv": folder / "customers.csv", "parquet": folder / "customers.parquet",
            "broken": folder / "broken.parquet"}


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_cli_pii_json_sarif_and_exit_codes(capsys: pytest.CaptureFixture,
                                           table_files: dict[str, Path], kind: str) -> None:
    path = str(table_files[kind])
    assert main(["pii", path, "--format", "json", "--fail-on", "none"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["check"] == "pii" and report["subject"] == path
    assert sorted(f["location"]["column"] for f in report["findings"]) == [
        "credit_card", "email", "support_notes"]
    assert main(["pii", path, "--fail-on", "high"]) == 1  # the card column is high
    assert "PII-CREDIT-CARD" in capsys.readouterr().out
    assert main(["pii", path, "--columns", "sku,order_id"]) == 0
    capsys.readouterr()
    assert main(["pii", path, "--format", "sarif", "--fail-on", "none"]) == 0
    sarif = json.loads(capsys.readouterr().out)
    rule_ids = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"PII-CREDIT-CARD", "PII-EMAIL-ADDRESS", "PII-FREE-TEXT"} <= rule_ids


def test_cli_spans_and_text(capsys: pytest.CaptureFixture, table_files: dict[str, Path]) -> None:
    assert main(["pii", str(table_files["csv"]), "--columns", "support_notes", "--spans",
                 "--format", "json", "--fail-on", "none"]) == 0
    assert json.loads(capsys.readouterr().out)["metrics"]["spans"]
    assert main(["pii", "--text", "ssn 123-45-6788", "--format", "json"]) == 1
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["PII-US-SSN"]


@pytest.mark.parametrize(("argv", "expected"), [
    (["pii"], "pii takes a FILE or --text"),
    (["pii", "missing.csv"], "missing.csv: no such file"),
    (["pii", "BROKEN"], "cannot read"),
    (["pii", "CSV", "--set", "pii.column_threshold=abc"], "setting column_threshold"),
])
def test_cli_bad_input_exits_2(capsys: pytest.CaptureFixture, table_files: dict[str, Path],
                               argv: list[str], expected: str) -> None:
    argv = [str(table_files["broken"]) if a == "BROKEN" else
            str(table_files["csv"]) if a == "CSV" else a for a in argv]
    assert main(argv) == 2
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_magic_pii_takes_a_csv_or_parquet_path_like_leakage(
        ip: Any, session: dict[str, Any], table_files: dict[str, Path], kind: str) -> None:
    on_variable = _magic(ip, "pii customers --format text")
    report = _magic(ip, f"pii {table_files[kind]} --format text")
    assert report.subject == str(table_files[kind])
    assert [(f.location.column, f.rule, f.evidence.get("entity", ""))
            for f in report.findings] == \
        [(f.location.column, f.rule, f.evidence.get("entity", ""))
         for f in on_variable.findings]
    columns = _magic(ip, f"pii {table_files[kind]} --columns email --format text")
    assert [f.location.column for f in columns.findings] == ["email"]


def test_magic_pii_on_a_misspelt_path_suggests_the_file(ip: Any, session: dict[str, Any],
                                                        table_files: dict[str, Path]) -> None:
    misspelt = table_files["csv"].with_name("customer.csv")
    with pytest.raises(UsageError) as excinfo:
        ip.run_line_magic("mlsec", f"pii {misspelt}")
    assert f"did you mean '{table_files['csv']}'" in str(excinfo.value)
    broken = str(table_files["broken"])
    with pytest.raises(UsageError, match="broken.parquet"):
        ip.run_line_magic("mlsec", f"pii {broken}")
