"""What a panel's ratings of the statements say, per statement and per cluster.

After sorting, a panel may rate every statement on one or more scales (how important, how
feasible). The concept map groups the statements into clusters; this module takes those
clusters as a plain mapping, statement key -> cluster number, and works out:

- per statement and scale: how many ratings it got, their mean and standard deviation
  (:func:`statement_summaries`);
- per cluster: the mean of its statements' means, for all raters or for the raters who gave
  one answer to a demographic question (:func:`cluster_means`, :func:`cluster_means_by_group`);
- in :mod:`.rating_comparisons`, the ladder and the go-zone, which set two columns of
  these means side by side.

Small groups
------------
:func:`rater_groups` says which groups of raters may be shown apart: a group only when at
least :data:`MIN_GROUP_RATERS` of its people rated, and, when hiding one group would let it be
worked out from everyone's averages and the other groups', the next smallest too (the rule of
:mod:`peerprinciples.core.suppression`). Within a group shown, a statement's or a cluster's
average covers the same minimum of raters before it is shown. The web pages and the command
line apply the same rule.

Missing ratings
---------------
A rating that was not given (``NA`` or an empty cell in a Ratings file, or a statement a
rater skipped) is left out; nothing is filled in. A statement's ``n`` counts the ratings it
got on that scale and its mean and standard deviation are over those. A cluster's mean is
the plain mean of the means of its statements that got at least one rating (each statement
counts once, however many people rated it, as in Trochim's cluster rating map); statements
that got none are counted in ``unrated``. A rater belongs to a group when their answer to
the question is that value; raters missing from the demographics, or who left the question
empty, count among all raters and in no group.

References
----------
1. Kane, M., & Trochim, W. M. K. (2007). *Concept mapping for planning and evaluation*.
   Sage.
2. Bar, H., & Mentch, L. (2017). R-CMap: An open-source software for concept mapping.
   *Evaluation and Program Planning*, 60, 284-292.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from peerprinciples.core.coproduction.cardsort import StatementRating
from peerprinciples.core.naturalsort import natural_key
from peerprinciples.core.suppression import Key, suppress

MIN_GROUP_RATERS = 3
"""The fewest raters a group's averages are shown for, apart from everyone's."""


@dataclass(frozen=True)
class Cohort:
    """Whose ratings count: everyone (the default), or the people who gave one answer to a
    demographic question."""

    question: str | None = None
    answer: str | None = None
    members: frozenset[str] | None = None
    """The raters' codes; ``None`` for all raters."""

    @property
    def label(self) -> str:
        """``all raters``, or ``question: answer``."""
        return "all raters" if self.members is None else f"{self.question}: {self.answer}"

    def includes(self, rater: str) -> bool:
        return self.members is None or rater in self.members


ALL_RATERS = Cohort()


def cohorts(groups: Mapping[str, Mapping[str, str]], question: str) -> tuple[Cohort, ...]:
    """A cohort for each answer to ``question`` in ``groups`` (person -> question -> answer),
    answers in natural order (``S`` and ``L`` as text, ``2`` before ``10``).

    Raises
    ------
    ValueError
        When nobody answered the question.
    """
    members: dict[str, set[str]] = {}
    for person, answers in groups.items():
        answer = answers.get(question, "")
        if answer:
            members.setdefault(answer, set()).add(person)
    if not members:
        asked = sorted({q for answers in groups.values() for q in answers}, key=natural_key)
        raise ValueError(
            f"Nobody answered the question {question!r}; the questions answered are: "
            f"{', '.join(asked) or 'none'}."
        )
    return tuple(
        Cohort(question, answer, frozenset(members[answer]))
        for answer in sorted(members, key=natural_key)
    )


@dataclass(frozen=True)
class GroupShown:
    """A group of raters: its name, how many of its people rated, and whether its averages
    may be shown apart (see :func:`rater_groups`)."""

    name: str
    raters: int
    shown: bool
    cohort: Cohort


