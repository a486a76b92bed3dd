"""What a cycle's pages put beside the conversation: its topics, and prompts from the results.

The fidelity results shown here are the service's stored aggregates, hidden exactly as a
viewer would get them (:func:`peerprinciples.web.results.services.results` with
``aggregates_only``), whoever reads the page: the people running a cycle never see an
individual interview, nor a group small enough to point at one. The results and the
self-assessments are laid out per principle only, never ranked, totalled or set against
another service.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from peerprinciples.core.reflection.model import Condition, Questions
from peerprinciples.core.reflection.scoring import score_self_assessment
from peerprinciples.web.interviews.models import InterviewScore
from peerprinciples.web.reflection.models import ConditionCheck, Cycle, Reflection
from peerprinciples.web.results import services as results_services
from peerprinciples.web.results.presenting import Gap, Measure, Results
from peerprinciples.web.results.summaries import Summary

LEVELS = (
    ("individual", "For each peer worker"),
    ("team", "In the team"),
    ("organisation", "In the organisation"),
)
"""The levels of the organisational conditions, as the pages head them."""


@dataclass(frozen=True)
class Topic:
    """A principle or cross-cutting theme of the cycle's guide, with its three questions."""

    key: str
    title: str
    kind: Literal["principle", "theme"]
    description: str
    questions: Questions


def topics(cycle: Cycle) -> list[Topic]:
    """The guide's principles, then its themes, in the framework's order."""
    guide = cycle.guide.model()
    framework = cycle.evaluation.framework.model()
    found: list[Topic] = []
    for principle in framework.principles:
        if principle.key in guide.questions:
            found.append(
                Topic(
                    principle.key,
                    principle.title,
                    "principle",
                    principle.definition,
                    guide.questions[principle.key],
                )
            )
    for theme in framework.themes:
        if theme.key in guide.questions:
            found.append(
                Topic(
                    theme.key, theme.title, "theme", theme.description, guide.questions[theme.key]
                )
            )
    named = {t.key for t in found}
    found += [
        Topic(key, key, "principle", "", questions)
        for key, questions in guide.questions.items()
        if key not in named
    ]
    return found


def topic(cycle: Cycle, key: str) -> Topic | None:
    """One principle or theme of the cycle's guide, or ``None`` if it has no such key."""
    return next((t for t in topics(cycle) if t.key == key), None)


def reflections(cycle: Cycle) -> dict[str, Reflection]:
    """The cycle's reflections, by principle key."""
    return {r.principle: r for r in Reflection.objects.filter(cycle=cycle)}


def has_results(cycle: Cycle) -> bool:
    """Whether any interview of the service in the cycle's round has been scored."""
    return InterviewScore.objects.filter(
        service_id=cycle.service_id, round_id=cycle.round_id
    ).exists()


def service_results(cycle: Cycle) -> Results:
    """The service's stored results, hidden as a viewer gets them (worked out first when
    none are stored yet)."""
    results_services.freshness(cycle.evaluation)
    return results_services.results(
        cycle.evaluation, aggregates_only=True, service=cycle.service, charts=False
    )


@dataclass(frozen=True)
class Prompt:
    """One domain of the index that rates a principle: its rows up to the cycle's round, and
    the informant gap in that round."""

    measure: Measure
    gap: Gap | None
    now: Summary
    """Every informant together, in the cycle's round."""


def prompts_for(cycle: Cycle, results: Results, key: str) -> list[Prompt]:
    """What the results say about one principle: the cycle's round and the rounds before it
    (a theme, which no domain rates, gets none)."""
    number = str(cycle.round.number)
    earlier = {str(r.number) for r in results.rounds if r.number <= cycle.round.number}
    found = []
    for measure in results.principles:
        if key not in _domain_principles(cycle, measure.key):
            continue
        rows = tuple(row for row in measure.rows if row.round in earlier)
        gaps = tuple(gap for gap in measure.gaps if gap.round in earlier)
        now = next((row.margin for row in rows if row.round == number), None)
        found.append(
            Prompt(
                dataclasses.replace(measure, rows=rows, gaps=gaps, chart=""),
                next((gap for gap in gaps if gap.round == number), None),
                now if now is not None else results_services.EMPTY,
            )
        )
    return found


def _domain_principles(cycle: Cycle, domain: str) -> Sequence[str]:
    return cycle.evaluation.instrument.model().domain(domain).principles


@dataclass(frozen=True)
class SelfView:
    """How one self-assessment sees one principle."""

    taker: str
    mean: float | None
    answered: int
    asked: int
    note: str


@dataclass(frozen=True)
class Beside:
    """One principle's self-assessments ("how we see it") beside the fidelity results of
    the cycle's round ("what the interviews say")."""

    topic: Topic
    ours: tuple[SelfView, ...]
    theirs: tuple[Prompt, ...]


def side_by_side(cycle: Cycle, results: Results | None) -> list[Beside]:
    """Per principle (and theme) with statements: every self-assessment's view beside the
    interviews' in the cycle's round. ``results`` is ``None`` when there are none."""
    guide = cycle.guide.model()
    views: dict[str, list[SelfView]] = {}
    for taken in cycle.self_assessments.all():
        taker = taken.get_taken_by_display()
        if taken.role:
            taker = f"{taker} ({taken.role})"
        for result in score_self_assessment(guide, taken.answers, taken.notes):
            views.setdefault(result.principle, []).append(
                SelfView(taker, result.mean, result.answered, result.asked, result.note)
            )
    return [
        Beside(
            t,
            tuple(views.get(t.key, ())),
            tuple(prompts_for(cycle, results, t.key)) if results else (),
        )
        for t in topics(cycle)
        if guide.statements_for(t.key)
    ]


@dataclass(frozen=True)
class ConditionRow:
    """One condition of the guide and what the cycle recorded about it."""

    condition: Condition
    principles: tuple[str, ...]
    """The titles of the principles it bears on (empty: all of them)."""
    check: ConditionCheck | None


def conditions(cycle: Cycle) -> list[tuple[str, str, list[ConditionRow]]]:
    """The guide's conditions by level: ``(level, heading, rows)``."""
    guide = cycle.guide.model()
    titles = {t.key: t.title for t in topics(cycle)}
    checks = {c.condition: c for c in ConditionCheck.objects.filter(cycle=cycle)}
    return [
        (
            level,
            heading,
            [
                ConditionRow(c, tuple(titles.get(p, p) for p in c.principles), checks.get(c.key))
                for c in guide.conditions_at(level)
            ],
        )
        for level, heading in LEVELS
    ]
