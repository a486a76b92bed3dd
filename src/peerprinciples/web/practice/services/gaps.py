"""Gaps at a glance: what the matrix does not say yet, beside what the services have learnt.

For every principle (and theme) of the programme's framework version the page shows, as
questions for the team rather than marks, what the core finds
(:func:`peerprinciples.core.practice.gaps.find_gaps`): the cells not yet in place, the areas
where nothing is written yet, "not relevant" without a reason; and beside them what the
programme's services found out elsewhere: the fidelity results for that principle from their
evaluations, and the reflection actions still open about it.

Results and actions stay where they are kept. Each is shown only to someone whose role in
*that* evaluation lets them see it there
(:func:`~peerprinciples.web.permissions.linked_services_for` decides), read through the same
service function the results pages use, so small numbers are hidden exactly as they are there.
Anyone else is told which evaluation keeps them and to ask its lead, without a number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from peerprinciples.core.practice.gaps import GapCell, Gaps, PrincipleRow, find_gaps
from peerprinciples.core.practice.matrix import Area
from peerprinciples.core.practice.prompts import prompts_for
from peerprinciples.web.evaluations.models import Service
from peerprinciples.web.permissions import LinkedService, linked_services_for
from peerprinciples.web.practice.models import Cell as StoredCell
from peerprinciples.web.practice.models import Programme
from peerprinciples.web.practice.services.matrix import matrix_of
from peerprinciples.web.reflection.models import Action
from peerprinciples.web.results import services as results
from peerprinciples.web.results.presenting import Measure

OPEN_STATUSES = (Action.Status.PLANNED, Action.Status.UNDER_WAY)
"""Reflection actions still to be done: planned or under way."""


@dataclass(frozen=True)
class CellGap:
    """One cell shown as a gap, with the question that starts the conversation about it."""

    area: Area
    gap: GapCell
    prompt: str
    why: str = ""


@dataclass(frozen=True)
class Fidelity:
    """One service's fidelity results about one principle.

    ``measures`` are the domains of the evaluation's instrument that rate the principle,
    laid out by the results pages' own code (empty when the instrument rates it nowhere)."""

    linked: LinkedService
    measures: tuple[Measure, ...] = ()
    scale: tuple[int, int] | None = None
    """The lowest and highest score of the instrument's rating scale, as the results pages
    give it, so a mean is read against its scale rather than as a mark."""


@dataclass(frozen=True)
class KeptElsewhere:
    """An evaluation that keeps something the person may not see: they ask its lead."""

    evaluation: Any
    services: tuple[Service, ...]


@dataclass(frozen=True)
class LinkedCell:
    """A cell with reflection actions linked to it: those the person may read, and the
    evaluations keeping the others."""

    area: Area
    principle: str
    actions: tuple[Action, ...]
    kept_elsewhere: tuple[Any, ...] = ()


@dataclass
class Row:
    """One principle's (or theme's) row of the page: the core's gaps, and beside them what
    the services have learnt."""

    gaps: PrincipleRow
    not_in_place: list[CellGap] = field(default_factory=list)
    empty: list[CellGap] = field(default_factory=list)
    without_reason: list[CellGap] = field(default_factory=list)
    fidelity: list[Fidelity] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    linked: list[LinkedCell] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.gaps.key

    @property
    def rated(self) -> list[Fidelity]:
        """The services with results about this principle (they share one table)."""
        return [found for found in self.fidelity if found.measures]

    @property
    def scale(self) -> tuple[int, int] | None:
        """The rating scale of every result in the row, or None when the row has none or
        its services' instruments rate on different scales."""
        scales = {found.scale for found in self.rated}
        return scales.pop() if len(scales) == 1 else None

    @property
    def title(self) -> str:
        return self.gaps.title


@dataclass(frozen=True)
class GapsPage:
    """Everything the gaps page shows."""

    gaps: Gaps
    rows: tuple[Row, ...]
    services: tuple[LinkedService, ...]
    results_kept_elsewhere: tuple[KeptElsewhere, ...]
    actions_kept_elsewhere: tuple[KeptElsewhere, ...]
    other_actions: tuple[Action, ...]
    """Open actions about a principle or theme the framework version does not have."""
    results_pending: tuple[Any, ...] = ()
    """Evaluations whose newest data are still being worked out (older results are shown)."""
    threshold: int = 0


def linked_services(user: Any, programme: Programme) -> list[LinkedService]:
    """The programme's services, each with what ``user`` may see of it, by evaluation and
    code."""
    services = (
        Service.objects.filter(programmes=programme)
        .select_related("evaluation")
        .order_by("evaluation__name", "evaluation_id", "code")
    )
    return linked_services_for(user, services)


