"""Figure 3 of the founding paper from a coverage: the order of each side, the crossings it
saves, the SVG read back with lxml, and the table beside it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from lxml import etree

from peerprinciples.core.coproduction.coverage import (
    Coverage,
    DraftPrinciple,
    Support,
    coverage,
)
from peerprinciples.core.coproduction.mapping_figure import (
    BOLD_CHAR_WIDTH,
    CHAR_WIDTH,
    FONT_SIZE,
    crossings,
    figure_order,
    figure_table,
    mapping_figure,
    wrap,
)

NS = {"s": "http://www.w3.org/2000/svg"}
Box = tuple[float, float, float, float]
"""left, top, right, bottom"""


def principles(count: int) -> list[DraftPrinciple]:
    return [DraftPrinciple(f"P{n}", f"Principle {n}") for n in range(1, count + 1)]


def review(*ids: str) -> list[Support]:
    return [Support(i, f"Category {i}", "review") for i in ids]


def parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode())


def column(root: etree._Element, name: str) -> etree._Element:
    found = root.findall(f".//s:g[@class='column {name}']", NS)
    assert len(found) == 1
    return found[0]


def text_box(text: etree._Element) -> Box:
    """Where a box's text is drawn: from the top of its first line to the foot of its last
    and as wide as its longest line, at the figure's average character width."""
    spans = text.findall("s:tspan", NS)
    assert spans, "a box's text is written in lines"
    xs = {float(span.get("x")) for span in spans}
    ys = [float(span.get("y")) for span in spans]
    widths = [
        len(span.text or "") * (BOLD_CHAR_WIDTH if span.get("font-weight") == "600" else CHAR_WIDTH)
        for span in spans
    ]
    (x,) = xs
    return x, min(ys) - 0.8 * FONT_SIZE, x + max(widths), max(ys) + 0.25 * FONT_SIZE


def rect_box(rect: etree._Element) -> Box:
    x, y = float(rect.get("x")), float(rect.get("y"))
    return x, y, x + float(rect.get("width")), y + float(rect.get("height"))


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(inner: Box, outer: Box) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def labels_top_down(root: etree._Element, name: str) -> list[str]:
    groups = column(root, name).findall("s:g", NS)
    tops = [(float(g.find("s:rect", NS).get("y")), g) for g in groups]
    return ["".join(g.find("s:text", NS).itertext()) for _, g in sorted(tops, key=lambda t: t[0])]


# A hand-worked order. Three principles P1-P3 (positions 0-2) and four categories given as
# A, B, C, D (positions 0-3), linked A-P3, B-P1, C-P2, D-P1.
HAND = coverage(
    principles(3),
    review("A", "B", "C", "D"),
    [("P3", "A"), ("P1", "B"), ("P2", "C"), ("P1", "D")],
)


def test_crossings_of_the_order_given_worked_by_hand() -> None:
    # Lines (support position, principle position): A (0, 2), B (1, 0), C (2, 1), D (3, 0).
    # Two lines cross when their supports and principles come in opposite orders:
    # A-B (0<1, 2>0) yes; A-C (0<2, 2>1) yes; A-D (0<3, 2>0) yes; B-C (1<2, 0<1) no;
    # B-D share P1, no; C-D (2<3, 1>0) yes. Four crossings.
    assert crossings(HAND, HAND.supports) == 4


def test_the_barycentre_order_crosses_fewer_lines_worked_by_hand() -> None:
    # Barycentres (mean principle position): A 2, B 0, C 1, D 0; sorted, B before D as given:
    # B, D, C, A. Lines (0, 0), (1, 0), (2, 1), (3, 2) all go the same way: no crossing.
    order = figure_order(HAND)
    assert [s.id for s in order.review] == ["B", "D", "C", "A"]
    assert order.panel == ()
    assert crossings(HAND, order.review) == 0 < crossings(HAND, HAND.supports)


def test_the_order_given_is_kept_when_the_barycentre_order_crosses_more() -> None:
    # Five principles (positions 0-4). S0 is linked to P1, P2 and P5 (mean 5/3), S1 to P2 and
    # P3 (mean 3/2), so the barycentre order is S1, S0.
    # Given order S0, S1: lines (0,0) (0,1) (0,4) (1,1) (1,2); only (0,4) crosses (1,1) and
    # (1,2): two crossings.
    # Barycentre order S1, S0: lines (0,1) (0,2) (1,0) (1,1) (1,4); (1,0) crosses (0,1) and
    # (0,2), and (1,1) crosses (0,2): three crossings.
    cover = coverage(
        principles(5),
        review("S0", "S1"),
        [("P1", "S0"), ("P2", "S0"), ("P5", "S0"), ("P2", "S1"), ("P3", "S1")],
    )
    assert crossings(cover, list(reversed(cover.supports))) == 3
    order = figure_order(cover)
    assert [s.id for s in order.review] == ["S0", "S1"]
    assert crossings(cover, order.review) == 2


