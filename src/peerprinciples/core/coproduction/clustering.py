"""Ward's hierarchical clustering of the map's points, cut at each number of clusters.

Concept mapping clusters the two-dimensional scaling coordinates, not the raw similarities,
with Ward's minimum-variance method (Trochim [1]_; Kane & Trochim [2]_). Clustering the map
makes every cluster a region of the picture people look at: clusters never overlap on the map,
which is what a group can discuss and name. Ward's method is applied by
``scipy.cluster.hierarchy.linkage(coordinates, "ward")`` and each solution is the tree cut into
``k`` clusters (``fcluster(..., k, "maxclust")``). The solutions are nested: the ``k + 1``
solution splits one cluster of the ``k`` solution in two.

**Numbering.** SciPy's cluster labels follow the tree's internal order, which says nothing to a
reader. Clusters are numbered instead in the order of the statements: cluster 1 holds the first
statement, cluster 2 the first statement not in cluster 1, and so on. The numbers depend only on
the partition and the statement order, so one partition is always numbered the same way.

References
----------
.. [1] Trochim, W. M. K. (1989). An introduction to concept mapping for planning and
   evaluation. *Evaluation and Program Planning*, 12(1), 1-16.
.. [2] Kane, M., & Trochim, W. M. K. (2007). *Concept mapping for planning and evaluation*.
   Sage.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage


def cluster_counts(requested: Iterable[int], n_statements: int) -> tuple[int, ...]:
    """The numbers of clusters to compute, in order, none above ``n_statements - 1``.

    A request above what the statements allow is lowered to ``n_statements - 1`` (three
    statements give two clusters at most), so a small card sort still gets a map.

    Raises
    ------
    ValueError
        When a requested number is below two or none is requested.
    """
    wanted = list(requested)
    if not wanted:
        raise ValueError("No numbers of clusters were asked for; ask for at least one, e.g. 5.")
    too_few = sorted({k for k in wanted if k < 2})
    if too_few:
        raise ValueError(
            f"A map cannot be cut into {', '.join(map(str, too_few))} cluster(s); ask for "
            "two or more."
        )
    return tuple(sorted({min(k, n_statements - 1) for k in wanted}))


def number_in_statement_order(labels: Iterable[int]) -> tuple[int, ...]:
    """Renumber cluster labels 1, 2, ... in the order their first statement appears."""
    numbers: dict[int, int] = {}
    out = []
    for label in labels:
        if label not in numbers:
            numbers[label] = len(numbers) + 1
        out.append(numbers[label])
    return tuple(out)


def ward_partitions(
    coordinates: npt.NDArray[np.float64], counts: Iterable[int]
) -> dict[int, tuple[int, ...]]:
    """Each statement's cluster number for every number of clusters in ``counts``."""
    tree = linkage(coordinates, method="ward")
    return {
        k: number_in_statement_order(fcluster(tree, k, criterion="maxclust").tolist())
        for k in counts
    }
