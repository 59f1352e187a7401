"""Hostile inputs for the server routes, and the checks every answer must pass.

The inputs are real: FIFOs (``os.mkfifo``), sparse files made with ``truncate``, symlinks out
of the root, records nested 100,000 deep, ``NaN`` in a log, logs written by the real
``LineageStore``. Requests go over a real socket (``http.client``) so a body can be any bytes
and a query any percent-escape; every request has a timeout, so a hang fails the test.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from labserver import Server

import mlsecops_jupyter
from mlsecops_jupyter.lineage.store import LineageStore

REQUEST_TIMEOUT_S = 30.0
ROUTES = ("notebook", "verify", "scan", "card")
PACKAGE_DIR = str(Path(mlsecops_jupyter.__file__).resolve().parent.parent)


def raw_request(server: Server, method: str, target: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None, token: bool = True,
                timeout: float = REQUEST_TIMEOUT_S) -> tuple[int, dict[str, str], bytes]:
    """One request with the exact bytes given; ``(status, headers, body)``.

    ``target`` is the path and query, sent as is (so ``%FF`` stays an undecodable byte).
    """
    parts = urlsplit(server.base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    all_headers = dict(headers or {})
    if token:
        all_headers.setdefault("Authorization", f"token {server.token}")
    try:
        connection.request(method, target, body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def headers_only_request(server: Server, target: str, length: int, *, token: bool
                         ) -> tuple[int, dict[str, str], bytes]:
    """A POST that declares a ``length``-byte body and sends none of it: the answer shows the
    server decided on the headers alone (it would wait for the body otherwise, and time out)."""
    parts = urlsplit(server.base)
    lines = [f"POST {target} HTTP/1.1", f"Host: {parts.netloc}",
             "Content-Type: application/json", f"Content-Length: {length}"]
    if token:
        lines.append(f"Authorization: token {server.token}")
    with socket.create_connection((parts.hostname, parts.port), timeout=REQUEST_TIMEOUT_S) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, dict(response.getheaders()), response.read()


def warm_scan_worker(server: Server, notebook: str = "scan.ipynb") -> None:
    """Scan ``notebook`` once, unrecorded, with a long timeout: the scan worker's cold start
    (Presidio) on a loaded machine can outlast the timeout tests give an answer."""
    warm = raw_request(server, "POST", "/mlsecops/scan", timeout=600,
                       body=json.dumps({"path": notebook, "record": False}).encode())
    assert warm[0] == 200, warm


def forbidden_texts(server: Server) -> list[str]:
    """Absolute paths no answer may carry: the root (as given and resolved), the folder the
    test made it in, the package's and Python's install folders."""
    root = server.root
    return sorted({str(root), str(root.resolve()), str(root.parent), PACKAGE_DIR, sys.prefix},
                  key=len, reverse=True)


def assert_clean(server: Server, response: tuple[int, dict[str, str], bytes],
                 route: str = "") -> dict[str, Any] | None:
    """Every answer: 2xx/304/4xx (never 5xx), JSON errors with a one-line message, no
    absolute path of the server's. Returns the JSON body (None for 304 and card files)."""
    status, headers, body = response
    assert status < 500, (route, status, body[:500])
    text = body.decode("utf-8", "replace")
    for forbidden in forbidden_texts(server):
        assert forbidden not in text, (route, status, forbidden, text[:500])
        assert forbidden not in json.dumps(headers), (route, status, headers)
    if status == 304:
        assert body == b""
        return None
    content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    if route == "card" and status == 200:
        assert not content_type.startswith("text/html") or text.lstrip().startswith("<")
        return None
    assert content_type.startswith("application/json"), (route, status, content_type, text)
    data = json.loads(body)
    if status >= 400:
        assert isinstance(data, dict) and set(data) == {"error", "message"}, (route, data)
        message = data["message"]
        assert isinstance(message, str) and message and "\n" not in message, (route, data)
        assert len(message) <= 600, (route, len(message))
        assert not re.search(r"Traceback|File \"", message), (route, message)
        if status == 429:
            assert int({k.lower(): v for k, v in headers.items()}["retry-after"]) > 0
    return data if isinstance(data, dict) else {"value": data}


def write_log(path: Path, bodies: list[dict[str, Any]]) -> Path:
    """A real lineage log of ``bodies`` (one check record each), as the recorder writes it."""
    store = LineageStore(path)
    for body in bodies:
        store.append(body)
    return path


def check_body(subject: str = "model.pkl", severity: str = "high") -> dict[str, Any]:
    """A check record's members, as ``record_static_report`` writes them."""
    finding = {"rule": "MODEL-PICKLE-EXEC", "severity": severity, "title": "pickle calls",
               "detail": "", "remediation": "", "location": {"file": subject}}
    return {"kind": "check", "session": "s1", "origin": "sidebar",
            "cell": {"id": None, "execution_count": None},
            "summary": {"check": "modelscan", "subject": subject, "findings": 1,
                        "by_severity": {severity: 1}, "max_severity": severity},
            "report": {"check": "modelscan", "subject": subject, "findings": [finding]}}


def sparse_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk: ``truncate`` only sets its length."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["truncate", "-s", str(size), str(path)], check=True)
    return path


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def rss_kb(pid: int) -> int:
    """Resident memory of a process (Linux ``/proc``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return not re.search(r"^State:\s+[ZX]", status, re.MULTILINE)


def worker_pids(server: Server) -> list[int]:
    """The scan workers the server reported starting, in order (its log says so)."""
    return [int(p) for p in re.findall(r"scan worker started \(pid (\d+)\)",
                                       server.log.read_text(errors="replace"))]


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def make_fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path
