"""A peer support programme's practice matrix: principles × areas of implementation.

A *programme* is one or more services putting a framework version into practice. Its matrix
has a row for every principle of that version and a column for every area (role description,
recruitment, supervision and the rest); each cell says how the principle shows in the area.
Cells are keyed by the principle's key, so a matrix survives a move to a new framework
version: a renamed principle's cells follow it, and a principle the new version no longer has
keeps its cells, shown apart until someone decides what to do with them.

Nobody is named: members are accounts with a role, a cell's holder is a role. Every row two
people can edit carries a ``version`` that the form sends back, so a second save over someone
else's change is refused rather than lost. Every change is written to the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peerprinciples.core.practice.matrix import LEVEL_LABELS, STATUS_LABELS
from peerprinciples.web.evaluations.models import Service
from peerprinciples.web.library.models import StoredFramework
from peerprinciples.web.reflection.models import Action as ReflectionAction


class Programme(models.Model):
    """A peer support programme and the framework version it puts into practice."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    framework = models.ForeignKey(StoredFramework, on_delete=models.PROTECT, related_name="+")
    services = models.ManyToManyField(
        Service,
        blank=True,
        related_name="programmes",
        help_text="The evaluation services it covers: their fidelity results and reflection "
        "actions are shown beside the matrix.",
    )
    shares_matrix = models.BooleanField(
        default=False,
        help_text="Other programmes that share theirs may see this matrix side by side with "
        "their own (never ranked).",
    )
    synthetic = models.BooleanField(
        default=False, help_text="Made-up data for trying the application out."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class ProgrammeMember(models.Model):
    """Someone working on a programme's matrix."""

    class Role(models.TextChoices):
        LEAD = "lead", "Programme lead"
        CONTRIBUTOR = "contributor", "Contributor"
        READER = "reader", "Reader"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programme_memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CONTRIBUTOR)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user"], name="one_membership_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.programme}"


LEVEL_CHOICES = [(level.value, label) for level, label in LEVEL_LABELS.items()]
STATUS_CHOICES = [("", "Not looked at yet")] + [
    (status.value, label) for status, label in STATUS_LABELS.items()
]


class Area(models.Model):
    """One area of implementation in a programme: a column of the matrix."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    level = models.CharField(max_length=20, choices=LEVEL_CHOICES)
    built_in = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["programme", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="unique_area_key")]

    def __str__(self) -> str:
        return self.title


class Cell(models.Model):
    """How one principle (by key) shows in one area of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cells")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="cells")
    principle = models.SlugField(max_length=80, help_text="The principle's key.")
    text = models.TextField(blank=True, help_text="How the principle shows in this area.")
    evidence = models.TextField(blank=True, help_text="Examples or evidence that it does.")
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, blank=True)
    why = models.TextField(blank=True, help_text="Why it has this status.")
    holder = models.CharField(
        max_length=120, blank=True, help_text="Who holds it: a role, never a person's name."
    )
    actions = models.ManyToManyField(
        ReflectionAction,
        blank=True,
        related_name="practice_cells",
        help_text="Actions from reflection cycles that work on this cell.",
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "area__position", "principle"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "principle"], name="one_cell_per_area_principle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.principle} × {self.area.key}"


class Prompt(models.Model):
    """A programme's own prompt for a cell, beside or instead of the built-in one."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="prompts")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="prompts")
    principle = models.SlugField(max_length=80)
    text = models.TextField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "principle"], name="one_prompt_per_cell")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Section(models.Model):
    """A handbook section the programme writes itself (local arrangements, contacts)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    after = models.SlugField(
        max_length=80, blank=True, help_text="The handbook section it follows (blank: at the end)."
    )
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="unique_section_key")
        ]

    def __str__(self) -> str:
        return self.title


class Snapshot(models.Model):
    """A numbered version of the matrix, kept as it was: what a handbook is issued from."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="snapshots")
    number = models.PositiveIntegerField()
    framework = models.ForeignKey(StoredFramework, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, help_text="What changed since the last version.")
    document = models.JSONField(help_text="The matrix (core Matrix) as it was.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="unique_snapshot_number")
        ]

    def __str__(self) -> str:
        return f"{self.programme} version {self.number}"
