"""The founding paper's Figure 1 from a review's evidence: categories by how often they were
found, each bar split into peer-reviewed and grey sources, with a table of the same numbers.

The chart is inline SVG drawn by :func:`peerprinciples.core.charts.stacked_bars_chart`; the
rows give the same numbers for a table beside it (every category, where the chart shows at
most :data:`~peerprinciples.core.charts.MAX_BARS`), and :func:`figure_csv` writes them out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from peerprinciples.core.charts import MAX_BARS, stacked_bars_chart
from peerprinciples.core.coproduction.evidence_summary import (
    CategorySummary,
    CodeSummary,
    EvidenceSummary,
)

Level = Literal["category", "code"]

FIGURE_TITLE = "Codes and categories from the literature review"

CSV_COLUMNS = (
    "label",
    "category",
    "sources",
    "peer_reviewed",
    "grey",
    "grey_share",
    "quotations",
    "first_year",
    "last_year",
)


@dataclass(frozen=True)
class FigureRow:
    """One bar of the figure, or one row of its table."""

    label: str
    category: str
    """The category's label, for a code's row; empty for a category or a code without one."""
    sources: int
    peer_reviewed: int
    grey: int
    grey_share: float | None
    quotations: int
    first_year: int | None
    last_year: int | None


def figure_rows(summary: EvidenceSummary, *, by: Level = "category") -> list[FigureRow]:
    """The figure's numbers, one row per category (``by="category"``) or per code.

    Categories come in the summary's order (most often found first). By code, each
    category's codes follow one another in that order, most often found first within it,
    and codes without a category come last.
    """
    if by == "category":
        return [_row(category, "") for category in summary.categories]
    if by != "code":
        raise ValueError(f"Rows are by 'category' or by 'code', not {by!r}.")
    rows = [
        _row(code, category.label) for category in summary.categories for code in category.codes
    ]
    rows.extend(_row(code, "") for code in summary.uncategorised)
    return rows


def figure_csv(rows: Sequence[FigureRow]) -> str:
    """The rows as CSV text, the share of grey literature as a fraction to four places."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                _safe(row.label),
                _safe(row.category),
                row.sources,
                row.peer_reviewed,
                row.grey,
                "" if row.grey_share is None else f"{row.grey_share:.4f}",
                row.quotations,
                "" if row.first_year is None else row.first_year,
                "" if row.last_year is None else row.last_year,
            ]
        )
    return buffer.getvalue()


def figure_chart(rows: Sequence[FigureRow], *, title: str = FIGURE_TITLE) -> str:
    """Figure 1 as an accessible SVG: one horizontal bar per row, peer-reviewed and grey
    sources stacked, in the rows' order.

    Only the first :data:`~peerprinciples.core.charts.MAX_BARS` rows are drawn when there are
    more, and the title says so; the table of :func:`figure_rows` has them all.
    """
    shown = list(rows[:MAX_BARS])
    if len(rows) > len(shown):
        title = f"{title}: the {len(shown)} found most often, of {len(rows)}"
    return stacked_bars_chart(
        [row.label for row in shown],
        [
            ("peer-reviewed", [row.peer_reviewed for row in shown]),
            ("grey literature", [row.grey for row in shown]),
        ],
        title,
        unit="sources",
    )


def _row(item: CategorySummary | CodeSummary, category: str) -> FigureRow:
    return FigureRow(
        label=item.label,
        category=category,
        sources=item.sources,
        peer_reviewed=item.peer_reviewed,
        grey=item.grey,
        grey_share=item.grey_share,
        quotations=item.quotations,
        first_year=item.first_year,
        last_year=item.last_year,
    )


def _safe(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
