"""How stable each cluster solution is when the sorters are resampled.

A cluster solution is worth discussing only if it does not hinge on who happened to sort the
cards. Each of ``resamples`` bootstrap resamples draws as many sorters as there are, with
replacement; its similarity matrix counts a sorter drawn twice twice. The resample is scaled
and clustered exactly as the full data were, and each of its partitions is compared with the
full-data partition with the same number of clusters by the adjusted Rand index (Hubert &
Arabie [1]_; ``sklearn.metrics.adjusted_rand_score``): 1 when the two agree, about 0 when they
agree no more than chance. Resampling the sorters (the units that were sampled, not the
statements) follows Hennig's bootstrap assessment of cluster stability [2]_, which compares each
resample's clusters with the original ones (there cluster by cluster with the Jaccard
coefficient; here the whole partition at once, one number per solution). Split halves (R-CMap's
reliability check [3]_) would build each map on half the sorters and so understate the
stability of the map built on all of them.

**Cost.** Scaling dominates. Each resample is scaled by one SMACOF run started from the
full-data configuration rather than by several starts: a resample perturbs the full data, so
its configuration is expected near the full one, and a warm start gets there in fewer
iterations than a random start needs. The price is a possible optimistic bias: a resample
whose best configuration lies far from the full one may stay in a local minimum near it.
Scaling every resample from several starts would remove that bias at several times the cost.

**Randomness.** The draws come from ``numpy.random.default_rng(seed)``: resample ``b`` is row
``b`` of ``rng.integers(0, n_sorters, size=(resamples, n_sorters))``. The result gives every
resample's index for each number of clusters, so any summary can be recomputed; the summary
here is the mean, the standard deviation and the 2.5 % and 97.5 % quantiles (numpy's default
linear interpolation).

References
----------
.. [1] Hubert, L., & Arabie, P. (1985). Comparing partitions. *Journal of Classification*,
   2(1), 193-218.
.. [2] Hennig, C. (2007). Cluster-wise assessment of cluster stability. *Computational
   Statistics & Data Analysis*, 52(1), 258-271.
.. [3] Bar, H., & Mentch, L. (2017). R-CMap: an open-source software for concept mapping.
   *Evaluation and Program Planning*, 60, 284-292.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.metrics import adjusted_rand_score

from peerprinciples.core.coproduction.clustering import ward_partitions
from peerprinciples.core.coproduction.scaling import refit
from peerprinciples.core.coproduction.similarity import (
    Piles,
    dissimilarity_matrix,
    similarity_matrix,
)

Step = Callable[[int, int], None]
"""Called with (resamples done, resamples in all) after each resample."""


@dataclass(frozen=True)
class Stability:
    """Agreement of one cluster solution with its bootstrap resamples."""

    clusters: int
    scores: tuple[float, ...]
    """The adjusted Rand index of each resample, in order."""

    @property
    def mean(self) -> float:
        """The mean adjusted Rand index over the resamples."""
        return float(np.mean(self.scores))

    @property
    def sd(self) -> float | None:
        """The standard deviation over the resamples (None with fewer than two)."""
        return float(np.std(self.scores, ddof=1)) if len(self.scores) > 1 else None

    @property
    def low(self) -> float:
        """The 2.5 % quantile of the resamples' indices."""
        return float(np.quantile(self.scores, 0.025))

    @property
    def high(self) -> float:
        """The 97.5 % quantile of the resamples' indices."""
        return float(np.quantile(self.scores, 0.975))


def resample_draws(n_sorters: int, resamples: int, seed: int) -> npt.NDArray[np.int64]:
    """Which sorters each resample draws: one row per resample."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, n_sorters, size=(resamples, n_sorters))


def bootstrap_stability(
    piles: Piles,
    coordinates: npt.NDArray[np.float64],
    partitions: Mapping[int, Sequence[int]],
    *,
    resamples: int,
    seed: int,
    step: Step | None = None,
) -> dict[int, Stability]:
    """The adjusted Rand index of every resample's partition against the full partition.

    Returns an empty mapping when ``resamples`` is 0 or there is one sorter (every
    resample of one sorter is that sorter: there is nothing to learn).

    Raises
    ------
    ValueError
        When ``resamples`` is negative.
    """
    if resamples < 0:
        raise ValueError(f"resamples is {resamples}; use 0 to skip stability, or more.")
    if resamples == 0 or piles.n_sorters < 2:
        return {}
    scores: dict[int, list[float]] = {k: [] for k in partitions}
    draws = resample_draws(piles.n_sorters, resamples, seed)
    for b, drawn in enumerate(draws):
        weights = np.bincount(drawn, minlength=piles.n_sorters).astype(np.float64)
        dissimilarity = dissimilarity_matrix(similarity_matrix(piles, weights), piles.n_sorters)
        resampled = ward_partitions(refit(dissimilarity, coordinates), partitions)
        for k, full in partitions.items():
            scores[k].append(float(adjusted_rand_score(full, resampled[k])))
        if step is not None:
            step(b + 1, resamples)
    return {k: Stability(k, tuple(values)) for k, values in scores.items()}
