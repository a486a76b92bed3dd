"""A cycle's report and a service's timeline, read from what the cycle recorded.

Nothing here changes anything: the report lays out, principle by principle, the service's
fidelity results for the cycle's round (always as aggregates, with small numbers hidden),
the three answers of the reflection, the self-assessment ("how we see it") beside the
interviews ("what the interviews say"), the organisational conditions by level, the actions
with their reviews and the peer workers' replies beside what they answer. The timeline puts
a service's scores by round beside its cycles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.reflection.model import LEVELS, Condition, Questions, ReflectionGuide
from peerprinciples.core.reflection.scoring import SelfAssessmentError, score_self_assessment
from peerprinciples.web.evaluations.models import Evaluation, Round, Service
from peerprinciples.web.interviews.models import InterviewScore
from peerprinciples.web.reflection.models import (
    Action,
    ActionReview,
    ConditionCheck,
    Cycle,
    Reflection,
    Reply,
)
from peerprinciples.web.results import services as results
from peerprinciples.web.results.presenting import Measure, Results
from peerprinciples.web.results.summaries import EMPTY, Summary

LEVEL_TITLES = {
    "individual": "For each peer worker",
    "team": "In the team",
    "organisation": "In the organisation",
}


@dataclass(frozen=True)
class OwnView:
    """How the service sees itself on one principle: its self-assessments pooled."""

    mean: float | None
    answered: int
    assessments: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConditionLine:
    """One organisational condition of the guide and what the cycle said about it."""

    condition: Condition
    check: ConditionCheck | None


@dataclass
class PrincipleReport:
    """Everything the report shows for one principle (or cross-cutting theme)."""

    key: str
    title: str
    questions: Questions | None
    reflection: Reflection | None
    own_view: OwnView
    measure_title: str = ""
    interviews: Summary = EMPTY
    actions: list[Action] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)

    @property
    def said(self) -> bool:
        """Whether the reflection has any answer written."""
        found = self.reflection
        return found is not None and bool(found.going_well or found.hard or found.try_next)

    @property
    def anything(self) -> bool:
        """Whether the cycle recorded anything about the principle (for the short views)."""
        view = self.own_view
        return self.said or bool(self.actions) or view.answered > 0 or bool(view.notes)


@dataclass
class CycleReport:
    """A cycle's report: what the template draws."""

    cycle: Cycle
    principles: list[PrincipleReport]
    conditions: list[tuple[str, list[ConditionLine]]]
    other_actions: list[Action]
    general_replies: list[Reply]
    participants: list[tuple[str, int]]
    fidelity: list[tuple[Measure, Summary, tuple[tuple[str, Summary], ...]]] = field(
        default_factory=list
    )
    informants: tuple[tuple[str, str], ...] = ()
    n_interviews: int = 0
    own_scale: tuple[int, int] = (1, 4)
    """The self-assessment's scale (lowest, highest point)."""
    scale: tuple[int, int] = (1, 5)
    """The fidelity index's scale."""

    @property
    def anything(self) -> bool:
        """Whether the cycle recorded anything about any principle, or any action."""
        return bool(self.other_actions) or any(p.anything for p in self.principles)

    @property
    def replies(self) -> int:
        """How many replies the draft received."""
        return len(self.general_replies) + sum(len(p.replies) for p in self.principles)


def participants(cycle: Cycle) -> list[tuple[str, int]]:
    """Who took part, by role and number (never by name); roles nobody came from left out."""
    counts = [
        ("Peer workers", cycle.peer_workers),
        ("People supported", cycle.people_supported),
        ("Supervisors", cycle.supervisors),
        ("Managers", cycle.managers),
        ("Others", cycle.others),
    ]
    return [(label, n) for label, n in counts if n]


def principle_title(framework: Framework, key: str) -> str:
    """A principle's or cross-cutting theme's title (the key itself if neither has it)."""
    return framework.titles().get(key, key)


