"""Backdoor triggers in tabular data: a value (or a pair of values) that few rows hold and that
nearly always comes with one label, although the rest of those rows says otherwise.

The search: every value held by ``trigger_min_support`` to ``trigger_max_share`` of the rows
(and every pair of frequent values, when ``trigger_pairs`` is on) whose rows carry one label with
a purity of at least ``trigger_min_purity`` is a candidate. Each is tested against every class,
and the number of those tests sets the bound: ``alpha`` over the tests (Bonferroni), so the
family-wise false-alarm rate of the search is at most ``alpha`` whatever the data's size.

Chance is judged two ways. The label's share is the purity a value unrelated to the label would
have (binomial tail ``P(Bin(s, share) >= k)``, reported, and the ranking of candidates). The
decisive test asks whether the rest of the row explains the label: the label model scores the
candidate's rows with the value replaced (three draws, averaged): a category by the value of a
random other row, a number by one of the nearest distinct values around it (a number's signal
is smooth, an exact planted value's is not). A legitimate rare value (a product only premium
customers get, a credit score of 595) leaves the rest agreeing, so the model still expects
about ``k`` rows of the label; a planted trigger rides on rows the
attacker relabelled, so it expects far fewer. ``P(X >= k)`` for ``X`` the sum of those per-row
probabilities (Poisson-binomial, exact) must pass the bound, and the model may expect at most
``trigger_max_explained`` of the ``k`` rows. Without a label model only the label's share is
left to judge by, and the binomial tail must pass the bound.

Values are exact (text, categories, and numbers that repeat); ranges of a number are not
searched (an out-of-range planted value is one exact value, and the outlier rule looks at
ranges). Missing values are not trigger values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._features import Matrix, category_codes
from ._model import LabelModel

PAIR_WORK_LIMIT = 300_000_000  # column pairs x rows: beyond it the pair search is skipped
COUNTERFACTUAL_DRAWS = 3


@dataclass
class Candidate:
    """A value (or value pair) that is rare and pure beyond chance."""

    columns: tuple[Any, ...]
    values: tuple[Any, ...]
    rows: np.ndarray            # positions among the labelled rows
    label: int
    label_rows: int
    prior: float                # share of ``label`` among all labelled rows
    p_value: float
    expected_without: float | None = None   # label rows the model expects, value replaced
    p_counterfactual: float | None = None

    @property
    def support(self) -> int:
        return len(self.rows)

    @property
    def purity(self) -> float:
        return self.label_rows / self.support


@dataclass
class Search:
    """What the search tested and found."""

    candidates: list[Candidate]
    tests: int
    pairs_searched: bool
    pairs_skipped: str | None


@dataclass
class _Atoms:
    """The values of one column held by at least ``min_support`` rows."""

    column: Any
    codes: np.ndarray        # per row: index of its frequent value, -1 otherwise
    values: list[Any]        # the frequent values
    counts: np.ndarray


def _atoms(series: Any, min_support: int) -> _Atoms:
    codes, _ = category_codes(series)
    counts = np.bincount(codes[codes >= 0]) if (codes >= 0).any() else np.zeros(0, np.int64)
    frequent = np.flatnonzero(counts >= min_support)
    lookup = np.full(len(counts) + 1, -1, dtype=np.int64)
    lookup[frequent] = np.arange(len(frequent))
    atom_codes = np.where(codes >= 0, lookup[np.maximum(codes, 0)], -1)
    first = np.full(len(frequent), -1, dtype=np.int64)
    present = np.flatnonzero(atom_codes >= 0)
    # the first row of each frequent value gives the value as the frame holds it
    order = present[np.unique(atom_codes[present], return_index=True)[1]]
    first[atom_codes[order]] = order
    values = [series.iloc[int(row)] for row in first]
    return _Atoms(series.name, atom_codes, values, counts[frequent])


def _binomial_tail(k: np.ndarray, s: np.ndarray, p: np.ndarray) -> np.ndarray:
    from scipy.stats import binom

    return np.asarray(binom.sf(k - 1, s, p), dtype=np.float64)


def _pure_groups(group: np.ndarray, n_groups: int, codes: np.ndarray, n_classes: int,
                 priors: np.ndarray, low: int, high: int, min_purity: float
                 ) -> tuple[int, list[tuple[int, int, int, float]]]:
    """Tests made and ``(group, label, label_rows, p)`` of groups rare and pure enough."""
    held = group >= 0
    support = np.bincount(group[held], minlength=n_groups)
    in_range = (support >= low) & (support <= high)
    tests = int(in_range.sum()) * n_classes
    if not in_range.any():
        return tests, []
    by_label = np.bincount(group[held] * n_classes + codes[held],
                           minlength=n_groups * n_classes).reshape(n_groups, n_classes)
    label = by_label.argmax(axis=1)
    label_rows = by_label[np.arange(n_groups), label]
    pure = in_range & (label_rows >= min_purity * support)
    chosen = np.flatnonzero(pure)
    if not len(chosen):
        return tests, []
    p_values = _binomial_tail(label_rows[chosen], support[chosen], priors[label[chosen]])
    return tests, [(int(g), int(label[g]), int(label_rows[g]), float(p))
                   for g, p in zip(chosen, p_values, strict=True)]


def search(features: Any, codes: np.ndarray, n_classes: int, *, min_support: int,
           max_share: float, min_purity: float, pairs: bool, max_values: int) -> Search:
    """Every value and value pair that is rare and pure, with the number of tests made."""
    n_rows = len(codes)
    high = int(np.floor(max_share * n_rows))
    priors = np.bincount(codes, minlength=n_classes) / n_rows
    atoms = [_atoms(features[column], min_support) for column in features.columns]
    tests = 0
    found: list[Candidate] = []
    for atom in atoms:
        made, groups = _pure_groups(atom.codes, len(atom.values), codes, n_classes, priors,
                                    min_support, high, min_purity)
        tests += made
        for group, label, label_rows, p in groups:
            found.append(Candidate((atom.column,), (atom.values[group],),
                                   np.flatnonzero(atom.codes == group), label, label_rows,
                                   float(priors[label]), p))
    eligible = [a for a in atoms if 0 < len(a.values) <= max_values]
    pair_count = len(eligible) * (len(eligible) - 1) // 2
    skipped = None
    if pairs and pair_count * n_rows > PAIR_WORK_LIMIT:
        skipped = (f"{pair_count} column pairs x {n_rows} rows is past the search limit "
                   f"({PAIR_WORK_LIMIT:,} pair-rows)")
    elif pairs:
        for i, first in enumerate(eligible):
            for second in eligible[i + 1:]:
                tests_made, pairs_found = _pairs(first, second, codes, n_classes, priors,
                                                 min_support, high, min_purity)
                tests += tests_made
                found.extend(pairs_found)
    return Search(found, tests, pairs and skipped is None, skipped)


def _pairs(first: _Atoms, second: _Atoms, codes: np.ndarray, n_classes: int,
           priors: np.ndarray, low: int, high: int, min_purity: float) -> tuple[int,
                                                                              list[Candidate]]:
    both = (first.codes >= 0) & (second.codes >= 0)
    width = len(second.values)
    group = np.where(both, first.codes * width + second.codes, -1)
    made, groups = _pure_groups(group, len(first.values) * width, codes, n_classes, priors,
                                low, high, min_purity)
    found = []
    for combined, label, label_rows, p in groups:
        a, b = divmod(combined, width)
        # a pair that holds every row of one of its values is that value alone: tested there
        support = int(np.count_nonzero(group == combined))
        if support in (int(first.counts[a]), int(second.counts[b])):
            continue
        found.append(Candidate((first.column, second.column),
                               (first.values[a], second.values[b]),
                               np.flatnonzero(group == combined), label, label_rows,
                               float(priors[label]), p))
    return made, found


def poisson_binomial_tail(probabilities: np.ndarray, observed: int) -> float:
    """P(sum of independent Bernoulli(p_i) >= observed), exactly."""
    distribution = np.zeros(len(probabilities) + 1)
    distribution[0] = 1.0
    for i, p in enumerate(probabilities):
        # the right-hand side is evaluated whole before it is stored: old values throughout
        distribution[1: i + 2] = distribution[1: i + 2] * (1.0 - p) + distribution[: i + 1] * p
        distribution[0] *= 1.0 - p
    return float(min(1.0, distribution[observed:].sum()))


NEIGHBOUR_VALUES = 3  # a number is replaced by one of this many distinct values on each side


def _replacements(column: np.ndarray, categorical: bool, rows: np.ndarray,
                  donors_pool: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Values to put in place of a candidate's value in one matrix column.

    A category takes the value of a random other row. A number takes one of the nearest
    distinct values around it: a measured number carries its signal smoothly (a credit score
    of 595 says what 594 and 596 say), so a legitimate value keeps its prediction, while a
    planted exact value (or one far out of range) loses whatever the model learned from it.
    """
    if categorical:
        return column[rng.choice(donors_pool, size=len(rows), replace=True)]
    value = column[rows[0]]
    distinct = np.unique(column[~np.isnan(column)])
    distinct = distinct[distinct != value]
    if not len(distinct):
        return column[rng.choice(donors_pool, size=len(rows), replace=True)]
    at = int(np.searchsorted(distinct, value))
    near = distinct[max(0, at - NEIGHBOUR_VALUES): at + NEIGHBOUR_VALUES]
    return rng.choice(near, size=len(rows), replace=True)


