"""Stability over bootstrap resamples of the sorters: every adjusted Rand index recomputed
with scikit-learn and SciPy from the documented draws."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from peerprinciples.core.coproduction.cardsort import CardSort
from peerprinciples.core.coproduction.clustering import ward_partitions
from peerprinciples.core.coproduction.scaling import scale
from peerprinciples.core.coproduction.similarity import Piles, check_piles
from peerprinciples.core.coproduction.stability import (
    Stability,
    bootstrap_stability,
    resample_draws,
)

from .reference import dissimilarity, incidence_similarity, nonmetric_mds, ward
from .studies import peer_values, rcmap_study


def _reference_scores(
    cardsort: CardSort, coordinates: np.ndarray, partitions: dict[int, tuple[int, ...]], b: int
) -> dict[int, list[float]]:
    """Each resample rebuilt directly: draws from numpy's default_rng(seed).integers, weighted
    incidence similarity, one MDS run from the full map, SciPy's Ward cut, sklearn's ARI."""
    n = len(cardsort.sorts)
    draws = np.random.default_rng(7).integers(0, n, size=(b, n))
    scores: dict[int, list[float]] = {k: [] for k in partitions}
    for drawn in draws:
        weights = np.bincount(drawn, minlength=n).astype(float)
        d = dissimilarity(incidence_similarity(cardsort, weights), n)
        moved = nonmetric_mds("random", n_init=1).fit_transform(d, init=coordinates)
        for k, full in partitions.items():
            scores[k].append(adjusted_rand_score(full, ward(moved, k)))
    return scores


@pytest.mark.parametrize(("study", "resamples"), [("small", 6), ("DataNCATS", 3)])
def test_each_resamples_index_is_sklearns_adjusted_rand_score(study: str, resamples: int) -> None:
    cardsort = peer_values() if study == "small" else rcmap_study(study)
    piles = check_piles(cardsort)
    d = dissimilarity(incidence_similarity(cardsort), len(cardsort.sorts))
    coordinates = scale(d, starts=1, seed=1).coordinates
    partitions = ward_partitions(coordinates, [2, 3, 5])
    ours = bootstrap_stability(piles, coordinates, partitions, resamples=resamples, seed=7)
    expected = _reference_scores(cardsort, coordinates, partitions, resamples)
    for k in partitions:
        np.testing.assert_allclose(ours[k].scores, expected[k], rtol=0, atol=1e-12)
        assert ours[k].clusters == k


def test_the_summary_is_numpys_mean_sd_and_quantiles() -> None:
    scores = (0.91, 0.42, 1.0, 0.77, 0.65)
    stability = Stability(4, scores)
    assert stability.mean == pytest.approx(np.mean(scores), abs=1e-15)
    assert stability.sd == pytest.approx(np.std(scores, ddof=1), abs=1e-15)
    assert stability.low == pytest.approx(np.quantile(scores, 0.025), abs=1e-15)
    assert stability.high == pytest.approx(np.quantile(scores, 0.975), abs=1e-15)


def test_one_resample_has_no_spread() -> None:
    assert Stability(3, (0.5,)).sd is None


def test_the_draws_are_rows_of_numpys_default_generator() -> None:
    expected = np.random.default_rng(12).integers(0, 9, size=(4, 9))
    np.testing.assert_array_equal(resample_draws(9, 4, 12), expected)


def _setup() -> tuple[Piles, np.ndarray, dict[int, tuple[int, ...]]]:
    cardsort = peer_values()
    piles = check_piles(cardsort)
    d = dissimilarity(incidence_similarity(cardsort), len(cardsort.sorts))
    coordinates = scale(d, starts=1, seed=1).coordinates
    return piles, coordinates, ward_partitions(coordinates, [3])


def test_no_resamples_means_no_stability() -> None:
    piles, coordinates, partitions = _setup()
    assert bootstrap_stability(piles, coordinates, partitions, resamples=0, seed=1) == {}


def test_it_refuses_negative_resamples() -> None:
    piles, coordinates, partitions = _setup()
    with pytest.raises(ValueError, match="resamples is -1; use 0 to skip stability"):
        bootstrap_stability(piles, coordinates, partitions, resamples=-1, seed=1)


def test_it_reports_each_resample_done() -> None:
    piles, coordinates, partitions = _setup()
    calls: list[tuple[int, int]] = []
    bootstrap_stability(
        piles,
        coordinates,
        partitions,
        resamples=3,
        seed=1,
        step=lambda d, t: calls.append((d, t)),
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]
