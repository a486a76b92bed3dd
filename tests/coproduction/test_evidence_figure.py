"""Figure 1 of the founding paper from a review's evidence: the rows of its table, their CSV,
and the chart."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from peerprinciples.core.charts import MAX_BARS
from peerprinciples.core.coproduction.evidence import (
    Category,
    Code,
    Evidence,
    Quotation,
    Source,
    SourceKind,
)
from peerprinciples.core.coproduction.evidence_csv import read_evidence_csv
from peerprinciples.core.coproduction.evidence_figure import (
    CSV_COLUMNS,
    FigureRow,
    figure_chart,
    figure_csv,
    figure_rows,
)
from peerprinciples.core.coproduction.evidence_summary import summarise_evidence

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
SVG = {"s": "http://www.w3.org/2000/svg"}


@pytest.fixture(scope="module")
def review() -> Evidence:
    return read_evidence_csv(FIXTURES / "codebook.csv", FIXTURES / "sources.csv")


def many_categories(count: int) -> Evidence:
    sources = tuple(
        Source(f"S{n}", f"S{n}", SourceKind.GREY if n % 3 == 0 else SourceKind.PEER_REVIEWED)
        for n in range(count)
    )
    categories = tuple(Category(f"C{n}", f"Category {n}") for n in range(count))
    codes = tuple(Code(f"K{n}", f"Code {n}", category=f"C{n}") for n in range(count))
    # Category n is found in n + 1 sources.
    quotations = tuple(
        Quotation(f"Q{n}-{m}", f"S{m}", (f"K{n}",)) for n in range(count) for m in range(n + 1)
    )
    return Evidence(sources, categories, codes, quotations)


def test_category_rows_match_pandas_on_the_coded_sources(review: Evidence) -> None:
    rows = figure_rows(summarise_evidence(review))
    table = pd.DataFrame(
        [(q.source, code) for q in review.quotations for code in q.codes],
        columns=["source", "code"],
    )
    table["category"] = table["code"].map({c.key: c.category for c in review.codes})
    table["grey"] = table["source"].map({s.key: s.kind is SourceKind.GREY for s in review.sources})
    distinct = table.dropna(subset=["category"]).drop_duplicates(["category", "source"])
    expected = distinct.groupby("category").agg(sources=("source", "size"), grey=("grey", "sum"))
    for row in rows:
        if row.label in expected.index:
            assert (row.sources, row.grey) == tuple(expected.loc[row.label].astype(int))
            assert row.peer_reviewed == row.sources - row.grey
        else:
            assert row.sources == 0


def test_category_rows_come_most_often_found_first(review: Evidence) -> None:
    rows = figure_rows(summarise_evidence(review))
    # Mutuality comes before the other categories of one source: that source gave two of
    # its codes (two mentions). Ties after that go by label.
    assert [(row.label, row.sources, row.grey) for row in rows] == [
        ("Relationships", 2, 1),
        ("Mutuality", 1, 0),
        ("Experiential knowledge", 1, 1),
        ("Leadership", 1, 1),
        ("Wider communities", 0, 0),
    ]


def test_code_rows_follow_their_categories_and_end_with_codes_without_one(
    review: Evidence,
) -> None:
    rows = figure_rows(summarise_evidence(review), by="code")
    assert [(row.label, row.category) for row in rows][:5] == [
        ("Trust", "Relationships"),
        ("Shared lived experience", "Relationships"),
        ("Empathy", "Mutuality"),
        ("Reciprocity", "Mutuality"),
        ("Valuing lived experience", "Experiential knowledge"),
    ]
    assert (rows[-1].label, rows[-1].category, rows[-1].sources) == ("Hope", "", 1)


def test_rows_by_anything_else_are_refused(review: Evidence) -> None:
    with pytest.raises(ValueError, match="not 'source'"):
        figure_rows(summarise_evidence(review), by="source")  # type: ignore[arg-type]


def test_the_csv_has_every_row_and_the_share_to_four_places(review: Evidence) -> None:
    rows = figure_rows(summarise_evidence(review))
    read = list(csv.DictReader(io.StringIO(figure_csv(rows))))
    assert tuple(read[0]) == CSV_COLUMNS
    assert [r["label"] for r in read] == [row.label for row in rows]
    assert read[0]["grey_share"] == "0.5000"
    assert read[-1]["grey_share"] == ""
    assert read[-1]["first_year"] == ""
    assert (read[0]["first_year"], read[0]["last_year"]) == ("2011", "2014")


def test_csv_cells_that_look_like_formulas_are_written_as_text() -> None:
    row = FigureRow("=SUM(A1)", "+x", 1, 1, 0, 0.0, 1, None, None)
    assert figure_csv([row]).splitlines()[1].startswith("'=SUM(A1),'+x,")


def test_the_chart_is_an_accessible_svg_with_a_bar_part_per_kind(review: Evidence) -> None:
    rows = figure_rows(summarise_evidence(review))
    svg = etree.fromstring(figure_chart(rows).encode())
    assert svg.get("role") == "img"
    assert svg.findtext("s:title", namespaces=SVG) == (
        "Codes and categories from the literature review"
    )
    description = svg.findtext("s:desc", namespaces=SVG)
    assert "Relationships 2 (peer-reviewed 1, grey literature 1)" in description
    assert svg.get("aria-label") == description
    bars = [r for r in svg.iterfind("s:rect", SVG) if r.get("height") != "10"]
    # One part for each non-zero count: 1+1, 0+1, 0+1, 1+0 and none for the empty category.
    assert len(bars) == 5
    assert not svg.xpath("//@style")


def test_the_chart_escapes_every_label() -> None:
    rows = [FigureRow("<script>alert(1)</script> & co", "", 2, 1, 1, 0.5, 2, 2001, 2002)]
    text = figure_chart(rows, title="A <b>title</b>")
    assert "<script>" not in text
    assert "<b>" not in text
    svg = etree.fromstring(text.encode())
    assert svg.findtext("s:title", namespaces=SVG) == "A <b>title</b>"
    assert "<script>alert(1)</script> & co" in svg.findtext("s:desc", namespaces=SVG)


def test_more_categories_than_a_chart_holds_show_the_most_often_found() -> None:
    rows = figure_rows(summarise_evidence(many_categories(MAX_BARS + 5)))
    assert len(rows) == MAX_BARS + 5
    svg = etree.fromstring(figure_chart(rows).encode())
    title = svg.findtext("s:title", namespaces=SVG)
    assert title.endswith(f": the {MAX_BARS} found most often, of {MAX_BARS + 5}")
    labels = [t.text for t in svg.iterfind("s:text", SVG) if t.get("text-anchor") == "end"]
    assert labels[0] == f"Category {MAX_BARS + 4}"  # found in the most sources
    assert len(labels) == MAX_BARS


def test_long_labels_are_cut_in_the_chart_and_kept_whole_in_its_description() -> None:
    label = "Pedagogies, Practices in Teaching and Learning and much else besides"
    svg = etree.fromstring(figure_chart([FigureRow(label, "", 1, 1, 0, 0.0, 1, None, None)]))
    shown = [t.text for t in svg.iterfind("s:text", SVG) if t.get("text-anchor") == "end"]
    assert shown[0].endswith("…")
    assert len(shown[0]) < len(label)
    assert label in svg.findtext("s:desc", namespaces=SVG)
