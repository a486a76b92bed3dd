"""Co-production projects: starting one, its settings and stage, and what it has done so far.

A project moves through its stages in order (:data:`STAGES`), and the facilitator may move
it forward or back; each move is recorded in the audit trail. Settings carry a ``version``,
so a second save over someone else's change is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, QuerySet

from peerprinciples.core.coproduction.publishing import suggest_key
from peerprinciples.core.models import SLUG_PATTERN
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import (
    Card,
    ConceptMap,
    GroupSort,
    IndividualSort,
    Member,
    Project,
    StatementRating,
)
from peerprinciples.web.coproduction.services.adaptations import copy_base
from peerprinciples.web.coproduction.services.members import checked_code
from peerprinciples.web.coproduction.services.publishing import taken_keys
from peerprinciples.web.errors import InvalidInput, StaleEdit
from peerprinciples.web.library.models import StoredFramework

Stage = Project.Stage

CARDS_PER_MEMBER = (1, 20)
"""The fewest and most cards a project may ask each member for."""


@dataclass(frozen=True)
class StageGuide:
    """What happens in a stage, said plainly, and what follows it."""

    stage: str
    label: str
    happens: str
    next: str


STAGES = (
    StageGuide(
        Stage.SETTING_UP,
        Stage.SETTING_UP.label,
        "The facilitator sets out the framing question, adds the members by pseudonymous "
        "code and agrees with them who takes part in the project's decisions.",
        "Next, the research team brings in the evidence from the literature review.",
    ),
    StageGuide(
        Stage.EVIDENCE,
        Stage.EVIDENCE.label,
        "The research team keeps the literature review here: its sources, and the codes and "
        "categories found in them. Every member can read what the review found.",
        "Next, each panel member writes cards answering the framing question.",
    ),
    StageGuide(
        Stage.CARDS,
        Stage.CARDS.label,
        "Each panel member writes a few cards, one statement on each, answering the framing "
        "question. Others see every card's words, never who wrote it. The facilitator types "
        "up cards written on paper and merges duplicates once their authors agree.",
        "Next, the panel sorts the cards into piles of statements that belong together.",
    ),
    StageGuide(
        Stage.SORTING,
        Stage.SORTING.label,
        "The panel sorts the cards together at a meeting, and each member sorts them again "
        "on their own, online, into piles they name themselves.",
        "Next, members rate each statement, for example on how important it is.",
    ),
    StageGuide(
        Stage.RATING,
        Stage.RATING.label,
        "Each panel member rates every statement on the project's scales.",
        "Next, the research team works out the concept map and the panel reads it together.",
    ),
    StageGuide(
        Stage.MAPPING,
        Stage.MAPPING.label,
        "The research team draws the concept map from everyone's sorts; the panel reads it, "
        "names its clusters and agrees what they mean.",
        "Next, the research team and the panel agree the values the principles will "
        "protect, drawing on the review and on the map.",
    ),
    StageGuide(
        Stage.VALUES,
        Stage.VALUES.label,
        "The research team and the facilitator write down the values the project sets out to "
        "protect, general ones and any local to a community or setting, each linked to the "
        "review categories, group-sort piles or concept-map clusters it rests on. Everyone "
        "can read them on the Values page.",
        "Next, the team drafts the principles that protect these values.",
    ),
    StageGuide(
        Stage.DRAFTING,
        Stage.DRAFTING.label,
        "The research team drafts each principle with its aspects and the themes that run "
        "across them, and ticks which review categories and panel piles support which "
        "principle. The coverage page flags principles resting on one side only and "
        "categories or piles that support nothing yet.",
        "Next, the panel rates its agreement with the wording in drafting rounds.",
    ),
    StageGuide(
        Stage.ROUNDS,
        Stage.ROUNDS.label,
        "The panel rates how far they agree with the wording of every principle, aspect and "
        "theme, round after round, and may comment anonymously. Wording that meets the "
        "consensus rule set in advance is agreed and locked; the research team rewords the "
        'rest and answers the comments in "what we changed and why" before the next round.',
        "Next, once everything is agreed, the facilitator publishes the framework.",
    ),
    StageGuide(
        Stage.PUBLISHED,
        Stage.PUBLISHED.label,
        "The agreed wording is published as a framework version in the library, with the "
        "evidence and rounds behind each principle and a methods paragraph. Every member can "
        "read it and download it; a new evaluation can pin it.",
        "A published version never changes. To correct it, the facilitator reopens the "
        "agreed wording that needs it (on the publish page), the panel agrees the new "
        "wording in another round, and it is published as the next version.",
    ),
)
"""The stages in order, with what happens in each."""

ADAPTATION_NOTE = (
    "This project adapts a published framework: its drafts start as the base framework's "
    "wording. It may skip the evidence, cards, sorting, rating and concept-map stages and go "
    "straight to rewording the principles, adding local ones or taking some out, then run "
    "the drafting rounds and publish the adaptation."
)
"""What the overview of a local adaptation project says about its stages."""


def stage_guide(stage: str) -> StageGuide:
    """What happens in ``stage`` and what comes next."""
    return next(guide for guide in STAGES if guide.stage == stage)


def projects_of(user: Any) -> QuerySet[Member]:
    """The person's memberships, each with its project, by project name."""
    return (
        Member.objects.filter(user=user)
        .select_related("project")
        .order_by("project__name", "project__pk")
    )


