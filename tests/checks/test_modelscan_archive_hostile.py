"""Archives as a hostile user builds them: v7 tars, big streamed members, budgets, polyglots.

Every file is a real archive written by the real writer (``tarfile``, ``zipfile``, ``gzip``,
``py7zr``) or, where that writer refuses, laid out by ``corpus.archive_writers`` and read back
with the standard library. Payloads are canary pickles (the autouse guard checks the marker
never appears); nothing is ever extracted or loaded, except our own payload-free files where a
test proves a loader really reads the layout (``torch.load``, ``pickle.loads``, ``zipfile``).
"""

from __future__ import annotations

import gzip
import io
import os
import pickle
import random
import tarfile
import zipfile
from pathlib import Path

import pytest
from corpus import torch_tar
from corpus.archive_writers import encrypted_zip, header_offsets, tar_named, tar_names, to_v7
from corpus.canary import Canary, Reduce
from corpus.format_writers import seven_zip_with_name, tar_bytes
from corpus.payloads import inner_payload
from corpus.tf_protos import benign_model, saved_model, tf_node

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.checks.modelscan.sniff import is_tar_header, sniff
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.settings import ModelScanSettings, Settings
from mlsecops_jupyter.core.severity import Severity

ANOMALY = "MODEL-ARCHIVE-ANOMALY"
INCOMPLETE = "MODEL-SCAN-INCOMPLETE"
MB = 1 << 20


@pytest.fixture
def evil_pickle(canary_marker: Path) -> bytes:
    return pickle.dumps(Reduce(os.system, Canary(canary_marker).shell), protocol=4)


def executes(report: Report, member_suffix: str | None) -> bool:
    """A critical exec finding in the member ending with ``member_suffix`` (None: the file)."""
    return any(
        f.rule == "MODEL-PICKLE-EXEC" and f.severity == Severity.CRITICAL
        and (f.location.member == member_suffix if member_suffix is None
             else (f.location.member or "").endswith(member_suffix))
        for f in report.findings)


def details(report: Report, rule: str) -> list[str]:
    return [f.detail for f in report.findings if f.rule == rule]


def formats(report: Report) -> list[str]:
    return [entry["format"] for entry in report.metrics["files"]]


def limit_mb(megabytes: int) -> Settings:
    return Settings(modelscan=ModelScanSettings(max_decompressed_mb=megabytes))


# -- 1. v7 tars -----------------------------------------------------------------------------------
@pytest.mark.parametrize("wrap", [lambda b: b, gzip.compress], ids=["tar", "tar.gz"])
def test_a_v7_tar_without_magic_is_read_as_tar(tmp_path: Path, evil_pickle: bytes,
                                               wrap: object) -> None:
    raw = to_v7(tar_bytes([("README", b"text"), ("evil.pkl", evil_pickle)],
                          tarfile.USTAR_FORMAT))
    assert b"ustar" not in raw
    assert tar_names(raw) == ["README", "evil.pkl"]
    path = tmp_path / "old.tar"
    path.write_bytes(wrap(raw))  # type: ignore[operator]
    report = scan_model(path)
    assert executes(report, "evil.pkl")
    assert "tar" in formats(report)


def test_v7_header_sniff_has_no_false_positives() -> None:
    rng = random.Random(15)
    blocks = [rng.randbytes(4096) for _ in range(3000)]
    blocks += [bytes([rng.randrange(0x20, 0x7F) for _ in range(4096)]) for _ in range(300)]
    blocks += [pickle.dumps({"a": list(range(n)), "b": "x" * n}, protocol=p) + bytes(512)
               for n in (0, 5, 200) for p in range(6)]
    assert not any(is_tar_header(block) for block in blocks)
    real = to_v7(tar_bytes([("a.bin", b"x" * 600)], tarfile.USTAR_FORMAT))
    assert is_tar_header(real) and sniff(real) == "tar"
    broken = bytearray(real)
    broken[10] ^= 1  # the checksum no longer matches
    assert not is_tar_header(bytes(broken))


