"""The sidebar panel in a real JupyterLab and a real browser, end to end."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from lab_page import open_with_panel
from labserver import Server

from mlsecops_jupyter.lineage import read_records
from mlsecops_jupyter.lineage.store import LineageStore

PANEL = "#mlsecops-panel"
TIMEOUT = 90_000


@pytest.fixture(scope="module")
def page(lab: Server, browser: Any) -> Any:
    context, page = open_with_panel(browser, lab, "known.ipynb", cells=4)
    yield page
    context.close()


def _active_cell(page: Any) -> int:
    return int(page.evaluate(
        "() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-Notebook .jp-Cell')).findIndex(c => c.classList.contains('jp-mod-active'))"))


def test_panel_shows_the_counts_chain_and_timeline(page: Any, lab: Server,
                                                   artifacts: Path) -> None:
    panel = page.locator(PANEL)
    critical = panel.locator('.jp-MLSecOpsPanel-count[data-severity="critical"]')
    critical.wait_for(timeout=TIMEOUT)
    assert critical.inner_text() == "1 critical"
    assert panel.locator('.jp-MLSecOpsPanel-count[data-severity="high"]').inner_text() == "0 high"
    assert panel.locator(".jp-MLSecOpsPanel-findings h3").inner_text() == "Findings (1)"
    assert panel.locator(".jp-MLSecOpsPanel-chain").inner_text().lower() == "verified"
    assert panel.locator(".jp-MLSecOpsPanel-timelineSummary").inner_text() == (
        "3 cells run · 1 checks run · 0 data seen")
    assert panel.locator(".jp-MLSecOpsPanel-notebook").inner_text() == "known.ipynb"
    # the cell that ran the check carries the severity marker; others do not
    marked = page.locator(".jp-Notebook .jp-Cell[data-mlsec-severity]")
    assert marked.count() == 1
    assert marked.first.get_attribute("data-mlsec-severity") == "critical"
    page.screenshot(path=str(artifacts / "panel.png"))
    assert not page.errors, page.errors


def test_clicking_a_finding_selects_its_cell(page: Any) -> None:
    page.locator(".jp-Notebook .jp-Cell").first.click()
    assert _active_cell(page) == 0
    finding = page.locator(
        f'{PANEL} button.jp-MLSecOpsPanel-finding[data-rule="MODEL-PICKLE-EXEC"]')
    finding.focus()
    page.keyboard.press("Enter")  # keyboard accessible: a real button
    deadline = time.monotonic() + 10
    while _active_cell(page) != 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _active_cell(page) == 3
    cell = page.locator(".jp-Notebook .jp-Cell").nth(3)
    assert "%mlsec scan evil.bin" in cell.inner_text()
    assert cell.get_attribute("data-mlsec-severity") == "critical"


def test_scan_now_runs_the_static_scan_and_its_finding_selects_its_cell(
        page: Any, lab: Server, artifacts: Path) -> None:
    log = lab.root / ".mlsec" / "known.ipynb.lineage.jsonl"
    before = len(read_records(log))
    page.locator(PANEL).get_by_role("button", name="Scan now").click()
    notice = page.locator(f"{PANEL} .jp-MLSecOpsPanel-notice", has_text="Scan: ")
    notice.wait_for(timeout=TIMEOUT)
    assert notice.inner_text() == "Scan: 1 medium"
    records = read_records(log)
    assert [(r["kind"], r["report"]["check"], r["origin"]) for r in records[before:]] == [
        ("check", "notebook", "sidebar"), ("check", "leakage", "sidebar")]
    # the panel re-read the log: the e-mail finding of cell 4 joins the pickle finding
    medium = page.locator(f'{PANEL} .jp-MLSecOpsPanel-count[data-severity="medium"]')
    page.wait_for_function(
        "() => document.querySelector('#mlsecops-panel .jp-MLSecOpsPanel-count"
        "[data-severity=\"medium\"]').textContent === '1 medium'", timeout=TIMEOUT)
    assert medium.inner_text() == "1 medium"
    assert page.locator(f"{PANEL} .jp-MLSecOpsPanel-findings h3").inner_text() == "Findings (2)"
    assert page.locator(".jp-Notebook .jp-Cell").nth(4).get_attribute(
        "data-mlsec-severity") == "medium"
    page.screenshot(path=str(artifacts / "panel_after_scan.png"))
    page.locator(f'{PANEL} button.jp-MLSecOpsPanel-finding[data-rule="PII-EMAIL-ADDRESS"]'
                 ).click()
    deadline = time.monotonic() + 10
    while _active_cell(page) != 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _active_cell(page) == 4


def test_export_downloads_the_model_card(page: Any, lab: Server, artifacts: Path) -> None:
    panel = page.locator(PANEL)
    panel.get_by_role("button", name="Export model card").click()
    # this log names no model: the form offers the card of the last session
    assert panel.locator("select.jp-MLSecOpsPanel-exportModel option").all_inner_texts() == [
        "no model: the last session"]
    with page.expect_download(timeout=TIMEOUT) as download:
        panel.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename == "model_card.md"
    target = artifacts / "model_card.md"
    download.value.save_as(str(target))
    text = target.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head = read_records(lab.root / ".mlsec" / "known.ipynb.lineage.jsonl")[-1]["hash"]
    assert head in text
    page.locator(f"{PANEL} .jp-MLSecOpsPanel-notice",
                 has_text="Model card of the last session downloaded: model_card.md").wait_for(
        timeout=TIMEOUT)


def test_panel_follows_a_check_run_in_the_browser(page: Any, lab: Server,
                                                  artifacts: Path) -> None:
    """Run every cell in JupyterLab's kernel: the panel updates without a reload."""
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=TIMEOUT)
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    summary = page.locator(f"{PANEL} .jp-MLSecOpsPanel-timelineSummary",
                           has_text="6 cells run")
    summary.wait_for(timeout=TIMEOUT)
    records = read_records(lab.root / ".mlsec" / "known.ipynb.lineage.jsonl")
    assert sum(1 for r in records if r["kind"] == "session") == 2  # the browser's kernel too
    checks = sum(1 for r in records if r["kind"] == "check")
    assert summary.inner_text() == f"6 cells run · {checks} checks run · 0 data seen"
    # the re-run replaced the check's findings: still one critical
    counts = page.locator(f'{PANEL} .jp-MLSecOpsPanel-count[data-severity="critical"]')
    assert counts.inner_text() == "1 critical"
    page.screenshot(path=str(artifacts / "panel_after_run.png"))
    assert not page.errors, page.errors


