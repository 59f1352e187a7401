"""Benign samples: real files written by the libraries' own save functions.

The scanner must raise nothing at high or above on any of them. The samples that legitimately
import a class no allowlist can know (``torch-full-module``, ``torch-legacy-full-module`` and
``torchscript``: the user's own ``TinyNet``) are marked, and may carry a medium "unknown global"
finding; no other benign sample may have a medium finding (a whole-module save of torch's own
layers included).
"""

from __future__ import annotations

import collections
import datetime
import decimal
import os
import pickle
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

UNKNOWN = "MODEL-PICKLE-UNKNOWN-GLOBAL"


@dataclass(frozen=True)
class BenignSample:
    """One real benign file; ``medium_allowed`` names the rule a medium finding may come from."""

    name: str
    technique: str
    filename: str
    write: Callable[[Path], None]
    medium_allowed: tuple[str, ...] = ()


def _torch_legacy_tar(path: Path) -> None:
    from .torch_tar import write_benign

    write_benign(path)


@lru_cache(maxsize=1)
def _training_data() -> tuple[Any, Any]:
    import numpy as np

    rng = np.random.default_rng(0)
    features = rng.normal(size=(120, 4))
    labels = (features[:, 0] + features[:, 1] > 0).astype(int)
    return features, labels


def _fitted(kind: str) -> Any:
    from sklearn.cluster import KMeans
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    features, labels = _training_data()
    estimators: dict[str, Callable[[], Any]] = {
        "logreg": lambda: LogisticRegression(),
        "forest": lambda: RandomForestClassifier(n_estimators=5, max_depth=3, random_state=0),
        "hgb": lambda: HistGradientBoostingClassifier(max_iter=5, random_state=0),
        "kmeans": lambda: KMeans(n_clusters=3, n_init=1, random_state=0),
        "mlp": lambda: MLPClassifier(hidden_layer_sizes=(5,), max_iter=30, random_state=0),
    }
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning of the deliberately tiny MLP
        return estimators[kind]().fit(features, labels)


def _column_pipeline() -> Any:
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    features, labels = _training_data()
    frame = pd.DataFrame({"a": features[:, 0], "b": features[:, 1],
                          "city": ["x", "y", "z"] * 40})
    pipeline = Pipeline([
        ("prep", ColumnTransformer([("num", StandardScaler(), ["a", "b"]),
                                    ("cat", OneHotEncoder(handle_unknown="ignore"), ["city"])])),
        ("clf", LogisticRegression()),
    ])
    return pipeline.fit(frame, labels)


def _joblib(make: Callable[[], Any], compress: Any = 0) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        import joblib

        joblib.dump(make(), path, compress=compress)

    return write


def _tiny_net() -> Any:
    import torch

    class TinyNet(torch.nn.Module):
        """A user-defined model class: pickled by reference, so unknown to any allowlist."""

        def __init__(self) -> None:
            super().__init__()
            self.linear = torch.nn.Linear(4, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.linear(x)

    TinyNet.__module__ = __name__
    TinyNet.__qualname__ = "TinyNet"
    globals()["TinyNet"] = TinyNet  # so pickle can find it by reference
    torch.manual_seed(0)
    return TinyNet()


def _torch_state_dict(path: Path) -> None:
    import torch

    torch.save(_tiny_net().state_dict(), path)


def _torch_legacy(path: Path) -> None:
    import torch

    torch.save(_tiny_net().state_dict(), path, _use_new_zipfile_serialization=False)


def _torch_full_module(path: Path) -> None:
    import torch

    torch.save(_tiny_net(), path)


def _torch_legacy_full_module(path: Path) -> None:
    import torch

    torch.save(_tiny_net(), path, _use_new_zipfile_serialization=False)


def _torch_layers() -> Any:
    import torch

    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(4, 8), torch.nn.Dropout(0.1), torch.nn.GELU(),
        torch.nn.LayerNorm(8), torch.nn.LSTM(8, 4, batch_first=True),
        torch.nn.Embedding(10, 4), torch.nn.MultiheadAttention(4, 2),
        torch.nn.TransformerEncoderLayer(4, 2, dim_feedforward=8),
    )


def _torch_layers_module(legacy: bool) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        import torch

        torch.save(_torch_layers(), path, _use_new_zipfile_serialization=not legacy)

    return write


def _torchscript(path: Path) -> None:
    import torch

    torch.jit.save(torch.jit.script(_tiny_net()), str(path))


def _npy(path: Path) -> None:
    import numpy as np

    with path.open("wb") as handle:
        np.save(handle, np.linspace(0.0, 1.0, 32).reshape(4, 8))


def _npz(path: Path) -> None:
    import numpy as np

    with path.open("wb") as handle:
        np.savez_compressed(handle, weights=np.ones((3, 3)), bias=np.arange(3, dtype=np.int64))


def _pandas_frame(path: Path) -> None:
    import pandas as pd

    frame = pd.DataFrame({
        "when": pd.date_range("2024-01-01", periods=4, freq="D"),
        "group": pd.Categorical(["a", "b", "a", "c"]),
        "label": pd.array(["x", "y", None, "z"], dtype="string"),
        "count": pd.array([1, None, 3, 4], dtype="Int64"),
        "value": [0.5, 1.5, 2.5, 3.5],
    })
    frame.to_pickle(path)