def test_unlinked_supports_go_last_in_the_order_given() -> None:
    supports = [
        Support("U1", "Unused", "panel"),
        Support("G1", "Pile", "panel"),
        Support("U2", "Also unused", "panel"),
        Support("G2", "Other", "panel"),
    ]
    cover = coverage(principles(2), supports, [("P2", "G1"), ("P1", "G2")])
    assert [s.id for s in figure_order(cover).panel] == ["G2", "G1", "U1", "U2"]


def test_the_figure_draws_the_hand_worked_order_top_to_bottom() -> None:
    root = parse(mapping_figure(HAND))
    assert labels_top_down(root, "review") == [
        "Category B",
        "Category D",
        "Category C",
        "Category A",
    ]
    # Principles keep the team's order.
    assert [text[:3] for text in labels_top_down(root, "principles")] == ["P1.", "P2.", "P3."]
    assert len(root.findall(".//s:g[@class='links']/s:line", NS)) == 4


@pytest.fixture
def mixed() -> Coverage:
    supports = [
        Support("C1", "Relationships", "review", "12 sources"),
        Support("C2", '<b>Pay & "rights"</b>', "review", "3 sources"),
        Support("C3", "Recovery", "review", "2 sources"),
        Support("G1", "Being heard", "panel", "group sort 1"),
        Support("G2", "Equal footing & fairness", "panel", "concept map cluster"),
    ]
    links = [("P1", "C1"), ("P1", "G1"), ("P2", "C2"), ("P2", "C1"), ("P3", "G2")]
    return coverage(principles(4), supports, links)


