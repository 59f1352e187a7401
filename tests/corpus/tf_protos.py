"""TensorFlow SavedModel files for the corpus and tests, written with the protobuf library.

TensorFlow is not installed, so the messages are declared from the field numbers of
TensorFlow's own .proto files (``saved_model.proto``, ``meta_graph.proto``, ``graph.proto``,
``node_def.proto``, ``function.proto``, ``saved_object_graph.proto``, ``saved_metadata.proto``)
and serialised by the protobuf runtime: the scanner's own wire reader is checked against an
independent writer.
"""

from __future__ import annotations

import base64
import json
from functools import cache
from pathlib import Path
from typing import Any

from .canary import Canary

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


@cache
def PB() -> dict[str, Any]:  # noqa: N802 - reads like the message namespace it is
    """The message classes, declared once (protobuf is imported only when a test needs them)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    field_type = descriptor_pb2.FieldDescriptorProto
    kinds = {"string": field_type.TYPE_STRING, "bytes": field_type.TYPE_BYTES,
             "int64": field_type.TYPE_INT64, "int32": field_type.TYPE_INT32}
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
                                     label=field_type.LABEL_REPEATED if repeated
                                     else field_type.LABEL_OPTIONAL)
            if kind in kinds:
                item.type = kinds[kind]
            else:
                item.type = field_type.TYPE_MESSAGE
                item.type_name = f".tf_subset.{kind}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(
        f"tf_subset.{name}")) for name in MESSAGES if "." not in name}


BENIGN_OPS = ["Placeholder", "VarHandleOp", "ReadVariableOp", "MatMul", "BiasAdd", "Relu",
              "StatefulPartitionedCall", "SaveV2", "RestoreV2", "MergeV2Checkpoints",
              "ShardedFilename", "StringJoin", "Identity", "NoOp", "Const"]


def tf_node(name: str, op: str, **attrs: bytes) -> Any:
    message = PB()["NodeDef"](name=name, op=op)
    for key, value in attrs.items():
        message.attr[key].s = value
    return message


def saved_model(graph_nodes: list[Any], functions: dict[str, list[Any]] | None = None,
                user_metadata: list[dict[str, Any]] = ()) -> bytes:
    graph = PB()["GraphDef"](node=graph_nodes)
    for name, nodes in (functions or {}).items():
        graph.library.function.add(signature=PB()["OpDef"](name=name), node_def=nodes)
    meta = PB()["MetaGraphDef"](
        meta_info_def=PB()["MetaInfoDef"](meta_graph_version="v2.15.0", tags=["serve"],
                                        tensorflow_version="2.15.0"), graph_def=graph)
    for metadata in user_metadata:
        meta.object_graph_def.nodes.add().user_object.CopyFrom(
            PB()["SavedUserObject"](identifier="_tf_keras_layer", metadata=json.dumps(metadata)))
    return PB()["SavedModel"](saved_model_schema_version=1,
                            meta_graphs=[meta]).SerializeToString()


def keras_metadata(layers: list[dict[str, Any]]) -> bytes:
    message = PB()["SavedMetadata"]()
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
    return [tf_node(f"n{i}", op) for i, op in enumerate(BENIGN_OPS)]


def write_saved_model(folder: Path, pb: bytes, metadata: bytes | None = None) -> Path:
    (folder / "variables").mkdir(parents=True)
    (folder / "saved_model.pb").write_bytes(pb)
    (folder / "variables" / "variables.index").write_bytes(b"\x00" * 40)
    (folder / "variables" / "variables.data-00000-of-00001").write_bytes(b"\x01" * 400)
    if metadata is not None:
        (folder / "keras_metadata.pb").write_bytes(metadata)
    return folder




