"""``check_bias`` on dask columns: the rows reduced to counts per cell, across partitions.

Every metric of the bias check is a sum over rows within a group: confusion counts, weight
totals, score and error sums. So each partition is reduced to its distinct cells
(sensitive values, true label, prediction, and the score when given) with the rows and the
weight total of each, the partitions' tables are added up, and the check runs on that table
with the row count of each cell as its multiplicity (``_check.Problem.counts``). Group sizes,
rates, gaps and the bootstrap (which draws from counts anyway) come out as on the rows
themselves. For classification the table holds groups x classes x classes cells whatever the
row count; scores and regression targets make a cell per distinct value, so there the table
grows with the number of distinct values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...core.errors import MLSecInputError
from . import is_dask
from .frames import parts_of

LABEL = "bias (dask)"
MIXED = ("check_bias on dask: give y_true, y_pred, the sensitive features (and y_score, "
         "sample_weight) all as dask columns of one frame; got {kind} for {what}")
UNALIGNED = ("check_bias on dask: {what} has {got} partitions but y_true has {expected}: "
             "take every input from the same dask frame")
ROWS_DIFFER = "{what} has {got} rows but y_true has {expected}"


@dataclass
class Reduced:
    """The distinct cells of the rows, with their multiplicity, as ``check_bias`` reads them."""

    y_true: np.ndarray
    y_pred: np.ndarray
    sensitive: dict[str, np.ndarray]
    score: np.ndarray | None
    weights: np.ndarray | None      # per cell: the total weight of its rows
    counts: np.ndarray              # per cell: its rows
    engine: dict[str, Any]


def any_dask(*values: Any) -> bool:
    if any(is_dask(value) for value in values):
        return True
    return any(isinstance(value, Mapping) and any(is_dask(v) for v in value.values())
               for value in values)


def _sensitive(sensitive: Any) -> dict[str, Any]:
    if is_dask(sensitive) and hasattr(sensitive, "columns"):
        return {str(name): sensitive[name] for name in sensitive.columns}
    if is_dask(sensitive):
        name = getattr(sensitive, "name", None)
        return {"sensitive_feature_0" if name is None else str(name): sensitive}
    if isinstance(sensitive, Mapping):
        return {str(name): values for name, values in sensitive.items()}
    raise MLSecInputError(MIXED.format(kind=type(sensitive).__name__, what="sensitive"))


def _cells(parts: list[Any], keys: list[str], weighted: bool) -> tuple[Any, int]:
    """One partition's distinct cells: rows (``n``) and weight total (``w``) of each; and its
    weights that are negative or not finite (a total could hide them)."""
    import pandas as pd

    frame = pd.DataFrame({name: np.asarray(part) for name, part in
                          zip([*keys, *(["w"] if weighted else [])], parts, strict=True)})
    bad = 0
    if weighted:
        weights = frame["w"].to_numpy(dtype=np.float64)
        bad = int(np.count_nonzero(~np.isfinite(weights) | (weights < 0)))
    grouped = frame.groupby(keys, dropna=False, sort=False)
    cells = grouped.size().rename("n").to_frame()
    if weighted:
        cells["w"] = grouped["w"].sum()
    return cells.reset_index(), bad


def _lengths(part: Any) -> int:
    return len(part)


def reduce_rows(y_true: Any, y_pred: Any, sensitive: Any, y_score: Any,
                sample_weight: Any) -> Reduced:
    """Count the distinct cells of dask columns across their partitions."""
    import dask
    import pandas as pd

    from . import require_dask
    from .run import run_parts, scheduler_name

    require_dask()
    features = _sensitive(sensitive)
    inputs = {"y_true": y_true, "y_pred": y_pred,
              **{f"s{i}": values for i, values in enumerate(features.values())}}
    if y_score is not None:
        inputs["score"] = y_score
    if sample_weight is not None:
        inputs["w"] = sample_weight
    names = {"y_true": "y_true", "y_pred": "y_pred", "score": "y_score", "w": "sample_weight",
             **{f"s{i}": f"sensitive feature {name!r}" for i, name in enumerate(features)}}
    partitions = y_true.npartitions if is_dask(y_true) else None
    for key, values in inputs.items():
        if not is_dask(values):
            raise MLSecInputError(MIXED.format(kind=type(values).__name__, what=names[key]))
        if values.npartitions != partitions:
            raise MLSecInputError(UNALIGNED.format(what=names[key], got=values.npartitions,
                                                   expected=partitions))
    pieces = {key: parts_of(values) for key, values in inputs.items()}
    lengths = run_parts([dask.delayed(_lengths)(part) for parts in pieces.values()
                         for part in parts], f"{LABEL}: counting rows")
    counted = {key: sum(lengths[i * int(partitions or 0):(i + 1) * int(partitions or 0)])
               for i, key in enumerate(pieces)}
    for key, rows in counted.items():
        if rows != counted["y_true"]:
            raise MLSecInputError(ROWS_DIFFER.format(what=names[key], got=rows,
                                                     expected=counted["y_true"]))
    keys = [key for key in inputs if key != "w"]
    weighted = "w" in inputs
    order = [*keys, *(["w"] if weighted else [])]
    tables = run_parts([dask.delayed(_cells)([pieces[key][i] for key in order], keys, weighted)
                        for i in range(int(partitions or 0))], f"{LABEL}: counting cells")
    if any(bad for _, bad in tables):
        from ..fairness._check import BAD_WEIGHTS

        raise MLSecInputError(BAD_WEIGHTS)
    table = pd.concat([cells for cells, _ in tables], ignore_index=True)
    sums = {"n": "sum", **({"w": "sum"} if weighted else {})}
    table = table.groupby(keys, dropna=False, sort=False).agg(sums).reset_index()
    engine = {"name": "dask", "scheduler": scheduler_name(), "partitions": int(partitions or 0),
              "rows": int(counted["y_true"]), "cells": len(table)}
    return Reduced(
        y_true=table["y_true"].to_numpy(), y_pred=table["y_pred"].to_numpy(),
        sensitive={name: table[f"s{i}"].to_numpy() for i, name in enumerate(features)},
        score=table["score"].to_numpy(dtype=np.float64) if "score" in table else None,
        weights=table["w"].to_numpy(dtype=np.float64) if weighted else None,
        counts=table["n"].to_numpy(dtype=np.int64), engine=engine)
