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
from pathlib import Path

import numpy as np
import pytest
from corpus.canary import Canary, Reduce

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.cli import main
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.settings import Settings
from mlsecops_jupyter.core.severity import Severity

INCOMPLETE = "MODEL-SCAN-INCOMPLETE"


@pytest.fixture
def evil_pickle(canary_marker: Path) -> bytes:
    # pickling records os.system by name only; nothing runs
    return pickle.dumps(Reduce(os.system, Canary(canary_marker).shell), protocol=4)


def incomplete(report: Report) -> list[str]:
    return [f"{f.severity.label}: {f.detail}" for f in report.findings if f.rule == INCOMPLETE]


def nested_zips(payload: bytes, levels: int) -> bytes:
    """``payload`` as ``payload.pkl`` inside ``levels`` zips, each inside the next."""
    import io
    import zipfile

    data, name = payload, "payload.pkl"
    for level in range(levels):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(name, data)
        data, name = buffer.getvalue(), f"level{level}.zip"
    return data


# -- a stopped scan blocks by default -----------------------------------------------------------
def test_a_payload_one_level_past_the_depth_limit_blocks_by_default(
        tmp_path: Path, evil_pickle: bytes, capsys: pytest.CaptureFixture) -> None:
    depth = Settings().modelscan.max_archive_depth
    path = tmp_path / "deep.zip"
    path.write_bytes(nested_zips(evil_pickle, depth + 1))
    report = scan_model(path)
    assert not report.at_or_above(Severity.CRITICAL)  # the payload itself was not reached
    (finding,) = [f for f in report.findings if f.rule == INCOMPLETE]
    assert finding.severity == Severity.HIGH and "max_archive_depth" in finding.detail
    assert report.fails("high")
    assert main(["scan", str(path)]) == 1  # the default --fail-on high
    capsys.readouterr()
    # one level less is within the limit: the payload itself is found
    path.write_bytes(nested_zips(evil_pickle, depth))
    within = scan_model(path)
    assert within.at_or_above(Severity.CRITICAL) and not incomplete(within)


def test_incomplete_severity_is_a_setting(tmp_path: Path, evil_pickle: bytes,
                                          capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "deep.zip"
    path.write_bytes(nested_zips(evil_pickle, 2))
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
