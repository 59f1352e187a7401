"""A card built from hostile content renders as text: no HTML, no link, nothing loaded or run.

The hostile strings go where a log carries user content: the statements given to ``%mlsec
card``, a column name (a finding's location and an explain table's feature column), a finding's
title, a cell's source and the model's name. The Markdown is rendered by two real renderers
with raw HTML on (as GitHub, Hugging Face and JupyterLab allow it) and one of them with its own
link check switched off, so only our escaping stands between the text and the page.
"""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from mlsecops_jupyter.card import build_card

SCRIPT = "<script>alert('card')</script>"
IMAGE = '<img src=x onerror="alert(1)">'
LINK = "[click me](javascript:alert(document.cookie))"
AUTOLINK = "<javascript:alert(2)>"
REFERENCE = "[ref]: javascript:alert(3)"
FENCE = "````\n</pre><script>alert(4)</script>\n````"
HOSTILE = (SCRIPT, IMAGE, LINK, AUTOLINK)
# what Markdown itself produces from our card; anything else came from the content
MARKDOWN_TAGS = {"h1", "h2", "p", "ul", "li", "strong", "em", "code", "pre", "table", "thead",
                 "tbody", "tr", "th", "td", "hr", "br"}
HTML_TAGS = {"html", "head", "meta", "title", "body", "h1", "h2", "p", "ul", "li", "b", "code",
             "pre", "section", "table", "thead", "tbody", "tr", "th", "td"}


class _Page(HTMLParser):
    """Every tag with its attributes, and the text, of an HTML fragment or page."""

    def __init__(self, html_text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html_text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def _hostile_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    hostile = copy.deepcopy(records)
    fit = next(r for r in hostile if r.get("kind") == "cell"
               and r["code"]["source"].startswith("clf.fit"))
    fit["code"]["source"] += "\n" + FENCE
    pii = next(r for r in hostile if r.get("kind") == "check"
               and r["report"]["check"] == "pii")
    finding = pii["report"]["findings"][0]
    finding["title"] = f"E-mail in {SCRIPT} {LINK}"
    finding["location"] = {"column": f"{IMAGE} {AUTOLINK}"}
    explain = next(r for r in hostile if r.get("kind") == "check"
                   and r["report"]["check"] == "explain")
    explain["report"]["metrics"]["tables"] = [{
        "title": "Importance", "columns": ["feature", "importance"],
        "rows": [[f"{IMAGE} {LINK}", 0.5], [REFERENCE, 0.25]]}]
    hostile.append({"kind": "check", "seq": len(hostile), "session": pii["session"],
                    "report": {"check": "card-statements", "subject": "clf", "findings": [],
                               "metrics": {"statements": {
                                   "intended_use": f"{SCRIPT} {LINK}",
                                   "limitations": f"{REFERENCE}\n{AUTOLINK}",
                                   "ethical_considerations": f"# {IMAGE}",
                                   "out_of_scope": "1. <b>bold</b> & data:text/html,<b>"}}}})
    return hostile


@pytest.fixture
def hostile_card(records: list[dict[str, Any]]) -> Any:
    return build_card(_hostile_records(records), "clf",
                      model_version=f"{SCRIPT}{LINK}")


def _renderers() -> list[tuple[str, Any]]:
    import mistune
    from markdown_it import MarkdownIt

    permissive = MarkdownIt("commonmark", {"html": True}).enable("table")
    permissive.validateLink = lambda url: True  # only our escaping keeps links out
    return [("markdown-it (html, no link check)", permissive.render),
            ("mistune (no escaping)", mistune.create_markdown(
                escape=False, plugins=["table", "url", "strikethrough"]))]


@pytest.mark.parametrize("name", ["markdown-it (html, no link check)", "mistune (no escaping)"])
def test_markdown_card_renders_hostile_content_as_text(hostile_card: Any, name: str) -> None:
    render = dict(_renderers())[name]
    markdown = hostile_card.to_markdown()
    body = markdown.split("\n---\n", 1)[1]  # the YAML front matter is data, not rendered
    page = _Page(render(body))
    tags = {tag for tag, _ in page.tags}
    assert tags <= MARKDOWN_TAGS, tags - MARKDOWN_TAGS
    for tag, attrs in page.tags:
        assert set(attrs) <= {"class", "style", "align"}, (tag, attrs)
    for text in (SCRIPT, IMAGE, LINK, AUTOLINK, "<b>bold</b>"):
        assert text in page.plain, text
    assert "javascript:alert(3)" in page.plain  # the reference definition stayed text
    assert "</pre><script>alert(4)</script>" in page.plain  # inside its code block


def test_markdown_escaping_is_what_stops_the_html(records: list[dict[str, Any]]) -> None:
    """The same renderer on the unescaped statement makes the tags: the test can fail."""
    render = dict(_renderers())["markdown-it (html, no link check)"]
    assert "<script>" in render(SCRIPT) and 'href="javascript:' in render(LINK)
    card = build_card(records, "clf", intended_use=f"{SCRIPT} {LINK}")
    section = card.to_markdown().split("## Intended use\n\n", 1)[1].split("\n## ")[0]
    assert "<script>" not in render(section) and "href=" not in render(section)


def test_markdown_code_fence_cannot_be_closed_by_the_source(hostile_card: Any) -> None:
    markdown = hostile_card.to_markdown()
    fences = re.findall(r"^(`{3,})python$", markdown, flags=re.MULTILINE)
    assert "`````" in fences  # longer than the four backticks inside the source


def test_html_card_is_self_contained_and_inert(hostile_card: Any) -> None:
    text = hostile_card.to_html()
    page = _Page(text)
    tags = {tag for tag, _ in page.tags}
    assert tags <= HTML_TAGS, tags - HTML_TAGS
    for tag, attrs in page.tags:
        assert set(attrs) <= {"lang", "charset", "http-equiv", "content", "name", "style",
                              "id"}, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs)
    policy = [a["content"] for t, a in page.tags if a.get("http-equiv") ==
              "Content-Security-Policy"]
    assert policy and "default-src 'none'" in str(policy[0])
    for hostile in (*HOSTILE, "<b>bold</b>", REFERENCE):
        assert hostile in page.plain, hostile
    assert "<script" not in text.lower() and "<img" not in text.lower()


def test_front_matter_stays_data(hostile_card: Any) -> None:
    """The version, with a quote and newlines in reach, cannot end the YAML block."""
    markdown = hostile_card.to_markdown()
    front = markdown.split("\n---\n", 1)[0]
    assert front.count("\n") == len(front.splitlines()) - 1
    line = next(x for x in front.splitlines() if x.startswith("model_version:"))
    assert line == 'model_version: "<script>alert(\'card\')</script>[click me]' \
                   '(javascript:alert(document.cookie))"'
