"""Scans are bounded: a time limit, a concurrency cap, a client that leaves, SIGTERM.

The slow input is a real notebook whose static scan takes tens of seconds of CPU (thousands of
e-mail addresses in one output), run by a real
``jupyter server`` with ``MLSEC_SERVER__*`` settings. Each test watches the worker process
the server reports starting (its pid in the server's log) and asserts that it is gone when
the scan is stopped.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nbformat
import pytest
from labserver import Server, running_server
from nbformat.v4 import new_code_cell, new_notebook, new_output
from server_helpers import (
    alive,
    assert_clean,
    check_body,
    raw_request,
    wait_for,
    write_log,
)
from static_notebooks import static_notebook

SLOW_LINES = 20000
SLOW_OUTPUTS = 12  # the scan is linear in the lines now: many long outputs keep it slow
TIME_LIMIT_S = 6
FAST_S = 5.0  # the issue measured 111 s of stall; any route must answer well within this


def slow_notebook(path: Path) -> Path:
    """One output of ``SLOW_LINES`` lines, each with an e-mail address and a name."""
    text = "".join(f"row {i}: contact jane{i}@example.org, Alice Smith\n"
                   for i in range(SLOW_LINES))
    nbformat.write(new_notebook(cells=[new_code_cell("print(rows)", outputs=[
        new_output("stream", name="stdout", text=text)]) for _ in range(SLOW_OUTPUTS)]), path)
    return path


def _root(base: Path) -> Path:
    root = base / "root"
    root.mkdir()
    slow_notebook(root / "slow.ipynb")
    static_notebook(root / "scan.ipynb")
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), root / "known.ipynb")
    write_log(root / ".mlsec" / "known.ipynb.lineage.jsonl", [check_body()])
    return root


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One scan at a time, each stopped after ``TIME_LIMIT_S`` seconds."""
    root = _root(tmp_path_factory.mktemp("capped"))
    env = {"MLSEC_SERVER__MAX_SCANS": "1", "MLSEC_SERVER__SCAN_TIMEOUT_S": str(TIME_LIMIT_S)}
    with running_server(root, lab=False, enable=True, env=env) as running:
        yield running


def _scan(server: Server, name: str, record: bool = True, timeout: float = 120
          ) -> tuple[int, dict[str, str], bytes]:
    return raw_request(server, "POST", "/mlsecops/scan", timeout=timeout,
                       body=json.dumps({"path": name, "record": record}).encode(),
                       headers={"Content-Type": "application/json"})


def _log_end(server: Server) -> int:
    return len(server.log.read_bytes())


def _scanning(server: Server, name: str, offset: int) -> int:
    """Wait until the server hands ``name`` to a worker (logged after byte ``offset`` of its
    log); that worker's pid."""
    pattern = f"scanning {name} (worker pid "

    def logged() -> str:
        return server.log.read_bytes()[offset:].decode(errors="replace")

    wait_for(lambda: pattern in logged(), 120, f"the scan of {name} to start")
    text = logged()
    return int(text[text.index(pattern) + len(pattern):].split(")")[0])


def _in_background(function: Any, *args: Any) -> tuple[threading.Thread, list[Any]]:
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(function(*args)), daemon=True)
    thread.start()
    return thread, result


def _timed(function: Any, *args: Any) -> tuple[float, Any]:
    started = time.monotonic()
    value = function(*args)
    return time.monotonic() - started, value


def test_a_scan_past_its_time_limit_is_stopped_and_records_nothing(capped: Server) -> None:
    offset = _log_end(capped)
    thread, result = _in_background(_scan, capped, "slow.ipynb")
    pid = _scanning(capped, "slow.ipynb", offset)
    started = time.monotonic()
    thread.join(60)
    elapsed = time.monotonic() - started
    [response] = result
    body = assert_clean(capped, response)
    assert response[0] == 422 and body == {"error": "time-limit", "message": (
        f"the scan of slow.ipynb was stopped after {TIME_LIMIT_S} s (setting "
        "server.scan_timeout_s): nothing was recorded")}
    assert TIME_LIMIT_S - 1 < elapsed < TIME_LIMIT_S + 10, elapsed
    wait_for(lambda: not alive(pid), 5, f"worker {pid} to be killed")
    assert not (capped.root / ".mlsec" / "slow.ipynb.lineage.jsonl").exists()
    # the next scan gets a new worker and works
    response = _scan(capped, "scan.ipynb", record=False)
    assert response[0] == 200, response


