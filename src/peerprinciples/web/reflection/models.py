"""A reflection cycle and what is written in it.

Nothing here names a person: who took part is counted by role, actions belong to a role, and
a peer worker's reply is filed under their pseudonymous code. Every row that two people can
edit carries a ``version`` that the form sends back, so a second save over someone else's
change is refused rather than lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peerprinciples.web.evaluations.models import Evaluation, PeerWorker, Round, Service
from peerprinciples.web.library.models import StoredGuide


class Cycle(models.Model):
    """One cycle of reflective learning for one service in one round."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FINISHED = "finished", "Finished"

    class Report(models.TextChoices):
        DRAFT = "draft", "Draft: open for peer workers' replies"
        RELEASED = "released", "Released"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="cycles")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cycles")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="cycles")
    guide = models.ForeignKey(StoredGuide, on_delete=models.PROTECT, related_name="cycles")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    met_on = models.DateField(null=True, blank=True, help_text="When the conversation was held.")
    # Who took part, by role and number: never by name.
    peer_workers = models.PositiveSmallIntegerField(default=0)
    people_supported = models.PositiveSmallIntegerField(default=0)
    supervisors = models.PositiveSmallIntegerField(default=0)
    managers = models.PositiveSmallIntegerField(default=0)
    others = models.PositiveSmallIntegerField(default=0)
    report_status = models.CharField(max_length=10, choices=Report.choices, default=Report.DRAFT)
    replies_until = models.DateField(
        null=True,
        blank=True,
        help_text="Peer workers can reply to the draft report at least until this day; a lead "
        "can release the report from this day on.",
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "round"], name="one_cycle_per_round")
        ]
        ordering = ["service__code", "round__number"]

    def __str__(self) -> str:
        return f"Reflection for {self.service.code} in {self.round}"

    @property
    def taking_part(self) -> int:
        """How many people took part, in all."""
        return (
            self.peer_workers
            + self.people_supported
            + self.supervisors
            + self.managers
            + self.others
        )


class Reflection(models.Model):
    """What the people taking part said about one principle (or theme): three answers."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reflections")
    principle = models.CharField(max_length=80, help_text="The principle's key.")
    principle_title = models.CharField(
        max_length=300, help_text="The principle's title when written, kept if it is renamed."
    )
    going_well = models.TextField(blank=True)
    hard = models.TextField(blank=True)
    try_next = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "principle"], name="one_reflection_each")
        ]

    def __str__(self) -> str:
        return f"{self.principle_title} in {self.cycle}"


class ConditionCheck(models.Model):
    """Whether one organisational condition of the guide holds for the service."""

    class State(models.TextChoices):
        YES = "yes", "In place"
        PARTLY = "partly", "Partly"
        NO = "no", "Not yet"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="conditions")
    condition = models.CharField(max_length=80, help_text="The condition's key in the guide.")
    state = models.CharField(max_length=8, choices=State.choices)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "condition"], name="one_check_each")
        ]

    def __str__(self) -> str:
        return f"{self.condition}: {self.state}"


class SelfAssessment(models.Model):
    """One completed self-assessment: by the team together, or by one member (a role)."""

    class Taker(models.TextChoices):
        TEAM = "team", "The team together"
        MEMBER = "member", "One member"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="self_assessments")
    taken_by = models.CharField(max_length=8, choices=Taker.choices, default=Taker.TEAM)
    role = models.CharField(
        max_length=100, blank=True, help_text="For one member: their role, never their name."
    )
    answers = models.JSONField(default=dict, help_text="statement key -> point, or null")
    notes = models.JSONField(default=dict, help_text="principle key -> free text")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Self-assessment by {self.get_taken_by_display().lower()} in {self.cycle}"


class Action(models.Model):
    """Something the service will do about a principle: what, which role, by when."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        UNDER_WAY = "under_way", "Under way"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="actions")
    principle = models.CharField(max_length=80, help_text="The principle's key.")
    principle_title = models.CharField(
        max_length=300, help_text="The principle's title when agreed, kept if it is renamed."
    )
    what = models.TextField()
    who = models.CharField(max_length=120, help_text="A role, not a person.")
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.what[:60]


class ActionReview(models.Model):
    """A later cycle's look back at an action: what happened, and kept, done or dropped."""

    class Outcome(models.TextChoices):
        KEPT = "kept", "Kept: carry on"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reviews")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reviews")
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    what_happened = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "cycle"], name="one_review_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.outcome}"


class Reply(models.Model):
    """A peer worker's reply to the draft report, filed under their code, beside what it
    answers (a principle's reflection, or the report as a whole when ``about`` is blank)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="replies")
    peer_worker = models.ForeignKey(PeerWorker, on_delete=models.CASCADE, related_name="replies")
    about = models.CharField(max_length=80, blank=True, help_text="A principle's key, or blank.")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Reply from {self.peer_worker.code} in {self.cycle}"
