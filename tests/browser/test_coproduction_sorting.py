"""Sorting the cards in a browser: dragging cards between piles and moving them from the
keyboard with JavaScript on, and the same with plain forms with JavaScript off.

The facilitator records a group sort at a meeting; a panel member sorts on their own online.
Every page on the way is checked with axe-core where JavaScript runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from tests.browser.conftest import Site

from peerprinciples.web.coproduction.models import (
    Card,
    GroupSort,
    IndividualSort,
    Member,
    Pile,
    Placement,
    Project,
)
from peerprinciples.web.coproduction.services import sorting as services

pytestmark = pytest.mark.browser

TEXTS = (
    "Peer workers have been through it too.",
    "People choose what they share, and when.",
    "We meet as equals, not as expert and patient.",
    "There is time to listen without rushing.",
)


@dataclass
class Meeting:
    project: Project
    facilitator: Any
    member: Any
    group_sort: GroupSort
    trust: Pile
    equals: Pile

    def path(self, name: str) -> str:
        return {
            "group": f"/coproduction/{self.project.pk}/group-sorts/{self.group_sort.pk}/",
            "mine": f"/coproduction/{self.project.pk}/my-sort/",
            "progress": f"/coproduction/{self.project.pk}/sorts/",
            "sorting": f"/coproduction/{self.project.pk}/group-sorts/",
        }[name]

    def where(self, owner: GroupSort | IndividualSort) -> dict[int, str]:
        scope = {"group_sort": owner} if isinstance(owner, GroupSort) else {"sort": owner}
        return dict(Placement.objects.filter(**scope).values_list("card__number", "pile__label"))


@pytest.fixture
def meeting(make_user: Callable[[str], Any]) -> Meeting:
    """A project at the sorting stage with four cards, and a group sort with two piles."""
    fay, pam = make_user("fay"), make_user("pam")
    project = Project.objects.create(
        name="What matters in peer support here",
        framing_question="What makes peer support work well in our community?",
        stage=Project.Stage.SORTING,
        created_by=fay,
    )
    Member.objects.create(project=project, user=fay, code="F01", role=Member.Role.FACILITATOR)
    Member.objects.create(project=project, user=pam, code="P01", role=Member.Role.PANEL)
    for number, text in enumerate(TEXTS, start=1):
        Card.objects.create(project=project, number=number, text=text, entered_by=fay)
    group_sort = GroupSort.objects.create(project=project, title="Panel meeting", created_by=fay)
    trust = Pile.objects.create(group_sort=group_sort, label="Been there too", position=1)
    equals = Pile.objects.create(group_sort=group_sort, label="As equals", position=2)
    return Meeting(project, fay, pam, group_sort, trust, equals)


def _card(page: Page, number: int) -> Locator:
    return page.locator(".sort-card", has=page.get_by_text(f"Card {number}", exact=True))


def _pile(page: Page, label: str) -> Locator:
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(label)}"))


def _drag(page: Page, number: int, label: str) -> None:
    """Drag card ``number`` by its text (not its select) and drop it on the pile ``label``."""
    _card(page, number).drag_to(_pile(page, label), source_position={"x": 12, "y": 10})


def _announced(page: Page) -> Locator:
    """The polite live region that says each move made without reloading the page."""
    return page.locator("[data-sort-announce]")


def test_the_facilitator_drags_cards_between_piles_and_moves_them_by_keyboard(
    site: Site, meeting: Meeting
) -> None:
    page = site.page
    site.sign_in("fay")
    site.go(meeting.path("group"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel meeting")

    _drag(page, 1, "Been there too")
    expect(_announced(page)).to_have_text("Card 1 is now in “Been there too”.")
    expect(_pile(page, "Been there too").locator(".sort-card")).to_have_count(1)
    expect(_pile(page, "Been there too").locator("[data-count]")).to_have_text("1")
    expect(_pile(page, "Not in a pile").locator("[data-count]")).to_have_text("3")

    # From the keyboard: choose the pile in the card's select, then press its Move button.
    page.get_by_label("Pile for card 3").select_option(label="As equals")
    page.get_by_role("button", name="Move card 3").focus()
    page.keyboard.press("Enter")
    expect(_announced(page)).to_have_text("Card 3 is now in “As equals”.")
    expect(_pile(page, "As equals")).to_contain_text("We meet as equals")
    expect(page.get_by_role("button", name="Move card 3")).to_be_focused()

    # A card dragged back out of a pile is unsorted again.
    _drag(page, 1, "Not in a pile")
    expect(_announced(page)).to_have_text("Card 1 is now not in a pile.")
    assert meeting.where(meeting.group_sort) == {3: "As equals"}
    site.check()

    # Someone else moves a card meanwhile: this window's next move is refused, and said.
    services.place_cards(
        meeting.facilitator,
        GroupSort.objects.get(pk=meeting.group_sort.pk),
        {Card.objects.get(number=4).pk: meeting.trust.pk},
        expected_version=4,
    )
    _drag(page, 2, "As equals")
    expect(page.get_by_role("alert").filter(has_text="Someone else")).to_contain_text(
        "Someone else changed this group sort after you opened it"
    )
    expect(_pile(page, "Not in a pile")).to_contain_text("People choose what they share")
    expect(page.get_by_label("Pile for card 2")).to_have_value("unsorted")
    assert meeting.where(meeting.group_sort) == {3: "As equals", 4: "Been there too"}
    site.check()


def test_a_member_sorts_on_their_own_with_javascript_off(
    open_site: Callable[..., Site], meeting: Meeting
) -> None:
    site = open_site(javascript=False)
    page = site.page
    site.sign_in("pam")
    site.go(meeting.path("mine"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your own sort")

    page.get_by_label("Label").fill("Understood")
    page.get_by_role("button", name="Add the pile").click()
    expect(page.locator(".messages")).to_contain_text("The pile “Understood” is added.")
    page.locator("summary", has_text="Add a pile").click()
    page.get_by_label("Label").fill("Having a say")
    page.get_by_role("button", name="Add the pile").click()

    # Several moves in one submit.
    page.get_by_label("Pile for card 1").select_option(label="Understood")
    page.get_by_label("Pile for card 4").select_option(label="Understood")
    page.get_by_label("Pile for card 2").select_option(label="Having a say")
    page.get_by_role("button", name="Save the moves").click()
    expect(page.locator(".messages")).to_have_text("3 cards moved.")
    expect(_pile(page, "Understood")).to_contain_text("There is time to listen")

    page.get_by_role("button", name="I have finished my sort").click()
    expect(page.locator(".message-warning")).to_contain_text("1 card is not in a pile (3).")
    own = IndividualSort.objects.get(member__user=meeting.member)
    assert own.status == IndividualSort.Status.DONE
    assert meeting.where(own) == {1: "Understood", 4: "Understood", 2: "Having a say"}


def test_a_member_drags_cards_in_their_own_sort_and_every_page_passes_axe(
    open_site: Callable[..., Site], meeting: Meeting
) -> None:
    member = open_site()
    member.sign_in("pam")
    page = member.page
    member.go(meeting.path("sorting"))
    page.get_by_role("link", name="Start your own sort").click()
    member.check()
    page.get_by_label("Label").fill("Safety")
    page.get_by_role("button", name="Add the pile").click()
    member.check()
    _drag(page, 2, "Safety")
    expect(_announced(page)).to_have_text("Card 2 is now in “Safety”.")
    page.get_by_role("link", name="Rename or remove your piles").click()
    member.check()
    page.get_by_label("Label").nth(1).fill("Feeling safe")
    page.get_by_role("button", name="Save the pile “Safety”").click()
    expect(page.get_by_role("heading", name=re.compile("^Feeling safe"))).to_be_visible()
    member.check()
    own = IndividualSort.objects.get(member__user=meeting.member)
    assert meeting.where(own) == {2: "Feeling safe"}

    facilitator = open_site()
    facilitator.sign_in("fay")
    facilitator.go(meeting.path("progress"))
    expect(facilitator.page.get_by_role("table")).to_contain_text("P01")
    expect(facilitator.page.get_by_role("table")).not_to_contain_text("Feeling safe")
    facilitator.go(meeting.path("sorting"))
    expect(facilitator.page.get_by_role("table")).to_contain_text("Panel meeting")
    facilitator.go(meeting.path("group") + "piles/")
    expect(facilitator.page.get_by_role("heading", level=1)).to_have_text(
        "The piles of Panel meeting"
    )


def test_save_the_moves_stays_in_view_on_a_long_board_without_javascript(
    open_site: Callable[..., Site], meeting: Meeting
) -> None:
    # Fifty cards make a board many screens long: a move chosen at the top is saved with
    # the button at the foot of the window, not after scrolling past every card.
    for number in range(5, 51):
        Card.objects.create(
            project=meeting.project, number=number, text=f"Statement {number}.", entered_by=None
        )
    site = open_site(javascript=False)
    page = site.page
    site.sign_in("fay")
    site.go(meeting.path("group"))
    save = page.get_by_role("button", name="Save the moves")
    assert page.evaluate("document.documentElement.scrollHeight") > 4 * page.viewport_size["height"]
    page.get_by_label("Pile for card 1", exact=True).select_option(label="Been there too")
    expect(save).to_be_in_viewport()
    save.click()
    expect(page.locator(".messages")).to_contain_text("Card 1 is now in “Been there too”.")
    assert meeting.where(meeting.group_sort) == {1: "Been there too"}