def test_beyond_the_cap_scans_get_429_and_nothing_else_waits(capped: Server) -> None:
    offset = _log_end(capped)
    thread, result = _in_background(_scan, capped, "slow.ipynb", False)
    pid = _scanning(capped, "slow.ipynb", offset)
    refused_s, refused = _timed(_scan, capped, "scan.ipynb")
    body = assert_clean(capped, refused)
    assert refused[0] == 429 and body == {"error": "busy", "message": (
        "all 1 scan slots are busy (setting server.max_scans): try again when one ends")}
    assert refused[1]["Retry-After"] == "5"
    assert refused_s < FAST_S, refused_s
    # the other routes, and Jupyter's own, answer at once while the scan runs
    for route in ("/mlsecops/notebook?path=known.ipynb", "/mlsecops/verify?path=known.ipynb",
                  "/mlsecops/card?path=known.ipynb", "/api/status", "/api/contents"):
        elapsed, response = _timed(raw_request, capped, "GET", route)
        assert response[0] == 200, (route, response)
        assert elapsed < FAST_S, (route, elapsed)
    assert thread.is_alive() and alive(pid), "the slow scan should still be running"
    thread.join(60)
    assert result[0][0] == 422
    wait_for(lambda: not alive(pid), 5, f"worker {pid} to be killed")


def test_a_client_that_goes_away_stops_its_scan(capped: Server) -> None:
    parts = urlsplit(capped.base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    offset = _log_end(capped)
    connection.request("POST", "/mlsecops/scan", body=b'{"path": "slow.ipynb"}',
                       headers={"Authorization": f"token {capped.token}",
                                "Content-Type": "application/json"})
    pid = _scanning(capped, "slow.ipynb", offset)
    connection.close()  # the browser tab is closed
    left_at = time.monotonic()
    wait_for(lambda: not alive(pid), TIME_LIMIT_S - 1, f"worker {pid} to be killed")
    assert time.monotonic() - left_at < TIME_LIMIT_S - 1  # before the time limit would
    assert "scan of slow.ipynb stopped: the client went away" in capped.log.read_text()
    # the slot is free again at once: a scan now is accepted (not 429)
    response = _scan(capped, "scan.ipynb", record=False)
    assert response[0] == 200, response


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGKILL],
                         ids=["SIGTERM", "SIGKILL"])
def test_a_stopped_server_leaves_no_scan_running(tmp_path: Path, signal_number: int) -> None:
    """The issue: SIGTERM did not stop the server while a scan ran (a thread it joined).
    Now it exits within seconds and kills its worker; a server killed outright (SIGKILL)
    cannot kill anything, so the worker notices its parent is gone and exits on its own."""
    root = _root(tmp_path)
    with running_server(root, lab=False, enable=True) as server:
        offset = _log_end(server)
        thread, _result = _in_background(_safe_scan, server)
        worker = _scanning(server, "slow.ipynb", offset)
        time.sleep(1.0)  # the worker is busy scanning
        assert alive(worker)
        os.kill(server.pid, signal_number)
        signalled = time.monotonic()
        wait_for(lambda: not alive(server.pid), 10, "the server to exit")
        exit_s = time.monotonic() - signalled
        wait_for(lambda: not alive(worker), 5, f"worker {worker} to end with the server")
        worker_s = time.monotonic() - signalled
        thread.join(10)
    assert exit_s < 10, exit_s
    print(f"{signal.Signals(signal_number).name} during a scan: server gone after "
          f"{exit_s:.2f} s, its worker after {worker_s:.2f} s")


def _safe_scan(server: Server) -> Any:
    try:
        return _scan(server, "slow.ipynb", timeout=60)
    except (OSError, http.client.HTTPException) as exc:  # the server went away: expected
        return exc
