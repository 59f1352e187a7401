"""A limit is never a pass: a scan that stops early blocks, and real models never reach a limit.

Files built to hit a limit (many members, many inert opcodes, deep nesting) load and run their
payload in the real loaders, so a stopped scan must fail the default ``--fail-on high`` run.
Every hostile file here carries the harmless canary payload (it would only create the marker);
the session guard in conftest asserts the marker never appears.
"""

from __future__ import annotations

import json
import os
import pickle
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from corpus.canary import Canary, Reduce
from corpus.limits import nested_zips, payload_body, write_many_members, write_padded_pickle

from mlsecops_jupyter.checks.modelscan import pickle_inert, scan_model, zipscan
from mlsecops_jupyter.cli import main
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.settings import Settings
from mlsecops_jupyter.core.severity import Severity

INCOMPLETE = "MODEL-SCAN-INCOMPLETE"
EXEC = "MODEL-PICKLE-EXEC"


@pytest.fixture
def evil_pickle(canary_marker: Path) -> bytes:
    # pickling records os.system by name only; nothing runs
    return pickle.dumps(Reduce(os.system, Canary(canary_marker).shell), protocol=4)


@pytest.fixture
def canary(canary_marker: Path) -> Canary:
    return Canary(canary_marker)


def incomplete(report: Report) -> list[str]:
    return [f"{f.severity.label}: {f.detail}" for f in report.findings if f.rule == INCOMPLETE]


def blocks_by_default(path: Path, capsys: pytest.CaptureFixture) -> None:
    """``mlsec scan PATH`` with the default ``--fail-on high`` exits 1."""
    assert main(["scan", str(path)]) == 1
    capsys.readouterr()


# -- a stopped scan blocks by default -----------------------------------------------------------
def test_a_payload_one_level_past_the_depth_limit_blocks_by_default(
        tmp_path: Path, canary: Canary, capsys: pytest.CaptureFixture) -> None:
    depth = Settings().modelscan.max_archive_depth
    path = tmp_path / "deep.zip"
    path.write_bytes(nested_zips(canary, depth + 1))
    report = scan_model(path)
    assert not report.at_or_above(Severity.CRITICAL)  # the payload itself was not reached
    (finding,) = [f for f in report.findings if f.rule == INCOMPLETE]
    assert finding.severity == Severity.HIGH and "max_archive_depth" in finding.detail
    assert report.fails("high")
    blocks_by_default(path, capsys)
    # one level less is within the limit: the payload itself is found
    path.write_bytes(nested_zips(canary, depth))
    within = scan_model(path)
    assert within.at_or_above(Severity.CRITICAL) and not incomplete(within)


