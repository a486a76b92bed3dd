"""The confirmation of an erasure: the code typed again, and the version the page showed."""

from __future__ import annotations

from typing import Any

from django import forms


class EraseForm(forms.Form):
    """Confirm an erasure by typing the code of what goes.

    Typing the code, rather than ticking a box, makes a slip on the wrong interview or
    peer worker unlikely: the code is on the page, and nothing is erased unless it matches.
    """

    typed = forms.CharField(
        max_length=60,
        label="Type the code to confirm",
        error_messages={"required": "Type the code shown above to confirm the erasure."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.code = code
        self.fields["typed"].help_text = f"Type {code} exactly as it is written here."
        self.fields["typed"].widget.attrs["autocomplete"] = "off"

    def clean_typed(self) -> str:
        typed = str(self.cleaned_data["typed"]).strip()
        if typed != self.code:
            raise forms.ValidationError(
                f"The code typed, {typed!r}, is not {self.code}: nothing was erased. Type the "
                "code exactly, capitals and hyphens included."
            )
        return typed

    @property
    def expected_version(self) -> int:
        """The version the page was opened at; a missing one counts as out of date."""
        version = self.cleaned_data.get("version")
        return version if isinstance(version, int) else -1
