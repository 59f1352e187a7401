"""Rows far from every other row of their class, judged against the class's own spread.

Numeric features are scaled robustly (median and interquartile range, so a planted extreme does
not shrink everyone else), missing values sit at the median. For each row, the mean distance to
its ``k`` nearest rows of the same class measures how isolated it is; the logarithm of that
distance is close to normal within a class, so a robust z-score (median and MAD of the class)
says how unusual it is. Real data has heavier tails than the normal law (breast-cancer
measurements reach z = 6.7 with nothing planted), so the bound assumes a Laplace tail, ``P(Z >
z) = exp(-1.028 z) / 2`` for a MAD-scaled z, at ``alpha`` over the rows tested (Bonferroni): on
clean data with tails up to that heavy, at most ``alpha`` false alarms per data set are
expected, whatever its size. Planted points that form a tight group of more than
``k`` are each other's neighbours and are not isolated: the trigger and label rules are the
ones to find those.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAD_TO_SD = 1.4826
# a Laplace law with scale b has MAD b*ln(2): its MAD-scaled z has tail exp(-LAPLACE_RATE z)/2
LAPLACE_RATE = MAD_TO_SD * float(np.log(2.0))
MIN_CLASS_ROWS = 20  # fewer rows of a class than this: its spread cannot be judged


@dataclass
class Outliers:
    """Rows (indices into the rows given) that are isolated within their class."""

    rows: np.ndarray          # most isolated first
    z: np.ndarray             # robust z-score of each
    bound: float              # the z-score a row had to pass
    tested: int               # rows whose class was large enough to judge
    columns: int              # numeric columns used


def robust_scale(values: np.ndarray) -> np.ndarray:
    """Columns centred on their median and scaled by their IQR (std if the IQR is 0); columns
    that do not vary are dropped, missing values put at the median."""
    with np.errstate(all="ignore"):
        median = np.nanmedian(values, axis=0)
        q1, q3 = np.nanpercentile(values, [25, 75], axis=0)
        scale = (q3 - q1) / 1.349
        spread = np.nanstd(values, axis=0)
    scale = np.where(scale > 0, scale, spread)
    keep = np.isfinite(scale) & (scale > 0)
    scaled = (values[:, keep] - median[keep]) / scale[keep]
    scaled[np.isnan(scaled)] = 0.0
    return scaled


def laplace_bound(tail: float) -> float:
    """The MAD-scaled z a Laplace law passes with probability ``tail`` (one-sided)."""
    return float(np.log(0.5 / tail) / LAPLACE_RATE)


def find_outliers(values: np.ndarray, codes: np.ndarray, neighbours: int,
                  alpha: float) -> Outliers:
    """Isolated rows of ``values`` (numeric features) within their class ``codes``."""
    from sklearn.neighbors import NearestNeighbors

    scaled = robust_scale(values)
    z = np.full(len(codes), -np.inf)
    tested = 0
    if scaled.shape[1]:
        for label in np.unique(codes):
            members = np.flatnonzero(codes == label)
            if len(members) < max(MIN_CLASS_ROWS, neighbours + 2):
                continue
            tested += len(members)
            points = scaled[members]
            index = NearestNeighbors(n_neighbors=neighbours + 1).fit(points)
            distances, _ = index.kneighbors(points)
            isolation = distances[:, 1:].mean(axis=1)  # the first neighbour is the row itself
            floor = max(float(np.median(isolation)) * 1e-6, 1e-12)
            logged = np.log(np.maximum(isolation, floor))
            centre = float(np.median(logged))
            mad = float(np.median(np.abs(logged - centre))) * MAD_TO_SD
            if mad <= 0:
                continue
            z[members] = (logged - centre) / mad
    bound = laplace_bound(alpha / max(tested, 1))
    rows = np.flatnonzero(z >= bound)
    order = np.lexsort((rows, -z[rows]))
    return Outliers(rows=rows[order], z=z[rows[order]], bound=bound, tested=tested,
                    columns=int(scaled.shape[1]))
