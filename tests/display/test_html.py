"""The report's HTML, parsed: counts, the severity filter, evidence tables, accepted findings,
escaping of hostile strings, and what is left when a renderer strips styles (GitHub, untrusted
JupyterLab). The browser test (tests/ui/test_saved_reports.py) shows it in real JupyterLab."""

from __future__ import annotations

import base64
import re

import pytest
from html_tree import Node, parse

from mlsecops_jupyter.core import Finding, Location, Report, Severity, Skipped
from mlsecops_jupyter.core.report import Figure
from mlsecops_jupyter.display import render_html, render_text
from mlsecops_jupyter.display.html import OPEN_DETAILS_UP_TO

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
# every tag and attribute the report may use; anything else would be a rendering or escaping bug
TAGS = {"div", "span", "b", "code", "style", "details", "summary", "table", "thead", "tbody",
        "tr", "th", "td", "p", "ul", "li", "br", "figure", "img", "figcaption", "caption"}
ATTRIBUTES = {"class", "style", "open", "alt", "width", "src", "colspan", "title"}


def _finding(rule: str, severity: Severity, where: str, accepted: str | None = None,
             **evidence: object) -> Finding:
    return Finding(rule, severity, f"title of {rule}", f"detail of {rule}", Location(file=where),
                   dict(evidence), f"remedy of {rule}", accepted=accepted)


def _report() -> Report:
    return Report("modelscan", "models/", findings=[
        _finding("MODEL-PICKLE-EXEC", Severity.CRITICAL, "a.pkl", module="os", name="system"),
        _finding("MODEL-PICKLE-EXEC", Severity.CRITICAL, "b.pkl", module="posix"),
        _finding("MODEL-UNKNOWN", Severity.MEDIUM, "c.pkl", accepted="vendor model, reviewed"),
        _finding("MODEL-PICKLE-UNKNOWN-GLOBAL", Severity.MEDIUM, "d.pkl", module="mylib"),
        _finding("MODEL-UNSUPPORTED", Severity.LOW, "notes.txt"),
    ], skipped=[Skipped("e.bin", "empty")])


def _groups(root: Node) -> list[Node]:
    return root.find_all("details", "jp-MLSec-group")


def test_counts_are_of_open_findings_with_the_accepted_counted_apart() -> None:
    root = parse(render_html(_report()))
    counts = root.find("div", "jp-MLSec-counts").text()
    assert counts == "critical 2high 0medium 1low 1info 0accepted 1"


def test_each_severity_is_a_details_section_that_hides_and_shows_its_findings() -> None:
    """The severity filter: click a section's heading to fold it; no script, no CSS."""
    root = parse(render_html(_report()))
    groups = _groups(root)
    assert [g.classes()[1] for g in groups] == [
        "jp-MLSec-sev-critical", "jp-MLSec-sev-medium", "jp-MLSec-sev-low", "jp-MLSec-accepted"]
    for group in groups[:3]:
        assert "open" in group.attrs  # open findings are shown unfolded
        summary = group.children_named("summary")[0]
        assert summary is group.children[0]  # the clickable heading comes first
    critical, medium, low, accepted = groups
    assert critical.children_named("summary")[0].text() == "CRITICAL 2 findings"
    assert len(critical.find("tbody").children_named("tr")) == 2
    first_medium = medium.find("tbody").children_named("tr")[0]
    assert [td.text() for td in first_medium.children_named("td")][:2] == [
        "MODEL-PICKLE-UNKNOWN-GLOBAL", "d.pkl"]
    assert "1 finding accepted by a reviewer" in accepted.children_named("summary")[0].text()


def test_accepted_findings_show_as_accepted_with_the_reason_everywhere() -> None:
    report = _report()
    root = parse(render_html(report))
    accepted = root.find("details", "jp-MLSec-accepted")
    row = accepted.find("tbody").children_named("tr")[0]
    cells = [td.text() for td in row.children_named("td")]
    assert cells[:4] == ["MEDIUM", "MODEL-UNKNOWN", "c.pkl", "vendor model, reviewed"]
    assert "Accepted: vendor model, reviewed" in cells[4]
    # open groups do not list it
    medium = root.find("details", "jp-MLSec-sev-medium")
    assert "MODEL-UNKNOWN" not in medium.text().replace("MODEL-UNKNOWN-", "")
    text = render_text(report)
    assert text.splitlines()[0] == ("modelscan on models/: 4 findings (critical 2, high 0, "
                                    "medium 1, low 1, info 0), 1 accepted")
    section = text[text.index("accepted (1):"):]
    assert "[MEDIUM] MODEL-UNKNOWN  c.pkl\n    accepted: vendor model, reviewed" in section


