"""Rating the statements: the questions every card is rated on, and each member's ratings.

The facilitator sets the rating scales (by default importance and feasibility, 1 to 5,
with what each end means). During the "rating" stage, panel members and the facilitator
rate every live card on every scale; they may save part of the work and come back to it.

A member's ratings are theirs alone, but they may have the page open twice. The form
carries a fingerprint of the ratings it was drawn from (:func:`ratings_stamp`); a save
made over ratings that changed since is refused, so nothing is overwritten silently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import (
    Card,
    Member,
    Project,
    RatingScale,
    StatementRating,
)
from peerprinciples.web.coproduction.services.cards import live_cards
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit

LABEL_LENGTH = RatingScale._meta.get_field("label").max_length or 200
MEANS_LENGTH = RatingScale._meta.get_field("lowest_means").max_length or 100
LOWEST_ALLOWED, HIGHEST_ALLOWED = 0, 10
"""The widest range a scale may have: eleven points, 0 to 10."""


@dataclass(frozen=True)
class ScaleDraft:
    """What a rating scale asks and what its ends mean, before it is saved."""

    label: str
    lowest: int
    highest: int
    lowest_means: str
    highest_means: str
    key: str = ""


DEFAULT_SCALES = (
    ScaleDraft(
        "How important is this for peer support here?",
        1,
        5,
        "Not important at all",
        "Extremely important",
        key="importance",
    ),
    ScaleDraft(
        "How feasible is this to put into practice here?",
        1,
        5,
        "Not feasible at all",
        "Entirely feasible",
        key="feasibility",
    ),
)
"""Importance and feasibility, the two questions concept-mapping studies usually ask."""


def scales_of(project: Project) -> list[RatingScale]:
    """The project's rating scales, in the order they are asked."""
    return list(RatingScale.objects.filter(project=project).order_by("position", "pk"))


def _checked(draft: ScaleDraft, *, rated: tuple[int, int] | None = None) -> ScaleDraft:
    """The draft with its texts stripped; every problem at once as :class:`InvalidInput`.

    ``rated`` is the lowest and highest rating given on the scale so far: the range may not
    shrink past them.
    """
    problems: dict[str, str] = {}
    label = draft.label.strip()
    if not label:
        problems["label"] = "Write the question people answer, e.g. 'How important is this?'"
    elif len(label) > LABEL_LENGTH:
        problems["label"] = f"Keep the question to {LABEL_LENGTH} characters at most."
    if not LOWEST_ALLOWED <= draft.lowest < draft.highest <= HIGHEST_ALLOWED:
        problems["highest"] = (
            f"The scale runs from {draft.lowest} to {draft.highest}: choose a lowest point "
            f"below the highest, both between {LOWEST_ALLOWED} and {HIGHEST_ALLOWED}."
        )
    elif rated is not None and (draft.lowest > rated[0] or draft.highest < rated[1]):
        problems["highest"] = (
            f"Ratings from {rated[0]} to {rated[1]} were given on this scale already: keep "
            "the range wide enough to hold them, or make a new scale."
        )
    for name in ("lowest_means", "highest_means"):
        if len(getattr(draft, name).strip()) > MEANS_LENGTH:
            problems[name] = f"Say it in {MEANS_LENGTH} characters at most."
    if problems:
        raise InvalidInput(problems)
    return ScaleDraft(
        label,
        draft.lowest,
        draft.highest,
        draft.lowest_means.strip(),
        draft.highest_means.strip(),
        draft.key,
    )


