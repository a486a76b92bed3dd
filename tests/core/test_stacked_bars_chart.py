"""Horizontal bars split into parts laid end to end: their lengths, ticks and refusals."""

from __future__ import annotations

import pytest
from lxml import etree

from peerprinciples.core.charts import MAX_BARS, PALETTE, stacked_bars_chart

SVG = {"s": "http://www.w3.org/2000/svg"}


def bars(svg: etree._Element) -> list[etree._Element]:
    """The parts of the bars (the legend's swatches are 10 by 10)."""
    return [r for r in svg.iterfind("s:rect", SVG) if r.get("height") != "10"]


def test_parts_are_laid_end_to_end_in_proportion_to_their_counts() -> None:
    text = stacked_bars_chart(["A", "B"], [("peer-reviewed", [6, 2]), ("grey", [2, 0])], "Sources")
    svg = etree.fromstring(text.encode())
    a_peer, a_grey, b_peer = bars(svg)
    widths = [float(r.get("width")) for r in (a_peer, a_grey, b_peer)]
    # The longest bar (8) is 260 px: 6 -> 195, 2 -> 65.
    assert widths == [195.0, 65.0, 65.0]
    assert float(a_grey.get("x")) == pytest.approx(float(a_peer.get("x")) + 195.0, abs=0.1)
    assert [r.get("fill") for r in (a_peer, a_grey, b_peer)] == [PALETTE[0], PALETTE[5], PALETTE[0]]


def test_the_total_is_written_at_the_end_of_each_bar() -> None:
    svg = etree.fromstring(
        stacked_bars_chart(["A", "B"], [("x", [6, 2]), ("y", [2, 0])], "T").encode()
    )
    totals = [t.text for t in svg.iterfind("s:text", SVG) if t.get("font-size") == "10"]
    assert totals == ["8", "2"]


@pytest.mark.parametrize(
    ("most", "ticks"),
    [
        (1, ["0", "1"]),
        (7, ["0", "2", "4", "6"]),
        (13, ["0", "5", "10"]),
        (95, ["0", "20", "40", "60", "80"]),
    ],
)
def test_the_axis_has_round_ticks(most: int, ticks: list[str]) -> None:
    svg = etree.fromstring(stacked_bars_chart(["A"], [("x", [most])], "T").encode())
    found = [t.text for t in svg.iterfind("s:text", SVG) if t.get("text-anchor") == "middle"]
    assert found[:-1] == ticks  # the last is the axis's name
    assert found[-1] == "sources"


def test_too_many_bars_are_refused() -> None:
    labels = [str(n) for n in range(MAX_BARS + 1)]
    with pytest.raises(ValueError, match=f"at most {MAX_BARS}"):
        stacked_bars_chart(labels, [("x", [1] * len(labels))], "T")


def test_more_parts_than_colours_are_refused() -> None:
    with pytest.raises(ValueError, match="3 parts but 2 colours"):
        stacked_bars_chart(["A"], [("x", [1]), ("y", [1]), ("z", [1])], "T")


def test_counts_that_do_not_match_the_labels_are_refused() -> None:
    with pytest.raises(ValueError, match="has 1 counts for 2 bars"):
        stacked_bars_chart(["A", "B"], [("x", [1])], "T")
