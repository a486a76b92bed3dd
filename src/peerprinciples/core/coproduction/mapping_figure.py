"""The founding paper's Figure 3 from a coverage: review categories on the left, panel piles
on the right, draft principles between, and a line for every link.

The drawing follows :mod:`peerprinciples.core.charts`: one ``<svg>`` with ``role="img"``, an
``aria-label`` and a ``<title>``/``<desc>`` pair that give the counts in words, a ``viewBox``
so it scales to the page, every text from people escaped, and the colour-blind-safe palette.
Colour is never the only signal: the side of a support is its column, each column has a
heading, a support that backs no principle has a dashed outline, a white fill and the word
*unlinked* written in its box, and a principle not supported from both sides says so in its
box. Every box carries a ``<title>`` (a tooltip) with its full label and what it is linked
to. Long labels wrap inside their box; a label longer than its box's lines ends in an
ellipsis in the picture and is given in full in the tooltip and in :func:`figure_table`.

Order. Principles keep the team's order, top to bottom. Each side is ordered by the
barycentre heuristic for two-layer drawings (Sugiyama, Tagawa and Toda, 1981): a support's
place is the mean of the positions of the principles it is linked to, and supports are sorted
by it, ties kept in the order given; supports linked to nothing go last, in the order given.
One pass of this is enough for a figure of this size. It usually removes most crossings but
is not guaranteed to beat every order, so when the order given crosses fewer lines it is kept
instead (with the unlinked supports still moved to the end, which crosses nothing).
:func:`crossings` counts the crossings of an order, and :func:`figure_table` lists the same
links in the same order as text, for screen readers and for print.
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from peerprinciples.core.charts import PALETTE, _escape, _number, _svg, _text
from peerprinciples.core.coproduction.coverage import SIDES, Coverage, Side, Status, Support
from peerprinciples.core.coproduction.rating_charts import ChartTable

FIGURE_TITLE = "Review categories and panel piles mapped onto the draft principles"

FONT_SIZE = 11.0
LINE_HEIGHT = 14.0
"""The distance between two lines of a label's text."""
CHAR_WIDTH = 6.2
"""An average character's width at 11 px (bold text a little wider), as in the charts."""
BOLD_CHAR_WIDTH = 6.8
SIDE_WIDTH = 250.0
PRINCIPLE_WIDTH = 260.0
GUTTER = 90.0
"""The room between a column of supports and the principles, where the lines run."""
MARGIN = 10.0
TOP = 40.0
"""Where the first box may start, below the column headings."""
BOX_GAP = 8.0
"""The least room between two boxes of a column."""
PADDING = 8.0
"""From a box's side to its text."""
MAX_LABEL_LINES = 4
MAX_DETAIL_LINES = 2
MAX_TITLE_LINES = 5

WIDTH = 2 * MARGIN + 2 * SIDE_WIDTH + PRINCIPLE_WIDTH + 2 * GUTTER
LEFT_X = MARGIN
MIDDLE_X = MARGIN + SIDE_WIDTH + GUTTER
RIGHT_X = MIDDLE_X + PRINCIPLE_WIDTH + GUTTER

_COLOURS: dict[Side, str] = {"review": PALETTE[0], "panel": PALETTE[5]}
_FILLS: dict[Side, str] = {"review": "#e6f1f8", "panel": "#fbeadf"}
_PRINCIPLE_FILL = "#f2f2f2"
_MUTED = "#555555"
_UNLINKED = "#767676"
_STATUS_WORDS: dict[Status, str] = {
    "both": "review and panel",
    "review only": "review only: no panel pile yet",
    "panel only": "panel only: no review category yet",
    "none": "nothing linked yet",
}
_SIDE_X: dict[Side, float] = {"review": LEFT_X, "panel": RIGHT_X}
_SUPPORT_EDGE: dict[Side, float] = {"review": LEFT_X + SIDE_WIDTH, "panel": RIGHT_X}
"""Where a line leaves a support's box: its right side on the left, its left side on the right."""
_PRINCIPLE_EDGE: dict[Side, float] = {"review": MIDDLE_X, "panel": MIDDLE_X + PRINCIPLE_WIDTH}


