"""A co-production project and what its panel puts into it: evidence, cards, sorts, maps.

A project gathers the evidence of a literature review (sources, codes in categories,
quotations), the cards its panel members write in answer to one framing question, the
piles those cards are sorted into (at a meeting, and by each member online), ratings of the
statements, and the concept maps drawn from the sorts.

People appear by a pseudonymous code (``Member.code``). A member may have an account, or
be someone who took part on paper or in a study imported from RCMap files, with no account
at all. Every row two people can edit carries a ``version`` that forms send back, so a
second save over someone else's change is refused rather than lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Project(models.Model):
    """One co-production project: a framing question and the people answering it."""

    class Stage(models.TextChoices):
        SETTING_UP = "setting_up", "Setting up"
        EVIDENCE = "evidence", "Reviewing the evidence"
        CARDS = "cards", "Writing cards"
        SORTING = "sorting", "Sorting the cards"
        RATING = "rating", "Rating the statements"
        MAPPING = "mapping", "Reading the concept map"
        VALUES = "values", "Agreeing the values"
        DRAFTING = "drafting", "Mapping and drafting the principles"
        ROUNDS = "rounds", "Drafting rounds"
        PUBLISHED = "published", "Published"

    class Kind(models.TextChoices):
        NEW = "new", "A new framework"
        ADAPTATION = "adaptation", "A local adaptation of a published framework"

    name = models.CharField(max_length=200)
    framing_question = models.TextField(
        help_text="The one question every panel member answers on their cards."
    )
    description = models.TextField(blank=True)
    cards_per_member = models.PositiveSmallIntegerField(
        default=5, help_text="How many cards each member may write."
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SETTING_UP)
    synthetic = models.BooleanField(
        default=False, help_text="Made-up data for trying the application out."
    )
    last_card_number = models.PositiveIntegerField(
        default=0, help_text="The highest card number given so far: a number is never given twice."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    # What the project publishes: a new framework, or an adaptation of a stored one.
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEW)
    base_framework = models.ForeignKey(
        "library.StoredFramework",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adaptation_projects",
        help_text="For a local adaptation: the published framework version it starts from.",
    )
    language = models.CharField(
        max_length=20,
        blank=True,
        help_text="For a translation of the base framework: the language its wording is in "
        "(a code such as cy for Welsh). Empty: the base framework's own language.",
    )
    framework_key = models.SlugField(
        max_length=80,
        blank=True,
        help_text="The key the published framework is stored under (e.g. 'our-principles').",
    )
    # The consensus rule of the drafting rounds, set before the first round opens and then
    # applied unchanged to every round (each round also keeps a copy of the rule it used).
    scale_low = models.SmallIntegerField(default=1)
    scale_high = models.SmallIntegerField(default=9)
    agree_from = models.SmallIntegerField(
        default=7, help_text="Ratings from this point to the top of the scale count as agreeing."
    )
    disagree_to = models.SmallIntegerField(
        default=3, help_text="Ratings from the bottom of the scale to this point disagree."
    )
    min_share_percent = models.PositiveSmallIntegerField(
        default=75, help_text="The share of ratings that must agree, in percent."
    )
    min_median = models.FloatField(default=7, help_text="The lowest median that can agree.")

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """Someone taking part in a project, known by a pseudonymous code.

    ``user`` is empty for people who took part without an account (cards written on paper,
    sorters imported from RCMap files). ``perspective`` is the member's own description of
    what they bring, in their own words and never a diagnosis; ``lived_experience`` is
    what they chose to say about bringing lived experience (empty when they did not say).
    """

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", "Facilitator"
        PANEL = "panel", "Panel member"
        RESEARCH = "research", "Research team member"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coproduction_memberships",
    )
    code = models.CharField(max_length=40, help_text="A pseudonymous code, never a name.")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PANEL)
    decides = models.BooleanField(
        default=False, help_text="Takes part in the project's decisions (signs off each stage)."
    )
    group = models.CharField(
        max_length=100,
        blank=True,
        help_text="The stakeholder group results are split by (e.g. peer worker, researcher).",
    )
    details = models.JSONField(
        default=dict, blank=True, help_text="Answers to descriptive questions (RCMap demographics)."
    )
    perspective = models.TextField(blank=True)
    lived_experience = models.BooleanField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="one_member_per_code"),
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=models.Q(user__isnull=False),
                name="one_membership_per_account",
            ),
        ]
        ordering = ["project", "code"]

    def __str__(self) -> str:
        return self.code


# --- the literature review ---


class Source(models.Model):
    """A paper, report or other document the review coded."""

    class Kind(models.TextChoices):
        PEER_REVIEWED = "peer_reviewed", "Peer-reviewed"
        GREY = "grey", "Grey literature"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    key = models.CharField(max_length=100, help_text="The identifier in the imported file.")
    citation = models.TextField()
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PEER_REVIEWED)
    doi = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="one_source_key")]
        ordering = ["project", "key"]

    def __str__(self) -> str:
        return self.citation


class Category(models.Model):
    """A group of codes (the paper's Figure 1 shows one bar each)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="categories")
    key = models.CharField(max_length=100)
    label = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="one_category_key")]
        ordering = ["project", "label"]

    def __str__(self) -> str:
        return self.label


