"""Archive members whatever their names: traversal names, links, plain tar and .tar.gz.

Every archive is written with the real writer (``zipfile``, ``tarfile``, ``py7zr``); a 7z member
name py7zr refuses to write is patched into its (unencoded) header, with the header CRCs
recomputed, as an attacker would. Payloads are canary pickles; nothing is ever extracted.
"""

from __future__ import annotations

import gzip
import io
import lzma
import os
import pickle
import tarfile
import zipfile
from pathlib import Path

import pytest
from corpus.canary import Canary, Reduce
from corpus.format_writers import seven_zip_with_name, tar_bytes, zip_with_link

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.settings import ModelScanSettings, Settings
from mlsecops_jupyter.core.severity import Severity

TRAVERSAL = "MODEL-ARCHIVE-PATH-TRAVERSAL"
SYMLINK = "MODEL-ARCHIVE-SYMLINK"


@pytest.fixture
def evil_pickle(canary_marker: Path) -> bytes:
    return pickle.dumps(Reduce(os.system, Canary(canary_marker).shell), protocol=4)


def found(report: Report, rule: str) -> list[tuple[Severity, str | None]]:
    return [(f.severity, f.location.member) for f in report.findings if f.rule == rule]


def executes(report: Report, member_suffix: str) -> bool:
    return any(f.rule == "MODEL-PICKLE-EXEC" and f.severity == Severity.CRITICAL
               and (f.location.member or "").endswith(member_suffix) for f in report.findings)


def benign_loud(report: Report) -> list[tuple[str, str]]:
    return [(f.rule, f.detail) for f in report.findings if f.severity >= Severity.HIGH]


# -- zip ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["../evil.pkl", "/tmp/evil.pkl", "a/../../evil.pkl",
                                  "..\\evil.pkl", "C:/evil.pkl"])
def test_zip_member_with_a_traversal_name_is_scanned_and_high(
    tmp_path: Path, evil_pickle: bytes, name: str
) -> None:
    path = tmp_path / "model.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name), evil_pickle)
        archive.writestr("README", "text")
    report = scan_model(path)
    assert executes(report, name)
    assert found(report, TRAVERSAL) == [(Severity.HIGH, None)]


@pytest.mark.parametrize(("target", "severity"), [
    ("/etc/passwd", Severity.HIGH), ("../../.ssh/authorized_keys", Severity.HIGH),
    ("data.bin", Severity.MEDIUM),
])
def test_zip_symlink_entries_are_reported(tmp_path: Path, target: str,
                                          severity: Severity) -> None:
    report = scan_model(zip_with_link(tmp_path / "m.zip", "weights/link", target))
    assert found(report, SYMLINK) == [(severity, None)]


def test_plain_zip_has_no_link_or_traversal_finding(tmp_path: Path) -> None:
    path = tmp_path / "m.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a/b.txt", "x")
        archive.writestr("a/..b/c.txt", "x")  # '..b' is a name, not a parent step
    report = scan_model(path)
    assert not found(report, SYMLINK) and not found(report, TRAVERSAL)


# -- 7z ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["../evil.pkl", "/tmp/evilpkl"])
def test_7z_member_with_a_traversal_name_is_scanned(tmp_path: Path, evil_pickle: bytes,
                                                    name: str) -> None:
    placeholder = "x" * (len(name) - 8) + name[-8:]
    path = tmp_path / "model.7z"
    path.write_bytes(seven_zip_with_name({placeholder: evil_pickle, "README": b"text"},
                                         {placeholder: name}))
    report = scan_model(path)
    assert executes(report, name)
    assert found(report, TRAVERSAL) == [(Severity.HIGH, None)]


def test_7z_duplicate_names_are_all_scanned(tmp_path: Path, evil_pickle: bytes) -> None:
    path = tmp_path / "model.7z"
    path.write_bytes(seven_zip_with_name({"a.pkl": pickle.dumps(1), "b.pkl": evil_pickle},
                                         {"b.pkl": "a.pkl"}))
    assert executes(scan_model(path), "a.pkl")


# -- tar ------------------------------------------------------------------------------------------
COMPRESSORS = {"tar": lambda b: b, "tar.gz": gzip.compress, "tar.xz": lzma.compress}


@pytest.mark.parametrize("suffix", sorted(COMPRESSORS))
@pytest.mark.parametrize("fmt", [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
def test_tar_members_are_scanned_whatever_their_names(tmp_path: Path, evil_pickle: bytes,
                                                      suffix: str, fmt: int) -> None:
    raw = tar_bytes([("README", b"text"), ("model/../../evil.pkl", evil_pickle)], fmt)
    path = tmp_path / f"model.{suffix}"
    path.write_bytes(COMPRESSORS[suffix](raw))
    report = scan_model(path)
    assert executes(report, "model/../../evil.pkl")
    assert [sev for sev, _ in found(report, TRAVERSAL)] == [Severity.HIGH]
    assert "tar" in [entry["format"] for entry in report.metrics["files"]]


def test_tar_links(tmp_path: Path) -> None:
    path = tmp_path / "links.tar"
    path.write_bytes(tar_bytes([("a/up", "../../etc"), ("abs", "/etc/passwd"),
                                ("a/in", "../b"), ("hard", ">../x")]))
    report = scan_model(path)
    severities = sorted(sev for sev, _ in found(report, SYMLINK))
    assert severities == [Severity.MEDIUM, Severity.HIGH, Severity.HIGH]


def test_tar_of_benign_files_is_quiet(tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")
    buffer = io.BytesIO()
    np.save(buffer, np.arange(10))
    path = tmp_path / "model.tar.gz"
    path.write_bytes(gzip.compress(tar_bytes([("model/weights.npy", buffer.getvalue()),
                                              ("model/config.json", b"{}")])))
    report = scan_model(path)
    assert benign_loud(report) == []
    assert [e["format"] for e in report.metrics["files"]].count("npy") == 1


def test_tar_member_count_limit_is_an_incomplete_scan(tmp_path: Path) -> None:
    path = tmp_path / "many.tar"
    path.write_bytes(tar_bytes([(f"m{i}", b"x") for i in range(30)]))
    settings = Settings(modelscan=ModelScanSettings(max_members=10))
    report = scan_model(path, settings=settings)
    assert [sev for sev, _ in found(report, "MODEL-SCAN-INCOMPLETE")] == [Severity.HIGH]


def test_tar_nesting_depth_limit(tmp_path: Path, evil_pickle: bytes) -> None:
    inner = evil_pickle
    for _ in range(3):
        inner = gzip.compress(tar_bytes([("inner", inner)]))
    path = tmp_path / "deep.tar.gz"
    path.write_bytes(inner)
    settings = Settings(modelscan=ModelScanSettings(max_archive_depth=3))
    report = scan_model(path, settings=settings)
    assert found(report, "MODEL-SCAN-INCOMPLETE")


def test_truncated_tar_scans_what_is_there(tmp_path: Path, evil_pickle: bytes) -> None:
    raw = tar_bytes([("evil.pkl", evil_pickle), ("big.bin", b"\x00" * 4096)])
    path = tmp_path / "cut.tar"
    path.write_bytes(raw[:1024 + 512 + 100])
    report = scan_model(path)
    assert executes(report, "evil.pkl")
    assert any(f.rule == "MODEL-MALFORMED" for f in report.findings)
