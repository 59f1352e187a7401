"""``scan_notebook_static``: the secrets/PII and code-leakage checks on a saved notebook."""

from __future__ import annotations

from pathlib import Path

import pytest
from static_notebooks import static_notebook

from mlsecops_jupyter.checks import notebook_static
from mlsecops_jupyter.checks.notebook_static import scan_notebook_static, static_reports
from mlsecops_jupyter.core import MLSecInputError


def test_both_parts_find_their_findings_with_cells(tmp_path: Path) -> None:
    report = scan_notebook_static(static_notebook(tmp_path / "s.ipynb"))
    assert report.check == "notebook"
    assert report.metrics["parts"] == ["notebook", "leakage"]
    assert [(f.rule, f.severity.label, f.location.cell) for f in report.findings] == [
        ("LEAK-PREPROCESSING", "high", 2), ("PII-EMAIL-ADDRESS", "medium", 1)]
    assert report.counts() == {"critical": 0, "high": 1, "medium": 1, "low": 0, "info": 0}
    reports, skipped = static_reports(tmp_path / "s.ipynb", "dir/s.ipynb")
    assert [r.check for r in reports] == ["notebook", "leakage"] and skipped == []
    assert {r.subject for r in reports} == {"dir/s.ipynb"}
    assert str(tmp_path) not in "".join(r.to_json() for r in reports)


def test_a_part_that_is_not_installed_is_skipped_not_faked(tmp_path: Path,
                                                           monkeypatch) -> None:
    monkeypatch.setattr(notebook_static, "STATIC_PARTS", (
        ("leakage", "mlsecops_jupyter.checks.leakage", "check_code_leakage"),
        ("future", "mlsecops_jupyter.checks.not_written_yet", "scan")))
    report = scan_notebook_static(static_notebook(tmp_path / "s.ipynb"))
    assert [f.rule for f in report.findings] == ["LEAK-PREPROCESSING"]
    assert [s.to_dict() for s in report.skipped if s.what == "future check"] == [{
        "what": "future check",
        "why": "the future check is not available in this installation "
               "(mlsecops_jupyter.checks.not_written_yet.scan missing)"}]


def test_bad_paths_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(MLSecInputError, match=r"^no such notebook: .*absent\.ipynb$"):
        scan_notebook_static(tmp_path / "absent.ipynb")
    (tmp_path / "data.csv").write_text("a\n1\n")
    with pytest.raises(MLSecInputError, match=r"data\.csv is not a notebook file \(\.ipynb\)$"):
        scan_notebook_static(tmp_path / "data.csv")


def test_an_unreadable_notebook_is_named_as_the_caller_knows_it(tmp_path: Path) -> None:
    """The sidebar shows this message: the server's absolute path must not be in it."""
    broken = tmp_path / "broken.ipynb"
    broken.write_text("not json", encoding="utf-8")
    with pytest.raises(MLSecInputError) as raised:
        static_reports(broken, "dir/broken.ipynb")
    assert str(raised.value).startswith("dir/broken.ipynb is not a Jupyter notebook")
    assert str(tmp_path) not in str(raised.value)
    with pytest.raises(MLSecInputError, match=str(broken)):  # no name: the path as given
        static_reports(broken)
