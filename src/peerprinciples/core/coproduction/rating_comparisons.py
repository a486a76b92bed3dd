"""Two columns of mean ratings side by side: the ladder of clusters and the go-zone of
statements.

The **ladder** (Trochim's pattern match) sets two columns of cluster means beside each other
(two scales for the same raters, importance against feasibility; or one scale for two
groups, peer workers against managers) and joins each cluster's two means with a line, so
a cluster that one column ranks high and the other low stands out as a crossing line.
Pearson's r between the columns says how alike the two patterns are.

The **go-zone** plots every statement by its mean on two scales and splits the plot into
quadrants at each scale's mean (the mean of the statement means). The statements above
both means, the top right, are the ones to act on first.

How missing ratings count is said in :mod:`.statement_ratings`: a statement's mean is over
the ratings it got, and a statement needs a mean on both scales to be placed in a go-zone
(the others are listed in ``left_out``).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scipy import stats

from peerprinciples.core.coproduction.cardsort import StatementRating
from peerprinciples.core.coproduction.statement_ratings import (
    ALL_RATERS,
    Cohort,
    cluster_means,
    statement_summaries,
)

MIN_CLUSTERS_FOR_R = 3
"""Pearson's r between the columns of a ladder needs at least this many clusters with a mean
in both: with two it is always +1 or -1 and says nothing."""


@dataclass(frozen=True)
class LadderSide:
    """One column of a ladder: a scale, rated by a cohort (all raters by default)."""

    scale: str
    cohort: Cohort = ALL_RATERS

    @property
    def label(self) -> str:
        """``Importance``, or ``Importance (PrimaryRole: Evaluator)`` for a group."""
        if self.cohort.members is None:
            return self.scale
        return f"{self.scale} ({self.cohort.label})"


@dataclass(frozen=True)
class Rung:
    """One cluster's means in the left and right columns (``None`` when not rated)."""

    cluster: int
    name: str
    left: float | None
    right: float | None


@dataclass(frozen=True)
class Ladder:
    """A pattern match: the rungs in cluster order and Pearson's r between the columns
    (``None`` below :data:`MIN_CLUSTERS_FOR_R` clusters with both means, or when a column
    does not vary)."""

    left: LadderSide
    right: LadderSide
    rungs: tuple[Rung, ...]
    r: float | None

    @property
    def paired(self) -> int:
        """How many clusters have a mean in both columns (the n of ``r``)."""
        return sum(rung.left is not None and rung.right is not None for rung in self.rungs)


