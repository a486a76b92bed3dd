"""Forms for the programme's own handbook sections."""

from __future__ import annotations

from typing import Any

from django import forms

from peerprinciples.web.evaluations.forms import ProblemsMixin
from peerprinciples.web.practice.services.handbook import after_choices


class SectionForm(ProblemsMixin, forms.Form):
    """A section of the programme's own: its title, its text and where it goes."""

    title = forms.CharField(
        max_length=200,
        label="Title",
        error_messages={"required": "Give the section a title, such as “Who to contact”."},
    )
    body = forms.CharField(
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Text",
        help_text="Leave a blank line between paragraphs. Lines starting with “- ” make a list.",
    )
    after = forms.ChoiceField(label="Where it goes in the handbook", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["after"].choices = after_choices()  # type: ignore[attr-defined]


class EditSectionForm(SectionForm):
    """Changing a section, at the version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VersionForm(forms.Form):
    """Deleting a section, at the version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
