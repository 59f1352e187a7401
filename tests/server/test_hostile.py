"""Hostile files and requests against a real ``jupyter server``: each gets its 4xx, at once.

Every input is real (a FIFO, a 2 GB sparse file made with ``truncate``, symlinks out of the
root, a record nested 100,000 deep, ``NaN`` in a log). Every answer goes through
``assert_clean``: never a 5xx, JSON with a one-line message, no absolute path of the server.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from labserver import Server, running_server
from nbformat.v4 import new_code_cell, new_notebook
from server_helpers import (
    assert_clean,
    check_body,
    deep_json,
    headers_only_request,
    make_fifo,
    raw_request,
    rss_kb,
    sparse_file,
    warm_scan_worker,
    worker_pids,
    write_log,
)
from static_notebooks import static_notebook

from mlsecops_jupyter.lineage.schema import SCHEMA

TWO_GB = 2 * 1024**3
FAST_S = 5.0  # a refusal that reads nothing must come back well within this


def _notebook(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), path)
    return path


def _log_of(root: Path, notebook: str) -> Path:
    folder = (root / notebook).parent / ".mlsec"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / (Path(notebook).name + ".lineage.jsonl")


def _bad_record_line(seq: int, prev: str, payload: str) -> bytes:
    """A line shaped as the next record (schema, seq, prev, hash) whose ``payload`` member is
    raw JSON: a verifier gets as far as hashing it."""
    return (f'{{"hash":"{"0" * 64}","kind":"check","payload":{payload},"prev":"{prev}",'
            f'"schema":"{SCHEMA}","seq":{seq}}}\n').encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("hostile")
    root, outside = base / "root", base / "outside"
    root.mkdir()
    # a good notebook and log
    _notebook(root / "known.ipynb")
    write_log(_log_of(root, "known.ipynb"), [check_body(), check_body("b.pkl", "critical")])
    static_notebook(root / "scan.ipynb")
    # outside the root: a log reached through a symlinked .mlsec folder
    _notebook(outside / "secret.ipynb")
    write_log(outside / ".mlsec" / "escape.ipynb.lineage.jsonl", [check_body()])
    _notebook(root / "sub" / "escape.ipynb")
    (root / "sub" / ".mlsec").symlink_to(outside / ".mlsec", target_is_directory=True)
    # FIFOs: as a log, and as a notebook
    _notebook(root / "fifolog.ipynb")
    make_fifo(_log_of(root, "fifolog.ipynb"))
    make_fifo(root / "fifo.ipynb")
    # 2 GB sparse files: a notebook, and a log
    sparse_file(root / "sparse.ipynb", TWO_GB)
    _notebook(root / "sparselog.ipynb")
    sparse_file(_log_of(root, "sparselog.ipynb"), TWO_GB)
    # logs ending in records JSON cannot hash (NaN, Infinity) or parse (100,000 deep)
    for name, payload in (("nan", "NaN"), ("inf", "[1, Infinity, -Infinity]"),
                          ("deep", deep_json(100_000).decode())):
        _notebook(root / f"{name}.ipynb")
        log = write_log(_log_of(root, f"{name}.ipynb"), [check_body()])
        head = json.loads(log.read_text().splitlines()[-1])["hash"]
        with open(log, "ab") as handle:
            handle.write(_bad_record_line(1, head, payload))
    # a notebook that is JSON nested 100,000 deep
    (root / "deepnb.ipynb").write_bytes(deep_json(100_000))
    # folders where files are expected: a notebook, a log, and a .mlsec that is a file
    (root / "folder.ipynb").mkdir()
    _notebook(root / "dirlog.ipynb")
    _log_of(root, "dirlog.ipynb").mkdir()
    _notebook(root / "flat" / "nb.ipynb")
    (root / "flat" / ".mlsec").write_text("not a folder")
    # a symlink loop
    (root / "loop.ipynb").symlink_to(root / "loop2.ipynb")
    (root / "loop2.ipynb").symlink_to(root / "loop.ipynb")
    with running_server(root, lab=False, enable=True) as running:
        warm_scan_worker(running)
        yield running


def _get(server: Server, route: str, query: str, **kwargs: object
         ) -> tuple[int, dict[str, str], bytes]:
    return raw_request(server, "GET", f"/mlsecops/{route}?{query}", **kwargs)  # type: ignore


def _scan(server: Server, body: bytes, **kwargs: object) -> tuple[int, dict[str, str], bytes]:
    return raw_request(server, "POST", "/mlsecops/scan", body=body,  # type: ignore
                       headers={"Content-Type": "application/json"}, **kwargs)


def _error(server: Server, response: tuple[int, dict[str, str], bytes], route: str = ""
           ) -> tuple[int, str, str]:
    body = assert_clean(server, response, route)
    assert body is not None
    return response[0], body["error"], body["message"]


def test_a_symlinked_log_is_refused_before_its_etag_is_computed(server: Server) -> None:
    """The ETag would leak the outside file's size and mtime; a matching ``If-None-Match``
    must not turn the 403 into a 304."""
    target = server.root.parent / "outside" / ".mlsec" / "escape.ipynb.lineage.jsonl"
    info = target.stat()
    leaked = f'"{info.st_size:x}-{info.st_mtime_ns:x}"'
    for header in (leaked, "*", None):
        headers = {"If-None-Match": header} if header else {}
        response = _get(server, "notebook", "path=sub/escape.ipynb", headers=headers)
        assert _error(server, response) == (403, "forbidden",
                                            "the lineage log is outside the server's root")
        assert "etag" not in {key.lower() for key in response[1]}
        assert leaked.strip('"') not in json.dumps(response[1])


def test_etag_of_a_log_inside_the_root_still_gives_304(server: Server) -> None:
    status, headers, _ = _get(server, "notebook", "path=known.ipynb")
    assert status == 200
    again = _get(server, "notebook", "path=known.ipynb",
                 headers={"If-None-Match": headers["Etag"]})
    assert again[0] == 304 and again[2] == b""
    assert _get(server, "notebook", "path=known.ipynb",
                headers={"If-None-Match": '"0-0"'})[0] == 200


def test_a_fifo_log_is_refused_at_once_and_blocks_nothing(server: Server) -> None:
    """Twelve concurrent requests for a FIFO log (the issue: six hung every route for good)."""
    answers: list[tuple[int, str, str]] = []
    started = time.monotonic()

    def ask(route: str) -> None:
        answers.append(_error(server, _get(server, route, "path=fifolog.ipynb"), route))

    threads = [threading.Thread(target=ask, args=(route,))
               for route in ("notebook", "verify", "card") * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    elapsed = time.monotonic() - started
    assert len(answers) == 12, answers
    expected = ("fifolog.ipynb.lineage.jsonl is not a regular file (a folder, FIFO, socket or "
                "device): not read")
    for status, code, message in answers:
        # 429 when all read threads were busy at that instant: also an immediate answer
        assert (status, code) in ((422, "not-a-file"), (429, "busy")), (status, message)
        if status == 422:
            assert message == ".mlsec/" + expected
    assert elapsed < 3 * FAST_S, elapsed
    # and everything else still answers
    assert _get(server, "notebook", "path=known.ipynb")[0] == 200
    assert raw_request(server, "GET", "/api/status")[0] == 200


def test_a_fifo_notebook_is_not_scanned(server: Server) -> None:
    started = time.monotonic()
    response = _scan(server, b'{"path": "fifo.ipynb", "record": false}')
    assert time.monotonic() - started < FAST_S
    assert _error(server, response) == (
        422, "not-a-file",
        "fifo.ipynb is not a regular file (a folder, FIFO, socket or device): not read")


def test_a_2gb_sparse_notebook_or_log_is_refused_by_its_size(server: Server) -> None:
    """The issue: RSS grew by 3.6 GB before the 422. Now nothing is read: 413 at once."""
    before = rss_kb(server.pid)
    started = time.monotonic()
    scan = _scan(server, b'{"path": "sparse.ipynb"}')
    log = _get(server, "notebook", "path=sparselog.ipynb")
    verify = _get(server, "verify", "path=sparselog.ipynb")
    assert time.monotonic() - started < FAST_S
    assert _error(server, scan) == (413, "too-large", (
        "sparse.ipynb is 2048.0 MB, more than the 20 MB the server reads "
        "(setting server.max_notebook_mb)"))
    for response in (log, verify):
        assert _error(server, response) == (413, "too-large", (
            ".mlsec/sparselog.ipynb.lineage.jsonl is 2048.0 MB, more than the 64 MB the "
            "server reads (setting server.max_lineage_mb)"))
    grown_mb = (rss_kb(server.pid) - before) / 1024
    assert grown_mb < 32, grown_mb


@pytest.mark.parametrize("name", ["nan", "inf", "deep"])
def test_a_log_ending_in_an_unreadable_record_is_a_4xx(server: Server, name: str) -> None:
    """NaN/Infinity (no JSON literal; the chain cannot hash them) and a record 100,000 deep.

    The lineage reader decides what such a line is (a bad record the chain reports, or an
    error); either way the server answers 200 with a broken chain, or a one-line 422.
    """
    for route in ("notebook", "verify", "card"):
        response = _get(server, route, f"path={name}.ipynb")
        body = assert_clean(server, response, route)
        assert body is not None
        if response[0] == 200:
            chain = body["chain"] if route == "notebook" else body
            assert chain["status"] == "broken" and chain["count"] == 1, body
        else:
            assert response[0] in (409, 422), (route, response)
            if response[0] == 422:
                assert f"{name}.ipynb.lineage.jsonl" in body["message"]


def test_a_notebook_nested_100000_deep_is_refused(server: Server) -> None:
    response = _scan(server, b'{"path": "deepnb.ipynb", "record": false}')
    assert _error(server, response) == (
        422, "invalid-input", "deepnb.ipynb is nested too deeply to be a notebook: not scanned")


def test_folders_where_files_are_expected(server: Server) -> None:
    not_a_file = "is not a regular file (a folder, FIFO, socket or device): not read"
    assert _error(server, _scan(server, b'{"path": "folder.ipynb"}')) == (
        422, "not-a-file", f"folder.ipynb {not_a_file}")
    for route in ("notebook", "verify", "card"):
        assert _error(server, _get(server, route, "path=dirlog.ipynb"), route) == (
            422, "not-a-file", f".mlsec/dirlog.ipynb.lineage.jsonl {not_a_file}")
    # the log's folder .mlsec is a file: reading says no log, recording refuses
    assert _error(server, _get(server, "notebook", "path=flat/nb.ipynb"))[:2] == (
        422, "not-a-file")
    assert _error(server, _scan(server, b'{"path": "flat/nb.ipynb"}'))[:2] == (
        422, "not-a-file")
    assert (server.root / "flat" / ".mlsec").read_text() == "not a folder"


def test_paths_that_are_no_paths_are_400(server: Server) -> None:
    cases = {
        "path=" + "a" * 300 + ".ipynb": "'path' is too long (4096 bytes at most, 255 per name)",
        "path=" + "a/" * 2100 + "x.ipynb": "'path' is too long (4096 bytes at most, 255 per "
                                           "name)",
    }
    for query, message in cases.items():
        for route in ("notebook", "verify", "card"):
            assert _error(server, _get(server, route, query), route) == (
                400, "bad-request", message)
    for route in ("notebook", "verify", "card"):
        status, code, _message = _error(server, _get(server, route, "path=%FF%FE.ipynb"))
        assert (status, code) == (400, "bad-request")
    # tornado drops control characters from query values; a JSON body keeps them
    assert _error(server, _scan(server, b'{"path": "\\u0000x.ipynb"}')) == (
        400, "bad-request", "'path' holds a NUL character or text that is not valid UTF-8")
    assert _error(server, _get(server, "notebook", "path=loop.ipynb")) == (
        404, "not-found",
        "cannot resolve loop.ipynb (a symlink loop, or a folder that cannot be read)")


@pytest.mark.parametrize("body", [
    b'{"path": 5}', b'{"path": ["known.ipynb"]}', b'{"path": {"a": 1}}', b'{"path": true}',
    b'{"path": 1e999}',
])
def test_a_path_that_is_not_a_string_is_400(server: Server, body: bytes) -> None:
    assert _error(server, _scan(server, body)) == (
        400, "bad-request",
        "'path' must be a string: the notebook's path relative to the server's root")


def test_bodies_that_are_not_what_the_scan_takes(server: Server) -> None:
    bad_body = (400, "bad-request", "the request body must be a JSON object with a 'path'")
    for body in (b"not json", b"\xff\xfe\x00", b"[1, 2]", b'"known.ipynb"', b"NaN"):
        assert _error(server, _scan(server, body)) == bad_body
    assert _error(server, _scan(server, b'{"path": "\\ud800.ipynb"}')) == (
        400, "bad-request", "'path' holds a NUL character or text that is not valid UTF-8")
    assert _error(server, _scan(server, deep_json(30_000))) == (
        400, "bad-request", "the request body is nested too deeply")
    assert _error(server, _scan(server, b'{"path": ' + deep_json(30_000) + b"}")) == (
        400, "bad-request", "the request body is nested too deeply")
    for body in (deep_json(100_000), b" " * (1 << 20)):
        assert _error(server, _scan(server, body)) == (
            413, "too-large", "the request body is larger than 64 KB")


def test_recording_into_a_log_outside_the_root_is_refused_before_scanning(
        server: Server) -> None:
    workers = len(worker_pids(server))
    response = _scan(server, b'{"path": "sub/escape.ipynb"}')
    assert _error(server, response) == (403, "forbidden",
                                        "the lineage log is outside the server's root")
    assert len(worker_pids(server)) == workers  # no scan was started for it
    outside_log = server.root.parent / "outside" / ".mlsec" / "escape.ipynb.lineage.jsonl"
    assert outside_log.read_bytes().count(b"\n") == 1


def test_a_scan_that_succeeds_names_no_absolute_path(server: Server) -> None:
    response = _scan(server, b'{"path": "scan.ipynb", "record": false}')
    body = assert_clean(server, response)
    assert response[0] == 200 and body is not None
    assert [f["rule"] for f in body["report"]["findings"]] == [
        "LEAK-PREPROCESSING", "PII-EMAIL-ADDRESS"]
    assert body["recorded"] == []


def test_unauthenticated_requests_get_json_403(server: Server) -> None:
    for route in ("notebook", "verify", "card"):
        response = _get(server, route, "path=known.ipynb", token=False)
        assert _error(server, response, route)[:2] == (403, "forbidden")
    big = headers_only_request(server, "/mlsecops/scan", 1 << 20, token=False)
    assert _error(server, big)[:2] == (403, "forbidden")
    # cookie-style requests without the XSRF token are refused too (token auth is exempt)
    xsrf = raw_request(server, "POST", "/mlsecops/scan", body=b'{"path": "scan.ipynb"}',
                       token=False, headers={"Cookie": "_xsrf=abc"})
    assert _error(server, xsrf)[:2] == (403, "forbidden")


def test_other_methods_are_json_405(server: Server) -> None:
    for route in ("notebook", "verify", "card", "scan"):
        for method in ("PUT", "DELETE", "PATCH"):
            response = raw_request(server, method, f"/mlsecops/{route}?path=known.ipynb",
                                   body=b"{}")
            assert _error(server, response, route)[:2] == (405, "method-not-allowed")
    assert os.path.exists(server.root / "known.ipynb")


def _cookie(response: tuple[int, dict[str, str], bytes]) -> str:
    """``name=value`` of the cookie a response sets."""
    return {k.lower(): v for k, v in response[1].items()}["set-cookie"].split(";")[0]


def test_cookie_authenticated_posts_need_the_xsrf_token(server: Server) -> None:
    """A browser logged in by cookie (the way JupyterLab is) must send ``X-XSRFToken``
    matching its ``_xsrf`` cookie to scan; reading needs the login cookie only."""
    xsrf = _cookie(raw_request(server, "GET", "/login", token=False))
    login = _cookie(raw_request(server, "GET", f"/api/status?token={server.token}",
                                token=False))
    assert xsrf.startswith("_xsrf=") and login.startswith("username-")
    cookies = {"Cookie": f"{login}; {xsrf}", "Content-Type": "application/json"}
    body = b'{"path": "scan.ipynb", "record": false}'
    refused = raw_request(server, "POST", "/mlsecops/scan", body=body, token=False,
                          headers=cookies)
    assert _error(server, refused)[:2] == (403, "forbidden")
    wrong = raw_request(server, "POST", "/mlsecops/scan", body=body, token=False,
                        headers={**cookies, "X-XSRFToken": "2|00000000|" + "0" * 32 + "|1"})
    assert _error(server, wrong)[:2] == (403, "forbidden")
    accepted = raw_request(server, "POST", "/mlsecops/scan", body=body, token=False,
                           headers={**cookies, "X-XSRFToken": xsrf.split("=", 1)[1]})
    assert accepted[0] == 200, accepted
    assert_clean(server, accepted)
    read = raw_request(server, "GET", "/mlsecops/notebook?path=known.ipynb", token=False,
                       headers={"Cookie": login})
    assert read[0] == 200 and assert_clean(server, read) is not None


def test_a_log_locked_by_another_process_is_429_not_a_wait(server: Server) -> None:
    """A writer holds its exclusive lock for one write; one that holds it for good (a hung or
    hostile process) must not hold a read thread: 429 after a short wait, then served again."""
    log = server.root / ".mlsec" / "known.ipynb.lineage.jsonl"
    with open(log, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            started = time.monotonic()
            response = _get(server, "notebook", "path=known.ipynb")
            elapsed = time.monotonic() - started
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    assert _error(server, response) == (
        429, "busy", ".mlsec/known.ipynb.lineage.jsonl is locked by another process "
                     "(a kernel writing it?): try again")
    assert response[1]["Retry-After"] == "1"
    assert 1.5 < elapsed < FAST_S, elapsed
    assert _get(server, "notebook", "path=known.ipynb")[0] == 200
