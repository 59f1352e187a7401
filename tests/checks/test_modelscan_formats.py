"""Format detection and the format scanners, on real files written by the real libraries.

Benign files come from ``torch.save``, ``torch.jit.save``, ``joblib.dump``, ``np.save``,
``safetensors``, ``onnx`` and Keras-layout files; malicious ones carry a canary payload that would
only create the session's canary marker (the autouse guard in conftest fails any test after which
it exists). Nothing here loads a scanned file.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import pickle
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from corpus.canary import Canary, Reduce

from mlsecops_jupyter.checks.modelscan import scan_model
from mlsecops_jupyter.core.errors import MLSecInputError
from mlsecops_jupyter.core.report import Report
from mlsecops_jupyter.core.settings import Settings
from mlsecops_jupyter.core.severity import Severity

CODE_EXECUTION = {"MODEL-PICKLE-EXEC", "MODEL-PICKLE-DANGEROUS-GLOBAL"}


@pytest.fixture
def evil(canary_marker: Path) -> Reduce:
    return Reduce(os.system, Canary(canary_marker).shell)


@pytest.fixture
def evil_pickle(evil: Reduce) -> bytes:
    return pickle.dumps(evil, protocol=4)


def rules(report: Report) -> set[str]:
    return {f.rule for f in report.findings}


def assert_code_execution(report: Report, member: str | None = None) -> None:
    hits = [f for f in report.findings
            if f.rule in CODE_EXECUTION and f.severity == Severity.CRITICAL]
    assert hits, f"no code execution found: {[(f.rule, f.detail) for f in report.findings]}"
    if member is not None:
        assert any(f.location.member == member for f in hits), [f.location for f in hits]


def assert_benign(report: Report) -> None:
    loud = [(f.rule, f.detail) for f in report.findings if f.severity >= Severity.HIGH]
    assert not loud, loud


def formats(report: Report) -> list[str]:
    return [entry["format"] for entry in report.metrics["files"]]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- PyTorch -------------------------------------------------------------------------------------
torch = pytest.importorskip("torch")


def test_torch_zip_state_dict_is_benign_and_storages_are_never_parsed(
    tmp_path: Path, evil_pickle: bytes
) -> None:
    # a storage holding pickle bytes: torch reads it as raw data, so must the scanner
    hidden = torch.frombuffer(bytearray(evil_pickle), dtype=torch.uint8)
    path = tmp_path / "weights.bin"
    torch.save({"w": torch.zeros(4, 4), "raw": hidden}, path)
    report = scan_model(path)
    assert rules(report) == set()
    entry = next(e for e in report.metrics["files"] if e["format"] == "pytorch-zip")
    assert entry["storages"] == 2 and entry["pickles"] == 1
    assert report.metrics["files_scanned"] == 1
    assert "torch._utils._rebuild_tensor_v2" in report.metrics["globals"]


def test_torch_legacy_checkpoint_reads_five_pickles_and_skips_storages(
    tmp_path: Path, evil_pickle: bytes
) -> None:
    hidden = torch.frombuffer(bytearray(evil_pickle), dtype=torch.uint8)
    path = tmp_path / "legacy.pt"
    torch.save({"w": torch.ones(3), "raw": hidden}, path, _use_new_zipfile_serialization=False)
    report = scan_model(path)
    assert_benign(report)
    assert not rules(report) & CODE_EXECUTION
    (entry,) = report.metrics["files"]
    assert entry["format"] == "pytorch-legacy" and entry["pickles"] == 5


def test_torch_legacy_with_payload_in_the_main_pickle(tmp_path: Path, evil: Reduce) -> None:
    path = tmp_path / "legacy-evil.pt"
    torch.save({"w": torch.ones(2), "x": evil}, path, _use_new_zipfile_serialization=False)
    assert_code_execution(scan_model(path))


def test_torchscript_archive_reports_its_code(tmp_path: Path) -> None:
    path = tmp_path / "traced.pt"
    torch.jit.save(torch.jit.trace(torch.nn.Linear(2, 2), torch.zeros(1, 2)), path)
    report = scan_model(path)
    assert_benign(report)
    code = [f for f in report.findings if f.rule == "MODEL-TORCHSCRIPT-CODE"]
    assert len(code) == 1 and code[0].severity == Severity.INFO
    assert any(name.endswith(".py") for name in code[0].evidence["files"])
    assert "torchscript" in formats(report)


def test_torch_zip_with_payload_any_top_folder(tmp_path: Path, evil: Reduce) -> None:
    path = tmp_path / "checkpoint"
    torch.save({"w": torch.zeros(2), "payload": evil}, path)
    report = scan_model(path)
    assert_code_execution(report, member="checkpoint/data.pkl")


# -- joblib ------------------------------------------------------------------------------------
joblib = pytest.importorskip("joblib")
JOBLIB_COMPRESSIONS = [None, "zlib", "gzip", "bz2", "xz", "lzma", "lz4"]
EXPECTED_WRAPPER = {None: None, "zlib": "zlib", "gzip": "gzip", "bz2": "bz2", "xz": "xz",
                    "lzma": "lzma", "lz4": "lz4"}


@pytest.fixture(scope="module")
def sklearn_model() -> Any:
    from sklearn.linear_model import LogisticRegression

    features = np.arange(40, dtype=float).reshape(20, 2)
    return LogisticRegression().fit(features, np.arange(20) % 2)


@pytest.mark.parametrize("compression", JOBLIB_COMPRESSIONS)
def test_joblib_sklearn_model_is_benign(tmp_path: Path, sklearn_model: Any,
                                        compression: str | None) -> None:
    path = tmp_path / "model.joblib"
    joblib.dump(sklearn_model, path, compress=(compression, 3) if compression else 0)
    report = scan_model(path)
    assert_benign(report)
    wrapper = EXPECTED_WRAPPER[compression]
    if wrapper:
        assert wrapper in formats(report)
    assert "pickle" in formats(report)
    assert any("LogisticRegression" in name for name in report.metrics["globals"])


@pytest.mark.parametrize("compression", JOBLIB_COMPRESSIONS)
def test_joblib_payload_is_found_through_every_compression(
    tmp_path: Path, evil: Reduce, compression: str | None
) -> None:
    path = tmp_path / "model.pkl"
    joblib.dump({"model": evil}, path, compress=(compression, 3) if compression else 0)
    report = scan_model(path)
    assert_code_execution(report)
    if compression:
        hit = next(f for f in report.findings if f.rule in CODE_EXECUTION)
        assert hit.location.member and hit.location.member.startswith("<")


def test_joblib_legacy_zf_prefix(tmp_path: Path, evil_pickle: bytes) -> None:
    # joblib < 0.9.3: b"ZF" + hex length padded to 19 characters + zlib stream
    data = b"ZF" + hex(len(evil_pickle)).encode().ljust(19) + zlib.compress(evil_pickle)
    report = scan_model(write(tmp_path / "old.pkl", data))
    assert_code_execution(report)
    assert "joblib-zf" in formats(report)


@pytest.mark.parametrize(
    "wrap",
    [gzip.compress, zlib.compress, bz2.compress, lzma.compress,
     lambda d: lzma.compress(d, format=lzma.FORMAT_ALONE)],
    ids=["gzip", "zlib", "bz2", "xz", "lzma-alone"],
)
def test_compressed_stream_corrupted_after_the_payload(tmp_path: Path, evil_pickle: bytes,
                                                       wrap: Any) -> None:
    padded = evil_pickle + bytes(range(256)) * 64  # payload first, then more data
    compressed = bytearray(wrap(padded))
    for index in range(len(compressed) - 4, len(compressed)):  # damage the stream's tail
        compressed[index] ^= 0x5A
    report = scan_model(write(tmp_path / "model.bin", bytes(compressed)))
    assert_code_execution(report)
    assert "MODEL-MALFORMED" in rules(report)


# -- pickles by content, not name ------------------------------------------------------------
@pytest.mark.parametrize("name", ["notes.txt", "no_extension", "weights.safetensors"])
@pytest.mark.parametrize("protocol", [0, 1, 2, 5])
def test_pickle_found_whatever_its_name(tmp_path: Path, evil: Reduce, name: str,
                                        protocol: int) -> None:
    path = write(tmp_path / name, pickle.dumps(evil, protocol=protocol))
    assert_code_execution(scan_model(path))
    # a directory walk decides by content too
    assert_code_execution(scan_model(tmp_path))


def test_text_file_is_not_a_model(tmp_path: Path) -> None:
    path = write(tmp_path / "README.md", b"# copy right 2024\ncat and dog\n" * 10)
    explicit = scan_model(path)
    assert rules(explicit) == {"MODEL-UNSUPPORTED"}
    walked = scan_model(tmp_path)
    assert walked.findings == []
    assert [s.why for s in walked.skipped] == ["not a model file"]


# -- NumPy ------------------------------------------------------------------------------------
def test_numeric_npy_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "a.npy"
    np.save(path, np.arange(12, dtype=np.float32).reshape(3, 4))
    report = scan_model(path)
    assert report.findings == []
    (entry,) = report.metrics["files"]
    assert entry["format"] == "npy" and entry["shape"] == [3, 4]


def test_object_npy_is_reported_and_its_pickle_scanned(tmp_path: Path,
                                                       evil: Reduce) -> None:
    benign = tmp_path / "objects.npy"
    np.save(benign, np.array([{"a": 1}, "text"], dtype=object), allow_pickle=True)
    report = scan_model(benign)
    assert "MODEL-NUMPY-OBJECT-ARRAY" in rules(report)
    assert_benign(report)
    hostile = tmp_path / "hostile.npy"
    np.save(hostile, np.array([evil, 1], dtype=object), allow_pickle=True)
    assert_code_execution(scan_model(hostile))


def test_structured_dtype_with_object_field(tmp_path: Path) -> None:
    path = tmp_path / "structured.npy"
    data = np.zeros(2, dtype=[("x", "f8"), ("y", "O")])
    np.save(path, data, allow_pickle=True)
    assert "MODEL-NUMPY-OBJECT-ARRAY" in rules(scan_model(path))


def test_truncated_npy_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "short.npy"
    np.save(path, np.zeros(100))
    path.write_bytes(path.read_bytes()[:-80])
    assert "MODEL-MALFORMED" in rules(scan_model(path))


@pytest.mark.parametrize("saver", [np.savez, np.savez_compressed])
def test_npz_members_are_scanned(tmp_path: Path, evil: Reduce, saver: Any) -> None:
    path = tmp_path / "arrays.npz"
    saver(path, numbers=np.arange(5), objects=np.array([evil], dtype=object))
    report = scan_model(path)
    assert_code_execution(report, member="objects.npy")
    assert "npz" in formats(report)


# -- safetensors ------------------------------------------------------------------------------
def safetensors_bytes(header: dict[str, Any], buffer: bytes) -> bytes:
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + buffer


def test_real_safetensors_file_is_clean(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    path = tmp_path / "model.safetensors"
    save_file({"a": np.zeros((2, 3), np.float32), "b": np.ones(4, np.int64)}, str(path),
              metadata={"format": "np"})
    report = scan_model(path)
    assert report.findings == []
    (entry,) = report.metrics["files"]
    assert entry["tensors"] == 2 and entry["dtypes"] == {"F32": 1, "I64": 1}


@pytest.mark.parametrize(
    ("header", "buffer", "problem"),
    [
        ({"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
          "u": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}, bytes(8), "overlaps"),
        ({"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, bytes(12), "trailing"),
        ({"t": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, bytes(8), "needs"),
        ({"t": {"dtype": "Q99", "shape": [2], "data_offsets": [0, 8]}}, bytes(8), "dtype"),
        ({"t": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}, bytes(8), "shape"),
        ({"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 800]}}, bytes(8), "outside"),
        ({"__metadata__": {"k": 1}, "t": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}},
         bytes(1), "__metadata__"),
        ({"t": {"dtype": "U8", "shape": [1], "data_offsets": [4, 5]}}, bytes(5), "unused"),
    ],
    ids=["overlap", "trailing", "size", "dtype", "negative", "range", "metadata", "gap"],
)
def test_safetensors_header_problems(tmp_path: Path, header: dict[str, Any], buffer: bytes,
                                     problem: str) -> None:
    report = scan_model(write(tmp_path / "x.safetensors", safetensors_bytes(header, buffer)))
    (finding,) = [f for f in report.findings if f.rule == "MODEL-SAFETENSORS-INVALID"]
    assert any(problem in text for text in finding.evidence["problems"])


def test_safetensors_giant_header_length_is_bounded(tmp_path: Path) -> None:
    data = struct.pack("<Q", 1 << 62) + b'{"a": 1}' + bytes(64)
    started = time.perf_counter()
    report = scan_model(write(tmp_path / "giant.safetensors", data))
    assert time.perf_counter() - started < 2
    assert "MODEL-SAFETENSORS-INVALID" in rules(report)


def test_safetensors_unparseable_json_is_malformed(tmp_path: Path) -> None:
    raw = b'{"t": {"dtype": '
    data = struct.pack("<Q", len(raw)) + raw
    assert "MODEL-MALFORMED" in rules(scan_model(write(tmp_path / "bad.safetensors", data)))


# -- ONNX -------------------------------------------------------------------------------------
onnx = pytest.importorskip("onnx")


def onnx_model(nodes: list[Any], initializers: list[Any] = (), opsets: list[Any] = (),
               functions: list[Any] = ()) -> Any:
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
        initializer=list(initializers),
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), *opsets],
                             functions=list(functions))


def test_onnx_standard_model_is_clean(tmp_path: Path) -> None:
    from onnx import helper

    path = tmp_path / "model.onnx"
    onnx.save_model(onnx_model([helper.make_node("Relu", ["x"], ["y"])]), path)
    report = scan_model(path)
    assert report.findings == []
    (entry,) = report.metrics["files"]
    assert entry["format"] == "onnx" and entry["nodes"] == 1


def test_onnx_custom_domain_is_reported_but_not_runtime_contrib_ops(tmp_path: Path) -> None:
    from onnx import helper

    nodes = [helper.make_node("Evil", ["x"], ["t"], domain="com.attacker"),
             helper.make_node("FusedGemm", ["t"], ["y"], domain="com.microsoft")]
    path = tmp_path / "custom.onnx"
    onnx.save_model(onnx_model(nodes, opsets=[helper.make_opsetid("com.attacker", 1)]), path)
    report = scan_model(path)
    (finding,) = [f for f in report.findings if f.rule == "MODEL-ONNX-CUSTOM-OP"]
    assert finding.evidence["domains"] == ["com.attacker"]


def test_onnx_custom_op_inside_a_subgraph(tmp_path: Path) -> None:
    from onnx import TensorProto, helper

    inner = helper.make_graph([helper.make_node("Hidden", ["x"], ["z"], domain="evil.ops")],
                              "then", [], [helper.make_tensor_value_info("z", TensorProto.FLOAT,
                                                                         [2])])
    node = helper.make_node("If", ["c"], ["y"], then_branch=inner, else_branch=inner)
    path = tmp_path / "if.onnx"
    onnx.save_model(onnx_model([node]), path)
    assert "MODEL-ONNX-CUSTOM-OP" in rules(scan_model(path))


def test_onnx_local_function_domain_is_not_custom(tmp_path: Path) -> None:
    from onnx import helper

    function = helper.make_function("my.funcs", "Double", ["a"], ["b"],
                                    [helper.make_node("Add", ["a", "a"], ["b"])],
                                    [helper.make_opsetid("", 17)])
    path = tmp_path / "fn.onnx"
    node = helper.make_node("Double", ["x"], ["y"], domain="my.funcs")
    onnx.save_model(onnx_model([node], opsets=[helper.make_opsetid("my.funcs", 1)],
                               functions=[function]), path)
    assert "MODEL-ONNX-CUSTOM-OP" not in rules(scan_model(path))


def external_tensor(location: str) -> Any:
    from onnx import TensorProto

    tensor = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2])
    tensor.data_location = TensorProto.EXTERNAL
    entry = tensor.external_data.add()
    entry.key, entry.value = "location", location
    return tensor


@pytest.mark.parametrize("location", ["../../etc/passwd", "/etc/passwd", "a/../../x.bin"])
def test_onnx_external_data_escaping_the_folder(tmp_path: Path, location: str) -> None:
    from onnx import helper

    path = tmp_path / "ext.onnx"
    model = onnx_model([helper.make_node("Add", ["x", "w"], ["y"])], [external_tensor(location)])
    onnx.save_model(model, path)
    (finding,) = [f for f in scan_model(path).findings if f.rule == "MODEL-ONNX-EXTERNAL-DATA"]
    assert finding.severity == Severity.HIGH and finding.evidence["location"] == location


def test_onnx_real_external_data_inside_the_folder_is_fine(tmp_path: Path) -> None:
    from onnx import helper, numpy_helper

    weights = numpy_helper.from_array(np.zeros(64, np.float32), name="w")
    model = onnx_model([helper.make_node("Add", ["x", "w"], ["y"])], [weights])
    path = tmp_path / "big.onnx"
    onnx.save_model(model, path, save_as_external_data=True, location="big.data",
                    size_threshold=0)
    report = scan_model(path)
    assert "MODEL-ONNX-EXTERNAL-DATA" not in rules(report)


def test_onnx_external_data_through_a_symlink(tmp_path: Path) -> None:
    from onnx import helper

    folder = tmp_path / "model"
    folder.mkdir()
    outside = write(tmp_path / "secret.bin", bytes(8))
    (folder / "weights.bin").symlink_to(outside)
    path = folder / "m.onnx"
    model = onnx_model([helper.make_node("Add", ["x", "w"], ["y"])],
                       [external_tensor("weights.bin")])
    onnx.save_model(model, path)
    assert "MODEL-ONNX-EXTERNAL-DATA" in rules(scan_model(path))


# -- Keras ------------------------------------------------------------------------------------
LAMBDA_LAYER = {
    "module": "keras.layers", "class_name": "Lambda", "registered_name": None,
    "config": {"name": "lambda", "function": {
        "class_name": "__lambda__", "config": {"code": "4wEAAAAAAAAAAAAAAAIAAAADAAAA8ww=",
                                               "defaults": None, "closure": None}}},
}
CUSTOM_LAYER = {"module": "my_package.layers", "class_name": "Sneaky",
                "config": {"name": "sneaky"}, "registered_name": "my_package>Sneaky"}
DENSE_LAYER = {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
               "config": {"name": "dense", "units": 2, "activation": "linear"}}


def keras_config(*layers: dict[str, Any]) -> dict[str, Any]:
    return {"module": "keras", "class_name": "Sequential", "registered_name": None,
            "config": {"name": "sequential", "layers": list(layers)}}


def write_keras_zip(path: Path, config: dict[str, Any]) -> Path:
    """The layout ``model.save('x.keras')`` writes: config.json, metadata.json, weights."""
    import zipfile

    import h5py

    weights = path.with_suffix(".weights.h5")
    with h5py.File(weights, "w") as handle:
        handle.create_dataset("layers/dense/vars/0", data=np.zeros((3, 2), np.float32))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.0.0"}))
        archive.writestr("config.json", json.dumps(config))
        archive.write(weights, "model.weights.h5")
    return path


def test_keras_zip_lambda_and_custom_objects(tmp_path: Path) -> None:
    path = write_keras_zip(tmp_path / "m.keras", keras_config(DENSE_LAYER, LAMBDA_LAYER,
                                                              CUSTOM_LAYER))
    report = scan_model(path)
    lambdas = [f for f in report.findings if f.rule == "MODEL-KERAS-LAMBDA"]
    assert len(lambdas) == 1 and lambdas[0].severity == Severity.HIGH
    assert lambdas[0].location.member == "config.json"
    (custom,) = [f for f in report.findings if f.rule == "MODEL-KERAS-CUSTOM-OBJECT"]
    assert custom.evidence["object"] == "my_package.layers.Sneaky"
    assert "keras" in formats(report)


def test_keras_zip_with_only_keras_layers_is_clean(tmp_path: Path) -> None:
    report = scan_model(write_keras_zip(tmp_path / "ok.keras", keras_config(DENSE_LAYER)))
    assert report.findings == []


def test_legacy_hdf5_model_config_is_walked(tmp_path: Path) -> None:
    import h5py

    path = tmp_path / "legacy.h5"
    legacy = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "Dense", "config": {"name": "d"}},
        {"class_name": "Lambda", "config": {"name": "l", "function": ["4wEAAA==", None, None],
                                            "function_type": "lambda"}}]}}
    with h5py.File(path, "w", userblock_size=512) as handle:
        handle.attrs["model_config"] = json.dumps(legacy)
        handle.create_dataset("model_weights/d/kernel", data=np.zeros((2, 2)))
    report = scan_model(path)
    assert rules(report) == {"MODEL-KERAS-LAMBDA"}
    assert formats(report) == ["keras-h5"]


def test_real_keras_lambda_model(tmp_path: Path) -> None:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2),
                              keras.layers.Lambda(lambda x: x * 2)])
    model.save(tmp_path / "real.keras")
    model.save(tmp_path / "real.h5")
    for name in ("real.keras", "real.h5"):
        assert "MODEL-KERAS-LAMBDA" in rules(scan_model(tmp_path / name)), name


# -- 7z -----------------------------------------------------------------------------------------
def test_7z_wrapped_pickle(tmp_path: Path, evil_pickle: bytes) -> None:
    py7zr = pytest.importorskip("py7zr")
    path = tmp_path / "model.7z"
    with py7zr.SevenZipFile(path, "w") as archive:
        archive.writestr(evil_pickle, "inner/model.bin")
        archive.writestr(b"just text", "README")
    report = scan_model(path)
    assert_code_execution(report, member="inner/model.bin")
    assert "7z" in formats(report)


# -- the entry point ----------------------------------------------------------------------------
def test_missing_path_is_a_one_line_input_error(tmp_path: Path) -> None:
    with pytest.raises(MLSecInputError, match="no such file"):
        scan_model(tmp_path / "nope.pt")


def test_bytes_and_objects(evil: Reduce, evil_pickle: bytes) -> None:
    report = scan_model(evil_pickle, name="blob")
    assert_code_execution(report)
    assert report.findings[0].location.file == "blob"
    obj = scan_model({"weights": [1.0, 2.0]}, name="params")
    assert obj.subject == "object params (pickled in memory)"
    assert_benign(obj)
    assert_code_execution(scan_model([evil], name="payload"))


def test_directory_walk_and_metrics(tmp_path: Path, evil_pickle: bytes) -> None:
    write(tmp_path / "a.pkl", pickle.dumps({"x": 1}))
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "b.bin", evil_pickle)
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git" / "c.pkl", evil_pickle)
    flat = scan_model(tmp_path)
    assert flat.subject == f"1 files under {tmp_path}"
    assert not rules(flat) & CODE_EXECUTION
    assert any("recursive" in s.why for s in flat.skipped)
    deep = scan_model(tmp_path, recursive=True)
    assert deep.metrics["files_scanned"] == 2
    assert deep.metrics["bytes_scanned"] > 0
    hits = [f for f in deep.findings if f.rule in CODE_EXECUTION]
    assert {f.location.file for f in hits} == {os.path.join(str(tmp_path), "sub", "b.bin")}
    assert any(".git" in s.what for s in deep.skipped)
    assert "os.system" in deep.metrics["globals"] or "posix.system" in deep.metrics["globals"]
    both = scan_model([tmp_path / "a.pkl", tmp_path / "sub" / "b.bin"])
    assert both.subject == "2 files" and both.metrics["files_scanned"] == 2


def test_empty_and_random_files(tmp_path: Path) -> None:
    empty = scan_model(write(tmp_path / "empty.pt", b""))
    assert rules(empty) == {"MODEL-UNSUPPORTED"}
    noise = np.random.default_rng(7).integers(0, 256, 64 << 10, dtype=np.uint8).tobytes()
    started = time.perf_counter()
    report = scan_model(write(tmp_path / "noise.pkl", noise))
    assert time.perf_counter() - started < 5
    assert rules(report) & {"MODEL-UNSUPPORTED", "MODEL-MALFORMED"}


def test_limits_become_scan_incomplete(tmp_path: Path) -> None:
    data = gzip.compress(pickle.dumps(b"\0" * (3 << 20), protocol=4))
    settings = Settings().override({"modelscan.max_decompressed_mb": 1})
    report = scan_model(write(tmp_path / "big.gz", data), settings=settings)
    assert "MODEL-SCAN-INCOMPLETE" in rules(report)


def test_report_is_json_serialisable(tmp_path: Path, evil_pickle: bytes) -> None:
    report = scan_model(write(tmp_path / "x.pkl", evil_pickle))
    assert json.loads(report.to_json())["check"] == "modelscan"
