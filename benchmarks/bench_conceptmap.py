"""Benchmark: the concept map of 100 sorters' piles of 200 statements, on one core.

A synthetic panel sorts 200 statements drawn around twelve themes on a plane: each sorter sees
the statements' places with some noise of their own, makes 5 to 15 piles around statements
they pick as centres, leaves about 2 % of the cards unsorted, and labels each pile after its
commonest theme (sometimes in lower case). Then

* ``whole analysis``: :func:`analyse` with its defaults (scaling from 8 starts, Ward's
  clusters for 3 to 15, 20 bootstrap resamples, names), against the reference: the same
  computations made by calling numpy, SciPy and scikit-learn directly (similarity from
  incidence matrices; ``MDS`` from the classical start and ``MDS(n_init=7)`` from random ones;
  ``linkage`` and ``fcluster``; each resample's similarity, ``MDS`` from the full map,
  ``fcluster`` and ``adjusted_rand_score``), with the same seeds;
* the four stages on their own, each against its direct calls.

Every step runs on one core: BLAS and OpenMP thread pools are limited to one thread with
``threadpoolctl`` and scikit-learn runs with ``n_jobs=None``. So each row gives wall-clock
seconds and the process's CPU seconds: on an idle machine they agree, and on a busy one the CPU
time still measures the work done, where the wall clock also counts the waits for other
processes. ``ratio = cpu_seconds / reference_cpu_seconds``; the target is a ratio of at most 1.2
and under 5 s for the whole analysis. The whole analysis is the best of ``repeats`` runs, ours
and the reference's alternating; each stage is run once. Run with
``python -m benchmarks conceptmap``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.manifold import MDS
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from benchmarks.timing import paired, ratio_row
from peerprinciples.core.coproduction.cardsort import CardSort, Pile, Sort
from peerprinciples.core.coproduction.clustering import ward_partitions
from peerprinciples.core.coproduction.conceptmap import analyse
from peerprinciples.core.coproduction.map_defaults import (
    DEFAULT_CLUSTERS,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    DEFAULT_STARTS,
)
from peerprinciples.core.coproduction.scaling import scale
from peerprinciples.core.coproduction.similarity import (
    check_piles,
    dissimilarity_matrix,
    similarity_matrix,
)
from peerprinciples.core.coproduction.stability import bootstrap_stability

SORTERS = 100
STATEMENTS = 200
THEMES = (
    "Lived experience",
    "Mutuality",
    "Hope",
    "Choice and control",
    "Safety",
    "Supervision",
    "Training",
    "Recruitment",
    "Organisational support",
    "Community",
    "Diversity",
    "Boundaries",
)
SEED = 20260611
TARGET_SECONDS = 5.0
TARGET_RATIO = 1.2


def synthetic_sort(seed: int = SEED) -> CardSort:
    """100 sorters' piles of 200 statements around twelve themes (see the module doc)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=3.0, size=(len(THEMES), 2))
    theme = rng.integers(0, len(THEMES), size=STATEMENTS)
    places = centres[theme] + rng.normal(size=(STATEMENTS, 2))
    keys = [str(i + 1) for i in range(STATEMENTS)]
    sorts = []
    for s in range(SORTERS):
        seen = places + rng.normal(scale=1.2, size=places.shape)
        n_piles = int(rng.integers(5, 16))
        anchors = seen[rng.choice(STATEMENTS, size=n_piles, replace=False)]
        pile_of = np.argmin(((seen[:, None, :] - anchors[None, :, :]) ** 2).sum(axis=2), axis=1)
        sorted_card = rng.random(STATEMENTS) > 0.02
        piles = []
        for p in range(n_piles):
            members = np.flatnonzero((pile_of == p) & sorted_card)
            if not len(members):
                continue
            label = THEMES[np.bincount(theme[members]).argmax()]
            piles.append(
                Pile(
                    label.lower() if rng.random() < 0.3 else label, tuple(keys[m] for m in members)
                )
            )
        sorts.append(Sort(f"S{s + 1:03d}", tuple(piles)))
    return CardSort({key: f"Statement {key}" for key in keys}, tuple(sorts))


def _incidence(cardsort: CardSort) -> tuple[np.ndarray, np.ndarray]:
    """Statements × piles incidence and each pile's sorter, built directly with numpy."""
    index = {key: i for i, key in enumerate(cardsort.statements)}
    columns = [(s, pile) for s, sort in enumerate(cardsort.sorts) for pile in sort.piles]
    incidence = np.zeros((len(index), len(columns)))
    for p, (_, pile) in enumerate(columns):
        incidence[[index[c] for c in pile.cards], p] = 1.0
    return incidence, np.array([s for s, _ in columns])


def _direct_similarity(incidence: np.ndarray, owner: np.ndarray, weights: np.ndarray) -> np.ndarray:
    together = (incidence * weights[owner]) @ incidence.T
    np.fill_diagonal(together, weights.sum())
    dissimilarity = weights.sum() + 1 - together
    np.fill_diagonal(dissimilarity, 0.0)
    return dissimilarity


