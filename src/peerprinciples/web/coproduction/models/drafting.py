"""From the map to a published framework: values, draft principles and the evidence and
piles behind them, drafting rounds with the panel's votes, and the versions published.

The research team drafts values (general, or local to a community or setting) and
principles with their aspects and cross-cutting themes, each linked to the review
categories, panel piles and concept-map clusters that support it. Drafting rounds present
the current wording of every principle, aspect and theme (a :class:`RoundStatement` keeps
the wording shown in that round); panel members rate their agreement once per round
(:class:`Ballot`, :class:`Vote`); a statement that meets the project's consensus rule is
locked; the others are reworded, and the comments answered (:class:`ChangeNote`). Closing
the last round publishes a framework version (:class:`Publication`), which never changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peerprinciples.web.coproduction.models.panel import (
    Category,
    Cluster,
    Member,
    Pile,
    Project,
)


class Scope(models.TextChoices):
    GENERAL = "general", "General: shared across peer support"
    LOCAL = "local", "Local: specific to a community or setting"


class Value(models.Model):
    """A value the project sets out to protect, with what supports it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="values")
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.GENERAL)
    community = models.CharField(
        max_length=200,
        blank=True,
        help_text="For a local value: the community or setting it belongs to.",
    )
    base_key = models.SlugField(
        max_length=80, blank=True, help_text="In an adaptation: the base framework's value."
    )
    position = models.PositiveIntegerField(default=0)
    categories = models.ManyToManyField(Category, blank=True, related_name="values")
    piles = models.ManyToManyField(Pile, blank=True, related_name="values")
    clusters = models.ManyToManyField(Cluster, blank=True, related_name="values")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="one_value_key")]
        ordering = ["project", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class DraftPrinciple(models.Model):
    """A draft principle: its wording now, and the evidence, piles and values behind it.

    ``agreed_in`` is the round in which its title and definition met the consensus rule;
    from then on the wording is locked."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="principles")
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.GENERAL)
    base_key = models.SlugField(
        max_length=80, blank=True, help_text="In an adaptation: the base framework's principle."
    )
    position = models.PositiveIntegerField(default=0)
    values = models.ManyToManyField(Value, blank=True, related_name="principles")
    categories = models.ManyToManyField(Category, blank=True, related_name="principles")
    piles = models.ManyToManyField(Pile, blank=True, related_name="principles")
    clusters = models.ManyToManyField(Cluster, blank=True, related_name="principles")
    agreed_in = models.ForeignKey(
        "DraftingRound", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="one_principle_key")]
        ordering = ["project", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class DraftAspect(models.Model):
    """One statement of what a draft principle means in practice."""

    principle = models.ForeignKey(DraftPrinciple, on_delete=models.CASCADE, related_name="aspects")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    agreed_in = models.ForeignKey(
        "DraftingRound", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["principle", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class DraftTheme(models.Model):
    """A theme that runs across the principles (such as the diversity of lived experience);
    it applies to every principle unless some are chosen."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="themes")
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    applies_to = models.ManyToManyField(DraftPrinciple, blank=True, related_name="themes")
    base_key = models.SlugField(max_length=80, blank=True)
    position = models.PositiveIntegerField(default=0)
    agreed_in = models.ForeignKey(
        "DraftingRound", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="one_theme_key")]
        ordering = ["project", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class DraftingRound(models.Model):
    """One round of rating agreement with the current wording (rounds are numbered 1, 2 …;
    at most one is open at a time). ``rule`` is the consensus rule as it was applied."""

    class Status(models.TextChoices):
        OPEN = "open", "Open for votes"
        CLOSED = "closed", "Closed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    rule = models.JSONField(help_text="The consensus rule applied in this round.")
    introduction = models.TextField(
        blank=True, help_text="What the facilitator tells the panel about this round."
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invited = models.ManyToManyField(
        Member, blank=True, related_name="invited_to_rounds", help_text="Who may vote."
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_round_number"),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(status="open"),
                name="one_open_round",
            ),
        ]
        ordering = ["project", "number"]

    def __str__(self) -> str:
        return f"Round {self.number}"


class RoundStatement(models.Model):
    """The wording of one principle (title and definition), aspect or theme as shown in one
    round. ``locked`` statements were agreed in an earlier round and are shown, not voted
    on. ``previous`` is the same statement in the round before, for the word difference.
    ``result`` keeps the numbers worked out when the round closed."""

    class Kind(models.TextChoices):
        PRINCIPLE = "principle", "Principle"
        ASPECT = "aspect", "Aspect"
        THEME = "theme", "Theme"

    round = models.ForeignKey(DraftingRound, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    principle = models.ForeignKey(
        DraftPrinciple, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    aspect = models.ForeignKey(
        DraftAspect, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    theme = models.ForeignKey(
        DraftTheme, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    locked = models.BooleanField(default=False)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next"
    )
    agreed = models.BooleanField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="principle", principle__isnull=False)
                    | models.Q(kind="aspect", aspect__isnull=False)
                    | models.Q(kind="theme", theme__isnull=False)
                ),
                name="statement_has_its_target",
            )
        ]
        ordering = ["round", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.round}: {self.text[:50]}"


class Ballot(models.Model):
    """One member's votes in one round, handed in once (a second ballot is refused)."""

    round = models.ForeignKey(DraftingRound, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="ballots")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="one_ballot_per_round")
        ]
        ordering = ["round", "submitted_at"]

    def __str__(self) -> str:
        return f"{self.member} in {self.round}"


class Vote(models.Model):
    """A member's agreement with one statement (empty when they chose not to rate it) and
    their comment, which others read without knowing whose it is."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(RoundStatement, on_delete=models.CASCADE, related_name="votes")
    rating = models.SmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "statement"], name="one_vote_per_statement")
        ]

    def __str__(self) -> str:
        return f"{self.ballot.member} rated {self.rating}"


class ChangeNote(models.Model):
    """ "What we changed and why": the research team's answer to a closed round's comments
    and result for one statement, which the panel reads before the next round."""

    statement = models.OneToOneField(
        RoundStatement, on_delete=models.CASCADE, related_name="change_note"
    )
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.text[:60]


class Publication(models.Model):
    """A framework version the project published: stored in the library, never changed (a
    correction is a new version). ``instrument`` is the fidelity index stored with it, if
    any, so that new evaluations can pin it."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="publications")
    framework = models.OneToOneField(
        "library.StoredFramework", on_delete=models.PROTECT, related_name="publication"
    )
    instrument = models.ForeignKey(
        "library.StoredInstrument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    adaptation = models.JSONField(
        null=True, blank=True, help_text="For an adaptation: the document of changes it records."
    )
    methods = models.TextField(help_text="The generated methods summary.")
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["project", "-published_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} published {self.framework}"