def verify(candidates: list[Candidate], matrix: Matrix, model: LabelModel,
           sample_fold: np.ndarray, rng: np.random.Generator) -> None:
    """Fill in what the model expects of each candidate's rows with its value replaced.

    All candidates' rows are scored together, one call per fold model: the model's fixed cost
    per call, not the rows, is what a per-candidate loop would pay.
    """
    if not candidates:
        return
    blocks, folds = [], []
    for candidate in candidates:
        rows = candidate.rows
        replaced = [i for i in map(matrix.index_of, candidate.columns) if i is not None]
        donors_pool = np.setdiff1d(np.arange(len(matrix.values)), rows, assume_unique=True)
        draws = COUNTERFACTUAL_DRAWS if replaced else 1
        for _ in range(draws):
            values = matrix.values[rows].copy()
            # a value that is no model feature is ignored by the scores already
            for index in replaced:
                values[:, index] = _replacements(matrix.values[:, index],
                                                 bool(matrix.categorical[index]), rows,
                                                 donors_pool, rng)
            blocks.append(values)
            folds.append(sample_fold[rows])
    scores = model.score(np.vstack(blocks), np.concatenate(folds))
    start = 0
    for candidate in candidates:
        in_model = any(matrix.index_of(c) is not None for c in candidate.columns)
        draws = COUNTERFACTUAL_DRAWS if in_model else 1
        size = len(candidate.rows)
        block = scores[start: start + draws * size, candidate.label].reshape(draws, size)
        start += draws * size
        expected = block.mean(axis=0)
        candidate.expected_without = float(expected.sum())
        candidate.p_counterfactual = poisson_binomial_tail(expected, candidate.label_rows)
