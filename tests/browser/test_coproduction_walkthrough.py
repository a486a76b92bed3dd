"""A co-production project from its first page to its concept map, in a browser, as the people
who run it would: once with JavaScript on and once with it off.

The facilitator starts a project, adds three panel members by pseudonymous code and opens the
cards stage; each member writes cards; the facilitator opens sorting and records the panel's
group sort; two members sort on their own, stop part way and come back to finish; the
facilitator runs the concept map, chooses the solution and names a cluster. Only the accounts
are made beforehand: everything else is done through the pages, by the links, labels and
buttons a person sees, starting from the sign-in page. With JavaScript on, the group sort and
one member's sort are made by dragging cards, a second member works without JavaScript, and
axe-core checks every page on the way; with JavaScript off, the whole story uses the plain
forms.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from tests.browser.conftest import Site

from peerprinciples.web.coproduction.models import (
    Card,
    ConceptMap,
    GroupSort,
    IndividualSort,
    Member,
    Placement,
    Project,
)

pytestmark = pytest.mark.browser

PROJECT = "What matters in our peer support"
QUESTION = "What should peer support in our service always offer?"
# Each member's cards, in the order they are written; the cards are numbered 1 to 8 in turn.
CARDS = {
    "pam": (
        "Someone who has been through it too.",
        "Being listened to without being judged.",
        "Time to talk, without being rushed.",
    ),
    "pat": (
        "Choosing what I share, and when.",
        "Being treated as an equal.",
    ),
    "pia": (
        "Hope that things can get better.",
        "Knowing my peer worker has lived experience.",
        "Support that goes at my own pace.",
    ),
}
CODES = {"pam": "P01", "pat": "P02", "pia": "P03"}
# The group sort the panel agreed at its meeting: label, notes and the cards in the pile.
GROUP_PILES = (
    ("Shared experience", "Cards about having been there.", (1, 6, 7)),
    ("Being heard", "Listening, time and pace.", (2, 3, 8)),
    ("Choice and equality", "Who decides, and on what terms.", (4, 5)),
)
# Each member's own sort: pile labels with their cards. Before stopping part way a member adds
# every pile but the last and places the cards of FIRST_SITTING (in their first pile); back
# again, they place the rest of those piles' cards, then add the last pile and fill it.
OWN_SORTS = {
    "pam": (("Been there", (1, 6, 7)), ("Listening", (2, 3, 8)), ("Power and choice", (4, 5))),
    "pat": (("Lived experience and hope", (1, 6, 7)), ("Respect and time", (2, 3, 4, 5, 8))),
}
FIRST_SITTING = (1, 6)
CLUSTER_NAME = "Lived experience"
# Running the analysis takes a few seconds: more than the default wait on a slow machine.
ANALYSIS_MS = 60_000


HEADINGS = {
    "Overview": PROJECT,
    "Cards": "Cards",
    "Sorting": "Sorting the cards",
    "Concept map": "Concept map",
}


def _nav(site: Site, name: str) -> None:
    """Follow an entry of the project's navigation, and check the page it leads to."""
    nav = site.page.get_by_role("navigation", name="This project")
    nav.get_by_role("link", name=name, exact=True).click()
    _arrive(site, HEADINGS[name])


def _arrive(site: Site, heading: str) -> None:
    """Wait for the page whose main heading is ``heading``, then check it."""
    expect(site.page.get_by_role("heading", level=1)).to_have_text(heading)
    site.check()


def _status(page: Page, text: str | re.Pattern[str]) -> Locator:
    """The confirmation saying ``text`` (a message at the top of the page)."""
    return page.get_by_role("status").filter(has_text=text)


def _open_project(site: Site, username: str) -> None:
    """Sign in and open the project from the list of one's co-production projects."""
    site.sign_in(username)
    site.check()
    site.page.get_by_role("link", name="Your co-production projects").click()
    _arrive(site, "Co-production projects")
    site.page.get_by_role("link", name=PROJECT).click()
    _arrive(site, PROJECT)


