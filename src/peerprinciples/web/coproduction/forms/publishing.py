"""The form for publishing a framework version: its title, summary and version, and what
evaluations will use with it. The form reads what is typed; the service checks the rest
(nothing open or unagreed, the version free, the instrument fitting the framework)."""

from __future__ import annotations

from typing import Any

from django import forms

from peerprinciples.web.coproduction.services.publishing_store import (
    NO_INSTRUMENT,
    STARTER_INDEX,
    VERSION_LENGTH,
)
from peerprinciples.web.evaluations.forms import ProblemsMixin


class PublishForm(ProblemsMixin, forms.Form):
    """Publish the agreed wording as one framework version."""

    title = forms.CharField(
        max_length=300,
        label="Title of the framework",
        help_text="As it will be cited, for example: Principles for peer support in our service.",
    )
    summary = forms.CharField(
        required=False,
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A few sentences on what the framework is for and who made it.",
    )
    version = forms.CharField(
        max_length=VERSION_LENGTH,
        label="Version",
        help_text="Suggested as the next after the versions already published under this key. "
        "A published version never changes: a correction is published as a new version.",
    )
    instrument = forms.ChoiceField(
        widget=forms.RadioSelect,
        label="How will evaluations use it?",
        help_text="An evaluation pins one fidelity index (instrument) version, and an index "
        "belongs to one framework version.",
    )

    def __init__(self, *args: Any, carryable: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (NO_INSTRUMENT, "No instrument for now (evaluations cannot pin it yet)"),
            (
                STARTER_INDEX,
                "A starter index drafted from the aspects: one domain per principle and one "
                "item per aspect. A draft, not yet tested: review and pilot it before use.",
            ),
        ]
        choices += [
            (
                f"carry-{entry.stored.pk}",
                f"Carry over {entry.stored.title} ({entry.stored.ref}): the same questions, "
                "pinned to the new version",
            )
            for entry in carryable
            if not entry.reason
        ]
        self.fields["instrument"].choices = choices
        self.fields["instrument"].initial = NO_INSTRUMENT