def _mds(init: str, **options: Any) -> MDS:
    return MDS(
        n_components=2,
        metric_mds=False,
        metric="precomputed",
        init=init,
        n_jobs=None,
        normalized_stress=True,
        eps=1e-5,
        max_iter=300,
        **options,
    )


def _direct_scaling(dissimilarity: np.ndarray) -> np.ndarray:
    classical = _mds("classical_mds", n_init=1)
    best = classical.fit_transform(dissimilarity)
    randoms = _mds("random", n_init=DEFAULT_STARTS - 1, random_state=DEFAULT_SEED)
    other = randoms.fit_transform(dissimilarity)
    return np.asarray(other if randoms.stress_ < classical.stress_ else best)


def _direct_ward(coordinates: np.ndarray) -> dict[int, np.ndarray]:
    tree = linkage(coordinates, "ward")
    return {k: fcluster(tree, k, "maxclust") for k in DEFAULT_CLUSTERS}


def _direct_stability(
    incidence: np.ndarray, owner: np.ndarray, coordinates: np.ndarray, full: dict[int, Any]
) -> None:
    draws = np.random.default_rng(DEFAULT_SEED).integers(
        0, SORTERS, size=(DEFAULT_RESAMPLES, SORTERS)
    )
    for drawn in draws:
        weights = np.bincount(drawn, minlength=SORTERS).astype(float)
        moved = _mds("random", n_init=1).fit_transform(
            _direct_similarity(incidence, owner, weights), init=coordinates
        )
        tree = linkage(moved, "ward")
        for k, labels in full.items():
            adjusted_rand_score(labels, fcluster(tree, k, "maxclust"))


def _direct_whole(cardsort: CardSort) -> None:
    incidence, owner = _incidence(cardsort)
    dissimilarity = _direct_similarity(incidence, owner, np.ones(SORTERS))
    coordinates = _direct_scaling(dissimilarity)
    full = _direct_ward(coordinates)
    _direct_stability(incidence, owner, coordinates, full)


def run(repeats: int = 2) -> list[dict[str, Any]]:
    """Time the whole analysis and each stage against direct calls; see the module doc."""
    cardsort = synthetic_sort()
    rows = []
    with threadpool_limits(limits=1):
        piles = check_piles(cardsort)
        incidence, owner = _incidence(cardsort)
        dissimilarity = dissimilarity_matrix(similarity_matrix(piles), SORTERS)
        scaling = scale(dissimilarity, starts=DEFAULT_STARTS, seed=DEFAULT_SEED)
        partitions = ward_partitions(scaling.coordinates, DEFAULT_CLUSTERS)
        full = {k: np.asarray(p) for k, p in partitions.items()}
        stages: list[tuple[str, str, Callable[[], object], Callable[[], object]]] = [
            (
                "similarity (checks included)",
                "incidence matrices in numpy",
                lambda: similarity_matrix(check_piles(cardsort)),
                lambda: _direct_similarity(*_incidence(cardsort), np.ones(SORTERS)),
            ),
            (
                f"scaling, {DEFAULT_STARTS} starts",
                "MDS classical + MDS(n_init=7)",
                lambda: scale(dissimilarity, starts=DEFAULT_STARTS, seed=DEFAULT_SEED),
                lambda: _direct_scaling(dissimilarity),
            ),
            (
                "Ward, 3 to 15 clusters",
                "linkage + fcluster",
                lambda: ward_partitions(scaling.coordinates, DEFAULT_CLUSTERS),
                lambda: _direct_ward(scaling.coordinates),
            ),
            (
                f"stability, {DEFAULT_RESAMPLES} resamples",
                "MDS(init=map) + fcluster + adjusted_rand_score",
                lambda: bootstrap_stability(
                    piles,
                    scaling.coordinates,
                    partitions,
                    resamples=DEFAULT_RESAMPLES,
                    seed=DEFAULT_SEED,
                ),
                lambda: _direct_stability(incidence, owner, scaling.coordinates, full),
            ),
        ]
        for name, reference_name, ours, reference in stages:
            rows.append(ratio_row(name, reference_name, paired(ours, reference, 1)))
        whole = paired(lambda: analyse(cardsort), lambda: _direct_whole(cardsort), repeats)
        rows.append(
            ratio_row(
                f"whole analysis ({SORTERS} sorters × {STATEMENTS} statements)",
                "the same calls to numpy, SciPy, scikit-learn",
                whole,
            )
        )
        rows[-1]["target"] = f"< {TARGET_SECONDS:g} s, ratio <= {TARGET_RATIO:g}"
        rows[-1]["met"] = whole[1] < TARGET_SECONDS and rows[-1]["ratio"] <= TARGET_RATIO
        rows[-1]["stress"] = scaling.stress
        rows[-1]["iterations by start"] = " ".join(str(s.iterations) for s in scaling.starts)
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
