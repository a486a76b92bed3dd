"""The ladder and the go-zone as inline SVG, each with a table of the same numbers.

The charts follow :mod:`peerprinciples.core.charts`: a complete ``<svg>`` with
``role="img"``, a title and a description in words, every piece of people's text escaped,
the colour-blind-safe palette, and presentation attributes only (no ``style``). A chart is
never the only place its numbers are: :func:`ladder_table` and :func:`go_zone_table` give
the rows of a table to print beside it, with the numbers rounded as the chart shows them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from peerprinciples.core.charts import PALETTE, _number, _svg, _text
from peerprinciples.core.coproduction.rating_comparisons import GoZone, Ladder, Rung
from peerprinciples.core.coproduction.statement_ratings import cluster_name

_AXIS = "#555555"
_GRID = "#dddddd"
_CHAR_WIDTH = 6.2
_LABEL_GAP = 13.0
"""The least vertical room between two labels beside a ladder's column."""
NOT_RATED = "not rated"


@dataclass(frozen=True)
class ChartTable:
    """A table to print beside a chart: caption, column headers and rows of text."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _mean(value: float | None) -> str:
    return NOT_RATED if value is None else f"{value:.2f}"


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _r_words(ladder: Ladder) -> str:
    if ladder.r is None:
        return f"Pearson's r not worked out ({ladder.paired} clusters rated in both columns)"
    return f"Pearson's r = {ladder.r:.2f} across {ladder.paired} clusters"


def ladder_title(ladder: Ladder) -> str:
    """The default title: ``Ladder: Importance and Feasibility``."""
    return f"Ladder: {ladder.left.label} and {ladder.right.label}"


def _spread(wanted: list[float], low: float, high: float) -> list[float]:
    """Label positions near ``wanted`` (sorted), at least :data:`_LABEL_GAP` apart, inside
    ``low``..``high`` where there is room."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(y, placed[-1] + _LABEL_GAP) if placed else y)
    overflow = placed[-1] - high if placed else 0.0
    if overflow > 0:
        placed = [y - overflow for y in placed]
        for index in range(len(placed) - 2, -1, -1):
            placed[index] = min(placed[index], placed[index + 1] - _LABEL_GAP)
    return [max(y, low) if index == 0 else y for index, y in enumerate(placed)]


