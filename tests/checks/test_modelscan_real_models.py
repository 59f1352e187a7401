"""Real model files of realistic size are scanned complete, far from every limit.

A stopped scan blocks (``MODEL-SCAN-INCOMPLETE`` is high), so the limits must sit where no
ordinary model reaches them. Each file here is written by its library's own save function (or,
for multi-GB checkpoints, with torch's own record layout and the tensor bytes left as holes in
a sparse file, see ``corpus/large.py``) and must scan with no limit reached, nothing at high or
above, and each budget it draws on used to a small fraction (``HEADROOM``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from corpus.large import (
    llama_layout,
    moe_layout,
    write_sparse_safetensors,
    write_sparse_torch_checkpoint,
)

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.settings import Settings
from mlsecops_jupyter.core.severity import Severity

pytestmark = pytest.mark.slow
# fraction of each limit a real file may use: opcodes and decompressed bytes a tenth, archive
# members a third (the largest single-file checkpoints hold tens of thousands of tensors)
HEADROOM = {"opcodes": 0.1, "decompressed": 0.1, "members": 1 / 3}


def budget_use(report: Report) -> dict[str, float]:
    """How much of each limit the scan drew on, from what ``metrics.files`` records."""
    limits = Settings().modelscan
    files = report.metrics["files"]
    return {
        "opcodes": sum(e.get("opcodes", 0) for e in files) / limits.max_opcodes,
        "decompressed": sum(e.get("decompressed_bytes", 0) for e in files)
        / (limits.max_decompressed_mb << 20),
        "members": max((e.get("members", 0) for e in files), default=0) / limits.max_members,
    }


def assert_complete(report: Report) -> None:
    described = [f"{f.severity.label} {f.rule}: {f.detail}" for f in report.findings]
    assert not [f for f in report.findings if f.rule == "MODEL-SCAN-INCOMPLETE"], described
    assert not report.at_or_above(Severity.HIGH), described
    use = budget_use(report)
    assert all(use[name] < HEADROOM[name] for name in HEADROOM), use


# -- writers: each returns the path it wrote -----------------------------------------------------
def torch_training_checkpoint(folder: Path) -> Path:
    """A transformer's weights with its Adam state after one step, as trainers save them."""
    import torch

    torch.manual_seed(0)
    net = torch.nn.Transformer(d_model=256, nhead=8, num_encoder_layers=6,
                               num_decoder_layers=6, dim_feedforward=1024)
    optimizer = torch.optim.Adam(net.parameters())
    net(torch.rand(4, 2, 256), torch.rand(3, 2, 256)).sum().backward()
    optimizer.step()
    path = folder / "transformer-checkpoint.pt"
    torch.save({"model": net.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3}, path)
    return path


def torch_llama_7b_sparse(folder: Path) -> Path:
    path = folder / "llama-7b.pt"
    assert write_sparse_torch_checkpoint(path, llama_layout()) > 13_000_000_000
    return path


def torch_moe_sparse(folder: Path) -> Path:
    """46k tensors (30 layers of 512 experts): the member count of the largest checkpoints."""
    path = folder / "moe.pt"
    write_sparse_torch_checkpoint(path, moe_layout(layers=30, experts=512, hidden=64,
                                                   expert_size=32))
    return path


def safetensors_llama_7b_sparse(folder: Path) -> Path:
    path = folder / "llama-7b.safetensors"
    assert write_sparse_safetensors(path, llama_layout()) > 13_000_000_000
    return path


def _forest() -> Any:
    from sklearn.ensemble import RandomForestClassifier

    rng = np.random.default_rng(0)
    features = rng.normal(size=(8000, 20))
    labels = (features[:, 0] + rng.normal(size=8000) > 0).astype(int)
    return RandomForestClassifier(n_estimators=40, random_state=0).fit(features, labels)


def sklearn_forest_joblib(folder: Path) -> Path:
    import joblib

    path = folder / "forest.joblib"
    joblib.dump(_forest(), path)
    return path


def sklearn_forest_joblib_zlib(folder: Path) -> Path:
    import joblib

    path = folder / "forest-zlib.joblib"
    joblib.dump(_forest(), path, compress=3)
    return path


def sklearn_text_pipeline(folder: Path) -> Path:
    """TF-IDF over a 100,000-word vocabulary and a classifier: a pickle of a large dict."""
    import joblib
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    rng = np.random.default_rng(1)
    words = np.array([f"w{index}" for index in range(100_000)])
    documents = [" ".join(words[rng.integers(0, len(words), 60)]) for _ in range(4000)]
    labels = rng.integers(0, 2, len(documents))
    pipeline = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=50))
    path = folder / "text-pipeline.joblib"
    joblib.dump(pipeline.fit(documents, labels), path)
    return path


def joblib_arrays_lz4(folder: Path) -> Path:
    """256 MB of embeddings in an lz4-compressed joblib: the scanner inflates all of it."""
    import joblib

    path = folder / "embeddings.joblib"
    joblib.dump({"embeddings": np.zeros((65_536, 1024), np.float32), "ids": np.arange(65_536)},
                path, compress="lz4")
    return path


def numpy_npy_sparse(folder: Path) -> Path:
    path = folder / "weights.npy"
    np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(1 << 29,)).flush()
    return path


def numpy_npz_compressed(folder: Path) -> Path:
    rng = np.random.default_rng(2)
    path = folder / "layers.npz"
    np.savez_compressed(path, **{f"layer{i}": rng.normal(size=(512, 512)) for i in range(24)})
    return path


def keras_mobilenet(folder: Path) -> Path:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    model = keras.applications.MobileNetV2(weights=None, input_shape=(96, 96, 3), classes=10)
    path = folder / "mobilenet.keras"
    model.save(path)
    model.save(folder / "mobilenet.h5")
    return path


WRITERS: dict[str, Callable[[Path], Path]] = {
    fn.__name__: fn for fn in (
        torch_training_checkpoint, torch_llama_7b_sparse, torch_moe_sparse,
        safetensors_llama_7b_sparse, sklearn_forest_joblib, sklearn_forest_joblib_zlib,
        sklearn_text_pipeline, joblib_arrays_lz4, numpy_npy_sparse, numpy_npz_compressed,
        keras_mobilenet)
}


@pytest.mark.parametrize("name", WRITERS)
def test_real_model_is_scanned_complete(name: str, tmp_path: Path) -> None:
    path = WRITERS[name](tmp_path)
    assert_complete(scan_model(path))
    if name == "keras_mobilenet":
        assert_complete(scan_model(tmp_path / "mobilenet.h5"))


def test_sparse_checkpoint_is_a_real_torch_checkpoint(tmp_path: Path) -> None:
    """torch itself accepts the sparse 7B-class file (mapped, so no tensor byte is read)."""
    torch = pytest.importorskip("torch")
    path = torch_llama_7b_sparse(tmp_path)
    assert path.stat().st_size > 13_000_000_000
    assert os.stat(path).st_blocks * 512 < 16 << 20  # written sparsely
    state = torch.load(path, mmap=True, weights_only=True)  # our own benign file
    assert len(state) == 291 and state["lm_head.weight"].shape == (32000, 4096)
    report = scan_model(path)
    (checkpoint,) = [e for e in report.metrics["files"] if e["format"] == "pytorch-zip"]
    assert checkpoint["storages"] == 291 and report.findings == []