def _free_key(project: Project, wanted: str) -> str:
    """A key for a new scale, from ``wanted``, that no scale of the project has yet."""
    base = (slugify(wanted) or "scale")[:40]
    taken = set(RatingScale.objects.filter(project=project).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def add_scale(user: Any, project: Project, draft: ScaleDraft) -> RatingScale:
    """Add a rating question to the project, asked after those it has."""
    draft = _checked(draft)
    Project.objects.select_for_update().get(pk=project.pk)
    last = RatingScale.objects.filter(project=project).order_by("-position").first()
    scale = RatingScale.objects.create(
        project=project,
        key=_free_key(project, draft.key or draft.label),
        label=draft.label,
        lowest=draft.lowest,
        highest=draft.highest,
        lowest_means=draft.lowest_means,
        highest_means=draft.highest_means,
        position=0 if last is None else last.position + 1,
    )
    record(user, "create", scale, evaluation_id=None, summary=f"Added rating scale {scale.key}")
    return scale


@transaction.atomic
def add_default_scales(user: Any, project: Project) -> list[RatingScale]:
    """Add importance and feasibility, 1 to 5, to a project that has no scales yet."""
    Project.objects.select_for_update().get(pk=project.pk)
    if RatingScale.objects.filter(project=project).exists():
        raise DomainError(
            "This project has rating scales already: change them, or add another one."
        )
    return [add_scale(user, project, draft) for draft in DEFAULT_SCALES]


def _rated_range(scale: RatingScale) -> tuple[int, int] | None:
    values = list(scale.ratings.values_list("value", flat=True))
    return (min(values), max(values)) if values else None


@transaction.atomic
def change_scale(user: Any, scale: RatingScale, draft: ScaleDraft, *, version: int) -> RatingScale:
    """Change a scale's question, range or end meanings (its key stays), if nobody else
    changed it since ``version``; the range may not leave out ratings given already."""
    locked = RatingScale.objects.select_for_update().get(pk=scale.pk)
    if locked.version != version:
        raise StaleEdit("rating scale")
    draft = _checked(draft, rated=_rated_range(locked))
    RatingScale.objects.filter(pk=locked.pk).update(
        label=draft.label,
        lowest=draft.lowest,
        highest=draft.highest,
        lowest_means=draft.lowest_means,
        highest_means=draft.highest_means,
        version=F("version") + 1,
    )
    locked.refresh_from_db()
    record(user, "change", locked, evaluation_id=None, summary=f"Changed rating scale {locked.key}")
    return locked


@transaction.atomic
def remove_scale(user: Any, scale: RatingScale, *, version: int) -> None:
    """Remove a scale nobody has rated on yet."""
    locked = RatingScale.objects.select_for_update().get(pk=scale.pk)
    if locked.version != version:
        raise StaleEdit("rating scale")
    given = locked.ratings.count()
    if given:
        raise DomainError(
            f"{given} rating{'s were' if given != 1 else ' was'} given on this scale, so it "
            "stays: a scale is removed only before anyone rates on it."
        )
    record(user, "delete", locked, evaluation_id=None, summary=f"Removed rating scale {locked.key}")
    locked.delete()


# --- one member's ratings ---------------------------------------------------------------


def may_rate_now(project: Project) -> bool:
    """Whether the project is at the stage when members rate the statements."""
    return project.stage == Project.Stage.RATING


def stage_notice(project: Project) -> str:
    """What a member who comes to rate outside the rating stage is told."""
    return (
        f"The project is at the stage '{project.get_stage_display()}', so the statements "
        "cannot be rated now. Ratings open when the facilitator moves the project on to "
        "'Rating the statements'."
    )


def ratings_of(member: Member) -> dict[tuple[int, int], int]:
    """The member's ratings in the project: value by (card id, scale id)."""
    return {
        (card, scale): value
        for card, scale, value in StatementRating.objects.filter(
            member=member, card__project_id=member.project_id
        ).values_list("card_id", "scale_id", "value")
    }


def ratings_stamp(ratings: Mapping[tuple[int, int], int]) -> str:
    """A fingerprint of a member's ratings: it changes whenever any rating does."""
    text = ";".join(f"{c}:{s}:{v}" for (c, s), v in sorted(ratings.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class SavedRatings:
    """What one save changed: ratings added, changed and taken back."""

    added: int
    changed: int
    cleared: int

    @property
    def total(self) -> int:
        return self.added + self.changed + self.cleared


def _check_values(
    wanted: Mapping[tuple[int, int], int | None],
    cards: Mapping[int, Card],
    scales: Mapping[int, RatingScale],
) -> None:
    problems: dict[str, str] = {}
    for (card_id, scale_id), value in wanted.items():
        card, scale = cards.get(card_id), scales.get(scale_id)
        field = f"rating-{card_id}-{scale_id}"
        if card is None or scale is None:
            problems[field] = (
                "This card or scale is no longer in the project (a card may have been merged "
                "into another): reload the page to rate the cards as they are now."
            )
        elif value is not None and not scale.lowest <= value <= scale.highest:
            problems[field] = (
                f"Card {card.number}: choose a point from {scale.lowest} to {scale.highest} "
                f"on '{scale.label}', or 'not rated'."
            )
    if problems:
        raise InvalidInput(problems)


@transaction.atomic
def save_ratings(
    user: Any,
    member: Member,
    wanted: Mapping[tuple[int, int], int | None],
    *,
    stamp: str,
) -> SavedRatings:
    """Save a member's ratings: a value by (card id, scale id), ``None`` for one taken back.

    Refused outside the rating stage, for cards merged away or scales removed, for values
    off a scale, and when the member's ratings changed since the form showed them
    (``stamp``, from :func:`ratings_stamp`).
    """
    project = Project.objects.select_for_update().get(pk=member.project_id)
    if not may_rate_now(project):
        raise DomainError(stage_notice(project))
    Member.objects.select_for_update().get(pk=member.pk)
    current = ratings_of(member)
    if ratings_stamp(current) != stamp:
        raise DomainError(
            "Your ratings changed since this page was opened (perhaps in another window), so "
            "nothing was saved over them. The page now shows your ratings as they are: make "
            "your changes again."
        )
    cards = {card.pk: card for card in live_cards(project)}
    scales = {scale.pk: scale for scale in scales_of(project)}
    _check_values(wanted, cards, scales)
    added = changed = cleared = 0
    creates: list[StatementRating] = []
    for (card_id, scale_id), value in wanted.items():
        before = current.get((card_id, scale_id))
        if value == before:
            continue
        if value is None:
            StatementRating.objects.filter(
                member=member, card_id=card_id, scale_id=scale_id
            ).delete()
            cleared += 1
        elif before is None:
            creates.append(
                StatementRating(member=member, card_id=card_id, scale_id=scale_id, value=value)
            )
            added += 1
        else:
            StatementRating.objects.filter(
                member=member, card_id=card_id, scale_id=scale_id
            ).update(value=value)
            changed += 1
    StatementRating.objects.bulk_create(creates)
    saved = SavedRatings(added, changed, cleared)
    if saved.total:
        record(
            user,
            "change",
            member,
            evaluation_id=None,
            summary=f"{member.code} saved ratings: {added} added, {changed} changed, "
            f"{cleared} taken back",
            after={"added": added, "changed": changed, "cleared": cleared},
        )
    return saved


def progress(
    cards: Sequence[Card], scales: Sequence[RatingScale], ratings: Mapping[tuple[int, int], int]
) -> tuple[int, int]:
    """How many of the member's ratings are given, out of how many there are to give."""
    wanted = {(card.pk, scale.pk) for card in cards for scale in scales}
    return len(wanted & ratings.keys()), len(wanted)
