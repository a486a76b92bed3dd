"""RCMap's four files in and out of a project.

Importing is for a project without cards: the files bring the cards (from the statements),
the people who sorted and rated them (members without accounts, known by the codes in the
files), their sorts (stored as finished individual sorts), their ratings, the rating scales
and, from the Demographics file, each person's answers (``Member.details``) and the group
results are split by (``Member.group``, from the question the importer chooses).

It happens in two steps. :func:`upload` checks the files together, with the core's RCMap
reader and against the project, and keeps them only when nothing is wrong; the preview
(:func:`preview`) says what they hold; :func:`import_upload` checks them again and stores
all of it in one transaction, or nothing. The kept files are deleted once imported.

:func:`export_zip` writes the project back as the four files, in a zip.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from peerprinciples.core.coproduction.cardsort import CardSort, Pile, Sort, StatementRating
from peerprinciples.core.coproduction.problems import ImportProblems, Problem
from peerprinciples.core.coproduction.rcmap import (
    DEMOGRAPHICS,
    RATINGS,
    SORTED_CARDS,
    STATEMENTS,
    RCMapProject,
    read_rcmap,
    write_rcmap,
)
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.services.cards import live_cards
from peerprinciples.web.coproduction.services.ratings import HIGHEST_ALLOWED, LOWEST_ALLOWED
from peerprinciples.web.coproduction.services.sort_import import store_card_sort
from peerprinciples.web.coproduction.services.sorting import (
    GROUP_QUESTION,
    card_sort,
    member_groups,
)
from peerprinciples.web.errors import DomainError

CODE_LENGTH = models.Member._meta.get_field("code").max_length or 40
GROUP_LENGTH = models.Member._meta.get_field("group").max_length or 100
PILE_LENGTH = models.Pile._meta.get_field("label").max_length or 200
NO_GROUP = ""
"""The importer's choice of no question as the group."""


@dataclass(frozen=True)
class RCMapFiles:
    """The four files' bytes; Ratings and Demographics may be missing."""

    statements: bytes
    sorted_cards: bytes
    ratings: bytes | None = None
    demographics: bytes | None = None


@dataclass(frozen=True)
class ScalePlan:
    """A Ratings column and the project scale its ratings go to."""

    column: str
    key: str
    existing: bool
    lowest: int
    highest: int
    given: int


@dataclass(frozen=True)
class Preview:
    """What a checked upload holds and what importing it will create."""

    statements: int
    sorters: int
    piles: int
    placements: int
    partial_sorters: int
    raters: int
    ratings: int
    scales: tuple[ScalePlan, ...]
    questions: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    """Each Demographics question with its answers and how many people gave each."""
    new_members: int
    existing_members: tuple[str, ...]
    warnings: tuple[Problem, ...]

    @property
    def default_group(self) -> str:
        """The question taken as the group unless the importer chooses another: the first."""
        return self.questions[0][0] if self.questions else NO_GROUP


# --- reading and checking ---------------------------------------------------------------


def read_files(files: RCMapFiles) -> RCMapProject:
    """The files read and checked together by the core's RCMap reader, each statement
    keyed by its number as a card is (``007`` in the files is card 7).

    Raises :class:`ImportProblems` naming file, row and column of every problem.
    """
    read = read_rcmap(files.statements, files.sorted_cards, files.ratings, files.demographics)
    number = {key: str(int(key)) for key in read.cardsort.keys}
    cardsort = CardSort(
        {number[key]: text for key, text in read.cardsort.statements.items()},
        tuple(
            Sort(
                sort.sorter,
                tuple(Pile(p.label, tuple(number[c] for c in p.cards)) for p in sort.piles),
            )
            for sort in read.cardsort.sorts
        ),
        read.cardsort.groups,
    )
    ratings = tuple(
        StatementRating(r.rater, number.get(r.statement, r.statement), r.scale, r.value)
        for r in read.ratings
    )
    return RCMapProject(cardsort, ratings, read.scales, read.warnings)


def _people(rcmap: RCMapProject) -> list[str]:
    """Everyone the files name, sorters first, in the order they appear."""
    codes = [sort.sorter for sort in rcmap.cardsort.sorts]
    codes += list(rcmap.raters)
    codes += list(rcmap.cardsort.groups)
    return list(dict.fromkeys(codes))


