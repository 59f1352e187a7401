"""The drift check's statistics against scipy, the oracle that defines them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.spatial.distance import jensenshannon

from mlsecops_jupyter.checks.drift import _stats


@pytest.mark.parametrize(("n", "m", "shift", "ties"), [
    (8, 11, 0.5, False),          # exact p-value (n * m <= 10,000)
    (60, 90, 0.3, True),          # exact, with ties
    (2_000, 3_000, 0.05, False),  # asymptotic
    (20_000, 5_000, 0.0, True),   # asymptotic, heavy ties
])
def test_ks_statistic_and_p_value_are_scipys(n: int, m: int, shift: float, ties: bool) -> None:
    rng = np.random.default_rng(n + m)
    ref, cur = rng.normal(0, 1, n), rng.normal(shift, 1, m)
    if ties:
        ref, cur = np.round(ref, 1), np.round(cur, 1)
    ours = _stats.numeric(ref, cur, psi_bins=10)
    # exact up to n * m = 10,000 (scipy's "auto" goes exact further, at a cost), else Smirnov
    method = "exact" if n * m <= _stats.EXACT_KS_PRODUCT else "asymp"
    oracle = stats.ks_2samp(ref, cur, method=method)
    assert ours.test == "ks"
    assert ours.statistic == pytest.approx(oracle.statistic, abs=1e-12)
    assert ours.p_value == pytest.approx(oracle.pvalue, rel=1e-9, abs=1e-300)


def test_wasserstein_is_scipys_and_the_effect_is_in_reference_standard_deviations() -> None:
    rng = np.random.default_rng(3)
    ref, cur = rng.normal(10, 4, 5_000), rng.normal(11, 4, 4_000)
    ours = _stats.numeric(ref, cur, psi_bins=10)
    assert ours.facts["wasserstein"] == pytest.approx(stats.wasserstein_distance(ref, cur),
                                                      rel=1e-9)
    assert ours.effect == pytest.approx(ours.facts["wasserstein"] / np.std(ref, ddof=1))
    assert ours.effect == pytest.approx(0.25, abs=0.05)  # a shift of a quarter std


@pytest.mark.filterwarnings("ignore:ks_2samp. Exact calculation unsuccessful:RuntimeWarning")
@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=3, max_size=40),
       st.lists(st.integers(-5, 5), min_size=3, max_size=40))
def test_ks_and_wasserstein_agree_with_scipy_on_any_small_sample(ref: list[int],
                                                                 cur: list[int]) -> None:
    a, b = np.asarray(ref, float), np.asarray(cur, float)
    ours = _stats.numeric(a, b, psi_bins=10)
    oracle = stats.ks_2samp(a, b, method="exact")
    assert ours.statistic == pytest.approx(oracle.statistic, abs=1e-12)
    assert ours.p_value == pytest.approx(oracle.pvalue, rel=1e-6, abs=1e-12)
    assert ours.facts["wasserstein"] == pytest.approx(stats.wasserstein_distance(a, b),
                                                      abs=1e-9)


def test_psi_over_reference_deciles() -> None:
    rng = np.random.default_rng(4)
    ref, cur = rng.normal(0, 1, 10_000), rng.normal(0.5, 1, 10_000)
    edges = np.quantile(ref, np.linspace(0, 1, 11)[1:-1])
    p = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=10) / len(ref)
    q = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=10) / len(cur)
    expected = float(np.sum((q - p) * np.log(q / p)))
    assert _stats.numeric(ref, cur, psi_bins=10).psi == pytest.approx(expected, rel=1e-3)
    assert _stats.numeric(ref, ref, psi_bins=10).psi == pytest.approx(0.0, abs=1e-12)


def test_chi_square_is_scipys_contingency_test_on_the_pooled_table() -> None:
    ref = np.array([500, 300, 150, 40, 3, 2, 0])
    cur = np.array([420, 330, 170, 55, 4, 3, 4])
    ours = _stats.categorical(ref, cur, max_test_categories=50)
    table = _stats.pooled_table(ref, cur, 50)
    assert table.shape == (2, 5)  # the three rarest pooled into one column
    too_rare = _stats.pooled_table(ref, np.array([420, 330, 170, 55, 1, 0, 4]), 50)
    assert too_rare.shape == (2, 4)  # a pooled column still expected < 5 times is left out
    statistic, p_value, dof, expected = stats.chi2_contingency(table, correction=False)
    assert (expected >= 5).all()
    assert ours.statistic == pytest.approx(statistic, rel=1e-12)
    assert ours.p_value == pytest.approx(p_value, rel=1e-9)
    assert ours.facts["dof"] == dof == 4


def test_jensen_shannon_is_scipys_base_2_distance() -> None:
    ref = np.array([50, 30, 20, 0])
    cur = np.array([40, 30, 20, 10])
    ours = _stats.categorical(ref, cur, 50)
    assert ours.effect == pytest.approx(jensenshannon(ref / 100, cur / 100, base=2), rel=1e-12)
    assert _stats.categorical(ref, ref, 50).effect == pytest.approx(0.0, abs=1e-7)


def test_too_many_categories_are_pooled_beyond_the_limit() -> None:
    counts = np.full(200, 100)
    assert _stats.pooled_table(counts, counts, 50).shape == (2, 50)
    rare = np.ones(200, dtype=np.int64)  # nothing is frequent enough to test
    assert _stats.categorical(rare, rare, 50).p_value == 1.0


@pytest.mark.parametrize(("ref_missing", "cur_missing", "test"), [
    (50, 120, "proportions"), (0, 3, "fisher"), (2, 0, "fisher")])
def test_missing_share_test_is_scipys(ref_missing: int, cur_missing: int, test: str) -> None:
    ours = _stats.missing_rate(ref_missing, 1_000, cur_missing, 900)
    table = np.array([[ref_missing, 1_000 - ref_missing], [cur_missing, 900 - cur_missing]])
    assert ours.test == test
    if test == "fisher":
        assert ours.p_value == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-9)
    else:
        oracle = stats.chi2_contingency(table, correction=False)
        assert ours.p_value == pytest.approx(oracle.pvalue, rel=1e-9)
    assert ours.effect == pytest.approx(abs(cur_missing / 900 - ref_missing / 1_000))


def test_holm_adjustment() -> None:
    # worked example: sorted p 0.01, 0.02, 0.03, 0.04 over m = 4 -> 0.04, 0.06, 0.06, 0.06
    assert _stats.holm([0.03, 0.01, 0.04, 0.02]) == pytest.approx([0.06, 0.04, 0.06, 0.06])
    assert _stats.holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert _stats.holm([]) == []
