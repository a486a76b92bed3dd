"""Small, readable charts as inline SVG, built directly in Python.

One chart code serves the command line's self-contained report and the web pages. Each
chart is a complete ``<svg>`` element with ``role="img"``, an ``aria-label`` and a
``<title>``/``<desc>`` pair that say in words what it shows, so it reads aloud with a screen
reader and prints cleanly. Every piece of text that comes from people (service codes, round
labels, titles) is escaped, so it can never become markup.

Drawing is string formatting: a chart of thirty bars takes a few hundred microseconds, so
nothing needs laying out ahead of a request, nor caching.

No chart grows past :data:`MAX_BARS` bars: above that, :func:`means_chart` draws the
spread of the groups' means (how many groups fall in each band of the scale, unnamed) and
the numbers of every group belong in a table beside it.
"""

from __future__ import annotations

import html
import math
import statistics
from collections.abc import Mapping, Sequence

# A colour-blind-safe palette (Okabe & Ito, 2008).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")

MAX_BARS = 30
"""The most bars one chart shows; more than this cannot be read at a glance."""

_FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"
_TEXT = "#1a1a1a"
_AXIS = "#555555"
_CHAR_WIDTH = 6.2
"""An average character's width at 11 px, to leave room for labels without measuring."""


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def _number(value: float) -> str:
    """A coordinate with one decimal, without a trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(width: float, height: float, title: str, description: str, body: list[str]) -> str:
    """Wrap the chart's elements in an accessible ``<svg>``."""
    label = _escape(description)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
        f'viewBox="0 0 {_number(width)} {_number(height)}" width="{_number(width)}" '
        f'height="{_number(height)}" font-family="{_FONT}" font-size="11" fill="{_TEXT}">'
        f"<title>{_escape(title)}</title><desc>{label}</desc>" + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, content: object, *, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{_number(x)}" y="{_number(y)}" text-anchor="{anchor}"{extra}>'
        f"{_escape(content)}</text>"
    )


def _ticks(low: float, high: float) -> list[float]:
    """Whole-number ticks across the scale (at most about eight)."""
    span = high - low
    step = max(1, math.ceil(span / 8)) if span > 0 else 1
    first = math.ceil(low)
    return [float(v) for v in range(first, math.floor(high) + 1, step)]


def distribution_chart(
    counts: Mapping[int, int], title: str, *, scale_labels: Mapping[int, str] | None = None
) -> str:
    """Bars of how many scores fall at each point of the scale (rounded to the point).

    ``scale_labels`` may give a word for each point, used in the description.
    """
    points = sorted(counts)
    width, height = 320.0, 170.0
    left, right, top, bottom = 40.0, 10.0, 26.0, 36.0
    inner_w, inner_h = width - left - right, height - top - bottom
    most = max([counts[p] for p in points] + [1])
    slot = inner_w / max(len(points), 1)
    body = [_text(0, 14, title, extra=' font-weight="600"')]
    body.append(
        f'<line x1="{_number(left)}" y1="{_number(top + inner_h)}" '
        f'x2="{_number(width - right)}" y2="{_number(top + inner_h)}" stroke="{_AXIS}"/>'
    )
    body.append(_text(left - 6, top + 4, most, anchor="end"))
    body.append(_text(left - 6, top + inner_h, 0, anchor="end"))
    for index, point in enumerate(points):
        value = counts[point]
        bar = inner_h * value / most
        x = left + index * slot + slot * 0.15
        body.append(
            f'<rect x="{_number(x)}" y="{_number(top + inner_h - bar)}" '
            f'width="{_number(slot * 0.7)}" height="{_number(bar)}" fill="{PALETTE[0]}"/>'
        )
        body.append(_text(x + slot * 0.35, top + inner_h + 14, point, anchor="middle"))
    body.append(_text(left + inner_w / 2, height - 4, "score (rounded)", anchor="middle"))
    words = scale_labels or {}
    description = f"{title}: " + ", ".join(
        f"{counts[p]} at {p}" + (f" ({words[p]})" if p in words else "") for p in points
    )
    return _svg(width, height, title, description, body)


