"""A member's own sort online, at the sorting stage: piles of their own, saving and coming
back, finishing with warnings; nobody sees another's sort; the progress page shows codes."""

from __future__ import annotations

import json

import pytest
from tests.web.coproduction_sorting_fixtures import (
    Sorting,
    page_version,
    sorting_fixture,  # noqa: F401 (the sorting fixture)
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import IndividualSort, Pile, Project

pytestmark = pytest.mark.django_db


def _open(sorting: Sorting) -> Sorting:
    sorting.at_stage(Project.Stage.SORTING)
    return sorting


def test_before_the_sorting_stage_the_page_says_who_moves_it_on(sorting: Sorting) -> None:
    sorting.at_stage(Project.Stage.CARDS)
    client = sorting.client(sorting.panel.panel)
    page = client.get(sorting.url("my_sort")).content.decode()
    assert "The project is now at the stage “Writing cards”." in page
    assert "The facilitator moves the project from one stage to the next." in page
    assert "<select" not in page
    for name, form in (
        ("my_sort_piles", {"do": "add", "label": "Mine", "version": "1"}),
        ("my_sort_place", {f"card-{sorting.card(1).pk}": "unsorted", "version": "1"}),
        ("my_sort", {"do": "finish", "version": "1"}),
    ):
        response = client.post(sorting.url(name), form)
        assert response.status_code == 409, name
        assert "Sorting online is open only while" in response.content.decode()
    refused = client.post(
        sorting.url("my_sort_place"),
        {f"card-{sorting.card(1).pk}": "unsorted", "version": "1"},
        HTTP_ACCEPT="application/json",
    )
    assert refused.status_code == 409
    assert "it is now at “Writing cards”" in json.loads(refused.content)["error"]
    assert not IndividualSort.objects.exists()


def test_after_the_stage_a_member_still_reads_their_own_sort(sorting: Sorting) -> None:
    sorting.at_stage(Project.Stage.MAPPING)
    own = sorting.own_sort(sorting.panel.panel, IndividualSort.Status.DONE)
    mine = sorting.pile(own, "Mine", 1)
    page = sorting.client(sorting.panel.panel).get(sorting.url("my_sort")).content.decode()
    assert f'<h3 id="pile-{mine.pk}-title">Mine' in page
    assert "<select" not in page
    assert "I have finished my sort" not in page


def test_a_member_sorts_saves_and_comes_back(sorting: Sorting) -> None:
    _open(sorting)
    client = sorting.client(sorting.panel.panel)
    first = client.get(sorting.url("my_sort")).content.decode()
    assert '<dd data-sort-status data-started="Saved, not finished">Not started</dd>' in first
    assert page_version(first) == 1
    added = client.post(
        sorting.url("my_sort_piles"),
        {"do": "add", "back": "board", "label": "Being heard", "version": "1"},
    )
    pile = Pile.objects.get()
    assert added["Location"] == sorting.url("my_sort") + f"#pile-{pile.pk}"
    moved = client.post(
        sorting.url("my_sort_place"),
        {f"card-{sorting.card(1).pk}": str(pile.pk), "version": "2"},
        follow=True,
    )
    assert "Card 1 is now in “Being heard”." in moved.content.decode()
    own = IndividualSort.objects.get(member=sorting.member(sorting.panel.panel))
    assert (own.status, own.version) == (IndividualSort.Status.DRAFT, 3)
    again = client.get(sorting.url("my_sort")).content.decode()
    assert "<dd data-sort-status>Saved, not finished</dd>" in again
    assert "<dd><span data-sorted-count>1</span> of 6</dd>" in again


def test_finishing_with_cards_left_out_warns_and_still_finishes(sorting: Sorting) -> None:
    _open(sorting)
    own = sorting.own_sort(sorting.panel.panel)
    sorting.pile(own, "Safety", 1, 2, 3)
    client = sorting.client(sorting.panel.panel)
    page = client.get(sorting.url("my_sort")).content.decode()
    assert "Before you call it finished" in page
    assert "3 cards are not in a pile (4, 5, 6)." in page
    response = client.post(sorting.url("my_sort"), {"do": "finish", "version": "1"}, follow=True)
    html = response.content.decode()
    assert "Your sort is finished and will be part of the concept map." in html
    assert 'class="message message-warning"' in html
    assert "All your sorted cards are in one pile." in html
    own.refresh_from_db()
    assert own.status == IndividualSort.Status.DONE
    reopened = client.post(sorting.url("my_sort"), {"do": "reopen", "version": "2"}, follow=True)
    assert "saved as not finished" in reopened.content.decode()
    own.refresh_from_db()
    assert own.status == IndividualSort.Status.DRAFT


def test_finishing_from_an_old_page_is_refused(sorting: Sorting) -> None:
    _open(sorting)
    own = sorting.own_sort(sorting.panel.panel)
    pile = sorting.pile(own, "Safety")
    client = sorting.client(sorting.panel.panel)
    client.post(
        sorting.url("my_sort_place"), {f"card-{sorting.card(1).pk}": str(pile.pk), "version": "1"}
    )
    stale = client.post(sorting.url("my_sort"), {"do": "finish", "version": "1"})
    assert stale.status_code == 409
    assert "Someone else changed this sort after you opened it" in stale.content.decode()
    own.refresh_from_db()
    assert own.status == IndividualSort.Status.DRAFT
    unclear = client.post(sorting.url("my_sort"), {"do": "finish"})
    assert unclear.status_code == 400


def test_nobody_sees_another_members_sort(sorting: Sorting) -> None:
    _open(sorting)
    pams = sorting.own_sort(sorting.panel.panel)
    private = sorting.pile(pams, "Pam's private pile", 1)
    pat = sorting.client(sorting.panel.panel_b)
    page = pat.get(sorting.url("my_sort")).content.decode()
    assert "private pile" not in page
    assert '<dd data-sort-status data-started="Saved, not finished">Not started</dd>' in page
    # Naming Pam's pile or her sort's version from Pat's window moves nothing of hers.
    refused = pat.post(
        sorting.url("my_sort_place"),
        {f"card-{sorting.card(2).pk}": str(private.pk), "version": "1"},
    )
    assert refused.status_code == 400
    assert sorting.where(pams) == {1: "Pam's private pile"}
    gone = pat.post(
        sorting.url("my_sort_piles"),
        {"do": "remove", "pile": private.pk, "version": "1", "confirm": "on"},
    )
    assert gone.status_code == 409
    assert Pile.objects.filter(pk=private.pk).exists()


def test_the_research_team_does_not_sort(sorting: Sorting) -> None:
    _open(sorting)
    rex = sorting.client(sorting.panel.research)
    assert rex.get(sorting.url("my_sort")).status_code == 403
    assert rex.post(sorting.url("my_sort_place"), {"version": "1"}).status_code == 403
    assert rex.get(sorting.url("my_sort_piles")).status_code == 403


def test_a_member_renames_their_pile_on_the_piles_page(sorting: Sorting) -> None:
    _open(sorting)
    own = sorting.own_sort(sorting.panel.panel)
    pile = sorting.pile(own, "Safety", 1)
    client = sorting.client(sorting.panel.panel)
    page = client.get(sorting.url("my_sort_piles")).content.decode()
    assert "<h1>Your piles</h1>" in page
    response = client.post(
        sorting.url("my_sort_piles"),
        {"do": "change", "pile": pile.pk, "label": "Feeling safe", "notes": "", "version": "1"},
    )
    assert response["Location"] == sorting.url("my_sort_piles")
    assert sorting.where(own) == {1: "Feeling safe"}
    event = AuditEvent.objects.get(object_type="coproduction.Pile")
    assert event.summary == f"Changed pile {pile.pk} in the sort of P01"


def test_the_script_moves_a_card_in_a_members_own_sort(sorting: Sorting) -> None:
    _open(sorting)
    own = sorting.own_sort(sorting.panel.panel)
    pile = sorting.pile(own, "Safety")
    response = sorting.client(sorting.panel.panel).post(
        sorting.url("my_sort_place"),
        {f"card-{sorting.card(6).pk}": str(pile.pk), "version": "1"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert json.loads(response.content)["version"] == 2
    event = AuditEvent.objects.get(object_type="coproduction.IndividualSort")
    assert event.summary == "Moved 1 card in the sort of P01"
    assert "listen" not in json.dumps(event.after)  # numbers and pile ids, never card text


def test_progress_shows_codes_and_counts_and_no_piles(sorting: Sorting) -> None:
    _open(sorting)
    done = sorting.own_sort(sorting.panel.panel, IndividualSort.Status.DONE)
    sorting.pile(done, "A very private label", 1, 2, 3, 4)
    for user in (sorting.panel.facilitator, sorting.panel.research):
        page = sorting.client(user).get(sorting.url("sort_progress")).content.decode()
        assert '<th scope="row">P01</th>' in page
        assert "<td>Finished</td>" in page
        assert "<td>2</td>" in page
        assert "<dt>Not started</dt><dd>2</dd>" in page
        assert "private label" not in page
    pam = sorting.client(sorting.panel.panel)
    assert pam.get(sorting.url("sort_progress")).status_code == 403


def test_the_sorting_page_leads_each_person_to_what_they_may_do(sorting: Sorting) -> None:
    _open(sorting)
    pam = sorting.client(sorting.panel.panel).get(sorting.url("group_sorts")).content.decode()
    assert "Start your own sort" in pam
    assert "Who has finished sorting" not in pam
    rex = sorting.client(sorting.panel.research).get(sorting.url("group_sorts")).content.decode()
    assert "Your own sort" not in rex
    assert "Who has finished sorting" in rex
