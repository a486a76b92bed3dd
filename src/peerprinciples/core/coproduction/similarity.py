"""How often sorters put two statements in the same pile: the data a concept map is drawn from.

Each sorter's piles form a binary matrix over the statements (1 when the two statements share
a pile); summing those matrices over sorters gives the total similarity matrix (Trochim [1]_,
following Weller & Romney [2]_). Entry (i, j) counts the sorters who put statements i and j
together; the diagonal holds the number of sorters, since every card is always with itself.

**Cards a sorter left unsorted count as piles of their own.** Trochim's sorting rules let a
sorter put some statements in piles on their own, though not every statement [1]_. A card a
sorter did not place says the same thing as a card placed alone: this sorter grouped it with
nothing. So it adds nothing to any similarity, and the sorter still counts in the number of
sorters for every pair that involves it. R-CMap does the same: its per-sorter matrix has a row
of zeros for a card that sorter left out, and every sorter enters its dissimilarity ``n - s``
(Bar & Mentch [3]_). The other reading, dropping the sorter for pairs that involve the card,
would make each pair's count out of a different number of sorters and throw away the sorter's
decision not to group it. The result records the rule (:data:`UNSORTED_HANDLING`) and lists
the cards each sorter left unsorted.

**Odd sorts are warnings, not errors.** A sorter who put every card in one pile, or every card
on its own (including one who sorted nothing), breaks the sorting instructions [1]_. R-CMap
reports such sorts and keeps them [3]_; so does this module. Such a sort adds the same amount
(one, or nothing) to every pair, so it leaves the order of the dissimilarities, the only thing
non-metric scaling uses, unchanged. Empty piles carry nothing and are left out with a warning.

**Errors.** A card that is not one of the statements, a card in two piles of one sorter (or
twice in one pile), two sorts with the same sorter code, fewer than three statements, no sorts,
and sorts that never tell any two pairs apart are refused: every problem is listed in one
:class:`InvalidCardSort`.

References
----------
.. [1] Trochim, W. M. K. (1989). An introduction to concept mapping for planning and
   evaluation. *Evaluation and Program Planning*, 12(1), 1-16.
.. [2] Weller, S. C., & Romney, A. K. (1988). *Systematic data collection*. Sage.
.. [3] Bar, H., & Mentch, L. (2017). R-CMap: an open-source software for concept mapping.
   *Evaluation and Program Planning*, 60, 284-292.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from peerprinciples.core.coproduction.cardsort import CardSort
from peerprinciples.core.coproduction.problems import Problem

UNSORTED_HANDLING = "own pile"
"""How a card a sorter left unsorted is counted: as a pile of its own for that sorter."""

MIN_STATEMENTS = 3


class InvalidCardSort(ValueError):
    """A card sort that cannot be mapped, with every problem found in it (never just the first)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, eq=False)
class Piles:
    """Every sorter's non-empty piles as one statement-by-pile incidence matrix.

    ``incidence[i, p]`` is 1 when statement ``keys[i]`` is in pile ``p``; pile ``p`` belongs to
    sorter ``owner[p]`` (an index into ``sorters``) and carries the label ``labels[p]``.
    """

    keys: tuple[str, ...]
    sorters: tuple[str, ...]
    incidence: npt.NDArray[np.float64]
    owner: npt.NDArray[np.intp]
    labels: tuple[str, ...]
    unsorted: dict[str, tuple[str, ...]]
    """The cards each sorter left unsorted, for sorters who left any."""
    warnings: tuple[Problem, ...]
    together: npt.NDArray[np.int64]
    """The similarity matrix with every sorter counted once."""

    @property
    def n_sorters(self) -> int:
        """How many sorters' piles are counted."""
        return len(self.sorters)


def _where(sorter: str, label: str) -> str:
    return f"sorter {sorter}, pile {label!r}" if label else f"sorter {sorter}, an unnamed pile"


def _sort_problems(cardsort: CardSort) -> list[Problem]:
    problems = []
    if len(cardsort.statements) < MIN_STATEMENTS:
        problems.append(
            Problem(
                "statements",
                f"there are {len(cardsort.statements)} statements; a concept map needs at "
                f"least {MIN_STATEMENTS}.",
                "Add statements before drawing the map.",
            )
        )
    if not cardsort.sorts:
        problems.append(
            Problem("sorts", "nobody has sorted the cards yet.", "Add at least one sort.")
        )
    seen_codes: set[str] = set()
    for sort in cardsort.sorts:
        if sort.sorter in seen_codes:
            problems.append(
                Problem(
                    f"sorter {sort.sorter}",
                    "two sorts have this sorter code.",
                    "Give each sorter one code, or merge their piles into one sort.",
                )
            )
        seen_codes.add(sort.sorter)
        placed: dict[str, int] = {}
        for number, pile in enumerate(sort.piles):
            for card in pile.cards:
                if card not in cardsort.statements:
                    what = f"card {card!r} is not one of the statements."
                    fix = "Use a statement's key, or take the card out of the pile."
                elif card in placed:
                    first = placed[card]
                    what = (
                        f"card {card!r} is in this pile twice."
                        if first == number
                        else f"card {card!r} is also in the pile {sort.piles[first].label!r}."
                    )
                    fix = "Put each card in one pile only, once."
                else:
                    placed[card] = number
                    continue
                problems.append(Problem(_where(sort.sorter, pile.label), what, fix))
    return problems


