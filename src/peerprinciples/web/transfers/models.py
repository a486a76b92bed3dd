"""Import batches: one uploaded ratings file, checked against an evaluation and maybe saved.

A batch remembers the file's name and SHA-256 digest, so the same file is never saved twice
into the same evaluation (a database constraint holds even against two saves at once), and
what the check found, so the preview page can show it without reading the file again. The
uploaded file itself is kept only until the batch is saved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peerprinciples.web.evaluations.models import Evaluation


class ImportBatch(models.Model):
    """One uploaded ratings file for one evaluation."""

    class Status(models.TextChoices):
        PROBLEMS = "problems", "Has problems to put right"
        READY = "ready", "Checked, ready to save"
        SAVED = "saved", "Saved"

    class Format(models.TextChoices):
        AUTO = "auto", "Ratings table, long or wide (CSV or XLSX)"
        LONG = "long", "Ratings table, long layout (CSV or XLSX)"
        WIDE = "wide", "Ratings table, wide layout (CSV or XLSX)"
        REDCAP = "redcap", "REDCap records export (CSV, raw data)"
        FHIR = "fhir", "FHIR QuestionnaireResponses (JSON or NDJSON)"
        XLSFORM = "xlsform", "ODK Central or KoboToolbox export (CSV or XLSX)"

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="import_batches"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField(help_text="Bytes.")
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.AUTO)
    as_importer = models.BooleanField(
        default=False, help_text="Every rating is recorded as the importing person's."
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    rows = models.PositiveIntegerField(default=0, help_text="Ratings in the file.")
    interviews_created = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, help_text="Counts and the problems listed.")
    stored_name = models.CharField(
        max_length=120, blank=True, help_text="The upload in the import folder, until saved."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "sha256"],
                condition=models.Q(status="saved"),
                name="one_saved_import_per_file",
            )
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
