"""Reports outlive the kernel: run a notebook in JupyterLab, save it, shut the kernel down, reopen.

A data scientist runs checks, saves, and opens the notebook again tomorrow (or a reviewer opens
it from git, untrusted). Every report must still show its findings, with no "Error displaying
widget"; the same notebook exported by nbconvert must show them too. Real JupyterLab, a real
kernel, Debian's chromium. Screenshots go to ``MLSEC_ARTIFACTS``; the README's image
(docs/images/report_reopened.png) is ``report_scan_reopened.png``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from labserver import Server, running_server
from nbformat.v4 import new_code_cell, new_notebook
from static_notebooks import canary_pickle_cell

from mlsecops_jupyter.core.output_marker import is_report_output

TIMEOUT = 120_000
REPORT = ".jp-OutputArea-output .jp-MLSec-report"
WIDGET_ERROR = "Error displaying widget"
# what each report must show once reopened: (check, a rule it found)
EXPECTED = (("modelscan", "MODEL-PICKLE-EXEC"), ("bias", "BIAS-DEMOGRAPHIC-PARITY"),
            ("pii", "PII-EMAIL-ADDRESS"))
# reports in the notebook: those above, explain's, and the scan shown again with acceptances
REPORTS = len(EXPECTED) + 2
ACCEPTED_REASON = "reviewed: the canary fixture of this test"
CANARY = "CANARY-MARKER"  # what the pickle's payload would touch, were it ever loaded

# the status line shows after 0.2 s here (1 s by default), so a fast machine shows it as well
LOAD_CELL = """\
%load_ext mlsecops_jupyter
from mlsecops_jupyter.display import progress
progress.DELAY_S = 0.2"""
BIAS_DATA = """\
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(0)
n = 800
sex = rng.choice(["F", "M"], n)
income = rng.normal(50, 10, n) + np.where(sex == "M", 8, 0)
tenure = rng.integers(0, 20, n)
y = (income + rng.normal(0, 5, n) > 55).astype(int)
X = pd.DataFrame({"income": income, "tenure": tenure, "sex": sex})
model = LogisticRegression(max_iter=1000).fit(X[["income", "tenure"]], y)"""
PII_DATA = """\
customers = pd.DataFrame({
    "email": [f"user{i}@example.org" for i in range(40)],
    "plan": ["basic", "pro"] * 20,
})"""
ACCEPTED_CELL = f"""\
import dataclasses
reviewed = dataclasses.replace(scan_report, findings=[
    dataclasses.replace(f, accepted={ACCEPTED_REASON!r}) for f in scan_report.findings])
