"""ONNX models, read with a minimal protobuf wire-format walker (the onnx library is not used).

Two risks live in an ONNX file: tensors whose external data ``location`` points outside the
model's folder (loading reads any file of the machine), and operators from custom domains (a
native custom-op library must be registered to run them).

``com.microsoft`` domains are ONNX Runtime's own contrib operators, compiled into onnxruntime:
they need no library from the model's author, so they are recorded in the metrics but not
flagged. Domains defined by the model's own functions (``functions``) are not custom ops either.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .context import ScanContext
from .source import MemorySource, Source

STANDARD_DOMAINS = frozenset(
    {"", "ai.onnx", "ai.onnx.ml", "ai.onnx.training", "ai.onnx.preview.training"}
)
RUNTIME_BUILTIN_DOMAINS = frozenset(
    {"com.microsoft", "com.microsoft.nchwc", "com.microsoft.experimental", "com.ms.internal.nhwc"}
)
MAX_GRAPH_DEPTH = 32

VARINT, FIXED64, LENGTH, FIXED32 = 0, 1, 2, 5

# field numbers of the messages walked (onnx.proto3)
MODEL_FIELDS = {1: VARINT, 2: LENGTH, 3: LENGTH, 4: LENGTH, 5: VARINT, 6: LENGTH, 7: LENGTH,
                8: LENGTH, 14: LENGTH, 20: LENGTH, 25: LENGTH, 26: LENGTH}
MODEL_GRAPH, MODEL_OPSET, MODEL_TRAINING, MODEL_FUNCTIONS = 7, 8, 20, 25
GRAPH_NODE, GRAPH_INITIALIZER, GRAPH_SPARSE_INITIALIZER = 1, 5, 15
NODE_OP_TYPE, NODE_ATTRIBUTE, NODE_DOMAIN = 4, 5, 7
ATTR_T, ATTR_G, ATTR_TENSORS, ATTR_GRAPHS, ATTR_SPARSE, ATTR_SPARSES = 5, 6, 10, 11, 22, 23
TENSOR_NAME, TENSOR_EXTERNAL_DATA, TENSOR_DATA_LOCATION = 8, 13, 14
SPARSE_VALUES, SPARSE_INDICES = 1, 2
FUNCTION_NAME, FUNCTION_NODE, FUNCTION_DOMAIN = 1, 7, 10
TRAINING_GRAPHS = (1, 2)
EXTERNAL = 1


class WireError(ValueError):
    """The bytes are not a valid protobuf message."""


def fields(data: Any, start: int, end: int) -> Iterator[tuple[int, int, Any]]:
    """(field number, wire type, value) of one message; LENGTH values are (start, end) pairs."""
    pos = start
    while pos < end:
        key, pos = _varint(data, pos, end)
        number, wire = key >> 3, key & 7
        value: Any
        if number == 0:
            raise WireError(f"field number 0 at byte {pos}")
        if wire == VARINT:
            value, pos = _varint(data, pos, end)
        elif wire == LENGTH:
            length, pos = _varint(data, pos, end)
            if pos + length > end:
                raise WireError(f"field {number} runs past its message at byte {pos}")
            value = (pos, pos + length)
            pos += length
        elif wire == FIXED64:
            value, pos = pos, pos + 8
        elif wire == FIXED32:
            value, pos = pos, pos + 4
        else:
            raise WireError(f"unsupported wire type {wire} at byte {pos}")
        if pos > end:
            raise WireError("message truncated")
        yield number, wire, value


def _varint(data: Any, pos: int, end: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= end or shift > 63:
            raise WireError(f"bad varint at byte {pos}")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def looks_like_onnx(source: MemorySource) -> bool:
    """A ModelProto: every top-level field known with its wire type, and a graph present."""
    data, start, end = source.data, source.start, source.end
    seen_graph = False
    try:
        for count, (number, wire, _) in enumerate(fields(data, start, end)):
            expected = MODEL_FIELDS.get(number)
            if expected is not None and expected != wire:
                return False
            if expected is None and count < 3:
                return False
            seen_graph = seen_graph or number == MODEL_GRAPH
    except WireError:
        return False
    return seen_graph


@dataclass
class _Walk:
    data: Any
    ctx: ScanContext
    base_dir: str | None
    domains: dict[str, int] = field(default_factory=dict)
    custom_ops: dict[str, int] = field(default_factory=dict)
    local_functions: set[tuple[str, str]] = field(default_factory=set)
    external: list[dict[str, Any]] = field(default_factory=list)
    nodes: int = 0
    initializers: int = 0
    node_ops: list[tuple[str, str]] = field(default_factory=list)

    def text(self, span: tuple[int, int]) -> str:
        return bytes(self.data[span[0]:span[1]]).decode("utf-8", "replace")


def scan_onnx(source: Source, ctx: ScanContext) -> None:
    """Walk graph, subgraphs and functions for node domains and external-data locations."""
    assert isinstance(source, MemorySource)
    walk = _Walk(source.data, ctx, _model_folder(ctx))
    try:
        _walk_model(walk, source.start, source.end)
    except WireError as exc:
        ctx.add("MODEL-MALFORMED", f"ONNX protobuf does not parse: {exc}")
    for domain, op_type in walk.node_ops:
        if (domain, op_type) in walk.local_functions:
            continue
        if domain not in STANDARD_DOMAINS and domain not in RUNTIME_BUILTIN_DOMAINS:
            key = f"{domain}::{op_type}"
            walk.custom_ops[key] = walk.custom_ops.get(key, 0) + 1
    if walk.custom_ops:
        custom_domains = sorted({key.split("::")[0] for key in walk.custom_ops})
        ctx.add(
            "MODEL-ONNX-CUSTOM-OP",
            f"operators from custom domain(s) {', '.join(custom_domains)} need a native "
            "custom-op library at load time",
            evidence={"domains": custom_domains, "ops": dict(sorted(walk.custom_ops.items()))},
        )
    for item in walk.external:
        ctx.add(
            "MODEL-ONNX-EXTERNAL-DATA",
            f"tensor {item['tensor']!r} reads external data from {item['location']!r} "
            f"({item['why']})",
            item["offset"],
            item,
        )
    ctx.note_format("onnx", bytes=source.size, nodes=walk.nodes,
                    initializers=walk.initializers, domains=dict(sorted(walk.domains.items())))


def _walk_model(walk: _Walk, start: int, end: int) -> None:
    graphs: list[tuple[int, int]] = []
    for number, wire, value in fields(walk.data, start, end):
        if wire != LENGTH:
            continue
        if number == MODEL_GRAPH:
            graphs.append(value)
        elif number == MODEL_TRAINING:
            for sub_number, sub_wire, sub_value in fields(walk.data, *value):
                if sub_number in TRAINING_GRAPHS and sub_wire == LENGTH:
                    graphs.append(sub_value)
        elif number == MODEL_FUNCTIONS:
            _walk_function(walk, value)
    for graph in graphs:
        _walk_graph(walk, graph, 0)


def _walk_function(walk: _Walk, span: tuple[int, int]) -> None:
    name = domain = ""
    nodes: list[tuple[int, int]] = []
    for number, wire, value in fields(walk.data, *span):
        if wire != LENGTH:
            continue
        if number == FUNCTION_NAME:
            name = walk.text(value)
        elif number == FUNCTION_DOMAIN:
            domain = walk.text(value)
        elif number == FUNCTION_NODE:
            nodes.append(value)
    walk.local_functions.add((domain, name))
    for node in nodes:
        _walk_node(walk, node, 1)


def _walk_graph(walk: _Walk, span: tuple[int, int], depth: int) -> None:
    if depth > MAX_GRAPH_DEPTH:
        raise WireError(f"subgraphs nested deeper than {MAX_GRAPH_DEPTH}")
    for number, wire, value in fields(walk.data, *span):
        if wire != LENGTH:
            continue
        if number == GRAPH_NODE:
            _walk_node(walk, value, depth)
        elif number == GRAPH_INITIALIZER:
            walk.initializers += 1
            _walk_tensor(walk, value)
        elif number == GRAPH_SPARSE_INITIALIZER:
            walk.initializers += 1
            _walk_sparse(walk, value)


def _walk_node(walk: _Walk, span: tuple[int, int], depth: int) -> None:
    walk.nodes += 1
    op_type = domain = ""
    for number, wire, value in fields(walk.data, *span):
        if wire != LENGTH:
            continue
        if number == NODE_OP_TYPE:
            op_type = walk.text(value)
        elif number == NODE_DOMAIN:
            domain = walk.text(value)
        elif number == NODE_ATTRIBUTE:
            _walk_attribute(walk, value, depth)
    walk.domains[domain or "ai.onnx"] = walk.domains.get(domain or "ai.onnx", 0) + 1
    walk.node_ops.append((domain, op_type))


def _walk_attribute(walk: _Walk, span: tuple[int, int], depth: int) -> None:
    for number, wire, value in fields(walk.data, *span):
        if wire != LENGTH:
            continue
        if number in (ATTR_G, ATTR_GRAPHS):
            _walk_graph(walk, value, depth + 1)
        elif number in (ATTR_T, ATTR_TENSORS):
            _walk_tensor(walk, value)
        elif number in (ATTR_SPARSE, ATTR_SPARSES):
            _walk_sparse(walk, value)


def _walk_sparse(walk: _Walk, span: tuple[int, int]) -> None:
    for number, wire, value in fields(walk.data, *span):
        if wire == LENGTH and number in (SPARSE_VALUES, SPARSE_INDICES):
            _walk_tensor(walk, value)


def _walk_tensor(walk: _Walk, span: tuple[int, int]) -> None:
    name = ""
    external = False
    entries: dict[str, str] = {}
    for number, wire, value in fields(walk.data, *span):
        if number == TENSOR_NAME and wire == LENGTH:
            name = walk.text(value)
        elif number == TENSOR_DATA_LOCATION and wire == VARINT:
            external = value == EXTERNAL
        elif number == TENSOR_EXTERNAL_DATA and wire == LENGTH:
            key = item = ""
            for sub_number, sub_wire, sub_value in fields(walk.data, *value):
                if sub_wire == LENGTH and sub_number == 1:
                    key = walk.text(sub_value)
                elif sub_wire == LENGTH and sub_number == 2:
                    item = walk.text(sub_value)
            entries[key] = item
    location = entries.get("location")
    if location is None:
        return
    why = escape_reason(location, walk.base_dir)
    if why:
        walk.external.append({"tensor": name, "location": location, "why": why,
                              "declared_external": external, "offset": span[0]})


def escape_reason(location: str, base_dir: str | None) -> str | None:
    """Why an external-data location escapes the model folder, or ``None`` when it stays inside."""
    if "\x00" in location:
        return "contains a NUL byte"
    normalised = location.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return "absolute path"
    if posixpath.normpath(normalised).split("/")[0] == "..":
        return "'..' leaves the model's folder"
    if base_dir is not None:
        folder = os.path.realpath(base_dir)
        target = os.path.realpath(os.path.join(folder, normalised))
        if os.path.commonpath([folder, target]) != folder:
            return f"resolves (through a symlink) to {target}"
    return None


def _model_folder(ctx: ScanContext) -> str | None:
    """The folder of a model file on disk (members of archives have none)."""
    if ctx.members or not os.path.isfile(ctx.file):
        return None
    return os.path.dirname(os.path.abspath(ctx.file))