def test_a_report_with_only_accepted_findings_says_so() -> None:
    report = Report("pii", "frame", findings=[
        _finding("PII-EMAIL-ADDRESS", Severity.MEDIUM, "x", accepted="test data")])
    root = parse(render_html(report))
    assert root.find("div", "jp-MLSec-counts").text() == "No open findings.accepted 1"
    assert [g.classes()[1] for g in _groups(root)] == ["jp-MLSec-accepted"]
    assert render_text(report).splitlines()[0] == "pii on frame: no open findings, 1 accepted"


def test_small_reports_open_each_finding_large_ones_fold_them() -> None:
    small = parse(render_html(Report("x", "y", findings=_report().findings[:OPEN_DETAILS_UP_TO])))
    details = [d for d in small.find_all("details") if "jp-MLSec-group" not in d.classes()]
    assert details and all("open" in d.attrs for d in details)
    large = parse(render_html(_report()))
    inner = [d for d in large.find_all("details") if not d.classes()]
    assert inner and not any("open" in d.attrs for d in inner)


def test_evidence_is_tables_not_json() -> None:
    finding = _finding("LEAK-GROUP-OVERLAP", Severity.HIGH, "train", count=3, ratio=0.125,
                       shared=True, columns=["a", "b"], examples=[{"id": 1, "train": 4},
                                                                  {"id": 2, "test": 5}],
                       nested={"inner": {"deep": {"deeper": 1}}}, empty={}, missing=None)
    root = parse(render_html(Report("leakage", "x", findings=[finding])))
    table = root.find("table", "jp-MLSec-evidence")
    rows = {tr.children_named("th")[0].text(): tr.children_named("td")[0]
            for tr in table.find("tbody").children_named("tr")}
    assert list(rows) == sorted(rows)  # keys sorted, as in the text view
    assert rows["count"].text() == "3" and rows["ratio"].text() == "0.125"
    assert rows["shared"].text() == "yes" and rows["missing"].text() == "-"
    assert rows["columns"].text() == "a, b"
    assert rows["empty"].text() == "(none)"
    examples = rows["examples"].find("table")
    assert [th.text() for th in examples.find("thead").find_all("th")] == ["id", "train", "test"]
    assert [[td.text() for td in tr.children_named("td")]
            for tr in examples.find("tbody").children_named("tr")] == [["1", "4", ""],
                                                                       ["2", "", "5"]]
    nested = rows["nested"].find("table")  # a dict is a nested table ...
    assert nested.find("th").text() == "inner"
    assert '{"deeper": 1}' in nested.text()  # ... down to a depth, then compact JSON
    assert "{" not in rows["examples"].text()


def test_long_evidence_is_bounded() -> None:
    finding = _finding("X", Severity.LOW, "f", blob="y" * 5000, items=list(range(100)))
    root = parse(render_html(Report("x", "y", findings=[finding])))
    text = root.find("table", "jp-MLSec-evidence").text()
    assert "(5000 characters)" in text and "y" * 500 not in text
    assert "... and 80 more" in text


@pytest.mark.parametrize("where", ["subject", "file", "title", "detail", "evidence-key",
                                   "evidence-value", "accepted", "figure", "table", "skipped"])
def test_hostile_strings_are_text_never_markup(where: str) -> None:
    pick = (lambda name: HOSTILE if where == name else "plain")  # noqa: E731
    finding = Finding("R-1", Severity.HIGH, pick("title"), pick("detail"),
                      Location(file=pick("file")), {pick("evidence-key"): pick("evidence-value")},
                      "fix", accepted=HOSTILE if where == "accepted" else None)
    report = Report("x", pick("subject"), findings=[finding],
                    metrics={"tables": [{"title": "t", "columns": ["c"],
                                         "rows": [[pick("table")]]}]},
                    skipped=[Skipped(pick("skipped"), "why")],
                    figures=[Figure(pick("figure"), b"<svg/>", mime="image/svg+xml")])
    markup = render_html(report)
    root = parse(markup)
    tags = {node.tag for node in root.iter()} - {"#root"}
    assert tags <= TAGS, tags - TAGS
    for node in root.iter():
        assert set(node.attrs) <= ATTRIBUTES, node.attrs
        src = node.attrs.get("src") or ""
        assert not src or src.startswith("data:image/")
    assert HOSTILE in root.text() or root.find("img").attrs["alt"] == HOSTILE
    assert "<script" not in markup.lower()


