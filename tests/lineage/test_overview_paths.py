"""``lineage.overview``: one notebook, one set of findings, and no absolute path in the answer.

The kernel's ``%mlsec notebook`` names the notebook by the absolute path jupyter_server gives the
kernel (``JPY_SESSION_NAME``), the sidebar's "Scan now" by its path relative to the server's
root; the overview must treat both as runs of one check. Logs are written by the real recorder
and store.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mlsecops_jupyter.core import Finding, Location, Report, Severity
from mlsecops_jupyter.lineage import LineageRecorder
from mlsecops_jupyter.lineage.overview import (
    RootPaths,
    load_lineage,
    notebook_lineage_file,
    notebook_overview,
    record_static_report,
)
from mlsecops_jupyter.lineage.statements import statements_report

# an absolute POSIX or Windows path anywhere in a string
ABSOLUTE = re.compile(r"(^|[\s'\"(=])(/[^\s/]+/|[A-Za-z]:\\)")


def _scan(subject: str, file: str, *findings: tuple[str, Severity, int, str | None]) -> Report:
    return Report(check="notebook", subject=subject, findings=[
        Finding(rule, severity, f"{rule.lower()} in cell {cell}", detail=f"found in {file}",
                location=Location(file=file, cell=cell, line=1), accepted=accepted)
        for rule, severity, cell, accepted in findings])


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A server root with ``dir/nb.ipynb``, its log path, and a data file beside it."""
    root = tmp_path / "root"
    (root / "dir").mkdir(parents=True)
    notebook = root / "dir" / "nb.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    (root / "dir" / "data.csv").write_text("a\n1\n", encoding="utf-8")
    return root, notebook, notebook_lineage_file(notebook)


@contextlib.contextmanager
def _recording(shell: Any, log: Path) -> Iterator[LineageRecorder]:
    """A real recorder on ``shell`` writing ``log``, detached afterwards."""
    recorder = LineageRecorder(path_resolver=lambda: log)
    recorder.attach(shell)
    try:
        yield recorder
    finally:
        recorder.detach(shell)


def _overview(root: Path, log: Path) -> dict[str, Any]:
    records, result = load_lineage(log, "dir/nb.ipynb")
    return notebook_overview("dir/nb.ipynb", "dir/.mlsec/nb.ipynb.lineage.jsonl", records,
                             result, root=str(root))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_kernel_scan_and_scan_now_are_one_set_of_findings(
        shell: Any, layout: tuple[Path, Path, Path]) -> None:
    root, notebook, log = layout
    with _recording(shell, log) as recorder:
        shell.run_cell("import pandas as pd", store_history=True, cell_id="c-load")
        # %mlsec notebook in a kernel jupyter_server started: the absolute path
        recorder.record_check(_scan(str(notebook), str(notebook),
                                    ("SECRET-AWS-KEY", Severity.CRITICAL, 2, None),
                                    ("PII-EMAIL-ADDRESS", Severity.MEDIUM, 4, None)),
                              cell_id="c-scan")
        # the kernel's fallback when only the bare name resolves
        recorder.record_check(_scan("nb.ipynb", "nb.ipynb",
                                    ("SECRET-AWS-KEY", Severity.CRITICAL, 2, None)),
                              cell_id="c-scan")
    before = _overview(root, log)
    assert [(f["rule"], f["subject"], f["location"]["file"]) for f in before["findings"]] == [
        ("SECRET-AWS-KEY", "dir/nb.ipynb", "dir/nb.ipynb")]
    # "Scan now": root-relative subject, same findings plus the e-mail again
    record_static_report(log, _scan("dir/nb.ipynb", "dir/nb.ipynb",
                                    ("SECRET-AWS-KEY", Severity.CRITICAL, 2, None),
                                    ("PII-EMAIL-ADDRESS", Severity.MEDIUM, 4, None)),
                         "dir/nb.ipynb")
    after = _overview(root, log)
    assert [(f["rule"], f["cell"], f["seq"]) for f in after["findings"]] == [
        ("SECRET-AWS-KEY", 2, 4), ("PII-EMAIL-ADDRESS", 4, 4)]
    assert [(c["check"], c["subject"], c["runs"]) for c in after["checks"]] == [
        ("notebook", "dir/nb.ipynb", 3)]
    assert after["by_severity"]["critical"] == 1 and after["counts"]["findings"] == 2
    labels = [e["label"] for e in after["timeline"] if e["kind"] == "check"]
    assert labels == ["notebook: dir/nb.ipynb"] * 3


