"""Torch's legacy tar checkpoints, and bytes a pickle hands to a loader, scanned where they run.

The tar files are written in the layout ``torch.load`` reads (``corpus/torch_tar.py``); the
benign one loads back with torch in ``test_a_benign_legacy_tar_loads_with_torch``, which only
ever loads a file we built without a payload. Hostile files carry the canary payload of the
session marker, which the autouse guard in conftest checks is never created.
"""

from __future__ import annotations

import io
import pickle
import struct
import tarfile
from pathlib import Path

import pytest
import torch
from corpus import torch_tar
from corpus.canary import Canary
from corpus.payloads import inner_payload

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.checks.modelscan.torch_legacy_tar import small_int
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.severity import Severity

EXEC = "MODEL-PICKLE-EXEC"


def entry(report: Report, fmt: str) -> dict[str, object]:
    return next(e for e in report.metrics["files"] if e["format"] == fmt)


def exec_members(report: Report) -> set[str | None]:
    return {f.location.member for f in report.findings
            if f.rule == EXEC and f.severity is Severity.CRITICAL}


def test_a_benign_legacy_tar_loads_with_torch_and_scans_clean(tmp_path: Path) -> None:
    path = tmp_path / "old.pth"
    torch_tar.write_benign(path)
    loaded = torch.load(path, weights_only=False)  # our own payload-free file
    assert loaded["weight"].tolist() == [1.0, 2.0, 3.0]
    report = scan_model(path)
    assert report.findings == []
    facts = entry(report, "pytorch-legacy-tar")
    # storages: count, one entry, views; tensors: count, one entry; the object
    assert facts["pickles"] == 6 and facts["members"] == 4
    assert facts["storage_bytes"] == 8 + 12 + 8 + 16 + 8
    assert "torch.FloatStorage" in facts["globals"]  # type: ignore[operator]


@pytest.mark.parametrize(("write", "member"), [
    (torch_tar.write_object_payload, "pickle"),
    (torch_tar.write_storage_payload, "storages"),
    (torch_tar.write_tensor_payload, "tensors"),
])
def test_a_payload_in_any_pickle_torch_load_reads_is_found(
        write: object, member: str, tmp_path: Path, canary_marker: Path) -> None:
    path = tmp_path / "model.tar"
    write(path, Canary(canary_marker))  # type: ignore[operator]
    report = scan_model(path)
    assert member in exec_members(report)


def test_the_storage_payload_sits_behind_raw_bytes(tmp_path: Path, canary_marker: Path) -> None:
    """Read as one pickle stream, the storages member stops at the first raw storage."""
    path = tmp_path / "model.tar"
    torch_tar.write_storage_payload(path, Canary(canary_marker))
    with tarfile.open(path) as archive:
        member = archive.extractfile("storages")
        assert member is not None
        storages = member.read()
    as_stream = scan_model(storages)
    assert not any(f.rule == EXEC for f in as_stream.findings)
    assert "storages" in exec_members(scan_model(path))


def test_a_storage_larger_than_its_member_is_malformed(tmp_path: Path) -> None:
    storages = (pickle.dumps(1, protocol=2) + pickle.dumps((0, "cpu", torch.FloatStorage), 2)
                + struct.pack("<q", 1 << 40))
    path = tmp_path / "bad.tar"
    members = dict(torch_tar._members())
    members["storages"] = storages
    torch_tar._write(path, list(members.items()))
    report = scan_model(path)
    assert any(f.rule == "MODEL-MALFORMED" and f.location.member == "storages"
               for f in report.findings)


def test_a_storage_of_no_known_type_makes_the_scan_incomplete(tmp_path: Path) -> None:
    storages = (pickle.dumps(2, protocol=2) + pickle.dumps((0, "cpu", "float"), 2)
                + struct.pack("<q", 0))
    path = tmp_path / "odd.tar"
    members = dict(torch_tar._members())
    members["storages"] = storages
    torch_tar._write(path, list(members.items()))
    report = scan_model(path)
    assert any(f.rule == "MODEL-SCAN-INCOMPLETE" and f.severity >= Severity.HIGH
               for f in report.findings)


def test_a_tar_without_the_legacy_members_is_not_read_as_torch(tmp_path: Path) -> None:
    path = tmp_path / "other.tar"
    with tarfile.open(path, "w") as archive:
        info = tarfile.TarInfo("pickle")
        data = pickle.dumps([1, 2], protocol=2)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    formats = {e["format"] for e in scan_model(path).metrics.get("files", [])}
    assert "pytorch-legacy-tar" not in formats


@pytest.mark.parametrize(("data", "value"), [
    (pickle.dumps(5, protocol=2), 5), (pickle.dumps(300, protocol=2), 300),
    (pickle.dumps(70000, protocol=2), 70000), (pickle.dumps(-3, protocol=2), -3),
    (pickle.dumps(1 << 40, protocol=2), 1 << 40), (pickle.dumps(7, protocol=0), 7),
    (pickle.dumps(9, protocol=4), 9), (pickle.dumps([1], protocol=2), None),
    (b"\x80\x02K\x01K\x02.", None),
])
def test_small_int(data: bytes, value: int | None) -> None:
    assert small_int(data) == value


# -- bytes handed to a loader inside a pickle ----------------------------------------------------
def test_a_pickled_tensor_has_its_embedded_checkpoint_scanned() -> None:
    for protocol in (2, 4, 5):
        report = scan_model(pickle.dumps(torch.arange(300.0), protocol=protocol))
        assert not report.at_or_above(Severity.HIGH), protocol
        nested = [e for e in report.metrics["files"]
                  if "_load_from_bytes" in str(e.get("member", ""))]
        assert nested and nested[0]["format"] in ("pytorch-zip", "pytorch-legacy"), protocol


@pytest.mark.parametrize("loader", [
    ("torch.storage", "_load_from_bytes"), ("pickle", "loads"), ("torch", "load"),
])
def test_a_payload_in_embedded_bytes_is_critical_in_its_own_member(
        loader: tuple[str, str], canary_marker: Path) -> None:
    from corpus.assembler import Call, Global, assemble

    inner: object = inner_payload(Canary(canary_marker))
    if loader == ("torch", "load"):
        inner = Call(Global("io", "BytesIO"), (inner,))
    data = assemble(Call(Global(*loader), (inner,)), 3)
    members = exec_members(scan_model(data))
    assert any(m and m.startswith(".".join(loader)) for m in members), members
