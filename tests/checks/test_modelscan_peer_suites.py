"""The peers' own test samples (benchmarks/vectors/model_scanners): stored true to their labels,
and every one of them judged by us as its peer's test expects, or listed with the reason we
differ.

picklescan, modelscan, fickling and modelaudit each assert in their test suites which of their
samples are malicious; ``benchmarks/model_scan.py --part peer-suites`` compares every scanner on
them. Here, without the peers: the labels file lists exactly the files on disk, each with its
source commit, test and licence; we block every malicious sample at high or above and leave
every benign one below high, except the samples in ``differences.json`` (each with the reason we
are right, quoted in benchmarks/README.md); and scanning them all never creates the samples'
canary marker, a file name relative to the working folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.severity import Severity

SUITES = Path(__file__).resolve().parents[2] / "benchmarks" / "vectors" / "model_scanners"
NOT_SAMPLES = {"labels.json", "differences.json", "SOURCE.md", "LICENSE"}
MARKER = "CANARY-MARKER"


@pytest.fixture(scope="module")
def labels() -> dict[str, Any]:
    return json.loads((SUITES / "labels.json").read_text())


@pytest.fixture(scope="module")
def differences() -> dict[str, str]:
    return json.loads((SUITES / "differences.json").read_text())


def test_the_labels_list_exactly_the_stored_files(labels: dict[str, Any]) -> None:
    on_disk = {str(p.relative_to(SUITES)) for p in SUITES.rglob("*")
               if p.is_file() and p.name not in NOT_SAMPLES}
    listed = [entry["file"] for entry in labels["samples"]]
    assert len(listed) == len(set(listed))
    assert set(listed) == on_disk
    for entry in labels["samples"]:
        assert entry["label"] in ("malicious", "benign"), entry
        assert re.fullmatch(r"[0-9a-f]{40}", entry["commit"]), entry
        assert entry["test"] and entry["licence"] and entry["source_repo"], entry
        assert (entry["path"] is None) != (entry["built"] is None), entry  # copied or built
        assert (SUITES / entry["peer"] / "LICENSE").is_file()
        assert (SUITES / entry["file"]).stat().st_size <= 2 * 2**20


def test_every_suite_has_both_labels_and_every_peer_is_there(labels: dict[str, Any]) -> None:
    peers = {entry["peer"] for entry in labels["samples"]}
    assert peers == {"picklescan", "modelscan", "fickling", "modelaudit"}
    for peer in peers:
        kinds = {e["label"] for e in labels["samples"] if e["peer"] == peer}
        assert kinds == {"malicious", "benign"}, peer


def test_the_listed_differences_are_samples(labels: dict[str, Any],
                                            differences: dict[str, str]) -> None:
    files = {entry["file"] for entry in labels["samples"]}
    assert set(differences) <= files
    assert all(len(reason) > 40 for reason in differences.values())


def test_we_judge_every_sample_as_its_peer_test_does(
        labels: dict[str, Any], differences: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the samples' canary is relative to the working folder
    wrong = []
    for entry in labels["samples"]:
        report = scan_model(str(SUITES / entry["file"]))
        blocked = any(f.severity >= Severity.HIGH for f in report.findings)
        if blocked != (entry["label"] == "malicious") and entry["file"] not in differences:
            top = sorted({f"{f.severity.label} {f.rule}" for f in report.findings})
            wrong.append(f"{entry['file']} ({entry['label']}): {top}")
    assert not (tmp_path / MARKER).exists(), "a sample was loaded: the canary marker exists"
    assert not wrong, "\n".join(wrong)


def test_every_listed_difference_still_differs(
        labels: dict[str, Any], differences: dict[str, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A difference we fixed leaves the list, so the README's list stays true."""
    monkeypatch.chdir(tmp_path)
    label = {entry["file"]: entry["label"] for entry in labels["samples"]}
    still = []
    for file in differences:
        report = scan_model(str(SUITES / file))
        blocked = any(f.severity >= Severity.HIGH for f in report.findings)
        still.append(blocked != (label[file] == "malicious"))
    assert all(still), [f for f, s in zip(differences, still, strict=True) if not s]
    assert not (tmp_path / MARKER).exists()


def test_no_stored_sample_carries_a_harmful_payload_we_meant_to_replace() -> None:
    """Their network and file-writing payloads were swapped for the canary or a local port."""
    for path in SUITES.rglob("*"):
        if path.is_file() and path.name not in NOT_SAMPLES:
            data = path.read_bytes()
            for needle in (b"rm -rf", b"curl ", b"webhook", b"evil.com", b"~/.aws", b"install"):
                assert needle not in data, (path, needle)