def _scale_for(column: str, scales: Iterable[models.RatingScale]) -> models.RatingScale | None:
    """The project's scale a Ratings column names: by key, or by question (any case)."""
    for scale in scales:
        if scale.key == slugify(column) or scale.label.casefold() == column.casefold():
            return scale
    return None


def _plan_scales(
    rcmap: RCMapProject, existing: list[models.RatingScale], problems: list[Problem]
) -> tuple[ScalePlan, ...]:
    plans = []
    for column in rcmap.scales:
        values = [r.value for r in rcmap.ratings if r.scale == column]
        where = f"{RATINGS}, column '{column}'"
        odd = [v for v in values if not float(v).is_integer()]
        if odd:
            problems.append(
                Problem(
                    where,
                    f"{len(odd)} rating(s) are not whole numbers (the first is {odd[0]:g}).",
                    "ratings here are points on a scale: round them to whole numbers, or "
                    "leave them out (NA) before importing.",
                )
            )
            continue
        low = int(min(values)) if values else 1
        high = int(max(values)) if values else 5
        scale = _scale_for(column, existing)
        if scale is not None:
            if values and (low < scale.lowest or high > scale.highest):
                problems.append(
                    Problem(
                        where,
                        f"ratings run from {low} to {high}, but the project's scale "
                        f"'{scale.label}' runs from {scale.lowest} to {scale.highest}.",
                        "widen the scale on the rating questions page first, or correct "
                        "the ratings.",
                    )
                )
            plans.append(
                ScalePlan(column, scale.key, True, scale.lowest, scale.highest, len(values))
            )
            continue
        if values and (low < LOWEST_ALLOWED or high > HIGHEST_ALLOWED):
            problems.append(
                Problem(
                    where,
                    f"ratings run from {low} to {high}; a scale here runs from "
                    f"{LOWEST_ALLOWED} to {HIGHEST_ALLOWED} at most.",
                    "correct the ratings outside that range.",
                )
            )
            continue
        lowest = 0 if low == 0 else 1
        key = _new_key(column, {scale.key for scale in existing} | {p.key for p in plans})
        plans.append(ScalePlan(column, key, False, lowest, max(high, lowest + 1), len(values)))
    return tuple(plans)


def _new_key(column: str, taken: set[str]) -> str:
    """A key for a scale made from a Ratings column, unlike any in ``taken``."""
    base = (slugify(column) or "scale")[:40]
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _check_lengths(rcmap: RCMapProject, problems: list[Problem]) -> None:
    for code in _people(rcmap):
        if len(code) > CODE_LENGTH:
            problems.append(
                Problem(
                    f"the code '{code[:20]}…'",
                    f"a person's code is {len(code)} characters long; codes here have at most "
                    f"{CODE_LENGTH}.",
                    "give the person a shorter code in every file.",
                )
            )
    for sort in rcmap.cardsort.sorts:
        for pile in sort.piles:
            if len(pile.label) > PILE_LENGTH:
                problems.append(
                    Problem(
                        f"{SORTED_CARDS}, sorter {sort.sorter}",
                        f"a pile's label is {len(pile.label)} characters long; labels here "
                        f"have at most {PILE_LENGTH}.",
                        "shorten the label.",
                    )
                )
    for code, answers in rcmap.cardsort.groups.items():
        for question, answer in answers.items():
            if len(answer) > GROUP_LENGTH:
                problems.append(
                    Problem(
                        f"{DEMOGRAPHICS}, person {code}, column '{question}'",
                        f"the answer is {len(answer)} characters long; a group's name here "
                        f"has at most {GROUP_LENGTH}.",
                        "shorten the answer.",
                    )
                )


def check_against(project: models.Project, rcmap: RCMapProject) -> tuple[ScalePlan, ...]:
    """What the project says to the files: refused when it has cards already; ratings
    must be whole numbers on the scales they go to; codes, pile labels and answers must
    fit. Returns the plan for the scales; raises :class:`ImportProblems` otherwise."""
    problems: list[Problem] = []
    cards = models.Card.objects.filter(project=project).count()
    if cards:
        problems.append(
            Problem(
                "the project",
                f"it has {cards} card(s) already, and RCMap files bring cards of their own "
                "(from Statements.csv).",
                "import the files into a new project: start one from the co-production "
                "projects page.",
            )
        )
    if "0" in rcmap.cardsort.statements:
        problems.append(
            Problem(
                f"{STATEMENTS}, statement 0",
                "cards here are numbered from 1.",
                "number the statements 1, 2, 3 … in every file.",
            )
        )
    _check_lengths(rcmap, problems)
    plans = _plan_scales(rcmap, list(project.scales.all()), problems)
    if problems:
        raise ImportProblems(problems)
    return plans


