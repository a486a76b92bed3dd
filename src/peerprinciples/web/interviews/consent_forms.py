"""Forms for an interview's consent and its withdrawal; the services check the domain rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from peerprinciples.web.evaluations.forms import ProblemsMixin
from peerprinciples.web.interviews.consent import Choice
from peerprinciples.web.interviews.forms import DateInput
from peerprinciples.web.interviews.models import Interview


class ConsentForm(ProblemsMixin, forms.Form):
    """When consent was given for an interview, and the uses it covers."""

    date = forms.DateField(
        widget=DateInput,
        label="Day consent was given",
        help_text="For example 2025-03-27.",
        error_messages={
            "required": "Give the day consent was given, written YYYY-MM-DD.",
            "invalid": "Write the day as YYYY-MM-DD, for example 2025-03-27.",
        },
    )
    uses = forms.MultipleChoiceField(
        choices=list(Interview.CONSENT_USES.items()),
        widget=forms.CheckboxSelectMultiple,
        label="What the person agreed their interview may be used for",
        error_messages={
            "required": "Tick at least one use. If the person does not consent to any, "
            "withdraw the interview instead.",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WithdrawForm(ProblemsMixin, forms.Form):
    """Withdraw an interview, with one of the choices the study's protocol allows."""

    choice = forms.ChoiceField(
        widget=forms.RadioSelect,
        label="What should happen to the interview's data?",
        error_messages={"required": "Choose what should happen to the interview's data."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, choices: Sequence[Choice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["choice"]
        field.choices = [(choice.value, choice.label) for choice in choices]
        if len(choices) == 1:
            field.initial = choices[0].value
