"""Non-metric multidimensional scaling of the sort dissimilarities into a two-dimensional map.

Statements that sorters often put together should lie close on the map, and those they kept
apart far from each other; only the order of the dissimilarities matters (Kruskal's
non-metric scaling [1]_, the concept-mapping standard [2]_). The fit is scikit-learn's
SMACOF (``sklearn.manifold.MDS`` with ``metric_mds=False``) and its badness is Kruskal's
stress-1, as scikit-learn reports it:

.. math:: \\sigma_1 = \\sqrt{\\sum_{i<j} (d_{ij} - \\hat d_{ij})^2 \\big/ \\sum_{i<j} d_{ij}^2}

with :math:`d` the map distances and :math:`\\hat d` the disparities (the monotone regression
of the distances on the dissimilarities; tied dissimilarities get one disparity).

**Starts.** SMACOF finds a local minimum, so it is run from several configurations and the one
with the lowest stress is kept. The first start is classical (Torgerson) scaling of the
dissimilarities, the rational start of KYST and of R's ``smacof`` [3]_; the others are
scikit-learn's uniform random configurations from one ``numpy.random.RandomState(seed)``, drawn
in turn, exactly as ``MDS(n_init=starts - 1, random_state=seed)`` draws them. On both RCMap
example studies (NCATS and the sample project) the classical start reached a lower stress than
each of 21 random starts (three seeds), in 66 and 101 iterations where random starts mostly
ran 150 to 300, and some random starts ended in poor local minima near 0.44. The random starts
stay as a safeguard against the classical start's own local minimum; on the benchmark's
synthetic sort one of them did better, if only in the sixth decimal. Ties go to the earlier
start, as in scikit-learn.

Every start runs to scikit-learn's defaults, written out here so that a change of library
default cannot change a map silently: at most :data:`MAX_ITER` iterations, or until the
stress improves by less than :data:`EPS` (relative to the sum of squared distances).

References
----------
.. [1] Kruskal, J. B. (1964). Nonmetric multidimensional scaling: a numerical method.
   *Psychometrika*, 29(2), 115-129.
.. [2] Kane, M., & Trochim, W. M. K. (2007). *Concept mapping for planning and evaluation*.
   Sage.
.. [3] de Leeuw, J., & Mair, P. (2009). Multidimensional scaling using majorization: SMACOF
   in R. *Journal of Statistical Software*, 31(3), 1-30.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.manifold import MDS

MAX_ITER = 300
EPS = 1e-6
CLASSICAL = "classical"
RANDOM = "random"

Step = Callable[[int, int], None]
"""Called with (starts done, starts in all) after each start."""


@dataclass(frozen=True)
class Start:
    """One SMACOF run: how it began, the stress-1 it reached and its iterations."""

    kind: str
    """``"classical"`` (Torgerson scaling) or ``"random"``."""
    stress: float
    iterations: int


@dataclass(frozen=True)
class Scaling:
    """The best two-dimensional configuration found and every start that was tried."""

    coordinates: npt.NDArray[np.float64]
    stress: float
    starts: tuple[Start, ...]
    best: int
    """Index into ``starts`` of the configuration kept."""


def _model(kind: str, random_state: np.random.RandomState | None = None) -> MDS:
    return MDS(
        n_components=2,
        metric_mds=False,
        metric="precomputed",
        init="classical_mds" if kind == CLASSICAL else "random",
        n_init=1,
        max_iter=MAX_ITER,
        eps=EPS,
        n_jobs=None,
        random_state=random_state,
        normalized_stress=True,
    )


def scale(
    dissimilarity: npt.NDArray[np.float64],
    *,
    starts: int,
    seed: int,
    step: Step | None = None,
) -> Scaling:
    """Non-metric scaling in two dimensions: the classical start, then ``starts - 1``
    random starts; the configuration with the lowest stress-1 is kept.

    Raises
    ------
    ValueError
        When ``starts`` is below one.
    """
    if starts < 1:
        raise ValueError(f"starts is {starts}; scaling needs at least one start.")
    random_state = np.random.RandomState(seed)
    best_coordinates, first = _run(_model(CLASSICAL), dissimilarity, CLASSICAL)
    runs = [first]
    best = 0
    if step is not None:
        step(1, starts)
    for number in range(1, starts):
        coordinates, run = _run(_model(RANDOM, random_state), dissimilarity, RANDOM)
        runs.append(run)
        if run.stress < runs[best].stress:
            best, best_coordinates = number, coordinates
        if step is not None:
            step(number + 1, starts)
    return Scaling(best_coordinates, runs[best].stress, tuple(runs), best)


def _run(
    model: MDS, dissimilarity: npt.NDArray[np.float64], kind: str
) -> tuple[npt.NDArray[np.float64], Start]:
    coordinates = np.asarray(model.fit_transform(dissimilarity), dtype=np.float64)
    return coordinates, Start(kind, float(model.stress_), int(model.n_iter_))


def refit(
    dissimilarity: npt.NDArray[np.float64], start: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """One SMACOF run from a given configuration (a resample started from the full map)."""
    return np.asarray(_model(RANDOM).fit_transform(dissimilarity, init=start), dtype=np.float64)
