"""64-bit row fingerprints of a frame, exact and normalised, without copying the frame.

Each column becomes one uint64 per row (its value's bits, or for text the hash of its distinct
value), scrambled with a per-column salt, and the columns fold into a row hash by a wrapping
polynomial finished by the splitmix64 finaliser. Everything is vectorised numpy over one column
at a time, so memory beyond the frame is a few arrays of ``rows x 8`` bytes. Text columns are
hashed per distinct value (``pd.factorize``), which is what keeps string columns cheap.

Normalised fingerprints round floats to a number of decimals and compare strings lower-cased,
stripped and with whitespace collapsed; integers and dates are their own normal form.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = 0x9E3779B97F4A7C15
_FOLD = np.uint64(0x100000001B3)
NA_BITS = np.uint64(0x7FF8DEADBEEF0001)  # one value for every kind of missing


def mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place on a uint64 array (returned for chaining)."""
    with np.errstate(over="ignore"):
        values ^= values >> np.uint64(30)
        values *= _MIX_1
        values ^= values >> np.uint64(27)
        values *= _MIX_2
        values ^= values >> np.uint64(31)
    return values


def _scramble(values: np.ndarray, salt: np.uint64) -> np.ndarray:
    """A cheap per-column scramble (xor salt, odd multiply, xorshift) in place.

    Bijective on uint64, so distinct values stay distinct; the full avalanche comes from one
    ``mix64`` of the folded row value at the end.
    """
    with np.errstate(over="ignore"):
        values ^= salt
        values *= _MIX_2
        values ^= values >> np.uint64(29)
    return values


def column_kind(series: Any) -> str:
    """How a column is hashed: ``int`` (incl. bool), ``float``, ``datetime`` or ``text``."""
    import pandas as pd

    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "int" if not series.hasnans else "float"
    if pd.api.types.is_integer_dtype(dtype):
        return "int" if not series.hasnans else "float"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    return "text"


def pair_kind(train_kind: str, test_kind: str) -> str:
    """One kind for a column of both sides, so equal values hash equal across dtypes."""
    if train_kind == test_kind:
        return train_kind
    if {train_kind, test_kind} <= {"int", "float"}:
        return "float"
    return "text"


def numeric_values(series: Any, kind: str) -> np.ndarray:
    """The column as int64 (``int``/``datetime``) or float64 (``float``), NaN for missing."""
    if kind == "int":
        return np.asarray(series.to_numpy(dtype=np.int64))
    if kind == "datetime":
        values = series
        if getattr(series.dtype, "tz", None) is not None:
            values = series.dt.tz_convert("UTC").dt.tz_localize(None)
        return np.asarray(values.to_numpy(dtype="datetime64[ns]")).view(np.int64)
    return np.asarray(series.to_numpy(dtype=np.float64, na_value=np.nan))


def _float_bits(values: np.ndarray) -> np.ndarray:
    """Bits of a float array with -0.0 folded into 0.0 and every NaN the same (a new array)."""
    clean = values + 0.0
    bits = clean.view(np.uint64)
    bits[np.isnan(clean)] = NA_BITS
    return bits


def normalise_text(value: Any) -> str:
    """Lower-cased, stripped, whitespace collapsed: the normal form of a text cell."""
    return " ".join(str(value).split()).lower()


def _text_codes(series: Any) -> tuple[np.ndarray, list[Any]]:
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        return np.asarray(series.cat.codes.to_numpy()), list(series.cat.categories)
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists, dicts): compare their text
        codes, uniques = pd.factorize(series.astype(str).where(series.notna()),
                                      use_na_sentinel=True)
    return np.asarray(codes), list(uniques)


def _hash_strings(texts: list[str]) -> np.ndarray:
    import pandas as pd

    if not texts:
        return np.zeros(0, dtype=np.uint64)
    return np.asarray(pd.util.hash_array(np.asarray(texts, dtype=object), categorize=False))


def column_bits(series: Any, kind: str, decimals: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Exact and normalised per-row uint64 values of one column (the same array when equal)."""
    if kind == "text":
        codes, uniques = _text_codes(series)
        exact_unique = _hash_strings([str(value) for value in uniques])
        normal_unique = _hash_strings([normalise_text(value) for value in uniques])
        missing = codes < 0
        exact = exact_unique[np.maximum(codes, 0)] if len(uniques) else np.zeros(
            len(codes), dtype=np.uint64)
        exact[missing] = NA_BITS
        if np.array_equal(exact_unique, normal_unique):
            return exact, exact
        normal = normal_unique[np.maximum(codes, 0)]
        normal[missing] = NA_BITS
        return exact, normal
    values = numeric_values(series, kind)
    if kind != "float":
        bits = values.astype(np.uint64)  # a copy: the frame's memory is never written
        return bits, bits
    exact = _float_bits(values)
    if decimals is None:
        return exact, exact
    normal = _float_bits(np.round(values, decimals))
    if np.array_equal(exact, normal):
        return exact, exact
    return exact, normal


def row_hashes(frame: Any, columns: list[Any], kinds: dict[Any, str],
               decimals: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact and normalised 64-bit fingerprints of every row over ``columns``."""
    rows = len(frame)
    exact_rows = np.zeros(rows, dtype=np.uint64)
    normal_rows = np.zeros(rows, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for position, column in enumerate(columns):
            salt = np.uint64((_GOLDEN * (position + 1)) & 0xFFFFFFFFFFFFFFFF)
            exact, normal = column_bits(frame[column], kinds[column], decimals)
            same = exact is normal
            _scramble(exact, salt)
            exact_rows *= _FOLD
            exact_rows += exact
            if not same:
                _scramble(normal, salt)
            normal_rows *= _FOLD
            normal_rows += normal
        mix64(exact_rows)
        mix64(normal_rows)
    return exact_rows, normal_rows