class Code(models.Model):
    """A code of the review, in at most one category (and perhaps under another code)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="codes")
    key = models.CharField(max_length=100)
    label = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="codes"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text="The code this one sits under, when a codebook nests codes below a "
        "category; kept so a codebook written back nests as it came in.",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="one_code_key")]
        ordering = ["project", "label"]

    def __str__(self) -> str:
        return self.label


class Quotation(models.Model):
    """A passage of a source and the codes applied to it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="quotations")
    key = models.CharField(max_length=100)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="quotations")
    codes = models.ManyToManyField(Code, related_name="quotations")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="one_quotation_key")]
        ordering = ["project", "key"]

    def __str__(self) -> str:
        return f"Quotation {self.key}"


# --- the panel's cards ---


class Card(models.Model):
    """One statement written in answer to the framing question.

    Other members see only its number and text. ``merged_into`` marks a duplicate merged
    into another card, with what the author said when asked (``merge_agreement``); a merged
    card is kept, not deleted, so the trail stays whole.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cards")
    number = models.PositiveIntegerField(help_text="Shown to everyone: card 1, card 2, ...")
    text = models.TextField()
    author = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="cards"
    )
    from_paper = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    merge_agreement = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_card_number")
        ]
        ordering = ["project", "number"]

    def __str__(self) -> str:
        return f"Card {self.number}"


# --- sorting ---


class GroupSort(models.Model):
    """The piles a panel agreed together at a meeting, as the facilitator recorded them."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="group_sorts")
    title = models.CharField(max_length=200, default="Group sort")
    held_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["project", "held_on", "pk"]

    def __str__(self) -> str:
        return self.title


class IndividualSort(models.Model):
    """One member's own sort, which they may save and come back to."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Saved, not finished"
        DONE = "done", "Finished"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sorts")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="sorts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "member"], name="one_sort_per_member")
        ]

    def __str__(self) -> str:
        return f"Sort by {self.member}"


class Pile(models.Model):
    """A pile of a group sort or of one member's sort (exactly one of the two)."""

    group_sort = models.ForeignKey(
        GroupSort, on_delete=models.CASCADE, null=True, blank=True, related_name="piles"
    )
    sort = models.ForeignKey(
        IndividualSort, on_delete=models.CASCADE, null=True, blank=True, related_name="piles"
    )
    label = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group_sort__isnull=True, sort__isnull=False)
                | models.Q(group_sort__isnull=False, sort__isnull=True),
                name="pile_of_one_sort",
            )
        ]
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Placement(models.Model):
    """A card in a pile. A card is in at most one pile of any one sort: ``group_sort`` or
    ``sort`` repeats the pile's, so the database itself refuses a card placed twice."""

    pile = models.ForeignKey(Pile, on_delete=models.CASCADE, related_name="placements")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="placements")
    group_sort = models.ForeignKey(GroupSort, on_delete=models.CASCADE, null=True, blank=True)
    sort = models.ForeignKey(IndividualSort, on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group_sort", "card"],
                condition=models.Q(group_sort__isnull=False),
                name="card_once_per_group_sort",
            ),
            models.UniqueConstraint(
                fields=["sort", "card"],
                condition=models.Q(sort__isnull=False),
                name="card_once_per_sort",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.card} in {self.pile}"


# --- ratings of the statements ---


class RatingScale(models.Model):
    """A question every statement is rated on (e.g. importance, 1 to 5)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scales")
    key = models.SlugField(max_length=50)
    label = models.CharField(max_length=200)
    lowest = models.SmallIntegerField(default=1)
    highest = models.SmallIntegerField(default=5)
    lowest_means = models.CharField(max_length=100, blank=True)
    highest_means = models.CharField(max_length=100, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="one_scale_key")]
        ordering = ["project", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class StatementRating(models.Model):
    """One member's rating of one card on one scale."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="ratings")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="ratings")
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="ratings")
    value = models.SmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "card", "scale"], name="one_rating_each")
        ]

    def __str__(self) -> str:
        return f"{self.member} rated {self.card} {self.value} on {self.scale}"


# --- the concept map ---


class ConceptMap(models.Model):
    """One run of the concept-map analysis over the individual sorts, kept as worked out
    (the core's result as JSON), with the number of clusters the facilitator chose and the
    names and merges they gave them (in :class:`Cluster`)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="maps")
    result = models.JSONField()
    seed = models.PositiveIntegerField()
    starts = models.PositiveSmallIntegerField(default=8)
    stress = models.FloatField()
    sorters = models.PositiveIntegerField()
    chosen_clusters = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["project", "-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Concept map of {self.created_at:%Y-%m-%d %H:%M}"


class Cluster(models.Model):
    """A cluster of the chosen solution, with the name the facilitator gave it; a cluster
    merged into another keeps its row and points at the one it joined."""

    concept_map = models.ForeignKey(ConceptMap, on_delete=models.CASCADE, related_name="clusters")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concept_map", "number"], name="one_cluster_number")
        ]
        ordering = ["concept_map", "number"]

    def __str__(self) -> str:
        return self.name or f"Cluster {self.number}"


# --- RCMap files waiting to be imported ---


class RCMapUpload(models.Model):
    """RCMap files uploaded into a project, checked and waiting for the person to look at
    the preview and import them. The row (with the files) is deleted once they are
    imported: the project's own rows and the audit trail keep what was imported."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rcmap_uploads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    statements = models.BinaryField()
    sorted_cards = models.BinaryField()
    ratings = models.BinaryField(null=True, blank=True)
    demographics = models.BinaryField(null=True, blank=True)
    file_names = models.JSONField(default=dict, help_text="The names the files were uploaded as.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"RCMap files uploaded {self.created_at:%Y-%m-%d %H:%M}"
