"""The concept map of a card sort: one call from the sorts to a result the web app can store.

:func:`analyse` runs the method of Trochim [1]_ as R-CMap [2]_ and the Concept System do it:
the similarity matrix of the sorts (:mod:`.similarity`), non-metric scaling into two dimensions
(:mod:`.scaling`), Ward's clustering of the map for each number of clusters
(:mod:`.clustering`), the stability of each solution over resampled sorters
(:mod:`.stability`) and names suggested from the pile labels (:mod:`.naming`).

:class:`ConceptMap` holds everything the analysis found and what a facilitator then did: the
group may merge clusters and rename them (:meth:`ConceptMap.merge`,
:meth:`ConceptMap.rename`). Those edits are recorded in order and applied on reading
(:meth:`ConceptMap.regions`); the raw partitions are never changed. ``to_json`` and
``from_json`` convert it to and from plain JSON values.

References
----------
.. [1] Trochim, W. M. K. (1989). An introduction to concept mapping for planning and
   evaluation. *Evaluation and Program Planning*, 12(1), 1-16.
.. [2] Bar, H., & Mentch, L. (2017). R-CMap: an open-source software for concept mapping.
   *Evaluation and Program Planning*, 60, 284-292.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy
import sklearn

from peerprinciples.core.coproduction.cardsort import CardSort
from peerprinciples.core.coproduction.clustering import cluster_counts, ward_partitions
from peerprinciples.core.coproduction.edits import (
    MERGE,
    RENAME,
    Edit,
    Layout,
    Region,
    checked_name,
    regions,
    replay,
)
from peerprinciples.core.coproduction.map_defaults import (
    DEFAULT_CLUSTERS,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    DEFAULT_STARTS,
)
from peerprinciples.core.coproduction.naming import SuggestedName, suggest_names
from peerprinciples.core.coproduction.problems import Problem
from peerprinciples.core.coproduction.scaling import Start, scale
from peerprinciples.core.coproduction.similarity import (
    UNSORTED_HANDLING,
    check_piles,
    dissimilarity_matrix,
    similarity_matrix,
)
from peerprinciples.core.coproduction.stability import Stability, bootstrap_stability

FORMAT = 1
"""The version of :meth:`ConceptMap.to_json`'s layout."""

Progress = Callable[[str, int, int], None]
"""Called with a stage (``"scaling"``, ``"stability"``, ...), the steps done and in all."""