def _move_stage(site: Site, stage: str) -> None:
    """From anywhere in the project, move it to ``stage`` on the settings page."""
    page = site.page
    _nav(site, "Overview")
    page.get_by_role("link", name=re.compile("^Move the project to another stage")).click()
    _arrive(site, "Settings and stage")
    page.get_by_label(stage, exact=True).check()
    page.get_by_role("button", name="Save the settings").click()
    expect(_status(page, f"The project is now at the stage “{stage}”.")).to_be_visible()
    expect(
        page.get_by_role("heading", level=2, name=f"Where the project is now: {stage}")
    ).to_be_visible()
    site.check()


def _add_pile(site: Site, label: str, notes: str = "") -> None:
    """Add a pile on a sort's board, opening the "Add a pile" panel when it is closed."""
    page = site.page
    panel = page.locator("details", has=page.locator("summary", has_text="Add a pile"))
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    panel.get_by_label("Label").fill(label)
    if notes:
        panel.get_by_label("Notes").fill(notes)
    panel.get_by_role("button", name="Add the pile").click()
    expect(_status(page, f"The pile “{label}” is added.")).to_be_visible()
    site.check()


def _pile(page: Page, label: str) -> Locator:
    """A pile on the board, by the heading that names it."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(label)} \("))


def _card_in(place: Locator, number: int) -> Locator:
    return place.get_by_text(f"Card {number}", exact=True)


def _place(site: Site, moves: dict[int, str]) -> None:
    """Put each card (by number) into the pile labelled: by dragging it with JavaScript, by
    its pile's select and one "Save the moves" without."""
    page = site.page
    if site.javascript:
        # Chromium starts a drag where the mouse went down; if the page scrolls to reach the
        # pile meanwhile, another card is under that point. On a screen tall enough for the
        # whole board nothing scrolls, as for someone sorting at a desk.
        page.set_viewport_size({"width": 1280, "height": 2000})
        for number, label in moves.items():
            card = page.get_by_role("listitem").filter(has=_card_in(page, number))
            # Grab the card by its words, not by its select.
            card.drag_to(_pile(page, label), source_position={"x": 12, "y": 10})
            expect(_card_in(_pile(page, label), number)).to_be_visible()
            expect(_status(page, f"Card {number} is now in “{label}”.")).to_be_attached()
    else:
        for number, label in moves.items():
            page.get_by_label(f"Pile for card {number}", exact=True).select_option(label=label)
        page.get_by_role("button", name="Save the moves").click()
        said = f"{len(moves)} cards moved." if len(moves) > 1 else "is now in"
        expect(_status(page, said)).to_be_visible()
        for number, label in moves.items():
            expect(_card_in(_pile(page, label), number)).to_be_visible()
    site.check()


def _moves(piles: tuple[tuple[str, tuple[int, ...]], ...]) -> dict[int, str]:
    return {number: label for label, numbers in piles for number in numbers}


def _facilitator_sets_up(site: Site) -> None:
    page = site.page
    page.get_by_role("link", name="Your co-production projects").click()
    _arrive(site, "Co-production projects")
    page.get_by_role("link", name="Start a co-production project").click()
    _arrive(site, "Start a co-production project")
    page.get_by_label("Name of the project").fill(PROJECT)
    page.get_by_label("Framing question").fill(QUESTION)
    page.get_by_role("button", name="Start the project").click()
    _arrive(site, "Members")
    for username, code in CODES.items():
        page.get_by_label("Code", exact=True).fill(code)
        page.get_by_label("User name of their account").fill(username)
        page.get_by_role("button", name="Add the member").click()
        expect(_status(page, f"{code} is now a member of the project.")).to_be_visible()
    members = page.get_by_role("table", name=f"Members of {PROJECT}")
    for code in CODES.values():
        expect(members.get_by_role("row", name=re.compile(rf"^{code} "))).to_contain_text(
            "With an account"
        )
    site.check()
    _move_stage(site, "Writing cards")


