"""Figure 1 and its numbers: the page, the SVG and the CSV agree with the stored review."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pytest
from django.urls import reverse
from tests.web.coproduction_evidence_fixtures import project_qdpx

from peerprinciples.core.coproduction import refiqda
from peerprinciples.web.coproduction.services.evidence import store_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(panel):  # type: ignore[no-untyped-def]
    """The panel's project holding the example review: category 'Relationships built on
    trust' from source A (2009, peer-reviewed); 'Sharing power' from B (2014, peer-reviewed)
    and C (2016, grey)."""
    evidence = refiqda.read_qdpx(project_qdpx())
    store_evidence(panel.research, panel.project, evidence, file_name="review.qdpx")
    return panel


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_every_member_sees_the_figure_and_its_table(reviewed) -> None:  # type: ignore[no-untyped-def]
    response = reviewed.client_for(reviewed.panel).get(
        reverse("coproduction:evidence", args=[reviewed.project.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") == 1
    assert 'role="img"' in page
    table = page.split('id="by-category-caption"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td>(\d+)</td>', table)
    # Most sources first, as in the paper's Figure 1.
    assert rows == [("Sharing power", "2"), ("Relationships built on trust", "1")]
    assert "2014–2016" in table
    assert "50%" in table


def test_the_share_of_grey_literature_is_the_mean_of_grey_sources(reviewed) -> None:  # type: ignore[no-untyped-def]
    response = reviewed.client_for(reviewed.panel).get(
        reverse("coproduction:evidence_csv", args=[reviewed.project.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = {row["label"]: row for row in _rows(response.content.decode("utf-8"))}
    power = rows["Sharing power"]
    # np.mean([False, True]) over its sources B (peer-reviewed) and C (grey) = 0.5
    assert float(power["grey_share"]) == pytest.approx(np.mean([False, True]))
    assert (power["sources"], power["grey"], power["first_year"], power["last_year"]) == (
        "2",
        "1",
        "2014",
        "2016",
    )
    trust = rows["Relationships built on trust"]
    assert (trust["sources"], trust["quotations"], trust["grey_share"]) == ("1", "2", "0.0000")


def test_the_numbers_by_code_name_each_code_and_its_category(reviewed) -> None:  # type: ignore[no-untyped-def]
    url = reverse("coproduction:evidence_csv", args=[reviewed.project.pk])
    response = reviewed.client_for(reviewed.panel).get(url + "?by=code")
    assert 'filename="evidence-codes.csv"' in response["Content-Disposition"]
    rows = {row["label"]: row for row in _rows(response.content.decode("utf-8"))}
    assert rows["Choice and control"]["category"] == "Sharing power"
    assert rows["Choice and control"]["sources"] == "2"
    assert rows["Working across boundaries"]["sources"] == "0"
    assert rows["Working across boundaries"]["category"] == ""


def test_the_figure_downloads_as_svg(reviewed) -> None:  # type: ignore[no-untyped-def]
    response = reviewed.client_for(reviewed.panel).get(
        reverse("coproduction:evidence_svg", args=[reviewed.project.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert "Sharing power 2 (peer-reviewed 1, grey literature 1)" in svg


def test_an_empty_review_says_how_to_start(panel) -> None:  # type: ignore[no-untyped-def]
    page = (
        panel.client_for(panel.research)
        .get(reverse("coproduction:evidence", args=[panel.project.pk]))
        .content.decode()
    )
    assert "The review holds no sources or codes yet." in page
    assert reverse("coproduction:evidence_import", args=[panel.project.pk]) in page
    assert "<svg" not in page


def test_a_panel_member_is_not_offered_the_import(panel) -> None:  # type: ignore[no-untyped-def]
    page = (
        panel.client_for(panel.panel)
        .get(reverse("coproduction:evidence", args=[panel.project.pk]))
        .content.decode()
    )
    assert reverse("coproduction:evidence_import", args=[panel.project.pk]) not in page


def test_codes_without_categories_are_drawn_as_bars(panel) -> None:  # type: ignore[no-untyped-def]
    from peerprinciples.core.coproduction import evidence as core

    evidence = core.Evidence(
        sources=(core.Source("S1", "Example A. (2009)", core.SourceKind.GREY, 2009),),
        codes=(core.Code("K1", "Belonging"),),
        quotations=(core.Quotation("Q1", "S1", ("K1",)),),
    )
    store_evidence(panel.research, panel.project, evidence, file_name="codes.csv")
    page = (
        panel.client_for(panel.panel)
        .get(reverse("coproduction:evidence", args=[panel.project.pk]))
        .content.decode()
    )
    assert "Figure 1: codes by how often they were found" in page
    assert "Belonging 1 (peer-reviewed 0, grey literature 1)" in page
