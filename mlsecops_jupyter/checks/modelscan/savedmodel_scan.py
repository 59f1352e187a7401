"""TensorFlow SavedModel (``saved_model.pb``) and Keras ``keras_metadata.pb``, without TensorFlow.

A SavedModel's graph runs when the model is served or called: ``ReadFile``/``WriteFile`` read
and write any file of the machine, ``PyFunc``/``EagerPyFunc`` call back into Python. Those ops
are found in the graph's nodes and in every function of its library, with the same minimal
protobuf wire reader as ONNX (no TensorFlow, no protobuf classes). Keras models saved by
TensorFlow 2 keep each layer's config as JSON in ``keras_metadata.pb`` (and, in older files, in
the object graph's user objects): those configs are walked like a ``.keras`` config, so Lambda
layers and outside imports are reported the same way.

Field numbers follow ``tensorflow/core/protobuf/{saved_model,meta_graph,saved_object_graph}.proto``
and ``tensorflow/core/framework/{graph,node_def,function}.proto``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ...core.severity import Severity
from .context import ScanContext
from .keras_scan import ConfigFindings, report_config, walk_config
from .onnx_scan import FIXED32, FIXED64, LENGTH, VARINT, WireError, _varint, fields
from .source import MemorySource, Source

# op type -> severity: what the op does when the graph runs (rules are data)
DANGEROUS_OPS: dict[str, tuple[Severity, str]] = {
    "ReadFile": (Severity.HIGH, "reads any file of the machine"),
    "WriteFile": (Severity.HIGH, "writes any file of the machine"),
    "PyFunc": (Severity.HIGH, "calls a Python function of the loading process"),
    "PyFuncStateless": (Severity.HIGH, "calls a Python function of the loading process"),
    "EagerPyFunc": (Severity.HIGH, "calls a Python function of the loading process"),
    "MatchingFiles": (Severity.MEDIUM, "lists files of the machine"),
    "ImmutableConst": (Severity.MEDIUM, "maps a file of the machine into memory"),
}

SAVED_MODEL_FIELDS = {1: VARINT, 2: LENGTH}
SAVED_MODEL_META_GRAPHS = 2
META_GRAPH_DEF = 2
META_OBJECT_GRAPH = 7
META_FIELDS = {1, 2, 3, 4, 5, 6, 7}
GRAPH_NODE, GRAPH_LIBRARY = 1, 2
LIBRARY_FUNCTION = 1
FUNCTION_SIGNATURE, FUNCTION_NODE = 1, 3
OPDEF_NAME = 1
NODE_NAME, NODE_OP = 1, 2
OBJECT_GRAPH_NODES = 1
OBJECT_USER_OBJECT = 4
USER_OBJECT_IDENTIFIER, USER_OBJECT_METADATA = 1, 3
KERAS_METADATA_NODES = 1
KERAS_NODE_PATH, KERAS_NODE_IDENTIFIER, KERAS_NODE_METADATA = 3, 4, 5
KERAS_IDENTIFIER_PREFIX = b"_tf_keras"
MAX_LISTED = 20


@dataclass
class _Graph:
    data: Any
    ops: dict[str, list[str]] = field(default_factory=dict)  # op -> where (node names)
    nodes: int = 0
    functions: int = 0
    keras: ConfigFindings = field(default_factory=ConfigFindings)
    keras_configs: int = 0
    bad_metadata: int = 0

    def text(self, span: tuple[int, int]) -> str:
        return bytes(self.data[span[0]:span[1]]).decode("utf-8", "replace")


def structure_format(source: MemorySource) -> str | None:
    """``tf-savedmodel``, ``keras-metadata`` or ``None``: decided by parsing the top level."""
    data, start, end = source.data, source.start, source.end
    if end - start < 4:
        return None
    try:
        return _saved_model_or_none(data, start, end) or _keras_metadata_or_none(data, start, end)
    except WireError:
        return None


def _saved_model_or_none(data: Any, start: int, end: int) -> str | None:
    top, _ = _top_level(data, start, end)
    if not top or top[0][:2] != (1, VARINT) or len(top) < 2:
        return None
    for number, wire, value in top:
        if SAVED_MODEL_FIELDS.get(number) != wire:
            return None
        if number == SAVED_MODEL_META_GRAPHS and value[0] < value[1] and (
            _varint(data, value[0], value[1])[0] >> 3 not in META_FIELDS
        ):
            return None
    return "tf-savedmodel"


def _top_level(data: Any, start: int, end: int) -> tuple[list[tuple[int, int, Any]], bool]:
    """The top-level fields, and whether the file is cut off (see ``_fields``)."""
    cut: list[str] = []
    found: list[tuple[int, int, Any]] = []
    try:
        found.extend(_fields(data, start, end, cut))
    except WireError:
        return found, True
    return found, bool(cut)


def _fields(data: Any, start: int, end: int,
            cut: list[str] | None = None) -> Iterator[tuple[int, int, Any]]:
    """``onnx_scan.fields``, except that a length-delimited field running past the end is
    yielded clipped to it (and noted in ``cut``) before stopping: a truncated SavedModel is
    still a SavedModel, and what it holds before the cut is scanned.
    """
    pos = start
    while pos < end:
        key, pos = _varint(data, pos, end)
        number, wire = key >> 3, key & 7
        if wire == LENGTH:
            length, pos = _varint(data, pos, end)
            if pos + length > end:
                if cut is not None:
                    cut.append(f"field {number} runs past its message at byte {pos}")
                yield number, wire, (pos, end)
                return
            yield number, wire, (pos, pos + length)
            pos += length
        elif wire == VARINT:
            value, pos = _varint(data, pos, end)
            yield number, wire, value
        elif wire in (FIXED64, FIXED32):
            yield number, wire, pos
            pos += 8 if wire == FIXED64 else 4
        else:
            raise WireError(f"unsupported wire type {wire} at byte {pos}")


def _keras_metadata_or_none(data: Any, start: int, end: int) -> str | None:
    for count, (number, wire, value) in enumerate(fields(data, start, end)):
        if number != KERAS_METADATA_NODES or wire != LENGTH:
            return None
        if count == 0:
            identifier = next((v for n, w, v in fields(data, *value)
                               if n == KERAS_NODE_IDENTIFIER and w == LENGTH), None)
            if identifier is None or not bytes(
                data[identifier[0]:identifier[1]]
            ).startswith(KERAS_IDENTIFIER_PREFIX):
                return None
    return "keras-metadata"


def scan_saved_model(source: Source, ctx: ScanContext) -> None:
    """Dangerous ops in every graph and function; Keras configs kept in the object graph."""
    assert isinstance(source, MemorySource)
    graph = _Graph(source.data)
    meta_graphs = 0
    top, truncated = _top_level(source.data, source.start, source.end)
    problem = "it is truncated" if truncated else ""
    try:
        for number, wire, value in top:
            if number == SAVED_MODEL_META_GRAPHS and wire == LENGTH:
                meta_graphs += 1
                _walk_meta_graph(graph, value)
    except WireError as exc:
        problem = str(exc)
    if problem:
        ctx.add("MODEL-MALFORMED", f"SavedModel protobuf is damaged ({problem}); what was "
                "read before the damage was scanned")
    _report(graph, ctx)
    ctx.note_format("tf-savedmodel", bytes=source.size, meta_graphs=meta_graphs,
                    nodes=graph.nodes, functions=graph.functions,
                    ops_flagged=sorted(graph.ops))


def scan_keras_metadata(source: Source, ctx: ScanContext) -> None:
    """Each layer's JSON config in ``keras_metadata.pb``, walked like a ``.keras`` config."""
    assert isinstance(source, MemorySource)
    graph = _Graph(source.data)
    try:
        for number, wire, value in _fields(source.data, source.start, source.end):
            if number == KERAS_METADATA_NODES and wire == LENGTH:
                _keras_node(graph, value, KERAS_NODE_PATH, KERAS_NODE_METADATA)
    except WireError as exc:
        ctx.add("MODEL-MALFORMED", f"keras_metadata.pb is damaged: {exc}; what was read "
                "before the damage was scanned")
    _report(graph, ctx)
    ctx.note_format("keras-metadata", bytes=source.size, keras_configs=graph.keras_configs,
                    layers=graph.keras.layers)


