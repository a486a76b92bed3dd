"""Importing RCMap's four files into a project.

Importing is for a project without cards: the files bring the cards (from the statements),
the people who sorted and rated them (members without accounts, known by the codes in the
files), their sorts (stored as finished individual sorts by the sorting service's
``store_card_sort``), their ratings, the rating questions and, from the Demographics file,
each person's answers (``Member.details``) and the group results are split by
(``Member.group``, from the question the importer chooses).

It happens in two steps. :func:`upload` checks the files together, with the core's RCMap
reader and against the project (:mod:`.exchange_checks`), and keeps them only when nothing is
wrong; the preview (:func:`preview`) says what they hold; :func:`import_upload` checks them
again and stores all of it in one transaction, or nothing. The kept files are deleted once
imported. Writing a project out is in :mod:`.exchange_export`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from peerprinciples.core.coproduction.cardsort import CardSort, StatementRating
from peerprinciples.core.coproduction.problems import ImportProblems
from peerprinciples.core.coproduction.rcmap import RCMapProject
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.services.exchange_checks import (
    NO_GROUP,
    Preview,
    RCMapFiles,
    ScalePlan,
    check_against,
    describe,
    people_named,
    questions_of,
    read_files,
)
from peerprinciples.web.coproduction.services.sort_import import store_card_sort
from peerprinciples.web.coproduction.services.sorting import GROUP_QUESTION
from peerprinciples.web.errors import DomainError

__all__ = [
    "NO_GROUP",
    "DomainError",
    "ImportProblems",
    "Imported",
    "Preview",
    "RCMapFiles",
    "import_upload",
    "preview",
    "upload",
]

# --- the two steps ------------------------------------------------------------------------


def _files_of(upload: models.RCMapUpload) -> RCMapFiles:
    def optional(value: Any) -> bytes | None:
        return None if value is None else bytes(value)

    return RCMapFiles(
        bytes(upload.statements),
        bytes(upload.sorted_cards),
        optional(upload.ratings),
        optional(upload.demographics),
    )


@transaction.atomic
def upload(
    user: Any, project: models.Project, files: RCMapFiles, names: Mapping[str, str]
) -> models.RCMapUpload:
    """Check the files and keep them for the preview; an earlier upload of the same person
    into the project that was never imported is dropped. Raises :class:`ImportProblems`
    (and keeps nothing) when anything is wrong."""
    rcmap = read_files(files)
    check_against(project, rcmap)
    models.RCMapUpload.objects.filter(project=project, user=user).delete()
    return models.RCMapUpload.objects.create(
        project=project,
        user=user,
        statements=files.statements,
        sorted_cards=files.sorted_cards,
        ratings=files.ratings,
        demographics=files.demographics,
        file_names=dict(names),
    )


def preview(upload: models.RCMapUpload) -> Preview:
    """What a kept upload holds, read again from its files (the project may have changed
    since: problems then are raised as :class:`ImportProblems`)."""
    rcmap = read_files(_files_of(upload))
    return describe(upload.project, rcmap, check_against(upload.project, rcmap))


@dataclass(frozen=True)
class Imported:
    """What an import created."""

    cards: int
    members: int
    sorts: int
    ratings: int
    scales: int


@transaction.atomic
def import_upload(user: Any, upload: models.RCMapUpload, *, group_question: str) -> Imported:
    """Store everything the kept files hold, in one transaction, and drop the files.

    ``group_question`` names the Demographics question whose answer becomes each person's
    group (:data:`NO_GROUP` for none). Raises :class:`ImportProblems` when the files no
    longer fit the project (someone added cards meanwhile), :class:`DomainError` for a
    question the files do not have.
    """
    project = models.Project.objects.select_for_update().get(pk=upload.project_id)
    rcmap = read_files(_files_of(upload))
    plans = check_against(project, rcmap)
    questions = {name for name, _ in questions_of(rcmap.cardsort.groups)}
    if group_question != NO_GROUP and group_question not in questions:
        raise DomainError(
            f"The Demographics file has no question '{group_question}': choose one of "
            f"{', '.join(sorted(questions)) or 'none'}."
        )
    groups = _with_group(rcmap.cardsort.groups, group_question)
    cardsort = CardSort(rcmap.cardsort.statements, rcmap.cardsort.sorts, groups)
    sorted_ = store_card_sort(user, project, cardsort, add_missing_cards=True)
    members = _store_people(user, project, rcmap, groups)
    cards = {str(card.number): card for card in models.Card.objects.filter(project=project)}
    scales = _store_scales(project, plans)
    ratings = _store_ratings(rcmap.ratings, cards, members, scales)
    created = len(sorted_.members_created) + sum(1 for m in members.values() if m.created)
    imported = Imported(len(sorted_.cards_created), created, sorted_.sorts, ratings, len(scales))
    record(
        user,
        "create",
        project,
        evaluation_id=None,
        summary=f"Imported RCMap files: {imported.cards} cards, {imported.sorts} sorts, "
        f"{imported.ratings} ratings",
        after={
            "cards": imported.cards,
            "members": imported.members,
            "sorts": imported.sorts,
            "ratings": imported.ratings,
            "scales": imported.scales,
            "group_question": group_question,
        },
    )
    upload.delete()
    return imported


def _with_group(
    groups: Mapping[str, Mapping[str, str]], question: str
) -> dict[str, dict[str, str]]:
    """Each person's answers, with the chosen question's answer also under the name the
    sorting service stores as ``Member.group``."""
    given: dict[str, dict[str, str]] = {}
    for code, answers in groups.items():
        given[code] = dict(answers)
        if question and answers.get(question):
            given[code][GROUP_QUESTION] = answers[question]
    return given


@dataclass
class _Person:
    member: models.Member
    created: bool


def _store_people(
    user: Any, project: models.Project, rcmap: RCMapProject, groups: Mapping[str, Mapping[str, str]]
) -> dict[str, _Person]:
    """Everyone the files name, as members: sorters were stored with their sorts; raters
    and people only described are created here the same way (a panel member without an
    account, whose group and answers are filled in where the project had none)."""
    people = people_named(rcmap)
    found = {m.code: m for m in models.Member.objects.filter(project=project, code__in=people)}
    made: dict[str, _Person] = {code: _Person(member, False) for code, member in found.items()}
    for code in people:
        if code in made:
            continue
        answers = dict(groups.get(code, {}))
        group = answers.pop(GROUP_QUESTION, "")
        member = models.Member.objects.create(
            project=project, code=code, role=models.Member.Role.PANEL, group=group, details=answers
        )
        record(user, "create", member, evaluation_id=None, summary=f"Imported member {code}")
        made[code] = _Person(member, True)
    return made


def _store_scales(
    project: models.Project, plans: tuple[ScalePlan, ...]
) -> dict[str, models.RatingScale]:
    existing = {scale.key: scale for scale in project.scales.all()}
    last = max((scale.position for scale in existing.values()), default=-1)
    scales: dict[str, models.RatingScale] = {}
    for plan in plans:
        scale = existing.get(plan.key)
        if scale is None:
            last += 1
            usual = plan.usual
            scale = models.RatingScale.objects.create(
                project=project,
                key=plan.key,
                label=usual.label if usual else plan.column[:200],
                lowest=plan.lowest,
                highest=plan.highest,
                lowest_means=usual.lowest_means if usual else "",
                highest_means=usual.highest_means if usual else "",
                position=last,
            )
            existing[scale.key] = scale
        scales[plan.column] = scale
    return scales


def _store_ratings(
    ratings: tuple[StatementRating, ...],
    cards: Mapping[str, models.Card],
    people: Mapping[str, _Person],
    scales: Mapping[str, models.RatingScale],
) -> int:
    made = models.StatementRating.objects.bulk_create(
        (
            models.StatementRating(
                member=people[r.rater].member,
                card=cards[r.statement],
                scale=scales[r.scale],
                value=int(r.value),
            )
            for r in ratings
        ),
        batch_size=2000,
    )
    return len(made)