def own_views(guide: ReflectionGuide, cycle: Cycle) -> dict[str, OwnView]:
    """The cycle's self-assessments per principle: every answer pooled, notes listed.

    A self-assessment that no longer fits the guide (a statement removed since) is left out
    rather than shown wrongly.
    """
    totals: dict[str, float] = defaultdict(float)
    answered: dict[str, int] = defaultdict(int)
    takers: dict[str, int] = defaultdict(int)
    notes: dict[str, list[str]] = defaultdict(list)
    for assessment in cycle.self_assessments.all():
        try:
            scored = score_self_assessment(guide, assessment.answers, assessment.notes)
        except SelfAssessmentError:
            continue
        for result in scored:
            if result.mean is not None:
                totals[result.principle] += result.mean * result.answered
                answered[result.principle] += result.answered
                takers[result.principle] += 1
            if result.note.strip():
                notes[result.principle].append(result.note.strip())
    return {
        key: OwnView(
            totals[key] / answered[key] if answered[key] else None,
            answered[key],
            takers[key],
            tuple(notes[key]),
        )
        for key in set(answered) | set(notes)
    }


def _in_framework_order(guide: ReflectionGuide, framework: Framework) -> list[str]:
    """The guide's principles and themes in the framework's order (a guide stored in
    PostgreSQL comes back with its keys in another order), then any the framework lacks."""
    ordered = [key for key in framework.titles() if key in guide.questions]
    return ordered + sorted(key for key in guide.questions if key not in ordered)


def _conditions(guide: ReflectionGuide, cycle: Cycle) -> list[tuple[str, list[ConditionLine]]]:
    checks = {check.condition: check for check in cycle.conditions.all()}
    return [
        (
            LEVEL_TITLES[level],
            [ConditionLine(c, checks.get(c.key)) for c in guide.conditions_at(level)],
        )
        for level in LEVELS
        if guide.conditions_at(level)
    ]


def _cycles(**filters: object) -> list[Cycle]:
    """Cycles with everything a report reads, in few queries."""
    found = (
        Cycle.objects.filter(**filters)
        .select_related("service", "round", "guide")
        .prefetch_related(
            "reflections",
            "conditions",
            "self_assessments",
            Prefetch(
                "actions",
                queryset=Action.objects.prefetch_related(
                    Prefetch(
                        "reviews",
                        queryset=ActionReview.objects.select_related("cycle__round").order_by(
                            "cycle__round__number"
                        ),
                    )
                ),
            ),
            Prefetch("replies", queryset=Reply.objects.select_related("peer_worker")),
        )
        .order_by("round__number")
    )
    return list(found)


def build(cycle: Cycle, evaluation: Evaluation, *, fidelity: bool = True) -> CycleReport:
    """The report of one cycle (read afresh with everything it shows)."""
    cycle = _cycles(pk=cycle.pk)[0]
    cycle.evaluation = cycle.service.evaluation = evaluation
    scores = (
        results.results(evaluation, service=cycle.service, aggregates_only=True, charts=False)
        if fidelity
        else None
    )
    return _report(cycle, evaluation, scores)


def _report(cycle: Cycle, evaluation: Evaluation, scores: Results | None) -> CycleReport:
    guide = cycle.guide.model()
    framework = evaluation.framework.model()
    instrument = evaluation.instrument.model()
    reflections = {r.principle: r for r in cycle.reflections.all()}
    views = own_views(guide, cycle)
    measures = {m.key: m for m in scores.principles} if scores is not None else {}
    round_number = str(cycle.round.number)
    principles = []
    for key in _in_framework_order(guide, framework):
        questions = guide.questions[key]
        domain = next((d for d in instrument.domains if key in d.principles), None)
        measure = measures.get(domain.key) if domain is not None else None
        row = next((r for r in measure.rows if r.round == round_number), None) if measure else None
        reflection = reflections.get(key)
        title = principle_title(framework, key)
        if title == key and reflection is not None:
            title = reflection.principle_title
        principles.append(
            PrincipleReport(
                key=key,
                title=title,
                questions=questions,
                reflection=reflection,
                own_view=views.get(key, OwnView(None, 0, 0)),
                measure_title=measure.title if measure else "",
                interviews=row.margin if row else EMPTY,
            )
        )
    by_key = {p.key: p for p in principles}
    other_actions = []
    for action in cycle.actions.all():
        if action.principle in by_key:
            by_key[action.principle].actions.append(action)
        else:
            other_actions.append(action)
    general = []
    for reply in cycle.replies.all():
        if reply.about in by_key:
            by_key[reply.about].replies.append(reply)
        else:
            general.append(reply)
    report = CycleReport(
        cycle=cycle,
        principles=principles,
        conditions=_conditions(guide, cycle),
        other_actions=other_actions,
        general_replies=general,
        participants=participants(cycle),
        own_scale=(guide.self_assessment.scale.min, guide.self_assessment.scale.max),
    )
    if scores is not None:
        report.scale = (scores.scale_min, scores.scale_max)
        report.informants = scores.informants
        report.n_interviews = scores.n_interviews
        for measure in scores.measures:
            row = next((r for r in measure.rows if r.round == round_number), None)
            if row is not None:
                report.fidelity.append((measure, row.margin, row.cells))
    return report


