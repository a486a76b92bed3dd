"""The ladder and go-zone charts: accessible SVG, escaped text, and tables of the same numbers."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from scipy import stats
from tests.coproduction.rcmap_data import PANEL, reference_ratings

from peerprinciples.core.charts import PALETTE
from peerprinciples.core.coproduction.cardsort import StatementRating
from peerprinciples.core.coproduction.rating_charts import (
    go_zone_chart,
    go_zone_table,
    ladder_chart,
    ladder_table,
)
from peerprinciples.core.coproduction.rating_comparisons import LadderSide, go_zone, ladder
from peerprinciples.core.coproduction.rcmap import RCMapProject, read_rcmap_folder

SVG = "{http://www.w3.org/2000/svg}"
CLUSTERS = {"1": 1, "4": 1, "8": 1, "2": 2, "7": 2, "5": 2, "3": 3, "6": 3}
NAMES = {1: "Relationships", 2: '<b>Pay & "rights"</b>', 3: "Learning"}


@pytest.fixture(scope="module")
def panel() -> RCMapProject:
    return read_rcmap_folder(PANEL)


@pytest.fixture(scope="module")
def means() -> pd.DataFrame:
    """Statement x scale means, and cluster x scale means of them, as pandas works them out."""
    given = reference_ratings(PANEL / "Ratings.csv")
    return given.groupby(["statement", "scale"])["value"].mean().unstack()


def cluster_reference(means: pd.DataFrame) -> pd.DataFrame:
    return means.groupby(means.index.map(CLUSTERS)).mean()


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root.find(f"{SVG}title") is not None
    assert root.find(f"{SVG}desc").text == root.get("aria-label")  # type: ignore[union-attr]
    for element in root.iter():
        assert "style" not in element.attrib, element.tag
        assert element.tag != f"{SVG}script"
    return root


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_the_ladder_is_accessible_svg_with_its_numbers_in_words(panel: RCMapProject) -> None:
    result = ladder(
        panel.ratings, CLUSTERS, LadderSide("Importance"), LadderSide("Feasibility"), names=NAMES
    )
    root = parse(ladder_chart(result))
    assert root.find(f"{SVG}title").text == "Ladder: Importance and Feasibility"  # type: ignore[union-attr]
    description = root.get("aria-label") or ""
    assert "Relationships 4.00 and 3.53" in description
    # scipy.stats.pearsonr of the cluster means -> 0.906482 (see test_statement_ratings)
    assert description.endswith("Pearson's r = 0.91 across 3 clusters.")
    lines = [e for e in root.iter(f"{SVG}line") if e.get("stroke-width") == "2"]
    assert len(lines) == 3
    assert {e.get("stroke") for e in lines} <= set(PALETTE)


def test_people_s_text_is_escaped_never_markup(panel: RCMapProject) -> None:
    result = ladder(
        panel.ratings, CLUSTERS, LadderSide("Importance"), LadderSide("Feasibility"), names=NAMES
    )
    svg = ladder_chart(result, title="Pay & <conditions>")
    assert "<b>" not in svg
    assert "&lt;b&gt;Pay &amp; &quot;rights&quot;&lt;/b&gt;" in svg
    root = parse(svg)
    assert any(text.startswith('<b>Pay & "rights"</b>') for text in texts(root))
    assert root.find(f"{SVG}title").text == "Pay & <conditions>"  # type: ignore[union-attr]


def test_the_ladder_table_holds_the_numbers_the_chart_shows(
    panel: RCMapProject, means: pd.DataFrame
) -> None:
    result = ladder(
        panel.ratings, CLUSTERS, LadderSide("Importance"), LadderSide("Feasibility"), names=NAMES
    )
    reference = cluster_reference(means)
    r = stats.pearsonr(reference["Importance"], reference["Feasibility"]).statistic
    table = ladder_table(result)
    assert table.headers == ("Cluster", "Name", "Importance", "Feasibility", "Difference")
    assert table.caption.endswith(f"Pearson's r = {r:.2f} across 3 clusters.")
    for row, (cluster, expected) in zip(table.rows, reference.iterrows(), strict=True):
        left, right = expected["Importance"], expected["Feasibility"]
        assert row == (
            str(cluster),
            NAMES[int(cluster)],
            f"{left:.2f}",
            f"{right:.2f}",
            f"{left - right:+.2f}",
        )
    shown = texts(parse(ladder_chart(result)))
    for row in table.rows:
        assert any(row[2] in text and row[1][:10] in text for text in shown)


def test_a_cluster_rated_on_one_side_is_shown_without_a_line(panel: RCMapProject) -> None:
    ratings = [*panel.ratings, StatementRating("P01", "9", "Importance", 5.0)]
    clusters = {**CLUSTERS, "9": 4}
    result = ladder(ratings, clusters, LadderSide("Importance"), LadderSide("Feasibility"))
    root = parse(ladder_chart(result))
    assert len([e for e in root.iter(f"{SVG}line") if e.get("stroke-width") == "2"]) == 3
    assert len(list(root.iter(f"{SVG}circle"))) == 7
    assert ladder_table(result).rows[-1] == ("4", "Cluster 4", "5.00", "not rated", "")
    assert "Cluster 4 5.00 and not rated" in (root.get("aria-label") or "")


def test_a_ladder_of_equal_means_and_no_r_still_draws() -> None:
    ratings = [StatementRating("A", key, scale, 3.0) for key in "12" for scale in "xy"]
    result = ladder(ratings, {"1": 1, "2": 2}, LadderSide("x"), LadderSide("y"))
    root = parse(ladder_chart(result))
    assert "Pearson's r not worked out (2 clusters rated in both columns)" in texts(root)


def test_the_go_zone_is_accessible_svg_naming_the_statements_in_it(panel: RCMapProject) -> None:
    zone = go_zone(panel.ratings, "Importance", "Feasibility", clusters=CLUSTERS)
    root = parse(go_zone_chart(zone, names=NAMES))
    description = root.get("aria-label") or ""
    # means.Importance.mean() -> 3.875, means.Feasibility.mean() -> 3.252083
    assert "split at the means 3.88 and 3.25" in description
    assert description.endswith("2 are above both means (the go-zone): 1, 4.")
    points = list(root.iter(f"{SVG}circle"))
    assert len(points) == 8
    assert {p.get("fill") for p in points} == set(PALETTE[:3])
    shown = texts(root)
    assert "1: Relationships" in shown
    assert '2: <b>Pay & "rights"</b>' in shown
    assert set(CLUSTERS) <= set(shown)
    shaded = [e for e in root.iter(f"{SVG}rect") if e.get("fill-opacity")]
    assert len(shaded) == 1


def test_the_go_zone_table_gives_every_statement_its_means_and_quadrant(
    panel: RCMapProject, means: pd.DataFrame
) -> None:
    ratings = [*panel.ratings, StatementRating("P01", "9", "Importance", 5.0)]
    zone = go_zone(ratings, "Importance", "Feasibility", statements=[*panel.cardsort.keys, "9"])
    statements = {**panel.cardsort.statements, "9": "Only rated for importance"}
    table = go_zone_table(zone, texts=statements, names=NAMES)
    assert table.headers == (
        "Statement",
        "Text",
        "Cluster",
        "Importance",
        "Feasibility",
        "Quadrant",
    )
    rows = {row[0]: row for row in table.rows}
    for key, expected in means.iterrows():
        row = rows[str(key)]
        assert row[1] == panel.cardsort.statements[str(key)]
        assert (row[3], row[4]) == (
            f"{expected['Importance']:.2f}",
            f"{expected['Feasibility']:.2f}",
        )
    assert rows["1"][5] == "go-zone: above both means"
    assert rows["2"][5] == "above the mean on Importance only"
    assert rows["7"][5] == "above the mean on Feasibility only"
    assert rows["5"][5] == "below both means"
    assert rows["9"][1:] == (
        "Only rated for importance",
        "",
        "not rated",
        "not rated",
        "not placed",
    )
    assert "2 statements in the go-zone" in table.caption
    plain = go_zone_table(zone)
    assert plain.headers[1] == "Cluster"
    assert "Not placed, without a mean on both: 9." in (
        parse(go_zone_chart(zone)).get("aria-label") or ""
    )


def test_a_go_zone_of_one_statement_still_draws() -> None:
    ratings = [StatementRating("A", "1", "x", 2.0), StatementRating("A", "1", "y", 4.0)]
    root = parse(go_zone_chart(go_zone(ratings, "x", "y")))
    assert len(list(root.iter(f"{SVG}circle"))) == 1


def test_labels_beside_a_crowded_ladder_never_overlap_nor_leave_the_chart() -> None:
    # Nine clusters share the lowest mean, so their labels pile up at the foot of the chart.
    ratings = [StatementRating("A", str(n), "x", 1.0 if n < 9 else 5.0) for n in range(10)]
    ratings += [StatementRating("A", str(n), "y", float(n % 5 + 1)) for n in range(10)]
    result = ladder(ratings, {str(n): n + 1 for n in range(10)}, LadderSide("x"), LadderSide("y"))
    root = parse(ladder_chart(result))
    height = float(root.get("height") or 0)
    labels = [
        e
        for e in root.iter(f"{SVG}text")
        if e.get("text-anchor") == "end" and "Cluster" in (e.text or "")
    ]
    ys = sorted(float(e.get("y") or 0) for e in labels)
    assert len(ys) == 10
    assert all(later - earlier >= 13 for earlier, later in itertools.pairwise(ys))
    assert ys[0] > 0
    assert ys[-1] < height


def test_a_go_zone_on_a_hundred_point_scale_has_round_ticks() -> None:
    ratings = [StatementRating("A", str(n), s, float(n * 11)) for n in range(10) for s in "xy"]
    shown = texts(parse(go_zone_chart(go_zone(ratings, "x", "y"))))
    assert {"0", "20", "40", "60", "80"} <= set(shown)
