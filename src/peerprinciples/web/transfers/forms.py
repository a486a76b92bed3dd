"""Forms of the import and export pages; the services check everything else."""

from __future__ import annotations

from typing import Any

from django import forms

from peerprinciples.web.evaluations.forms import ProblemsMixin
from peerprinciples.web.transfers.exports import KINDS
from peerprinciples.web.transfers.models import ImportBatch


class ImportForm(ProblemsMixin, forms.Form):
    """Upload a ratings file to check."""

    file = forms.FileField(
        label="Ratings file",
        help_text="CSV (UTF-8) or XLSX in the long or wide ratings layout; a REDCap records "
        "export (CSV, raw data); FHIR QuestionnaireResponses (JSON or NDJSON); or an ODK "
        "Central or KoboToolbox export (CSV or XLSX).",
    )
    format = forms.ChoiceField(
        choices=ImportBatch.Format.choices,
        initial=ImportBatch.Format.AUTO,
        widget=forms.RadioSelect,
        label="What kind of file is it?",
    )
    as_importer = forms.BooleanField(
        required=False,
        label="Record every rating as mine",
        help_text="For files whose raters have no account here (such as paper forms typed "
        "in): each interview is then recorded as rated by you alone, whatever the file's "
        "rater column says. Leave it unticked to keep each rater's own ratings; the raters "
        "must then be members who rate for the interview's service.",
    )


class ExportForm(ProblemsMixin, forms.Form):
    """Choose a download; leads may add raters' notes."""

    kind = forms.ChoiceField(
        choices=[(key, kind.label) for key, kind in KINDS.items()],
        initial="long",
        widget=forms.RadioSelect,
        label="What to download",
    )
    include_notes = forms.BooleanField(
        required=False,
        label="Include raters' free-text notes",
        help_text="Notes may say more about people than the ratings do. Add them only when "
        "the analysis needs them, and keep the file as safely as the notes require.",
    )

    def __init__(self, *args: Any, notes_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not notes_allowed:
            del self.fields["include_notes"]