@dataclass(frozen=True)
class Timeline:
    """A service's scores by round and its cycles, oldest first."""

    service: Service
    scores: Results
    charts: tuple[tuple[Measure, str], ...]
    cycles: tuple[tuple[Cycle, CycleReport | None], ...]
    """Every cycle, with its report for a reader who may read what was said."""
    scored: frozenset[str] = frozenset()
    """The numbers of the rounds with fidelity results for the service (as rows name them)."""

    @property
    def rounds(self) -> tuple[Round, ...]:
        """The rounds with fidelity results, the columns of the scores table."""
        return tuple(r for r in self.scores.rounds if str(r.number) in self.scored)


def timeline(evaluation: Evaluation, service: Service, *, reads_reflections: bool) -> Timeline:
    """The service's scores by round (aggregates, small numbers hidden) and its cycles.

    Only a reader who may read reflections gets the cycles' reports; everyone else learns
    when each cycle happened and how many took part.
    """
    scores = results.results(evaluation, service=service, aggregates_only=True, charts=False)
    scored = frozenset(
        str(number)
        for number in InterviewScore.objects.filter(service=service)
        .values_list("round__number", flat=True)
        .distinct()
    )
    charts = tuple(
        (
            measure,
            results.chart(
                [(row.label, row.margin) for row in measure.rows[:-1] if row.round in scored],
                measure.title,
                scores.scale_min,
                scores.scale_max,
            ),
        )
        for measure in scores.measures
    )
    cycles = _with_reports(evaluation, service, reads_reflections, released_only=False)
    return Timeline(service, scores, charts, tuple(cycles), scored)


def _with_reports(
    evaluation: Evaluation, service: Service, reads_reflections: bool, *, released_only: bool
) -> list[tuple[Cycle, CycleReport | None]]:
    if not reads_reflections:
        plain = Cycle.objects.filter(service=service).select_related("round", "service")
        return [(cycle, None) for cycle in plain.order_by("round__number")]
    found: list[tuple[Cycle, CycleReport | None]] = []
    for cycle in _cycles(service=service):
        cycle.evaluation = evaluation
        shown = not released_only or cycle.report_status == Cycle.Report.RELEASED
        found.append((cycle, _report(cycle, evaluation, None) if shown else None))
    return found


def service_cycles(
    evaluation: Evaluation, service: Service, *, reads_reflections: bool
) -> list[tuple[Cycle, CycleReport | None]]:
    """The service's cycles by round for its printable report: a released cycle's report
    for a reader who may read reflections, nothing of what was said otherwise."""
    return _with_reports(evaluation, service, reads_reflections, released_only=True)


def cycles_to_reply(evaluation: Evaluation, service_ids: Iterable[int]) -> list[Cycle]:
    """The cycles of these services, newest round first: what a peer worker can read and,
    while a report is a draft, reply to."""
    return list(
        Cycle.objects.filter(evaluation=evaluation, service_id__in=list(service_ids))
        .select_related("service", "round")
        .order_by("-round__number", "service__code")
    )