def test_a_v7_legacy_torch_tar_loads_with_torch_and_is_read_as_torch_reads_it(
        tmp_path: Path, canary_marker: Path) -> None:
    torch = pytest.importorskip("torch")
    benign = tmp_path / "old.pth"
    benign.write_bytes(to_v7(tar_bytes(torch_tar._members(), tarfile.USTAR_FORMAT)))
    assert torch.load(benign, weights_only=False)["weight"].tolist() == [1.0, 2.0, 3.0]
    report = scan_model(benign)
    assert report.findings == [] and "pytorch-legacy-tar" in formats(report)
    hostile = tmp_path / "hostile.pth"
    payload = inner_payload(Canary(canary_marker))
    hostile.write_bytes(to_v7(tar_bytes(torch_tar._members(storage_payload=payload),
                                        tarfile.USTAR_FORMAT)))
    report = scan_model(hostile)
    assert executes(report, "storages")
    assert "pytorch-legacy-tar" in formats(report)


# -- 2. big members of a streamed tar -------------------------------------------------------------
def test_a_big_savedmodel_in_a_tar_gz_is_recognised_by_structure(
        tmp_path: Path, canary_marker: Path) -> None:
    """Past the in-memory size a member is spooled to a temporary file, then parsed."""
    hostile = [tf_node("marker", "Const", value=str(canary_marker).encode()),
               tf_node("probe", "WriteFile")]
    padding = tf_node("big", "Const", value=b"\1" * (40 * MB))
    pb = saved_model(benign_model() + [padding], {"serve": benign_model() + hostile})
    assert len(pb) > 40 * MB
    path = tmp_path / "model.tar.gz"
    path.write_bytes(gzip.compress(tar_bytes([("model/saved_model.pb", pb)]), 1))
    report = scan_model(path)
    assert "tf-savedmodel" in formats(report)
    assert any(f.rule == "MODEL-TF-DANGEROUS-OP" and f.severity >= Severity.HIGH
               for f in report.findings)


@pytest.mark.parametrize("wrap", ["tar.gz", "gz"])
def test_a_big_zip_behind_junk_in_a_stream_is_found(tmp_path: Path, evil_pickle: bytes,
                                                    wrap: str) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("evil.pkl", evil_pickle)
    polyglot = bytes(40 * MB) + inner.getvalue()
    data = tar_bytes([("weights.bin", polyglot)]) if wrap == "tar.gz" else polyglot
    path = tmp_path / f"model.{wrap}"
    path.write_bytes(gzip.compress(data, 1))
    assert executes(scan_model(path), "evil.pkl")


def test_a_big_pickle_member_streams_and_is_scanned(tmp_path: Path, canary_marker: Path) -> None:
    big = pickle.dumps([bytes(40 * MB), Reduce(os.system, Canary(canary_marker).shell)],
                       protocol=4)
    path = tmp_path / "model.tar.gz"
    path.write_bytes(gzip.compress(tar_bytes([("model.pkl", big)]), 1))
    assert executes(scan_model(path), "model.pkl")


# -- 3. the decompression budget ------------------------------------------------------------------
def test_a_tar_gz_counts_each_decompressed_byte_once(tmp_path: Path, evil_pickle: bytes) -> None:
    """30 MB of content under a 50 MB budget: counted twice it would stop at half-way."""
    path = tmp_path / "model.tar.gz"
    path.write_bytes(gzip.compress(tar_bytes([("weights.bin", bytes(30 * MB)),
                                              ("evil.pkl", evil_pickle)]), 1))
    report = scan_model(path, settings=limit_mb(50))
    assert details(report, INCOMPLETE) == []
    assert executes(report, "evil.pkl")


