"""Forms for agreeing an action, changing it, and looking back at it in a later cycle.

The forms read what is typed and turn dates into dates; the services check the rest (the
principle belongs to the cycle's framework, the cycle is open, nobody saved meanwhile).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy

from peerprinciples.web.evaluations.forms import ProblemsMixin
from peerprinciples.web.interviews.forms import DateInput
from peerprinciples.web.reflection.forms.cycles import example_date
from peerprinciples.web.reflection.models import Action, ActionReview
from peerprinciples.web.reflection.services.actions import WHO_LENGTH

WHO_LIST = "who-suggestions"
"""The id of the list of suggested roles that the ``who`` field offers."""


class WhoInput(forms.TextInput):
    """A text box that offers the suggested roles, and takes any other role typed."""

    def __init__(self) -> None:
        super().__init__(attrs={"list": WHO_LIST, "autocomplete": "off"})


class ActionForm(ProblemsMixin, forms.Form):
    """What the service will do, which role does it, by when, and how it stands."""

    what = forms.CharField(
        label="What we will do",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A sentence or two in everyday words.",
    )
    who = forms.CharField(
        label="Who will do it",
        max_length=WHO_LENGTH,
        widget=WhoInput(),
        help_text="A role, never a person's name: for example the peer worker team, the service "
        "manager or a supervisor.",
    )
    due = forms.DateField(
        required=False,
        widget=DateInput,
        label="By when",
        help_text=format_lazy(
            "For example {}, three months from today. Leave it empty if there is no date.",
            example_date(91),
        ),
    )
    status = forms.ChoiceField(
        choices=Action.Status.choices,
        initial=Action.Status.PLANNED,
        label="Where it stands",
    )


class NewActionForm(ActionForm):
    """An action agreed in this cycle, about one principle or theme of its guide."""

    prefix = "action"
    principle = forms.ChoiceField(label="Principle or theme")
    field_order = ["principle", "what", "who", "due", "status"]

    def __init__(self, *args: Any, principles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["principle"]
        field.choices = [("", "Choose a principle or theme"), *principles]


class EditActionForm(ActionForm):
    """A change to an action, carrying the version it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReviewForm(ProblemsMixin, forms.Form):
    """A later cycle's look back at one action: what happened, and kept, done or dropped."""

    outcome = forms.ChoiceField(
        choices=ActionReview.Outcome.choices,
        widget=forms.RadioSelect,
        label="Where it is now",
    )
    what_happened = forms.CharField(
        required=False,
        label="What happened, and why",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What went well or got in the way, and why you keep, finish or drop it.",
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, action_id: int, **kwargs: Any) -> None:
        super().__init__(*args, prefix=f"review-{action_id}", **kwargs)
