"""Real model files at realistic sizes, written sparsely: multi-GB structures without the bytes.

A torch checkpoint's ``data.pkl`` is pickled as torch's own writer pickles it, over the real
shapes; the storages are zip members whose data is a hole in a sparse file, with their true sizes
and CRCs, and the other records are copied from a real ``torch.save``.
A safetensors file is the real header of the same tensors followed by a hole. So a 13.5 GB
Llama-2-7B-class checkpoint costs a few hundred kilobytes of disk, and ``torch.load`` (mmap)
and ``safetensors`` accept what is written.
"""

from __future__ import annotations

import collections
import functools
import io
import json
import os
import pickle
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

Layout = list[tuple[str, tuple[int, ...]]]
ALIGN = 64  # torch aligns storage data in its zips to 64 bytes
FP16 = 2


def llama_layout(layers: int = 32, hidden: int = 4096, intermediate: int = 11008,
                 vocab: int = 32000) -> Layout:
    """Tensor names and shapes of a Llama-2-7B-class decoder (291 tensors at the defaults)."""
    layout: Layout = [("model.embed_tokens.weight", (vocab, hidden))]
    for index in range(layers):
        prefix = f"model.layers.{index}"
        for name in ("q_proj", "k_proj", "v_proj", "o_proj"):
            layout.append((f"{prefix}.self_attn.{name}.weight", (hidden, hidden)))
        layout.append((f"{prefix}.mlp.gate_proj.weight", (intermediate, hidden)))
        layout.append((f"{prefix}.mlp.up_proj.weight", (intermediate, hidden)))
        layout.append((f"{prefix}.mlp.down_proj.weight", (hidden, intermediate)))
        layout.append((f"{prefix}.input_layernorm.weight", (hidden,)))
        layout.append((f"{prefix}.post_attention_layernorm.weight", (hidden,)))
    layout += [("model.norm.weight", (hidden,)), ("lm_head.weight", (vocab, hidden))]
    return layout


def moe_layout(layers: int, experts: int, hidden: int, expert_size: int) -> Layout:
    """A mixture-of-experts decoder: three matrices per expert, so tens of thousands of tensors."""
    layout: Layout = []
    for index in range(layers):
        prefix = f"model.layers.{index}"
        layout.append((f"{prefix}.self_attn.qkv_proj.weight", (3 * hidden, hidden)))
        layout.append((f"{prefix}.mlp.gate.weight", (experts, hidden)))
        for expert in range(experts):
            for name, shape in (("gate_proj", (expert_size, hidden)),
                                ("up_proj", (expert_size, hidden)),
                                ("down_proj", (hidden, expert_size))):
                layout.append((f"{prefix}.mlp.experts.{expert}.{name}.weight", shape))
    return layout


def nbytes(shape: tuple[int, ...]) -> int:
    count = 1
    for dim in shape:
        count *= dim
    return count * FP16


class _Storage:
    """One tensor's storage, pickled as torch pickles it: a persistent id, never its bytes."""

    def __init__(self, key: str, numel: int) -> None:
        self.key = key
        self.numel = numel


class _Tensor:
    """A contiguous fp16 tensor, reduced to ``torch._utils._rebuild_tensor_v2`` like torch's."""

    def __init__(self, storage: _Storage, shape: tuple[int, ...]) -> None:
        self.storage = storage
        self.shape = shape

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        import torch._utils

        strides: list[int] = []
        step = 1
        for dim in reversed(self.shape):
            strides.insert(0, step)
            step *= dim
        return torch._utils._rebuild_tensor_v2, (self.storage, 0, self.shape, tuple(strides),
                                                 False, collections.OrderedDict())


class _CheckpointPickler(pickle.Pickler):
    def persistent_id(self, obj: object) -> object:
        if isinstance(obj, _Storage):
            import torch

            return ("storage", torch.HalfStorage, obj.key, "cpu", obj.numel)
        return None


