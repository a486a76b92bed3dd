"""What supports each draft principle: the coverage matrix of stage 2 of the approach.

The founding paper's research team mapped the review's categories and the panel's piles onto
each other and onto the principles they drafted (its Figure 3). Here each category of the
review and each pile or concept-map cluster of the panel is a :class:`Support`, each draft
principle a :class:`DraftPrinciple`, and a link is a pair ``(principle key, support id)``:
many-to-many, as a category may back several principles and a principle rest on several
categories.

:func:`coverage` says, for each principle, which review categories and which panel piles are
linked to it, and gives it a status:

- ``"both"``: at least one review category and at least one panel pile;
- ``"review only"``: review categories but no pile, so the panel's own words are not yet
  heard in it;
- ``"panel only"``: piles but no category, so the review has not yet been found to back it;
- ``"none"``: nothing linked yet.

It also lists the categories and piles linked to no principle, which the team should either
link or decide, openly, to leave out. :attr:`Coverage.flags` puts all of this as prompts a
team can act on.

Order is stable: principles come in the order given (the team's numbering), supports review
first and then panel, each side in the order given. The web layer stores the links; this
module only reads them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from peerprinciples.core.coproduction.rating_charts import ChartTable

Side = Literal["review", "panel"]
Status = Literal["both", "review only", "panel only", "none"]
SIDES: tuple[Side, ...] = get_args(Side)
STATUSES: tuple[Status, ...] = get_args(Status)

CSV_COLUMNS = (
    "principle",
    "principle_title",
    "principle_status",
    "support",
    "support_label",
    "side",
    "detail",
    "linked",
)
"""The columns of :func:`coverage_csv`, one row per principle and support."""

YES, NO = "yes", "no"


@dataclass(frozen=True)
class Support:
    """A review category or a panel pile (or concept-map cluster) that can back principles."""

    id: str
    """Unique among all supports, review and panel alike."""
    label: str
    side: Side
    """``"review"`` for a category of the literature review, ``"panel"`` for a pile of the
    panel's sort or a cluster of its concept map."""
    detail: str = ""
    """A short note shown after the label: ``12 sources``, ``group sort 1``,
    ``concept map cluster``."""

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValueError(
                f"Support {self.id!r} has side {self.side!r}: a support is either 'review' "
                "(a category of the literature review) or 'panel' (a pile or cluster)."
            )

    @property
    def name(self) -> str:
        """The label with its detail in brackets: ``Mutuality (12 sources)``."""
        return f"{self.label} ({self.detail})" if self.detail else self.label


@dataclass(frozen=True)
class DraftPrinciple:
    """A principle as the team has drafted it so far."""

    key: str
    """Unique among the project's draft principles: ``P1``."""
    title: str

    @property
    def name(self) -> str:
        """The key and the title: ``P1. Building trust``."""
        return f"{self.key}. {self.title}"


@dataclass(frozen=True)
class PrincipleCoverage:
    """What supports one draft principle, each side in the order the supports were given."""

    principle: DraftPrinciple
    review: tuple[Support, ...]
    panel: tuple[Support, ...]
    status: Status


@dataclass(frozen=True)
class CoverageCounts:
    """How many of everything, for a summary line or a methods paragraph."""

    principles: int
    review_supports: int
    panel_supports: int
    links: int
    both: int
    review_only: int
    panel_only: int
    unsupported: int
    """Principles with nothing linked (status ``"none"``)."""
    unlinked_review: int
    unlinked_panel: int


