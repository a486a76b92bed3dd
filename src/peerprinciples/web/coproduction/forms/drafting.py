"""Forms for values, draft principles, their aspects, themes and the coverage grid.

The lists of supports, values and principles are offered as ticks; what comes back is
checked by the services (which say, for instance, why a member's own pile can never be
linked), so the fields here accept any choice sent and leave the refusal to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from peerprinciples.web.coproduction.models import DraftPrinciple, Scope, Value
from peerprinciples.web.coproduction.services.drafting import KEY_LENGTH, SupportChoice
from peerprinciples.web.evaluations.forms import ProblemsMixin

SIDE_GROUPS = {"review": "Review categories", "panel": "Panel piles and concept-map clusters"}


class AnyChoices(forms.MultipleChoiceField):
    """Ticks whose values the service checks (and explains when one is not allowed)."""

    def valid_value(self, value: str) -> bool:
        return True


class AnyIntegers(forms.TypedMultipleChoiceField):
    """Ticks of row keys, which the service checks belong to the project."""

    def valid_value(self, value: str) -> bool:
        return True

    def to_python(self, value: Any) -> list[str]:
        found = super().to_python(value)
        if any(not str(v).isdigit() for v in found):
            raise forms.ValidationError("Choose from the list shown.")
        return found


def support_choices(supports: Iterable[SupportChoice]) -> list[tuple[str, Any]]:
    """The supports grouped by side, each shown with its detail."""
    grouped: dict[str, list[tuple[str, str]]] = {side: [] for side in SIDE_GROUPS}
    for support in supports:
        shown = f"{support.label} ({support.detail})" if support.detail else support.label
        grouped[support.side].append((support.id, shown))
    return [(SIDE_GROUPS[side], items) for side, items in grouped.items() if items]


KEY_HELP = (
    "A short name used in files and links, such as “being-believed”: lower-case letters, "
    "digits and hyphens. Leave it empty and one is made from the title."
)


class VersionForm(forms.Form):
    """Deleting or moving something, at the version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ValueForm(ProblemsMixin, forms.Form):
    """A value and what supports it."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Give the value a title, for example: Being believed."},
    )
    key = forms.CharField(label="Key", max_length=KEY_LENGTH, required=False, help_text=KEY_HELP)
    description = forms.CharField(
        label="What it means",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scope = forms.ChoiceField(
        label="Scope", choices=Scope.choices, initial=Scope.GENERAL, widget=forms.RadioSelect
    )
    community = forms.CharField(
        label="Community or setting (for a local value)",
        max_length=200,
        required=False,
        help_text="For example: a peer support service for young people in one city.",
    )
    supports = AnyChoices(
        label="What supports it",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Review categories, and the piles the panel agreed together at a group sort "
        "or the chosen concept-map clusters. Members' own piles stay private and are not listed.",
    )

    def __init__(self, *args: Any, supports: Iterable[SupportChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["supports"]
        field.choices = support_choices(supports)


class EditValueForm(ValueForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PrincipleForm(ProblemsMixin, forms.Form):
    """A draft principle: its wording and the values it protects."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Give the principle a title, for example: Building trust."},
    )
    key = forms.CharField(label="Key", max_length=KEY_LENGTH, required=False, help_text=KEY_HELP)
    definition = forms.CharField(
        label="Definition",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the principle asks of peer support, in a sentence or two.",
    )
    scope = forms.ChoiceField(
        label="Scope", choices=Scope.choices, initial=Scope.GENERAL, widget=forms.RadioSelect
    )
    values = AnyIntegers(
        coerce=int,
        label="Values it protects",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, values: Iterable[Value], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["values"]
        field.choices = [(v.pk, v.title) for v in values]


class EditPrincipleForm(PrincipleForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AspectForm(ProblemsMixin, forms.Form):
    """One aspect: what the principle means in practice."""

    text = forms.CharField(
        label="New aspect",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="One thing the principle means in practice, in a sentence or two.",
    )


class EditAspectForm(VersionForm):
    aspect = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(required=False)


class ThemeForm(ProblemsMixin, forms.Form):
    """A theme running across the principles."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Give the theme a title, for example: Diversity of lived experience."
        },
    )
    key = forms.CharField(label="Key", max_length=KEY_LENGTH, required=False, help_text=KEY_HELP)
    description = forms.CharField(
        label="What it means", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    applies_to = AnyIntegers(
        coerce=int,
        label="The principles it applies to",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none and it applies to every principle.",
    )

    def __init__(self, *args: Any, principles: Iterable[DraftPrinciple], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["applies_to"]
        field.choices = [(p.pk, p.title) for p in principles]


class EditThemeForm(ThemeForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