def write_sparse_torch_checkpoint(path: Path, layout: Layout) -> int:
    """A ``torch.save`` zip of fp16 tensors of ``layout``; returns the bytes of its storages.

    ``data.pkl`` is pickled the way torch's own ``_save`` does (protocol 2, an OrderedDict of
    ``_rebuild_tensor_v2`` calls over persistent storage ids), the other records are copied from
    a real ``torch.save``, and each storage ``data/<key>`` is a hole of its true size.
    """
    import torch

    state = collections.OrderedDict(
        (name, _Tensor(_Storage(str(key), nbytes(shape) // FP16), shape))
        for key, (name, shape) in enumerate(layout))
    data = io.BytesIO()
    _CheckpointPickler(data, protocol=2).dump(state)
    template = io.BytesIO()
    torch.save({}, template)
    with zipfile.ZipFile(template) as saved:
        records = [(info.filename, saved.read(info)) for info in saved.infolist()]
    top = path.stem
    writer = _SparseZip(path)
    for name, record in records:
        record_name = f"{top}/{name.split('/', 1)[1]}"
        if name.endswith("/data.pkl"):
            writer.add(record_name, data.getvalue())
            for key, (_, shape) in enumerate(layout):
                writer.add_hole(f"{top}/data/{key}", nbytes(shape))
        else:
            writer.add(record_name, record)
    writer.close()
    return sum(nbytes(shape) for _, shape in layout)


def write_sparse_safetensors(path: Path, layout: Layout) -> int:
    """A safetensors file of fp16 tensors of ``layout`` (the data is a hole); returns its size."""
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, shape in layout:
        header[name] = {"dtype": "F16", "shape": list(shape),
                        "data_offsets": [offset, offset + nbytes(shape)]}
        offset += nbytes(shape)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as handle:
        handle.write(struct.pack("<Q", len(text)) + text)
        handle.truncate(8 + len(text) + offset)
    return 8 + len(text) + offset


# -- real files at realistic sizes: each writer returns the path it wrote ----------------------
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
    layers: dict[str, Any] = {f"layer{i}": rng.normal(size=(512, 512)) for i in range(24)}
    np.savez_compressed(path, **layers)
    return path


def keras_mobilenet(folder: Path) -> Path:
    """MobileNetV2 (2.3 M parameters) as ``.keras``, and beside it as legacy ``.h5``."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras
    model = keras.applications.MobileNetV2(weights=None, input_shape=(96, 96, 3), classes=10)
    path = folder / "mobilenet.keras"
    model.save(path)
    model.save(folder / "mobilenet.h5")
    return path


REALISTIC: dict[str, Callable[[Path], Path]] = {
    fn.__name__: fn for fn in (
        torch_training_checkpoint, torch_llama_7b_sparse, torch_moe_sparse,
        safetensors_llama_7b_sparse, sklearn_forest_joblib, sklearn_forest_joblib_zlib,
        sklearn_text_pipeline, joblib_arrays_lz4, numpy_npy_sparse, numpy_npz_compressed,
        keras_mobilenet)
}


# -- a minimal zip64 writer whose member data can be holes ---------------------------------------
def _times(matrix: tuple[int, ...], vector: int) -> int:
    total, index = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[index]
        vector >>= 1
        index += 1
    return total


def _square(matrix: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(_times(matrix, row) for row in matrix)


@functools.cache
def _zero_bytes_operator(power: int) -> tuple[int, ...]:
    """The CRC-32 register update for 2**power zero bytes, as 32 columns over GF(2)."""
    if power == 0:
        # one zero bit shifts the reflected register right, folding in the polynomial
        one_bit = (0xEDB88320, *(1 << bit for bit in range(31)))
        return _square(_square(_square(one_bit)))
    return _square(_zero_bytes_operator(power - 1))


@functools.cache
def crc32_of_zeros(length: int) -> int:
    """``zlib.crc32(bytes(length))`` without the bytes: the register update by squaring."""
    register, power = 0xFFFFFFFF, 0
    while length:
        if length & 1:
            register = _times(_zero_bytes_operator(power), register)
        length >>= 1
        power += 1
    return register ^ 0xFFFFFFFF


class _SparseZip:
    """Stored zip64 members, data aligned like torch's writer; ``add_hole`` writes no bytes."""

    def __init__(self, path: Path) -> None:
        self.handle = open(path, "wb")  # noqa: SIM115 - closed in close()
        self.central: list[bytes] = []

    def add(self, name: str, data: bytes) -> None:
        import zlib

        self._member(name, len(data), zlib.crc32(data))
        self.handle.write(data)

    def add_hole(self, name: str, size: int) -> None:
        self._member(name, size, crc32_of_zeros(size))
        self.handle.seek(size, io.SEEK_CUR)

    def _member(self, name: str, size: int, crc: int) -> None:
        raw = name.encode()
        offset = self.handle.tell()
        zip64 = struct.pack("<HHQQ", 1, 16, size, size)
        pad = -(offset + 30 + len(raw) + len(zip64) + 4) % ALIGN
        extra = zip64 + struct.pack("<HH", 0x4246, pad) + bytes(pad)
        self.handle.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 45, 0, 0, 0, 0x21, crc,
                                      0xFFFFFFFF, 0xFFFFFFFF, len(raw), len(extra)) + raw + extra)
        central_extra = struct.pack("<HHQQQ", 1, 24, size, size, offset)
        self.central.append(struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 45, 45, 0, 0, 0, 0x21, crc, 0xFFFFFFFF,
            0xFFFFFFFF, len(raw), len(central_extra), 0, 0, 0, 0, 0xFFFFFFFF)
            + raw + central_extra)

    def close(self) -> None:
        handle = self.handle
        start = handle.tell()
        for record in self.central:
            handle.write(record)
        end = handle.tell()
        count = len(self.central)
        handle.write(struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count,
                                 end - start, start))
        handle.write(struct.pack("<4sIQI", b"PK\x06\x07", 0, end, 1))
        handle.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                                 0xFFFFFFFF, 0))
        handle.close()
