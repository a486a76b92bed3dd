"""Forms for writing a card, entering cards from paper, and merging duplicates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from peerprinciples.web.coproduction.models import Card, Member
from peerprinciples.web.coproduction.services.cards import CARD_LENGTH, Allowance
from peerprinciples.web.evaluations.forms import ProblemsMixin

GONE = {
    "invalid_choice": "A card you chose was merged or deleted after you opened this page. "
    "Look at the cards as they are now, and choose again.",
    "invalid_list": "Choose cards from the list.",
}


class CardForm(ProblemsMixin, forms.Form):
    """One statement answering the framing question."""

    text = forms.CharField(
        label="Your card",
        max_length=CARD_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"One statement answering the question, in your own words (at most "
        f"{CARD_LENGTH} characters). Others see the card's words, never that you wrote it.",
    )


class EditCardForm(CardForm):
    """A change to a card, carrying the version it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DeleteCardForm(forms.Form):
    """Deleting a card, at the version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PaperCardsForm(ProblemsMixin, forms.Form):
    """Cards written on paper by one member, typed one a line."""

    author = forms.TypedChoiceField(
        coerce=int,
        label="Written by",
        error_messages={"required": "Choose the code of the member who wrote the cards."},
    )
    text = forms.CharField(
        label="The cards, one on each line",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Type each card on a line of its own, as written (at most {CARD_LENGTH} "
        "characters a card). Empty lines are left out. Either every card is added, or none.",
        error_messages={"required": "Type at least one card: one card on each line."},
    )

    def __init__(
        self, *args: Any, authors: Iterable[tuple[Member, Allowance]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["author"]
        field.choices = [("", "Choose the member's code")] + [
            (member.pk, f"{member.code} — {have} so far") for member, have in authors
        ]


class MergeForm(ProblemsMixin, forms.Form):
    """Cards saying the same thing, the one kept, and how their authors agreed."""

    cards = forms.TypedMultipleChoiceField(
        coerce=int,
        label="Cards to merge",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick the cards that say the same thing.", **GONE},
    )
    keep = forms.TypedChoiceField(
        coerce=int,
        label="The card that stays",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which card stays.", **GONE},
    )
    agreement = forms.CharField(
        label="How the authors agreed",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Cards are merged only when their authors agree. Say when and how they "
        "agreed, for example: asked at the meeting on 4 May, both agreed. Use codes, never "
        "names.",
        error_messages={"required": "Record how the authors agreed to the merge."},
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, cards: Iterable[Card], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(card.pk, f"Card {card.number}") for card in cards]
        field: Any = self.fields["cards"]
        field.choices = choices
        field = self.fields["keep"]
        field.choices = choices
