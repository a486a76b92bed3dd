"""Checking RCMap files before they are imported, and saying what they hold.

The core's RCMap reader checks the four files together; :func:`check_against` then checks
them against the project (it must have no cards; codes, pile labels and answers must fit;
ratings must be whole numbers on the questions they go to) and plans which rating question
each Ratings column goes to; :func:`describe` gives what the preview shows. Importing itself
is in :mod:`.exchange`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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
)
from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.services.ratings import (
    DEFAULT_SCALES,
    HIGHEST_ALLOWED,
    LOWEST_ALLOWED,
    ScaleDraft,
)

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
    usual: ScaleDraft | None = None
    """For a new scale that is one of the usual two (importance, feasibility): its wording
    and what its ends mean, so a project's own export comes back with its questions."""


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
    def unworded_scales(self) -> bool:
        """Whether a new scale is made from a column alone (its ends mean nothing yet)."""
        return any(not plan.existing and plan.usual is None for plan in self.scales)

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


def people_named(rcmap: RCMapProject) -> list[str]:
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
        taken = {scale.key for scale in existing} | {p.key for p in plans}
        usual = _usual_scale(column, low, high, taken, bool(values))
        if usual is not None:
            plans.append(
                ScalePlan(column, usual.key, False, usual.lowest, usual.highest, len(values), usual)
            )
            continue
        lowest = 0 if low == 0 else 1
        key = _new_key(column, taken)
        plans.append(ScalePlan(column, key, False, lowest, max(high, lowest + 1), len(values)))
    return tuple(plans)


def _usual_scale(
    column: str, low: int, high: int, taken: set[str], rated: bool
) -> ScaleDraft | None:
    """The usual question a column names (by key or wording, in any case), when the project
    does not have it yet and the ratings fit its range."""
    for usual in DEFAULT_SCALES:
        named = slugify(column) == usual.key or column.casefold() == usual.label.casefold()
        fits = not rated or (usual.lowest <= low and high <= usual.highest)
        if named and fits and usual.key not in taken:
            return usual
    return None


def _new_key(column: str, taken: set[str]) -> str:
    """A key for a scale made from a Ratings column, unlike any in ``taken``."""
    base = (slugify(column) or "scale")[:40]
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _check_lengths(rcmap: RCMapProject, problems: list[Problem]) -> None:
    for code in people_named(rcmap):
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


def questions_of(groups: Mapping[str, Mapping[str, str]]) -> tuple[Any, ...]:
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
    people = people_named(rcmap)
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
        questions=questions_of(rcmap.cardsort.groups),
        new_members=len(people) - len(existing),
        existing_members=tuple(code for code in people if code in existing),
        warnings=rcmap.warnings,
    )