def _member_writes_cards(site: Site, username: str) -> None:
    page = site.page
    _open_project(site, username)
    expect(page.get_by_text(QUESTION).first).to_be_visible()
    _nav(site, "Cards")
    for written, text in enumerate(CARDS[username], start=1):
        page.get_by_role("textbox", name="Your card").fill(text)
        page.get_by_role("button", name="Save the card").click()
        expect(_status(page, f"You have written {written} of 5 cards.")).to_be_visible()
        site.check()
    yours = page.get_by_role("region", name="Your cards")
    for text in CARDS[username]:
        expect(yours.get_by_text(text)).to_be_visible()
    site.sign_out()


def _facilitator_records_the_group_sort(site: Site) -> None:
    page = site.page
    _move_stage(site, "Sorting the cards")
    _nav(site, "Sorting")
    page.get_by_label("Title").fill("Panel meeting")
    page.get_by_label("Notes").fill("F01, P01, P02 and P03 sorted the cards together.")
    page.get_by_role("button", name="Start the group sort").click()
    _arrive(site, "Panel meeting")
    for label, notes, _ in GROUP_PILES:
        _add_pile(site, label, notes)
    expect(_pile(page, "Shared experience")).to_contain_text("Cards about having been there.")
    _place(site, _moves(tuple((label, cards) for label, _, cards in GROUP_PILES)))
    expect(_pile(page, "Not in a pile")).to_contain_text("Every card is in a pile.")
    expect(page.get_by_text("8 of 8", exact=True)).to_be_visible()
    _nav(site, "Sorting")
    sorts = page.get_by_role("table", name="Group sorts recorded by the facilitator")
    expect(sorts.get_by_role("row", name=re.compile("^Panel meeting"))).to_contain_text("8 of 8")


def _member_sorts(site: Site, username: str) -> None:
    """Start one's own sort and make the first moves; stop and sign out; come back, add the
    last pile after more moves on the same page, and finish."""
    page = site.page
    *first_piles, (last_label, last_cards) = OWN_SORTS[username]
    moves = _moves(tuple(first_piles))
    _open_project(site, username)
    _nav(site, "Sorting")
    page.get_by_role("link", name="Start your own sort").click()
    _arrive(site, "Your own sort")
    for label, _ in first_piles:
        _add_pile(site, label)
    _place(site, {number: moves[number] for number in FIRST_SITTING})
    expect(page.get_by_text("Saved, not finished", exact=True)).to_be_visible()
    expect(page.get_by_text(f"{len(FIRST_SITTING)} of 8", exact=True)).to_be_visible()
    site.sign_out()

    # Back another day: the moves are kept, and the sort is not finished.
    _open_project(site, username)
    _nav(site, "Sorting")
    expect(
        page.get_by_text("You have started your sort and saved it as not finished.")
    ).to_be_visible()
    page.get_by_role("link", name="Go on with your sort").click()
    _arrive(site, "Your own sort")
    expect(page.get_by_text("Saved, not finished")).to_be_visible()
    for number in FIRST_SITTING:
        expect(_card_in(_pile(page, moves[number]), number)).to_be_visible()
    _place(site, {n: label for n, label in moves.items() if n not in FIRST_SITTING})
    _add_pile(site, last_label)
    _place(site, dict.fromkeys(last_cards, last_label))

    page.get_by_role("button", name="I have finished my sort").click()
    expect(
        _status(page, "Your sort is finished and will be part of the concept map.")
    ).to_be_visible()
    expect(page.get_by_text("Finished", exact=True)).to_be_visible()
    expect(page.get_by_text("8 of 8", exact=True)).to_be_visible()
    site.check()


