"""The concept map drawn: a point map as inline SVG, the same numbers as table rows, and CSV.

The SVG follows :mod:`peerprinciples.core.charts`: one ``<svg>`` element with ``role="img"``,
an ``aria-label`` and a ``<title>``/``<desc>`` pair saying in words what it shows; every text
from people (statement keys, region names) escaped; the Okabe-Ito colour-blind-safe palette,
with dashed outlines once the seven colours are used up, so no two regions look the same.
Each statement is a point labelled with its key; each region (a cluster, or clusters the
facilitator merged) is drawn as the convex hull of its points, widened by a few pixels so that
regions of one or two statements show too. Both axes have one scale: distances on the map
are what scaling fitted, so they must not be stretched. The orientation of a scaling solution
is arbitrary, so no axes are drawn.

:func:`map_rows` gives the numbers behind the picture for the page's table, and :func:`map_csv`
the same rows as a CSV file.
"""

from __future__ import annotations

import csv
import html
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from peerprinciples.core.charts import PALETTE
from peerprinciples.core.coproduction.conceptmap import ConceptMap

_FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"
_TEXT = "#1a1a1a"
_DASHES = ("", "6 3", "2 2")
_PLOT = 480.0
_MARGIN = 24.0
_LEGEND_ROW = 18.0
_PAD = 9.0
"""How far (in pixels) a region's outline stands off its outermost points."""


@dataclass(frozen=True)
class MapRow:
    """One statement's place on the map and its cluster and region."""

    statement: str
    x: float
    y: float
    cluster: int
    """The cluster number in the analysis's solution."""
    region: int
    """The region number after the facilitator's merges (the lowest cluster number in it)."""
    name: str


def map_rows(cmap: ConceptMap, clusters: int) -> list[MapRow]:
    """The table of the map: one row per statement, in statement order.

    Raises
    ------
    ValueError
        When the map has no solution with ``clusters`` clusters.
    """
    regions = cmap.regions(clusters)
    region_of = {c: r for r in regions for c in r.clusters}
    return [
        MapRow(key, x, y, cluster, region_of[cluster].number, region_of[cluster].name)
        for key, (x, y), cluster in zip(
            cmap.keys, cmap.coordinates, cmap.partitions[clusters], strict=True
        )
    ]


