"""Forms for taking a numbered version and for moving the matrix to another framework version.

The move form has one choice for each principle the new version no longer has: which new
principle its cells go to, or to keep them apart. The service checks the choices against the
matrix as it is when the move is made.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from peerprinciples.core.frameworks import Principle
from peerprinciples.web.evaluations.forms import ProblemsMixin
from peerprinciples.web.practice.services.versions import NOTE_LENGTH

KEEP_APART = ""
"""The choice that leaves a principle's cells where they are, shown apart."""

MOVE_PREFIX = "move-"


class TakeVersionForm(ProblemsMixin, forms.Form):
    """Keep the matrix as it is now as the next numbered version."""

    note = forms.CharField(
        required=False,
        max_length=NOTE_LENGTH,
        label="What changed since the last version",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A sentence or two for the people who will read the handbook issued from it.",
    )


class FrameworkChoiceField(forms.ChoiceField):
    """A stored framework version other than the one the matrix follows; a link or an old
    page naming the version in use, or none stored, is told which it is."""

    default_error_messages = {
        "invalid_choice": "There is no stored framework version '%(value)s': choose one from "
        "the list.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current: tuple[str, str] | None = None
        """The version the matrix follows: its number as a choice, and ``key@version``."""

    def validate(self, value: Any) -> None:
        if self.current is not None and value == self.current[0]:
            raise ValidationError(
                f"The matrix already follows {self.current[1]}.", code="current_version"
            )
        super().validate(value)


class ChooseFrameworkForm(forms.Form):
    """The framework version to look at moving to."""

    target = FrameworkChoiceField(label="Framework version to move to")

    def __init__(
        self,
        *args: Any,
        choices: Iterable[tuple[str, str]] = (),
        current: tuple[str, str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        target: Any = self.fields["target"]
        target.choices = list(choices)
        target.current = current


class MoveFrameworkForm(ChooseFrameworkForm):
    """The move itself: the version, the programme's version seen, and where each principle
    that is not in the new version takes its cells."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self,
        *args: Any,
        leaving: Iterable[tuple[str, str]] = (),
        arriving: Iterable[Principle] = (),
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["target"].widget = forms.HiddenInput()
        places = [(KEEP_APART, "Keep them apart, where they are")] + [
            (p.key, f"Move them to “{p.title}”") for p in arriving
        ]
        for key, title in leaving:
            self.fields[MOVE_PREFIX + key] = forms.ChoiceField(
                choices=places,
                required=False,
                label=f"Where the cells of “{title}” go",
            )

    def moves(self) -> dict[str, str]:
        """The chosen moves, old key to new key (principles kept apart are left out)."""
        return {
            name.removeprefix(MOVE_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(MOVE_PREFIX) and value != KEEP_APART
        }
