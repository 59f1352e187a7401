"""Records with the right chain and the wrong types inside: every reader skips them, loudly.

The hash chain proves a record was not changed after it was written, not that this package
wrote it: anyone who can write the log can append a record whose ``report`` is a list, whose
finding's ``location`` is a number, whose ``time`` is not a string. Hypothesis takes the real
recording of ``conftest.py`` (a fitted, saved, scanned model with bias, explain, leakage and pii
reports), copies one of its records with one to three members anywhere inside it replaced by a
value of another type, and writes the whole log again through the real ``LineageStore`` (the
chain verifies). Then every reader runs on it: the model card (Markdown, HTML, JSON, the
CycloneDX ML-BOM, validated), the sidebar's overview, ``mlsec lineage verify|show`` and ``mlsec
card`` in-process, and the server's ``notebook``, ``verify`` and ``card`` routes of a real
``jupyter server``.

Each must finish without a traceback; a CLI error is one line with exit 2, an HTTP error a 422.
When the copy is malformed (``lineage.records``), every reader must say it skipped that record
(its seq) and show exactly what it shows for the log without it: no good record is lost.
``MLSEC_FUZZ_EXAMPLES`` sets the examples (default 100).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from labserver import Server, running_server
from nbformat.v4 import new_code_cell, new_notebook

from mlsecops_jupyter import cli
from mlsecops_jupyter.card import build_card
from mlsecops_jupyter.card.mlbom import mlbom_json, validate_mlbom
from mlsecops_jupyter.lineage import read_records, verify
from mlsecops_jupyter.lineage.overview import notebook_overview
from mlsecops_jupyter.lineage.records import check_records, record_shape_problem
from mlsecops_jupyter.lineage.store import LineageStore

FUZZ = settings(
    max_examples=int(os.environ.get("MLSEC_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
    print_blob=True,
)
CREATED = "2026-01-01T00:00:00Z"
SEALED = ("schema", "seq", "prev", "hash")  # the store sets these
MODEL = "clf"
NOTEBOOK = "nb.ipynb"
SERIAL = "urn:uuid:00000000-0000-4000-8000-000000000000"

hostile_values = st.one_of(
    st.sampled_from([[], ["x"], [None], [[{"b": 1}]], "", "text", 0, 7, -1, 2.5, None, True,
                     False, {}, {"a": None}, {"a": [1, {"b": "c"}]}]),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                 lambda inner: st.lists(inner, max_size=3)
                 | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6),
)


def _bodies(path: Path) -> list[dict[str, Any]]:
    return [{k: v for k, v in record.items() if k not in SEALED}
            for record in read_records(path)]


def _paths(value: Any, prefix: tuple[Any, ...] = (), depth: int = 0) -> Iterator[tuple[Any, ...]]:
    """Every member of ``value`` (dict keys, the first list items), at any depth."""
    if depth > 7:
        return
    items: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        items = [(k, v) for k, v in value.items() if not (depth == 0 and k in SEALED)]
    elif isinstance(value, list):
        items = list(enumerate(value[:3]))
    for key, item in items:
        yield (*prefix, key)
        yield from _paths(item, (*prefix, key), depth + 1)


def _replaced(body: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(body))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


def _write(path: Path, bodies: list[dict[str, Any]]) -> None:
    path.unlink(missing_ok=True)
    store = LineageStore(path)
    for body in bodies:
        store.append(body)


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue(), err
    if code == 2:
        assert err.getvalue().count("\n") == 1, err.getvalue()
    return code, out.getvalue(), err.getvalue()


def _without_seq(value: Any) -> Any:
    """``value`` without ``seq`` members: positions shift by one when a record is inserted."""
    if isinstance(value, dict):
        return {k: _without_seq(v) for k, v in value.items() if k != "seq"}
    if isinstance(value, list):
        return [_without_seq(v) for v in value]
    return value


def _card_view(records: Any) -> dict[str, Any]:
    """What a card says, less what depends on the log's length (head, records, skipped)."""
    card = build_card(records, MODEL, created=CREATED)
    markdown, html, bom = card.to_markdown(), card.to_html(), mlbom_json(card, serial=SERIAL)
    validate_mlbom(bom)
    assert html.lstrip().startswith("<")
    data = card.to_dict()
    data.pop("lineage")
    data["front_matter"]["mlsec"].pop("lineage_head")
    data["front_matter"]["mlsec"].pop("lineage_records")
    data["sections"] = [s for s in data["sections"] if s["key"] != "lineage"]
    data["facts"].pop("skipped_records")
    return {"card": data, "markdown": markdown, "html": html, "bom": bom}


def _overview_view(path: Path) -> dict[str, Any]:
    records = read_records(path)
    overview = notebook_overview(NOTEBOOK, path.name, records, verify(path))
    json.dumps(overview, allow_nan=False)
    return overview


def _comparable_overview(overview: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in overview.items()
            if k not in ("chain", "skipped", "warning", "lineage_file")}
    return _without_seq(kept)


@pytest.fixture(scope="module")
def clean(recorded: Path) -> dict[str, Any]:
    """The real recording, and what every reader shows for it."""
    bodies = _bodies(recorded)
    assert bodies and not check_records(read_records(recorded)).skipped
    folder = Path(tempfile.mkdtemp(prefix="mlsec-malformed-clean-"))
    path = folder / "clean.lineage.jsonl"
    _write(path, bodies)
    return {"bodies": bodies, "card": _card_view(read_records(path)),
            "overview": _comparable_overview(_overview_view(path))}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("malformed") / "root"
    (root / ".mlsec").mkdir(parents=True)
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), root / NOTEBOOK)
    with running_server(root, lab=False, enable=True) as running:
        yield running


