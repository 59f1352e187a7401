"""The zip reader: tricks that hide a member from ``zipfile`` must not hide it from us.

Archives are written with ``zipfile`` (or ``torch.save``) and then edited at byte level the way
published scanner bypasses do: duplicate names, corrupted CRCs, entries removed from the central
directory, names that disagree, flag bits, prepended data, bombs and deep nesting.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import time
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from corpus.canary import Canary, Reduce

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.settings import Settings
from mlsecops_jupyter.core.severity import Severity

CODE_EXECUTION = {"MODEL-PICKLE-EXEC", "MODEL-PICKLE-DANGEROUS-GLOBAL"}
BENIGN_PICKLE = pickle.dumps({"weights": [1.0, 2.0]}, protocol=2)


@pytest.fixture
def evil_pickle(canary_marker: Path) -> bytes:
    return pickle.dumps(Reduce(os.system, Canary(canary_marker).shell), protocol=2)


def build_zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of some tests
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return buffer.getvalue()


def central_entries(data: bytes) -> list[tuple[int, int, str]]:
    """(offset of the central entry, its length, name) for each central directory entry."""
    found = []
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, position + 28)
        name = data[position + 46:position + 46 + name_len].decode()
        found.append((position, 46 + name_len + extra_len + comment_len, name))
        position = data.find(b"PK\x01\x02", position + 4)
    return found


def drop_from_central_directory(data: bytes, name: str) -> bytes:
    """Remove ``name`` from the central directory only: its local header stays in place."""
    position, length, _ = next(e for e in central_entries(data) if e[2] == name)
    data = data[:position] + data[position + length:]
    end = data.rfind(b"PK\x05\x06")
    disk_entries, total, size, offset = struct.unpack_from("<HHII", data, end + 8)
    patched = struct.pack("<HHII", disk_entries - 1, total - 1, size - length, offset)
    return data[:end + 8] + patched + data[end + 20:]


def code_execution(report: Report, member: str | None = None) -> bool:
    return any(f.rule in CODE_EXECUTION and f.severity == Severity.CRITICAL
               and (member is None or f.location.member == member) for f in report.findings)


def anomalies(report: Report) -> set[str]:
    return {f.evidence["anomaly"] for f in report.findings if f.rule == "MODEL-ARCHIVE-ANOMALY"}


def scan_bytes(tmp_path: Path, data: bytes, name: str = "model.pt", **kwargs: Any) -> Report:
    path = tmp_path / name
    path.write_bytes(data)
    return scan_model(path, **kwargs)


def torch_like(pickle_bytes: bytes, prefix: str = "archive") -> list[tuple[str, bytes]]:
    return [(f"{prefix}/data.pkl", pickle_bytes), (f"{prefix}/byteorder", b"little"),
            (f"{prefix}/data/0", bytes(64)), (f"{prefix}/version", b"3\n")]


def test_payload_in_torch_data_pkl(tmp_path: Path, evil_pickle: bytes) -> None:
    report = scan_bytes(tmp_path, build_zip(torch_like(evil_pickle, "whatever")))
    assert code_execution(report, member="whatever/data.pkl")
    assert anomalies(report) == set()
    assert report.metrics["files"][-1]["format"] == "pytorch-zip"


@pytest.mark.parametrize("evil_first", [True, False], ids=["evil-first", "evil-last"])
def test_duplicate_data_pkl_every_entry_is_scanned(tmp_path: Path, evil_pickle: bytes,
                                                   evil_first: bool) -> None:
    pair = [evil_pickle, BENIGN_PICKLE] if evil_first else [BENIGN_PICKLE, evil_pickle]
    members = [("archive/data.pkl", pair[0]), ("archive/data.pkl", pair[1]),
               ("archive/version", b"3\n")]
    report = scan_bytes(tmp_path, build_zip(members))
    assert code_execution(report, member="archive/data.pkl")
    assert "duplicate-name" in anomalies(report)


def test_crc_mismatch_does_not_hide_a_member(tmp_path: Path, evil_pickle: bytes) -> None:
    data = bytearray(build_zip(torch_like(evil_pickle)))
    crc = struct.pack("<I", zlib.crc32(evil_pickle))
    for position in (data.find(crc), data.rfind(crc)):  # local header and central directory
        data[position:position + 4] = b"\xde\xad\xbe\xef"
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(bytes(data))).read("archive/data.pkl")
    report = scan_bytes(tmp_path, bytes(data))
    assert code_execution(report)
    assert "crc-mismatch" in anomalies(report)


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_member_only_in_local_headers(tmp_path: Path, evil_pickle: bytes, method: int) -> None:
    data = build_zip([("payload.pkl", evil_pickle), ("readme.txt", b"hello")], method)
    data = drop_from_central_directory(data, "payload.pkl")
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["readme.txt"]
    report = scan_bytes(tmp_path, data, "bundle.zip")
    assert code_execution(report, member="payload.pkl")
    assert "local-only" in anomalies(report)


def test_central_and_local_names_disagree(tmp_path: Path, evil_pickle: bytes) -> None:
    data = bytearray(build_zip([("archive/data.pkl", BENIGN_PICKLE),
                                ("archive/xata.pkl", evil_pickle)]))
    local = data.find(b"archive/xata.pkl")
    data[local:local + 16] = b"archive/data.pkl"  # local header now duplicates the real name
    report = scan_bytes(tmp_path, bytes(data))
    assert code_execution(report)
    assert {"name-mismatch"} <= anomalies(report)


def test_flag_bits_and_odd_names(tmp_path: Path, evil_pickle: bytes) -> None:
    data = bytearray(build_zip([("../../escape.pkl", evil_pickle), ("a\\b.txt", b"x")]))
    for position, _, _ in central_entries(bytes(data)):
        data[position + 8:position + 10] = struct.pack("<H", 0x4000)  # a reserved flag bit
    report = scan_bytes(tmp_path, bytes(data), "odd.zip")
    assert code_execution(report, member="../../escape.pkl")
    assert {"unsafe-name", "flag-bits"} <= anomalies(report)


def test_encryption_flag_does_not_hide_a_plain_member(tmp_path: Path, evil_pickle: bytes) -> None:
    """CVE-2025-1945: PyTorch ignores the flag and loads the (unencrypted) data.pkl."""
    data = bytearray(build_zip(torch_like(evil_pickle)))
    for position in (data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")):
        offset = 6 if data[position + 2] == 3 else 8
        data[position + offset:position + offset + 2] = struct.pack("<H", 1)
    report = scan_bytes(tmp_path, bytes(data))
    assert "encrypted" in anomalies(report)
    assert code_execution(report, member="archive/data.pkl")


def test_prepended_data_before_the_zip(tmp_path: Path, evil_pickle: bytes) -> None:
    data = b"#!/bin/sh\necho not a zip\n" * 20 + build_zip(torch_like(evil_pickle))
    report = scan_bytes(tmp_path, data)
    assert code_execution(report, member="archive/data.pkl")


def test_pickle_polyglot_with_zip_appended(tmp_path: Path, evil_pickle: bytes) -> None:
    data = BENIGN_PICKLE + build_zip([("x/data.pkl", evil_pickle)])
    report = scan_bytes(tmp_path, data, "poly.pkl")
    assert code_execution(report, member="x/data.pkl")


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_compressed_members(tmp_path: Path, evil_pickle: bytes, method: int) -> None:
    report = scan_bytes(tmp_path, build_zip([("model/weights", evil_pickle)], method), "m.zip")
    assert code_execution(report, member="model/weights")
    assert anomalies(report) == set()


def test_unknown_compression_method(tmp_path: Path) -> None:
    data = bytearray(build_zip([("a.pkl", BENIGN_PICKLE)]))
    for position in (data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")):
        offset = 8 if data[position + 2] == 3 else 10
        data[position + offset:position + offset + 2] = struct.pack("<H", 99)
    report = scan_bytes(tmp_path, bytes(data), "odd.zip")
    assert "MODEL-UNSUPPORTED" in {f.rule for f in report.findings}


def test_zip_bomb_is_bounded(tmp_path: Path) -> None:
    # 8 MB of a pickle the scanner must read to its end (zeros would be read only as far as
    # telling that they are no model; checking their CRC is bounded apart)
    padding = b"\x80\x04" + b"N0" * (4 << 20) + b"N."
    data = bytearray(build_zip([("bomb.pkl", padding)], zipfile.ZIP_DEFLATED))
    assert len(data) < 64 << 10
    honest = scan_bytes(tmp_path, bytes(data), "honest.zip",
                        settings=Settings().override({"modelscan.max_decompressed_mb": 1}))
    assert "MODEL-SCAN-INCOMPLETE" in {f.rule for f in honest.findings}
    for position, _, _ in central_entries(bytes(data)):  # declare 4 GB uncompressed
        data[position + 24:position + 28] = struct.pack("<I", 0xFFFFFFFE)
    started = time.perf_counter()
    report = scan_bytes(tmp_path, bytes(data), "bomb.zip")
    assert time.perf_counter() - started < 5
    assert all(f.severity < Severity.HIGH for f in report.findings)


def test_nesting_deeper_than_the_limit(tmp_path: Path, evil_pickle: bytes) -> None:
    data = evil_pickle
    for level in range(3):
        data = build_zip([(f"level{level}.zip" if level else "payload.pkl", data)])
    within = scan_bytes(tmp_path, data, "nested.zip")
    assert code_execution(within)
    shallow = Settings().override({"modelscan.max_archive_depth": 1})
    report = scan_model(tmp_path / "nested.zip", settings=shallow)
    assert "MODEL-SCAN-INCOMPLETE" in {f.rule for f in report.findings}


def test_truncated_zip_still_scans_what_is_there(tmp_path: Path, evil_pickle: bytes) -> None:
    whole = build_zip([("archive/data.pkl", evil_pickle), ("archive/data/0", bytes(4096))])
    report = scan_bytes(tmp_path, whole[:len(whole) // 2])
    assert code_execution(report)


def test_real_torch_checkpoint_touches_only_its_pickle(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    path = tmp_path / "big.pt"
    torch.save({f"layer{i}": torch.zeros(256, 256) for i in range(64)}, path)  # 16 MB
    started = time.perf_counter()
    report = scan_model(path)
    assert time.perf_counter() - started < 1.0
    assert report.findings == []
    entry = report.metrics["files"][-1]
    assert entry["storages"] == 64 and entry["pickles"] == 1


def test_zip64_local_header_only_member(tmp_path: Path, evil_pickle: bytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        with archive.open("big/data.pkl", "w", force_zip64=True) as member:
            member.write(evil_pickle)
        archive.writestr("big/version", b"3\n")
    data = drop_from_central_directory(buffer.getvalue(), "big/data.pkl")
    report = scan_bytes(tmp_path, data)
    assert code_execution(report, member="big/data.pkl")
    assert "local-only" in anomalies(report)


def test_zip_inside_compressed_streams(tmp_path: Path, evil_pickle: bytes) -> None:
    inner = build_zip(torch_like(evil_pickle))
    gzipped = scan_bytes(tmp_path, gzip_bytes(inner), "model.gz")
    assert code_execution(gzipped, member="<gzip>!archive/data.pkl")
    nested = build_zip([("inner.zip", inner)], zipfile.ZIP_DEFLATED)
    assert code_execution(scan_bytes(tmp_path, nested, "outer.zip"),
                          member="inner.zip!archive/data.pkl")


def gzip_bytes(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data)


def test_central_size_edited_to_jump_over_a_hidden_entry(tmp_path: Path,
                                                         evil_pickle: bytes) -> None:
    data = build_zip([("a.txt", b"first"), ("hidden.pkl", evil_pickle), ("b.txt", b"last")])
    hidden_at = data.find(b"PK\x03\x04", 1)
    b_at = data.find(b"PK\x03\x04", hidden_at + 1)
    data = drop_from_central_directory(data, "hidden.pkl")
    a_entry = next(e for e in central_entries(data) if e[2] == "a.txt")[0]
    patched = bytearray(data)  # a.txt's directory size now reaches up to b.txt's header
    a_data_start = 30 + len("a.txt")
    for field_offset in (20, 24):
        patched[a_entry + field_offset:a_entry + field_offset + 4] = struct.pack(
            "<I", b_at - a_data_start)
    report = scan_bytes(tmp_path, bytes(patched), "jump.zip")
    assert code_execution(report, member="hidden.pkl")
    assert {"local-only", "header-mismatch"} <= anomalies(report)
