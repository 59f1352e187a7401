"""PyTorch's legacy tar checkpoints (torch < 0.4), written by hand in the layout torch.load reads.

No torch release since 0.4 writes this format, but ``torch.load(weights_only=False)`` still
reads it (``legacy_load`` in ``torch/serialization.py``): ``storages`` (a count, then per
storage a pickle ``(key, location, storage_type)`` and raw bytes), ``tensors`` (a count, then
per tensor a pickle ``(key, storage_id, tensor_type)`` and a raw shape), ``pickle`` (the object,
whose persistent ids name tensor keys) and ``sys_info``. The benign file loads back to
``{"weight": tensor([1., 2., 3.])}``; each payload variant puts the canary call in one of the
pickles torch.load unpickles.
"""

from __future__ import annotations

import io
import pickle
import struct
import tarfile
from pathlib import Path
from typing import Any

from .canary import Canary


def _dump(value: object) -> bytes:
    return pickle.dumps(value, protocol=2)


class _TensorRefs(pickle.Pickler):
    """Pickles ``{"weight": TENSOR}`` with the tensor as persistent id ``"1"`` (its key)."""

    def persistent_id(self, obj: Any) -> str | None:  # noqa: D102
        return "1" if obj == "TENSOR" else None


def _members(storage_payload: bytes = b"", tensor_payload: bytes = b"",
             object_payload: bytes = b"") -> list[tuple[str, bytes]]:
    import torch

    values = struct.pack("<3f", 1.0, 2.0, 3.0)
    storages = (_dump(2 if storage_payload else 1)
                + _dump((0, "cpu", torch.FloatStorage)) + struct.pack("<q", 3) + values)
    if storage_payload:  # a second storage entry whose (key, location, type) is the payload
        storages += storage_payload + struct.pack("<q", 0)
    storages += _dump([])
    shape = struct.pack("<ii", 1, 0) + struct.pack("<q", 3) + struct.pack("<q", 1) + \
        struct.pack("<q", 0)
    tensors = _dump(2 if tensor_payload else 1) + _dump((1, 0, torch.FloatTensor)) + shape
    if tensor_payload:
        tensors += tensor_payload + shape
    buffer = io.BytesIO()
    _TensorRefs(buffer, protocol=2).dump({"weight": "TENSOR"})
    sys_info = _dump({"protocol_version": 1001, "little_endian": True,
                      "type_sizes": {"short": 2, "int": 4, "long": 8}})
    return [("sys_info", sys_info), ("pickle", object_payload or buffer.getvalue()),
            ("tensors", tensors), ("storages", storages)]


def _write(path: Path, members: list[tuple[str, bytes]]) -> None:
    with tarfile.open(path, "w:", format=tarfile.PAX_FORMAT) as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def write_benign(path: Path) -> None:
    """A genuine legacy tar checkpoint of one float tensor."""
    _write(path, _members())


def _payload(canary: Canary) -> bytes:
    from .payloads import inner_payload

    return inner_payload(canary)


def write_object_payload(path: Path, canary: Canary) -> None:
    """The ``pickle`` member (the saved object) is the payload."""
    _write(path, _members(object_payload=_payload(canary)))


def write_storage_payload(path: Path, canary: Canary) -> None:
    """The second storage entry's pickle, after the first storage's raw bytes, is the payload."""
    _write(path, _members(storage_payload=_payload(canary)))


def write_tensor_payload(path: Path, canary: Canary) -> None:
    """The second tensor entry's pickle, after the first tensor's raw shape, is the payload."""
    _write(path, _members(tensor_payload=_payload(canary)))
