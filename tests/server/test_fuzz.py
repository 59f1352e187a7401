"""Fuzzing every route of a real ``jupyter server`` with hypothesis: paths, bodies, headers, logs.

Each example is one real HTTP request (or a log rewritten with records of any shape, then
read by every route). Every answer must pass ``assert_clean``: a 2xx, 304 or 4xx (never a
5xx), JSON errors ``{"error", "message"}`` with a one-line message, no absolute path of the
server's (root, its parent, the package's or Python's folders), and an answer within the
request timeout (a hang fails). Bounded for CI: ``MLSEC_FUZZ_EXAMPLES`` examples per family
(default 100).
"""

from __future__ import annotations

import json
import os
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
from server_helpers import (
    assert_clean,
    check_body,
    deep_json,
    make_fifo,
    raw_request,
    sparse_file,
    warm_scan_worker,
    write_log,
)
from static_notebooks import static_notebook

from mlsecops_jupyter.lineage.store import LineageStore

FUZZ = settings(
    max_examples=int(os.environ.get("MLSEC_FUZZ_EXAMPLES", "100")),
    deadline=None,  # the bound is the request timeout: a hang fails the example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
    print_blob=True,
)
NAMES = ["known.ipynb", "scan.ipynb", "fifo.ipynb", "fifolog.ipynb", "sparse.ipynb",
         "folder.ipynb", "link.ipynb", "linkdir/secret.ipynb", "sub/escape.ipynb",
         "loop.ipynb", "deep.ipynb", "fuzzlog.ipynb", "missing.ipynb", ".mlsec",
         ".mlsec/known.ipynb.lineage.jsonl", "sub", "", " ", "."]
PREFIXES = ["", "/", "../", "./", "sub/../", "sub/../../", "//", "\\", "~/", "%2e%2e/",
            "linkdir/", "known.ipynb/"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("fuzz")
    root, outside = base / "root", base / "outside"
    for folder in (root / ".mlsec", outside / ".mlsec", root / "sub"):
        folder.mkdir(parents=True)
    for name in ("known.ipynb", "fifolog.ipynb", "fuzzlog.ipynb", "sub/escape.ipynb"):
        nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), root / name)
    write_log(root / ".mlsec" / "known.ipynb.lineage.jsonl", [check_body(), check_body("b")])
    static_notebook(root / "scan.ipynb")
    make_fifo(root / "fifo.ipynb")
    make_fifo(root / ".mlsec" / "fifolog.ipynb.lineage.jsonl")
    sparse_file(root / "sparse.ipynb", 2 * 1024**3)
    (root / "folder.ipynb").mkdir()
    (root / "deep.ipynb").write_bytes(deep_json(50_000))
    nbformat.write(new_notebook(cells=[]), outside / "secret.ipynb")
    write_log(outside / ".mlsec" / "secret.ipynb.lineage.jsonl", [check_body()])
    write_log(outside / ".mlsec" / "escape.ipynb.lineage.jsonl", [check_body()])
    (root / "link.ipynb").symlink_to(outside / "secret.ipynb")
    (root / "linkdir").symlink_to(outside, target_is_directory=True)
    (root / "sub" / ".mlsec").symlink_to(outside / ".mlsec", target_is_directory=True)
    (root / "loop.ipynb").symlink_to(root / "loop.ipynb")
    with running_server(root, lab=False, enable=True) as running:
        warm_scan_worker(running)
        yield running


# -- strategies ----------------------------------------------------------------------------
printable = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80)
unicode_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
paths = st.one_of(
    st.builds(lambda prefix, name: prefix + name, st.sampled_from(PREFIXES),
              st.sampled_from(NAMES)),
    unicode_text,
    st.builds(lambda n, name: "a" * n + name, st.integers(200, 5000),
              st.sampled_from([".ipynb", "/x.ipynb", ""])),
)
encoded_paths = st.one_of(
    paths.map(lambda text: quote(text, safe="")),
    st.binary(max_size=64).map(lambda raw: "".join(f"%{byte:02X}" for byte in raw)),
    paths.map(lambda text: quote(text, safe="/%~")),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
    | st.sampled_from(NAMES),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10) | st.sampled_from(["path", "record"]), children,
                      max_size=4),
    max_leaves=20,
)
bodies = st.one_of(
    st.fixed_dictionaries({"path": paths | json_values},
                          optional={"record": json_values}).map(
        lambda d: json.dumps(d).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=512),
    st.integers(1, 40_000).map(deep_json),
    st.integers(1, 40_000).map(lambda n: b'{"path": ' + deep_json(n) + b"}"),
)
headers = st.dictionaries(
    st.sampled_from(["If-None-Match", "Content-Type", "X-XSRFToken", "Cookie", "Accept",
                     "Origin", "Content-Encoding", "Range", "If-Modified-Since"]),
    printable, max_size=4)


