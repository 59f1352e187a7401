"""Writers of the newer model formats for the corpus and tests, from each format's documentation.

Archives with member names their writers refuse (a 7z name patched into the header with its CRCs
recomputed, tar and zip entries named ``../x``, links), GGUF (ggml's ``docs/gguf.md``), skops'
``schema.json`` node layout, XGBoost's JSON/UBJSON model schema, LightGBM's text model and
TFLite's ``schema.fbs`` flatbuffer. The libraries themselves (gguf, skops, xgboost, lightgbm,
tflite) are not installed, so each file is laid out as the format's documentation describes.
"""

from __future__ import annotations

import io
import json
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path
from typing import Any


def seven_zip_with_name(stored: dict[str, bytes], rename: dict[str, str]) -> bytes:
    """A 7z whose member names py7zr refuses to write, patched in like an attacker would."""
    import py7zr

    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w") as archive:
        archive.set_encoded_header_mode(False)
        for name, data in stored.items():
            archive.writestr(data, name)
    data = bytearray(buffer.getvalue())
    for old, new in rename.items():
        assert len(old) == len(new)
        at = data.index(old.encode("utf-16-le"))
        data[at:at + 2 * len(old)] = new.encode("utf-16-le")
    offset, size = struct.unpack_from("<QQ", data, 12)
    struct.pack_into("<I", data, 28, zlib.crc32(bytes(data[32 + offset:32 + offset + size])))
    struct.pack_into("<I", data, 8, zlib.crc32(bytes(data[12:32])))
    return bytes(data)




def tar_bytes(members: list[tuple[str, bytes | str]], fmt: int = tarfile.PAX_FORMAT) -> bytes:
    """``(name, data)`` members; a ``str`` value makes a symbolic link (``>x`` a hard link)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=fmt) as archive:
        for name, content in members:
            info = tarfile.TarInfo(name)
            if isinstance(content, str):
                info.type = tarfile.LNKTYPE if content.startswith(">") else tarfile.SYMTYPE
                info.linkname = content.lstrip(">")
                archive.addfile(info)
            else:
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()




def zip_with_link(path: Path, link: str, target: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo(link)
        info.create_system = 3
        info.external_attr = 0o120777 << 16
        archive.writestr(info, target)
        archive.writestr("weights/data.bin", b"\x00" * 64)
    return path




UINT32, FLOAT32, STRING, ARRAY, UINT64 = 4, 6, 8, 9, 10


def gguf_string(text: str, version: int = 3) -> bytes:
    raw = text.encode()
    return struct.pack("<I" if version == 1 else "<Q", len(raw)) + raw


def gguf_value(kind: int, value: Any) -> bytes:
    if kind == STRING:
        return gguf_string(value)
    if kind == ARRAY:
        item_kind, items = value
        return struct.pack("<IQ", item_kind, len(items)) + b"".join(
            gguf_value(item_kind, item) for item in items)
    return struct.pack({UINT32: "<I", FLOAT32: "<f", UINT64: "<Q"}[kind], value)


def gguf_file(metadata: list[tuple[str, int, Any]], tensors: int = 1) -> bytes:
    """A GGUF v3 file: metadata, ``tensors`` F32 tensors of 4 values, 32-byte aligned data."""
    out = b"GGUF" + struct.pack("<IQQ", 3, tensors, len(metadata))
    for key, kind, value in metadata:
        out += gguf_string(key) + struct.pack("<I", kind) + gguf_value(kind, value)
    for index in range(tensors):
        out += gguf_string(f"blk.{index}.weight") + struct.pack("<I", 1) + struct.pack(
            "<Q", 4) + struct.pack("<I", 0) + struct.pack("<Q", index * 32)
    out += b"\x00" * (-len(out) % 32)
    return out + b"".join(struct.pack("<4f", 1, 2, 3, 4) + b"\x00" * 16
                          for _ in range(tensors))


CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
          "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
          "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")
WITH_TOOLS = ("{%- set ns = namespace(system='') -%}{%- for m in messages -%}"
              "{%- if m.role == 'system' -%}{%- set ns.system = m.content | trim -%}"
              "{%- elif m.role not in ['user', 'assistant'] -%}"
              "{{ raise_exception('unknown role ' ~ m.role) }}{%- endif -%}{%- endfor -%}"
              "{{ bos_token }}{{ ns.system }}{% if tools %}{{ tools | tojson(indent=2) }}"
              "{% endif %}{{ strftime_now('%d %b %Y') }}")


def base_metadata(template: str | None = None, key: str = "tokenizer.chat_template"
                  ) -> list[tuple[str, int, Any]]:
    items: list[tuple[str, int, Any]] = [
        ("general.architecture", STRING, "llama"), ("general.alignment", UINT32, 32),
        ("llama.context_length", UINT32, 4096), ("llama.rope.freq_base", FLOAT32, 10000.0),
        ("tokenizer.ggml.tokens", ARRAY, (STRING, [f"tok{i}" for i in range(300)])),
        ("tokenizer.ggml.scores", ARRAY, (FLOAT32, [0.0] * 300)),
    ]
    if template is not None:
        items.append((key, STRING, template))
    return items




def skops_node(module: str, name: str, loader: str, content: Any = None,
               **extra: Any) -> dict[str, Any]:
    item = {"__class__": name, "__module__": module, "__loader__": loader, **extra}
    if content is not None:
        item["content"] = content
    return item


def json_value(value: Any) -> dict[str, Any]:
    return skops_node("builtins", type(value).__name__, "JsonNode", json.dumps(value),
                      is_json=True)


def logistic_regression(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    attrs = {"C": json_value(1.0), "penalty": json_value("l2"),
             "coef_": skops_node("numpy", "ndarray", "NdArrayNode", type="numpy",
                                 file="coef.npy"),
             **(extra or {})}
    return {**skops_node("sklearn.linear_model._logistic", "LogisticRegression", "ObjectNode",
                   skops_node("builtins", "dict", "DictNode", attrs)),
            "protocol": 2, "_skops_version": "0.10.0"}


def skops_file(path: Path, schema: dict[str, Any]) -> Path:
    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, np.zeros((1, 3)))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("schema.json", json.dumps(schema))
        archive.writestr("coef.npy", buffer.getvalue())
    return path




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


