"""Forms of the ratings pages: a rating scale, the rating sheet, and the choice of what the
results compare.

The rating sheet is not a Django form: its fields come from the project's live cards and
scales (one group of radio buttons per card and scale), and :func:`read_sheet` turns what
is posted into values for the service, which checks them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms

from peerprinciples.web.coproduction.models import Card, RatingScale
from peerprinciples.web.coproduction.services.ratings import (
    HIGHEST_ALLOWED,
    LABEL_LENGTH,
    LOWEST_ALLOWED,
    MEANS_LENGTH,
    ScaleDraft,
)
from peerprinciples.web.evaluations.forms import ProblemsMixin

RATING_PREFIX = "rating"
NOT_RATED = ""


def rating_field(card_id: int, scale_id: int) -> str:
    """The name of the radio group for one card on one scale."""
    return f"{RATING_PREFIX}-{card_id}-{scale_id}"


class ScaleForm(ProblemsMixin, forms.Form):
    """A question every statement is rated on, its range and what its ends mean."""

    label = forms.CharField(
        max_length=LABEL_LENGTH,
        label="Question",
        help_text="What people answer about each statement, e.g. 'How important is this?'",
    )
    lowest = forms.IntegerField(
        min_value=LOWEST_ALLOWED, max_value=HIGHEST_ALLOWED, initial=1, label="Lowest point"
    )
    highest = forms.IntegerField(
        min_value=LOWEST_ALLOWED, max_value=HIGHEST_ALLOWED, initial=5, label="Highest point"
    )
    lowest_means = forms.CharField(
        max_length=MEANS_LENGTH,
        required=False,
        label="What the lowest point means",
        help_text="For example 'Not important at all'.",
    )
    highest_means = forms.CharField(
        max_length=MEANS_LENGTH,
        required=False,
        label="What the highest point means",
        help_text="For example 'Extremely important'.",
    )

    def draft(self) -> ScaleDraft:
        """The scale as typed (call after :meth:`is_valid`)."""
        data = self.cleaned_data
        return ScaleDraft(
            data["label"],
            data["lowest"],
            data["highest"],
            data["lowest_means"],
            data["highest_means"],
        )


class ScaleChangeForm(ScaleForm):
    """A change to a scale, carrying the version it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def for_scale(cls, scale: RatingScale, data: Any = None) -> ScaleChangeForm:
        return cls(
            data,
            prefix=f"scale-{scale.pk}",
            initial={
                "label": scale.label,
                "lowest": scale.lowest,
                "highest": scale.highest,
                "lowest_means": scale.lowest_means,
                "highest_means": scale.highest_means,
                "version": scale.version,
            },
        )


@dataclass(frozen=True)
class Choice:
    """One radio button of the rating sheet."""

    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class SheetQuestion:
    """One card on one scale: the radio group's name, its choices and any problem."""

    name: str
    scale: RatingScale
    choices: tuple[Choice, ...]
    error: str = ""

    @property
    def rated(self) -> bool:
        """Whether a point of the scale is chosen (not "not rated yet")."""
        return any(choice.checked and choice.value != NOT_RATED for choice in self.choices)


@dataclass(frozen=True)
class SheetCard:
    """A card of the rating sheet and its question on each scale."""

    card: Card
    questions: tuple[SheetQuestion, ...]

    @property
    def has_error(self) -> bool:
        return any(question.error for question in self.questions)


def _point_label(scale: RatingScale, point: int) -> str:
    if point == scale.lowest and scale.lowest_means:
        return f"{point} – {scale.lowest_means}"
    if point == scale.highest and scale.highest_means:
        return f"{point} – {scale.highest_means}"
    return str(point)


def sheet(
    cards: Sequence[Card],
    scales: Sequence[RatingScale],
    values: Mapping[tuple[int, int], int | None],
    errors: Mapping[str, str] | None = None,
) -> list[SheetCard]:
    """The rating sheet drawn from the member's values (saved, or as just posted)."""
    errors = errors or {}
    drawn = []
    for card in cards:
        questions = []
        for scale in scales:
            value = values.get((card.pk, scale.pk))
            choices = [
                Choice(str(point), _point_label(scale, point), value == point)
                for point in range(scale.lowest, scale.highest + 1)
            ]
            choices.append(Choice(NOT_RATED, "Not rated yet", value is None))
            name = rating_field(card.pk, scale.pk)
            questions.append(SheetQuestion(name, scale, tuple(choices), errors.get(name, "")))
        drawn.append(SheetCard(card, tuple(questions)))
    return drawn


def read_sheet(
    data: Mapping[str, Any], cards: Sequence[Card], scales: Sequence[RatingScale]
) -> tuple[dict[tuple[int, int], int | None], dict[str, str]]:
    """What the sheet posted: a value (or ``None``, not rated) by (card id, scale id), and
    the fields that hold something other than a whole number.

    Every rating field posted is read, also one for a card no longer on the sheet (merged
    into another since the page was drawn): the service refuses it rather than drop it
    unseen. Questions missing from the post keep what was saved before.
    """
    numbers = {card.pk: card.number for card in cards}
    ranges = {scale.pk: scale for scale in scales}
    wanted: dict[tuple[int, int], int | None] = {}
    problems: dict[str, str] = {}
    for name in data:
        parts = name.split("-")
        if len(parts) != 3 or parts[0] != RATING_PREFIX:
            continue
        try:
            card_id, scale_id = int(parts[1]), int(parts[2])
        except ValueError:
            continue
        text = str(data[name]).strip()
        if text == NOT_RATED:
            wanted[card_id, scale_id] = None
            continue
        try:
            wanted[card_id, scale_id] = int(text)
        except ValueError:
            scale = ranges.get(scale_id)
            span = f"from {scale.lowest} to {scale.highest} on '{scale.label}'" if scale else ""
            problems[name] = (
                f"Card {numbers.get(card_id, '?')}: choose a point {span}, or 'not rated yet'."
            )
    return wanted, problems


LADDER_KINDS = (
    ("scales", "Two scales, for everyone who rated"),
    ("groups", "One scale, for two groups"),
)


class CompareForm(forms.Form):
    """What the ladder and the go-zone compare (a GET form: it changes nothing)."""

    ladder_kind = forms.ChoiceField(
        choices=LADDER_KINDS, widget=forms.RadioSelect, label="The ladder compares"
    )
    left = forms.ChoiceField(label="Left scale")
    right = forms.ChoiceField(label="Right scale")
    scale = forms.ChoiceField(label="Scale, for two groups")
    group_a = forms.ChoiceField(label="Left group")
    group_b = forms.ChoiceField(label="Right group")
    x = forms.ChoiceField(label="Go-zone: scale across")
    y = forms.ChoiceField(label="Go-zone: scale up")

    def __init__(
        self, *args: Any, scales: Sequence[str], groups: Sequence[str], **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "compare_%s")
        super().__init__(*args, **kwargs)
        for name in ("left", "right", "scale", "x", "y"):
            field: Any = self.fields[name]
            field.choices = [(s, s) for s in scales]
            field.required = bool(scales)
        for name in ("group_a", "group_b"):
            field = self.fields[name]
            field.choices = [(g, g) for g in groups]
            field.required = False