def ladder_chart(ladder: Ladder, title: str | None = None) -> str:
    """The ladder: each cluster's mean in the left and right columns, joined by a line.

    Both columns share one vertical range, from the lowest mean shown to the highest, so
    the slope of a line is a real difference and a crossing line a real change of rank.
    """
    title = title or ladder_title(ladder)
    rungs = ladder.rungs
    values = [v for rung in rungs for v in (rung.left, rung.right) if v is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if high - low < 1e-9:
        low, high = low - 0.5, high + 0.5
    longest = max([len(_short(rung.name)) for rung in rungs] + [8])
    label_w = longest * _CHAR_WIDTH + 44
    top, plot_h = 70.0, max(200.0, _LABEL_GAP * len(rungs) + 20)
    x_left, x_right = label_w, label_w + 180
    width, height = x_right + label_w, top + plot_h + 56

    def at(value: float) -> float:
        return top + plot_h * (high - value) / (high - low)

    body = [_text(0, 14, title, extra=' font-weight="600"')]
    for x, side in ((x_left, ladder.left), (x_right, ladder.right)):
        body.append(_text(x, top - 30, side.label, anchor="middle", extra=' font-weight="600"'))
        body.append(_text(x, top - 10, f"{high:.2f}", anchor="middle", extra=' font-size="10"'))
        body.append(
            _text(x, top + plot_h + 16, f"{low:.2f}", anchor="middle", extra=' font-size="10"')
        )
        body.append(
            f'<line x1="{_number(x)}" y1="{_number(top)}" x2="{_number(x)}" '
            f'y2="{_number(top + plot_h)}" stroke="{_AXIS}"/>'
        )
    for index, rung in enumerate(rungs):
        colour = _colour(index)
        if rung.left is not None and rung.right is not None:
            body.append(
                f'<line x1="{_number(x_left)}" y1="{_number(at(rung.left))}" '
                f'x2="{_number(x_right)}" y2="{_number(at(rung.right))}" stroke="{colour}" '
                'stroke-width="2"/>'
            )
        for x, value in ((x_left, rung.left), (x_right, rung.right)):
            if value is not None:
                body.append(
                    f'<circle cx="{_number(x)}" cy="{_number(at(value))}" r="4" fill="{colour}"/>'
                )
    body += _ladder_labels([(r.left, r) for r in rungs], x_left - 8, "end", at, top, plot_h)
    body += _ladder_labels([(r.right, r) for r in rungs], x_right + 8, "start", at, top, plot_h)
    body.append(_text(width / 2, height - 8, _r_words(ladder), anchor="middle"))
    description = (
        f"{title}. Mean of the statement means of each cluster, {ladder.left.label} on the "
        f"left and {ladder.right.label} on the right: "
        + "; ".join(f"{rung.name} {_mean(rung.left)} and {_mean(rung.right)}" for rung in rungs)
        + f". {_r_words(ladder)}."
    )
    return _svg(width, height, title, description, body)


def _ladder_labels(
    column: list[tuple[float | None, Rung]],
    x: float,
    anchor: str,
    at: Callable[[float], float],
    top: float,
    plot_h: float,
) -> list[str]:
    """Each rated cluster's name and mean beside one column, spread so none overlap."""
    rated = sorted(
        ((value, rung) for value, rung in column if value is not None), key=lambda p: -p[0]
    )
    ys = _spread([at(value) + 4 for value, _ in rated], top + 4, top + plot_h + 4)
    labels = []
    for y, (value, rung) in zip(ys, rated, strict=True):
        name = _short(rung.name)
        words = f"{name} {value:.2f}" if anchor == "end" else f"{value:.2f} {name}"
        labels.append(_text(x, y, words, anchor=anchor))
    return labels


def ladder_table(ladder: Ladder, title: str | None = None) -> ChartTable:
    """The ladder's numbers: a row per cluster, and Pearson's r in the caption."""
    rows = tuple(
        (
            str(rung.cluster),
            rung.name,
            _mean(rung.left),
            _mean(rung.right),
            "" if rung.left is None or rung.right is None else f"{rung.left - rung.right:+.2f}",
        )
        for rung in ladder.rungs
    )
    return ChartTable(
        caption=f"{title or ladder_title(ladder)}: cluster means. {_r_words(ladder)}.",
        headers=("Cluster", "Name", ladder.left.label, ladder.right.label, "Difference"),
        rows=rows,
    )


def _ticks(low: float, high: float) -> list[float]:
    """Round ticks across ``low``..``high``, at most about six of them."""
    span = high - low
    step = next(
        s
        for s in (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, math.inf)
        if span / s <= 6
    )
    if math.isinf(step):
        return [low, high]
    first = math.ceil(low / step - 1e-9)
    return [round(i * step, 6) for i in range(first, math.floor(high / step + 1e-9) + 1)]


def _range(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    pad = (high - low) * 0.06 or 0.25
    return low - pad, high + pad


def go_zone_title(zone: GoZone) -> str:
    """The default title: ``Go-zone: Importance and Feasibility``."""
    return f"Go-zone: {zone.x_scale} and {zone.y_scale}"


def _quadrant(zone: GoZone, high_x: bool, high_y: bool) -> str:
    if high_x and high_y:
        return "go-zone: above both means"
    if high_x:
        return f"above the mean on {zone.x_scale} only"
    if high_y:
        return f"above the mean on {zone.y_scale} only"
    return "below both means"


def go_zone_chart(
    zone: GoZone, title: str | None = None, *, names: Mapping[int, str] | None = None
) -> str:
    """The go-zone: a point per statement, labelled with its key and coloured by cluster,
    split by dashed lines at each scale's mean, with the top right shaded."""
    title = title or go_zone_title(zone)
    clusters = sorted({p.cluster for p in zone.points if p.cluster is not None})
    left, top, size = 56.0, 30.0, 340.0
    width = left + size + 20
    height = top + size + 48 + 16 * len(clusters)
    x_low, x_high = _range([p.x for p in zone.points] + [zone.x_split])
    y_low, y_high = _range([p.y for p in zone.points] + [zone.y_split])

    def px(value: float) -> float:
        return left + size * (value - x_low) / (x_high - x_low)

    def py(value: float) -> float:
        return top + size * (y_high - value) / (y_high - y_low)

    body = [_text(0, 14, title, extra=' font-weight="600"')]
    for tick in _ticks(x_low, x_high):
        body.append(
            f'<line x1="{_number(px(tick))}" y1="{_number(top)}" x2="{_number(px(tick))}" '
            f'y2="{_number(top + size)}" stroke="{_GRID}"/>'
        )
        body.append(_text(px(tick), top + size + 14, f"{tick:g}", anchor="middle"))
    for tick in _ticks(y_low, y_high):
        body.append(
            f'<line x1="{_number(left)}" y1="{_number(py(tick))}" x2="{_number(left + size)}" '
            f'y2="{_number(py(tick))}" stroke="{_GRID}"/>'
        )
        body.append(_text(left - 6, py(tick) + 4, f"{tick:g}", anchor="end"))
    body.append(
        f'<rect x="{_number(px(zone.x_split))}" y="{_number(top)}" '
        f'width="{_number(left + size - px(zone.x_split))}" '
        f'height="{_number(py(zone.y_split) - top)}" fill="{PALETTE[2]}" fill-opacity="0.12"/>'
    )
    body.append(
        f'<rect x="{_number(left)}" y="{_number(top)}" width="{_number(size)}" '
        f'height="{_number(size)}" fill="none" stroke="{_AXIS}"/>'
    )
    for x1, y1, x2, y2 in (
        (px(zone.x_split), top, px(zone.x_split), top + size),
        (left, py(zone.y_split), left + size, py(zone.y_split)),
    ):
        body.append(
            f'<line x1="{_number(x1)}" y1="{_number(y1)}" x2="{_number(x2)}" y2="{_number(y2)}" '
            f'stroke="{_AXIS}" stroke-dasharray="5 3"/>'
        )
    for point in zone.points:
        colour = _colour(clusters.index(point.cluster)) if point.cluster in clusters else PALETTE[0]
        body.append(
            f'<circle cx="{_number(px(point.x))}" cy="{_number(py(point.y))}" r="3.5" '
            f'fill="{colour}"/>'
        )
        body.append(
            _text(px(point.x) + 5, py(point.y) - 4, point.statement, extra=' font-size="9"')
        )
    body.append(_text(left + size / 2, top + size + 32, f"mean {zone.x_scale}", anchor="middle"))
    y_mid = top + size / 2
    body.append(
        _text(
            14,
            y_mid,
            f"mean {zone.y_scale}",
            anchor="middle",
            extra=f' transform="rotate(-90 14 {_number(y_mid)})"',
        )
    )
    for index, cluster in enumerate(clusters):
        y = top + size + 52 + 16 * index
        body.append(
            f'<rect x="{_number(left)}" y="{_number(y - 9)}" width="10" height="10" '
            f'fill="{_colour(index)}"/>'
        )
        body.append(_text(left + 16, y, f"{cluster}: {cluster_name(cluster, names)}"))
    return _svg(width, height, title, _go_zone_words(zone, title), body)


def _go_zone_words(zone: GoZone, title: str) -> str:
    chosen = zone.go_zone
    listed = ", ".join(chosen) if chosen else "none"
    return (
        f"{title}. {len(zone.points)} statements by their mean {zone.x_scale} (across) and "
        f"mean {zone.y_scale} (up), split at the means {zone.x_split:.2f} and "
        f"{zone.y_split:.2f}. {len(chosen)} are above both means (the go-zone): {listed}."
        + (
            f" Not placed, without a mean on both: {', '.join(zone.left_out)}."
            if zone.left_out
            else ""
        )
    )


def go_zone_table(
    zone: GoZone,
    title: str | None = None,
    *,
    texts: Mapping[str, str] | None = None,
    names: Mapping[int, str] | None = None,
) -> ChartTable:
    """The go-zone's numbers: a row per statement (placed ones first, in order), its
    cluster, its two means and its quadrant; ``texts`` adds each statement's words."""
    with_text = texts is not None
    rows: list[tuple[str, ...]] = []
    for point in zone.points:
        cluster = (
            ""
            if point.cluster is None
            else f"{point.cluster}: {cluster_name(point.cluster, names)}"
        )
        words = ((texts or {}).get(point.statement, ""),) if with_text else ()
        rows.append(
            (
                point.statement,
                *words,
                cluster,
                f"{point.x:.2f}",
                f"{point.y:.2f}",
                _quadrant(zone, point.high_x, point.high_y),
            )
        )
    for key in zone.left_out:
        words = ((texts or {}).get(key, ""),) if with_text else ()
        rows.append((key, *words, "", NOT_RATED, NOT_RATED, "not placed"))
    headers = (
        "Statement",
        *(("Text",) if with_text else ()),
        "Cluster",
        zone.x_scale,
        zone.y_scale,
        "Quadrant",
    )
    caption = (
        f"{title or go_zone_title(zone)} ({zone.cohort}): statement means, split at "
        f"{zone.x_split:.2f} ({zone.x_scale}) and {zone.y_split:.2f} ({zone.y_scale}); "
        f"{len(zone.go_zone)} statements in the go-zone."
    )
    return ChartTable(caption, headers, tuple(rows))