def gaps_page(user: Any, programme: Programme) -> GapsPage:
    """The gaps page of ``programme`` as ``user`` may see it."""
    framework = programme.framework.model()
    matrix = matrix_of(programme)
    found = find_gaps(matrix, framework)
    areas = {area.key: area for area in matrix.areas}
    prompts = prompts_for(framework, matrix)

    def shown(gaps: list[GapCell], *, leave_out: frozenset[str] = frozenset()) -> list[CellGap]:
        kept = []
        for gap in gaps:
            if gap.area not in areas or gap.area in leave_out:
                continue
            prompt = prompts.get((gap.area, gap.principle))
            cell = matrix.cell(gap.area, gap.principle)
            kept.append(
                CellGap(
                    area=areas[gap.area],
                    gap=gap,
                    prompt=prompt.text if prompt is not None else "",
                    why=cell.why if cell is not None else "",
                )
            )
        return kept

    rows = {}
    for entry in found.rows:
        not_in_place = shown(entry.not_in_place)
        rows[entry.key] = Row(
            gaps=entry,
            not_in_place=not_in_place,
            # A cell not yet in place is asked about once, above, even with nothing written.
            empty=shown(
                entry.nothing_written, leave_out=frozenset(g.area.key for g in not_in_place)
            ),
            without_reason=shown(entry.without_reason),
        )
    services = linked_services(user, programme)
    pending = _add_fidelity(rows, services)
    other_actions = _add_actions(rows, services)
    _add_linked_cells(rows, user, programme, areas)
    return GapsPage(
        gaps=found,
        rows=tuple(rows.values()),
        services=tuple(services),
        results_kept_elsewhere=_kept([s for s in services if not s.sees_results]),
        actions_kept_elsewhere=_kept([s for s in services if not s.reads_reflections]),
        other_actions=tuple(other_actions),
        results_pending=tuple(pending),
        threshold=results.threshold(),
    )


def _kept(services: Iterable[LinkedService]) -> tuple[KeptElsewhere, ...]:
    """The services grouped by the evaluation that keeps them."""
    by_evaluation: dict[int, list[LinkedService]] = defaultdict(list)
    for linked in services:
        by_evaluation[linked.service.evaluation_id].append(linked)
    return tuple(
        KeptElsewhere(group[0].evaluation, tuple(s.service for s in group))
        for group in by_evaluation.values()
    )


def _add_fidelity(rows: dict[str, Row], services: list[LinkedService]) -> list[Any]:
    """Each service's results about each principle, for those who may see them: read from
    the stored results exactly as the service's results page reads them (worked out first
    when none are stored yet). The evaluations whose newer data are still being worked out
    are returned."""
    fresh: dict[int, bool] = {}
    pending = []
    for linked in services:
        if not linked.sees_results or linked.access is None:
            continue
        evaluation = linked.access.evaluation
        if evaluation.pk not in fresh:
            fresh[evaluation.pk] = not results.freshness(evaluation).pending
            if not fresh[evaluation.pk]:
                pending.append(evaluation)
        instrument = evaluation.instrument.model()
        shown = results.results(
            evaluation,
            service=linked.service,
            aggregates_only=linked.aggregates_only,
            charts=False,
        )
        measures = {measure.key: measure for measure in shown.principles}
        for key, row in rows.items():
            rating = tuple(
                measures[domain.key]
                for domain in instrument.domains
                if key in domain.principles and domain.key in measures
            )
            row.fidelity.append(Fidelity(linked, rating, (shown.scale_min, shown.scale_max)))
    return pending


def _add_actions(rows: dict[str, Row], services: list[LinkedService]) -> list[Action]:
    """The open actions of the services whose reflections the person may read, beside the
    principle they are about; those about anything else are returned."""
    readable = [linked.service.pk for linked in services if linked.reads_reflections]
    others = []
    for action in open_actions(readable):
        row = rows.get(action.principle)
        if row is None:
            others.append(action)
        else:
            row.actions.append(action)
    return others


def open_actions(service_ids: Iterable[int]) -> list[Action]:
    """The planned and under-way reflection actions of these services, oldest first."""
    return list(
        Action.objects.filter(cycle__service_id__in=list(service_ids), status__in=OPEN_STATUSES)
        .select_related("cycle__service", "cycle__round")
        .order_by("cycle__service__code", "cycle__round__number", "created_at", "pk")
    )


def _add_linked_cells(
    rows: dict[str, Row], user: Any, programme: Programme, areas: dict[str, Area]
) -> None:
    """The cells with reflection actions linked to them, beside their principle: the actions
    the person may read, and which evaluations keep the others."""
    cells = (
        StoredCell.objects.filter(programme=programme, actions__isnull=False)
        .distinct()
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related(
                    "cycle__service__evaluation", "cycle__round"
                ).order_by("created_at", "pk"),
            )
        )
        .order_by("area__position", "principle")
    )
    cells = list(cells)
    services = {
        action.cycle.service.pk: action.cycle.service
        for cell in cells
        for action in cell.actions.all()
    }
    sight = {linked.service.pk: linked for linked in linked_services_for(user, services.values())}
    for cell in cells:
        row = rows.get(cell.principle)
        if row is None or cell.area.key not in areas:
            continue
        actions = list(cell.actions.all())
        readable = tuple(a for a in actions if sight[a.cycle.service_id].reads_reflections)
        elsewhere = {
            a.cycle.service.evaluation_id: a.cycle.service.evaluation
            for a in actions
            if not sight[a.cycle.service_id].reads_reflections
        }
        row.linked.append(
            LinkedCell(areas[cell.area.key], cell.principle, readable, tuple(elsewhere.values()))
        )