@dataclass(frozen=True)
class FigureOrder:
    """The order of each side of the figure, top to bottom."""

    review: tuple[Support, ...]
    panel: tuple[Support, ...]

    def side(self, side: Side) -> tuple[Support, ...]:
        return self.review if side == "review" else self.panel


def _edges(cover: Coverage, order: Sequence[Support]) -> list[tuple[int, int]]:
    """(position in ``order``, principle position) for every link of the supports in order."""
    column = {support.id: index for index, support in enumerate(cover.supports)}
    return [
        (place, row)
        for place, support in enumerate(order)
        for row, cells in enumerate(cover.matrix)
        if cells[column[support.id]]
    ]


def crossings(cover: Coverage, order: Sequence[Support]) -> int:
    """How many pairs of lines cross between one column of supports (in ``order``, top to
    bottom) and the principles (in their order).

    Two lines cross when they leave the supports in one order and reach the principles in the
    other; lines that share a support or a principle do not cross.
    """
    edges = _edges(cover, order)
    return sum((a[0] - b[0]) * (a[1] - b[1]) < 0 for a, b in itertools.combinations(edges, 2))


def _barycentre(cover: Coverage, given: Sequence[Support]) -> list[Support]:
    column = {support.id: index for index, support in enumerate(cover.supports)}
    placed: list[tuple[float, int, Support]] = []
    unlinked: list[Support] = []
    for index, support in enumerate(given):
        rows = [row for row, cells in enumerate(cover.matrix) if cells[column[support.id]]]
        if rows:
            placed.append((sum(rows) / len(rows), index, support))
        else:
            unlinked.append(support)
    return [support for *_, support in sorted(placed, key=lambda p: (p[0], p[1]))] + unlinked


def figure_order(cover: Coverage) -> FigureOrder:
    """Each side in barycentre order (see the module's notes), or in the order given with the
    unlinked supports last when that crosses fewer lines."""
    sides: dict[Side, tuple[Support, ...]] = {}
    for side in SIDES:
        given = [s for s in cover.supports if s.side == side]
        ordered = _barycentre(cover, given)
        unlinked = {s.id for s in _unlinked(cover, side)}
        kept = [s for s in given if s.id not in unlinked] + [s for s in given if s.id in unlinked]
        if crossings(cover, kept) < crossings(cover, ordered):
            ordered = kept
        sides[side] = tuple(ordered)
    return FigureOrder(review=sides["review"], panel=sides["panel"])


def _unlinked(cover: Coverage, side: Side) -> tuple[Support, ...]:
    return cover.unlinked_review if side == "review" else cover.unlinked_panel