@dataclass(frozen=True)
class Coverage:
    """The coverage of a set of draft principles by review categories and panel piles."""

    principles: tuple[PrincipleCoverage, ...]
    """In the order given."""
    supports: tuple[Support, ...]
    """Review supports first, then panel ones, each side in the order given: the matrix's
    columns."""
    matrix: tuple[tuple[bool, ...], ...]
    """``matrix[i][j]`` is whether principle ``i`` is linked to support ``j``."""
    unlinked_review: tuple[Support, ...]
    """Review categories that support no principle yet."""
    unlinked_panel: tuple[Support, ...]
    """Panel piles or clusters that support no principle yet."""

    @property
    def links(self) -> tuple[tuple[str, str], ...]:
        """Every link as ``(principle key, support id)``, in matrix order."""
        return tuple(
            (row.principle.key, support.id)
            for row, cells in zip(self.principles, self.matrix, strict=True)
            for support, linked in zip(self.supports, cells, strict=True)
            if linked
        )

    @property
    def counts(self) -> CoverageCounts:
        statuses = [row.status for row in self.principles]
        return CoverageCounts(
            principles=len(self.principles),
            review_supports=sum(s.side == "review" for s in self.supports),
            panel_supports=sum(s.side == "panel" for s in self.supports),
            links=sum(sum(cells) for cells in self.matrix),
            both=statuses.count("both"),
            review_only=statuses.count("review only"),
            panel_only=statuses.count("panel only"),
            unsupported=statuses.count("none"),
            unlinked_review=len(self.unlinked_review),
            unlinked_panel=len(self.unlinked_panel),
        )

    @property
    def flags(self) -> tuple[str, ...]:
        """What the team may want to look at next, in plain words; empty when every principle
        is supported from both sides and every support is used."""
        flags: list[str] = []
        for status, wording in _PRINCIPLE_FLAGS:
            named = [row.principle.name for row in self.principles if row.status == status]
            if named:
                noun = "draft principle" + ("" if len(named) == 1 else "s")
                verb = wording[0] if len(named) == 1 else wording[1]
                flags.append(f"{len(named)} {noun} {verb}: {_listing(named)}.")
        for unlinked, one, many in (
            (self.unlinked_review, "review category", "review categories"),
            (self.unlinked_panel, "panel pile or cluster", "panel piles or clusters"),
        ):
            if unlinked:
                noun, verb = (one, "supports") if len(unlinked) == 1 else (many, "support")
                names = [support.name for support in unlinked]
                flags.append(f"{len(unlinked)} {noun} {verb} no principle yet: {_listing(names)}.")
        return tuple(flags)


_PRINCIPLE_FLAGS: tuple[tuple[Status, tuple[str, str]], ...] = (
    ("none", ("has nothing linked to it yet", "have nothing linked to them yet")),
    (
        "review only",
        (
            "is supported by the review but by no panel pile yet",
            "are supported by the review but by no panel pile yet",
        ),
    ),
    (
        "panel only",
        (
            "is supported by the panel but by no review category yet",
            "are supported by the panel but by no review category yet",
        ),
    ),
)


def _listing(names: Sequence[str]) -> str:
    return "; ".join(names)


def _status(review: Sequence[Support], panel: Sequence[Support]) -> Status:
    if review and panel:
        return "both"
    if review:
        return "review only"
    if panel:
        return "panel only"
    return "none"


def _check_unique(kind: str, field: str, values: Iterable[str]) -> None:
    seen: set[str] = set()
    repeated: list[str] = []
    for value in values:
        if not value.strip():
            raise ValueError(f"A {kind} has an empty {field}: give every {kind} a {field}.")
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    if repeated:
        listed = ", ".join(repr(value) for value in repeated)
        raise ValueError(
            f"Two {kind}s share the {field} {listed}: each {kind} needs a {field} of its own."
        )


def _check_links(links: Sequence[tuple[str, str]], keys: set[str], ids: set[str]) -> None:
    """Raise one error naming every link to a principle or support that is not there."""
    problems: list[str] = []
    for number, (key, support) in enumerate(links, start=1):
        missing = []
        if key not in keys:
            missing.append(f"principle {key!r} is not among the draft principles")
        if support not in ids:
            missing.append(f"support {support!r} is not among the categories and piles")
        if missing:
            problems.append(f"link {number} ({key!r}, {support!r}): " + " and ".join(missing))
    if problems:
        raise ValueError(
            "Some links name what is not there; add the missing principles or supports, or "
            "remove the links. " + "; ".join(problems) + "."
        )


