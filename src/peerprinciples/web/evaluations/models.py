"""Evaluations: a study or a service's own fidelity reviews, its services, people and rounds.

Peer workers are known only by pseudonymous codes; no names are stored anywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from peerprinciples.web.library.models import StoredFramework, StoredInstrument

CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
    "Use a pseudonymous code of letters, digits, '-', '_' or '.', such as PW-014 (never a name).",
)


class Evaluation(models.Model):
    """A research study or a service review, pinned to a framework and instrument version."""

    class Kind(models.TextChoices):
        RESEARCH = "research", "Research study"
        SERVICE_REVIEW = "service_review", "Service review"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SERVICE_REVIEW)
    framework = models.ForeignKey(StoredFramework, on_delete=models.PROTECT)
    instrument = models.ForeignKey(StoredInstrument, on_delete=models.PROTECT)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    peer_workers_see_own_results = models.BooleanField(
        default=False,
        help_text="Whether peer workers with an account linked to their code may see their "
        "own results (the small-number rules still apply).",
    )
    withdrawal_keeps_anonymised = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Whether the study's protocol lets a person who withdraws choose to have "
        "their interview's ratings kept, anonymised, in the aggregate results. Erasing "
        "everything is always offered.",
    )
    results_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up whenever what the results pages show may have changed; results "
        "and rendered results kept in a cache are filed under it, so they are never stale.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def results_changed(*evaluation_ids: int) -> None:
        """Mark the results of these evaluations as changed (call inside the change's
        transaction): pages then compute and cache them afresh."""
        Evaluation.objects.filter(pk__in=evaluation_ids).update(
            results_version=models.F("results_version") + 1
        )


class Service(models.Model):
    """A site or team; evaluation data is partitioned by service."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="services")
    code = models.CharField(max_length=40, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="unique_service_code")
        ]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class PeerWorker(models.Model):
    """A peer worker, known only by a pseudonymous code."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="peer_workers"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="peer_workers")
    code = models.CharField(max_length=40, validators=[CODE_VALIDATOR])
    withdrawn = models.BooleanField(default=False, help_text="Consent withdrawn: no new data.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="unique_peer_worker_code")
        ]
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Round(models.Model):
    """A timepoint or review cycle."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="unique_round_number")
        ]
        ordering = ["number"]

    def __str__(self) -> str:
        return self.label or f"Round {self.number}"


class Membership(models.Model):
    """A person's role in one evaluation (and, for coordinators and raters, their services)."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        COORDINATOR = "coordinator", "Service coordinator"
        RATER = "rater", "Rater"
        VIEWER = "viewer", "Viewer"
        FACILITATOR = "facilitator", "Reflection facilitator"
        PEER_WORKER = "peer_worker", "Peer worker"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    services = models.ManyToManyField(Service, blank=True, related_name="memberships")
    peer_worker = models.OneToOneField(
        PeerWorker,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
        help_text="For the peer worker role: the pseudonymous code this account is linked to. "
        "The code stays the only identity in the evaluation's data.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "user"], name="one_role_per_evaluation")
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()} in {self.evaluation}"
