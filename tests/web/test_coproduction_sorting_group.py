"""The group sort at a meeting: starting one, its piles like the paper's Figure 2, and moving
cards with plain forms and with the page's script, never over someone else's change."""

from __future__ import annotations

import json

import pytest
from tests.web.coproduction_sorting_fixtures import (
    Sorting,
    page_version,
    sorting_fixture,  # noqa: F401 (the sorting fixture)
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import GroupSort, Pile, Project

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def test_the_facilitator_starts_a_group_sort(sorting: Sorting) -> None:
    client = sorting.client(sorting.panel.facilitator)
    response = client.post(
        sorting.url("group_sorts"),
        {"title": "Panel meeting, 3 March", "held_on": "2025-03-03", "notes": "F01, P01, P02"},
    )
    started = GroupSort.objects.get()
    assert response.status_code == 302
    assert response["Location"] == sorting.url("group_sort", started.pk)
    assert (str(started.held_on), started.notes, started.created_by) == (
        "2025-03-03",
        "F01, P01, P02",
        sorting.panel.facilitator,
    )
    assert AuditEvent.objects.filter(summary=f"Started group sort {started.pk}").exists()
    listing = client.get(sorting.url("group_sorts")).content.decode()
    assert "Panel meeting, 3 March</a>" in listing
    assert "<td>0 of 6</td>" in listing


def test_a_group_sort_needs_a_title_and_a_real_date(sorting: Sorting) -> None:
    client = sorting.client(sorting.panel.facilitator)
    response = client.post(sorting.url("group_sorts"), {"title": "", "held_on": "3rd March"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There are problems to put right" in page
    assert "Enter a valid date." in page
    assert not GroupSort.objects.exists()


def test_only_the_facilitator_may_start_a_group_sort(sorting: Sorting) -> None:
    for user in (sorting.panel.panel, sorting.panel.research):
        response = sorting.client(user).post(sorting.url("group_sorts"), {"title": "Mine"})
        assert response.status_code == 403
        page = sorting.client(user).get(sorting.url("group_sorts")).content.decode()
        assert "Record a group sort" not in page
    assert not GroupSort.objects.exists()


def test_everyone_sees_the_piles_with_their_cards_like_figure_2(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust = sorting.pile(owner, "Being understood", 1, 5)
    Pile.objects.filter(pk=trust.pk).update(notes="Cards about feeling heard.")
    sorting.pile(owner, "Equals", 3)
    page = sorting.client(sorting.panel.panel).get(sorting.url("group_sort", owner.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<h3 id="pile-{trust.pk}-title">Being understood' in html
    assert "Cards about feeling heard." in html
    assert '<span class="sort-card-number">Card 5</span> There is time to listen' in html
    assert "<dd><span data-sorted-count>3</span> of 6</dd>" in html
    assert "<select" not in html  # a panel member reads the piles; only the facilitator moves
    assert "sorting.js" not in html
    assert "Peer workers have lived through it as well." not in html  # the merged card


def test_the_facilitator_gets_a_labelled_pile_select_for_every_card(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust = sorting.pile(owner, "Being understood", 1)
    html = (
        sorting.client(sorting.panel.facilitator)
        .get(sorting.url("group_sort", owner.pk))
        .content.decode()
    )
    assert html.count('<select id="card-') == 6
    card = sorting.card(1).pk
    assert f'<label for="card-{card}-pile">Pile for card 1</label>' in html
    assert f'<option value="{trust.pk}" selected>Being understood</option>' in html
    assert 'value="unsorted" selected>Not in a pile</option>' in html
    assert "peerprinciples/sorting.js" in html
    assert " style=" not in html
    assert "<script>" not in html
    assert page_version(html) == 1


def test_several_cards_move_in_one_submit_without_javascript(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust, equals = sorting.pile(owner, "Trust", 1), sorting.pile(owner, "Equals")
    form = {f"card-{card.pk}": "unsorted" for card in sorting.cards}
    form |= {
        f"card-{sorting.card(1).pk}": str(trust.pk),
        f"card-{sorting.card(2).pk}": str(trust.pk),
        f"card-{sorting.card(3).pk}": str(equals.pk),
        "version": "1",
    }
    client = sorting.client(sorting.panel.facilitator)
    response = client.post(sorting.url("group_place", owner.pk), form, follow=True)
    assert response.redirect_chain == [(sorting.url("group_sort", owner.pk), 302)]
    assert "2 cards moved." in response.content.decode()
    assert sorting.where(owner) == {1: "Trust", 2: "Trust", 3: "Equals"}


def test_a_move_from_a_page_someone_else_changed_is_refused(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust = sorting.pile(owner, "Trust")
    fay = sorting.client(sorting.panel.facilitator)
    url = sorting.url("group_place", owner.pk)
    first, second = sorting.card(1).pk, sorting.card(2).pk
    # Two windows drew the page at version 1; the first saves, the second is refused.
    assert fay.post(url, {f"card-{first}": str(trust.pk), "version": "1"}).status_code == 302
    refused = fay.post(
        url, {f"card-{first}": "unsorted", f"card-{second}": str(trust.pk), "version": "1"}
    )
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Someone else changed this group sort after you opened it" in html
    assert page_version(html) == 2  # the page is drawn again as it is now
    assert sorting.where(owner) == {1: "Trust"}


def test_the_script_moves_one_card_and_gets_the_new_version(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust = sorting.pile(owner, "Trust")
    fay = sorting.client(sorting.panel.facilitator)
    card = sorting.card(4)
    response = fay.post(
        sorting.url("group_place", owner.pk),
        {f"card-{card.pk}": str(trust.pk), "version": "1"},
        **JSON,
    )
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "version": 2,
        "moves": [{"card": card.pk, "number": 4, "pile": trust.pk, "label": "Trust"}],
        "message": "Card 4 is now in “Trust”.",
    }
    stale = fay.post(
        sorting.url("group_place", owner.pk),
        {f"card-{card.pk}": "unsorted", "version": "1"},
        **JSON,
    )
    assert stale.status_code == 409
    assert json.loads(stale.content)["error"].startswith("Someone else changed this group sort")
    assert sorting.where(owner) == {4: "Trust"}


@pytest.mark.parametrize(
    ("form", "problem"),
    [
        ({"version": "one"}, "did not say which version"),
        ({"version": "1", "card-x": "unsorted"}, "“card-x” names no card"),
        ({"version": "1", "card-{card}": "somewhere"}, "“somewhere” is not a pile"),
        ({"version": "1", "card-{card}": "999999"}, "Card 1 cannot go into pile 999999"),
        ({"version": "1", "card-999999": "unsorted"}, "There is no card 999999"),
    ],
)
def test_a_bad_move_is_refused_with_the_reason(
    sorting: Sorting, form: dict[str, str], problem: str
) -> None:
    owner = sorting.group_sort()
    sorting.pile(owner, "Trust", 1)
    card = sorting.card(1).pk
    data = {key.format(card=card): value for key, value in form.items()}
    client = sorting.client(sorting.panel.facilitator)
    as_json = client.post(sorting.url("group_place", owner.pk), data, **JSON)
    assert as_json.status_code == 400
    assert problem in json.loads(as_json.content)["error"]
    as_form = client.post(sorting.url("group_place", owner.pk), data)
    assert as_form.status_code == 400
    assert problem in as_form.content.decode()
    assert sorting.where(owner) == {1: "Trust"}


def test_moves_need_the_facilitator_and_a_sort_of_this_project(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    form = {f"card-{sorting.card(1).pk}": "unsorted", "version": "1"}
    pam = sorting.client(sorting.panel.panel)
    assert pam.post(sorting.url("group_place", owner.pk), form).status_code == 403
    fay = sorting.client(sorting.panel.facilitator)
    assert fay.get(sorting.url("group_place", owner.pk)).status_code == 405
    other = Project.objects.create(
        name="Another", framing_question="?", created_by=sorting.panel.outsider
    )
    elsewhere = GroupSort.objects.create(project=other, created_by=sorting.panel.outsider)
    assert fay.post(sorting.url("group_place", elsewhere.pk), form).status_code == 404
    assert fay.get(sorting.url("group_sort", elsewhere.pk)).status_code == 404


def test_a_pile_added_on_the_board_is_shown_there(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    client = sorting.client(sorting.panel.facilitator)
    response = client.post(
        sorting.url("group_piles", owner.pk),
        {"do": "add", "back": "board", "label": "Trust", "notes": "", "version": "1"},
    )
    pile = Pile.objects.get()
    assert response["Location"] == sorting.url("group_sort", owner.pk) + f"#pile-{pile.pk}"
    refused = client.post(
        sorting.url("group_piles", owner.pk),
        {"do": "add", "back": "board", "label": "", "version": "2"},
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "<h1>Panel meeting</h1>" in html
    assert "Label: This field is required." in html
    assert '<details class="panel" open>' in html


def test_piles_are_renamed_and_removed_on_their_own_page(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust = sorting.pile(owner, "Trust", 1, 2)
    client = sorting.client(sorting.panel.facilitator)
    url = sorting.url("group_piles", owner.pk)
    html = client.get(url).content.decode()
    assert f'id="pile-{trust.pk}-label"' in html
    assert "Put its 2 cards back among the unsorted" in html
    renamed = client.post(
        url,
        {
            "do": "change",
            "pile": trust.pk,
            "label": "Trust and safety",
            "notes": "",
            "version": "1",
        },
    )
    assert renamed["Location"] == url
    unconfirmed = client.post(url, {"do": "remove", "pile": trust.pk, "version": "2"})
    assert unconfirmed.status_code == 400
    assert "Tick the box to say the pile&#x27;s cards go back" in unconfirmed.content.decode()
    removed = client.post(
        url, {"do": "remove", "pile": trust.pk, "version": "2", "confirm": "on"}, follow=True
    )
    assert "The pile “Trust and safety” is removed. Its 2 cards are unsorted again." in (
        removed.content.decode()
    )
    assert not Pile.objects.exists()


def test_a_pile_change_from_an_old_page_is_refused(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust = sorting.pile(owner, "Trust", 1)
    client = sorting.client(sorting.panel.facilitator)
    url = sorting.url("group_piles", owner.pk)
    client.post(url, {"do": "add", "label": "Equals", "version": "1"})
    stale = client.post(
        url, {"do": "change", "pile": trust.pk, "label": "Renamed", "notes": "", "version": "1"}
    )
    assert stale.status_code == 409
    assert "Someone else changed this group sort" in stale.content.decode()
    assert Pile.objects.get(pk=trust.pk).label == "Trust"
    gone = client.post(url, {"do": "remove", "pile": "999999", "version": "2"})
    assert gone.status_code == 409
    assert "That pile is not in this sort any more" in gone.content.decode()
    unclear = client.post(url, {"do": "shuffle", "version": "2"})
    assert unclear.status_code == 400
    assert Pile.objects.count() == 2
