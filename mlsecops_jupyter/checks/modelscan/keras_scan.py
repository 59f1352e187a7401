"""Keras models: ``.keras`` zips (``config.json``) and legacy HDF5 files (``model_config``).

The architecture is JSON. Two things in it lead to code on load: Lambda layers (Python bytecode
or source, run when loaded without safe mode or by older Keras/TensorFlow) and objects from
modules outside Keras (imported by name). HDF5 is read without h5py: the ``model_config``
attribute is a JSON string stored contiguously in the file, so it is found by its opening bytes
and decoded from there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .context import ScanContext
from .keras_hazards import Hazards, inspect_lambda, inspect_node, report_hazards
from .source import MemorySource, Source
from .zipscan import INVALID, ZipEntry, ZipLayout, read_json_member

LAMBDA_CLASSES = frozenset({"Lambda", "__lambda__"})
# how serialised Keras configs begin (Keras 2/legacy: class_name first; Keras 3: module first)
CONFIG_OPENINGS = (b'{"class_name"', b'{"module"')
MAX_CONFIGS = 64
MAX_CANDIDATES = 4096  # places where a config may begin that are tried (most are binary data)
MAX_WALK_DEPTH = 200


class _TooLarge:
    """A JSON value still cut off at the size limit (reported, never skipped silently)."""


TOO_LARGE = _TooLarge()


@dataclass
class ConfigFindings:
    """What a walk over one or more configs found."""

    lambdas: list[dict[str, Any]] = field(default_factory=list)
    custom: dict[str, list[str]] = field(default_factory=dict)
    layers: int = 0
    too_deep: int = 0  # objects nested past MAX_WALK_DEPTH, not examined
    hazards: Hazards = field(default_factory=Hazards)  # see keras_hazards


def is_keras_module(module: Any) -> bool:
    return module == "keras" or (isinstance(module, str) and module.startswith("keras."))


def walk_config(node: Any, found: ConfigFindings, path: str = "", depth: int = 0) -> None:
    """Visit every serialised object; Lambda layers and non-Keras modules are collected."""
    if depth > MAX_WALK_DEPTH:
        found.too_deep += 1
        return
    if isinstance(node, list):
        for index, item in enumerate(node):
            walk_config(item, found, f"{path}[{index}]", depth + 1)
        return
    if not isinstance(node, dict):
        return
    class_name = node.get("class_name")
    if isinstance(class_name, str):
        found.layers += 1
        config = node.get("config")
        name = config.get("name") if isinstance(config, dict) else None
        where = f"{path}/{name or class_name}"
        if class_name in LAMBDA_CLASSES:
            found.lambdas.append({"path": where, "class_name": class_name,
                                  "code": _lambda_code_kind(node)})
            inspect_lambda(node, where, found.hazards)
            return  # its function is part of the Lambda finding
        dangerous = inspect_node(node, class_name, where, found.hazards)
        module = node.get("module")
        registered = node.get("registered_name")
        outsider = module is not None and not is_keras_module(module)
        if isinstance(registered, str) and ">" in registered:
            package = registered.split(">", 1)[0]
            outsider = outsider or not (package == "keras" or package.startswith("keras."))
            module = module or package
        if outsider and not dangerous:
            found.custom.setdefault(f"{module}.{class_name}", []).append(where)
        path = where
    for value in node.values():
        if isinstance(value, (dict, list)):
            walk_config(value, found, path, depth + 1)


def _lambda_code_kind(node: dict[str, Any]) -> str:
    text = json.dumps(node)[:100_000]
    if '"code"' in text or "function_type" in text:
        return "bytecode"
    return "function reference"


def report_config(found: ConfigFindings, ctx: ScanContext, offset: int | None = None) -> None:
    if found.too_deep:
        ctx.incomplete(f"{found.too_deep} object(s) of the Keras config are nested deeper than "
                       f"{MAX_WALK_DEPTH} levels and were not examined",
                       {"max_depth": MAX_WALK_DEPTH, "objects": found.too_deep})
    for item in found.lambdas:
        ctx.add(
            "MODEL-KERAS-LAMBDA",
            f"Lambda layer at {item['path']} carries serialised Python ({item['code']})",
            offset,
            item,
        )
    for qualified, paths in sorted(found.custom.items()):
        ctx.add(
            "MODEL-KERAS-CUSTOM-OBJECT",
            f"{qualified} is imported from outside Keras when the model loads "
            f"({len(paths)} use(s))",
            offset,
            {"object": qualified, "paths": paths[:20]},
        )
    report_hazards(found.hazards, ctx, offset)


class KerasLayout(ZipLayout):
    """``.keras`` zip: ``config.json`` (architecture), ``metadata.json``, ``model.weights.h5``."""

    format = "keras"

    @classmethod
    def claims(cls, names: list[str]) -> bool:
        # metadata.json is not required to load, so config.json at the root decides; a zip that
        # is no Keras model just has a config without serialised objects (no finding)
        return "config.json" in names

    def __init__(self, names: list[str]) -> None:
        super().__init__(names)
        self.facts: dict[str, Any] = {}

    def scan_entry(self, name: str, source: Source, ctx: ScanContext) -> None:
        if name not in ("config.json", "metadata.json"):
            super().scan_entry(name, source, ctx)
            return
        member_ctx, document = read_json_member(name, source, ctx)
        if document is INVALID:
            return
        if name == "metadata.json":
            if isinstance(document, dict):
                self.facts["keras_version"] = str(document.get("keras_version", ""))
            return
        found = ConfigFindings()
        walk_config(document, found)
        report_config(found, member_ctx)
        self.facts["layers"] = found.layers

    def finish(self, entries: list[ZipEntry], ctx: ScanContext, size: int) -> None:
        ctx.note_format(self.format, bytes=size, members=len(entries), **self.facts)


def scan_hdf5(source: Source, ctx: ScanContext) -> None:
    """Find Keras configs stored as JSON attributes in an HDF5 file and walk them."""
    assert isinstance(source, MemorySource)
    data, start, end = source.data, source.start, source.end
    found = ConfigFindings()
    configs = tried = 0
    limit = ctx.settings.max_header_mb * (1 << 20)
    not_examined: list[str] = []
    openings = _Openings(data, end)
    position = openings.next_at(start)
    while position >= 0:
        if configs >= MAX_CONFIGS or tried >= MAX_CANDIDATES:
            not_examined.append(f"what follows byte {position - start}: more than "
                                f"{MAX_CONFIGS} configs or {MAX_CANDIDATES} places where one "
                                "may begin")
            break
        tried += 1
        decoded = _decode_json_at(data, position, end, limit)
        after = position + 1
        if decoded is TOO_LARGE:
            not_examined.append(f"a config at byte {position - start} longer than "
                                f"max_header_mb={limit >> 20}")
        elif isinstance(decoded, tuple):
            document, length = decoded
            configs += 1
            after = position + length  # its nested objects are part of it
            walk_config(document, found)
        position = openings.next_at(after)
    if not_examined:
        ctx.incomplete("Keras HDF5 file not fully examined: " + "; ".join(not_examined),
                       {"not_examined": not_examined})
    report_config(found, ctx, None)
    facts: dict[str, Any] = {"keras_configs": configs}
    if configs:
        facts["layers"] = found.layers
    ctx.note_format("keras-h5" if configs else "hdf5", bytes=source.size, **facts)


class _Openings:
    """Where the next serialised config may begin (either opening), searching forward only."""

    def __init__(self, data: Any, end: int) -> None:
        self.data = data
        self.end = end
        self.found = {opening: -2 for opening in CONFIG_OPENINGS}  # -2: not searched yet

    def next_at(self, start: int) -> int:
        """The first opening at or after ``start``, or -1."""
        best = -1
        for opening, position in self.found.items():
            if position == -2 or 0 <= position < start:
                position = self.data.find(opening, start, self.end)
                self.found[opening] = position
            if position >= 0 and (best < 0 or position < best):
                best = position
        return best


def _decode_json_at(data: Any, position: int, end: int,
                    limit: int) -> tuple[Any, int] | None | _TooLarge:
    """The JSON value starting at ``position`` and its length in bytes, reading a growing window.

    Attribute strings are usually small, so a 64 KB window is tried first and doubled (up to
    ``limit``) only while the text is cut off by the window itself. ``None``: no JSON value
    starts there; ``TOO_LARGE``: one may, but it is still cut off at ``limit`` bytes.
    """
    decoder = json.JSONDecoder()
    window = 1 << 16
    while True:
        stop = min(end, position + window)
        raw = bytes(data[position:stop])
        text = raw.decode("utf-8", "ignore")
        try:
            document, consumed = decoder.raw_decode(text)
        except RecursionError:
            return None
        except json.JSONDecodeError as exc:
            cut_off = exc.msg.startswith("Unterminated") or exc.pos >= len(text) - 64
            if not cut_off or stop >= end:
                return None
            if window >= limit:
                return TOO_LARGE
            window *= 2
            continue
        return document, len(text[:consumed].encode("utf-8"))