def _query(path: str | None, extra: dict[str, str]) -> str:
    parts = [] if path is None else [f"path={path}"]
    parts += [f"{key}={quote(value, safe='')}" for key, value in extra.items()]
    return "&".join(parts)


# -- the routes ------------------------------------------------------------------------------
@FUZZ
@given(route=st.sampled_from(["notebook", "verify", "card"]), path=encoded_paths | st.none(),
       extra=st.dictionaries(st.sampled_from(["format", "model", "path", "x"]),
                             st.sampled_from(["md", "html", "json", "mlbom"]) | unicode_text,
                             max_size=3),
       sent_headers=headers)
def test_get_routes_answer_every_request_cleanly(server: Server, route: str, path: str | None,
                                                 extra: dict[str, str],
                                                 sent_headers: dict[str, str]) -> None:
    target = f"/mlsecops/{route}?" + _query(path, extra)
    response = raw_request(server, "GET", target, headers=sent_headers)
    assert_clean(server, response, route)


@FUZZ
@given(body=bodies, sent_headers=headers)
def test_scan_answers_every_body_cleanly(server: Server, body: bytes,
                                        sent_headers: dict[str, str]) -> None:
    sent = {"Content-Type": "application/json", **sent_headers}
    response = raw_request(server, "POST", "/mlsecops/scan", body=body, headers=sent)
    assert_clean(server, response, "scan")


@FUZZ
@given(route=st.sampled_from(["notebook", "verify", "card", "scan"]),
       method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
       body=st.none() | st.binary(max_size=64), token=st.booleans(), sent_headers=headers)
def test_any_method_with_or_without_the_token(server: Server, route: str, method: str,
                                              body: bytes | None, token: bool,
                                              sent_headers: dict[str, str]) -> None:
    response = raw_request(server, method, f"/mlsecops/{route}?path=known.ipynb", body=body,
                           headers=sent_headers, token=token)
    if method in ("HEAD", "OPTIONS"):  # no body (HEAD), or Jupyter's CORS preflight answer
        assert response[0] < 500 and response[2] == b"", response
        return
    assert_clean(server, response, route)
    if not token:  # refused (403; 404 for a bad Origin, 405 for a method none serves)
        assert response[0] in (403, 404, 405), response


# -- the log's content -----------------------------------------------------------------------
record_members = st.dictionaries(
    st.sampled_from(["kind", "cell", "report", "summary", "code", "outcome", "timing", "data",
                     "files", "env", "session", "origin", "time", "findings", "extra"]),
    json_values, max_size=8)
kinds = st.sampled_from(["check", "cell", "session", "recovery", "card", "other"])


@FUZZ
@given(kind_list=st.lists(kinds, min_size=1, max_size=4),
       members=st.lists(record_members, min_size=1, max_size=4),
       tail=st.none() | st.binary(max_size=200), model=st.none() | unicode_text)
def test_records_of_any_shape_are_shown_or_refused_cleanly(
        server: Server, kind_list: list[str], members: list[dict[str, Any]],
        tail: bytes | None, model: str | None) -> None:
    """Anyone who can write the log chooses its records (the chain is unsigned): a record of
    any shape, sealed by the real store, then every reading route."""
    log = server.root / ".mlsec" / "fuzzlog.ipynb.lineage.jsonl"
    log.unlink(missing_ok=True)
    store = LineageStore(log)
    for kind, body in zip(kind_list, members, strict=False):
        store.append({**body, "kind": kind})
    if tail is not None:
        with open(log, "ab") as handle:
            handle.write(tail)
    queries = ["notebook?path=fuzzlog.ipynb", "verify?path=fuzzlog.ipynb"]
    queries += [f"card?path=fuzzlog.ipynb&format={fmt}" for fmt in ("md", "html", "mlbom")]
    if model is not None:
        queries.append(f"card?path=fuzzlog.ipynb&model={quote(model, safe='')}")
    for query in queries:
        response = raw_request(server, "GET", "/mlsecops/" + query)
        assert_clean(server, response, query.split("?")[0])


def test_the_fuzz_server_scans_and_records_for_real(server: Server) -> None:
    """The fuzzed routes do work: a valid scan is recorded in the log it names."""
    response = raw_request(server, "POST", "/mlsecops/scan", body=b'{"path": "scan.ipynb"}',
                           headers={"Content-Type": "application/json"})
    body = assert_clean(server, response, "scan")
    assert response[0] == 200 and body is not None and len(body["recorded"]) == 2
    assert Path(server.root / ".mlsec" / "scan.ipynb.lineage.jsonl").is_file()
