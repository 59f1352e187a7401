"""Model formats that hold data only: XGBoost, LightGBM, CatBoost native files, and TFLite.

Gradient-boosting libraries save trees as numbers and names (XGBoost JSON/UBJSON/``binf``
binary, LightGBM's text model, CatBoost's ``CBM1`` flatbuffer); their loaders construct no
Python objects from the file, so these are recognised and recorded (no finding), where
without this they would be "not a model file". A pickle of such a model is scanned as a pickle,
as always: the content decides, never the name.

TFLite is a flatbuffer (identifier ``TFL3``). Its operators are built-in kernels except
custom ones, which the application must register as native code; Flex ops run TensorFlow
kernels, so ``FlexReadFile`` and friends are judged like the ops of a SavedModel. The operator
codes are read with a bounds-checked flatbuffer walker.
"""

from __future__ import annotations

import re
import struct
from typing import Any

from .context import ScanContext
from .source import MemorySource, Source

# (format, test on the head): XGBoost JSON and UBJSON start with their "learner" object
_XGBOOST_JSON = re.compile(rb'^\s*\{\s*"learner"\s*:')
_XGBOOST_UBJ = re.compile(rb"^\{[iUIlL]\x00{0,7}\x07learner")
TFLITE_IDENTIFIER = b"TFL3"
CUSTOM_BUILTIN = 32  # BuiltinOperator.CUSTOM in TFLite's schema
FLEX_PREFIX = "Flex"
MAX_OPERATOR_CODES = 100_000
MAX_LISTED = 20


def sniff_native(head: bytes) -> str | None:
    """The data-only or flatbuffer format the head proves, or ``None``."""
    if _XGBOOST_JSON.match(head):
        return "xgboost-json"
    if _XGBOOST_UBJ.match(head):
        return "xgboost-ubj"
    if head.startswith(b"binf"):
        return "xgboost-binary"
    if head.startswith(b"tree\nversion=v"):
        return "lightgbm"
    if head.startswith(b"CBM1"):
        return "catboost"
    if len(head) >= 8 and head[4:8] == TFLITE_IDENTIFIER:
        return "tflite"
    return None


def scan_inert(source: Source, ctx: ScanContext) -> None:
    """Record a data-only model file (the format is what ``sniff_native`` said)."""
    fmt = sniff_native(source.peek(64)) or "unknown"
    size = source.size
    if size is None:  # a stream: count what is there without keeping it
        size = source.skip(1 << 62)
    ctx.note_format(fmt, bytes=size, data_only=True)


class FlatError(ValueError):
    """An offset of the flatbuffer points outside it."""


class _Flat:
    """Bounds-checked reads of flatbuffer tables, vectors and strings."""

    def __init__(self, source: MemorySource) -> None:
        self.data = source.data
        self.start = source.start
        self.size = source.size

    def _u(self, fmt: str, at: int) -> int:
        width = struct.calcsize(fmt)
        if at < 0 or at + width > self.size:
            raise FlatError(f"offset {at} is outside the file")
        return int(struct.unpack_from(fmt, self.data, self.start + at)[0])

    def root(self) -> int:
        return self._u("<I", 0)

    def field(self, table: int, index: int) -> int | None:
        """Absolute position of field ``index`` of the table at ``table``, or None."""
        vtable = table - self._u("<i", table)
        vtable_size = self._u("<H", vtable)
        slot = 4 + 2 * index
        if slot + 2 > vtable_size:
            return None
        offset = self._u("<H", vtable + slot)
        return table + offset if offset else None

    def deref(self, position: int) -> int:
        return position + self._u("<I", position)

    def vector(self, position: int) -> tuple[int, int]:
        """(first element, length) of the vector a field at ``position`` points to."""
        at = self.deref(position)
        return at + 4, self._u("<I", at)

    def string(self, position: int) -> str:
        at = self.deref(position)
        length = self._u("<I", at)
        if at + 4 + length > self.size:
            raise FlatError(f"string at {at} runs past the file")
        return bytes(self.data[self.start + at + 4:self.start + at + 4 + length]).decode(
            "utf-8", "replace")

    def scalar(self, table: int, index: int, fmt: str, default: int = 0) -> int:
        position = self.field(table, index)
        return default if position is None else self._u(fmt, position)


def scan_tflite(source: Source, ctx: ScanContext) -> None:
    """List the custom and Flex operators of a TFLite model."""
    from .savedmodel_scan import DANGEROUS_OPS

    assert isinstance(source, MemorySource)
    flat = _Flat(source)
    custom: dict[str, int] = {}
    builtin = 0
    try:
        model = flat.root()
        codes_field = flat.field(model, 1)  # Model.operator_codes
        first, count = flat.vector(codes_field) if codes_field is not None else (0, 0)
        if count > MAX_OPERATOR_CODES:
            raise FlatError(f"{count} operator codes claimed")
        for index in range(count):
            code = flat.deref(first + 4 * index)
            deprecated = flat.scalar(code, 0, "<b")
            builtin_code = flat.scalar(code, 3, "<i")
            custom_field = flat.field(code, 1)
            if CUSTOM_BUILTIN in (deprecated, builtin_code) or custom_field is not None:
                name = flat.string(custom_field) if custom_field is not None else "?"
                custom[name] = custom.get(name, 0) + 1
            else:
                builtin += 1
    except FlatError as exc:
        ctx.add("MODEL-MALFORMED", f"TFLite flatbuffer is damaged: {exc}; the operator codes "
                "read before were examined")
    flex_danger = {name: name[len(FLEX_PREFIX):] for name in custom
                   if name.startswith(FLEX_PREFIX) and name[len(FLEX_PREFIX):] in DANGEROUS_OPS}
    for name, op in sorted(flex_danger.items()):
        severity, effect = DANGEROUS_OPS[op]
        ctx.add("MODEL-TF-DANGEROUS-OP", f"TFLite Flex op {name} runs TensorFlow's {op} "
                f"({effect})", evidence={"op": op, "tflite_op": name}, severity=severity)
    others = sorted(name for name in custom if name not in flex_danger)
    if others:
        ctx.add("MODEL-TFLITE-CUSTOM-OP", f"{len(others)} custom operator(s) need kernels "
                "registered by the application: " + ", ".join(others[:5]),
                evidence={"custom_ops": others[:MAX_LISTED]})
    facts: dict[str, Any] = {"builtin_operator_codes": builtin, "custom_ops": sorted(custom)}
    ctx.note_format("tflite", bytes=source.size, **facts)
