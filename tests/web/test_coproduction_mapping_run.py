"""The facilitator and the research team run the concept-map analysis over the finished
sorts; each run is kept, with its seed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from tests.web.coproduction_mapping_fixtures import add_cards, add_sort, sorted_project

from peerprinciples.core.coproduction.conceptmap import analyse
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import ConceptMap, Member
from peerprinciples.web.coproduction.services import mapping as mapping_services
from peerprinciples.web.coproduction.services.sorting import card_sort

pytestmark = pytest.mark.django_db
__all__ = ["sorted_project"]


def _run(client, project, **data):  # type: ignore[no-untyped-def]
    return client.post(reverse("coproduction:map_run", args=[project.pk]), {"starts": 2, **data})


def test_a_run_keeps_exactly_what_the_core_finds_for_the_seed(panel, sorted_project) -> None:  # type: ignore[no-untyped-def]
    response = _run(panel.client_for(panel.research), sorted_project, seed=42)
    assert response.status_code == 302
    stored = ConceptMap.objects.get(project=sorted_project)
    expected = analyse(card_sort(sorted_project), starts=2, seed=42)
    assert stored.result == expected.to_json()
    assert (stored.seed, stored.starts, stored.sorters) == (42, 2, 12)
    assert stored.stress == pytest.approx(expected.stress)
    event = AuditEvent.objects.get(object_type="coproduction.ConceptMap")
    assert event.after == {"seed": 42, "starts": 2, "stress": stored.stress}


def test_without_a_seed_each_run_draws_a_new_one_and_earlier_maps_stay(
    panel, sorted_project
) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.facilitator)
    _run(client, sorted_project)
    _run(client, sorted_project)
    seeds = list(ConceptMap.objects.filter(project=sorted_project).values_list("seed", flat=True))
    assert len(seeds) == 2
    assert seeds[0] != seeds[1]
    page = client.get(reverse("coproduction:map", args=[sorted_project.pk])).content.decode()
    for seed in seeds:
        assert f"<td>{seed}</td>" in page


def test_drafts_and_merged_cards_are_left_out(panel, sorted_project) -> None:  # type: ignore[no-untyped-def]
    drafter = Member.objects.create(project=sorted_project, code="D01")
    add_sort(drafter, [[1, 2, 3, 4, 5, 6, 7, 8, 9]], finished=False)
    card = sorted_project.cards.get(number=9)
    card.merged_into = sorted_project.cards.get(number=1)
    card.save()
    cardsort = card_sort(sorted_project)
    assert "D01" not in [sort.sorter for sort in cardsort.sorts]
    assert "9" not in cardsort.keys
    assert all("9" not in pile.cards for sort in cardsort.sorts for pile in sort.piles)


@pytest.mark.parametrize(("sorters", "cards"), [(1, 9), (0, 9), (3, 2)])
def test_it_refuses_plainly_with_too_few_sorts_or_cards(panel, sorters, cards) -> None:  # type: ignore[no-untyped-def]
    add_cards(panel.project, [f"Statement {n}" for n in range(1, cards + 1)])
    for i in range(sorters):
        member = Member.objects.create(project=panel.project, code=f"S{i}")
        add_sort(member, [list(range(1, cards + 1))])
    response = _run(panel.client_for(panel.facilitator), panel.project)
    assert response.status_code == 409
    text = response.content.decode()
    assert "needs at least 2 finished sorts of at least 3 cards" in text
    assert f"has {sorters} finished sort" in text
    assert not ConceptMap.objects.exists()


@pytest.mark.parametrize(("data", "field"), [({"starts": 0}, "starts"), ({"seed": -1}, "seed")])
def test_it_refuses_starts_or_a_seed_out_of_range(panel, sorted_project, data, field) -> None:  # type: ignore[no-untyped-def]
    response = _run(panel.client_for(panel.facilitator), sorted_project, **data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not ConceptMap.objects.exists()


def test_a_panel_member_may_look_but_not_run(panel, sorted_project) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.panel)
    assert _run(client, sorted_project).status_code == 403
    page = client.get(reverse("coproduction:map", args=[sorted_project.pk])).content.decode()
    assert "Run the analysis" not in page
    assert "There is no map yet" in page


def test_running_by_get_is_not_allowed(panel, sorted_project) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.facilitator).get(
        reverse("coproduction:map_run", args=[sorted_project.pk])
    )
    assert response.status_code == 405


@pytest.mark.django_db(transaction=True)
def test_the_analysis_runs_outside_any_transaction_so_other_writers_never_wait(
    panel, sorted_project, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # A transaction held open through seconds of analysis made the final write fail on
    # SQLite ("database is locked") as soon as the task worker polled meanwhile. The real
    # analysis runs here; the wrapper only notes whether a transaction was open around it.
    seen: list[bool] = []

    def observed(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(connection.in_atomic_block)
        return analyse(*args, **kwargs)

    monkeypatch.setattr(mapping_services, "analyse", observed)
    response = _run(panel.client_for(panel.facilitator), sorted_project, seed=3)
    assert response.status_code == 302
    assert seen == [False]
    stored = ConceptMap.objects.get(project=sorted_project)
    assert stored.result == analyse(card_sort(sorted_project), starts=2, seed=3).to_json()
    assert AuditEvent.objects.filter(object_type="coproduction.ConceptMap").count() == 1