def _walk_meta_graph(graph: _Graph, span: tuple[int, int]) -> None:
    for number, wire, value in _fields(graph.data, *span):
        if wire != LENGTH:
            continue
        if number == META_GRAPH_DEF:
            _walk_graph_def(graph, value)
        elif number == META_OBJECT_GRAPH:
            for n, w, node in _fields(graph.data, *value):
                if n == OBJECT_GRAPH_NODES and w == LENGTH:
                    for m, mw, user in _fields(graph.data, *node):
                        if m == OBJECT_USER_OBJECT and mw == LENGTH:
                            _keras_node(graph, user, USER_OBJECT_IDENTIFIER,
                                        USER_OBJECT_METADATA)


def _walk_graph_def(graph: _Graph, span: tuple[int, int]) -> None:
    for number, wire, value in _fields(graph.data, *span):
        if wire != LENGTH:
            continue
        if number == GRAPH_NODE:
            _node(graph, value, "graph")
        elif number == GRAPH_LIBRARY:
            for n, w, function in _fields(graph.data, *value):
                if n == LIBRARY_FUNCTION and w == LENGTH:
                    _function(graph, function)


def _function(graph: _Graph, span: tuple[int, int]) -> None:
    graph.functions += 1
    name = "function"
    nodes: list[tuple[int, int]] = []
    for number, wire, value in _fields(graph.data, *span):
        if wire != LENGTH:
            continue
        if number == FUNCTION_SIGNATURE:
            name = next((graph.text(v) for n, w, v in _fields(graph.data, *value)
                         if n == OPDEF_NAME and w == LENGTH), name)
        elif number == FUNCTION_NODE:
            nodes.append(value)
    for node in nodes:
        _node(graph, node, name)