def _luminance(css_color: str) -> float:
    inner = css_color[css_color.index("(") + 1:css_color.rindex(")")]
    red, green, blue = (float(part) for part in inner.split(",")[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def test_panel_says_which_records_it_left_out(lab: Server, browser: Any,
                                             artifacts: Path) -> None:
    """A log whose chain verifies but holds a record this package never writes: the panel
    shows every good record and names the one it left out, instead of looking complete."""
    shutil.copyfile(lab.root / "known.ipynb", lab.root / "altered.ipynb")
    log = lab.root / ".mlsec" / "altered.ipynb.lineage.jsonl"
    bodies = [{k: v for k, v in record.items() if k not in ("schema", "seq", "prev", "hash")}
              for record in read_records(lab.root / ".mlsec" / "known.ipynb.lineage.jsonl")]
    store = LineageStore(log)
    store.append_many(bodies)
    forged = store.append({"kind": "check", "report": []})  # chained, but not our shape
    context, page = open_with_panel(browser, lab, "altered.ipynb", cells=4)
    try:
        note = page.locator(f"{PANEL} .jp-MLSecOpsPanel-skipped")
        note.wait_for(timeout=TIMEOUT)
        text = note.inner_text()
        assert f"seq {forged['seq']}" in text and "report is a list" in text, text
        assert page.locator(f"{PANEL} .jp-MLSecOpsPanel-chain").inner_text().lower() == "verified"
        # the good records are all still shown
        assert page.locator(f'{PANEL} .jp-MLSecOpsPanel-count[data-severity="critical"]'
                            ).inner_text() == "1 critical"
        page.screenshot(path=str(artifacts / "panel_skipped_records.png"))
        assert not page.errors, page.errors
    finally:
        context.close()


def test_dark_theme_reaches_the_panel(page: Any, artifacts: Path) -> None:
    """The panel uses theme variables only: under JupyterLab Dark its background is dark."""
    panel = page.locator(PANEL)
    light = _luminance(panel.evaluate("node => getComputedStyle(node).backgroundColor"))
    page.locator(".lm-MenuBar-itemLabel", has_text="Settings").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Theme").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="JupyterLab Dark").first.click()
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'",
                           timeout=TIMEOUT)
    page.wait_for_timeout(500)  # theme CSS variables settle
    dark = _luminance(panel.evaluate("node => getComputedStyle(node).backgroundColor"))
    page.screenshot(path=str(artifacts / "panel_dark.png"))
    assert light > 0.8 and dark < 0.3, (light, dark)
