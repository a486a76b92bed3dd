"""Forms of the RCMap exchange: the four files in, and the choice made on the preview."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from peerprinciples.core.coproduction.rcmap import DEMOGRAPHICS, RATINGS, SORTED_CARDS, STATEMENTS
from peerprinciples.web.coproduction.services.exchange import NO_GROUP, RCMapFiles

MAX_FILE_BYTES = 20 * 1024 * 1024
"""The largest file taken: RCMap files of a study of hundreds of people are well below it."""


class RCMapFilesForm(forms.Form):
    """RCMap's files: Statements and SortedCards always; Ratings and Demographics if kept."""

    statements = forms.FileField(
        label="Statements file",
        help_text=f"{STATEMENTS}: StatementID,Statement and a row per statement.",
    )
    sorted_cards = forms.FileField(
        label="Sorted cards file",
        help_text=f"{SORTED_CARDS}: no header; a row per pile: sorter code, pile label, "
        "then the numbers of the statements in it.",
    )
    ratings = forms.FileField(
        required=False,
        label="Ratings file",
        help_text=f"{RATINGS}: RaterID,StatementID and a column per rating question.",
    )
    demographics = forms.FileField(
        required=False,
        label="Demographics file",
        help_text=f"{DEMOGRAPHICS}: RaterID and a column per question about the people.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, upload in data.items():
            if upload is not None and upload.size > MAX_FILE_BYTES:
                self.add_error(
                    name,
                    f"The file is {upload.size / 1e6:.0f} MB; files up to "
                    f"{MAX_FILE_BYTES // 1024 // 1024} MB are taken. Check that it is the "
                    "right file.",
                )
        return data

    def files_read(self) -> tuple[RCMapFiles, dict[str, str]]:
        """The files' bytes, and the names they were uploaded as (call after is_valid)."""
        data = self.cleaned_data

        def content(name: str) -> bytes | None:
            upload = data.get(name)
            return None if upload is None else upload.read()

        names = {
            name: data[name].name
            for name in ("statements", "sorted_cards", "ratings", "demographics")
            if data.get(name)
        }
        files = RCMapFiles(
            content("statements") or b"",
            content("sorted_cards") or b"",
            content("ratings"),
            content("demographics"),
        )
        return files, names


class GroupChoiceForm(forms.Form):
    """Which Demographics question gives each person's group, on the preview."""

    group_question = forms.ChoiceField(
        widget=forms.RadioSelect,
        required=False,
        label="Which question splits the results into groups?",
        help_text="Ratings are shown for everyone and for each answer to this question "
        "(for example each stakeholder group). Every answer is kept with the person either way.",
    )

    def __init__(self, *args: Any, questions: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["group_question"]
        field.choices = [*questions, (NO_GROUP, "None: show results for everyone only")]