def _checked_settings(
    *, name: str, framing_question: str, cards_per_member: int
) -> tuple[str, str]:
    problems = {}
    name, framing_question = name.strip(), framing_question.strip()
    if not name:
        problems["name"] = "Give the project a name, for example: What matters in peer support."
    if not framing_question:
        problems["framing_question"] = (
            "Write the one question every panel member answers on their cards."
        )
    low, high = CARDS_PER_MEMBER
    if not low <= cards_per_member <= high:
        problems["cards_per_member"] = f"Choose a number from {low} to {high}."
    if problems:
        raise InvalidInput(problems)
    return name, framing_question


@transaction.atomic
def create_project(
    user: Any,
    *,
    name: str,
    framing_question: str,
    description: str = "",
    cards_per_member: int = 5,
    code: str = "F01",
    kind: str = Project.Kind.NEW,
    base_framework: StoredFramework | None = None,
    framework_key: str = "",
    language: str = "",
) -> Project:
    """Start a project; whoever starts it facilitates it, under the code they chose.

    A local adaptation (``kind``) starts from ``base_framework``, whose wording is copied
    into the drafts. ``framework_key`` is the key the framework will be published under
    (suggested from the name when empty). ``language``, for an adaptation only, makes it a
    translation: its wording is agreed in that language and published as translations."""
    name, framing_question = _checked_settings(
        name=name, framing_question=framing_question, cards_per_member=cards_per_member
    )
    key = _checked_kind(name, kind, base_framework, framework_key)
    language = _checked_language(language, kind, base_framework)
    code = checked_code(code, user)
    project = Project.objects.create(
        name=name,
        framing_question=framing_question,
        description=description.strip(),
        cards_per_member=cards_per_member,
        created_by=user,
        kind=kind,
        base_framework=base_framework if kind == Project.Kind.ADAPTATION else None,
        framework_key=key,
        language=language,
    )
    record(
        user,
        "create",
        project,
        evaluation_id=None,
        summary=f"Started the co-production project {name!r}",
        after=_settings(project),
    )
    member = Member.objects.create(
        project=project, user=user, code=code, role=Member.Role.FACILITATOR, decides=True
    )
    record(
        user,
        "create",
        member,
        evaluation_id=None,
        summary=f"{code} facilitates {name!r}",
        after={"id": member.pk, "code": code, "role": member.role, "decides": True},
    )
    if project.base_framework is not None:
        copy_base(user, project, project.base_framework)
    return project


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
"""A language code as frameworks use them: cy, pl, pt-BR."""


def _checked_language(language: str, kind: str, base: StoredFramework | None) -> str:
    """The language of a translation, or empty when the wording stays in the base's."""
    language = language.strip()
    if not language or (base is not None and language == base.model().language):
        return ""
    if kind != Project.Kind.ADAPTATION:
        raise InvalidInput(
            {
                "language": "Only a local adaptation can be a translation: choose a local "
                "adaptation and the framework it translates, or leave the language empty."
            }
        )
    if not LANGUAGE_CODE.fullmatch(language):
        raise InvalidInput(
            {
                "language": f"{language!r} is not a language code: use one such as cy, pl or "
                "pt-BR, or leave it empty."
            }
        )
    return language


