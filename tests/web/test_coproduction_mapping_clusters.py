"""The facilitator chooses how many clusters the map shows, and names and merges them; a
change made over someone else's is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.coproduction_mapping_fixtures import sorted_project, stored_map

from peerprinciples.core.coproduction.edits import MERGE, RENAME
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import Cluster
from peerprinciples.web.coproduction.services import mapping

pytestmark = pytest.mark.django_db
__all__ = ["sorted_project"]


@pytest.fixture
def drawn(panel, sorted_project) -> Any:  # type: ignore[no-untyped-def]
    return stored_map(sorted_project, panel.research)


def _post(client, drawn, **data):  # type: ignore[no-untyped-def]
    url = reverse("coproduction:map_clusters", args=[drawn.project.pk, drawn.pk])
    return client.post(url, {"version": drawn.version, **data})


def _choose(panel, drawn, k: int = 4):  # type: ignore[no-untyped-def]
    response = _post(panel.client_for(panel.facilitator), drawn, action="choose", clusters=k)
    drawn.refresh_from_db()
    return response


def test_choosing_a_solution_writes_its_clusters_with_the_suggested_names(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    response = _choose(panel, drawn, 4)
    assert response.status_code == 302
    assert drawn.chosen_clusters == 4
    assert drawn.version == 2
    result = mapping.result_of(drawn)
    expected = [(r.number, r.name) for r in result.regions(4)]
    assert list(Cluster.objects.filter(concept_map=drawn).values_list("number", "name")) == expected
    page = panel.client_for(panel.panel).get(reverse("coproduction:map", args=[drawn.project.pk]))
    assert "The facilitator chose 4." in page.content.decode()


def test_choosing_on_the_naming_page_stays_there_to_name_the_clusters(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.facilitator)
    names_url = reverse("coproduction:map_clusters", args=[drawn.project.pk, drawn.pk])
    assert 'name="back" value="names"' in client.get(names_url).content.decode()
    response = _post(client, drawn, action="choose", clusters=4, back="names")
    assert response.status_code == 302
    assert response["Location"] == names_url
    page = client.get(names_url).content.decode()
    assert "Rename a cluster" in page
    # From the map page the choice goes back to the map.
    drawn.refresh_from_db()
    response = _post(client, drawn, action="choose", clusters=5)
    assert response["Location"].startswith(reverse("coproduction:map", args=[drawn.project.pk]))


def test_the_heading_counts_the_clusters_left_after_merging(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    _choose(panel, drawn)
    _post(panel.client_for(panel.facilitator), drawn, action="merge", first=3, second=1, name="T")
    page = panel.client_for(panel.panel).get(reverse("coproduction:map", args=[drawn.project.pk]))
    assert "The 4 clusters, 3 after merging</h2>" in page.content.decode()


def test_renaming_keeps_the_edit_in_the_result_and_the_name_on_the_cluster(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    _choose(panel, drawn)
    response = _post(
        panel.client_for(panel.facilitator),
        drawn,
        action="rename",
        cluster=2,
        name="  Being heard ",
    )
    assert response.status_code == 302
    drawn.refresh_from_db()
    assert Cluster.objects.get(concept_map=drawn, number=2).name == "Being heard"
    assert drawn.result["edits"] == [
        {"clusters": 4, "action": RENAME, "members": [2], "name": "Being heard"}
    ]
    page = panel.client_for(panel.panel).get(reverse("coproduction:map", args=[drawn.project.pk]))
    assert "<td>Being heard</td>" in page.content.decode()


def test_merging_points_the_second_cluster_at_the_first(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    _choose(panel, drawn)
    response = _post(
        panel.client_for(panel.facilitator), drawn, action="merge", first=3, second=1, name="Trust"
    )
    assert response.status_code == 302
    drawn.refresh_from_db()
    first, third = Cluster.objects.get(number=1), Cluster.objects.get(number=3)
    assert (first.name, first.merged_into) == ("Trust", None)
    assert (third.name, third.merged_into) == ("", first)
    assert drawn.result["edits"][0]["action"] == MERGE
    regions = mapping.result_of(drawn).regions(4)
    assert regions[0].clusters == (1, 3)
    assert AuditEvent.objects.filter(summary="Merged clusters 3 and 1 of the map").exists()


def test_a_stale_change_is_refused_and_changes_nothing(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    _choose(panel, drawn)
    opened = drawn.version
    client = panel.client_for(panel.facilitator)
    _post(client, drawn, action="rename", cluster=1, name="First name")
    drawn.version = opened  # the second form was drawn before the first change
    stale = _post(client, drawn, action="rename", cluster=1, name="Second name")
    assert stale.status_code == 409
    assert "Someone else changed this concept map" in stale.content.decode()
    assert Cluster.objects.get(number=1).name == "First name"


def test_names_and_merges_wait_for_a_chosen_solution(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    response = _post(panel.client_for(panel.facilitator), drawn, action="merge", first=1, second=2)
    assert response.status_code == 400  # no clusters to choose from yet
    page = panel.client_for(panel.facilitator).get(
        reverse("coproduction:map_clusters", args=[drawn.project.pk, drawn.pk])
    )
    assert "Choose the number of clusters first" in page.content.decode()
    with pytest.raises(mapping.DomainError, match="Choose the number of clusters first"):
        mapping.rename_cluster(panel.facilitator, drawn, 1, "Name", version=drawn.version)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "merge", "first": 2, "second": 2}, "Choose two different clusters"),
        ({"action": "rename", "cluster": 9, "name": "X"}, "Select a valid choice"),
        ({"action": "rename", "cluster": 1, "name": ""}, "This field is required"),
        ({"action": "choose", "clusters": 2}, "Select a valid choice"),
        ({"action": "dance"}, "Choose what to do"),
    ],
)
def test_bad_changes_are_refused_with_the_reason(panel, drawn, data, message) -> None:  # type: ignore[no-untyped-def]
    _choose(panel, drawn)
    response = _post(panel.client_for(panel.facilitator), drawn, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    drawn.refresh_from_db()
    assert drawn.result["edits"] == []


def test_merging_clusters_already_merged_is_refused(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    _choose(panel, drawn)
    client = panel.client_for(panel.facilitator)
    _post(client, drawn, action="merge", first=1, second=2)
    drawn.refresh_from_db()
    response = _post(client, drawn, action="merge", first=1, second=2)
    assert response.status_code == 400  # cluster 2 is no longer a choice
    assert len(mapping.result_of(drawn).regions(4)) == 3


def test_start_again_undoes_the_names_and_merges(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    _choose(panel, drawn)
    client = panel.client_for(panel.facilitator)
    _post(client, drawn, action="merge", first=1, second=2, name="Joined")
    drawn.refresh_from_db()
    assert _post(client, drawn, action="reset").status_code == 302
    drawn.refresh_from_db()
    assert drawn.result["edits"] == []
    assert Cluster.objects.filter(concept_map=drawn, merged_into__isnull=False).count() == 0
    assert Cluster.objects.filter(concept_map=drawn).count() == 4


def test_changing_the_number_of_clusters_keeps_each_solutions_names(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    _choose(panel, drawn, 4)
    client = panel.client_for(panel.facilitator)
    _post(client, drawn, action="rename", cluster=1, name="Kept")
    drawn.refresh_from_db()
    _choose(panel, drawn, 5)
    assert Cluster.objects.filter(concept_map=drawn).count() == 5
    assert not Cluster.objects.filter(name="Kept").exists()
    _choose(panel, drawn, 4)
    assert Cluster.objects.get(concept_map=drawn, number=1).name == "Kept"


def test_only_the_facilitator_names_clusters(panel, drawn) -> None:  # type: ignore[no-untyped-def]
    for person in (panel.research, panel.panel):
        assert (
            _post(panel.client_for(person), drawn, action="choose", clusters=4).status_code == 403
        )
    drawn.refresh_from_db()
    assert drawn.chosen_clusters is None
