"""What the ratings say: averages per statement and per cluster of the map, by member group,
and the ladder and the go-zone.

The arithmetic is the core's (:mod:`peerprinciples.core.coproduction.statement_ratings` and
:mod:`~peerprinciples.core.coproduction.rating_comparisons`); this module reads the ratings of
the live cards and the clusters of the latest map and hands them over.

The clusters are those of the latest concept map: the solution the facilitator chose, or
the most stable one while nobody has chosen, after the facilitator's merges and names.

**Small groups are not shown apart.** A member group's averages are shown only when at least
:data:`MIN_GROUP_RATERS` of its members rated; otherwise anyone in the project could read one
person's ratings off the page. When hiding one group would still let its averages be worked
out from everyone's and the other groups', the next smallest group is hidden too (the core's
:func:`~peerprinciples.core.coproduction.statement_ratings.rater_groups`, which the command
line applies as well). Everyone's averages are always shown, so a shown group's average of
one card is held back too when the card's other ratings are 1 or 2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from peerprinciples.core.coproduction.cardsort import StatementRating
from peerprinciples.core.coproduction.rating_comparisons import (
    GoZone,
    Ladder,
    LadderSide,
    go_zone,
    ladder,
)
from peerprinciples.core.coproduction.statement_ratings import (
    ALL_RATERS,
    MIN_GROUP_RATERS,
    ClusterMean,
    Cohort,
    GroupShown,
    StatementSummary,
    cluster_means,
    rater_groups,
    statement_summaries,
)
from peerprinciples.core.suppression import suppress
from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.services import mapping
from peerprinciples.web.coproduction.services.cards import live_cards
from peerprinciples.web.coproduction.services.ratings import scales_of

GROUP_QUESTION = "Group"
"""How a member's group is named in the core's cohorts: ``Group: Peer worker``."""


def scale_name(scale: models.RatingScale) -> str:
    """The short name a scale goes by in charts and table headers: ``Importance``."""
    return scale.key.replace("-", " ").capitalize()


@dataclass(frozen=True)
class MapClusters:
    """The clusters ratings are averaged over: statement key -> cluster, and names."""

    stored: models.ConceptMap
    clusters: int
    chosen: bool
    of: Mapping[str, int]
    names: Mapping[int, str]


@dataclass
class RatingData:
    """Everything the results page needs, read once."""

    project: models.Project
    scales: list[models.RatingScale]
    rated_scales: list[models.RatingScale]
    cards: list[models.Card]
    ratings: list[StatementRating]
    groups: list[GroupShown]
    clusters: MapClusters | None
    names: dict[str, str] = field(default_factory=dict)

    def name(self, scale: models.RatingScale) -> str:
        return scale_name(scale)

    @property
    def keys(self) -> list[str]:
        return [mapping.statement_key(card) for card in self.cards]

    def shown_groups(self) -> list[GroupShown]:
        return [group for group in self.groups if group.shown]

    def cohort(self, group: str | None) -> Cohort:
        """All raters (``None``), or a shown group's raters."""
        if group is None:
            return ALL_RATERS
        for shown in self.shown_groups():
            if shown.name == group:
                return shown.cohort
        raise ValueError(f"There is no group {group!r} with enough raters to show.")


def _map_clusters(project: models.Project) -> MapClusters | None:
    stored = models.ConceptMap.objects.filter(project=project).first()
    if stored is None:
        return None
    result = mapping.result_of(stored)
    k = mapping.shown_clusters(stored, result, None)
    of: dict[str, int] = {}
    names: dict[int, str] = {}
    for region in result.regions(k):
        names[region.number] = region.name
        for key in region.statements:
            of[key] = region.number
    return MapClusters(stored, k, stored.chosen_clusters == k, of, names)


def read(project: models.Project) -> RatingData:
    """The project's scales, live cards, every rating of them, the member groups and the
    latest map's clusters."""
    scales = scales_of(project)
    cards = list(live_cards(project))
    names = {scale.pk: scale_name(scale) for scale in scales}
    ratings = [
        StatementRating(code, str(number), names[scale_id], float(value))
        for code, number, scale_id, value in models.StatementRating.objects.filter(
            card__in=cards, scale__project=project
        )
        .order_by("member__code", "card__number")
        .values_list("member__code", "card__number", "scale_id", "value")
    ]
    rated = {rating.scale for rating in ratings}
    members = dict(
        models.Member.objects.filter(project=project).exclude(group="").values_list("code", "group")
    )
    return RatingData(
        project=project,
        scales=scales,
        rated_scales=[scale for scale in scales if names[scale.pk] in rated],
        cards=cards,
        ratings=ratings,
        groups=rater_groups(ratings, members, question=GROUP_QUESTION, minimum=MIN_GROUP_RATERS),
        clusters=_map_clusters(project),
        names={mapping.statement_key(card): card.text for card in cards},
    )


# --- the tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementRow:
    """One card's averages: for each rated scale, everyone's summary and each shown
    group's."""

    card: models.Card
    cluster: int | None
    cells: tuple[tuple[StatementSummary, tuple[tuple[StatementSummary, bool], ...]], ...]
    """Per rated scale: everyone's summary, and each shown group's with whether it is held
    back (so that the ratings of fewer than three others cannot be worked out from it)."""


_UNGROUPED = ("",)
"""The raters in no group, as one more part of a card's raters."""


