"""Exact and near-duplicate rows between two dask frames, in bounded memory.

Each partition becomes one small fingerprint row per data row: the normalised 64-bit hash, the
exact hash, a second exact hash made independently (other salts, other string key), the row's
global position and its side. Those rows meet in a hash-partitioned shuffle on the normalised
hash (dask's p2p shuffle on a distributed cluster, its disk shuffle on the local scheduler:
both write to disk rather than hold the set in memory), so each bucket holds every train and
test row that could match one another: identical rows have identical normal forms. Per bucket,
a test row is an exact duplicate when a training row has the same two exact hashes, and a near
duplicate when one has the same normal hash but none the same exact ones; the buckets' counts
add up and their earliest test rows give the examples.

Exactness: the pandas engine confirms each exact match value by value; here a match must agree
on two independent 64-bit fingerprints of the values (a 128-bit key). Their hashing is the same
per value (``_hashing``), so equal rows always match, and two different rows agree on both with
a probability of about 2**-128 per pair: 1e-20 over 100 M x 20 M rows. Near duplicates rest on
the one normalised hash in both engines.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..leakage._hashing import (
    _float_bits,
    _text_codes,
    mix64,
    numeric_values,
    row_hashes,
)
from ..leakage._overlap import Overlap, _member
from .frames import parts_of

BUCKET_ROWS = 2_000_000        # fingerprint rows per shuffle bucket (about 70 MB)
_VERIFY_KEY = "mlsec-verify-k2!"  # 16 characters: pandas' hash_array key of the second hash
_VERIFY_FOLD = np.uint64(0xD6E8FEB86659FD93)
_VERIFY_SALT = 0xC2B2AE3D27D4EB4F
SIDE_TRAIN, SIDE_TEST = 0, 1


def _verify_column(series: Any, kind: str) -> np.ndarray:
    """Exact per-row bits of one column under a second, independent hash."""
    import pandas as pd

    if kind == "text":
        codes, uniques = _text_codes(series)
        texts = np.asarray([str(value) for value in uniques], dtype=object)
        hashed = np.asarray(pd.util.hash_array(texts, hash_key=_VERIFY_KEY, categorize=False)) \
            if len(texts) else np.zeros(0, dtype=np.uint64)
        bits = hashed[np.maximum(codes, 0)] if len(texts) else np.zeros(len(codes), np.uint64)
        bits[codes < 0] = np.uint64(0x5BD1E9955BD1E995)
        return bits
    values = numeric_values(series, kind)
    if kind == "float":
        return _float_bits(values)
    return values.astype(np.uint64)


def verify_hashes(frame: Any, columns: list[Any], kinds: dict[Any, str]) -> np.ndarray:
    """A second exact fingerprint per row, independent of ``row_hashes``' exact one."""
    rows = np.full(len(frame), np.uint64(_VERIFY_SALT), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for position, column in enumerate(columns):
            bits = _verify_column(frame[column], kinds[column])
            bits ^= np.uint64((_VERIFY_SALT * (position + 7)) & 0xFFFFFFFFFFFFFFFF)
            mix64(bits)
            rows *= _VERIFY_FOLD
            rows ^= bits
        mix64(rows)
    return rows


def fingerprint_partition(part: Any, columns: list[Any], kinds: dict[Any, str], decimals: int,
                          start: int, side: int) -> Any:
    """The fingerprint rows of one partition (``start``: global position of its first row)."""
    import pandas as pd

    exact, normal = row_hashes(part, columns, kinds, decimals)
    return pd.DataFrame({
        "normal": normal,
        "exact": exact,
        "verify": verify_hashes(part, columns, kinds),
        "pos": np.arange(start, start + len(part), dtype=np.int64),
        "side": np.full(len(part), side, dtype=np.int8),
    })


def fingerprint_meta() -> Any:
    import pandas as pd

    return pd.DataFrame({"normal": np.zeros(0, np.uint64), "exact": np.zeros(0, np.uint64),
                         "verify": np.zeros(0, np.uint64), "pos": np.zeros(0, np.int64),
                         "side": np.zeros(0, np.int8)})


def buckets_for(rows: int, partitions: int) -> int:
    """Shuffle buckets: about ``BUCKET_ROWS`` rows each, never fewer than the input partitions."""
    return max(1, partitions, math.ceil(rows / BUCKET_ROWS))


def _first_train(keys: dict[str, np.ndarray], train_pos: np.ndarray,
                 wanted: dict[str, np.ndarray]) -> Any:
    """The earliest training position of each wanted key (a frame: key columns, train_pos).

    Only the training rows whose first key column is wanted are grouped, never the bucket.
    """
    import pandas as pd

    names = list(keys)
    rows = _member(keys[names[0]], np.unique(wanted[names[0]]))
    picked = pd.DataFrame({name: keys[name][rows] for name in names})
    picked["train_pos"] = train_pos[rows]
    return picked.groupby(names, sort=False)["train_pos"].min().reset_index()


def match_bucket(bucket: Any, max_examples: int) -> dict[str, Any]:
    """Exact and near-duplicate test rows within one bucket, with the earliest as examples.

    Vectorised on the bucket's columns: membership tests on one hash column at a time, and the
    grouping (earliest training row per key) only over the few training rows that matter.
    """
    import pandas as pd

    side = bucket["side"].to_numpy()
    is_train = side == SIDE_TRAIN
    columns = {name: bucket[name].to_numpy() for name in ("normal", "exact", "verify", "pos")}
    train = {name: values[is_train] for name, values in columns.items()}
    test = {name: values[~is_train] for name, values in columns.items()}
    empty = np.zeros(0, dtype=np.int64)
    if not len(train["pos"]) or not len(test["pos"]):
        return {"exact": 0, "near": 0, "exact_examples": (empty, empty),
                "near_examples": (empty, empty)}
    candidate = _member(test["exact"], train["exact"])
    if candidate.any():
        first_exact = _first_train({"exact": train["exact"], "verify": train["verify"]},
                                   train["pos"], {"exact": test["exact"][candidate]})
        exact = pd.DataFrame({"exact": test["exact"][candidate],
                              "verify": test["verify"][candidate],
                              "pos": test["pos"][candidate]}).merge(
            first_exact, on=["exact", "verify"], how="inner")
    else:
        exact = pd.DataFrame({"pos": empty, "train_pos": empty})
    near_rows = (_member(test["normal"], train["normal"])
                 & ~_member(test["pos"], exact["pos"].to_numpy()))
    near_pos, near_normal = test["pos"][near_rows], test["normal"][near_rows]
    earliest = np.argsort(near_pos, kind="stable")[:max_examples]
    near_first = pd.DataFrame({"normal": near_normal[earliest], "pos": near_pos[earliest]})
    if len(near_first):
        first_normal = _first_train({"normal": train["normal"]}, train["pos"],
                                    {"normal": near_first["normal"].to_numpy()})
        near_first = near_first.merge(first_normal, on="normal", how="left")
    else:
        near_first["train_pos"] = empty
    exact_first = exact.nsmallest(max_examples, "pos")
    return {
        "exact": len(exact),
        "near": int(near_rows.sum()),
        "exact_examples": (exact_first["pos"].to_numpy(), exact_first["train_pos"].to_numpy()),
        "near_examples": (near_first["pos"].to_numpy(), near_first["train_pos"].to_numpy()),
    }


def merge_buckets(results: list[dict[str, Any]], max_examples: int
                  ) -> tuple[int, int, list[tuple[int, int]], list[tuple[int, int]]]:
    """Counts summed over the buckets; the earliest (test, train) position pairs overall."""
    counts = {"exact": 0, "near": 0}
    pairs: dict[str, list[tuple[int, int]]] = {"exact": [], "near": []}
    for result in results:
        for what in ("exact", "near"):
            counts[what] += int(result[what])
            test_pos, train_pos = result[f"{what}_examples"]
            pairs[what].extend(zip(map(int, test_pos), map(int, train_pos), strict=True))
    return (counts["exact"], counts["near"], sorted(pairs["exact"])[:max_examples],
            sorted(pairs["near"])[:max_examples])


def duplicates(train: Any, test: Any, infos: tuple[Any, Any], columns: list[Any],
               kinds: dict[Any, str], decimals: int, max_examples: int,
               label: str) -> tuple[Overlap, Overlap]:
    """Exact and near duplicates of ``test`` in ``train`` (examples as row labels)."""
    import dask
    import dask.dataframe as dd

    from .frames import labels_at, partition_offsets
    from .run import active_client, run_parts

    pieces = []
    for side, frame, info in ((SIDE_TRAIN, train, infos[0]), (SIDE_TEST, test, infos[1])):
        for part, start in zip(parts_of(frame[columns]), partition_offsets(info),
                               strict=True):
            pieces.append(dask.delayed(fingerprint_partition)(part, columns, kinds, decimals,
                                                              start, side))
    held = run_parts(pieces, f"{label}: fingerprinting rows", keep=True)
    meta = fingerprint_meta()
    if active_client() is None:
        held = [dask.delayed(piece) for piece in held]
    fingerprints = dd.from_delayed(held, meta=meta, verify_meta=False)
    buckets = buckets_for(infos[0].rows + infos[1].rows, len(held))
    method = "p2p" if active_client() is not None else "disk"
    shuffled = fingerprints.shuffle(on="normal", npartitions=buckets, shuffle_method=method)
    results = run_parts([dask.delayed(match_bucket)(part, max_examples)
                         for part in parts_of(shuffled)], f"{label}: matching rows")
    exact_count, near_count, exact_pairs, near_pairs = merge_buckets(results, max_examples)
    overlaps = []
    for count, pairs in ((exact_count, exact_pairs), (near_count, near_pairs)):
        test_labels = labels_at(test, infos[1], [t for t, _ in pairs], label)
        train_labels = labels_at(train, infos[0], [r for _, r in pairs], label)
        overlaps.append(Overlap(count, [{"test": t, "train": r} for t, r in
                                        zip(test_labels, train_labels, strict=True)]))
    return overlaps[0], overlaps[1]