def test_incomplete_severity_is_a_setting(tmp_path: Path, canary: Canary,
                                          capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "deep.zip"
    path.write_bytes(nested_zips(canary, 2))
    shallow = {"modelscan.max_archive_depth": 1}
    lowered = Settings().override({**shallow, "modelscan.incomplete_severity": "medium"})
    report = scan_model(path, settings=lowered)
    assert [f.severity for f in report.findings if f.rule == INCOMPLETE] == [Severity.MEDIUM]
    assert not report.fails("high")
    depth = "modelscan.max_archive_depth=1"
    assert main(["scan", str(path), "--set", depth]) == 1
    assert main(["scan", str(path), "--set", depth,
                 "--set", "modelscan.incomplete_severity=medium"]) == 0
    capsys.readouterr()


# -- files built to hit a limit: the payload is found, or the stop blocks -----------------------
@pytest.mark.parametrize("storages", [False, True], ids=["extra-members", "storage-members"])
def test_torch_zip_with_100000_empty_members_before_data_pkl(
        tmp_path: Path, canary: Canary, storages: bool, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "model.pt"
    write_many_members(path, canary, 100_000, storages=storages)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert len(names) == 100_003 and names.index("archive/data.pkl") == 100_000
    started = time.process_time()
    report = scan_model(path)
    assert time.process_time() - started < 30
    assert [f.rule for f in report.at_or_above(Severity.HIGH)] == [EXEC], incomplete(report)
    blocks_by_default(path, capsys)


@pytest.mark.slow
def test_torch_zip_with_more_members_than_the_limit_blocks(
        tmp_path: Path, canary: Canary, capsys: pytest.CaptureFixture) -> None:
    members = Settings().modelscan.max_members
    path = tmp_path / "model.pt"
    write_many_members(path, canary, members + 1, storages=True)
    report = scan_model(path)
    (finding,) = [f for f in report.findings if f.rule == INCOMPLETE]
    assert finding.severity == Severity.HIGH and "max_members" in finding.detail
    blocks_by_default(path, capsys)


PADDING_OPCODES = 600_000_000  # past the old opcode budget (500 M), as the published files were


@pytest.mark.slow
@pytest.mark.parametrize("codec", ["raw", "gzip", "zip"])
def test_hundreds_of_millions_of_no_op_opcodes_before_the_payload(
        tmp_path: Path, canary: Canary, codec: str, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / f"padded.{codec}"
    write_padded_pickle(path, payload_body(canary), PADDING_OPCODES, codec)
    started = time.process_time()
    report = scan_model(path)
    elapsed = time.process_time() - started
    assert [f.rule for f in report.at_or_above(Severity.HIGH)] == [EXEC], incomplete(report)
    (pickled,) = [e for e in report.metrics["files"] if e["format"] == "pickle"]
    assert pickled["opcodes"] == 1 + PADDING_OPCODES + 6  # PROTO, padding, the payload
    # the unpickler runs this padding in ~3 s of CPU; decompressing it is most of our time
    assert elapsed < (2.0 if codec == "raw" else 10.0), f"{elapsed:.2f} s"
    path.unlink()  # 600 MB raw


def test_padding_the_fast_path_does_not_skip_stops_at_the_budget_and_blocks(
        tmp_path: Path, canary: Canary, capsys: pytest.CaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "padded.pkl.gz"
    write_padded_pickle(path, payload_body(canary), 4_000_000, "gzip")
    monkeypatch.setattr(pickle_inert.InertRuns, "enabled", False)
    settings = Settings().override({"modelscan.max_opcodes": 1_000_000})
    report = scan_model(path, settings=settings)
    assert not report.at_or_above(Severity.CRITICAL)  # stopped before the payload
    (finding,) = [f for f in report.findings if f.rule == INCOMPLETE]
    assert finding.severity == Severity.HIGH and "max_opcodes" in finding.detail
    assert main(["scan", str(path), "--set", "modelscan.max_opcodes=1000000"]) == 1
    capsys.readouterr()


def test_a_payload_past_the_decompressed_size_limit_blocks(
        tmp_path: Path, canary: Canary, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "padded.pkl.gz"
    # 24 MB of padding inflated before the payload, past a 16 MB limit
    write_padded_pickle(path, payload_body(canary), 24 << 20, "gzip")
    small = Settings().override({"modelscan.max_decompressed_mb": 16})
    report = scan_model(path, settings=small)
    assert not report.at_or_above(Severity.CRITICAL)
    (finding,) = [f for f in report.findings if f.rule == INCOMPLETE]
    assert finding.severity == Severity.HIGH and "max_decompressed_mb" in finding.detail
    assert main(["scan", str(path), "--set", "modelscan.max_decompressed_mb=16"]) == 1
    capsys.readouterr()


# -- xz/lzma streams declare their decoder's memory: a huge dictionary is a limit -------------
def _huge_dictionary(kind: str, payload: bytes) -> bytes:
    """A valid stream of ``payload`` whose header declares a dictionary of 1 GB or more."""
    import io
    import lzma
    import zlib

    if kind == "lzma":
        data = bytearray(lzma.compress(payload, format=lzma.FORMAT_ALONE))
        data[1:5] = (1 << 30).to_bytes(4, "little")
        return bytes(data)
    if kind == "xz":
        data = bytearray(lzma.compress(payload, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32))
        size = (data[12] + 1) * 4  # the block header follows the 12-byte stream header
        block = data[12:12 + size]
        at = block.index(b"\x21\x01") + 2  # LZMA2 filter id, one byte of properties
        block[at] = 40  # dictionary: 4 GB - 1
        block[-4:] = zlib.crc32(bytes(block[:-4])).to_bytes(4, "little")
        data[12:12 + size] = block
        return bytes(data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_LZMA) as archive:
        archive.writestr("model.pkl", payload)
    data = bytearray(buffer.getvalue())
    start = 30 + len("model.pkl")  # the member's data: version, properties size, properties
    assert data[start + 4] == 0x5D
    data[start + 5:start + 9] = (1 << 30).to_bytes(4, "little")
    return bytes(data)


@pytest.mark.parametrize("kind", ["lzma", "xz", "zip"])
def test_a_stream_declaring_a_huge_dictionary_stops_instead_of_allocating_it(
        tmp_path: Path, canary: Canary, kind: str) -> None:
    import tracemalloc

    path = tmp_path / f"model.{kind}"
    path.write_bytes(_huge_dictionary(kind, b"\x80\x02" + payload_body(canary)))
    tracemalloc.start()
    try:
        report = scan_model(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20, f"{peak >> 20} MB"
    (finding,) = [f for f in report.findings if f.rule == INCOMPLETE]
    assert finding.severity == Severity.HIGH and "MB" in finding.detail
    assert report.fails("high")


@pytest.mark.parametrize("method", ["xz", "lzma"])
def test_joblib_at_the_strongest_lzma_preset_is_complete(tmp_path: Path, method: str) -> None:
    import joblib

    path = tmp_path / f"model.{method}"
    joblib.dump({"weights": np.arange(100_000)}, path, compress=(method, 9))
    report = scan_model(path)
    assert report.findings == [], incomplete(report)


# -- checking CRCs never stops a scan ------------------------------------------------------------
def test_crc_checks_do_not_count_against_the_decompressed_size_limit(tmp_path: Path) -> None:
    """np.savez_compressed of 8 MB arrays: headers are scanned, CRCs checked outside the budget."""
    path = tmp_path / "layers.npz"
    rng = np.random.default_rng(0)
    np.savez_compressed(path, **{f"layer{i}": rng.normal(size=(1024, 1024)) for i in range(4)})
    small = Settings().override({"modelscan.max_decompressed_mb": 1})
    report = scan_model(path, settings=small)
    assert report.findings == [], incomplete(report)
    # a flipped CRC is still caught (the check itself ran)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("layer2.npy")
    flips = 0
    for signature, field in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        position = bytes(data).find(signature)
        while position >= 0:
            if int.from_bytes(data[position + field:position + field + 4], "little") == info.CRC:
                data[position + field] ^= 0xFF
                flips += 1
            position = bytes(data).find(signature, position + 4)
    assert flips == 2  # the local header and the central directory
    flipped = tmp_path / "flipped.npz"
    flipped.write_bytes(bytes(data))
    anomalies = [f for f in scan_model(flipped, settings=small).findings
                 if f.rule == "MODEL-ARCHIVE-ANOMALY"]
    assert anomalies and anomalies[0].evidence["anomaly"] == "crc-mismatch"


def test_crc_checks_beyond_their_budget_are_listed_as_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "arrays.npz"
    np.savez(path, **{f"a{i}": np.zeros(1 << 17) for i in range(8)})  # 1 MB each
    monkeypatch.setattr(zipscan, "CRC_VERIFY_TOTAL", 3 << 20)
    report = scan_model(path)
    assert report.findings == []
    (skipped,) = [s for s in report.skipped if "CRC-32" in s.what]
    assert "CRC-32 of 6 member(s)" in skipped.what  # 2 of 1 MB fit in 3 MB


# -- Keras: configs the scanner stops short of are reported ------------------------------------
def _lambda_layer(name: str) -> dict[str, object]:
    return {"class_name": "Lambda", "config": {"name": name, "function": ["4wEAAA==", None, None],
                                               "function_type": "lambda"}}


def _legacy_h5(path: Path, config: object, *extra_attributes: str) -> Path:
    import h5py

    with h5py.File(path, "w") as handle:
        handle.attrs["model_config"] = json.dumps(config)
        for index, text in enumerate(extra_attributes):
            handle.attrs[f"decoy_{index}"] = text
        handle.create_dataset("model_weights/d/kernel", data=np.zeros((2, 2)))
    return path


def test_keras_config_nested_past_the_walk_depth_is_incomplete(tmp_path: Path) -> None:
    node: object = _lambda_layer("deep")
    for _ in range(250):
        node = {"class_name": "Wrapper", "config": {"name": "w", "layer": node}}
    report = scan_model(_legacy_h5(tmp_path / "deep.h5", node))
    assert [f.severity for f in report.findings if f.rule == INCOMPLETE] == [Severity.HIGH]
    assert report.fails("high")


def test_keras_h5_with_more_configs_than_examined_is_incomplete(tmp_path: Path) -> None:
    decoys = [json.dumps({"class_name": "Dense", "config": {"name": f"d{i}"}})
              for i in range(70)]
    report = scan_model(_legacy_h5(tmp_path / "many.h5", {"class_name": "Sequential"}, *decoys))
    assert incomplete(report) and report.fails("high")


def test_keras_h5_real_model_with_many_layers_is_complete(tmp_path: Path) -> None:
    """300 nested layer configs inside one model_config are one config, not 300."""
    layers = [{"class_name": "Dense", "config": {"name": f"dense_{i}", "units": 4}}
              for i in range(300)]
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": layers}}
    training = {"loss": "mse", "optimizer_config": {"class_name": "Adam", "config": {}}}
    path = _legacy_h5(tmp_path / "wide.h5", config, json.dumps(training))
    report = scan_model(path)
    assert report.findings == [], incomplete(report)
    assert report.metrics["files"][0]["layers"] == 302  # the optimizer config was read too


# -- long scans report their progress -----------------------------------------------------------
class RecordingSink:
    """A progress sink that keeps every event (the front ends install a bar or status line)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, int | None, int | None]] = []

    def started(self, label: str, total: int | None) -> None:
        self.events.append(("started", label, None, total))

    def advanced(self, label: str, done: int, total: int | None, note: str) -> None:
        self.events.append(("advanced", label, done, total))

    def finished(self, label: str, elapsed_s: float) -> None:
        self.events.append(("finished", label, None, None))


def test_long_scans_report_progress(tmp_path: Path, evil_pickle: bytes) -> None:
    import zipfile

    from mlsecops_jupyter.core.progress import using_sink

    padded = tmp_path / "long.pkl"  # 15 MB of opcodes, then the payload
    padded.write_bytes(pickle.dumps([float(i) for i in range(1_500_000)], protocol=4)
                       + evil_pickle)
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for index in range(2000):
            handle.writestr(f"member{index}.txt", b"")
        handle.writestr("payload.pkl", evil_pickle)
    sink = RecordingSink()
    with using_sink(sink):
        assert scan_model(padded).at_or_above(Severity.CRITICAL)
        assert scan_model(archive).at_or_above(Severity.CRITICAL)
    pickle_label = f"modelscan: pickle opcodes of {padded}"
    done = [e[2] for e in sink.events if e[0] == "advanced" and e[1] == pickle_label]
    assert len(done) >= 10 and done == sorted(done) and done[-1] > 10_000_000
    assert ("started", pickle_label, None, padded.stat().st_size) in sink.events
    members_label = f"modelscan: members of {archive}"
    members = [e[2] for e in sink.events if e[0] == "advanced" and e[1] == members_label]
    assert members == list(range(1, 2002))
    started = [e[1] for e in sink.events if e[0] == "started"]
    finished = [e[1] for e in sink.events if e[0] == "finished"]
    assert sorted(started) == sorted(finished)
