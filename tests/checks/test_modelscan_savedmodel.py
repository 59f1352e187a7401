"""TensorFlow SavedModel and keras_metadata.pb, written with the protobuf library itself.

TensorFlow is not installed here, so the messages are declared from the field numbers of
TensorFlow's own .proto files (``saved_model.proto``, ``meta_graph.proto``, ``graph.proto``,
``node_def.proto``, ``function.proto``, ``saved_object_graph.proto``, ``saved_metadata.proto``)
and serialised by the protobuf runtime, so the scanner's own wire reader is checked against an
independent writer. Hostile graphs use a canary: a ``WriteFile`` whose target is the marker.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import pytest
from corpus.canary import Canary
from corpus.tf_protos import (
    DENSE,
    benign_model,
    keras_metadata,
    lambda_layer,
    saved_model,
    tf_node,
    write_saved_model,
)

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.severity import Severity

pytest.importorskip("google.protobuf")

def by_rule(report: Report, rule: str) -> list[tuple[Severity, str]]:
    return sorted((f.severity, str(f.evidence.get("op", ""))) for f in report.findings
                  if f.rule == rule)


def loud(report: Report) -> list[tuple[str, str]]:
    return [(f.rule, f.detail) for f in report.findings if f.severity >= Severity.HIGH]


def test_benign_saved_model_directory_is_quiet_and_recognised(tmp_path: Path) -> None:
    folder = write_saved_model(tmp_path / "model", saved_model(
        benign_model(), {"__inference_call_42": benign_model()}), keras_metadata([DENSE, DENSE]))
    report = scan_model(folder, recursive=True)
    assert loud(report) == [] and report.findings == []
    kinds = {entry["format"] for entry in report.metrics["files"]}
    assert {"tf-savedmodel", "keras-metadata"} <= kinds


@pytest.mark.parametrize("where", ["graph", "function"])
@pytest.mark.parametrize("op", ["WriteFile", "ReadFile", "PyFunc", "EagerPyFunc"])
def test_dangerous_ops_in_the_graph_or_a_function(tmp_path: Path, canary_marker: Path,
                                                  where: str, op: str) -> None:
    hostile = [tf_node("path", "Const", value=str(canary_marker).encode()),
               tf_node("probe", op, token=b"pyfunc_0")]
    nodes = benign_model() + hostile if where == "graph" else benign_model()
    functions = {"__inference_serve_7": benign_model() + hostile} if where == "function" else {}
    folder = write_saved_model(tmp_path / "model", saved_model(nodes, functions))
    report = scan_model(folder / "saved_model.pb")
    assert by_rule(report, "MODEL-TF-DANGEROUS-OP") == [(Severity.HIGH, op)]


def test_lambda_in_keras_metadata(tmp_path: Path, canary_marker: Path) -> None:
    path = tmp_path / "keras_metadata.pb"
    path.write_bytes(keras_metadata([DENSE, lambda_layer(Canary(canary_marker))]))
    report = scan_model(path)
    assert [f.severity for f in report.findings if f.rule == "MODEL-KERAS-LAMBDA"] == [
        Severity.HIGH]


def test_lambda_in_the_object_graph_user_metadata(tmp_path: Path, canary_marker: Path) -> None:
    path = tmp_path / "saved_model.pb"
    path.write_bytes(saved_model(benign_model(), user_metadata=[
        DENSE, lambda_layer(Canary(canary_marker))]))
    report = scan_model(path)
    assert any(f.rule == "MODEL-KERAS-LAMBDA" for f in report.findings)


def test_saved_model_inside_a_tar_gz(tmp_path: Path, canary_marker: Path) -> None:
    folder = write_saved_model(tmp_path / "model", saved_model(
        benign_model() + [tf_node("probe", "WriteFile", value=str(canary_marker).encode())]))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        archive.add(folder, arcname=".")
    path = tmp_path / "model.tar.gz"
    path.write_bytes(gzip.compress(buffer.getvalue()))
    report = scan_model(path)
    assert by_rule(report, "MODEL-TF-DANGEROUS-OP") == [(Severity.HIGH, "WriteFile")]


def test_truncated_saved_model_is_malformed_not_silent(tmp_path: Path) -> None:
    data = saved_model([tf_node("probe", "ReadFile")] + benign_model())
    path = tmp_path / "saved_model.pb"
    path.write_bytes(data[:-3])
    report = scan_model(path)
    assert by_rule(report, "MODEL-TF-DANGEROUS-OP") == [(Severity.HIGH, "ReadFile")]
    assert any(f.rule == "MODEL-MALFORMED" for f in report.findings)
