"""The form of one cell of the matrix, and of the programme's own prompt for it."""

from __future__ import annotations

from typing import Any

from django import forms

from peerprinciples.web.evaluations.forms import ProblemsMixin
from peerprinciples.web.practice.models import STATUS_CHOICES
from peerprinciples.web.practice.services.cells import HOLDER_LENGTH


class CellForm(ProblemsMixin, forms.Form):
    """How a principle shows in an area, at the version the page showed (``0``: nothing was
    saved in the cell yet)."""

    text = forms.CharField(
        label="How the principle shows in this area",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence = forms.CharField(
        label="Examples or evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What shows it happens: a document, a practice, something people said.",
    )
    status = forms.ChoiceField(
        label="How far is it in place?",
        choices=STATUS_CHOICES[1:] + STATUS_CHOICES[:1],
        required=False,
        widget=forms.RadioSelect,
    )
    why = forms.CharField(
        label="Why it has this status",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For “not relevant here”, say why it does not apply here; for “not yet” "
        "or “partly in place”, what stands in the way.",
    )
    holder = forms.CharField(
        label="Who holds it",
        max_length=HOLDER_LENGTH,
        required=False,
        help_text="A role, not a person's name: for example “peer support supervisor”.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: object, what: str = "principle", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["text"].label = f"How the {what} shows in this area"
        why: Any = self.fields["why"]
        why.required_when = "needed for “not relevant here”, optional otherwise"


class PromptForm(ProblemsMixin, forms.Form):
    text = forms.CharField(
        label="The programme's own prompt",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A question that helps the team think about this cell. Leave it empty and "
        "save to go back to the built-in prompt.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