def wrap(text: str, width: float, lines: int, *, char_width: float = CHAR_WIDTH) -> list[str]:
    """``text`` broken into at most ``lines`` lines that fit ``width`` pixels, the last ending
    in an ellipsis when the text is longer."""
    limit = max(int((width - 2 * PADDING) // char_width), 4)
    broken = textwrap.wrap(text, limit, break_long_words=True) or [""]
    if len(broken) <= lines:
        return broken
    kept = broken[:lines]
    kept[-1] = kept[-1][: limit - 1].rstrip() + "…"
    return kept


@dataclass(frozen=True)
class _Box:
    """A box of the figure before it is placed: its lines of text and their weights."""

    lines: tuple[tuple[str, str], ...]
    """Each line with its extra text attributes (weight, style, colour)."""
    tooltip: str

    @property
    def height(self) -> float:
        return LINE_HEIGHT * len(self.lines) + PADDING


def _support_box(support: Support, linked_to: Sequence[str]) -> _Box:
    kind = "Review category" if support.side == "review" else "Panel pile or cluster"
    lines = [(line, "") for line in wrap(support.label, SIDE_WIDTH, MAX_LABEL_LINES)]
    if support.detail:
        lines += [
            (line, f' fill="{_MUTED}"')
            for line in wrap(support.detail, SIDE_WIDTH, MAX_DETAIL_LINES)
        ]
    if linked_to:
        tooltip = f"{kind}: {support.name}. Supports {', '.join(linked_to)}."
    else:
        lines.append(("unlinked", f' font-style="italic" fill="{_UNLINKED}"'))
        tooltip = f"{kind}: {support.name}. Unlinked: it supports no principle yet."
    return _Box(tuple(lines), tooltip)


def _principle_box(cover: Coverage, index: int) -> _Box:
    row = cover.principles[index]
    bold = ' font-weight="600"'
    lines = [
        (line, bold)
        for line in wrap(
            row.principle.name, PRINCIPLE_WIDTH, MAX_TITLE_LINES, char_width=BOLD_CHAR_WIDTH
        )
    ]
    if row.status != "both":
        lines.append((_STATUS_WORDS[row.status], f' font-style="italic" fill="{_MUTED}"'))
    review = ", ".join(s.label for s in row.review) or "none"
    panel = ", ".join(s.label for s in row.panel) or "none"
    tooltip = (
        f"Draft principle {row.principle.name}. Review categories: {review}. "
        f"Panel piles or clusters: {panel}."
    )
    return _Box(tuple(lines), tooltip)


def _stack(boxes: Sequence[_Box], height: float) -> list[float]:
    """The top of each box, the column spread evenly over ``height`` from :data:`TOP`."""
    if not boxes:
        return []
    used = sum(box.height for box in boxes)
    if len(boxes) == 1:
        return [TOP + (height - used) / 2]
    gap = (height - used) / (len(boxes) - 1)
    tops, y = [], TOP
    for box in boxes:
        tops.append(y)
        y += box.height + gap
    return tops


def _column_height(boxes: Sequence[_Box]) -> float:
    return sum(box.height for box in boxes) + BOX_GAP * max(len(boxes) - 1, 0)


def _draw_box(box: _Box, x: float, top: float, width: float, frame: str, kind: str) -> str:
    spans = "".join(
        f'<tspan x="{_number(x + PADDING)}" y="{_number(top + LINE_HEIGHT * (i + 1))}"{extra}>'
        f"{_escape(line)}</tspan>"
        for i, (line, extra) in enumerate(box.lines)
    )
    return (
        f'<g class="{kind}"><title>{_escape(box.tooltip)}</title>'
        f'<rect x="{_number(x)}" y="{_number(top)}" width="{_number(width)}" '
        f'height="{_number(box.height)}" rx="4" {frame}/>'
        f"<text>{spans}</text></g>"
    )


def _frame(side: Side, unlinked: bool) -> str:
    if unlinked:
        return f'fill="#ffffff" stroke="{_UNLINKED}" stroke-width="1.5" stroke-dasharray="5 3"'
    return f'fill="{_FILLS[side]}" stroke="{_COLOURS[side]}" stroke-width="1.5"'


def _ends(count: int, top: float, height: float) -> list[float]:
    """Where ``count`` lines meet one edge of a box, spread evenly down it."""
    return [top + height * (k + 1) / (count + 1) for k in range(count)]


def mapping_figure(cover: Coverage, *, title: str = FIGURE_TITLE) -> str:
    """Figure 3 as an accessible SVG: categories left, piles right, principles between.

    The lines from one side meet a principle's edge spread out in the order of their
    supports, so they do not cross at the box. Link lines are the figure's only ``<line>``
    elements, in a group of class ``links``; the boxes of each column are in a group of
    class ``column review``, ``column principles`` or ``column panel``.
    """
    order = figure_order(cover)
    column = {support.id: index for index, support in enumerate(cover.supports)}
    keys = [row.principle.key for row in cover.principles]
    side_boxes = {
        side: [
            _support_box(
                s, [k for k, cells in zip(keys, cover.matrix, strict=True) if cells[column[s.id]]]
            )
            for s in order.side(side)
        ]
        for side in SIDES
    }
    middle = [_principle_box(cover, i) for i in range(len(cover.principles))]
    inner = max([_column_height(middle), *(_column_height(b) for b in side_boxes.values()), 60.0])
    tops = {side: _stack(boxes, inner) for side, boxes in side_boxes.items()}
    middle_tops = _stack(middle, inner)

    lines: list[str] = []
    body: list[str] = []
    for side in SIDES:
        boxes, box_tops = side_boxes[side], tops[side]
        # The edges come in support order, so the lines meeting one principle do not cross.
        edges = _edges(cover, order.side(side))
        for row in range(len(cover.principles)):
            reaching = [place for place, r in edges if r == row]
            ends = _ends(len(reaching), middle_tops[row], middle[row].height)
            for place, y_end in zip(reaching, ends, strict=True):
                y_start = box_tops[place] + boxes[place].height / 2
                lines.append(
                    f'<line x1="{_number(_SUPPORT_EDGE[side])}" y1="{_number(y_start)}" '
                    f'x2="{_number(_PRINCIPLE_EDGE[side])}" y2="{_number(y_end)}" '
                    f'stroke="{_COLOURS[side]}" stroke-width="1.2" stroke-opacity="0.8"/>'
                )
        unlinked = {s.id for s in _unlinked(cover, side)}
        drawn = [
            _draw_box(
                box, _SIDE_X[side], top, SIDE_WIDTH, _frame(side, s.id in unlinked), "support"
            )
            for s, box, top in zip(order.side(side), boxes, box_tops, strict=True)
        ]
        body.append(f'<g class="column {side}">{"".join(drawn)}</g>')
    frame = f'fill="{_PRINCIPLE_FILL}" stroke="#1a1a1a" stroke-width="1.5"'
    drawn = [
        _draw_box(box, MIDDLE_X, top, PRINCIPLE_WIDTH, frame, "principle")
        for box, top in zip(middle, middle_tops, strict=True)
    ]
    body.append(f'<g class="column principles">{"".join(drawn)}</g>')
    body.insert(0, f'<g class="links">{"".join(lines)}</g>')
    body += _headings(cover)
    return _svg(WIDTH, TOP + inner + MARGIN, title, figure_description(cover, title), body)


def _headings(cover: Coverage) -> list[str]:
    counts = cover.counts
    texts = [
        _text(x, 22, f"{words} ({count})", anchor="middle", extra=' font-weight="600"')
        for x, words, count in (
            (LEFT_X + SIDE_WIDTH / 2, "Review categories", counts.review_supports),
            (MIDDLE_X + PRINCIPLE_WIDTH / 2, "Draft principles", counts.principles),
            (RIGHT_X + SIDE_WIDTH / 2, "Panel piles and clusters", counts.panel_supports),
        )
    ]
    if not cover.principles and not cover.supports:
        nothing = "Nothing to map yet: no principles, categories or piles."
        texts.append(_text(WIDTH / 2, TOP + 30, nothing, anchor="middle"))
    return texts


def _many(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def figure_description(cover: Coverage, title: str = FIGURE_TITLE) -> str:
    """The figure in words, with its counts: the ``<desc>`` and the table's caption."""
    c = cover.counts
    return (
        f"{title}. {_many(c.principles, 'draft principle', 'draft principles')} in the "
        f"middle, {_many(c.review_supports, 'review category', 'review categories')} on the "
        f"left and {_many(c.panel_supports, 'panel pile or cluster', 'panel piles or clusters')}"
        f" on the right, joined by {_many(c.links, 'line', 'lines')}, one for each link. "
        f"Principles supported by both the review and the panel: {c.both}; by the review "
        f"only: {c.review_only}; by the panel only: {c.panel_only}; by nothing yet: "
        f"{c.unsupported}. Unlinked, supporting no principle yet (dashed outline): "
        f"{c.unlinked_review} of the review categories and {c.unlinked_panel} of the panel "
        "piles or clusters."
    )


def figure_table(cover: Coverage, *, title: str = FIGURE_TITLE) -> ChartTable:
    """The figure as a table: a row per principle with the categories and piles linked to it,
    in the figure's order, and a last row of those linked to none (when there are any)."""
    order = figure_order(cover)
    rank = {s.id: i for i, s in enumerate(order.review + order.panel)}
    rows: list[tuple[str, ...]] = []
    for row in cover.principles:
        review = sorted(row.review, key=lambda s: rank[s.id])
        panel = sorted(row.panel, key=lambda s: rank[s.id])
        rows.append(
            (
                row.principle.name,
                "; ".join(s.name for s in review) or "none",
                "; ".join(s.name for s in panel) or "none",
                _STATUS_WORDS[row.status],
            )
        )
    if cover.unlinked_review or cover.unlinked_panel:
        rows.append(
            (
                "Linked to no principle yet",
                "; ".join(s.name for s in cover.unlinked_review) or "none",
                "; ".join(s.name for s in cover.unlinked_panel) or "none",
                "unlinked",
            )
        )
    return ChartTable(
        caption=figure_description(cover, title),
        headers=("Draft principle", "Review categories", "Panel piles or clusters", "Support"),
        rows=tuple(rows),
    )