def _sorter_warnings(sorter: str, piles: list[frozenset[str]], n: int) -> list[Problem]:
    sizes = [len(p) for p in piles]
    if sizes == [n]:
        return [
            Problem(
                f"sorter {sorter}",
                "put every card in one pile, which says nothing about which belong together.",
                "Their sort is kept (it shifts every pair alike); ask them to sort again "
                "to make it count.",
            )
        ]
    if all(size <= 1 for size in sizes):
        what = "sorted no cards." if not sizes else "put every card in a pile of its own."
        return [
            Problem(
                f"sorter {sorter}",
                what,
                "Their sort is kept (it adds nothing to any pair); ask them to sort again "
                "to make it count.",
            )
        ]
    return []


def _unsorted_warning(sorter: str, left: list[str]) -> Problem:
    shown = ", ".join(left[:10]) + (f" and {len(left) - 10} more" if len(left) > 10 else "")
    return Problem(
        f"sorter {sorter}",
        f"left {len(left)} card{'' if len(left) == 1 else 's'} unsorted ({shown}).",
        "Each counts as a pile of its own for this sorter; if a card was missed by mistake, "
        "add it to a pile.",
    )


def check_piles(cardsort: CardSort) -> Piles:
    """Check every sort and gather the piles into one incidence matrix.

    Raises
    ------
    InvalidCardSort
        Listing every card that is not a statement, every card placed twice by one sorter,
        repeated sorter codes, too few statements, no sorts, or sorts that put every pair
        of statements together equally often.
    """
    problems = _sort_problems(cardsort)
    if problems:
        raise InvalidCardSort(problems)
    keys = cardsort.keys
    index = {key: i for i, key in enumerate(keys)}
    columns: list[list[int]] = []
    owner: list[int] = []
    labels: list[str] = []
    unsorted: dict[str, tuple[str, ...]] = {}
    warnings: list[Problem] = []
    for s, sort in enumerate(cardsort.sorts):
        kept = []
        for pile in sort.piles:
            if not pile.cards:
                warnings.append(
                    Problem(
                        _where(sort.sorter, pile.label),
                        "the pile is empty.",
                        "It is left out; nothing needs fixing.",
                    )
                )
                continue
            kept.append(frozenset(pile.cards))
            columns.append([index[card] for card in pile.cards])
            owner.append(s)
            labels.append(pile.label)
        placed = sort.sorted_cards()
        left = [key for key in keys if key not in placed]
        if left and kept:
            unsorted[sort.sorter] = tuple(left)
            warnings.append(_unsorted_warning(sort.sorter, left))
        elif left:
            unsorted[sort.sorter] = tuple(left)
        warnings += _sorter_warnings(sort.sorter, kept, len(keys))
    incidence = np.zeros((len(keys), len(columns)), dtype=np.float64)
    for p, rows in enumerate(columns):
        incidence[rows, p] = 1.0
    owners = np.asarray(owner, dtype=np.intp)
    n_sorters = len(cardsort.sorts)
    piles = Piles(
        keys=keys,
        sorters=tuple(sort.sorter for sort in cardsort.sorts),
        incidence=incidence,
        owner=owners,
        labels=tuple(labels),
        unsorted=unsorted,
        warnings=tuple(warnings),
        together=_weighted_similarity(incidence, owners, np.ones(n_sorters)),
    )
    off_diagonal = piles.together[np.triu_indices(len(keys), k=1)]
    if off_diagonal.min() == off_diagonal.max():
        raise InvalidCardSort(
            [
                Problem(
                    "sorts",
                    f"every pair of statements was put together by {off_diagonal[0]} of "
                    f"{piles.n_sorters} sorters, so the sorts say nothing about which "
                    "statements belong together.",
                    "Ask sorters to make piles of statements that belong together (more "
                    "than one pile, not every card alone).",
                )
            ]
        )
    return piles


def similarity_matrix(
    piles: Piles, weights: npt.NDArray[np.float64] | None = None
) -> npt.NDArray[np.int64]:
    """The total similarity matrix: how many sorters put statements i and j in one pile.

    ``weights`` gives each sorter's multiplicity (a bootstrap resample draws some sorters
    more than once and others not at all); by default every sorter counts once. The diagonal
    is the total weight: a card is always in its own pile.
    """
    if weights is None:
        return piles.together.copy()
    return _weighted_similarity(piles.incidence, piles.owner, weights)


def _weighted_similarity(
    incidence: npt.NDArray[np.float64],
    owner: npt.NDArray[np.intp],
    weights: npt.NDArray[np.float64],
) -> npt.NDArray[np.int64]:
    together = np.rint((incidence * weights[owner]) @ incidence.T).astype(np.int64)
    np.fill_diagonal(together, round(float(weights.sum())))
    return together


def dissimilarity_matrix(
    similarity: npt.NDArray[np.int64], n_sorters: int
) -> npt.NDArray[np.float64]:
    """Dissimilarity for scaling: the sorters who kept two statements apart, plus one.

    ``n - s`` (R-CMap's dissimilarity) counts the sorters who separated the pair. One is added
    off the diagonal because scikit-learn's non-metric scaling reads a zero dissimilarity as
    missing, and a pair every sorter kept together must not be lost; non-metric scaling uses
    only the order of the dissimilarities, which the shift leaves as it is.
    """
    shifted = (n_sorters + 1 - similarity).astype(np.float64)
    np.fill_diagonal(shifted, 0.0)
    return shifted
