"""Forms for taking a numbered version and for moving the matrix to another framework version.

The move form has one choice for each principle the new version no longer has: which new
principle its cells go to, or to keep them apart. The service checks the choices against the
matrix as it is when the move is made.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

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


class ChooseFrameworkForm(forms.Form):
    """The framework version to look at moving to."""

    target = forms.ChoiceField(label="Framework version to move to")

    def __init__(self, *args: Any, choices: Iterable[tuple[str, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = list(choices)


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
