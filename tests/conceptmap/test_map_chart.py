"""The drawn map: accessible SVG with every point inside its region's outline, the table rows
and the CSV export."""

from __future__ import annotations

import csv
import io
import itertools
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from scipy.spatial import ConvexHull

from peerprinciples.core.coproduction.conceptmap import ConceptMap, analyse
from peerprinciples.core.coproduction.map_chart import (
    concept_map_svg,
    convex_hull,
    map_csv,
    map_rows,
)

from .studies import peer_values, rcmap_study

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def small() -> ConceptMap:
    return analyse(peer_values(), starts=2, seed=2, resamples=0)


def _points(svg: ET.Element) -> list[tuple[float, float]]:
    return [(float(c.attrib["cx"]), float(c.attrib["cy"])) for c in svg.iter(f"{SVG}circle")]


def _placed(svg: ET.Element) -> dict[str, tuple[float, float]]:
    """Each statement's drawn point, read from the point and the label drawn after it (a
    label lists every statement at that point)."""
    where: dict[str, tuple[float, float]] = {}
    elements = list(svg)
    for circle, label in itertools.pairwise(elements):
        if circle.tag == f"{SVG}circle" and label.tag == f"{SVG}text":
            for key in (label.text or "").split(", "):
                where[key] = (float(circle.attrib["cx"]), float(circle.attrib["cy"]))
    return where


def _outlines(svg: ET.Element) -> list[np.ndarray]:
    return [
        np.array([[float(v) for v in pair.split(",")] for pair in p.attrib["points"].split()])
        for p in svg.iter(f"{SVG}polygon")
    ]


def test_the_svg_is_an_accessible_image(small: ConceptMap) -> None:
    svg = ET.fromstring(concept_map_svg(small, 3, title="Peer values"))
    assert svg.attrib["role"] == "img"
    assert svg.find(f"{SVG}title").text == "Peer values"  # type: ignore[union-attr]
    description = svg.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert svg.attrib["aria-label"] == description
    assert description.startswith("Peer values: 8 statements placed by how often sorters")  # type: ignore[union-attr]
    assert "in 3 regions: 1. " in description  # type: ignore[operator]


def test_it_draws_no_script_and_no_style_attribute(small: ConceptMap) -> None:
    text = concept_map_svg(small, 4)
    assert "<script" not in text
    assert "style=" not in text


@pytest.mark.parametrize("study", ["small", "DataNCATS"])
def test_every_point_lies_inside_its_regions_outline(small: ConceptMap, study: str) -> None:
    cmap = small if study == "small" else analyse(rcmap_study(study), starts=1, resamples=0)
    k = 3 if study == "small" else 9
    svg = ET.fromstring(concept_map_svg(cmap, k))
    where = _placed(svg)
    outlines = _outlines(svg)
    regions = cmap.regions(k)
    assert sorted(where) == sorted(cmap.keys)
    assert len(outlines) == len(regions)
    for region, outline in zip(regions, outlines, strict=True):
        # scipy.spatial.ConvexHull(outline).equations: a x + b <= 0 inside the hull
        equations = ConvexHull(outline).equations
        for key in region.statements:
            assert (equations[:, :2] @ np.array(where[key]) + equations[:, 2] <= 1e-9).all()
    if study == "DataNCATS":
        dashed = [p for p in svg.iter(f"{SVG}polygon") if "stroke-dasharray" in p.attrib]
        assert len(dashed) == 2  # regions 8 and 9 reuse the palette with dashed outlines


def test_merged_clusters_are_one_outlined_region(small: ConceptMap) -> None:
    merged = small.merge(4, [1, 2], "Experience and equality")
    svg = ET.fromstring(concept_map_svg(merged, 4))
    assert len(_outlines(svg)) == 3
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    size = len(merged.regions(4)[0].statements)
    assert f"1. Experience and equality ({size} statements)" in texts


def test_names_from_people_are_escaped(small: ConceptMap) -> None:
    named = small.rename(3, 1, '<script>alert("x")</script> & co')
    text = concept_map_svg(named, 3)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in text
    texts = [t.text for t in ET.fromstring(text).iter(f"{SVG}text")]
    size = len(named.regions(3)[0].statements)
    assert f'1. <script>alert("x")</script> & co ({size} statements)' in texts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_hull_is_scipys_convex_hull(seed: int) -> None:
    points = [tuple(p) for p in np.random.default_rng(seed).normal(size=(40, 2)).tolist()]
    ours = convex_hull(points)  # type: ignore[arg-type]
    # scipy.spatial.ConvexHull(points).vertices, counter-clockwise
    hull = ConvexHull(np.array(points))
    assert set(ours) == {points[i] for i in hull.vertices}
    assert len(ours) == len(hull.vertices)


def test_the_hull_of_one_two_or_collinear_points() -> None:
    assert convex_hull([(1.0, 1.0), (1.0, 1.0)]) == [(1.0, 1.0)]
    assert convex_hull([(2.0, 0.0), (0.0, 0.0)]) == [(0.0, 0.0), (2.0, 0.0)]
    assert convex_hull([(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)]) == [(0.0, 0.0), (2.0, 2.0)]


def test_rows_give_each_statements_place_cluster_and_region(small: ConceptMap) -> None:
    merged = small.merge(4, [2, 4], "Joined")
    rows = map_rows(merged, 4)
    assert [r.statement for r in rows] == list(small.keys)
    assert [(r.x, r.y) for r in rows] == list(small.coordinates)
    assert [r.cluster for r in rows] == list(small.partitions[4])
    for row in rows:
        assert row.region == (2 if row.cluster in (2, 4) else row.cluster)
        if row.cluster in (2, 4):
            assert row.name == "Joined"


def test_the_csv_holds_the_rows_at_full_precision(small: ConceptMap) -> None:
    named = small.rename(3, 2, "=HYPERLINK(1)")
    read = list(csv.DictReader(io.StringIO(map_csv(named, 3))))
    assert list(read[0]) == ["statement", "x", "y", "cluster", "region", "region_name"]
    assert [float(r["x"]) for r in read] == [x for x, _ in small.coordinates]
    assert [float(r["y"]) for r in read] == [y for _, y in small.coordinates]
    assert [int(r["cluster"]) for r in read] == list(small.partitions[3])
    guarded = {r["region_name"] for r in read if r["cluster"] == "2"}
    assert guarded == {"'=HYPERLINK(1)"}


def test_it_refuses_a_solution_the_map_does_not_have(small: ConceptMap) -> None:
    with pytest.raises(ValueError, match="There is no 12-cluster solution"):
        concept_map_svg(small, 12)
    with pytest.raises(ValueError, match="There is no 12-cluster solution"):
        map_rows(small, 12)


def test_statements_at_one_spot_share_a_point_and_a_label(small: ConceptMap) -> None:
    svg = ET.fromstring(concept_map_svg(small, 3))
    where = _placed(svg)
    drawn = _points(svg)
    # statements 1 and 2 are in the same pile of every sorter of the small sort
    assert where["1"] == where["2"]
    assert len(drawn) == len(set(where.values())) < len(small.keys)
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.attrib.get("font-size") == "9"]
    assert len(labels) == len(drawn)
    assert sorted(k for label in labels for k in (label or "").split(", ")) == sorted(small.keys)
