"""The cluster means of a panel's ratings as one CSV table, for everyone and by group.

One row per scale, cohort and cluster, in a long layout that statistics packages read as it
is (R's ``read.csv``, Stata's ``import delimited``, pandas)::

    scale,question,group,cluster,cluster_name,statements,unrated,raters,mean
    Importance,,all raters,1,Outcomes,12,0,102,3.94...
    Importance,PrimaryRole,Evaluator,1,Outcomes,12,0,21,4.01...

``question`` and ``group`` say whose ratings a row averages: empty and ``all raters`` for
everyone, else a demographic question and one answer to it. The means are those of
:func:`~peerprinciples.core.coproduction.statement_ratings.cluster_means` at full precision.
Groups are given as :func:`~peerprinciples.core.coproduction.statement_ratings.rater_groups`
found them: a group held back is left out, and within a group shown a cluster mean covering
fewer than ``minimum`` raters is left empty (its counts stay).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from peerprinciples.core.coproduction.cardsort import StatementRating
from peerprinciples.core.coproduction.statement_ratings import (
    ALL_RATERS,
    MIN_GROUP_RATERS,
    ClusterMean,
    GroupShown,
    cluster_means,
)
from peerprinciples.core.spreadsheet_text import shown_as_text

COLUMNS = (
    "scale",
    "question",
    "group",
    "cluster",
    "cluster_name",
    "statements",
    "unrated",
    "raters",
    "mean",
)


def cluster_means_csv(
    ratings: Sequence[StatementRating],
    clusters: Mapping[str, int],
    scales: Sequence[str],
    *,
    groups: Sequence[GroupShown] = (),
    names: Mapping[int, str] | None = None,
    minimum: int = MIN_GROUP_RATERS,
) -> str:
    """Each cluster's mean on each scale, for all raters and for each group shown.

    Parameters
    ----------
    ratings
        Every rating given.
    clusters
        The concept map's clusters: statement key -> cluster number.
    scales
        The scales to tabulate, in order; each must have ratings.
    groups
        The groups of raters and whether each may be shown apart; groups not shown are left
        out.
    names
        Cluster number -> name (unnamed clusters are called ``Cluster 3``).
    minimum
        Within a group, the fewest raters a cluster mean is given for.

    Raises
    ------
    ValueError
        When ``clusters`` is empty or a scale has no ratings.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    shown = [group for group in groups if group.shown]
    for scale in scales:
        everyone = cluster_means(ratings, clusters, scale, names=names)
        writer.writerows(_rows(everyone, "", ALL_RATERS.label, hide_below=0))
        for group in shown:
            means = cluster_means(ratings, clusters, scale, cohort=group.cohort, names=names)
            question = group.cohort.question or ""
            writer.writerows(_rows(means, question, group.name, hide_below=minimum))
    return out.getvalue()


def _rows(
    means: Sequence[ClusterMean], question: str, group: str, *, hide_below: int
) -> list[list[object]]:
    return [
        [
            shown_as_text(mean.scale),
            shown_as_text(question),
            shown_as_text(group),
            mean.cluster,
            shown_as_text(mean.name),
            mean.statements,
            mean.unrated,
            mean.raters,
            "" if mean.mean is None or mean.raters < hide_below else repr(mean.mean),
        ]
        for mean in means
    ]
