"""The form for publishing a framework version: its title, summary and version, and what
evaluations will use with it. The form reads what is typed; the service checks the rest
(nothing open or unagreed, the version free, the instrument fitting the framework)."""

from __future__ import annotations

from typing import Any

from django import forms

from peerprinciples.web.coproduction.services.publishing_guides import (
    CARRY_GUIDE_PREFIX,
    NO_GUIDE,
    STARTER_GUIDE,
)
from peerprinciples.web.coproduction.services.publishing_store import (
    NO_INSTRUMENT,
    STARTER_INDEX,
    VERSION_LENGTH,
)
from peerprinciples.web.coproduction.services.revision import REASON_LENGTH
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

    guide = forms.ChoiceField(
        widget=forms.RadioSelect,
        required=False,
        label="Which reflection guide will reflection cycles follow?",
        help_text="A reflection cycle follows a stored guide, and a guide follows one framework "
        "version.",
    )

    def __init__(self, *args: Any, carryable: Any = (), guides: Any = (), **kwargs: Any) -> None:
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
        guide_choices = [
            (
                STARTER_GUIDE,
                "A starter guide drafted from the wording: three questions for each principle "
                "and theme, and a self-assessment from the aspects. A draft: reword it with "
                "the peer workers before the first cycle.",
            ),
            (NO_GUIDE, "No reflection guide for now"),
        ]
        guide_choices += [
            (
                f"{CARRY_GUIDE_PREFIX}{entry.stored.pk}",
                f"Carry over {entry.stored.title} ({entry.stored.ref}): the same questions, "
                "following the new version",
            )
            for entry in guides
            if not entry.reason
        ]
        self.fields["guide"].choices = guide_choices
        self.fields["guide"].initial = STARTER_GUIDE

    def clean_guide(self) -> str:
        """No choice sent (an older form) means no guide."""
        return str(self.cleaned_data.get("guide") or NO_GUIDE)


class ReopenForm(ProblemsMixin, forms.Form):
    """Reopen agreed wording so that a correction can be agreed and published as a new
    version."""

    statements = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Agreed wording to reopen",
        help_text="Each one can be reworded again, and goes to the panel in the next round.",
    )
    reason = forms.CharField(
        max_length=REASON_LENGTH,
        label="Why does it need correcting?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit log with the round it had been agreed in. Tell the panel "
        "too, in the next round's introduction.",
    )

    def __init__(self, *args: Any, agreed: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statements"].choices = [
            (
                entry.choice,
                f"{entry.kind.capitalize()}: {entry.text} (agreed in round {entry.round_number})",
            )
            for entry in agreed
        ]