def test_styles_use_no_css_variables_and_set_no_text_colour() -> None:
    """JupyterLab's sanitiser drops declarations with var(); text colour comes from the page."""
    markup = render_html(_report())
    root = parse(markup)
    for node in root.iter():
        style = node.attrs.get("style") or ""
        assert "var(" not in style, style
        assert not re.search(r"(^|;)\s*color:", style) or node.tag == "span", style
    outer = root.find("div", "jp-MLSec-report")
    assert "color" not in (outer.attrs["style"] or "")


def test_nothing_depends_on_styles_to_be_read() -> None:
    """GitHub drops <style>, style and class attributes: every fact must still be in the text."""
    report = _report()
    root = parse(render_html(report))
    for node in root.iter():
        node.attrs.pop("style", None)
        node.attrs.pop("class", None)
        node.children = [c for c in node.children if not (isinstance(c, Node)
                                                           and c.tag == "style")]
        assert "hidden" not in node.attrs
    text = root.text()
    for finding in report.findings:
        for fact in (finding.rule, finding.title, finding.detail, finding.remediation,
                     finding.location.describe(), *map(str, finding.evidence.values())):
            assert fact in text, fact
    assert "vendor model, reviewed" in text and "critical 2" in text and "e.bin" in text


def test_the_style_block_only_adds_extras() -> None:
    markup = render_html(_report())
    (style,) = parse(markup).find_all("style")
    css = style.text()
    assert "invert" in css and "data-jp-theme-light='false'" in css and "vscode-dark" in css
    assert "display:none" not in css.replace(" ", "")  # it never hides content


def test_figures_are_data_images_at_their_width_drawn_when_rendered() -> None:
    drawn = []

    def draw() -> bytes:
        drawn.append(1)
        return b'<svg xmlns="http://www.w3.org/2000/svg"/>'

    lazy = Figure("bars <1>", mime="image/svg+xml", width=480, draw=draw)
    report = Report("explain", "m", figures=[lazy])
    assert not drawn and not lazy.drawn
    img = parse(render_html(report)).find("figure", "jp-MLSec-figure").find("img")
    assert drawn == [1] and lazy.drawn
    assert img.attrs["width"] == "480" and "max-width: 100%" in (img.attrs["style"] or "")
    assert base64.b64decode(img.attrs["src"].split(",", 1)[1]) == lazy.data
    assert img.attrs["src"].startswith("data:image/svg+xml;base64,")
    render_html(report)
    assert drawn == [1]  # drawn once


def test_wide_tables_scroll_instead_of_being_cut() -> None:
    table = {"title": "wide", "columns": [f"c{i}" for i in range(30)],
             "rows": [[1.5] * 30, ["text"] * 30]}
    root = parse(render_html(Report("bias", "x", metrics={"tables": [table]},
                                    findings=_report().findings)))
    for box in [root.find("div", "jp-MLSec-table")] + [
            t for t in root.find_all("div") if t.children_named("table")]:
        assert "overflow-x: auto" in (box.attrs["style"] or ""), box.attrs
    numbers = root.find("div", "jp-MLSec-table").find("tbody").find_all("td")
    assert "text-align: right" in (numbers[0].attrs["style"] or "")
    assert "text-align: left" in (numbers[30].attrs["style"] or "")


def test_a_long_path_is_cut_in_the_table_and_kept_whole_in_the_tooltip() -> None:
    # %mlsec notebook names this notebook by its absolute path: shown whole, the location
    # column (which never wraps) pushed the finding column off screen
    path = "/home/analyst/projects/churn-model/notebooks/experiments/review.ipynb"
    finding = Finding("SECRET-X", Severity.HIGH, "a key", location=Location(file=path, cell=2))
    page = render_html(Report("notebook", path, findings=[finding]))
    assert "<code style=\"white-space: nowrap;\">…/experiments/review.ipynb, cell 2</code>" in page
    assert f'title="{path}, cell 2"' in page
    short = Finding("SECRET-X", Severity.HIGH, "a key", location=Location(file="nb.ipynb"))
    assert ">nb.ipynb</code>" in render_html(Report("notebook", "x",
                                                    findings=[short]))
