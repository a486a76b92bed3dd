"""Every programme page starts its trail the same way: Into practice › the programme › the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from tests.web.practice_fixtures import Crew, crew, practice_objects

from peerprinciples.web.practice.models import Programme
from peerprinciples.web.practice.services.versions import take_version

pytestmark = pytest.mark.django_db

__all__ = ["crew"]

CELL = ("programme", "area", "principle")

# Every page of a programme that a lead opens in the browser (not the downloads), with the
# pages the trail passes through between the programme and the page itself.
PAGES: list[tuple[str, tuple[str, ...], list[str], str]] = [
    ("practice:matrix", ("programme",), [], "Practice matrix"),
    ("practice:settings", ("programme",), [], "Settings"),
    ("practice:members", ("programme",), [], "Members"),
    ("practice:areas", ("programme",), ["Settings"], "Areas"),
    ("practice:framework", ("programme",), [], "Framework version"),
    ("practice:cell", CELL, [], "Mutuality and reciprocity × Supervision (individual)"),
    ("practice:prompt", CELL, ["Mutuality and reciprocity × Supervision (individual)"], "Prompt"),
    (
        "practice:cell_history",
        CELL,
        ["History"],
        "Mutuality and reciprocity in Supervision (individual)",
    ),
    ("practice:history", ("programme",), [], "History"),
    ("practice:versions", ("programme",), [], "Numbered versions"),
    ("practice:compare_versions", ("programme",), ["Numbered versions"], "Compare"),
    ("practice:gaps", ("programme",), [], "Gaps"),
    ("practice:cell_actions", CELL, ["Gaps"], "Reflection actions"),
    ("practice:handbook", ("programme",), [], "Handbook"),
    ("practice:sections", ("programme",), ["Handbook"], "Own sections"),
    ("practice:section", ("programme", "section"), ["Handbook", "Own sections"], "Who to contact"),
    ("practice:compare", ("programme",), [], "Side by side"),
    ("practice:side_by_side", ("programme", "other"), ["Side by side"], "The other programme"),
]


def _trail(page: str) -> list[str]:
    """The breadcrumb's steps as plain text, links and all."""
    found = re.findall(r'<p class="breadcrumb">(.*?)</p>', page, flags=re.S)
    assert len(found) == 1, f"expected one breadcrumb, found {len(found)}"
    return [re.sub(r"<[^>]+>", "", step).strip() for step in found[0].split(" › ")]


@pytest.mark.parametrize(("name", "args", "between", "here"), PAGES, ids=[p[0] for p in PAGES])
def test_every_programme_page_has_the_same_trail(
    crew: Crew, name: str, args: tuple[str, ...], between: list[str], here: str
) -> None:
    objects: dict[str, Any] = practice_objects(crew)
    Programme.objects.filter(pk=crew.other.pk).update(name="The other programme")
    take_version(crew.lead, crew.programme)
    query = "?a=1&b=0" if name == "practice:compare_versions" else ""
    url = reverse(name, args=[objects[a] for a in args]) + query
    response = crew.client_for(crew.lead).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert _trail(page) == ["Into practice", crew.programme.name, *between, here]
    assert f'<a href="{reverse("practice:index")}">Into practice</a>' in page
    matrix = reverse("practice:matrix", args=[crew.programme.pk])
    linked = f'<a href="{matrix}">{crew.programme.name}</a>' in page
    # The programme's name leads back to its matrix, except on the matrix itself.
    assert linked is (name != "practice:matrix")