def _route(server: Server, query: str) -> tuple[int, bytes]:
    status, _headers, body = server.request(query)
    assert status < 500, (query, status, body[:400])
    if status >= 400:
        assert status == 422, (query, status, body[:400])
        message = json.loads(body)["message"]
        assert "\n" not in message and "Traceback" not in message
    return status, body


@st.composite
def hostile_logs(draw: st.DrawFn, bodies: list[dict[str, Any]]
                 ) -> tuple[int, dict[str, Any]]:
    """Where to insert a copy of one record, and the copy with 1-3 members replaced."""
    index = draw(st.integers(min_value=0, max_value=len(bodies) - 1))
    copy = bodies[index]
    paths = list(_paths(copy))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(paths))
        try:
            copy = _replaced(copy, path, draw(hostile_values))
        except (KeyError, IndexError, TypeError):  # an earlier change removed this member
            continue
    return index, copy


@FUZZ
@given(data=st.data())
def test_every_reader_skips_a_malformed_record_and_keeps_the_rest(
        data: st.DataObject, clean: dict[str, Any], server: Server, tmp_path: Path) -> None:
    bodies = clean["bodies"]
    index, hostile = data.draw(hostile_logs(bodies))
    log = server.root / ".mlsec" / f"{NOTEBOOK}.lineage.jsonl"
    _write(log, [*bodies[:index + 1], hostile, *bodies[index + 1:]])
    records = read_records(log)
    assert verify(log).ok and len(records) == len(bodies) + 1  # the chain is intact
    bad_seq = index + 1
    malformed = bool(record_shape_problem(records[bad_seq]))
    named = f"seq {bad_seq} ("

    # the model card and the ML-BOM, as the magic and the CLI build them
    card = _card_view(records)
    overview = _overview_view(log)
    if malformed:
        assert card["card"] == clean["card"]["card"]
        assert named in card["markdown"] and "malformed lineage record" in card["markdown"]
        assert f"lineage:skipped:{bad_seq}" in card["bom"]
        assert [s["seq"] for s in overview["skipped"]] == [bad_seq]
        assert named in overview["warning"]
        assert _comparable_overview(overview) == clean["overview"]
    else:
        assert overview["skipped"] == [] and overview["warning"] is None

    # the CLI, in-process (a traceback would show in its stderr)
    code, out, _err = _cli("lineage", "verify", str(log))
    assert code == (1 if malformed else 0) and len(out.splitlines()) == 1, out  # fails closed
    assert (named in out) is malformed
    code, out, _err = _cli("lineage", "verify", str(log), "--format", "json")
    assert code == (1 if malformed else 0)
    for extra in ((), ("--format", "json"), ("--model", MODEL)):
        code, out, _err = _cli("lineage", "show", str(log), *extra)
        assert code in (0, 2), out
        if code == 0:
            assert (named in out) is malformed, out[:2000]
    code, out, err = _cli("card", str(log), "--model", MODEL, "--out", str(tmp_path / "card"))
    assert code == 0, err
    assert (named in err) is malformed
    written = (tmp_path / "card" / "model_card.md").read_text(encoding="utf-8")
    assert (named in written) is malformed

    # the server's routes: a malformed record is skipped and named, never a 422 for the log
    status, body = _route(server, f"/mlsecops/notebook?path={quote(NOTEBOOK)}")
    assert status == 200
    shown = json.loads(body)
    assert [s["seq"] for s in shown["skipped"]] == ([bad_seq] if malformed else [])
    status, body = _route(server, f"/mlsecops/verify?path={quote(NOTEBOOK)}")
    assert status == 200 and json.loads(body)["ok"]
    for fmt in ("md", "html", "mlbom"):
        status, body = _route(server, f"/mlsecops/card?path={quote(NOTEBOOK)}&model={MODEL}"
                                      f"&format={fmt}")
        assert status == 200
        assert (named in body.decode("utf-8")) is malformed or fmt == "mlbom"


def test_the_typed_view_names_the_member_that_is_wrong(recorded: Path) -> None:
    """One-line reasons a reader can show, naming the member: a reviewer can find it."""
    records = read_records(recorded)
    check = next(r for r in records if r["kind"] == "check" and r["report"]["findings"])
    cell = next(r for r in records if r["kind"] == "cell")
    cases = [
        (check, ("report",), ["a", "list"], "report is a list, not an object"),
        (check, ("report", "findings", 0, "location"), 3,
         "report.findings[0].location is a number, not an object"),
        (check, ("report", "metrics"), "high", "report.metrics is a string, not an object"),
        (cell, ("time",), 1733600000, "time is a number, not a string"),
        (cell, ("names", "used"), None, "names.used is null, not a list"),
        (cell, ("data",), [None], "data[0] is null, not an object"),
    ]
    for record, path, value, reason in cases:
        assert record_shape_problem(_replaced(record, path, value)) == reason
    assert all(not record_shape_problem(r) for r in records)
    checked = check_records([*records, _replaced(check, ("report",), [])])
    assert checked.records == records and checked.total == len(records) + 1
    assert "skipped 1 malformed lineage record(s)" in checked.warning()