reviewed"""


def reports_notebook(path: Path, marker: Path) -> None:
    cells = [LOAD_CELL, canary_pickle_cell(marker),
             "scan_report = %mlsec scan evil.bin", BIAS_DATA,
             "%mlsec bias model X y --sensitive sex",
             # the first explain of a kernel imports shap (seconds): the status line shows
             "%mlsec explain model X --sensitive sex", PII_DATA, "%mlsec pii customers",
             ACCEPTED_CELL, "print('ALL-CELLS-DONE')"]
    notebook = new_notebook(cells=[new_code_cell(source) for source in cells],
                            metadata={"kernelspec": {"name": "python3",
                                                     "display_name": "Python 3",
                                                     "language": "python"}})
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def reports_lab(tmp_path_factory: pytest.TempPathFactory, browser: Any,
                canary_marker: Path) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("reports-lab") / "root"
    root.mkdir()
    # a marker relative to the kernel's folder (the root): screenshots show no machine path
    reports_notebook(root / "reports.ipynb", Path(CANARY))
    with running_server(root, lab=True) as server:
        yield server
    assert not (root / CANARY).exists() and not canary_marker.exists()


def _open(browser: Any, server: Server, name: str) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{server.base}/lab/tree/{name}?reset&token={server.token}",
              wait_until="domcontentloaded")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=TIMEOUT)
    return page


def _menu(page: Any, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def _kernels(server: Server) -> list[dict[str, Any]]:
    status, _, body = server.request("/api/kernels")
    assert status == 200
    return list(json.loads(body))


def _assert_reports_readable(page: Any, *, accepted: bool = True) -> None:
    """Every report shows its check, its findings and counts; no widget error anywhere."""
    reports = page.locator(REPORT)
    reports.nth(REPORTS - 1).wait_for(state="visible", timeout=TIMEOUT)
    text = page.locator(".jp-Notebook").inner_text()
    assert WIDGET_ERROR not in text and "model not found" not in text
    for check, rule in EXPECTED:
        report = reports.filter(has=page.locator("b", has_text=check)).first
        assert report.is_visible(), check
        assert report.get_by_text(rule).first.is_visible(), (check, rule)
        assert report.locator(".jp-MLSec-counts").is_visible()
    figures = page.locator(f"{REPORT} .jp-MLSec-figure img")
    assert figures.count() >= 3  # bias: sex; explain: bars, beeswarm
    for index in range(figures.count()):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()
        assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
        assert figure.evaluate(
            "img => img.getBoundingClientRect().width <= "
            "img.closest('.jp-OutputArea-output').getBoundingClientRect().width + 0.5")
    if accepted:
        reviewed = page.locator(f"{REPORT} .jp-MLSec-accepted").first
        assert reviewed.get_by_text(ACCEPTED_REASON).first.is_visible()
    # the severity filter works without a kernel: closing a section hides its findings
    critical = reports.first.locator("details.jp-MLSec-sev-critical").first
    row = critical.locator("table").first
    assert row.is_visible()
    critical.locator("summary").first.click()
    assert not row.is_visible()
    critical.locator("summary").first.click()
    assert row.is_visible()


@pytest.fixture(scope="module")
def saved_notebook(reports_lab: Server, browser: Any, artifacts: Path) -> Iterator[Path]:
    """Run every cell in JupyterLab, watch the status line, save, and shut the kernel down."""
    page = _open(browser, reports_lab, "reports.ipynb")
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=TIMEOUT)
    page.locator(".jp-Notebook .jp-Cell").first.click()
    _menu(page, "Run", "Run All Cells")
    # explain's first run imports shap (seconds): the status line shows, then goes
    status = page.locator(".jp-MLSec-status")
    status.first.wait_for(state="visible", timeout=TIMEOUT)
    try:
        status.first.scroll_into_view_if_needed(timeout=2_000)
        page.screenshot(path=str(artifacts / "reports_status_line.png"))
    except Exception:  # it may have ended in the meantime: the screenshot is only a record
        pass
    page.locator(".jp-OutputArea-output", has_text="ALL-CELLS-DONE").wait_for(
        timeout=TIMEOUT * 3)
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=TIMEOUT)
    deadline = time.monotonic() + 10
    while status.count() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status.count() == 0, "the status line was left behind"
    # live: each report once (no widget copy beside the HTML), all readable
    assert page.locator(REPORT).count() == REPORTS
    _assert_reports_readable(page)
    page.screenshot(path=str(artifacts / "reports_live.png"))
    assert not page.errors, page.errors
    page.keyboard.press("Control+s")
    path = reports_lab.root / "reports.ipynb"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        saved = nbformat.read(path, as_version=4)
        if any(cell.get("outputs") for cell in saved.cells):
            break
        time.sleep(0.3)
    _menu(page, "Kernel", "Shut Down Kernel")
    deadline = time.monotonic() + 30
    while _kernels(reports_lab) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert not _kernels(reports_lab), "the kernel is still running"
    page.context.close()
    yield path


def test_saved_outputs_are_marked_html_and_text_without_widget_views(
        saved_notebook: Path) -> None:
    notebook = nbformat.read(saved_notebook, as_version=4)
    shown = [output for cell in notebook.cells for output in cell.get("outputs", [])
             if output["output_type"] in ("display_data", "execute_result")]
    reports = [o for o in shown if "text/html" in o["data"]]
    assert len(reports) == REPORTS
    for output in reports:
        assert set(output["data"]) == {"text/html", "text/plain"}
        assert is_report_output(output)  # marked: the notebook scan skips our own outputs
    # the only widget views left are status lines, emptied: a view of no model
    for output in shown:
        view = output["data"].get("application/vnd.jupyter.widget-view+json")
        if view is not None:
            assert view["model_id"] == "" and set(output["data"]) == {
                "application/vnd.jupyter.widget-view+json"}
    assert not saved_notebook.with_name(CANARY).exists()


def test_reopened_after_the_kernel_is_gone_every_report_reads_the_same(
        saved_notebook: Path, reports_lab: Server, browser: Any, artifacts: Path) -> None:
    page = _open(browser, reports_lab, saved_notebook.name)
    _assert_reports_readable(page)
    # the notebook was saved by JupyterLab from live outputs: it is trusted
    assert "jp-mod-trusted" in (page.locator(REPORT).first.locator(
        "xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')]").get_attribute("class"))
    first = page.locator(REPORT).first
    first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "reports_reopened.png"))
    _report_screenshot(page, "bias", artifacts / "report_bias_reopened.png")
    _report_screenshot(page, "modelscan", artifacts / "report_scan_reopened.png")
    # dark theme: the text follows the theme, the figures' light card is inverted
    _menu(page, "Settings", "Theme")
    page.locator(".lm-Menu-itemLabel", has_text="JupyterLab Dark").first.click()
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'",
                           timeout=TIMEOUT)
    page.wait_for_timeout(500)
    _assert_reports_readable(page)
    colour = page.locator(REPORT).first.evaluate("n => getComputedStyle(n).color")
    assert _luminance(colour) > 0.6, colour
    figure = page.locator(f"{REPORT} .jp-MLSec-figure img").first
    assert "invert" in figure.evaluate("img => getComputedStyle(img).filter")
    _report_screenshot(page, "bias", artifacts / "report_bias_reopened_dark.png")
    page.screenshot(path=str(artifacts / "reports_reopened_dark.png"))
    _menu(page, "Settings", "Theme")
    page.locator(".lm-Menu-itemLabel", has_text="JupyterLab Light").first.click()
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'",
                           timeout=TIMEOUT)
    assert not page.errors, page.errors
    page.context.close()


def test_an_untrusted_copy_reads_the_same(saved_notebook: Path, reports_lab: Server,
                                          browser: Any, artifacts: Path) -> None:
    """A notebook from git is untrusted: JupyterLab sanitises its HTML (no <style>, no var())."""
    notebook = nbformat.read(saved_notebook, as_version=4)
    notebook.metadata["copied_from"] = "a colleague"  # another digest: not signed here
    copy = saved_notebook.with_name("reports_copy.ipynb")
    nbformat.write(notebook, copy)
    page = _open(browser, reports_lab, copy.name)
    _assert_reports_readable(page)
    classes = page.locator(REPORT).first.locator(
        "xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')]").get_attribute("class")
    assert "jp-mod-trusted" not in classes
    assert page.locator(f"{REPORT} style").count() == 0  # the sanitiser removed them
    _report_screenshot(page, "modelscan", artifacts / "report_scan_untrusted.png")
    page.screenshot(path=str(artifacts / "reports_untrusted.png"))
    page.context.close()


def test_nbconvert_html_shows_the_findings(saved_notebook: Path, browser: Any,
                                           artifacts: Path) -> None:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_filename(str(saved_notebook))
    target = artifacts / "reports_nbconvert.html"
    target.write_text(body, encoding="utf-8")
    assert WIDGET_ERROR not in body
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(target.as_uri())
    text = page.locator("body").inner_text()
    for check, rule in EXPECTED:
        assert rule in text, (check, rule)
    assert ACCEPTED_REASON in text
    assert page.locator(".jp-MLSec-report").count() == REPORTS
    figure = page.locator(".jp-MLSec-figure img").first
    assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=str(artifacts / "reports_nbconvert.png"), full_page=False)
    page.close()


def _report_screenshot(page: Any, check: str, path: Path) -> None:
    """The notebook panel with ``check``'s report (and the cell that ran it) at the top."""
    report = page.locator(REPORT).filter(has=page.locator("b", has_text=check)).first
    cell = report.locator("xpath=ancestor::div[contains(@class, 'jp-CodeCell')]").first
    cell.evaluate("node => node.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer").first
    page.screenshot(path=str(path), clip=panel.bounding_box())


