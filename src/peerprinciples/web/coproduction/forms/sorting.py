"""Forms for sorting the cards: starting a group sort, adding and changing piles, and the
moves of cards between piles.

A page of piles shows one form per pile, so each form's ids start with the pile's (``auto_id``
given by :func:`pile_form`) and every id on the page stays unique. Moves are read from the
whole board form, where each card has a select named ``card-<id>``: see :func:`read_moves`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from peerprinciples.web.coproduction.models import GroupSort, Pile
from peerprinciples.web.coproduction.services.sorting import LABEL_LENGTH, UNSORTED
from peerprinciples.web.errors import InvalidInput
from peerprinciples.web.evaluations.forms import ProblemsMixin
from peerprinciples.web.interviews.forms import DateInput

CARD_FIELD = "card-"
"""How the name of a card's select starts; the card's id follows."""


def _version_field() -> forms.IntegerField:
    """The sort's version when the page was drawn. The page's script keeps every field marked
    ``data-sort-version`` up to date after each move it saves, so the other forms on the page
    (adding a pile, finishing the sort) are not refused as out of date."""
    return forms.IntegerField(widget=forms.HiddenInput(attrs={"data-sort-version": ""}))


class GroupSortForm(ProblemsMixin, forms.Form):
    """A meeting at which the panel sorts the cards together."""

    title = forms.CharField(
        max_length=GroupSort._meta.get_field("title").max_length,
        label="Title",
        help_text="For example: Panel meeting, sorting the cards.",
    )
    held_on = forms.DateField(
        required=False, widget=DateInput, label="Date of the meeting", help_text="YYYY-MM-DD."
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Notes",
        help_text="Who took part (by code), and anything the panel wants remembered.",
    )


class PileForm(ProblemsMixin, forms.Form):
    """A pile's label and notes; ``version`` is the sort's when the page was drawn."""

    label = forms.CharField(
        max_length=LABEL_LENGTH,
        label="Label",
        help_text="A few words saying what the cards in the pile share.",
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Notes",
        help_text="What the pile means, or why these cards belong together.",
    )
    version = _version_field()


class RemovePileForm(ProblemsMixin, forms.Form):
    """Removing a pile. When it holds cards, a tick says they go back among the unsorted."""

    version = _version_field()
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args: Any, cards: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cards = cards
        field: Any = self.fields["confirm"]
        what = "its card" if cards == 1 else f"its {cards} cards"
        field.label = f"Put {what} back among the unsorted"
        if not cards:
            del self.fields["confirm"]

    def clean_confirm(self) -> bool:
        confirmed = bool(self.cleaned_data.get("confirm"))
        if self.cards and not confirmed:
            raise forms.ValidationError(
                "Tick the box to say the pile's cards go back among the unsorted, or keep the pile."
            )
        return confirmed


class VersionForm(forms.Form):
    """A form that only changes the state of a sort, sent with the sort's version."""

    version = _version_field()


def pile_form(pile: Pile | None, version: int, data: Mapping[str, Any] | None = None) -> PileForm:
    """The form for a new pile (``pile`` is ``None``) or for changing one, with ids of its own."""
    prefix = "new-pile" if pile is None else f"pile-{pile.pk}"
    initial: dict[str, Any] = {"version": version}
    if pile is not None:
        initial |= {"label": pile.label, "notes": pile.notes}
    return PileForm(data, initial=initial, auto_id=f"{prefix}-%s")


def remove_form(
    pile: Pile, cards: int, version: int, data: Mapping[str, Any] | None = None
) -> RemovePileForm:
    """The form removing ``pile``, which holds ``cards`` cards."""
    return RemovePileForm(
        data, cards=cards, initial={"version": version}, auto_id=f"remove-{pile.pk}-%s"
    )


def read_moves(data: Mapping[str, Any]) -> tuple[int, dict[int, int | None]]:
    """The sort's version and the moves posted: each ``card-<id>`` field names the pile the
    card goes to by id, or ``unsorted``. A card not posted stays where it is. Every problem
    at once as :class:`InvalidInput`, keyed by field name."""
    problems: dict[str, str] = {}
    raw = str(data.get("version", "")).strip()
    if not raw.isdigit():
        problems["version"] = (
            "The form did not say which version of the sort it was drawn from. Reload the "
            "page and make your moves again."
        )
    moves: dict[int, int | None] = {}
    for name, value in data.items():
        if not name.startswith(CARD_FIELD):
            continue
        card, target = name.removeprefix(CARD_FIELD), str(value).strip()
        if not card.isdigit():
            problems[name] = f"“{name}” names no card: a card's field is card- and its number."
        elif target == UNSORTED:
            moves[int(card)] = None
        elif target.isdigit():
            moves[int(card)] = int(target)
        else:
            problems[name] = (
                f"“{target}” is not a pile. Choose one of the sort's piles, or “Not in a pile”."
            )
    if problems:
        raise InvalidInput(problems)
    return int(raw), moves