def test_one_finding_reported_by_two_checks_is_shown_once() -> None:
    def record(seq: int, check: str, subject: str) -> dict[str, Any]:
        report = Report(check=check, subject=subject, findings=[Finding(
            "LEAK-PREPROC-BEFORE-SPLIT", Severity.HIGH, "Scaler fitted before the split",
            location=Location(cell=3, line=2))])
        return {"kind": "check", "seq": seq, "cell": {"id": f"c{seq}"},
                "report": report.to_dict(), "summary": {"check": check}}

    from mlsecops_jupyter.lineage.overview import findings_of

    findings = findings_of([record(1, "leakage", "this session"),
                            record(2, "leakage", "nb.ipynb")], RootPaths("nb.ipynb"))
    assert [(f["rule"], f["seq"], f["cell_id"]) for f in findings] == [
        ("LEAK-PREPROC-BEFORE-SPLIT", 2, "c2")]


def test_no_absolute_path_reaches_the_panel(shell: Any,
                                            layout: tuple[Path, Path, Path]) -> None:
    root, notebook, log = layout
    outside = root.parent / "elsewhere" / "secret" / "keys.csv"
    with _recording(shell, log) as recorder:
        shell.run_cell(f"path = {str(root / 'dir' / 'data.csv')!r}\nother = {str(outside)!r}",
                       store_history=True, cell_id="c-paths")
        recorder.record_check(Report(check="modelscan", subject=str(root / "dir" / "m.pkl"),
                                     findings=[Finding(
                                         "MODEL-PICKLE-EXEC", Severity.CRITICAL,
                                         f"{root / 'dir' / 'm.pkl'} imports os.system",
                                         detail=f"copied from {outside}; see "
                                                "https://example.org/a/b, ./rel/x and 1/2",
                                         remediation=f"delete {root}",
                                         location=Location(file=str(root / "dir" / "m.pkl"),
                                                           offset=28))]),
                              cell_id="c-paths")
    overview = _overview(root, log)
    text = json.dumps(overview)
    assert str(root) not in text and str(root.parent) not in text
    leaks = [s for s in _strings(overview) if ABSOLUTE.search(s)]
    assert not leaks, leaks
    [finding] = overview["findings"]
    assert finding["subject"] == "dir/m.pkl" and finding["location"]["file"] == "dir/m.pkl"
    assert finding["title"] == "dir/m.pkl imports os.system"
    assert finding["detail"] == ("copied from keys.csv; see https://example.org/a/b, ./rel/x "
                                 "and 1/2")
    assert finding["remediation"] == "delete ."
    cell = next(e for e in overview["timeline"] if e["kind"] == "cell")
    assert cell["label"] == "path = 'dir/data.csv'"
    assert overview["timeline"][-1]["label"] == "modelscan: dir/m.pkl"


@pytest.mark.parametrize(("value", "expected"), [
    ("/srv/root/dir/nb.ipynb", "dir/nb.ipynb"),
    ("nb.ipynb", "dir/nb.ipynb"),
    ("data.csv", "dir/data.csv"),
    ("missing.csv", "missing.csv"),
    ("/home/alice/other.csv", "other.csv"),
    ("C:\\Users\\alice\\m.pkl", "m.pkl"),
    ("clf on X_test", "clf on X_test"),
])
def test_root_paths(tmp_path: Path, value: str, expected: str) -> None:
    root = tmp_path / "root"
    (root / "dir").mkdir(parents=True)
    (root / "dir" / "data.csv").write_text("x", encoding="utf-8")
    paths = RootPaths("dir/nb.ipynb", root)
    paths._prefixes.append("/srv/root")  # as a second spelling of the root (a symlink)
    assert paths.path(value) == expected


def test_accepted_findings_and_statements_are_kept_apart(
        shell: Any, layout: tuple[Path, Path, Path]) -> None:
    root, notebook, log = layout
    with _recording(shell, log) as recorder:
        shell.run_cell("from sklearn.tree import DecisionTreeClassifier\n"
                       "tree = DecisionTreeClassifier()", store_history=True, cell_id="c-m")
        recorder.record_check(_scan("dir/nb.ipynb", "dir/nb.ipynb",
                                    ("SECRET-AWS-KEY", Severity.CRITICAL, 2, "a test key"),
                                    ("PII-EMAIL-ADDRESS", Severity.MEDIUM, 4, None)))
        stated = statements_report("tree", {"intended_use": "Teaching",
                                            "limitations": "Tiny"})
        assert stated is not None
        recorder.record_check(stated)
    overview = _overview(root, log)
    assert [(f["rule"], f["accepted"]) for f in overview["findings"]] == [
        ("PII-EMAIL-ADDRESS", None), ("SECRET-AWS-KEY", "a test key")]
    assert overview["by_severity"]["critical"] == 0 and overview["accepted"] == 1
    assert overview["counts"]["findings"] == 1 and overview["counts"]["checks"] == 1
    assert [c["check"] for c in overview["checks"]] == ["notebook"]
    assert overview["timeline"][-1]["label"] == (
        "card statements: tree (intended use, limitations)")
    assert [(m["name"], m["carded"]) for m in overview["models"]] == [("tree", False)]
    assert overview["card_model"] is None
