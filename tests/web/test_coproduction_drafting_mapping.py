"""The coverage page: the grid saved in one go, the core's flags, a save over someone else's
change refused with both shown, supports of another project or a member's own pile refused,
the diagram and the CSV; and the demo's drafts, which show every status."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from lxml import etree
from tests.web.coproduction_drafting_supports import Supports, add_supports

from peerprinciples.web.coproduction.models import DraftPrinciple
from peerprinciples.web.coproduction.services.drafting_coverage import project_coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def supports(panel: Any) -> Supports:
    return add_supports(panel)


@pytest.fixture
def principles(panel: Any) -> list[DraftPrinciple]:
    return [
        DraftPrinciple.objects.create(project=panel.project, key=key, title=title, position=n)
        for n, (key, title) in enumerate((("trust", "Trust first"), ("equal", "As equals")), 1)
    ]


def _url(panel: Any, name: str = "mapping") -> str:
    return reverse(f"coproduction:{name}", args=[panel.project.pk])


def _box(principle: DraftPrinciple, support: str) -> str:
    return f"{principle.pk}:{support}"


def _stamp(principles: list[DraftPrinciple]) -> str:
    return ",".join(f"{p.pk}:{p.version}" for p in principles)


def test_the_grid_saves_every_link_at_once_and_the_flags_follow(
    panel, supports, principles
) -> None:  # type: ignore[no-untyped-def]
    trust, equal = principles
    client = panel.client_for(panel.research)
    page = client.get(_url(panel)).content.decode()
    assert "2 draft principles have nothing linked to them yet" in page
    assert (
        "2 review categories support no principle yet: Trust (0 codes); Equals (0 codes)." in page
    )
    [c1, _c2] = supports.ids("trust", "equals")
    [heard, safe] = supports.ids("heard", "safe")
    response = client.post(
        _url(panel),
        {
            "seen": _stamp(principles),
            "link": [_box(trust, c1), _box(trust, heard), _box(equal, safe)],
        },
        follow=True,
    )
    page = response.content.decode()
    assert "The links are saved: 2 principles changed." in page
    assert (
        "1 draft principle is supported by the panel but by no review category yet: P2. As equals."
        in page
    )
    assert "1 review category supports no principle yet: Equals (0 codes)." in page
    cover = project_coverage(panel.project).coverage
    assert [row.status for row in cover.principles] == ["both", "panel only"]
    trust.refresh_from_db()
    assert trust.version == 2
    assert list(trust.categories.all()) == [supports.trust]
    again = client.post(
        _url(panel),
        {"seen": _stamp([trust, DraftPrinciple.objects.get(pk=equal.pk)]), "link": []},
        follow=True,
    )
    assert "The links are saved: 2 principles changed." in again.content.decode()
    assert not project_coverage(panel.project).links


def test_a_save_over_someone_elses_links_is_refused_and_shows_both(
    panel, supports, principles
) -> None:  # type: ignore[no-untyped-def]
    trust, _ = principles
    opened = _stamp(principles)
    [c1, c2] = supports.ids("trust", "equals")
    first, second = panel.client_for(panel.facilitator), panel.client_for(panel.research)
    assert first.post(_url(panel), {"seen": opened, "link": [_box(trust, c1)]}).status_code == 302
    response = second.post(_url(panel), {"seen": opened, "link": [_box(trust, c2)]})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed “Trust first” after you opened the grid" in page
    assert '<th scope="row">Trust first</th><td>Trust</td><td>Equals</td>' in page
    assert f'value="{_box(trust, c2)}" id="link-{trust.pk}c{supports.equals.pk}" checked' in page
    assert list(DraftPrinciple.objects.get(pk=trust.pk).categories.all()) == [supports.trust]
    fresh = _stamp(list(DraftPrinciple.objects.order_by("pk")))
    assert second.post(_url(panel), {"seen": fresh, "link": [_box(trust, c2)]}).status_code == 302
    assert list(DraftPrinciple.objects.get(pk=trust.pk).categories.all()) == [supports.equals]


@pytest.mark.parametrize(
    ("support", "said"),
    [("private", "belongs to a member&#x27;s own sort"), ("stranger", "is not a category of this")],
)
def test_a_support_not_offered_is_refused(
    panel, supports, principles, support: str, said: str
) -> None:  # type: ignore[no-untyped-def]
    [wanted] = supports.ids(support)
    response = panel.client_for(panel.facilitator).post(
        _url(panel), {"seen": _stamp(principles), "link": [_box(principles[0], wanted)]}
    )
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not project_coverage(panel.project).links


def test_a_principle_of_another_project_in_the_grid_is_refused(panel, supports, principles) -> None:  # type: ignore[no-untyped-def]
    [c1] = supports.ids("trust")
    response = panel.client_for(panel.facilitator).post(
        _url(panel),
        {"seen": f"{_stamp(principles)},999999:1", "link": [f"999999:{c1}"]},
        follow=True,
    )
    assert "not (or no longer) in this project" in response.content.decode()


def test_a_panel_member_sees_the_links_without_boxes(panel, supports, principles) -> None:  # type: ignore[no-untyped-def]
    principles[0].categories.add(supports.trust)
    page = panel.client_for(panel.panel).get(_url(panel)).content.decode()
    assert 'type="checkbox"' not in page
    assert "Save the links" not in page
    assert "<td>yes</td>" in page


def test_the_diagram_and_the_csv(panel, supports, principles) -> None:  # type: ignore[no-untyped-def]
    principles[0].categories.add(supports.trust)
    principles[0].piles.add(supports.heard)
    client = panel.client_for(panel.panel)
    response = client.get(_url(panel, "mapping_svg"))
    assert response["Content-Type"] == "image/svg+xml"
    svg = etree.fromstring(response.content)
    assert svg.get("role") == "img"
    lines = svg.findall(".//{http://www.w3.org/2000/svg}line") + svg.findall(
        ".//{http://www.w3.org/2000/svg}path"
    )
    assert lines, "the diagram draws the links"
    assert (
        "attachment"
        in client.get(_url(panel, "mapping_svg") + "?download=1")["Content-Disposition"]
    )
    response = client.get(_url(panel, "coverage_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    # 2 principles × (2 categories + 2 piles) rows, two of them linked.
    assert len(rows) == 8
    assert [(r["principle_title"], r["support_label"]) for r in rows if r["linked"] == "yes"] == [
        ("Trust first", "Trust"),
        ("Trust first", "Being heard"),
    ]


def test_the_demo_drafts_show_every_status() -> None:
    from peerprinciples.web.coproduction.demo import ensure_coproduction_demo

    project, _ = ensure_coproduction_demo()
    cover = project_coverage(project).coverage
    assert {row.status for row in cover.principles} == {
        "both",
        "review only",
        "panel only",
        "none",
    }
    assert len(cover.unlinked_review) == 1
    assert len(cover.unlinked_panel) == 1
    assert project.values.count() == 6
    assert project.values.filter(scope="local").count() == 1
    assert all(2 <= p.aspects.count() <= 4 for p in project.principles.all())
    assert project.themes.get().title == "Diversity of lived experience"
    again, _ = ensure_coproduction_demo()
    assert again.principles.count() == 5