def _checked_kind(name: str, kind: str, base: StoredFramework | None, framework_key: str) -> str:
    """The key to publish under, once what the project publishes makes sense."""
    problems = {}
    if kind not in Project.Kind.values:
        problems["kind"] = "Choose a new framework or a local adaptation."
    elif kind == Project.Kind.ADAPTATION and base is None:
        problems["base_framework"] = (
            "Choose the published framework version the adaptation starts from."
        )
    taken = taken_keys()
    key = framework_key.strip()
    if not key:
        key = suggest_key(name, taken, fallback="framework")
    elif not re.fullmatch(SLUG_PATTERN.strip("^$"), key):
        problems["framework_key"] = (
            "Use lowercase letters, digits and hyphens, starting with a letter, for example "
            "our-principles."
        )
    elif key in taken:
        problems["framework_key"] = (
            f"The key {key!r} is already used by a framework in the library or another "
            f"project; choose another, such as {suggest_key(key, taken)!r}."
        )
    if problems:
        raise InvalidInput(problems)
    return key


def _settings(project: Project) -> dict[str, Any]:
    """What the audit trail keeps of a project's settings (the texts are the project's own,
    written by its facilitator, not about any person)."""
    return {
        "id": project.pk,
        "name": project.name,
        "framing_question": project.framing_question,
        "description": project.description,
        "cards_per_member": project.cards_per_member,
        "stage": project.stage,
        "version": project.version,
    }


@transaction.atomic
def change_project(
    user: Any,
    project: Project,
    *,
    name: str,
    framing_question: str,
    description: str,
    cards_per_member: int,
    stage: str,
    expected_version: int,
) -> Project:
    """Save the project's settings and stage, unless someone else saved them meanwhile."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.version != expected_version:
        raise StaleEdit("project's settings")
    name, framing_question = _checked_settings(
        name=name, framing_question=framing_question, cards_per_member=cards_per_member
    )
    if stage not in Stage.values:
        raise InvalidInput({"stage": "Choose one of the stages listed."})
    before = _settings(locked)
    moved = locked.stage != stage
    locked.name, locked.framing_question = name, framing_question
    locked.description = description.strip()
    locked.cards_per_member = cards_per_member
    locked.stage = stage
    locked.version = F("version") + 1
    locked.save(
        update_fields=[
            "name",
            "framing_question",
            "description",
            "cards_per_member",
            "stage",
            "version",
        ]
    )
    locked.refresh_from_db()
    summary = (
        f"Moved the project from “{Stage(before['stage']).label}” to “{locked.get_stage_display()}”"
        if moved
        else "Changed the project's settings"
    )
    record(
        user,
        "change",
        locked,
        evaluation_id=None,
        summary=summary,
        before=before,
        after=_settings(locked),
    )
    return locked


@dataclass(frozen=True)
class Progress:
    """What a project holds so far: counts only, never who wrote or said what."""

    members: dict[str, int]
    """Members by role label, in the order of the roles."""
    cards: int
    merged: int
    group_sorts: int
    sorts_finished: int
    sorts_started: int
    ratings: int
    raters: int
    maps: int


def progress(project: Project) -> Progress:
    """The counts shown on a project's overview."""
    by_role = dict(
        Member.objects.filter(project=project)
        .values("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    cards = Card.objects.filter(project=project)
    sorts = IndividualSort.objects.filter(project=project)
    ratings = StatementRating.objects.filter(member__project=project)
    return Progress(
        members={label: by_role.get(role, 0) for role, label in Member.Role.choices},
        cards=cards.filter(merged_into__isnull=True).count(),
        merged=cards.filter(merged_into__isnull=False).count(),
        group_sorts=GroupSort.objects.filter(project=project).count(),
        sorts_finished=sorts.filter(status=IndividualSort.Status.DONE).count(),
        sorts_started=sorts.count(),
        ratings=ratings.count(),
        raters=ratings.values("member").distinct().count(),
        maps=ConceptMap.objects.filter(project=project).count(),
    )


@dataclass(frozen=True)
class Leadership:
    """Who facilitates and who decides, and how many of them said they bring lived
    experience: the project's leadership made visible."""

    leaders: list[Member]
    """Facilitators first, then the other members who decide, by code."""
    with_lived_experience: int


def leadership(project: Project) -> Leadership:
    """The members who facilitate or take part in decisions."""
    members = [
        member
        for member in Member.objects.filter(project=project).order_by("code")
        if member.role == Member.Role.FACILITATOR or member.decides
    ]
    members.sort(key=lambda m: m.role != Member.Role.FACILITATOR)
    return Leadership(members, sum(1 for m in members if m.lived_experience))