def _stdlib_objects(protocol: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        value = {
            "ordered": collections.OrderedDict(a=1, b=2),
            "counter": collections.Counter("mississippi"),
            "when": datetime.datetime(2024, 5, 17, 12, 30, tzinfo=datetime.timezone.utc),
            "day": datetime.date(2024, 5, 17),
            "price": decimal.Decimal("12.50"),
            "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "raw": b"\x00\x01",
            "numbers": [1, 2.5, complex(1, 2), frozenset({1, 2}), {3}],
        }
        path.write_bytes(pickle.dumps(value, protocol=protocol))

    return write


def _safetensors(path: Path) -> None:
    import numpy as np
    from safetensors.numpy import save_file

    save_file({"weight": np.ones((4, 4), dtype=np.float32),
               "bias": np.zeros(4, dtype=np.float32)}, str(path))


def _onnx(path: Path) -> None:
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    weight = numpy_helper.from_array(np.ones(4, dtype=np.float32), name="W")
    graph = helper.make_graph(
        [helper.make_node("Add", ["X", "W"], ["Y"])], "add",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [4])],
        initializer=[weight],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    path.write_bytes(model.SerializeToString())


def _keras(path: Path) -> None:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="relu"),
                              keras.layers.Dense(1)])
    model.save(path)


BENIGN: list[BenignSample] = [
    BenignSample("sklearn-logreg", "joblib.dump of LogisticRegression", "logreg.joblib",
                 _joblib(lambda: _fitted("logreg"))),
    BenignSample("sklearn-random-forest", "joblib.dump of RandomForestClassifier", "forest.joblib",
                 _joblib(lambda: _fitted("forest"))),
    BenignSample("sklearn-hist-gradient-boosting", "joblib.dump of HistGradientBoosting",
                 "hgb.pkl", _joblib(lambda: _fitted("hgb"))),
    BenignSample("sklearn-column-pipeline", "Pipeline(ColumnTransformer(scaler, one-hot), logreg)",
                 "pipeline.joblib", _joblib(_column_pipeline)),
    BenignSample("sklearn-kmeans", "joblib.dump of KMeans", "kmeans.joblib",
                 _joblib(lambda: _fitted("kmeans"))),
    BenignSample("sklearn-mlp", "joblib.dump of MLPClassifier", "mlp.joblib",
                 _joblib(lambda: _fitted("mlp"))),
    *[
        BenignSample(f"joblib-{method}", f"joblib compressed with {method}",
                     f"forest.joblib.{method}", _joblib(lambda: _fitted("forest"), (method, 3)))
        for method in ("zlib", "gzip", "bz2", "xz", "lzma", "lz4")
    ],
    BenignSample("torch-state-dict", "torch.save(state_dict) zip", "state.pt", _torch_state_dict),
    BenignSample("torch-legacy-state-dict", "torch.save legacy format", "state_legacy.pt",
                 _torch_legacy),
    BenignSample("torch-legacy-tar", "torch < 0.4 tar checkpoint (sys_info, pickle, storages, "
                 "tensors), as torch.load still reads it", "old.pth", _torch_legacy_tar),
    BenignSample("torch-full-module", "torch.save of a whole user-defined nn.Module", "net.pt",
                 _torch_full_module, medium_allowed=(UNKNOWN,)),
    BenignSample("torch-legacy-full-module", "legacy torch.save of a whole user nn.Module "
                 "(classes stored through persistent ids)", "net_legacy.pt",
                 _torch_legacy_full_module, medium_allowed=(UNKNOWN,)),
    BenignSample("torch-nn-layers-module", "torch.save of a whole nn.Sequential of torch layers",
                 "layers.pt", _torch_layers_module(legacy=False)),
    BenignSample("torch-legacy-nn-layers-module", "legacy torch.save of torch's own nn layers",
                 "layers_legacy.pt", _torch_layers_module(legacy=True)),
    BenignSample("torchscript", "torch.jit.save of a scripted user-defined module",
                 "scripted.pt", _torchscript, medium_allowed=(UNKNOWN,)),
    BenignSample("numpy-npy", "numeric .npy", "weights.npy", _npy),
    BenignSample("numpy-npz", "numeric compressed .npz", "weights.npz", _npz),
    BenignSample("pandas-dataframe", "DataFrame.to_pickle: datetime, category, string, Int64",
                 "frame.pkl", _pandas_frame),
    *[
        BenignSample(f"stdlib-objects-proto{protocol}", f"OrderedDict/Counter/datetime/Decimal/"
                     f"UUID/complex pickled with protocol {protocol}",
                     f"objects-p{protocol}.pkl", _stdlib_objects(protocol))
        for protocol in (0, 2, 5)
    ],
    BenignSample("safetensors", "safetensors file", "model.safetensors", _safetensors),
    BenignSample("onnx-model", "ONNX model built with onnx.helper", "model.onnx", _onnx),
    BenignSample("keras-dense", "Keras 3 .keras without Lambda", "dense.keras", _keras),
]
