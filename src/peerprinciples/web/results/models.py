"""Stored results: what the results pages show, worked out when the data change.

A refresh (:mod:`peerprinciples.web.results.store`) works out every summary of an evaluation
and its quality checks, and stores them here: one :class:`StoredResults` row per page scope
(the whole evaluation, each service, each peer worker, the quality checks) holding what the
pages need as JSON, and one :class:`ResultsState` row saying which ``results_version`` of the
evaluation they describe and when they were brought up to date.
"""

from __future__ import annotations

from django.db import models

from peerprinciples.web.evaluations.models import Evaluation


class ResultsState(models.Model):
    """How up to date an evaluation's stored results are."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.IntegerField(
        default=-1,
        help_text="The evaluation's results_version the stored results were worked out at "
        "(-1: nothing stored yet).",
    )
    layout = models.PositiveIntegerField(
        default=0,
        help_text="The form of the stored data and the small-number thresholds they were "
        "worked out under; results stored otherwise are worked out again, not misread.",
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    requested = models.IntegerField(
        default=-1,
        help_text="The highest results_version a refresh has been queued for, so that "
        "many readers of stale results queue one refresh, not one each.",
    )
    requested_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"results of evaluation {self.evaluation_id} at version {self.version}"


class StoredResults(models.Model):
    """What one results page needs for one scope, as JSON."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(
        max_length=40,
        help_text="'evaluation', 'others', 'quality', 'service:<id>' or 'peer_worker:<id>'.",
    )
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "scope"], name="unique_results_scope")
        ]

    def __str__(self) -> str:
        return f"{self.scope} of evaluation {self.evaluation_id}"