def coverage(
    principles: Sequence[DraftPrinciple],
    supports: Sequence[Support],
    links: Iterable[tuple[str, str]],
) -> Coverage:
    """Which review categories and panel piles support each draft principle.

    Parameters
    ----------
    principles
        The draft principles, in the team's order.
    supports
        The review categories and panel piles or clusters, in any mix; each side keeps the
        order given.
    links
        Pairs ``(principle key, support id)``. A pair given twice is one link.

    Raises
    ------
    ValueError
        When a key or id is empty or used twice, a title or label is empty, or links name
        principles or supports that are not given (all of them are named in one message).
    """
    _check_unique("draft principle", "key", (p.key for p in principles))
    _check_unique("support", "id", (s.id for s in supports))
    for kind, key, text in [
        *(("draft principle", p.key, p.title) for p in principles),
        *(("support", s.id, s.label) for s in supports),
    ]:
        if not text.strip():
            what = "title" if kind == "draft principle" else "label"
            raise ValueError(f"The {kind} {key!r} has an empty {what}: give it a {what}.")
    pairs = list(links)
    _check_links(pairs, {p.key for p in principles}, {s.id for s in supports})
    linked = set(pairs)
    ordered = tuple(s for side in SIDES for s in supports if s.side == side)
    matrix = tuple(tuple((p.key, s.id) in linked for s in ordered) for p in principles)
    rows = []
    for principle, cells in zip(principles, matrix, strict=True):
        own = [s for s, cell in zip(ordered, cells, strict=True) if cell]
        review = tuple(s for s in own if s.side == "review")
        panel = tuple(s for s in own if s.side == "panel")
        rows.append(PrincipleCoverage(principle, review, panel, _status(review, panel)))
    used = {support for _, support in linked}
    return Coverage(
        principles=tuple(rows),
        supports=ordered,
        matrix=matrix,
        unlinked_review=tuple(s for s in ordered if s.side == "review" and s.id not in used),
        unlinked_panel=tuple(s for s in ordered if s.side == "panel" and s.id not in used),
    )


def _cell(text: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def coverage_csv(cover: Coverage) -> str:
    """The coverage as CSV text: one row for every principle and support, linked or not.

    The long form (a row per pair, ``linked`` ``yes`` or ``no``) is used rather than a wide
    matrix because its columns never change: every label stays in a cell of its own instead of
    becoming a column header (where long or repeated labels clash and a spreadsheet cuts
    them short), the file reads straight into a data frame or a pivot table, and a project of
    any size has the same eight columns. A pivot on ``principle`` and ``support`` gives the
    wide matrix back. Rows come in the order of the matrix: principle by principle, and
    within each, review supports and then panel ones.

    Texts that a spreadsheet would run as a formula are prefixed with an apostrophe.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row, cells in zip(cover.principles, cover.matrix, strict=True):
        for support, linked in zip(cover.supports, cells, strict=True):
            writer.writerow(
                [
                    _cell(row.principle.key),
                    _cell(row.principle.title),
                    row.status,
                    _cell(support.id),
                    _cell(support.label),
                    support.side,
                    _cell(support.detail),
                    YES if linked else NO,
                ]
            )
    return out.getvalue()


def coverage_rows(cover: Coverage) -> ChartTable:
    """The matrix as a table for a web page: a row per support, a column per principle.

    Supports are the rows because there are usually many more of them than principles, so
    the table grows down the page rather than off its side. Each cell says ``yes`` or
    ``no`` in words; the last column counts the principles a support backs, ``0`` marking
    the ones linked to none. The caption carries the counts.
    """
    headers = (
        "Side",
        "Category or pile",
        *(row.principle.name for row in cover.principles),
        "Principles supported",
    )
    rows = []
    for index, support in enumerate(cover.supports):
        marks = [cells[index] for cells in cover.matrix]
        side = "review category" if support.side == "review" else "panel pile or cluster"
        rows.append((side, support.name, *(YES if mark else NO for mark in marks), str(sum(marks))))
    counts = cover.counts
    caption = (
        f"What supports each draft principle: {counts.review_supports} review categories and "
        f"{counts.panel_supports} panel piles or clusters against {counts.principles} draft "
        f"principles, {counts.links} links. Linked to no principle yet: "
        f"{counts.unlinked_review + counts.unlinked_panel}."
    )
    return ChartTable(caption, headers, tuple(rows))
