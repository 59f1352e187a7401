"""Fingerprints of frames, arrays and files: deterministic, change-sensitive, bounded."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from mlsecops_jupyter.lineage.fingerprint import (
    Limits,
    data_in_namespace,
    data_kind,
    file_fingerprint,
    fingerprint,
    sample_positions,
    signature,
)


def frame(rows: int = 100) -> pd.DataFrame:
    return pd.DataFrame({"a": np.arange(rows), "b": np.linspace(0, 1, rows),
                         "c": [f"r{i}" for i in range(rows)]})


def test_frame_fingerprint_describes_shape_columns_and_dtypes():
    print_ = fingerprint(frame())
    assert print_["kind"] == "dataframe"
    assert print_["shape"] == [100, 3]
    assert print_["columns"] == ["a", "b", "c"]
    assert print_["dtypes"][:2] == ["int64", "float64"]
    assert print_["rows_total"] == print_["rows_hashed"] == 100
    assert print_["sample"] == "all"


def test_same_content_same_hash_and_in_place_change_changes_it():
    first, second = frame(), frame()
    assert fingerprint(first)["content_sha256"] == fingerprint(second)["content_sha256"]
    before = signature(first, "dataframe")
    first.loc[5, "b"] = 42.0
    assert signature(first, "dataframe") == before, "a cheap signal cannot see value edits"
    assert fingerprint(first)["content_sha256"] != fingerprint(second)["content_sha256"]


def test_dtype_change_changes_the_hash():
    first, second = frame(), frame()
    second["a"] = second["a"].astype("float64")
    assert fingerprint(first)["content_sha256"] != fingerprint(second)["content_sha256"]


def test_large_frames_are_sampled_and_say_so():
    big = frame(50_000)
    print_ = fingerprint(big, limits=Limits(max_rows=1_000))
    assert print_["rows_total"] == 50_000
    assert print_["rows_hashed"] == 1_000
    assert print_["sample"] == "evenly-spaced"
    edited = big.copy()
    edited.iloc[-1, 0] = -1  # the last row is always in the sample
    assert fingerprint(edited, limits=Limits(max_rows=1_000))["content_sha256"] != \
        print_["content_sha256"]


def test_sample_positions_include_both_ends():
    assert sample_positions(10, 20) == (None, "all")
    positions, method = sample_positions(1_000_001, 5)
    assert positions == [0, 250_000, 500_000, 750_000, 1_000_000]
    assert method == "evenly-spaced"


def test_unhashable_cells_fall_back_to_their_text():
    cells = pd.DataFrame({"tags": [["a"], ["b", "c"]]})
    other = pd.DataFrame({"tags": [["a"], ["b"]]})
    assert fingerprint(cells)["content_sha256"] != fingerprint(other)["content_sha256"]


def test_series_and_arrays():
    series = pd.Series([1, 2, 3], name="target")
    assert fingerprint(series)["kind"] == "series"
    assert fingerprint(series)["columns"] == ["target"]
    array = np.arange(12, dtype=np.int32).reshape(3, 4)
    print_ = fingerprint(array)
    assert print_["kind"] == "ndarray" and print_["shape"] == [3, 4]
    assert print_["dtypes"] == ["<i4"]
    changed = array.copy()
    changed[2, 3] = 0
    assert fingerprint(changed)["content_sha256"] != print_["content_sha256"]


def test_array_rows_over_the_byte_budget_hash_a_bounded_element_sample():
    wide = np.zeros((2, 1_000_000))
    print_ = fingerprint(wide, limits=Limits(max_bytes=64 * 1024))
    assert print_["sample"] == "evenly-spaced-elements"
    assert print_["rows_hashed"] == 1


def test_object_arrays_are_hashed_by_text():
    assert fingerprint(np.array([{"a": 1}, None], dtype=object))["content_sha256"]


def test_other_objects_are_not_data():
    assert data_kind([1, 2]) is None and data_kind("text") is None
    with pytest.raises(TypeError):
        fingerprint([1, 2])


def test_namespace_scan_finds_public_frames_and_arrays_only():
    namespace = {"df": frame(), "_3": frame(), "arr": np.ones(2), "n": 1, "s": "x"}
    assert [(name, kind) for name, kind, _ in data_in_namespace(namespace)] == [
        ("df", "dataframe"), ("arr", "ndarray")]


def test_file_fingerprint_hashes_small_files_and_bounds_big_ones(tmp_path):
    small = tmp_path / "small.csv"
    small.write_bytes(b"a,b\n1,2\n")
    print_ = file_fingerprint(small)
    assert print_["exists"] and print_["size"] == 8
    assert print_["sha256"] == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    big = tmp_path / "big.bin"
    big.write_bytes(b"\0" * 2048)
    bounded = file_fingerprint(big, Limits(max_file_bytes=1024))
    assert bounded["sha256"] is None and "larger than" in bounded["skipped"]
    assert file_fingerprint(tmp_path / "absent") == {"exists": False, "sha256": None}
    assert file_fingerprint(tmp_path)["skipped"] == "not a regular file"


def test_file_hash_cache_is_keyed_by_change(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("1\n")
    cache: dict = {}
    first = file_fingerprint(path, cache=cache)["sha256"]
    assert len(cache) == 1
    path.write_text("22\n")
    assert file_fingerprint(path, cache=cache)["sha256"] != first