def _held_back(
    everyone: StatementSummary, by_group: Mapping[str, StatementSummary], shown: set[str]
) -> set[str]:
    """The shown groups whose average of one card must be held back.

    A group's average shows from 3 ratings, but everyone's average and count always show:
    when the card's other ratings (of hidden groups and of raters in no group) are 1 or 2,
    they could be worked out from everyone's and the shown groups'. The core's
    complementary suppression then holds back the smallest shown group as well.
    """
    counts: dict[tuple[str | None], int] = {(None,): everyone.n}
    for group, summary in by_group.items():
        counts[(group,)] = summary.n
    counts[_UNGROUPED] = everyone.n - sum(summary.n for summary in by_group.values())
    also = [(group,) for group in by_group if group not in shown] + [_UNGROUPED]
    hidden = suppress(counts, MIN_GROUP_RATERS, also=also)
    return {
        group for group in shown if (group,) in hidden and by_group[group].n >= MIN_GROUP_RATERS
    }


def statement_rows(data: RatingData) -> list[StatementRow]:
    """A row per live card, in number order."""
    keys = data.keys
    shown = {group.name for group in data.shown_groups()}
    columns = []
    for scale in data.rated_scales:
        name = data.name(scale)
        everyone = statement_summaries(data.ratings, name, statements=keys)
        groups = {
            group.name: statement_summaries(
                data.ratings, name, statements=keys, cohort=group.cohort
            )
            for group in data.groups
        }
        columns.append((everyone, groups))
    rows = []
    for index, card in enumerate(data.cards):
        cells = []
        for everyone, groups in columns:
            by_group = {group: summaries[index] for group, summaries in groups.items()}
            held = _held_back(everyone[index], by_group, shown)
            cells.append(
                (
                    everyone[index],
                    tuple(
                        (by_group[group.name], group.name in held) for group in data.shown_groups()
                    ),
                )
            )
        cluster = data.clusters.of.get(keys[index]) if data.clusters else None
        rows.append(StatementRow(card, cluster, tuple(cells)))
    return rows


@dataclass(frozen=True)
class ClusterRow:
    """One cluster's averages: for each rated scale, everyone's and each shown group's."""

    number: int
    name: str
    cells: tuple[tuple[ClusterMean, tuple[ClusterMean, ...]], ...]


def cluster_rows(data: RatingData) -> list[ClusterRow]:
    """A row per cluster of the latest map (none without a map)."""
    if data.clusters is None:
        return []
    of, names = data.clusters.of, data.clusters.names
    columns = []
    for scale in data.rated_scales:
        name = data.name(scale)
        everyone = cluster_means(data.ratings, of, name, names=names)
        groups = [
            cluster_means(data.ratings, of, name, cohort=group.cohort, names=names)
            for group in data.shown_groups()
        ]
        columns.append((everyone, groups))
    return [
        ClusterRow(
            mean.cluster,
            mean.name,
            tuple(
                (everyone[i], tuple(group[i] for group in groups)) for everyone, groups in columns
            ),
        )
        for i, mean in enumerate(columns[0][0] if columns else ())
    ]


# --- the ladder and the go-zone -------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """What the ladder and the go-zone compare, as read from the page's small form."""

    ladder_kind: str = "scales"
    """``"scales"``: two scales for all raters; ``"groups"``: one scale for two groups."""
    left: str = ""
    right: str = ""
    scale: str = ""
    group_a: str = ""
    group_b: str = ""
    x: str = ""
    y: str = ""


def defaults(data: RatingData) -> Comparison:
    """The first two rated scales (importance and feasibility, usually) and the first two
    groups shown."""
    names = [data.name(scale) for scale in data.rated_scales]
    groups = [group.name for group in data.shown_groups()]
    first = names[0] if names else ""
    second = names[1] if len(names) > 1 else ""
    return Comparison(
        "scales" if second else "groups",
        first,
        second,
        first,
        groups[0] if groups else "",
        groups[1] if len(groups) > 1 else "",
        first,
        second,
    )


class NotComparable(ValueError):
    """The ladder or go-zone asked for cannot be drawn; the message says why."""


def _rated(data: RatingData, name: str) -> str:
    if name not in {data.name(scale) for scale in data.rated_scales}:
        raise NotComparable(f"Nobody has rated on '{name}' yet: choose a scale with ratings.")
    return name


def ladder_of(data: RatingData, asked: Comparison) -> Ladder:
    """The ladder asked for, over the latest map's clusters."""
    if data.clusters is None:
        raise NotComparable("A ladder compares clusters: it needs a concept map first.")
    if asked.ladder_kind == "groups":
        scale = _rated(data, asked.scale)
        if not asked.group_a or not asked.group_b or asked.group_a == asked.group_b:
            raise NotComparable(
                f"Choose two different groups, each with at least {MIN_GROUP_RATERS} raters."
            )
        try:
            left = LadderSide(scale, data.cohort(asked.group_a))
            right = LadderSide(scale, data.cohort(asked.group_b))
        except ValueError as error:
            raise NotComparable(str(error)) from error
    else:
        left_scale, right_scale = _rated(data, asked.left), _rated(data, asked.right)
        if left_scale == right_scale:
            raise NotComparable("Choose two different scales to set side by side.")
        left, right = LadderSide(left_scale), LadderSide(right_scale)
    return ladder(data.ratings, data.clusters.of, left, right, names=data.clusters.names)


def go_zone_of(data: RatingData, asked: Comparison) -> GoZone:
    """The go-zone of every live card on the two scales asked for, by all raters."""
    x, y = _rated(data, asked.x), _rated(data, asked.y)
    if x == y:
        raise NotComparable("Choose two different scales for the go-zone.")
    clusters = data.clusters.of if data.clusters else None
    try:
        return go_zone(data.ratings, x, y, statements=data.keys, clusters=clusters)
    except ValueError as error:
        raise NotComparable(str(error)) from error
