"""Everyone in the project reads the map: the picture, and a table of the same numbers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pytest
from django.urls import reverse
from django.utils.html import escape
from tests.web.coproduction_mapping_fixtures import TEXTS, add_sort, sorted_project, stored_map

from peerprinciples.core.coproduction.map_chart import concept_map_svg, map_csv, map_rows
from peerprinciples.web.coproduction.models import ConceptMap, Member, Project
from peerprinciples.web.coproduction.services import mapping

pytestmark = pytest.mark.django_db
__all__ = ["sorted_project"]


def _fixed(value: float, places: int) -> str:
    """A number as the page prints it: rounded half up to ``places`` decimals."""
    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


@pytest.fixture
def drawn(panel, sorted_project) -> Any:  # type: ignore[no-untyped-def]
    return stored_map(sorted_project, panel.research)


def _page(panel, user, project, **query) -> str:  # type: ignore[no-untyped-def]
    response = panel.client_for(user).get(reverse("coproduction:map", args=[project.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_table_holds_the_cores_places_and_clusters(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    result = mapping.result_of(drawn)
    k = mapping.suggested_clusters(result)
    page = _page(panel, panel.panel, drawn.project)
    assert concept_map_svg(result, k, title=f"Concept map, {k} clusters") in page
    for row in map_rows(result, k):
        text = escape(TEXTS[int(row.statement) - 1])
        assert (
            f'<tr><th scope="row">{row.statement}</th><td>{text}</td>'
            f"<td>{_fixed(row.x, 3)}</td><td>{_fixed(row.y, 3)}</td><td>{row.region}"
        ) in page


def test_the_stability_of_every_solution_is_shown(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    result = mapping.result_of(drawn)
    page = _page(panel, panel.panel, drawn.project)
    for k in result.cluster_counts:
        scores = result.stability[k].scores
        mean = float(np.mean(scores))  # numpy.mean of the resamples' adjusted Rand indices
        sd = float(np.std(scores, ddof=1))  # numpy.std(ddof=1)
        assert f'<td class="mean">{_fixed(mean, 2)}</td><td>{_fixed(sd, 2)}</td>' in page


def test_before_a_choice_the_most_stable_solution_is_shown(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    result = mapping.result_of(drawn)
    means = {k: np.mean(result.stability[k].scores) for k in result.cluster_counts}
    best = max(means.values())
    expected = min(k for k, mean in means.items() if np.isclose(mean, best))
    assert mapping.suggested_clusters(result) == expected
    assert f"the map shows {expected}, the most stable solution" in _page(
        panel, panel.panel, drawn.project
    )


def test_the_facts_of_the_run_are_shown(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    page = _page(panel, panel.panel, drawn.project)
    assert f"<dd>{_fixed(drawn.stress, 3)}. Stress says" in page
    assert "seed 7, 2 starts" in page
    assert "the finished sorts of 12 members, of 9 cards" in page
    assert "counts as a pile of its own" in page


def test_any_number_of_clusters_can_be_looked_at_without_changing_the_map(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    page = _page(panel, panel.panel, drawn.project, clusters=4)
    assert "The 4 clusters" in page
    drawn.refresh_from_db()
    assert drawn.chosen_clusters is None


def test_an_earlier_map_is_shown_when_asked_for(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    later = stored_map(drawn.project, panel.research, seed=8, starts=1)
    latest = _page(panel, panel.panel, drawn.project)
    assert "This is an earlier map" not in latest
    assert f"seed {later.seed}," in latest
    earlier = _page(panel, panel.panel, drawn.project, map=drawn.pk)
    assert "This is an earlier map" in earlier
    assert "seed 7," in earlier


def test_a_map_of_another_project_is_not_found(panel, drawn, make_user) -> None:  # type: ignore[no-untyped-def]
    other = Project.objects.create(name="Other", framing_question="?", created_by=panel.outsider)
    Member.objects.create(
        project=other, user=panel.outsider, role=Member.Role.FACILITATOR, code="X"
    )
    client = panel.client_for(panel.outsider)
    assert (
        client.get(reverse("coproduction:map", args=[other.pk]), {"map": drawn.pk}).status_code
        == 404
    )
    assert client.get(reverse("coproduction:map_csv", args=[other.pk, drawn.pk])).status_code == 404


def test_the_downloads_hold_the_cores_svg_and_csv(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    result = mapping.result_of(drawn)
    client = panel.client_for(panel.panel)
    svg = client.get(
        reverse("coproduction:map_svg", args=[drawn.project.pk, drawn.pk]), {"clusters": 5}
    )
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.decode() == concept_map_svg(result, 5, title="Concept map, 5 clusters")
    assert "attachment" in svg["Content-Disposition"]
    csv = client.get(
        reverse("coproduction:map_csv", args=[drawn.project.pk, drawn.pk]), {"clusters": 3}
    )
    assert csv.content.decode() == map_csv(result, 3)


def test_an_unknown_number_of_clusters_falls_back_to_the_one_shown(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    result = mapping.result_of(drawn)
    k = mapping.suggested_clusters(result)
    csv = panel.client_for(panel.panel).get(
        reverse("coproduction:map_csv", args=[drawn.project.pk, drawn.pk]), {"clusters": "99"}
    )
    assert csv.content.decode() == map_csv(result, k)


def test_without_a_map_the_page_says_what_is_needed(panel) -> None:  # type: ignore[no-untyped-def]
    page = _page(panel, panel.facilitator, panel.project)
    assert "There is no map yet" in page
    assert "the project has 0 finished sorts of 0 cards" in page
    assert not ConceptMap.objects.exists()


def test_notes_about_one_sorters_sort_are_shown_only_to_those_who_follow_sorting(
    panel, sorted_project
) -> None:  # type: ignore[no-untyped-def]
    # Which cards one member left out of their piles is part of their own sort, which the
    # rest of the panel never sees; the count of such notes is still said.
    partial = Member.objects.create(project=sorted_project, code="S13")
    add_sort(partial, [[1, 2, 3], [4, 5]])
    stored = stored_map(sorted_project, panel.research)
    notes = [w for w in mapping.result_of(stored).warnings if w.where == "sorter S13"]
    assert len(notes) == 1
    for user in (panel.facilitator, panel.research):
        page = _page(panel, user, sorted_project)
        assert f"sorter S13: {escape(notes[0].what)}" in page
        assert "shown to the facilitator and the research team only" not in page
    page = _page(panel, panel.panel, sorted_project)
    assert "sorter S13" not in page
    assert "1 note about individual sorts" in page
    assert "is shown to the facilitator and the research team only" in page
