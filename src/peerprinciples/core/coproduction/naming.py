"""Names for a cluster suggested by the labels sorters gave their piles.

In concept mapping the group names the clusters, helped by the labels sorters wrote on their
piles (Kane & Trochim [1]_; R-CMap lists the pile labels of a cluster's statements [2]_). A
label is a good name for a cluster when its pile lies mostly inside the cluster and covers
much of it. So each pile ``P`` scores, for cluster ``C``,

.. math:: w(P, C) = \\frac{|P \\cap C|}{|P|} \\cdot \\frac{|P \\cap C|}{|C|}

the share of the pile in the cluster times the share of the cluster in the pile (1 when the
pile is the cluster). A label's weight is the sum of its piles' scores divided by the number of
sorters, so it lies between 0 and 1 and reads as: 1 when every sorter made a pile of exactly
this cluster and called it this. Labels are compared after folding case and collapsing runs of
white space (``"Peer  Values"`` and ``"peer values"`` are one label); each is shown in its most
frequent written form (alphabetically first among equally frequent ones). Unlabelled piles
suggest nothing. The top :data:`TOP` labels are suggested, heaviest first (alphabetically on
equal weight).

References
----------
.. [1] Kane, M., & Trochim, W. M. K. (2007). *Concept mapping for planning and evaluation*.
   Sage.
.. [2] Bar, H., & Mentch, L. (2017). R-CMap: an open-source software for concept mapping.
   *Evaluation and Program Planning*, 60, 284-292.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from peerprinciples.core.coproduction.similarity import Piles

TOP = 3


@dataclass(frozen=True)
class SuggestedName:
    """A pile label suggested for a cluster, with its weight (0 to 1)."""

    label: str
    weight: float


def normalise_label(label: str) -> str:
    """A label folded for comparison: case folded, white space collapsed and trimmed."""
    return " ".join(label.split()).casefold()


def _written_forms(labels: Sequence[str]) -> dict[str, str]:
    """Each normalised label's most frequent written form."""
    forms: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for label in labels:
        written = " ".join(label.split())
        if written:
            forms[written.casefold()][written] += 1
    return {
        key: min(counts, key=lambda form: (-counts[form], form)) for key, counts in forms.items()
    }


def suggest_for_membership(
    piles: Piles, membership: npt.NDArray[np.float64], top: int = TOP
) -> list[tuple[SuggestedName, ...]]:
    """Suggested names for each cluster; ``membership`` is statements × clusters (0/1)."""
    pile_sizes = piles.incidence.sum(axis=0)
    cluster_sizes = membership.sum(axis=0)
    overlap = membership.T @ piles.incidence
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = overlap**2 / np.outer(cluster_sizes, pile_sizes)
    scores = np.nan_to_num(scores)
    keys = [normalise_label(label) for label in piles.labels]
    shown = _written_forms(piles.labels)
    suggestions = []
    for row in scores:
        totals: defaultdict[str, float] = defaultdict(float)
        for key, score in zip(keys, row.tolist(), strict=True):
            if key and score > 0:
                totals[key] += score
        ranked = sorted(totals.items(), key=lambda item: (-item[1], shown[item[0]]))
        suggestions.append(
            tuple(SuggestedName(shown[key], total / piles.n_sorters) for key, total in ranked[:top])
        )
    return suggestions


def suggest_names(
    piles: Piles, partition: Sequence[int], top: int = TOP
) -> tuple[tuple[SuggestedName, ...], ...]:
    """Suggested names for clusters 1, 2, ... of ``partition`` (a cluster number per
    statement)."""
    labels = np.asarray(partition)
    numbers = np.arange(1, int(labels.max()) + 1)
    membership = (labels[:, None] == numbers[None, :]).astype(np.float64)
    return tuple(suggest_for_membership(piles, membership, top))


def suggest_for_statements(
    piles: Piles, statements: Sequence[str], top: int = TOP
) -> tuple[SuggestedName, ...]:
    """Suggested names for any group of statements (two clusters merged, say).

    Raises
    ------
    ValueError
        When a key is not one of the statements, or none is given.
    """
    unknown = [key for key in statements if key not in piles.keys]
    if unknown:
        raise ValueError(
            f"{', '.join(map(repr, unknown))} not among the statements; use their keys."
        )
    if not statements:
        raise ValueError("No statements were given to suggest a name for.")
    wanted = set(statements)
    membership = np.array([[1.0 if key in wanted else 0.0] for key in piles.keys])
    return suggest_for_membership(piles, membership, top)[0]