def rater_groups(
    ratings: Sequence[StatementRating],
    members: Mapping[str, str],
    *,
    question: str,
    minimum: int = MIN_GROUP_RATERS,
) -> list[GroupShown]:
    """Every group that rated, in alphabetical order (ignoring case), and whether each may
    be shown apart.

    Parameters
    ----------
    ratings
        Every rating given.
    members
        Each person's group (rater code -> group name); people in no group are left out.
    question
        What the groups answer (``Group``, ``PrimaryRole``): the cohorts are labelled
        ``question: group``.
    minimum
        The fewest raters a group is shown apart with; a group with fewer is hidden, and so
        is the next smallest where the hidden one could be worked out by subtraction from
        everyone's averages (:func:`peerprinciples.core.suppression.suppress`).

    Raises
    ------
    ValueError
        When ``minimum`` is below one.
    """
    if minimum < 1:
        raise ValueError(
            f"The fewest raters a group is shown with must be 1 or more, not {minimum}."
        )
    raters: dict[str, set[str]] = {}
    for rating in ratings:
        group = members.get(rating.rater, "")
        if group:
            raters.setdefault(group, set()).add(rating.rater)
    counts: dict[Key, int] = {(name,): len(codes) for name, codes in raters.items()}
    counts[(None,)] = len({rating.rater for rating in ratings})
    hidden = suppress(counts, minimum) if raters else {}
    return [
        GroupShown(
            name,
            len(raters[name]),
            (name,) not in hidden,
            Cohort(question, name, frozenset(raters[name])),
        )
        for name in sorted(raters, key=str.casefold)
    ]


@dataclass(frozen=True)
class StatementSummary:
    """One statement's ratings on one scale: how many, their mean and standard deviation.

    ``mean`` is ``None`` when nobody rated the statement on the scale; ``sd`` (the sample
    standard deviation, divisor n - 1) is ``None`` below two ratings.
    """

    statement: str
    scale: str
    n: int
    mean: float | None
    sd: float | None


def _values(
    ratings: Iterable[StatementRating], scale: str, cohort: Cohort
) -> dict[str, list[float]]:
    """The values given on ``scale`` by the cohort, by statement, in the order first rated."""
    values: dict[str, list[float]] = {}
    for rating in ratings:
        if rating.scale == scale and cohort.includes(rating.rater):
            values.setdefault(rating.statement, []).append(rating.value)
    return values


def _check_scale(ratings: Sequence[StatementRating], scale: str) -> None:
    scales = dict.fromkeys(rating.scale for rating in ratings)
    if scale not in scales:
        raise ValueError(
            f"No statement was rated on {scale!r}; the ratings are on: "
            f"{', '.join(scales) or 'no scale at all'}."
        )


def statement_summaries(
    ratings: Sequence[StatementRating],
    scale: str,
    *,
    statements: Sequence[str] | None = None,
    cohort: Cohort = ALL_RATERS,
) -> tuple[StatementSummary, ...]:
    """Each statement's n, mean and standard deviation on ``scale``.

    Parameters
    ----------
    ratings
        Every rating given (see the module's notes on missing ratings).
    scale
        The scale's name, as in the ratings.
    statements
        The statements to summarise, in order (a card sort's keys); a statement nobody
        rated gets ``n`` 0. By default, every statement rated, in the order first rated.
    cohort
        Whose ratings count (all raters by default).

    Raises
    ------
    ValueError
        When no statement was rated on ``scale``.

    Notes
    -----
    With :math:`x_1 \\dots x_n` the ratings a statement got,
    :math:`\\bar x = \\frac{1}{n}\\sum x_i` and
    :math:`s = \\sqrt{\\frac{1}{n-1}\\sum (x_i - \\bar x)^2}`.
    """
    _check_scale(ratings, scale)
    values = _values(ratings, scale, cohort)
    keys = list(values) if statements is None else list(statements)
    summaries = []
    for key in keys:
        given = values.get(key, [])
        summaries.append(
            StatementSummary(
                statement=key,
                scale=scale,
                n=len(given),
                mean=statistics.fmean(given) if given else None,
                sd=statistics.stdev(given) if len(given) > 1 else None,
            )
        )
    return tuple(summaries)