def pearson_r(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Pearson's r of the pairs (:func:`scipy.stats.pearsonr`), or ``None`` when it says
    nothing: fewer than :data:`MIN_CLUSTERS_FOR_R` pairs, or one side constant.

    Notes
    -----
    :math:`r = \\frac{\\sum (x_i - \\bar x)(y_i - \\bar y)}
    {\\sqrt{\\sum (x_i - \\bar x)^2 \\sum (y_i - \\bar y)^2}}`.
    """
    if len(pairs) < MIN_CLUSTERS_FOR_R:
        return None
    xs = [x for x, _ in pairs]
    ys = [y for _, y in pairs]
    if min(xs) == max(xs) or min(ys) == max(ys):
        return None
    return float(stats.pearsonr(xs, ys).statistic)


def ladder(
    ratings: Sequence[StatementRating],
    clusters: Mapping[str, int],
    left: LadderSide,
    right: LadderSide,
    *,
    names: Mapping[int, str] | None = None,
) -> Ladder:
    """The ladder of cluster means between two columns, and Pearson's r between them.

    Parameters
    ----------
    ratings
        Every rating given.
    clusters
        The concept map's clusters: statement key -> cluster number.
    left, right
        The two columns: two scales (``LadderSide("Importance")``,
        ``LadderSide("Feasibility")``), or one scale for two cohorts (see
        :func:`~.statement_ratings.cohorts`).
    names
        Cluster number -> name.

    Raises
    ------
    ValueError
        When ``clusters`` is empty or a column's scale has no ratings at all.

    Examples
    --------
    >>> from peerprinciples.core.coproduction.cardsort import StatementRating as R
    >>> given = [R("a", s, q, v) for s, q, v in [("1", "imp", 5), ("1", "fea", 2),
    ...     ("2", "imp", 3), ("2", "fea", 4), ("3", "imp", 1), ("3", "fea", 5)]]
    >>> result = ladder(given, {"1": 1, "2": 2, "3": 3}, LadderSide("imp"), LadderSide("fea"))
    >>> [(rung.left, rung.right) for rung in result.rungs], round(result.r, 3)
    ([(5.0, 2.0), (3.0, 4.0), (1.0, 5.0)], -0.982)
    """
    lefts = cluster_means(ratings, clusters, left.scale, cohort=left.cohort, names=names)
    rights = cluster_means(ratings, clusters, right.scale, cohort=right.cohort, names=names)
    rungs = tuple(
        Rung(a.cluster, a.name, a.mean, b.mean) for a, b in zip(lefts, rights, strict=True)
    )
    pairs = [
        (rung.left, rung.right)
        for rung in rungs
        if rung.left is not None and rung.right is not None
    ]
    return Ladder(left, right, rungs, pearson_r(pairs))


@dataclass(frozen=True)
class GoZonePoint:
    """A statement's means on the two scales, and on which side of each split it lies (a
    mean exactly at the split counts as below it)."""

    statement: str
    cluster: int | None
    x: float
    y: float
    high_x: bool
    high_y: bool

    @property
    def in_go_zone(self) -> bool:
        """Whether the statement is above the mean on both scales."""
        return self.high_x and self.high_y


@dataclass(frozen=True)
class GoZone:
    """Statements placed by their means on two scales, split at each scale's mean.

    ``x_split`` and ``y_split`` are the means of the placed statements' means;
    ``left_out`` lists the statements without a mean on one scale or both.
    """

    x_scale: str
    y_scale: str
    cohort: str
    x_split: float
    y_split: float
    points: tuple[GoZonePoint, ...]
    left_out: tuple[str, ...]

    @property
    def go_zone(self) -> tuple[str, ...]:
        """The statements above the mean on both scales (the top right), in order."""
        return tuple(point.statement for point in self.points if point.in_go_zone)


def go_zone(
    ratings: Sequence[StatementRating],
    x_scale: str,
    y_scale: str,
    *,
    statements: Sequence[str] | None = None,
    clusters: Mapping[str, int] | None = None,
    within: int | None = None,
    cohort: Cohort = ALL_RATERS,
) -> GoZone:
    """Place each statement by its means on ``x_scale`` and ``y_scale``, and split the
    statements into quadrants at each scale's mean.

    Parameters
    ----------
    ratings
        Every rating given.
    x_scale, y_scale
        The scales across and up (traditionally importance across, feasibility up).
    statements
        The statements, in order (a card sort's keys). By default the keys of ``clusters``,
        or else every statement rated, in the order first rated.
    clusters
        Statement key -> cluster number, to colour the points by cluster.
    within
        A cluster number: place only that cluster's statements, split at their own means.
    cohort
        Whose ratings count (all raters by default).

    Raises
    ------
    ValueError
        When a scale has no ratings, ``within`` is given without ``clusters`` or names no
        cluster in it, or no statement has a mean on both scales.
    """
    keys = list(statements) if statements is not None else None
    if keys is None and clusters is not None:
        keys = list(clusters)
    if within is not None:
        if not clusters or within not in clusters.values():
            raise ValueError(
                f"There is no cluster {within} among the clusters given; "
                "a go-zone within a cluster needs the statements' clusters."
            )
        keys = [key for key in keys or clusters if clusters.get(key) == within]
    if keys is None:
        rated = (r.statement for r in ratings if r.scale in (x_scale, y_scale))
        keys = list(dict.fromkeys(rated))
    xs = statement_summaries(ratings, x_scale, statements=keys, cohort=cohort)
    ys = statement_summaries(ratings, y_scale, statements=keys, cohort=cohort)
    placed: list[tuple[str, float, float]] = []
    left_out: list[str] = []
    for x, y in zip(xs, ys, strict=True):
        if x.mean is None or y.mean is None:
            left_out.append(x.statement)
        else:
            placed.append((x.statement, x.mean, y.mean))
    if not placed:
        raise ValueError(
            f"No statement has a mean on both {x_scale!r} and {y_scale!r} "
            f"({cohort.label}), so there is no go-zone to draw."
        )
    x_split = statistics.fmean(x for _, x, _ in placed)
    y_split = statistics.fmean(y for _, _, y in placed)
    points = tuple(
        GoZonePoint(key, (clusters or {}).get(key), x, y, x > x_split, y > y_split)
        for key, x, y in placed
    )
    return GoZone(x_scale, y_scale, cohort.label, x_split, y_split, points, tuple(left_out))