def test_the_svg_is_accessible_and_says_its_counts(mixed: Coverage) -> None:
    root = parse(mapping_figure(mixed, title="Mapping <draft 2>"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert root.find("s:title", NS).text == "Mapping <draft 2>"
    desc = root.find("s:desc", NS).text
    assert desc == root.get("aria-label")
    assert desc == (
        "Mapping <draft 2>. 4 draft principles in the middle, 3 review categories on the left "
        "and 2 panel piles or clusters on the right, joined by 5 lines, one for each link. "
        "Principles supported by both the review and the panel: 1; by the review only: 1; by "
        "the panel only: 1; by nothing yet: 1. Unlinked, supporting no principle yet (dashed "
        "outline): 1 of the review categories and 0 of the panel piles or clusters."
    )


def test_the_svg_has_a_box_for_everything_and_a_line_for_each_link(mixed: Coverage) -> None:
    root = parse(mapping_figure(mixed))
    assert len(column(root, "review").findall("s:g/s:rect", NS)) == 3
    assert len(column(root, "panel").findall("s:g/s:rect", NS)) == 2
    assert len(column(root, "principles").findall("s:g/s:rect", NS)) == 4
    assert len(root.findall(".//s:line", NS)) == len(mixed.links) == 5
    colours = [line.get("stroke") for line in root.findall(".//s:line", NS)]
    assert colours.count("#0072B2") == 3  # from the review: C1-P1, C1-P2, C2-P2
    assert colours.count("#D55E00") == 2  # from the panel: G1-P1, G2-P3


def test_unlinked_supports_are_dashed_and_say_so(mixed: Coverage) -> None:
    root = parse(mapping_figure(mixed))
    dashed = root.findall(".//s:rect[@stroke-dasharray]", NS)
    assert len(dashed) == 1
    group = dashed[0].getparent()
    assert group.find("s:title", NS).text == (
        "Review category: Recovery (2 sources). Unlinked: it supports no principle yet."
    )
    assert [span.text for span in group.findall("s:text/s:tspan", NS)] == [
        "Recovery",
        "2 sources",
        "unlinked",
    ]
    linked = column(root, "review").findall("s:g", NS)[0]
    assert linked.find("s:title", NS).text == (
        "Review category: Relationships (12 sources). Supports P1, P2."
    )


def test_principles_not_supported_from_both_sides_say_so(mixed: Coverage) -> None:
    root = parse(mapping_figure(mixed))
    texts = labels_top_down(root, "principles")
    assert texts == [
        "P1. Principle 1",
        "P2. Principle 2review only: no panel pile yet",
        "P3. Principle 3panel only: no review category yet",
        "P4. Principle 4nothing linked yet",
    ]


def test_peoples_text_is_escaped(mixed: Coverage) -> None:
    svg = mapping_figure(mixed)
    assert "<b>" not in svg
    assert "&lt;b&gt;Pay &amp; &quot;rights&quot;&lt;/b&gt;" in svg
    root = parse(svg)
    assert '<b>Pay & "rights"</b>' in labels_top_down(root, "review")[1]
    assert "Equal footing & fairness" in labels_top_down(root, "panel")[1]


def test_nothing_to_map_still_draws_a_figure() -> None:
    root = parse(mapping_figure(coverage([], [], [])))
    assert root.findall(".//s:line", NS) == []
    assert "Nothing to map yet" in "".join(root.itertext())


def test_long_labels_wrap_and_end_in_an_ellipsis() -> None:
    assert wrap("short", 250, 4) == ["short"]
    words = "word " * 60
    lines = wrap(words, 250, 4)
    assert len(lines) == 4
    assert lines[-1].endswith("…")
    # (250 - 2 * 8) // 6.2 = 37 characters a line.
    assert all(len(line) <= 37 for line in lines)
    assert wrap("x" * 80, 250, 4) == ["x" * 37, "x" * 37, "x" * 6]


def big_mapping(seed: int) -> Coverage:
    """Ten principles and forty supports a side, labels from one word to several lines, each
    support linked to up to three principles and some to none."""
    rng = np.random.default_rng(seed)
    words = ["peer", "support", "lived", "experience", "trust", "mutuality", "recovery", "hope"]

    def label(n: int) -> str:
        return " ".join(rng.choice(words, size=int(rng.integers(1, 30))).tolist()) + f" {n}"

    drafted = [DraftPrinciple(f"P{n}", label(n)) for n in range(1, 11)]
    supports = [
        Support(f"{side[0]}{n}", label(n), side, f"{n} sources" if side == "review" else "")
        for side in ("review", "panel")
        for n in range(40)
    ]
    links = [
        (f"P{p}", support.id)
        for support in supports
        for p in rng.choice(np.arange(1, 11), size=int(rng.integers(0, 4)), replace=False)
    ]
    return coverage(drafted, supports, links)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ten_principles_and_forty_supports_a_side_do_not_overlap(seed: int) -> None:
    cover = big_mapping(seed)
    assert cover.unlinked_review or cover.unlinked_panel, "the example should have unlinked ones"
    root = parse(mapping_figure(cover))
    lines = root.findall(".//s:g[@class='links']/s:line", NS)
    assert len(lines) == len(cover.links) == len(root.findall(".//s:line", NS))
    rects: dict[str, list[Box]] = {}
    for name in ("review", "principles", "panel"):
        groups = column(root, name).findall("s:g", NS)
        assert len(groups) == (10 if name == "principles" else 40)
        texts = [text_box(g.find("s:text", NS)) for g in groups]
        rects[name] = [rect_box(g.find("s:rect", NS)) for g in groups]
        for a, b in itertools.combinations(texts, 2):
            assert not overlap(a, b)
        for a, b in itertools.combinations(rects[name], 2):
            assert not overlap(a, b)
        for text, rect in zip(texts, rects[name], strict=True):
            assert inside(text, rect)
    # Every line starts on a support's box and ends on a principle's box.
    for line in lines:
        x1, y1 = float(line.get("x1")), float(line.get("y1"))
        x2, y2 = float(line.get("x2")), float(line.get("y2"))
        side = "review" if x1 < x2 else "panel"
        assert any(r[1] <= y1 <= r[3] and x1 in (r[0], r[2]) for r in rects[side])
        assert any(r[1] <= y2 <= r[3] and x2 in (r[0], r[2]) for r in rects["principles"])
    # The columns do not overlap one another either.
    spans = {name: (min(r[0] for r in b), max(r[2] for r in b)) for name, b in rects.items()}
    assert (
        spans["review"][1] < spans["principles"][0] < spans["principles"][1] < (spans["panel"][0])
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_figures_order_crosses_no_more_lines_than_the_order_given(seed: int) -> None:
    cover = big_mapping(seed)
    order = figure_order(cover)
    for side in ("review", "panel"):
        given = [s for s in cover.supports if s.side == side]
        assert sorted(s.id for s in order.side(side)) == sorted(s.id for s in given)
        assert crossings(cover, order.side(side)) <= crossings(cover, given)


def test_the_table_gives_the_figure_in_words_in_the_figures_order() -> None:
    supports = [*review("A", "B", "C", "D", "E"), Support("G1", "Pile", "panel", "sort 1")]
    cover = coverage(principles(3), supports, [("P3", "A"), ("P1", "B"), ("P2", "C"), ("P1", "D")])
    table = figure_table(cover)
    assert table.headers == (
        "Draft principle",
        "Review categories",
        "Panel piles or clusters",
        "Support",
    )
    assert table.rows == (
        ("P1. Principle 1", "Category B; Category D", "none", "review only: no panel pile yet"),
        ("P2. Principle 2", "Category C", "none", "review only: no panel pile yet"),
        ("P3. Principle 3", "Category A", "none", "review only: no panel pile yet"),
        ("Linked to no principle yet", "Category E", "Pile (sort 1)", "unlinked"),
    )
    assert table.caption.startswith(
        "Review categories and panel piles mapped onto the draft principles. 3 draft "
        "principles in the middle, 5 review categories on the left and 1 panel pile or "
        "cluster on the right, joined by 4 lines"
    )


def test_the_table_has_no_unlinked_row_when_everything_is_linked() -> None:
    supports = [Support("C1", "Relationships", "review"), Support("G1", "Heard", "panel")]
    cover = coverage(principles(1), supports, [("P1", "C1"), ("P1", "G1")])
    assert figure_table(cover).rows == (
        ("P1. Principle 1", "Relationships", "Heard", "review and panel"),
    )
