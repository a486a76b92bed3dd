"""Figure 1 of a project's review and the numbers behind it, as the core works them out."""

from __future__ import annotations

from dataclasses import dataclass

from peerprinciples.core.coproduction.evidence_figure import (
    FigureRow,
    Level,
    figure_chart,
    figure_csv,
    figure_rows,
)
from peerprinciples.core.coproduction.evidence_summary import EvidenceSummary, summarise_evidence
from peerprinciples.web.coproduction.models import Project
from peerprinciples.web.coproduction.services.evidence import project_evidence


def project_summary(project: Project) -> EvidenceSummary:
    """Sources, grey literature, quotations and years behind each code and category."""
    return summarise_evidence(project_evidence(project))


@dataclass(frozen=True)
class Figure:
    """The chart and the rows of its tables."""

    by: Level
    """What the bars are: categories, or codes when the review has no categories yet."""
    svg: str
    categories: list[FigureRow]
    codes: list[FigureRow]

    @property
    def has_bars(self) -> bool:
        """Whether any bar is longer than nothing (any source was coded)."""
        rows = self.categories if self.by == "category" else self.codes
        return any(row.sources for row in rows)


def figure(summary: EvidenceSummary) -> Figure:
    """Figure 1: a bar per category (or per code, for a review without categories)."""
    categories = figure_rows(summary, by="category")
    codes = figure_rows(summary, by="code")
    by: Level = "category" if categories else "code"
    bars = categories or codes
    return Figure(by, figure_chart(bars), categories, codes)


def figure_csv_text(summary: EvidenceSummary, by: Level = "category") -> str:
    """The figure's numbers as CSV, a row per category or per code."""
    return figure_csv(figure_rows(summary, by=by))