def _cell(text: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def map_csv(cmap: ConceptMap, clusters: int) -> str:
    """The rows of :func:`map_rows` as CSV text with a header row.

    Coordinates keep full precision; texts that a spreadsheet would read as a formula are
    prefixed with an apostrophe.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["statement", "x", "y", "cluster", "region", "region_name"])
    for row in map_rows(cmap, clusters):
        x, y = repr(row.x), repr(row.y)
        writer.writerow([_cell(row.statement), x, y, row.cluster, row.region, _cell(row.name)])
    return out.getvalue()


def convex_hull(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull of points, counter-clockwise, without repeated or collinear points
    (Andrew's monotone chain)."""
    ordered = sorted(set(points))
    if len(ordered) < 3:
        return ordered

    def turn(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    def chain(sequence: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        kept: list[tuple[float, float]] = []
        for point in sequence:
            while len(kept) >= 2 and turn(kept[-2], kept[-1], point) <= 0:
                kept.pop()
            kept.append(point)
        return kept

    lower, upper = chain(ordered), chain(ordered[::-1])
    return lower[:-1] + upper[:-1]


def _outline(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The hull of small circles around each point: a rounded, widened convex hull."""
    ring = [
        (_PAD * math.cos(2 * math.pi * i / 12), _PAD * math.sin(2 * math.pi * i / 12))
        for i in range(12)
    ]
    return convex_hull([(x + dx, y + dy) for x, y in points for dx, dy in ring])


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def _screen(cmap: ConceptMap) -> list[tuple[float, float]]:
    """Map coordinates in pixels: one scale for both axes, the first axis to the right and
    the second up."""
    xs = [x for x, _ in cmap.coordinates]
    ys = [y for _, y in cmap.coordinates]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    inner = _PLOT - 2 * _MARGIN
    unit = inner / span
    left = _MARGIN + (inner - (max(xs) - min(xs)) * unit) / 2
    top = _MARGIN + (inner - (max(ys) - min(ys)) * unit) / 2
    return [(left + (x - min(xs)) * unit, top + (max(ys) - y) * unit) for x, y in cmap.coordinates]


def _shared_points(
    keys: Sequence[str], points: Sequence[tuple[float, float]]
) -> list[tuple[tuple[float, float], list[str]]]:
    """Each drawn point with the statements at it: statements every sorter grouped alike sit
    on one spot, and their numbers share one label there instead of printing over each other
    (to the drawing's precision, a tenth of a unit)."""
    spots: dict[tuple[str, str], tuple[tuple[float, float], list[str]]] = {}
    for key, point in zip(keys, points, strict=True):
        spot = (_number(point[0]), _number(point[1]))
        spots.setdefault(spot, (point, []))[1].append(key)
    return list(spots.values())


def concept_map_svg(cmap: ConceptMap, clusters: int, *, title: str = "Concept map") -> str:
    """The point map with each region outlined and a legend of region numbers and names.

    Raises
    ------
    ValueError
        When the map has no solution with ``clusters`` clusters.
    """
    regions = cmap.regions(clusters)
    points = _screen(cmap)
    where = dict(zip(cmap.keys, points, strict=True))
    height = _PLOT + _LEGEND_ROW * len(regions) + 12
    body: list[str] = []
    labels: list[str] = []
    for index, region in enumerate(regions):
        colour = PALETTE[index % len(PALETTE)]
        dash = _DASHES[min(index // len(PALETTE), len(_DASHES) - 1)]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        own = [where[key] for key in region.statements]
        outline = " ".join(f"{_number(x)},{_number(y)}" for x, y in _outline(own))
        body.append(
            f'<polygon points="{outline}" fill="{colour}" fill-opacity="0.15" '
            f'stroke="{colour}" stroke-width="2"{dashes}/>'
        )
        top = min(own, key=lambda p: p[1])
        labels.append(
            f'<text x="{_number(top[0])}" y="{_number(max(top[1] - _PAD - 3, 10))}" '
            f'text-anchor="middle" font-weight="700">{region.number}</text>'
        )
        row = _PLOT + 4 + index * _LEGEND_ROW
        body.append(
            f'<rect x="{_number(_MARGIN)}" y="{_number(row)}" width="14" height="12" '
            f'fill="{colour}" fill-opacity="0.35" stroke="{colour}" stroke-width="2"{dashes}/>'
        )
        size = len(region.statements)
        body.append(
            f'<text x="{_number(_MARGIN + 22)}" y="{_number(row + 10)}">'
            f"{region.number}. {_escape(region.name)} ({size} statement"
            f"{'' if size == 1 else 's'})</text>"
        )
    for (x, y), keys in _shared_points(cmap.keys, points):
        body.append(f'<circle cx="{_number(x)}" cy="{_number(y)}" r="2.5" fill="{_TEXT}"/>')
        body.append(
            f'<text x="{_number(x + 3.5)}" y="{_number(y - 3)}" font-size="9">'
            f"{_escape(', '.join(keys))}</text>"
        )
    description = (
        f"{title}: {len(cmap.keys)} statements placed by how often sorters grouped them "
        f"(stress-1 {cmap.stress:.2f}), in {len(regions)} regions: "
        + "; ".join(f"{r.number}. {r.name}, {len(r.statements)} statements" for r in regions)
    )
    label = _escape(description)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
        f'viewBox="0 0 {_number(_PLOT)} {_number(height)}" width="{_number(_PLOT)}" '
        f'height="{_number(height)}" font-family="{_FONT}" font-size="11" fill="{_TEXT}">'
        f"<title>{_escape(title)}</title><desc>{label}</desc>" + "".join(body + labels) + "</svg>"
    )
