"""Non-metric scaling: the same configurations and stress-1 as scikit-learn's MDS called
directly, the classical start first, and the best start kept."""

from __future__ import annotations

import numpy as np
import pytest

from peerprinciples.core.coproduction.cardsort import CardSort
from peerprinciples.core.coproduction.scaling import CLASSICAL, RANDOM, refit, scale

from .reference import dissimilarity, incidence_similarity, nonmetric_mds
from .studies import peer_values, rcmap_study


def _dissimilarity(cardsort: CardSort) -> np.ndarray:
    return dissimilarity(incidence_similarity(cardsort), len(cardsort.sorts))


def _check_against_sklearn(cardsort: CardSort, starts: int, seed: int) -> None:
    d = _dissimilarity(cardsort)
    ours = scale(d, starts=starts, seed=seed)
    # the classical start: MDS(init="classical_mds")
    classical = nonmetric_mds("classical_mds", n_init=1)
    classical_coordinates = classical.fit_transform(d)
    # the random starts: MDS(init="random", n_init=starts - 1, random_state=seed) keeps the
    # best of the same draws
    randoms = nonmetric_mds("random", n_init=starts - 1, random_state=seed)
    random_coordinates = randoms.fit_transform(d)
    assert ours.starts[0].kind == CLASSICAL
    assert ours.starts[0].stress == classical.stress_
    assert min(s.stress for s in ours.starts[1:]) == randoms.stress_
    if classical.stress_ <= randoms.stress_:
        expected, stress = classical_coordinates, classical.stress_
    else:
        expected, stress = random_coordinates, randoms.stress_
    np.testing.assert_allclose(ours.coordinates, expected, rtol=0, atol=1e-12)
    assert ours.stress == stress
    assert ours.starts[ours.best].stress == ours.stress == min(s.stress for s in ours.starts)


def test_it_gives_scikit_learns_configurations_on_the_small_sort() -> None:
    _check_against_sklearn(peer_values(), starts=4, seed=11)


@pytest.mark.parametrize("study", ["DataNCATS", "sampleproject"])
def test_it_gives_scikit_learns_configurations_on_the_rcmap_studies(study: str) -> None:
    _check_against_sklearn(rcmap_study(study), starts=3, seed=1989)


@pytest.mark.parametrize("study", ["DataNCATS", "sampleproject"])
def test_its_stress_lies_in_the_range_separate_starts_reach(study: str) -> None:
    d = _dissimilarity(rcmap_study(study))
    ours = scale(d, starts=2, seed=5)
    # four single random starts of sklearn's MDS with seeds 0..3, and the classical start
    reached = [nonmetric_mds("random", n_init=1, random_state=s).fit(d).stress_ for s in range(4)]
    reached.append(nonmetric_mds("classical_mds", n_init=1).fit(d).stress_)
    assert min(reached) - 0.01 <= ours.stress <= max(reached)
    assert 0.0 < ours.stress < 0.5


def test_one_start_is_the_classical_start_alone() -> None:
    d = _dissimilarity(peer_values())
    ours = scale(d, starts=1, seed=3)
    classical = nonmetric_mds("classical_mds", n_init=1)
    np.testing.assert_allclose(ours.coordinates, classical.fit_transform(d), rtol=0, atol=1e-12)
    assert [s.kind for s in ours.starts] == [CLASSICAL]
    assert ours.starts[0].iterations == classical.n_iter_


def test_every_start_is_recorded_in_order() -> None:
    ours = scale(_dissimilarity(peer_values()), starts=5, seed=3)
    assert [s.kind for s in ours.starts] == [CLASSICAL] + [RANDOM] * 4
    assert all(0 < s.iterations <= 300 for s in ours.starts)


def test_the_same_seed_gives_the_same_map() -> None:
    d = _dissimilarity(peer_values())
    first, second = scale(d, starts=3, seed=8), scale(d, starts=3, seed=8)
    np.testing.assert_array_equal(first.coordinates, second.coordinates)
    assert first.starts == second.starts


def test_it_reports_each_start_done() -> None:
    calls: list[tuple[int, int]] = []
    scale(_dissimilarity(peer_values()), starts=3, seed=1, step=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_it_refuses_fewer_than_one_start() -> None:
    with pytest.raises(ValueError, match="starts is 0; scaling needs at least one start"):
        scale(_dissimilarity(peer_values()), starts=0, seed=1)


def test_a_refit_is_one_run_from_the_given_configuration() -> None:
    d = _dissimilarity(peer_values())
    start = scale(d, starts=1, seed=1).coordinates
    # sklearn: MDS(...).fit_transform(d, init=start) with the same settings
    expected = nonmetric_mds("random", n_init=1).fit_transform(d, init=start)
    np.testing.assert_allclose(refit(d, start), expected, rtol=0, atol=1e-12)