def _luminance(css_color: str) -> float:
    inner = css_color[css_color.index("(") + 1:css_color.rindex(")")]
    red, green, blue = (float(part) for part in inner.split(",")[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


PROBE = (
    '<div class="probe" id="probe-id" style="color: var(--jp-ui-font-color1, #222); '
    'border-bottom: 1px solid rgba(128,128,128,.35); max-width: min(100%, 640px)">'
    "<style>.probe .styled { color: rgb(255, 0, 0) }</style>"
    '<span class="styled">styled</span>'
    "<details open><summary>heading</summary>body</details>"
    '<input type="checkbox" name="filter" class="box">'
    '<div hidden class="hidden-div">hidden</div>'
    '<svg class="inline-svg" width="4" height="4"><rect width="4" height="4"/></svg>'
    '<img class="svg-img" src="data:image/svg+xml;base64,'
    'PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSI0IiBoZWlnaHQ9IjQiLz4=">'
    "</div>"
)


def test_what_jupyterlab_keeps_of_untrusted_html(reports_lab: Server, browser: Any) -> None:
    """The facts display/html.py is built on; if JupyterLab's sanitiser changes, this says so."""
    cell = new_code_cell("probe", execution_count=1, outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": PROBE, "text/plain": "probe"})])
    nbformat.write(new_notebook(cells=[cell]), reports_lab.root / "probe.ipynb")
    page = _open(browser, reports_lab, "probe.ipynb")
    probe = page.locator(".jp-OutputArea-output .probe").first
    probe.wait_for(timeout=TIMEOUT)
    style = probe.get_attribute("style") or ""
    assert "var(" not in style and "rgba(128" in style and "min(" in style
    assert probe.get_attribute("id") is None
    assert probe.get_attribute("data-jupyter-id") == "probe-id"
    assert probe.locator("style").count() == 0
    assert probe.locator(".styled").evaluate("n => getComputedStyle(n).color") != "rgb(255, 0, 0)"
    assert probe.locator("details[open] > summary").inner_text() == "heading"
    box = probe.locator("input.box")
    assert box.get_attribute("disabled") is not None and box.get_attribute("name") is None
    assert probe.locator(".hidden-div").get_attribute("hidden") is None
    assert probe.locator("svg").count() == 0
    assert probe.locator("img.svg-img").evaluate("img => img.src.startsWith('data:image/svg')")
    page.context.close()
