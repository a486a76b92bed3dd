"""Small, readable charts as inline SVG for self-contained reports.

Charts are drawn with matplotlib (non-interactive backend) and returned as SVG text with real
text elements, so a report is one file that opens anywhere, reads aloud with a screen
reader (each chart also carries a text description) and prints cleanly. Every chart is
paired with a table of the same numbers in the report.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

plt.rcParams.update(
    {
        "svg.fonttype": "none",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": 96,
        # Labels are people's text, not formulas: a '$' must not start mathtext.
        "text.parse_math": False,
    }
)

# A colour-blind-safe palette (Okabe & Ito, 2008).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


def _svg(figure: Figure, description: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    start = text.index("<svg")
    # Drop the RDF metadata block: it names matplotlib and adds nothing for a reader.
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", text[start:], flags=re.S)
    safe = html.escape(description, quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{safe}" ', 1)


def distribution_chart(
    counts: Mapping[int, int], title: str, *, scale_labels: Mapping[int, str] | None = None
) -> str:
    """Bars of how many scores fall at each point of the scale (rounded to the point)."""
    points = sorted(counts)
    figure, axes = plt.subplots(figsize=(4.2, 2.4))
    axes.bar([str(p) for p in points], [counts[p] for p in points], color=PALETTE[0])
    axes.set_xlabel("score (rounded)")
    axes.set_ylabel("interviews")
    axes.set_title(title, fontsize=10, loc="left")
    description = f"{title}: " + ", ".join(f"{counts[p]} at {p}" for p in points)
    return _svg(figure, description)


def group_means_chart(
    groups: Sequence[str], means: Sequence[float], title: str, *, low: float, high: float
) -> str:
    """Horizontal bars of mean scores by group (service, round or informant) on the scale."""
    height = 0.9 + 0.32 * len(groups)
    figure, axes = plt.subplots(figsize=(4.6, height))
    positions = list(range(len(groups)))[::-1]
    axes.barh(positions, [m - low for m in means], left=low, color=PALETTE[2], height=0.6)
    axes.set_yticks(positions, labels=list(groups))
    axes.set_xlim(low, high)
    axes.set_xlabel("mean score")
    axes.set_title(title, fontsize=10, loc="left")
    for position, mean in zip(positions, means, strict=True):
        axes.text(mean + (high - low) * 0.01, position, f"{mean:.2f}", va="center", fontsize=8)
    description = f"{title}: " + ", ".join(
        f"{g} {m:.2f}" for g, m in zip(groups, means, strict=True)
    )
    return _svg(figure, description)