@pytest.mark.parametrize("member_mb", [20, 300])
def test_a_small_tar_gz_bomb_still_stops_at_the_budget(tmp_path: Path, member_mb: int) -> None:
    path = tmp_path / "bomb.tar.gz"
    path.write_bytes(gzip.compress(tar_bytes([(f"zeros{i}", bytes(member_mb * MB))
                                              for i in range(300 // member_mb)]), 9))
    assert path.stat().st_size < 1 * MB
    report = scan_model(path, settings=limit_mb(100))
    stops = [f for f in report.findings if f.rule == INCOMPLETE]
    assert [f.severity for f in stops] == [Severity.HIGH]
    assert "max_decompressed_mb=100" in stops[0].detail


def test_a_huge_pax_header_in_a_small_tar_gz_stops_before_it_is_read() -> None:
    """tarfile reads an extended header whole: 300 MB declared must not become 300 MB of heap."""
    import tracemalloc
    import zlib

    info = tarfile.TarInfo("././@PaxHeader")
    info.type, info.size = tarfile.XHDTYPE, 300 * MB
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(info.tobuf(tarfile.USTAR_FORMAT))]
    parts += [packer.compress(bytes(MB)) for _ in range(300)] + [packer.flush()]
    data = b"".join(parts)
    assert len(data) < 1 * MB
    tracemalloc.start()
    try:
        report = scan_model(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    stops = [f for f in report.findings if f.rule == INCOMPLETE]
    assert [f.severity for f in stops] == [Severity.HIGH]
    assert "max_header_mb=100" in stops[0].detail
    assert peak < 64 * MB


# -- 4. polyglots, damage, duplicates, encryption -------------------------------------------------
def test_a_tar_whose_first_name_is_a_pickle_is_both(tmp_path: Path, evil_pickle: bytes,
                                                     canary_marker: Path) -> None:
    benign_name = pickle.dumps([1, 2], protocol=2)
    polyglot = tar_named(benign_name, [("evil.pkl", evil_pickle)])
    assert pickle.loads(polyglot) == [1, 2]  # our payload-free head: pickle reads the name
    assert tar_names(polyglot)[1] == "evil.pkl"
    report = scan_model(polyglot)
    assert executes(report, "evil.pkl")  # what tarfile (and torch's tar reader) sees
    assert any("both as a tar archive and as pickle" in d for d in details(report, ANOMALY))

    shell = Canary(canary_marker).shell.encode()
    text_pickle = b"cos\nsystem\n(S'" + shell + b"'\ntR."  # protocol 0: no header
    for data in (tar_named(text_pickle, [("w.pkl", pickle.dumps(3))]),
                 gzip.compress(tar_named(text_pickle, []))):
        report = scan_model(data)
        assert executes(report, None if data[:2] != b"\x1f\x8b" else "<gzip>"), report.findings
        assert any("both as a tar archive" in d for d in details(report, ANOMALY))


def test_a_plain_tar_is_no_polyglot(tmp_path: Path) -> None:
    for names in (["config.json", "cos"], ["(weights)", "model.pkl"], ["S'x'", "a"]):
        report = scan_model(tar_bytes([(n, pickle.dumps(1)) for n in names]))
        assert details(report, ANOMALY) == [], names


def test_members_behind_a_damaged_header_or_end_marker_are_scanned(
        tmp_path: Path, evil_pickle: bytes) -> None:
    raw = bytearray(tar_bytes([("a.pkl", pickle.dumps(1)), ("b.bin", b"x" * 10),
                               ("evil.pkl", evil_pickle)], tarfile.USTAR_FORMAT))
    raw[header_offsets(bytes(raw))[1] + 5] ^= 0x41  # b.bin's header checksum fails
    hidden = tar_bytes([("a.pkl", pickle.dumps(1))], tarfile.USTAR_FORMAT) + \
        tar_bytes([("evil.pkl", evil_pickle)], tarfile.USTAR_FORMAT)  # after the end marker
    for data in (bytes(raw), hidden, gzip.compress(bytes(raw))):
        assert tar_names(data) == ["a.pkl"]
        report = scan_model(data)
        assert executes(report, "evil.pkl")
        assert any("no valid tar header" in d for d in details(report, ANOMALY))


def test_a_repeated_tar_member_name_is_reported_and_every_copy_scanned(
        evil_pickle: bytes) -> None:
    report = scan_model(tar_bytes([("model.pkl", evil_pickle), ("model.pkl", pickle.dumps(1))]))
    assert executes(report, "model.pkl")
    assert any("occur more than once" in d for d in details(report, ANOMALY))


def test_an_encrypted_zip_member_is_reported_as_not_inspected(tmp_path: Path,
                                                              evil_pickle: bytes) -> None:
    path = encrypted_zip(tmp_path / "model.zip", {"model.pkl": evil_pickle})
    with zipfile.ZipFile(path) as archive:  # a genuine ZipCrypto member: the password reads it
        assert archive.read("model.pkl", pwd=b"secret") == evil_pickle
    report = scan_model(path)
    unread = [f for f in report.findings if f.rule == "MODEL-UNSUPPORTED"]
    assert [f.severity for f in unread] == [Severity.MEDIUM]
    assert "'model.pkl' is encrypted" in unread[0].detail
    assert not any("CRC" in d for d in details(report, ANOMALY))  # ciphertext, not damage


def test_an_encrypted_7z_is_reported_as_not_inspected(tmp_path: Path) -> None:
    py7zr = pytest.importorskip("py7zr")
    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w", password="secret") as archive:
        archive.writestr(pickle.dumps(1), "model.pkl")
    report = scan_model(buffer.getvalue())
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("MODEL-UNSUPPORTED", Severity.MEDIUM)]


def _cut(data: bytes) -> bytes:
    return data[:len(data) // 2]


def _corrupt_archives(evil: bytes) -> dict[str, bytes]:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("evil.pkl", evil)
        archive.writestr("noise.bin", random.Random(1).randbytes(5000))
    noise = random.Random(2).randbytes(100_000)
    seven = seven_zip_with_name({"evil.pkl": evil, "noise.bin": noise[:5000]}, {})
    return {
        "cut.zip": _cut(zipped.getvalue()),
        "cut.tar.gz": _cut(gzip.compress(tar_bytes([("evil.pkl", evil), ("n", noise)]))),
        "cut.tar": tar_bytes([("evil.pkl", evil), ("n", noise)])[:3000],
        "cut.7z": seven[:-100],
        "garbage.7z": seven[:32] + noise[:400],
        "garbage.gz": b"\x1f\x8b\x08\x00" + noise[:400],
    }


def test_corrupt_archives_give_one_line_errors_and_the_scan_goes_on(
        tmp_path: Path, evil_pickle: bytes) -> None:
    paths = []
    for name, data in _corrupt_archives(evil_pickle).items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    (tmp_path / "z-next.pkl").write_bytes(evil_pickle)
    report = scan_model([*paths, tmp_path / "z-next.pkl"])
    assert executes(report, None)  # the file after the broken ones was scanned
    for finding in report.findings:
        assert "\n" not in finding.detail and "Traceback" not in finding.detail
    broken = {Path(f.location.file).name for f in report.findings
              if f.rule == "MODEL-MALFORMED"}
    assert broken == set(_corrupt_archives(evil_pickle))
    # where the damage leaves the payload readable, it was found
    found = {Path(f.location.file).name for f in report.findings
             if f.rule == "MODEL-PICKLE-EXEC"}
    assert {"cut.zip", "cut.tar.gz", "cut.tar", "z-next.pkl"} <= found


def test_a_zip_nested_past_the_depth_limit_is_an_incomplete_scan(evil_pickle: bytes) -> None:
    inner = evil_pickle
    for level in range(6):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(f"level{level}.zip" if level else "evil.pkl", inner)
        inner = buffer.getvalue()
    report = scan_model(inner)
    stops = [f for f in report.findings if f.rule == INCOMPLETE]
    assert [f.severity for f in stops] == [Severity.HIGH]
    assert "max_archive_depth=4" in stops[0].detail
