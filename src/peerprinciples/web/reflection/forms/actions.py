"""Forms for agreeing an action, changing it, and looking back at it in a later cycle.

The forms read what is typed and turn dates into dates; the services check the rest (the
principle belongs to the cycle's framework, the cycle is open, nobody saved meanwhile).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import forms
from django.utils.text import format_lazy

from peerprinciples.web.evaluations.forms import ProblemsMixin
from peerprinciples.web.interviews.forms import DateInput
from peerprinciples.web.reflection.forms.cycles import example_date
from peerprinciples.web.reflection.models import Action, ActionReview, Cycle
from peerprinciples.web.reflection.services.actions import (
    UNDECIDED_WITH_TEXT,
    WHO_LENGTH,
    EarlierCycle,
    LookBack,
    ReviewEntry,
    review_stamp,
)

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


NOT_DECIDED = ("", "Not decided yet")
"""The outcome of an action nobody has decided on yet: nothing is saved for it."""


class ReviewForm(ProblemsMixin, forms.Form):
    """A later cycle's look back at one action: what happened, and kept, done or dropped.

    Until this cycle has said something about the action, "not decided yet" is offered too
    (and chosen), so an action can be left for later while the others are saved.
    """

    outcome = forms.ChoiceField(
        choices=[NOT_DECIDED, *ActionReview.Outcome.choices],
        required=False,
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

    def __init__(
        self, *args: Any, action_id: int, review: ActionReview | None = None, **kwargs: Any
    ) -> None:
        if review is not None:
            kwargs.setdefault(
                "initial",
                {"outcome": review.outcome, "what_happened": review.what_happened},
            )
        kwargs.setdefault("initial", {"outcome": ""})
        kwargs["initial"] = {"seen": review_stamp(review), **kwargs["initial"]}
        super().__init__(*args, prefix=f"review-{action_id}", **kwargs)
        if review is not None:
            field: Any = self.fields["outcome"]
            field.choices = ActionReview.Outcome.choices

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if not data.get("outcome") and data.get("what_happened", "").strip():
            self.add_error("outcome", UNDECIDED_WITH_TEXT)
        return data

    def entry(self) -> ReviewEntry:
        """What the valid form says, for :func:`services.review_actions`."""
        data = self.cleaned_data
        return ReviewEntry(data["outcome"], data["what_happened"], data["seen"])


def review_forms(groups: list[EarlierCycle], data: Any = None) -> dict[int, ReviewForm]:
    """One look-back form per earlier action of ``groups``, by the action's key: empty or
    showing this cycle's saved look back, or bound to ``data`` when it was sent."""
    return {
        item.action.pk: ReviewForm(data, action_id=item.action.pk, review=item.review)
        for group in groups
        for item in group.items
    }


Row = tuple[LookBack, ReviewForm | None, ActionReview | None]


def look_back_rows(
    groups: list[EarlierCycle],
    forms_by_action: dict[int, ReviewForm],
    stale: Collection[int] = (),
) -> list[tuple[Cycle, list[Row]]]:
    """What ``_looking_back.html`` draws: each earlier cycle with its actions, each action
    with its form (if any) and, when someone else saved a look back at it meanwhile, theirs."""
    return [
        (
            group.cycle,
            [
                (
                    item,
                    forms_by_action.get(item.action.pk),
                    item.review if item.action.pk in stale else None,
                )
                for item in group.items
            ],
        )
        for group in groups
    ]
