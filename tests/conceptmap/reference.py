"""Reference computations for the concept-map tests, written directly on numpy, SciPy and
scikit-learn, independently of the code under test."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.manifold import MDS

from peerprinciples.core.coproduction.cardsort import CardSort


def incidence_similarity(
    cardsort: CardSort, weights: npt.NDArray[np.float64] | None = None
) -> npt.NDArray[np.float64]:
    """Sum over sorters of each sorter's binary co-occurrence matrix ``M M^T``, where ``M`` is
    that sorter's statements × piles incidence matrix; an unsorted card is its own pile. The
    diagonal is the number of sorters (weighted)."""
    keys = list(cardsort.statements)
    n = len(keys)
    weights = np.ones(len(cardsort.sorts)) if weights is None else weights
    total = np.zeros((n, n))
    for weight, sort in zip(weights, cardsort.sorts, strict=True):
        piles = [pile.cards for pile in sort.piles if pile.cards]
        placed = {card for cards in piles for card in cards}
        piles += [(key,) for key in keys if key not in placed]
        incidence = np.zeros((n, len(piles)))
        for p, cards in enumerate(piles):
            for card in cards:
                incidence[keys.index(card), p] = 1
        total += weight * (incidence @ incidence.T)
    return total


def dissimilarity(similarity: npt.NDArray[np.float64], n: float) -> npt.NDArray[np.float64]:
    """``n + 1 - s`` off the diagonal, zero on it."""
    out = n + 1 - similarity
    np.fill_diagonal(out, 0)
    return out


def nonmetric_mds(init: str, **options: object) -> MDS:
    """scikit-learn's non-metric MDS on a precomputed dissimilarity, stress-1 reported."""
    return MDS(
        n_components=2,
        metric_mds=False,
        metric="precomputed",
        init=init,
        normalized_stress=True,
        **options,
    )


def ward(coordinates: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.int32]:
    """SciPy's Ward tree of the coordinates cut into ``k`` clusters."""
    return fcluster(linkage(coordinates, "ward"), k, "maxclust")


def blocks(labels: Iterable[object]) -> set[frozenset[int]]:
    """A partition as a set of blocks of statement positions (labels themselves ignored)."""
    found: dict[object, set[int]] = {}
    for position, label in enumerate(labels):
        found.setdefault(label, set()).add(position)
    return {frozenset(block) for block in found.values()}