def group_means_chart(
    groups: Sequence[str], means: Sequence[float], title: str, *, low: float, high: float
) -> str:
    """Horizontal bars of mean scores by group (round, informant or a few services).

    Raises
    ------
    ValueError
        When there are more than :data:`MAX_BARS` groups (use :func:`means_chart`, which
        draws their spread instead) or the lists differ in length.
    """
    if len(groups) != len(means):
        raise ValueError(f"{len(groups)} groups but {len(means)} means for the chart {title!r}.")
    if len(groups) > MAX_BARS:
        raise ValueError(
            f"The chart {title!r} would have {len(groups)} bars; at most {MAX_BARS} can be "
            "read. Draw the spread of the means with means_chart() instead."
        )
    label_width = min(max([len(str(g)) for g in groups] + [4]) * _CHAR_WIDTH, 170.0)
    left, right, top, row = label_width + 10, 40.0, 26.0, 20.0
    width = left + 230 + right
    inner_w = width - left - right
    height = top + row * len(groups) + 34
    span = (high - low) or 1.0

    def at(value: float) -> float:
        return left + inner_w * (min(max(value, low), high) - low) / span

    body = [_text(0, 14, title, extra=' font-weight="600"')]
    axis_y = top + row * len(groups)
    for tick in _ticks(low, high):
        x = at(tick)
        body.append(
            f'<line x1="{_number(x)}" y1="{_number(top)}" x2="{_number(x)}" '
            f'y2="{_number(axis_y)}" stroke="#dddddd"/>'
        )
        body.append(_text(x, axis_y + 13, f"{tick:g}", anchor="middle"))
    for index, (group, mean) in enumerate(zip(groups, means, strict=True)):
        y = top + index * row
        body.append(_text(left - 6, y + row * 0.65, group, anchor="end"))
        body.append(
            f'<rect x="{_number(at(low))}" y="{_number(y + row * 0.2)}" '
            f'width="{_number(at(mean) - at(low))}" height="{_number(row * 0.6)}" '
            f'fill="{PALETTE[2]}"/>'
        )
        body.append(_text(at(mean) + 4, y + row * 0.65, f"{mean:.2f}", extra=' font-size="10"'))
    body.append(_text(left + inner_w / 2, height - 4, "mean score", anchor="middle"))
    description = f"{title}: " + ", ".join(
        f"{g} {m:.2f}" for g, m in zip(groups, means, strict=True)
    )
    return _svg(width, height, title, description, body)


def spread_chart(
    means: Sequence[float], title: str, *, low: float, high: float, noun: str = "services"
) -> str:
    """How many groups' means fall in each band of the scale, without naming any group.

    For many groups (hundreds of services) a bar each cannot be read; the shape of their
    spread can, and the description gives the range, median and quartiles in words. The
    bands are a quarter of a scale point wide (half a point on scales of more than eight
    points).
    """
    values = sorted(float(m) for m in means if math.isfinite(m))
    band = 0.25 if high - low <= 8 else 0.5
    bins = max(1, math.ceil((high - low) / band))
    tally = [0] * bins
    for value in values:
        index = min(max(int((value - low) / band), 0), bins - 1)
        tally[index] += 1
    width, height = 420.0, 180.0
    left, right, top, bottom = 40.0, 12.0, 26.0, 36.0
    inner_w, inner_h = width - left - right, height - top - bottom
    most = max([*tally, 1])
    slot = inner_w / bins
    body = [_text(0, 14, title, extra=' font-weight="600"')]
    base = top + inner_h
    body.append(
        f'<line x1="{_number(left)}" y1="{_number(base)}" x2="{_number(width - right)}" '
        f'y2="{_number(base)}" stroke="{_AXIS}"/>'
    )
    body.append(_text(left - 6, top + 4, most, anchor="end"))
    body.append(_text(left - 6, base, 0, anchor="end"))
    for index, n in enumerate(tally):
        if not n:
            continue
        bar = inner_h * n / most
        body.append(
            f'<rect x="{_number(left + index * slot + 0.5)}" y="{_number(base - bar)}" '
            f'width="{_number(max(slot - 1, 0.5))}" height="{_number(bar)}" '
            f'fill="{PALETTE[0]}"/>'
        )
    for tick in _ticks(low, high):
        x = left + inner_w * (tick - low) / ((high - low) or 1.0)
        body.append(_text(x, base + 14, f"{tick:g}", anchor="middle"))
    body.append(_text(left + inner_w / 2, height - 4, f"mean score of {noun}", anchor="middle"))
    description = f"{title}: " + _spread_words(values, noun)
    return _svg(width, height, title, description, body)


def _spread_words(values: Sequence[float], noun: str) -> str:
    if not values:
        return f"no {noun} to show"
    if len(values) < 4:
        return f"{len(values)} {noun}, means " + ", ".join(f"{v:.2f}" for v in values)
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return (
        f"{len(values)} {noun}; means from {values[0]:.2f} to {values[-1]:.2f}, "
        f"median {median:.2f}, half of them between {q1:.2f} and {q3:.2f}"
    )


