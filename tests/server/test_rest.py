"""The REST endpoints of the server extension, against a real ``jupyter server`` process.

The known lineage log is written by the real recorder (the in-process shell runs three cells,
one of them ``%mlsec scan`` on a malicious pickle), then served for a notebook in the root.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from labserver import Server, running_server
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from static_notebooks import canary_pickle_cell, static_notebook

from mlsecops_jupyter.checks.notebook_static import scan_notebook_static
from mlsecops_jupyter.lineage import read_records, verify

CELL_IDS = ("cell-data", "cell-pickle", "cell-scan")


def known_cells(marker: Path) -> tuple[tuple[str, str], ...]:
    """The three cells, the pickle's payload aimed at the session's canary marker."""
    sources = ("import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, 3]})",
               canary_pickle_cell(marker), "%mlsec scan evil.bin --format text")
    return tuple(zip(CELL_IDS, sources, strict=True))


def _notebook(path: Path, cells: tuple[tuple[str, str], ...]) -> None:
    notebook = new_notebook(cells=[new_markdown_cell("# known findings")], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    for cell_id, source in cells:
        cell = new_code_cell(source)
        cell.id = cell_id
        notebook.cells.append(cell)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def cells(canary_marker: Path) -> tuple[tuple[str, str], ...]:
    return known_cells(canary_marker)


@pytest.fixture(scope="module")
def recorded_log(ip: Any, cells: tuple[tuple[str, str], ...]) -> Path:
    """The log the real recorder wrote for the three cells (``ip`` works in a fresh folder)."""
    for cell_id, source in cells:
        assert ip.run_cell(source, store_history=True, cell_id=cell_id).success
    log = Path.cwd() / ".mlsec" / "default.lineage.jsonl"
    assert verify(log).ok
    return log


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, recorded_log: Path,
           cells: tuple[tuple[str, str], ...]) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("rest")
    root = base / "root"
    outside = base / "outside"
    for folder in (root / ".mlsec", outside / ".mlsec", root / "sub"):
        folder.mkdir(parents=True)
    _notebook(root / "known.ipynb", cells)
    shutil.copy(recorded_log, root / ".mlsec" / "known.ipynb.lineage.jsonl")
    # tampered: a copy whose check record's finding title was edited
    _notebook(root / "tampered.ipynb", cells)
    lines = recorded_log.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace("Pickle calls a dangerous function on load", "harmless")
    assert lines[3] != recorded_log.read_text(encoding="utf-8").splitlines(keepends=True)[3]
    (root / ".mlsec" / "tampered.ipynb.lineage.jsonl").write_text("".join(lines),
                                                                  encoding="utf-8")
    _notebook(root / "corrupt.ipynb", cells)
    (root / ".mlsec" / "corrupt.ipynb.lineage.jsonl").write_bytes(b"\x00\xffnot json\n{]\n")
    _notebook(root / "fresh.ipynb", cells)  # never run: no log
    static_notebook(root / "scan.ipynb")
    # outside the root, reachable only through symlinks
    _notebook(outside / "secret.ipynb", cells)
    shutil.copy(recorded_log, outside / ".mlsec" / "secret.ipynb.lineage.jsonl")
    (root / "link.ipynb").symlink_to(outside / "secret.ipynb")
    (root / "linkdir").symlink_to(outside, target_is_directory=True)
    # a notebook inside whose log is a symlink out of the root
    _notebook(root / "sub" / "escape.ipynb", cells)
    (root / "sub" / ".mlsec").symlink_to(outside / ".mlsec", target_is_directory=True)
    (outside / ".mlsec" / "escape.ipynb.lineage.jsonl").write_bytes(
        recorded_log.read_bytes())
    with running_server(root, lab=False, enable=True) as running:
        yield running


def _json(response: tuple[int, dict[str, str], bytes]) -> Any:
    return json.loads(response[2])


def test_every_endpoint_refuses_requests_without_the_token(server: Server) -> None:
    for route, method, body in (("/mlsecops/notebook?path=known.ipynb", "GET", None),
                                ("/mlsecops/verify?path=known.ipynb", "GET", None),
                                ("/mlsecops/card?path=known.ipynb", "GET", None),
                                ("/mlsecops/scan", "POST", {"path": "known.ipynb"})):
        status, _headers, _body = server.request(route, method=method, body=body, token=False)
        assert status == 403, route
    wrong = server.request("/mlsecops/notebook?path=known.ipynb", token=False,
                           headers={"Authorization": "token " + "0" * 32})
    assert wrong[0] == 403


def test_known_log_gives_its_findings_timeline_and_verified_chain(server: Server) -> None:
    status, headers, _ = response = server.request("/mlsecops/notebook?path=known.ipynb")
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    body = _json(response)
    assert body["notebook"] == "known.ipynb"
    assert body["lineage_file"] == ".mlsec/known.ipynb.lineage.jsonl"
    assert body["chain"]["status"] == "verified"
    assert body["chain"]["count"] == 5
    assert body["chain"]["reason"] == "5 records, chain intact"
    records = read_records(server.root / ".mlsec" / "known.ipynb.lineage.jsonl")
    assert body["chain"]["head"] == records[-1]["hash"]
    assert body["counts"] == {"records": 5, "sessions": 1, "cells": 3, "checks": 1, "data": 1,
                              "findings": 1}
    assert body["by_severity"] == {"critical": 1, "high": 0, "medium": 0, "low": 0, "info": 0}
    [finding] = body["findings"]
    assert finding["rule"] == "MODEL-PICKLE-EXEC"
    assert finding["severity"] == "critical"
    assert finding["check"] == "modelscan"
    assert finding["subject"] == "evil.bin"
    assert finding["cell_id"] == "cell-scan"
    assert finding["cell"] is None
    assert finding["location"] == {"file": "evil.bin", "offset": 28}
    assert [(e["seq"], e["kind"], e["cell_id"]) for e in body["timeline"]] == [
        (0, "session", None), (1, "cell", "cell-data"), (2, "cell", "cell-pickle"),
        (3, "check", "cell-scan"), (4, "cell", "cell-scan")]
    assert body["timeline"][1]["data"] == [
        {"name": "df", "change": "created", "kind": "dataframe", "shape": [3, 1],
         "rows_total": 3}]
    assert body["timeline"][2]["files"] == [{"path": "evil.bin", "mode": "write"}]
    assert body["timeline"][3]["label"] == "modelscan: evil.bin"
    assert body["timeline"][4]["label"] == "%mlsec scan evil.bin --format text"
    assert [d["name"] for d in body["data"]] == ["df"]
    assert body["checks"] == [{"check": "modelscan", "subject": "evil.bin", "seq": 3,
                               "time": records[3]["time"], "findings": 1, "runs": 1}]


def test_unchanged_log_answers_304_to_its_etag(server: Server) -> None:
    status, headers, _ = server.request("/mlsecops/notebook?path=known.ipynb")
    assert status == 200 and headers["Etag"].startswith('"')
    again = server.request("/mlsecops/notebook?path=known.ipynb",
                           headers={"If-None-Match": headers["Etag"]})
    assert again[0] == 304


@pytest.mark.parametrize("path", [
    "../outside/secret.ipynb", "/etc/passwd.ipynb", "link.ipynb", "linkdir/secret.ipynb",
    "sub/../../outside/secret.ipynb",
])
def test_paths_outside_the_root_are_refused(server: Server, path: str) -> None:
    for route in ("notebook", "verify", "card"):
        response = server.request(f"/mlsecops/{route}?path={path}")
        assert response[0] == 403, (route, path)
        assert _json(response) == {"error": "forbidden",
                                   "message": "path is outside the server's root"}
    scan = server.request("/mlsecops/scan", method="POST", body={"path": path})
    assert scan[0] == 403


def test_a_log_symlinked_out_of_the_root_is_refused(server: Server) -> None:
    response = server.request("/mlsecops/notebook?path=sub/escape.ipynb")
    assert response[0] == 403
    assert _json(response)["message"] == "the lineage log is outside the server's root"


def test_missing_notebook_missing_log_and_bad_requests_are_json_errors(server: Server) -> None:
    missing = server.request("/mlsecops/notebook?path=nope.ipynb")
    assert missing[0] == 404
    assert _json(missing) == {"error": "not-found", "message": "no such notebook: nope.ipynb"}
    fresh = server.request("/mlsecops/notebook?path=fresh.ipynb")
    assert fresh[0] == 404
    assert _json(fresh) == {"error": "no-lineage", "message": (
        "no lineage log for fresh.ipynb yet: run a cell with %load_ext mlsecops_jupyter")}
    no_path = server.request("/mlsecops/verify")
    assert no_path[0] == 400 and _json(no_path)["error"] == "bad-request"
    not_nb = server.request("/mlsecops/verify?path=.mlsec/known.ipynb.lineage.jsonl")
    assert not_nb[0] == 404 and _json(not_nb)["error"] == "not-found"
    bad_format = server.request("/mlsecops/card?path=known.ipynb&format=pdf")
    assert bad_format[0] == 400
    assert _json(bad_format)["message"] == (
        "unknown card format 'pdf': choose md, html, json or mlbom")
    bad_body = server.request("/mlsecops/scan", method="POST", body=["known.ipynb"])
    assert bad_body[0] == 400 and _json(bad_body)["error"] == "bad-request"


def test_corrupt_log_is_a_clear_json_error(server: Server) -> None:
    for route in ("notebook", "verify", "card"):
        response = server.request(f"/mlsecops/{route}?path=corrupt.ipynb")
        assert response[0] == 422, route
        assert _json(response) == {"error": "invalid-input", "message": (
            "corrupt.ipynb.lineage.jsonl is not a lineage log: it holds no "
            "mlsecops-lineage/1 record")}


def test_verify_catches_the_tampered_log(server: Server) -> None:
    good = _json(server.request("/mlsecops/verify?path=known.ipynb"))
    assert good["status"] == "verified" and good["ok"] is True and good["count"] == 5
    response = server.request("/mlsecops/verify?path=tampered.ipynb")
    assert response[0] == 200
    body = _json(response)
    assert body["status"] == "broken"
    assert body["ok"] is False
    assert body["first_bad"] == 3
    assert body["count"] == 3
    assert body["reason"] == ("hash does not match the record's content: the record was "
                              "edited")
    overview = _json(server.request("/mlsecops/notebook?path=tampered.ipynb"))
    assert overview["chain"]["status"] == "broken"
    card = server.request("/mlsecops/card?path=tampered.ipynb")
    assert card[0] == 409
    assert _json(card)["error"] == "broken-chain"


def test_card_export_returns_a_file(server: Server) -> None:
    status, headers, body = server.request("/mlsecops/card?path=known.ipynb")
    assert status == 200
    assert headers["Content-Type"] == "text/markdown; charset=UTF-8"
    assert headers["Content-Disposition"] == 'attachment; filename="model_card.md"'
    text = body.decode("utf-8")
    assert text.startswith("---\n")
    head = read_records(server.root / ".mlsec" / "known.ipynb.lineage.jsonl")[-1]["hash"]
    assert head in text
    status, headers, body = server.request("/mlsecops/card?path=known.ipynb&format=mlbom")
    assert status == 200
    assert headers["Content-Disposition"] == 'attachment; filename="mlbom.cdx.json"'
    assert json.loads(body)["bomFormat"] == "CycloneDX"
    status, headers, body = server.request("/mlsecops/card?path=known.ipynb&format=json")
    assert json.loads(body)["lineage"]["head"] == head


def test_scan_runs_the_static_checks_and_records_them(server: Server) -> None:
    log = server.root / ".mlsec" / "scan.ipynb.lineage.jsonl"
    assert not log.exists()
    response = server.request("/mlsecops/scan", method="POST", body={"path": "scan.ipynb"})
    assert response[0] == 200, response[2]
    body = _json(response)
    assert body["notebook"] == "scan.ipynb"
    assert body["parts"] == ["notebook", "leakage"]
    assert [(f["rule"], f["severity"], f["location"]["cell"])
            for f in body["report"]["findings"]] == [
        ("LEAK-PREPROCESSING", "high", 2), ("PII-EMAIL-ADDRESS", "medium", 1)]
    assert body["counts"] == {"critical": 0, "high": 1, "medium": 1, "low": 0, "info": 0}
    direct = scan_notebook_static(server.root / "scan.ipynb", "scan.ipynb")
    assert body["report"]["findings"] == direct.to_dict()["findings"]
    # the browser sees root-relative paths only, never the server's absolute ones
    assert str(server.root) not in json.dumps(body)
    assert {f["location"].get("file") for f in body["report"]["findings"]} <= {"scan.ipynb",
                                                                               None}
    records = read_records(log)
    assert body["recorded"] == [0, 1]
    assert [(r["report"]["check"], r["report"]["subject"], r["origin"]) for r in records] == [
        ("notebook", "scan.ipynb", "sidebar"), ("leakage", "scan.ipynb", "sidebar")]
    assert verify(log).ok
    assert str(server.root) not in log.read_text(encoding="utf-8")
    # the log now gives the notebook's findings, with the cells they are in
    overview = _json(server.request("/mlsecops/notebook?path=scan.ipynb"))
    assert [(f["rule"], f["cell"], f["check"]) for f in overview["findings"]] == [
        ("LEAK-PREPROCESSING", 2, "leakage"), ("PII-EMAIL-ADDRESS", 1, "notebook")]
    # a second scan replaces the findings (latest run per check), the log keeps both runs
    again = _json(server.request("/mlsecops/scan", method="POST",
                                 body={"path": "scan.ipynb"}))
    assert again["recorded"] == [2, 3]
    overview = _json(server.request("/mlsecops/notebook?path=scan.ipynb"))
    assert overview["counts"]["findings"] == 2
    assert [c["runs"] for c in overview["checks"]] == [2, 2]
    unrecorded = _json(server.request("/mlsecops/scan", method="POST",
                                      body={"path": "scan.ipynb", "record": False}))
    assert unrecorded["recorded"] == []
    assert len(read_records(log)) == 4
