"""A real Jupyter server (or JupyterLab) on 127.0.0.1 with a random token, for REST/UI tests.

Why a subprocess: the extension is tested as users run it (installed config, real tornado,
real auth), and a stuck server cannot hang the test process. A private ``JUPYTER_CONFIG_DIR``
keeps a developer's own configuration out; the "Jupyter news" toast is disabled because it can
cover the UI.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Server:
    base: str
    token: str
    root: Path
    log: Path
    pid: int = 0  # the server process (tests that signal it, or read its memory use)

    def request(self, route: str, *, method: str = "GET", body: Any = None,
                token: bool = True, headers: dict[str, str] | None = None
                ) -> tuple[int, dict[str, str], bytes]:
        """``(status, headers, body)`` of one request; HTTP errors are returned, not raised."""
        data = None if body is None else json.dumps(body).encode()
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"token {self.token}"
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + route, data=data, method=method,
                                     headers=all_headers)
        try:
            with urllib.request.urlopen(req, timeout=120) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(root: Path, *, lab: bool, enable: bool = False,
                   extra: list[str] | None = None,
                   env: dict[str, str] | None = None) -> Iterator[Server]:
    """Start ``jupyter lab`` (or ``jupyter server``) serving ``root``; stop it afterwards.

    ``enable`` turns the server extension on explicitly (tests of a source tree that was not
    re-installed); without it the extension must be enabled by the installed config.
    """
    config_dir = root.parent / (root.name + "-jupyter-config")
    (config_dir / "labconfig").mkdir(parents=True, exist_ok=True)
    if enable:
        (config_dir / "jupyter_server_config.json").write_text(json.dumps(
            {"ServerApp": {"jpserver_extensions": {"mlsecops_jupyter": True}}}))
    (config_dir / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    port, token = _free_port(), secrets.token_hex(16)
    log_path = root.parent / (root.name + "-server.log")
    module = "jupyterlab" if lab else "jupyter_server"
    cmd = [sys.executable, "-m", module, "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", "--allow-root",
           "--ServerApp.port_retries=0"]
    if lab:
        cmd += ["--LabApp.news_url=", "--LabApp.extension_manager=readonly",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                f"--LabApp.workspaces_dir={config_dir / 'workspaces'}"]
    cmd += extra or []
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MLSEC_")}
    full_env = {**clean, "JUPYTER_CONFIG_DIR": str(config_dir), **(env or {})}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=full_env,
                                cwd=root)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/api/status?token={token}",
                                                timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("jupyter did not start:\n" + log_path.read_text())
                time.sleep(0.3)
            yield Server(base, token, root, log_path, proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