def _node(graph: _Graph, span: tuple[int, int], scope: str) -> None:
    graph.nodes += 1
    name = op = ""
    for number, wire, value in _fields(graph.data, *span):
        if wire == LENGTH and number == NODE_NAME:
            name = graph.text(value)
        elif wire == LENGTH and number == NODE_OP:
            op = graph.text(value)
    if op in DANGEROUS_OPS:
        graph.ops.setdefault(op, []).append(f"{scope}/{name}")


def _keras_node(graph: _Graph, span: tuple[int, int], where_field: int,
                metadata_field: int) -> None:
    where = ""
    metadata: tuple[int, int] | None = None
    for number, wire, value in _fields(graph.data, *span):
        if wire == LENGTH and number == where_field:
            where = graph.text(value)
        elif wire == LENGTH and number == metadata_field:
            metadata = value
    if metadata is None or metadata[0] == metadata[1]:
        return
    try:
        document = json.loads(graph.text(metadata))
    except (ValueError, RecursionError):
        graph.bad_metadata += 1
        return
    graph.keras_configs += 1
    walk_config(document, graph.keras, where)


def _report(graph: _Graph, ctx: ScanContext) -> None:
    for op, places in sorted(graph.ops.items()):
        severity, effect = DANGEROUS_OPS[op]
        ctx.add(
            "MODEL-TF-DANGEROUS-OP",
            f"TensorFlow op {op} ({effect}) runs when the graph does: {len(places)} node(s), "
            f"e.g. {places[0]}",
            evidence={"op": op, "nodes": places[:MAX_LISTED], "count": len(places)},
            severity=severity,
        )
    if graph.bad_metadata:
        ctx.add("MODEL-MALFORMED", f"{graph.bad_metadata} Keras metadata entr(ies) are not "
                "valid JSON and were not examined")
    report_config(graph.keras, ctx)
