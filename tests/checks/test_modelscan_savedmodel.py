"""TensorFlow SavedModel and keras_metadata.pb, written with the protobuf library itself.

TensorFlow is not installed here, so the messages are declared from the field numbers of
TensorFlow's own .proto files (``saved_model.proto``, ``meta_graph.proto``, ``graph.proto``,
``node_def.proto``, ``function.proto``, ``saved_object_graph.proto``, ``saved_metadata.proto``)
and serialised by the protobuf runtime, so the scanner's own wire reader is checked against an
independent writer. Hostile graphs use a canary: a ``WriteFile`` whose target is the marker.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from corpus.canary import Canary

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.severity import Severity

descriptor_pb2 = pytest.importorskip("google.protobuf.descriptor_pb2")
from google.protobuf import descriptor_pool, message_factory  # noqa: E402

OPTIONAL = descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL
REPEATED = descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
KIND = {"string": descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
        "bytes": descriptor_pb2.FieldDescriptorProto.TYPE_BYTES,
        "int64": descriptor_pb2.FieldDescriptorProto.TYPE_INT64,
        "int32": descriptor_pb2.FieldDescriptorProto.TYPE_INT32}

# message -> [(field name, number, type or message name, repeated)], from TensorFlow's protos
MESSAGES: dict[str, list[tuple[str, int, str, bool]]] = {
    "SavedModel": [("saved_model_schema_version", 1, "int64", False),
                   ("meta_graphs", 2, "MetaGraphDef", True)],
    "MetaGraphDef": [("meta_info_def", 1, "MetaInfoDef", False),
                     ("graph_def", 2, "GraphDef", False),
                     ("object_graph_def", 7, "SavedObjectGraph", False)],
    "MetaInfoDef": [("meta_graph_version", 1, "string", False), ("tags", 4, "string", True),
                    ("tensorflow_version", 5, "string", False)],
    "GraphDef": [("node", 1, "NodeDef", True), ("library", 2, "FunctionDefLibrary", False)],
    "NodeDef": [("name", 1, "string", False), ("op", 2, "string", False),
                ("input", 3, "string", True), ("device", 4, "string", False),
                ("attr", 5, "NodeDef.AttrEntry", True)],
    "NodeDef.AttrEntry": [("key", 1, "string", False), ("value", 2, "AttrValue", False)],
    "AttrValue": [("s", 2, "bytes", False)],
    "FunctionDefLibrary": [("function", 1, "FunctionDef", True)],
    "FunctionDef": [("signature", 1, "OpDef", False), ("node_def", 3, "NodeDef", True)],
    "OpDef": [("name", 1, "string", False)],
    "SavedObjectGraph": [("nodes", 1, "SavedObject", True)],
    "SavedObject": [("user_object", 4, "SavedUserObject", False)],
    "SavedUserObject": [("identifier", 1, "string", False), ("metadata", 3, "string", False)],
    "SavedMetadata": [("nodes", 1, "KerasSavedObject", True)],
    "KerasSavedObject": [("node_id", 2, "int32", False), ("node_path", 3, "string", False),
                         ("identifier", 4, "string", False), ("metadata", 5, "string", False)],
}


def _classes() -> dict[str, Any]:
    proto = descriptor_pb2.FileDescriptorProto(name="tf_subset.proto", package="tf_subset",
                                               syntax="proto3")
    declared: dict[str, Any] = {}
    for name, spec in MESSAGES.items():
        if "." in name:
            outer, inner = name.split(".")
            message = declared[outer].nested_type.add(name=inner)
            message.options.map_entry = True
        else:
            message = proto.message_type.add(name=name)
        declared[name] = message
        for field_name, number, kind, repeated in spec:
            item = message.field.add(name=field_name, number=number,
                                     label=REPEATED if repeated else OPTIONAL)
            if kind in KIND:
                item.type = KIND[kind]
            else:
                item.type = descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE
                item.type_name = f".tf_subset.{kind}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(
        f"tf_subset.{name}")) for name in MESSAGES if "." not in name}


PB = _classes()
BENIGN_OPS = ["Placeholder", "VarHandleOp", "ReadVariableOp", "MatMul", "BiasAdd", "Relu",
              "StatefulPartitionedCall", "SaveV2", "RestoreV2", "MergeV2Checkpoints",
              "ShardedFilename", "StringJoin", "Identity", "NoOp", "Const"]


def node(name: str, op: str, **attrs: bytes) -> Any:
    message = PB["NodeDef"](name=name, op=op)
    for key, value in attrs.items():
        message.attr[key].s = value
    return message


def saved_model(graph_nodes: list[Any], functions: dict[str, list[Any]] | None = None,
                user_metadata: list[dict[str, Any]] = ()) -> bytes:
    graph = PB["GraphDef"](node=graph_nodes)
    for name, nodes in (functions or {}).items():
        graph.library.function.add(signature=PB["OpDef"](name=name), node_def=nodes)
    meta = PB["MetaGraphDef"](
        meta_info_def=PB["MetaInfoDef"](meta_graph_version="v2.15.0", tags=["serve"],
                                        tensorflow_version="2.15.0"), graph_def=graph)
    for metadata in user_metadata:
        meta.object_graph_def.nodes.add().user_object.CopyFrom(
            PB["SavedUserObject"](identifier="_tf_keras_layer", metadata=json.dumps(metadata)))
    return PB["SavedModel"](saved_model_schema_version=1,
                            meta_graphs=[meta]).SerializeToString()


def keras_metadata(layers: list[dict[str, Any]]) -> bytes:
    message = PB["SavedMetadata"]()
    for index, layer in enumerate(layers):
        message.nodes.add(node_id=index, node_path=f"root.layer-{index}",
                          identifier="_tf_keras_layer" if index else "_tf_keras_sequential",
                          metadata=json.dumps(layer))
    return message.SerializeToString()


DENSE = {"class_name": "Dense", "config": {"name": "dense", "units": 2}}


def lambda_layer(canary: Canary) -> dict[str, Any]:
    code = base64.b64encode(canary.code_object_bytes).decode()
    return {"class_name": "Lambda", "config": {"name": "lambda", "function": [code, None, None],
                                               "function_type": "lambda"}}


def benign_model() -> list[Any]:
    return [node(f"n{i}", op) for i, op in enumerate(BENIGN_OPS)]


def write_saved_model(folder: Path, pb: bytes, metadata: bytes | None = None) -> Path:
    (folder / "variables").mkdir(parents=True)
    (folder / "saved_model.pb").write_bytes(pb)
    (folder / "variables" / "variables.index").write_bytes(b"\x00" * 40)
    (folder / "variables" / "variables.data-00000-of-00001").write_bytes(b"\x01" * 400)
    if metadata is not None:
        (folder / "keras_metadata.pb").write_bytes(metadata)
    return folder


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
    hostile = [node("path", "Const", value=str(canary_marker).encode()),
               node("probe", op, token=b"pyfunc_0")]
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
        benign_model() + [node("probe", "WriteFile", value=str(canary_marker).encode())]))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        archive.add(folder, arcname=".")
    path = tmp_path / "model.tar.gz"
    path.write_bytes(gzip.compress(buffer.getvalue()))
    report = scan_model(path)
    assert by_rule(report, "MODEL-TF-DANGEROUS-OP") == [(Severity.HIGH, "WriteFile")]


def test_truncated_saved_model_is_malformed_not_silent(tmp_path: Path) -> None:
    data = saved_model([node("probe", "ReadFile")] + benign_model())
    path = tmp_path / "saved_model.pb"
    path.write_bytes(data[:-3])
    report = scan_model(path)
    assert by_rule(report, "MODEL-TF-DANGEROUS-OP") == [(Severity.HIGH, "ReadFile")]
    assert any(f.rule == "MODEL-MALFORMED" for f in report.findings)