@dataclass(frozen=True)
class ConceptMap:
    """Everything the concept-map analysis found, and the facilitator's edits."""

    keys: tuple[str, ...]
    sorters: tuple[str, ...]
    unsorted_handling: str
    unsorted: Mapping[str, tuple[str, ...]]
    warnings: tuple[Problem, ...]
    similarity: tuple[tuple[int, ...], ...]
    coordinates: tuple[tuple[float, float], ...]
    stress: float
    seed: int
    starts: tuple[Start, ...]
    best_start: int
    partitions: Mapping[int, tuple[int, ...]]
    resamples: int
    stability: Mapping[int, Stability]
    names: Mapping[int, tuple[tuple[SuggestedName, ...], ...]]
    edits: tuple[Edit, ...] = ()
    software: Mapping[str, str] = field(default_factory=dict)

    @property
    def cluster_counts(self) -> tuple[int, ...]:
        """The numbers of clusters computed, smallest first."""
        return tuple(sorted(self.partitions))

    def similarity_array(self) -> npt.NDArray[np.int64]:
        """The similarity matrix as a numpy array."""
        return np.asarray(self.similarity, dtype=np.int64)

    def coordinate_array(self) -> npt.NDArray[np.float64]:
        """The map's coordinates as a statements × 2 numpy array."""
        return np.asarray(self.coordinates, dtype=np.float64)

    def layout(self, clusters: int) -> Layout:
        """The regions of one solution and their names after the facilitator's edits.

        Raises
        ------
        ValueError
            When the map has no solution with ``clusters`` clusters.
        """
        if clusters not in self.partitions:
            computed = ", ".join(map(str, self.cluster_counts))
            raise ValueError(
                f"There is no {clusters}-cluster solution; the map has solutions with "
                f"{computed} clusters."
            )
        suggested = self.names.get(clusters, ())
        return replay(clusters, self.partitions[clusters], suggested, self.edits)

    def regions(self, clusters: int) -> tuple[Region, ...]:
        """The solution with ``clusters`` clusters after the facilitator's edits."""
        return regions(self.layout(clusters), self.keys, self.partitions[clusters])

    def merge(self, clusters: int, members: Iterable[int], name: str | None = None) -> ConceptMap:
        """Merge the regions holding ``members`` into one, named ``name`` (by default the
        name of the lowest-numbered of them).

        Raises
        ------
        ValueError
            For an unknown solution or cluster, fewer than two regions to merge, or a name
            that is empty or too long.
        """
        chosen = tuple(sorted(set(members)))
        layout = self.layout(clusters)
        layout.check(chosen)
        merged = {layout.region_of(c) for c in chosen}
        if len(merged) < 2:
            raise ValueError(
                f"Clusters {', '.join(map(str, chosen))} are already one region; choose "
                "clusters from at least two regions to merge."
            )
        text = layout.names[min(merged)] if name is None else checked_name(name)
        return replace(self, edits=(*self.edits, Edit(clusters, MERGE, chosen, text)))

    def rename(self, clusters: int, cluster: int, name: str) -> ConceptMap:
        """Name the region holding ``cluster``.

        Raises
        ------
        ValueError
            For an unknown solution or cluster, or a name that is empty or too long.
        """
        self.layout(clusters).check((cluster,))
        edit = Edit(clusters, RENAME, (cluster,), checked_name(name))
        return replace(self, edits=(*self.edits, edit))

    def reset(self, clusters: int) -> ConceptMap:
        """Drop every edit of one solution, back to the analysis's clusters and names."""
        return replace(self, edits=tuple(e for e in self.edits if e.clusters != clusters))

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values (a ``dict``) holding the whole map, edits included."""
        return {
            "format": FORMAT,
            "keys": list(self.keys),
            "sorters": list(self.sorters),
            "unsorted_handling": self.unsorted_handling,
            "unsorted": {s: list(cards) for s, cards in self.unsorted.items()},
            "warnings": [asdict(w) for w in self.warnings],
            "similarity": [list(row) for row in self.similarity],
            "coordinates": [list(point) for point in self.coordinates],
            "stress": self.stress,
            "seed": self.seed,
            "starts": [asdict(s) for s in self.starts],
            "best_start": self.best_start,
            "partitions": {str(k): list(p) for k, p in self.partitions.items()},
            "resamples": self.resamples,
            "stability": {str(k): list(s.scores) for k, s in self.stability.items()},
            "names": {
                str(k): [[asdict(n) for n in cluster] for cluster in clusters]
                for k, clusters in self.names.items()
            },
            "edits": [asdict(e) for e in self.edits],
            "software": dict(self.software),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConceptMap:
        """Read back what :meth:`to_json` wrote.

        Raises
        ------
        ValueError
            When the data are not a stored concept map of a known format, naming the
            part that is missing or wrong.
        """
        if data.get("format") != FORMAT:
            raise ValueError(
                f"The stored concept map has format {data.get('format')!r}; this version "
                f"reads format {FORMAT}. Draw the map again from the sorts."
            )
        try:
            cmap = _from_json(cls, data)
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(
                f"The stored concept map cannot be read ({type(error).__name__}: {error}). "
                "Draw the map again from the sorts."
            ) from error
        return cmap


def suggested_clusters(cmap: ConceptMap) -> int:
    """The number of clusters to show until someone chooses: the most stable solution, or
    the fewest clusters computed when the map has no stability (one sorter, no resamples).

    Solutions are compared by their mean adjusted Rand index rounded to six decimals, so a
    difference of floating-point noise does not decide; among equally stable solutions the
    one with the fewest clusters is taken, the simpler reading of the sorts.
    """
    counts = cmap.cluster_counts
    if not cmap.stability:
        return counts[0]
    return max(counts, key=lambda k: (round(cmap.stability[k].mean, 6), -k))


def _from_json(cls: type[ConceptMap], data: Mapping[str, Any]) -> ConceptMap:
    cmap = cls(
        keys=tuple(data["keys"]),
        sorters=tuple(data["sorters"]),
        unsorted_handling=data["unsorted_handling"],
        unsorted={s: tuple(cards) for s, cards in data["unsorted"].items()},
        warnings=tuple(Problem(**w) for w in data["warnings"]),
        similarity=tuple(tuple(int(v) for v in row) for row in data["similarity"]),
        coordinates=tuple((float(x), float(y)) for x, y in data["coordinates"]),
        stress=float(data["stress"]),
        seed=int(data["seed"]),
        starts=tuple(Start(**s) for s in data["starts"]),
        best_start=int(data["best_start"]),
        partitions={int(k): tuple(int(c) for c in p) for k, p in data["partitions"].items()},
        resamples=int(data["resamples"]),
        stability={
            int(k): Stability(int(k), tuple(float(v) for v in scores))
            for k, scores in data["stability"].items()
        },
        names={
            int(k): tuple(tuple(SuggestedName(**n) for n in cluster) for cluster in clusters)
            for k, clusters in data["names"].items()
        },
        edits=tuple(
            Edit(int(e["clusters"]), e["action"], tuple(int(c) for c in e["members"]), e["name"])
            for e in data["edits"]
        ),
        software=dict(data["software"]),
    )
    for k in {e.clusters for e in cmap.edits}:
        cmap.layout(k)  # raises on an edit that cannot apply
    return cmap


def analyse(
    cardsort: CardSort,
    *,
    starts: int = DEFAULT_STARTS,
    seed: int = DEFAULT_SEED,
    clusters: Iterable[int] = DEFAULT_CLUSTERS,
    resamples: int = DEFAULT_RESAMPLES,
    progress: Progress | None = None,
) -> ConceptMap:
    """Draw the concept map of a card sort.

    Parameters
    ----------
    cardsort
        The statements and every sorter's piles.
    starts
        Scaling runs: the classical start and ``starts - 1`` random ones; the lowest
        stress-1 is kept (:mod:`.scaling`).
    seed
        Seeds the random starts and the resamples; recorded in the result.
    clusters
        The numbers of clusters to cut the map into (lowered to the number of statements
        less one).
    resamples
        Bootstrap resamples of the sorters for each solution's stability; 0 skips it.
    progress
        Called as work goes on with a stage name, the steps done and the steps in all.

    Raises
    ------
    InvalidCardSort
        When the sorts cannot be mapped (see :func:`.similarity.check_piles`).
    ValueError
        For starts below one, negative resamples, or numbers of clusters below two.
    """
    if starts < 1:
        raise ValueError(f"starts is {starts}; scaling needs at least one start.")
    if resamples < 0:
        raise ValueError(f"resamples is {resamples}; use 0 to skip stability, or more.")
    report = progress or (lambda stage, done, total: None)
    report("similarity", 0, 1)
    piles = check_piles(cardsort)
    counts = cluster_counts(clusters, len(piles.keys))
    similarity = similarity_matrix(piles)
    report("similarity", 1, 1)
    report("scaling", 0, starts)
    scaling = scale(
        dissimilarity_matrix(similarity, piles.n_sorters),
        starts=starts,
        seed=seed,
        step=lambda done, total: report("scaling", done, total),
    )
    partitions = ward_partitions(scaling.coordinates, counts)
    stability = bootstrap_stability(
        piles,
        scaling.coordinates,
        partitions,
        resamples=resamples,
        seed=seed,
        step=lambda done, total: report("stability", done, total),
    )
    names = {k: suggest_names(piles, partition) for k, partition in partitions.items()}
    report("naming", 1, 1)
    warnings = list(piles.warnings)
    if piles.n_sorters == 1 and resamples:
        warnings.append(
            Problem(
                "sorts",
                "there is one sorter, so the stability of the clusters cannot be estimated.",
                "Add more sorters' piles to see how stable the clusters are.",
            )
        )
    return ConceptMap(
        keys=piles.keys,
        sorters=piles.sorters,
        unsorted_handling=UNSORTED_HANDLING,
        unsorted=piles.unsorted,
        warnings=tuple(warnings),
        similarity=tuple(tuple(row) for row in similarity.tolist()),
        coordinates=tuple((float(x), float(y)) for x, y in scaling.coordinates.tolist()),
        stress=scaling.stress,
        seed=seed,
        starts=scaling.starts,
        best_start=scaling.best,
        partitions=partitions,
        resamples=resamples if stability else 0,
        stability=stability,
        names=names,
        software={"scikit-learn": sklearn.__version__, "scipy": scipy.__version__},
    )
