"""Interviews and their ratings: one or two independent rating sheets, then consensus.

A second rater cannot see the first rater's sheet until both are final. Every row that can
be edited carries a ``version`` that a form sends back, so a stale form never overwrites
someone else's change silently.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peerprinciples.web.evaluations.models import Evaluation, PeerWorker, Round, Service


class Interview(models.Model):
    """One informant, about one peer worker's support (or a service), in one round."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Being rated"
        RATED = "rated", "Rated by one of two raters"
        CONSENSUS = "consensus", "Waiting for consensus"
        FINAL = "final", "Final"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="interviews")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="interviews")
    peer_worker = models.ForeignKey(
        PeerWorker, on_delete=models.PROTECT, null=True, blank=True, related_name="interviews"
    )
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="interviews")
    informant = models.CharField(max_length=60)
    date = models.DateField(null=True, blank=True)
    code = models.CharField(max_length=60, help_text="A reference for the interview, e.g. I-0042.")
    double_rated = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Consent: the day it was recorded and the uses it covers (see CONSENT_USES). The
    # database fills the defaults too, so bulk writers that name their columns need not.
    consent_date = models.DateField(null=True, blank=True)
    consent_evaluation = models.BooleanField(default=False, db_default=False)
    consent_quotation = models.BooleanField(default=False, db_default=False)
    consent_sharing = models.BooleanField(default=False, db_default=False)
    anonymised = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Withdrawn, with its ratings kept in aggregates only: no peer worker, no "
        "date, a neutral reference, no notes. Never shown on its own again.",
    )

    CONSENT_USES = {
        "evaluation": "Evaluation: the ratings count in the results",
        "quotation": "Quotation: what was said may be quoted, without a name",
        "sharing": "Sharing: the anonymised data may be shared with other researchers",
    }
    """The uses consent can cover, by key (the field is ``consent_<key>``), as people read
    them."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="unique_interview_code")
        ]
        indexes = [
            models.Index(fields=["evaluation", "service", "round"]),
            # The interview list: an evaluation's interviews, newest first, a page at a time.
            models.Index(fields=["evaluation", "-date", "code"], name="interview_list_order"),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code

    @property
    def raters_needed(self) -> int:
        """How many rating sheets the interview takes: two when double-rated, else one."""
        return 2 if self.double_rated else 1

    @property
    def consent_uses(self) -> list[str]:
        """The keys of the uses the recorded consent covers, in :data:`CONSENT_USES` order."""
        return [use for use in self.CONSENT_USES if getattr(self, f"consent_{use}")]


class RatingSheet(models.Model):
    """One rater's independent ratings of an interview."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="sheets")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rating_sheets"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interview", "rater"], name="one_sheet_per_rater")
        ]

    def __str__(self) -> str:
        return f"{self.interview} by {self.rater}"


class Rating(models.Model):
    """One item's rating on a sheet: a point of the scale or a special code."""

    sheet = models.ForeignKey(RatingSheet, on_delete=models.CASCADE, related_name="ratings")
    item = models.CharField(max_length=60)
    value = models.SmallIntegerField(null=True, blank=True)
    code = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="one_rating_per_item"),
            models.CheckConstraint(
                condition=(models.Q(value__isnull=True) | models.Q(code="")),
                name="value_or_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} = {self.value if self.value is not None else self.code}"


class ConsensusRating(models.Model):
    """The agreed rating of a double-rated item, and why where it differs from both raters."""

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="consensus_ratings"
    )
    item = models.CharField(max_length=60)
    value = models.SmallIntegerField(null=True, blank=True)
    code = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interview", "item"], name="one_consensus_per_item")
        ]

    def __str__(self) -> str:
        return f"agreed {self.item} = {self.value if self.value is not None else self.code}"


class InterviewScore(models.Model):
    """Scores computed by the core for a final interview, cached for dashboards and reports."""

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="score")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    peer_worker = models.ForeignKey(
        PeerWorker, on_delete=models.CASCADE, null=True, related_name="+"
    )
    informant = models.CharField(max_length=60)
    domains = models.JSONField(help_text="domain key -> score, or null when not scorable")
    total = models.FloatField(null=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["evaluation", "service", "round", "informant"])]

    def __str__(self) -> str:
        return f"scores of interview {self.interview_id}"