def _facilitator_maps(site: Site) -> None:
    page = site.page
    _nav(site, "Sorting")
    page.get_by_role("link", name="Who has finished sorting, and who has not").click()
    _arrive(site, "Sorts online")
    progress = page.get_by_role("table", name="Each member’s sort, by code")
    for code in ("P01", "P02"):
        expect(progress.get_by_role("row", name=re.compile(rf"^{code} "))).to_contain_text(
            "Finished"
        )

    _nav(site, "Concept map")
    expect(page.get_by_text("There is no map yet.")).to_contain_text(
        "That is enough: run the analysis below."
    )
    page.get_by_role("button", name="Run the analysis").click()
    expect(_status(page, "The map is drawn from 2 sorts")).to_be_visible(timeout=ANALYSIS_MS)
    site.check()
    concept_map = page.get_by_role("img", name=re.compile(r"^Concept map, \d+ clusters"))
    expect(concept_map).to_be_visible()
    clusters = page.get_by_role("table", name=re.compile("^Clusters of the"))
    expect(clusters.get_by_role("row")).not_to_have_count(0)
    places = page.get_by_role("table", name=re.compile("^Each card's place on the map"))
    expect(places.get_by_role("row")).to_have_count(1 + 8)

    page.get_by_role("button", name="Choose for this map").click()
    expect(_status(page, re.compile(r"The map shows \d+ clusters now\."))).to_be_visible()
    site.check()
    page.get_by_role("link", name="Name and merge the clusters").click()
    _arrive(site, "Name and merge the clusters")
    page.get_by_label("Cluster", exact=True).select_option("1")
    page.get_by_label("New name").fill(CLUSTER_NAME)
    page.get_by_role("button", name="Rename", exact=True).click()
    expect(_status(page, f"Cluster 1 is named “{CLUSTER_NAME}”.")).to_be_visible()
    site.check()

    _nav(site, "Concept map")
    named = page.get_by_role("table", name=re.compile("^Clusters of the"))
    expect(named.get_by_role("row", name=re.compile("^1 "))).to_contain_text(CLUSTER_NAME)
    expect(concept_map).to_have_attribute("aria-label", re.compile(f"1. {CLUSTER_NAME}"))


@pytest.fixture
def accounts(make_user: Callable[[str], Any]) -> dict[str, Any]:
    """The facilitator and the three panel members have accounts; nothing else exists."""
    return {name: make_user(name) for name in ("fay", *CODES)}


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_project_from_its_framing_question_to_a_named_concept_map(
    open_site: Callable[..., Site], accounts: dict[str, Any], javascript: bool
) -> None:
    # 1. The facilitator starts the project, adds the panel and opens the cards stage.
    facilitator = open_site(javascript=javascript)
    facilitator.sign_in("fay")
    _facilitator_sets_up(facilitator)

    # 2. Three members write their cards; P02 always without JavaScript.
    people = {
        "pam": open_site(javascript=javascript),
        "pat": open_site(javascript=False),
        "pia": open_site(javascript=javascript),
    }
    for username, site in people.items():
        _member_writes_cards(site, username)

    # 3. The facilitator opens sorting and records the group sort of the panel's meeting.
    _facilitator_records_the_group_sort(facilitator)

    # 4. Two members sort on their own: one by dragging (where JavaScript runs), one without.
    for username in OWN_SORTS:
        _member_sorts(people[username], username)

    # 5. The facilitator runs the concept map, chooses its solution and names a cluster.
    _facilitator_maps(facilitator)

    # What the pages did is what the database holds.
    project = Project.objects.get(name=PROJECT)
    assert project.stage == Project.Stage.SORTING
    codes = dict(Member.objects.filter(project=project).values_list("user__username", "code"))
    assert codes == {"fay": "F01", **CODES}
    written = {
        (card.number, card.author.code, card.text)
        for card in Card.objects.filter(project=project).select_related("author")
    }
    every = [(CODES[name], text) for name, texts in CARDS.items() for text in texts]
    assert written == {(n, code, text) for n, (code, text) in enumerate(every, start=1)}
    group = GroupSort.objects.get(project=project)
    assert _where(Placement.objects.filter(group_sort=group)) == {
        n: label for label, _, cards in GROUP_PILES for n in cards
    }
    for username, piles in OWN_SORTS.items():
        own = IndividualSort.objects.get(member__user__username=username)
        assert own.status == IndividualSort.Status.DONE
        assert _where(Placement.objects.filter(sort=own)) == _moves(piles)
    stored = ConceptMap.objects.get(project=project)
    assert stored.sorters == 2
    assert stored.chosen_clusters is not None


def _where(placements: Any) -> dict[int, str]:
    return dict(placements.values_list("card__number", "pile__label"))