def _questions(groups: Mapping[str, Mapping[str, str]]) -> tuple[Any, ...]:
    names = list(dict.fromkeys(q for answers in groups.values() for q in answers))
    return tuple(
        (
            name,
            tuple(sorted(Counter(a[name] for a in groups.values() if name in a).items())),
        )
        for name in names
    )


def describe(project: models.Project, rcmap: RCMapProject, plans: tuple[ScalePlan, ...]) -> Preview:
    """What the files hold, as the preview shows it."""
    sorts = rcmap.cardsort.sorts
    keys = frozenset(rcmap.cardsort.keys)
    people = _people(rcmap)
    existing = set(
        models.Member.objects.filter(project=project, code__in=people).values_list(
            "code", flat=True
        )
    )
    return Preview(
        statements=len(keys),
        sorters=len(sorts),
        piles=sum(len(sort.piles) for sort in sorts),
        placements=sum(len(pile.cards) for sort in sorts for pile in sort.piles),
        partial_sorters=sum(1 for sort in sorts if sort.sorted_cards() != keys),
        raters=len(rcmap.raters),
        ratings=len(rcmap.ratings),
        scales=plans,
        questions=_questions(rcmap.cardsort.groups),
        new_members=len(people) - len(existing),
        existing_members=tuple(code for code in people if code in existing),
        warnings=rcmap.warnings,
    )


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
    questions = {name for name, _ in _questions(rcmap.cardsort.groups)}
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
    people = _people(rcmap)
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
            scale = models.RatingScale.objects.create(
                project=project,
                key=plan.key,
                label=plan.column[:200],
                lowest=plan.lowest,
                highest=plan.highest,
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


# --- export ---------------------------------------------------------------------------------


def project_as_rcmap(project: models.Project) -> RCMapProject:
    """The project as RCMap data: its live cards, its finished individual sorts
    (``services.sorting.card_sort``), every rating of a live card, and the answers of
    everyone who sorted or rated (their group under the question ``group``)."""
    cardsort = card_sort(project)
    numbers = {card.pk: str(card.number) for card in live_cards(project).only("pk", "number")}
    scales = list(project.scales.order_by("position", "pk"))
    ratings = tuple(
        StatementRating(code, numbers[card], key, float(value))
        for code, card, key, value in models.StatementRating.objects.filter(
            card_id__in=numbers, scale__project=project
        )
        .order_by("member__code", "card__number", "scale__position")
        .values_list("member__code", "card_id", "scale__key", "value")
    )
    groups = dict(cardsort.groups)
    raters = {r.rater for r in ratings} - set(groups)
    for member in models.Member.objects.filter(project=project, code__in=raters).order_by("code"):
        answers = member_groups(member)
        if answers:
            groups[member.code] = answers
    written = CardSort(cardsort.statements, cardsort.sorts, groups)
    return RCMapProject(written, ratings, tuple(scale.key for scale in scales if ratings))


def export_zip(user: Any, project: models.Project) -> tuple[str, bytes]:
    """The project's RCMap files in a zip, and the zip's file name; the export is recorded
    in the audit trail."""
    rcmap = project_as_rcmap(project)
    if not rcmap.cardsort.statements:
        raise DomainError("The project has no cards yet, so there is nothing to export.")
    files = write_rcmap(rcmap)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in (STATEMENTS, SORTED_CARDS, RATINGS, DEMOGRAPHICS):
            if name in files:
                archive.writestr(name, files[name])
    record(
        user,
        "export",
        project,
        evaluation_id=None,
        summary=f"Exported RCMap files: {len(rcmap.cardsort.statements)} cards, "
        f"{len(rcmap.cardsort.sorts)} sorts, {len(rcmap.ratings)} ratings",
        after={"files": sorted(files)},
    )
    name = f"{slugify(project.name) or 'project'}-rcmap.zip"
    return name, buffer.getvalue()
