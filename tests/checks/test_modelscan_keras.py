"""Keras configs that lead to code: TorchModuleWrapper pickles, unsafe APIs, dangerous modules.

Every model is written by real Keras (torch backend) and real ``torch.save``; hostile variants
edit the saved ``config.json`` the way an attacker would (a canary pickle in place of the torch
module, a module field naming ``os``). Nothing is ever loaded.
"""

from __future__ import annotations

import base64
import io
import json
import os
import pickle
import zipfile
from pathlib import Path
from typing import Any

import pytest
from corpus.canary import Canary, Reduce

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.severity import Severity

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")


def severities(report: Report, rule: str) -> list[Severity]:
    return sorted(f.severity for f in report.findings if f.rule == rule)


def loud(report: Report) -> list[tuple[str, str]]:
    return [(f.rule, f.detail) for f in report.findings if f.severity >= Severity.HIGH]


@pytest.fixture(scope="module")
def wrapper_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real ``.keras`` file with a TorchModuleWrapper around ``torch.nn.Linear``."""
    from keras.layers import TorchModuleWrapper

    model = keras.Sequential([
        keras.Input((4,)), TorchModuleWrapper(torch.nn.Linear(4, 2), output_shape=(None, 2)),
        keras.layers.Dense(3, activation="relu")])
    path = tmp_path_factory.mktemp("keras") / "wrapper.keras"
    model.save(path)
    return path


def rewrite_config(source: Path, target: Path, edit: Any) -> Path:
    """Copy a .keras zip with ``edit(config)`` applied to its config.json."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "config.json":
                config = json.loads(data)
                edit(config)
                data = json.dumps(config).encode()
            copy.writestr(item, data)
    return target


def test_real_torch_module_wrapper_is_reported_and_its_pickle_scanned(
    wrapper_model: Path
) -> None:
    report = scan_model(wrapper_model)
    assert severities(report, "MODEL-KERAS-TORCH-MODULE") == [Severity.MEDIUM]
    assert loud(report) == []
    members = [entry.get("member", "") for entry in report.metrics["files"]]
    assert any(m.endswith("module#0!archive/data.pkl") for m in members), members


@pytest.mark.parametrize("legacy", [False, True], ids=["zip", "legacy-torch"])
def test_torch_module_wrapper_with_a_payload(wrapper_model: Path, tmp_path: Path,
                                             canary_marker: Path, legacy: bool) -> None:
    buffer = io.BytesIO()
    payload = Reduce(os.system, Canary(canary_marker).shell)
    torch.save(payload, buffer, _use_new_zipfile_serialization=not legacy)
    encoded = base64.b64encode(buffer.getvalue()).decode()

    def plant(config: dict[str, Any]) -> None:
        config["config"]["layers"][1]["config"]["module"] = encoded

    report = scan_model(rewrite_config(wrapper_model, tmp_path / "evil.keras", plant))
    hits = [f for f in report.findings
            if f.rule == "MODEL-PICKLE-EXEC" and f.severity == Severity.CRITICAL]
    member = hits[0].location.member or "" if hits else ""
    # Keras numbers layer names per process (torch_module_wrapper_1 after an earlier model)
    assert hits and "/torch_module_wrapper" in member and "/module#0" in member, member


def test_torch_module_wrapper_with_a_bare_pickle(wrapper_model: Path, tmp_path: Path,
                                                 canary_marker: Path) -> None:
    raw = pickle.dumps(Reduce(os.system, Canary(canary_marker).shell))

    def plant(config: dict[str, Any]) -> None:
        config["config"]["layers"][1]["config"]["module"] = base64.b64encode(raw).decode()

    report = scan_model(rewrite_config(wrapper_model, tmp_path / "evil.keras", plant))
    assert severities(report, "MODEL-PICKLE-EXEC") == [Severity.CRITICAL]


@pytest.mark.parametrize("layer", [
    {"module": "keras.utils", "class_name": "get_file", "config": {}, "registered_name": None},
    {"module": "keras.src.utils", "class_name": "function", "config": "get_file",
     "registered_name": "function"},
    {"module": "keras.config", "class_name": "function",
     "config": "enable_unsafe_deserialization", "registered_name": "function"},
    {"module": None, "class_name": "X", "config": {},
     "registered_name": "keras.config>enable_unsafe_deserialization"},
])
def test_config_referring_to_unsafe_apis_is_high(wrapper_model: Path, tmp_path: Path,
                                                 layer: dict[str, Any]) -> None:
    report = scan_model(rewrite_config(
        wrapper_model, tmp_path / "api.keras",
        lambda config: config["config"]["layers"].append(layer)))
    assert severities(report, "MODEL-KERAS-UNSAFE-API") == [Severity.HIGH]


def test_lambda_whose_code_turns_safe_mode_off(tmp_path: Path) -> None:
    model = keras.Sequential([
        keras.Input((3,)),
        keras.layers.Lambda(lambda x: keras.config.enable_unsafe_deserialization() or x)])
    model.save(tmp_path / "lambda.keras")
    report = scan_model(tmp_path / "lambda.keras")
    assert severities(report, "MODEL-KERAS-UNSAFE-API") == [Severity.HIGH]
    assert severities(report, "MODEL-KERAS-LAMBDA") == [Severity.HIGH]


@pytest.mark.parametrize(("layer", "qualified"), [
    ({"module": "os", "class_name": "system", "config": {}}, "os.system"),
    ({"module": "subprocess", "class_name": "Popen", "config": {}}, "subprocess.Popen"),
    ({"module": "builtins", "class_name": "function", "config": "exec",
      "registered_name": "function"}, "builtins.exec"),
])
def test_layer_module_naming_a_dangerous_module_is_rated_as_in_pickles(
    wrapper_model: Path, tmp_path: Path, layer: dict[str, Any], qualified: str
) -> None:
    report = scan_model(rewrite_config(
        wrapper_model, tmp_path / "mod.keras",
        lambda config: config["config"]["layers"].append(layer)))
    (hit,) = [f for f in report.findings if f.rule == "MODEL-KERAS-CUSTOM-OBJECT"]
    assert hit.evidence["object"] == qualified and hit.severity == Severity.CRITICAL


def test_builtin_activation_function_stays_a_plain_custom_object(wrapper_model: Path,
                                                                 tmp_path: Path) -> None:
    layer = {"module": "builtins", "class_name": "function", "config": "relu",
             "registered_name": "function"}
    report = scan_model(rewrite_config(
        wrapper_model, tmp_path / "relu.keras",
        lambda config: config["config"]["layers"].append(layer)))
    assert loud(report) == []