@dataclass(frozen=True)
class ClusterMean:
    """The mean of a cluster's statement means on one scale, for one cohort of raters.

    ``statements`` counts the statements whose means were averaged, ``unrated`` those the
    cohort did not rate on the scale at all, and ``raters`` the people whose ratings went
    into it (so a page can hold back the means of very small groups).
    """

    cluster: int
    name: str
    scale: str
    cohort: str
    statements: int
    unrated: int
    raters: int
    mean: float | None


def cluster_name(cluster: int, names: Mapping[int, str] | None) -> str:
    """The cluster's name, or ``Cluster 3`` when it has none."""
    return (names or {}).get(cluster) or f"Cluster {cluster}"


def cluster_means(
    ratings: Sequence[StatementRating],
    clusters: Mapping[str, int],
    scale: str,
    *,
    cohort: Cohort = ALL_RATERS,
    names: Mapping[int, str] | None = None,
) -> tuple[ClusterMean, ...]:
    """Each cluster's mean rating on ``scale``: the mean of its statements' means.

    Parameters
    ----------
    ratings
        Every rating given.
    clusters
        The concept map's clusters: statement key -> cluster number. Ratings of statements
        not in it are left out.
    scale
        The scale's name.
    cohort
        Whose ratings count (all raters by default).
    names
        Cluster number -> name (unnamed clusters are called ``Cluster 3``).

    Returns
    -------
    tuple of ClusterMean
        In order of cluster number.

    Raises
    ------
    ValueError
        When ``clusters`` is empty or no statement was rated on ``scale``.

    Notes
    -----
    For a cluster :math:`C` whose rated statements have means :math:`\\bar x_j`,
    the cluster's mean is :math:`\\frac{1}{|C|}\\sum_{j \\in C} \\bar x_j`.
    """
    if not clusters:
        raise ValueError("There are no clusters: give each statement key its cluster number.")
    _check_scale(ratings, scale)
    values = _values(ratings, scale, cohort)
    raters: dict[int, set[str]] = {}
    for rating in ratings:
        if rating.scale == scale and rating.statement in clusters and cohort.includes(rating.rater):
            raters.setdefault(clusters[rating.statement], set()).add(rating.rater)
    members: dict[int, list[str]] = {}
    for key, cluster in clusters.items():
        members.setdefault(cluster, []).append(key)
    result = []
    for cluster in sorted(members):
        means = [statistics.fmean(values[key]) for key in members[cluster] if key in values]
        result.append(
            ClusterMean(
                cluster=cluster,
                name=cluster_name(cluster, names),
                scale=scale,
                cohort=cohort.label,
                statements=len(means),
                unrated=len(members[cluster]) - len(means),
                raters=len(raters.get(cluster, ())),
                mean=statistics.fmean(means) if means else None,
            )
        )
    return tuple(result)


def cluster_means_by_group(
    ratings: Sequence[StatementRating],
    clusters: Mapping[str, int],
    scale: str,
    groups: Mapping[str, Mapping[str, str]],
    question: str,
    *,
    names: Mapping[int, str] | None = None,
) -> dict[str, tuple[ClusterMean, ...]]:
    """Cluster means for all raters and for each answer to ``question``, by cohort label
    (``all raters`` first, then ``question: answer`` in natural order).

    ``groups`` holds each person's answers (a card sort's ``groups``). Raises
    :class:`ValueError` as :func:`cluster_means` does, or when nobody answered ``question``.
    """
    table = {ALL_RATERS.label: cluster_means(ratings, clusters, scale, names=names)}
    for cohort in cohorts(groups, question):
        table[cohort.label] = cluster_means(ratings, clusters, scale, cohort=cohort, names=names)
    return table
