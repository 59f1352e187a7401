"""Long outputs full of personal data: every line found, at a cost linear in the spans.

The overlap resolution of ``find_pii`` and the line/column lookup of the notebook scan were
quadratic in the number of spans (a 20,000-line output of e-mails and phones took minutes);
both now bisect. The property test holds the new overlap resolution to the simple one.
"""

from __future__ import annotations

import random

import nbformat
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_notebook, new_output

from mlsecops_jupyter import scan_notebook
from mlsecops_jupyter.checks.pii.text import PiiSpan, _non_overlapping


def _simple(spans: list[PiiSpan]) -> list[PiiSpan]:
    kept: list[PiiSpan] = []
    for span in sorted(spans, key=lambda s: (-s.validated, -s.score, s.start - s.end, s.start)):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end))


SPAN = st.builds(lambda start, length, score, validated: PiiSpan(
    start, start + length, "PHONE_NUMBER", score, validated),
    st.integers(0, 200), st.integers(1, 30), st.sampled_from([0.4, 0.6, 0.9, 1.0]),
    st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.lists(SPAN, max_size=40))
def test_overlap_resolution_keeps_what_the_simple_one_keeps(spans: list[PiiSpan]) -> None:
    assert _non_overlapping(spans) == _simple(spans)


def test_every_line_of_a_long_output_is_found(tmp_path) -> None:
    rng = random.Random(4)
    lines = [f"row {i}: user{i}@example-mail.com called from (415) 555-{rng.randint(1000, 9999)}"
             for i in range(1500)]
    cell = new_code_cell("for row in rows: print(row)", execution_count=1)
    cell.outputs = [new_output("stream", name="stdout", text="\n".join(lines) + "\n")]
    path = tmp_path / "long.ipynb"
    nbformat.write(new_notebook(cells=[cell]), str(path))
    report = scan_notebook(str(path))
    occurrences = {f.rule: f.evidence["occurrences"] for f in report.findings}
    assert occurrences == {"PII-EMAIL-ADDRESS": 1500, "PII-PHONE-NUMBER": 1500}
    email = next(f for f in report.findings if f.rule == "PII-EMAIL-ADDRESS")
    assert email.evidence["lines"][:3] == [1, 2, 3]
