"""skops schemas, XGBoost/LightGBM/CatBoost native files and TFLite flatbuffers.

None of skops, xgboost, lightgbm, catboost or tflite is installed here, so each file is written
from its format's documentation: skops' ``schema.json`` node layout (``__class__``,
``__module__``, ``__loader__``, ``content``), XGBoost's JSON/UBJSON model schema, LightGBM's
text model header, CatBoost's ``CBM1`` prefix and TFLite's ``schema.fbs`` (Model.operator_codes,
OperatorCode.custom_code/builtin_code). Hostile ones carry canary arguments only.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from corpus.canary import Canary

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.severity import Severity


def formats(report: Report) -> list[str]:
    return [entry["format"] for entry in report.metrics["files"]]


def found(report: Report, rule: str) -> list[Severity]:
    return sorted(f.severity for f in report.findings if f.rule == rule)


# -- skops ----------------------------------------------------------------------------------------
def node(module: str, name: str, loader: str, content: Any = None, **extra: Any) -> dict[str, Any]:
    item = {"__class__": name, "__module__": module, "__loader__": loader, **extra}
    if content is not None:
        item["content"] = content
    return item


def json_value(value: Any) -> dict[str, Any]:
    return node("builtins", type(value).__name__, "JsonNode", json.dumps(value), is_json=True)


def logistic_regression(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    attrs = {"C": json_value(1.0), "penalty": json_value("l2"),
             "coef_": node("numpy", "ndarray", "NdArrayNode", type="numpy", file="coef.npy"),
             **(extra or {})}
    return {**node("sklearn.linear_model._logistic", "LogisticRegression", "ObjectNode",
                   node("builtins", "dict", "DictNode", attrs)),
            "protocol": 2, "_skops_version": "0.10.0"}


def skops_file(path: Path, schema: dict[str, Any]) -> Path:
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((1, 3)))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("schema.json", json.dumps(schema))
        archive.writestr("coef.npy", buffer.getvalue())
    return path


def test_skops_estimator_is_quiet(tmp_path: Path) -> None:
    report = scan_model(skops_file(tmp_path / "m.skops", logistic_regression()))
    assert report.findings == []
    assert "skops" in formats(report) and "npy" in formats(report)


def test_skops_untrusted_user_type_is_medium(tmp_path: Path) -> None:
    schema = logistic_regression({"helper": node("mypackage.features", "Scaler", "ObjectNode",
                                                 node("builtins", "dict", "DictNode", {}))})
    report = scan_model(skops_file(tmp_path / "m.skops", schema))
    assert found(report, "MODEL-SKOPS-UNTRUSTED-TYPE") == [Severity.MEDIUM]


def probes(marker: Path) -> dict[str, dict[str, Any]]:
    canary = Canary(marker)
    return {
        "function-exec": node("builtins", "function", "FunctionNode",
                              {"module_path": "builtins", "function": "exec"}),
        "partial-system": node("functools", "partial", "PartialNode", {
            "func": node("builtins", "function", "FunctionNode",
                         {"module_path": "os", "function": "system"}),
            "args": node("builtins", "tuple", "TupleNode", [json_value(canary.shell)])}),
        "popen-object": node("subprocess", "Popen", "ObjectNode",
                             node("builtins", "dict", "DictNode",
                                  {"args": json_value(canary.argv)})),
        "method-of-os": node("builtins", "method", "MethodNode", {
            "func": "system", "obj": node("os", "_wrap_close", "ObjectNode")}),
    }


@pytest.mark.parametrize("name", ["function-exec", "partial-system", "popen-object",
                                  "method-of-os"])
def test_skops_dangerous_types_are_critical(tmp_path: Path, canary_marker: Path,
                                            name: str) -> None:
    schema = logistic_regression({"hook": probes(canary_marker)[name]})
    report = scan_model(skops_file(tmp_path / "evil.skops", schema))
    assert Severity.CRITICAL in found(report, "MODEL-SKOPS-UNTRUSTED-TYPE")


# -- gradient-boosting native files ------------------------------------------------------------
XGBOOST_JSON = {"learner": {
    "attributes": {}, "feature_names": [], "feature_types": [],
    "gradient_booster": {"model": {"gbtree_model_param": {"num_trees": "1"}, "trees": [{
        "base_weights": [0.5], "left_children": [-1], "right_children": [-1],
        "split_conditions": [0.5], "split_indices": [0], "tree_param": {"num_nodes": "1"}}]},
        "name": "gbtree"},
    "learner_model_param": {"base_score": "5E-1", "num_class": "0", "num_feature": "3"},
    "objective": {"name": "binary:logistic", "reg_loss_param": {"scale_pos_weight": "1"}}},
    "version": [2, 1, 0]}


def ubjson(value: Any) -> bytes:
    """UBJSON as XGBoost writes it (int64 lengths, float32 numbers)."""
    if isinstance(value, dict):
        return b"{" + b"".join(b"L" + struct.pack(">q", len(k)) + k.encode() + ubjson(v)
                               for k, v in value.items()) + b"}"
    if isinstance(value, list):
        return b"[" + b"".join(ubjson(v) for v in value) + b"]"
    if isinstance(value, str):
        return b"SL" + struct.pack(">q", len(value)) + value.encode()
    if isinstance(value, bool):
        return b"T" if value else b"F"
    if isinstance(value, int):
        return b"L" + struct.pack(">q", value)
    return b"d" + struct.pack(">f", value)


LIGHTGBM = ("tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n"
            "max_feature_idx=2\nobjective=binary sigmoid:1\nfeature_names=a b c\n"
            "feature_infos=[0:1] [0:1] [0:1]\ntree_sizes=200\n\nTree=0\nnum_leaves=1\n"
            "leaf_value=0.5\n\nend of trees\n\nparameters:\n[boosting: gbdt]\n"
            "end of parameters\n\npandas_categorical:null\n")


@pytest.mark.parametrize(("name", "content", "fmt"), [
    ("model.json", json.dumps(XGBOOST_JSON).encode(), "xgboost-json"),
    ("model.ubj", ubjson(XGBOOST_JSON), "xgboost-ubj"),
    ("model.bin", b"binf" + struct.pack("<fIi", 0.5, 3, 0) + b"\x00" * 124, "xgboost-binary"),
    ("model.txt", LIGHTGBM.encode(), "lightgbm"),
    ("model.cbm", b"CBM1" + struct.pack("<I", 16) + b"\x00" * 64, "catboost"),
])
def test_boosting_native_files_are_recognised_as_data_only(tmp_path: Path, name: str,
                                                            content: bytes, fmt: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = scan_model(path)
    assert report.findings == []
    assert formats(report) == [fmt]
    assert report.metrics["files"][0]["data_only"] is True


# -- TFLite ---------------------------------------------------------------------------------------
class FlatBuilder:
    """Lays out a flatbuffer front to back: root offset, identifier, then tables (vtable first)."""

    def __init__(self) -> None:
        self.buf = bytearray(struct.pack("<I", 0) + b"TFL3")
        self.patches: list[tuple[int, str]] = []  # (uoffset field position, target label)
        self.labels: dict[str, int] = {}

    def align(self) -> None:
        self.buf += b"\x00" * (-len(self.buf) % 4)

    def table(self, label: str, fields: list[tuple[str, Any] | None]) -> None:
        """``fields[i]``: ("i8"/"i32", value), ("ref", label) or None (absent)."""
        self.align()
        body = bytearray(4)  # soffset to the vtable
        offsets = []
        refs = []
        for spec in fields:
            if spec is None:
                offsets.append(0)
                continue
            kind, value = spec
            while len(body) % 4:
                body += b"\x00"
            offsets.append(len(body))
            if kind == "i8":
                body += struct.pack("<b", value)
            elif kind == "i32":
                body += struct.pack("<i", value)
            else:
                refs.append((len(body), value))
                body += b"\x00\x00\x00\x00"
        vtable = struct.pack("<HH", 4 + 2 * len(fields), len(body)) + b"".join(
            struct.pack("<H", o) for o in offsets)
        vtable += b"\x00" * (-len(vtable) % 4)
        vtable_at = len(self.buf)
        self.buf += vtable
        table_at = len(self.buf)
        struct.pack_into("<i", body, 0, table_at - vtable_at)
        self.buf += body
        self.labels[label] = table_at
        self.patches += [(table_at + at, target) for at, target in refs]

    def vector(self, label: str, targets: list[str]) -> None:
        self.align()
        at = len(self.buf)
        self.buf += struct.pack("<I", len(targets)) + b"\x00" * 4 * len(targets)
        self.labels[label] = at
        self.patches += [(at + 4 + 4 * i, target) for i, target in enumerate(targets)]

    def string(self, label: str, text: str) -> None:
        self.align()
        self.labels[label] = len(self.buf)
        self.buf += struct.pack("<I", len(text)) + text.encode() + b"\x00"

    def finish(self, root: str) -> bytes:
        struct.pack_into("<I", self.buf, 0, self.labels[root])
        for position, target in self.patches:
            struct.pack_into("<I", self.buf, position, self.labels[target] - position)
        return bytes(self.buf)


def tflite(builtins: list[int], custom: list[str]) -> bytes:
    """Model{version=3, operator_codes=[...]} with the given builtin and custom op codes."""
    builder = FlatBuilder()
    names = [f"code{i}" for i in range(len(builtins) + len(custom))]
    builder.table("model", [("i32", 3), ("ref", "codes")])
    builder.vector("codes", names)
    for i, code in enumerate(builtins):
        builder.table(names[i], [("i8", code), None, ("i32", 1), ("i32", code)])
    for j, name in enumerate(custom):
        label = names[len(builtins) + j]
        builder.table(label, [("i8", 32), ("ref", f"{label}-name"), ("i32", 1), ("i32", 32)])
        builder.string(f"{label}-name", name)
    return builder.finish("model")


def test_tflite_with_builtin_ops_only_is_quiet(tmp_path: Path) -> None:
    path = tmp_path / "model.tflite"
    path.write_bytes(tflite([0, 3, 9, 22, 25], []))  # ADD CONV_2D FULLY_CONNECTED RESHAPE SOFTMAX
    report = scan_model(path)
    assert report.findings == []
    assert report.metrics["files"][0]["builtin_operator_codes"] == 5


def test_tflite_custom_and_flex_ops(tmp_path: Path) -> None:
    path = tmp_path / "model.tflite"
    path.write_bytes(tflite([0, 9], ["MyNativeOp", "FlexWriteFile", "FlexMatMul"]))
    report = scan_model(path)
    assert found(report, "MODEL-TF-DANGEROUS-OP") == [Severity.HIGH]
    (custom,) = [f for f in report.findings if f.rule == "MODEL-TFLITE-CUSTOM-OP"]
    assert custom.evidence["custom_ops"] == ["FlexMatMul", "MyNativeOp"]


def test_tflite_with_offsets_outside_the_file_is_malformed(tmp_path: Path) -> None:
    data = bytearray(tflite([0], ["MyNativeOp"]))
    path = tmp_path / "bad.tflite"
    path.write_bytes(bytes(data[:-12]))
    report = scan_model(path)
    assert "MODEL-MALFORMED" in {f.rule for f in report.findings}
