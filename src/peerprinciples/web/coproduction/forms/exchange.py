"""Forms of the RCMap exchange: the four files in, and the choice made on the preview."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from io import BytesIO
from pathlib import PurePosixPath
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
        error_messages={
            "required": f"Choose the {STATEMENTS} file, or give all the files in one zip in "
            "the form above."
        },
    )
    sorted_cards = forms.FileField(
        label="Sorted cards file",
        help_text=f"{SORTED_CARDS}: no header; a row per pile: sorter code, pile label, "
        "then the numbers of the statements in it.",
        error_messages={
            "required": f"Choose the {SORTED_CARDS} file, or give all the files in one zip in "
            "the form above."
        },
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


ZIP_MEMBERS = {
    "statements": STATEMENTS,
    "sorted_cards": SORTED_CARDS,
    "ratings": RATINGS,
    "demographics": DEMOGRAPHICS,
}
"""The files a zip of an RCMap study holds, by the form field each stands for."""
REQUIRED_MEMBERS = ("statements", "sorted_cards")


class RCMapArchiveForm(forms.Form):
    """RCMap's files in one zip, as this page's export writes them (or as a person zips an
    RCMap folder: a name may carry RCMap's prefix, such as ``study_Statements.csv``)."""

    archive = forms.FileField(
        label="The study's files in one zip",
        help_text=f"A zip holding {STATEMENTS} and {SORTED_CARDS}, and {RATINGS} and "
        f"{DEMOGRAPHICS} if the study has them: the zip the export below writes is one.",
    )

    def clean_archive(self) -> Any:
        upload = self.cleaned_data["archive"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The zip is {upload.size / 1e6:.0f} MB; up to "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB is taken. Check that it is the right file."
            )
        content = upload.read()
        try:
            archive = zipfile.ZipFile(BytesIO(content))
        except zipfile.BadZipFile:
            raise forms.ValidationError(
                f"{upload.name} is not a zip archive. Choose the zip the export wrote, or give "
                "the files one by one in the form below."
            ) from None
        self.found = _members(upload.name, archive)
        return upload

    def files_read(self) -> tuple[RCMapFiles, dict[str, str]]:
        """The files' bytes, and their names in the zip (call after is_valid)."""
        contents = {field: content for field, (_, content) in self.found.items()}
        names = {
            field: f"{self.cleaned_data['archive'].name}: {name}"
            for field, (name, _) in self.found.items()
        }
        files = RCMapFiles(
            contents["statements"],
            contents["sorted_cards"],
            contents.get("ratings"),
            contents.get("demographics"),
        )
        return files, names


def _members(zip_name: str, archive: zipfile.ZipFile) -> dict[str, tuple[str, bytes]]:
    """The zip's RCMap files by form field: each found by the end of its name, in any case
    and in any folder (folders a system adds, such as ``__MACOSX``, left aside)."""
    entries = [
        entry
        for entry in archive.infolist()
        if not entry.is_dir() and not entry.filename.startswith("__MACOSX/")
    ]
    listed = ", ".join(entry.filename for entry in entries) or "nothing"
    found: dict[str, tuple[str, bytes]] = {}
    problems = []
    for field, expected in ZIP_MEMBERS.items():
        matches = [
            entry
            for entry in entries
            if PurePosixPath(entry.filename).name.casefold().endswith(expected.casefold())
        ]
        if len(matches) > 1:
            names = " and ".join(entry.filename for entry in matches)
            problems.append(
                f"{zip_name} holds two files that could be {expected} ({names}): keep one."
            )
        elif not matches:
            if field in REQUIRED_MEMBERS:
                problems.append(
                    f"{zip_name} has no {expected} (it holds {listed}). Add it to the zip, or "
                    "give the files one by one in the form below."
                )
        elif matches[0].file_size > MAX_FILE_BYTES:
            problems.append(
                f"{matches[0].filename} in {zip_name} unpacks to "
                f"{matches[0].file_size / 1e6:.0f} MB; files up to "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB are taken."
            )
        else:
            found[field] = (matches[0].filename, archive.read(matches[0]))
    if problems:
        raise forms.ValidationError(problems)
    return found


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
