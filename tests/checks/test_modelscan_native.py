"""skops schemas, XGBoost/LightGBM/CatBoost native files and TFLite flatbuffers.

None of skops, xgboost, lightgbm, catboost or tflite is installed here, so each file is written
from its format's documentation: skops' ``schema.json`` node layout (``__class__``,
``__module__``, ``__loader__``, ``content``), XGBoost's JSON/UBJSON model schema, LightGBM's
text model header, CatBoost's ``CBM1`` prefix and TFLite's ``schema.fbs`` (Model.operator_codes,
OperatorCode.custom_code/builtin_code). Hostile ones carry canary arguments only.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest
from corpus.canary import Canary
from corpus.format_writers import (
    LIGHTGBM,
    XGBOOST_JSON,
    json_value,
    logistic_regression,
    skops_file,
    skops_node,
    tflite,
    ubjson,
)

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.severity import Severity


def formats(report: Report) -> list[str]:
    return [entry["format"] for entry in report.metrics["files"]]


def found(report: Report, rule: str) -> list[Severity]:
    return sorted(f.severity for f in report.findings if f.rule == rule)


# -- skops ----------------------------------------------------------------------------------------
def test_skops_estimator_is_quiet(tmp_path: Path) -> None:
    report = scan_model(skops_file(tmp_path / "m.skops", logistic_regression()))
    assert report.findings == []
    assert "skops" in formats(report) and "npy" in formats(report)


def test_skops_untrusted_user_type_is_medium(tmp_path: Path) -> None:
    helper = skops_node("mypackage.features", "Scaler", "ObjectNode",
                        skops_node("builtins", "dict", "DictNode", {}))
    schema = logistic_regression({"helper": helper})
    report = scan_model(skops_file(tmp_path / "m.skops", schema))
    assert found(report, "MODEL-SKOPS-UNTRUSTED-TYPE") == [Severity.MEDIUM]


def probes(marker: Path) -> dict[str, dict[str, Any]]:
    canary = Canary(marker)
    return {
        "function-exec": skops_node("builtins", "function", "FunctionNode",
                              {"module_path": "builtins", "function": "exec"}),
        "partial-system": skops_node("functools", "partial", "PartialNode", {
            "func": skops_node("builtins", "function", "FunctionNode",
                         {"module_path": "os", "function": "system"}),
            "args": skops_node("builtins", "tuple", "TupleNode", [json_value(canary.shell)])}),
        "popen-object": skops_node("subprocess", "Popen", "ObjectNode",
                             skops_node("builtins", "dict", "DictNode",
                                  {"args": json_value(canary.argv)})),
        "method-of-os": skops_node("builtins", "method", "MethodNode", {
            "func": "system", "obj": skops_node("os", "_wrap_close", "ObjectNode")}),
    }


@pytest.mark.parametrize("name", ["function-exec", "partial-system", "popen-object",
                                  "method-of-os"])
def test_skops_dangerous_types_are_critical(tmp_path: Path, canary_marker: Path,
                                            name: str) -> None:
    schema = logistic_regression({"hook": probes(canary_marker)[name]})
    report = scan_model(skops_file(tmp_path / "evil.skops", schema))
    assert Severity.CRITICAL in found(report, "MODEL-SKOPS-UNTRUSTED-TYPE")


# -- gradient-boosting native files ------------------------------------------------------------
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