def means_chart(
    groups: Sequence[str],
    means: Sequence[float],
    title: str,
    *,
    low: float,
    high: float,
    noun: str = "services",
) -> str:
    """Bars of each group's mean when they fit (:data:`MAX_BARS`), else their spread."""
    if len(groups) <= MAX_BARS:
        return group_means_chart(groups, means, title, low=low, high=high)
    return spread_chart(means, f"{title}: spread of {len(groups)} {noun}", low=low, high=high)


def _count_ticks(most: int) -> list[int]:
    """Ticks for a count axis from 0 at a step of 1, 2 or 5 times a power of ten, at most
    about six of them."""
    step = 1
    while most / step > 6:
        for factor in (2, 5, 10):
            if most / (step * factor) <= 6 or factor == 10:
                step *= factor
                break
    return list(range(0, most + 1, step))


def _fit(label: str, width: float) -> str:
    """A label cut with an ellipsis to fit ``width`` pixels (the description keeps it whole)."""
    room = max(int(width / _CHAR_WIDTH), 4)
    return label if len(label) <= room else label[: room - 1].rstrip() + "…"


def stacked_bars_chart(
    labels: Sequence[str],
    parts: Sequence[tuple[str, Sequence[int]]],
    title: str,
    *,
    unit: str = "sources",
    colours: Sequence[str] = (PALETTE[0], PALETTE[5]),
) -> str:
    """Horizontal bars of counts, each split into parts laid end to end (sources that are
    peer-reviewed and grey, say), with a legend and the total at the end of each bar.

    ``parts`` gives each part's name and its count for every label, in the order of
    ``labels``; the bars are drawn in that order, top to bottom.

    Raises
    ------
    ValueError
        When there are more than :data:`MAX_BARS` labels, more parts than colours, or a
        part's counts differ in number from the labels.
    """
    if len(labels) > MAX_BARS:
        raise ValueError(
            f"The chart {title!r} would have {len(labels)} bars; at most {MAX_BARS} can be "
            "read. Draw the first of them and give every number in a table."
        )
    if len(parts) > len(colours):
        raise ValueError(f"The chart {title!r} has {len(parts)} parts but {len(colours)} colours.")
    for name, counts in parts:
        if len(counts) != len(labels):
            raise ValueError(
                f"The part {name!r} of the chart {title!r} has {len(counts)} counts for "
                f"{len(labels)} bars."
            )
    totals = [sum(counts[i] for _, counts in parts) for i in range(len(labels))]
    most = max([*totals, 1])
    label_width = min(max([len(str(label)) for label in labels] + [4]) * _CHAR_WIDTH, 220.0)
    left, top, row, bar_width = label_width + 10, 48.0, 20.0, 260.0
    width = left + bar_width + 40
    axis_y = top + row * len(labels)
    height = axis_y + 34

    def at(value: float) -> float:
        return left + bar_width * value / most

    body = [_text(0, 14, title, extra=' font-weight="600"')]
    x = 0.0
    for (name, _), colour in zip(parts, colours, strict=False):
        body.append(f'<rect x="{_number(x)}" y="24" width="10" height="10" fill="{colour}"/>')
        body.append(_text(x + 14, 33, name))
        x += 14 + len(name) * _CHAR_WIDTH + 16
    for tick in _count_ticks(most):
        body.append(
            f'<line x1="{_number(at(tick))}" y1="{_number(top)}" x2="{_number(at(tick))}" '
            f'y2="{_number(axis_y)}" stroke="#dddddd"/>'
        )
        body.append(_text(at(tick), axis_y + 13, tick, anchor="middle"))
    for index, label in enumerate(labels):
        y = top + index * row
        body.append(_text(left - 6, y + row * 0.65, _fit(str(label), label_width), anchor="end"))
        start = 0
        for (_, counts), colour in zip(parts, colours, strict=False):
            if counts[index]:
                body.append(
                    f'<rect x="{_number(at(start))}" y="{_number(y + row * 0.2)}" '
                    f'width="{_number(at(start + counts[index]) - at(start))}" '
                    f'height="{_number(row * 0.6)}" fill="{colour}" stroke="#ffffff" '
                    'stroke-width="0.5"/>'
                )
            start += counts[index]
        body.append(_text(at(start) + 4, y + row * 0.65, totals[index], extra=' font-size="10"'))
    body.append(_text(left + bar_width / 2, height - 4, unit, anchor="middle"))
    description = f"{title}: " + "; ".join(
        f"{label} {totals[i]} (" + ", ".join(f"{name} {counts[i]}" for name, counts in parts) + ")"
        for i, label in enumerate(labels)
    )
    return _svg(width, height, title, description, body)
