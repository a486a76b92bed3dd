"""A co-production project from its concept map to a published framework that a new
evaluation pins, in a browser, as the people who run it would: once with JavaScript on and
axe-core checking every page, once with JavaScript off.

The set-up stops where issue 14's walkthrough ends: a project at the concept-map stage, with
two review categories and a group sort of two piles (the fixtures of the drafting tests),
a facilitator, a member of the research team and five panel members. From there everything
happens through the pages: the facilitator moves the project on, drafts three principles
and ticks in the coverage grid which categories and piles support them; opens round 1; the
five members and the facilitator (who sits on the panel) vote, each signed in as
themselves, and P01 rates the third principle low; the round closes and the agreed wording
is locked, so the research team's change to it, typed on a page opened before the round
closed, is refused; the research team rewords the third principle and answers the comments;
in round 2 P01 sees their own rating beside the group's and changes it, and everything is
agreed; the facilitator publishes with a starter index, downloads the YAML, which
``peerprinciples framework validate`` accepts, and starts an evaluation on the evaluations
page pinned to the published framework's index.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect
from tests.browser.conftest import Site
from tests.browser.test_coproduction_walkthrough import _arrive, _status
from tests.web.conftest import Panel, panel  # noqa: F401 (the fixture)
from tests.web.coproduction_drafting_supports import add_supports

from peerprinciples.web.coproduction.models import (
    DraftingRound,
    DraftPrinciple,
    Member,
    Project,
    Publication,
)
from peerprinciples.web.evaluations.models import Evaluation

pytestmark = pytest.mark.browser

PROJECT = "What matters in peer support here"
# The draft principles: title, definition and one aspect each.
PRINCIPLES = (
    (
        "Trust from shared experience",
        "Peer workers use what they have lived through to build trust.",
        "They share their own story when it helps the person, and only then.",
    ),
    (
        "Side by side",
        "Peer workers and the people they support meet as equals.",
        "Decisions about support are made together.",
    ),
    (
        "Choice stays with the person",
        "People choose the support they want.",
        "Nobody is made to take part in anything.",
    ),
)
TITLES = tuple(title for title, _, _ in PRINCIPLES)
# Which category or pile (by its label) supports which principle (by its number, from 1).
LINKS = {
    ("Trust", 1),
    ("Being heard", 1),
    ("Equals", 2),
    ("Feeling safe", 2),
    ("Trust", 3),
    ("Feeling safe", 3),
}
# The panel: account names and codes. Everyone with a vote rates every statement 8 but the
# third principle, which P01 rates 3 and P02 rates 6 in round 1: 4 of 6 agree, under 75 %.
PANEL = {"pam": "P01", "pat": "P02", "pia": "P03", "pol": "P04", "pru": "P05"}
VOTERS = ("fay", *PANEL)
FIRST_ROUND_LOW = {"pam": "3", "pat": "6"}
LOW_COMMENT = "Choice is more than a word: say who decides."
REWORDED = "People choose the support they want, and they decide when it ends."
ANSWER = "We said who decides: the person, and when the support ends as well."
VERSION = "1"


@pytest.fixture
def project(panel: Panel, make_user: Callable[[str], Any]) -> Project:  # noqa: F811
    """The panel's project at the concept-map stage, with its review categories and group-sort
    piles, and three more panel members; nothing of issue 15 is made yet."""
    made = panel.project
    add_supports(panel)
    for username, code in PANEL.items():
        if not made.members.filter(code=code).exists():
            Member.objects.create(
                project=made, user=make_user(username), role=Member.Role.PANEL, code=code
            )
    made.stage = Project.Stage.MAPPING
    made.save(update_fields=["stage"])
    return made


# --- helpers ----------------------------------------------------------------------------------


@dataclass
class Windows:
    """Each person's browser window, sharing what axe-core has checked already.

    Every page is checked once for each role that sees it, and again whenever it shows
    another message: five panel members handing in the same ballot page in turn is one
    page to check, not five (which would double the story's run time)."""

    open_site: Callable[..., Site]
    javascript: bool
    seen: set[tuple[str, ...]] = field(default_factory=set)

    def open(self, role: str) -> Site:
        site = self.open_site(javascript=self.javascript)
        full_check = site.check

        def check() -> None:
            page = site.page
            page.wait_for_load_state()
            said = page.locator("[role=status], [role=alert]").all_inner_texts()
            key = (role, urlsplit(page.url).path, *(" ".join(text.split()) for text in said))
            if key not in self.seen:
                self.seen.add(key)
                full_check()

        site.check = check  # type: ignore[method-assign]
        return site


def _nav(site: Site, name: str, heading: str) -> None:
    """Follow an entry of the project's navigation to the page headed ``heading``."""
    nav = site.page.get_by_role("navigation", name="This project")
    nav.get_by_role("link", name=name, exact=True).click()
    _arrive(site, heading)


def _open_project(site: Site, username: str) -> None:
    """Sign in and open the project from the list of one's co-production projects."""
    site.sign_in(username)
    site.check()
    site.page.get_by_role("link", name="Your co-production projects").click()
    _arrive(site, "Co-production projects")
    site.page.get_by_role("link", name=PROJECT).click()
    _arrive(site, PROJECT)


def _rating(page: Page, title: str) -> Locator:
    """On a ballot, the group of radios rating the principle titled ``title``."""
    return page.get_by_role("group", name=f"Your rating of “{title}”")


def _saved(page: Page, text: str | re.Pattern[str]) -> None:
    expect(_status(page, text)).to_be_visible()


# --- the story, step by step ------------------------------------------------------------------


def _facilitator_drafts(site: Site) -> None:
    """Move the project on to drafting and add the three principles, each with an aspect."""
    page = site.page
    page.get_by_role("link", name=re.compile("^Move the project to another stage")).click()
    _arrive(site, "Settings and stage")
    page.get_by_label("Mapping and drafting the principles", exact=True).check()
    page.get_by_role("button", name="Save the settings").click()
    _saved(page, "The project is now at the stage “Mapping and drafting the principles”.")
    site.check()
    page.get_by_role("link", name="Go to the draft principles").click()
    _arrive(site, "Draft principles")
    for title, definition, aspect in PRINCIPLES:
        form = page.locator("#add-principle")
        form.get_by_label("Title", exact=True).fill(title)
        form.get_by_label("Definition").fill(definition)
        form.get_by_role("button", name="Add the principle").click()
        _arrive(site, f"Draft principle: {title}")
        _saved(page, f"The draft principle “{title}” is added.")
        page.get_by_label("New aspect").fill(aspect)
        page.get_by_role("button", name="Add the aspect").click()
        _saved(page, "The aspect is added.")
        site.check()
        _nav(site, "Principles", "Draft principles")


def _facilitator_maps(site: Site) -> None:
    """Tick which categories and piles support which principle, in the coverage grid."""
    page = site.page
    page.get_by_role("link", name=re.compile("^What supports each principle")).click()
    _arrive(site, "What supports each principle")
    flags = page.get_by_role("region", name="What to look at next")
    expect(flags).to_contain_text("3 draft principles have nothing linked to them yet")
    for support, number in sorted(LINKS):
        page.get_by_label(f"{support} supports {TITLES[number - 1]}", exact=True).check()
    page.get_by_role("button", name="Save the links").click()
    _saved(page, "The links are saved")
    expect(flags).to_contain_text(
        "Every principle rests on the review and on the panel, and every category and pile "
        "supports a principle."
    )
    site.check()
    where = page.get_by_role("table", name="Where each principle's support comes from")
    for number, title in enumerate(TITLES, start=1):
        row = where.get_by_role("row", name=f"P{number}. {title}")
        expect(row).to_contain_text("the review and the panel")
    if site.javascript:
        diagram = page.get_by_role("img", name="What supports each draft principle")
        expect(diagram).to_be_visible()
        assert diagram.evaluate("img => img.naturalWidth") > 0


def _open_round(site: Site, number: int, introduction: str) -> None:
    page = site.page
    _nav(site, "Drafting rounds", "Drafting rounds")
    if number == 1:
        expect(page.get_by_text("Agreed when at least 75% of those who rated it")).to_be_visible()
    page.get_by_label("Introduction to the panel").fill(introduction)
    page.get_by_role("button", name="Open the next round").click()
    _arrive(site, f"Round {number}")
    _saved(page, f"Round {number} is open: {len(VOTERS)} members are invited to vote.")


def _vote(site: Site, number: int, ratings: dict[str, str], comment: str = "") -> None:
    """From the rounds page, hand in a ballot rating every statement 8 but those in
    ``ratings`` (by principle title); ``comment`` goes with the first of those."""
    page = site.page
    _nav(site, "Drafting rounds", "Drafting rounds")
    page.get_by_role("link", name=f"Vote in round {number}").click()
    _arrive(site, f"Vote in round {number}")
    groups = page.get_by_role("group", name=re.compile("^Your rating of"))
    for group in groups.all():
        group.get_by_label("8", exact=True).check()
    for title, rating in ratings.items():
        _rating(page, title).get_by_label(rating, exact=True).check()
    if comment:
        section = page.locator("section", has=_rating(page, next(iter(ratings))))
        section.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name="Hand in my ballot").click()
    _arrive(site, f"Round {number}")
    _saved(page, f"Your ballot for round {number} is handed in.")


def _close_round(site: Site, number: int, agreed: str) -> None:
    page = site.page
    _nav(site, "Drafting rounds", "Drafting rounds")
    page.get_by_role("link", name=f"Round {number}", exact=True).click()
    _arrive(site, f"Round {number}")
    page.get_by_role("link", name=f"Close round {number}").click()
    _arrive(site, f"Close round {number}")
    expect(page.get_by_text(f"{len(VOTERS)} of {len(VOTERS)} invited members")).to_be_visible()
    expect(page.get_by_text("Everyone invited has voted.")).to_be_visible()
    page.get_by_role("button", name=f"Close round {number}").click()
    _arrive(site, f"Round {number}")
    _saved(page, f"Round {number} is closed: {agreed} agreed and locked.")


def _research_team_rewords(site: Site) -> None:
    """Reword the principle not agreed, from the list of what changed, and answer."""
    page = site.page
    _nav(site, "Drafting rounds", "Drafting rounds")
    page.get_by_role("link", name="Round 1", exact=True).click()
    _arrive(site, "Round 1")
    page.get_by_role("link", name="What we changed and why").click()
    _arrive(site, "What we changed and why after round 1")
    main = page.get_by_role("main")
    expect(main).to_contain_text(LOW_COMMENT)
    expect(main).to_contain_text(f"In round 1: {PRINCIPLES[2][1]}")
    page.get_by_role("link", name=re.compile("^Edit the wording on the principle's page")).click()
    _arrive(site, f"Draft principle: {TITLES[2]}")
    page.get_by_label("Definition").fill(REWORDED)
    page.get_by_role("button", name="Save the principle").click()
    _saved(page, f"The draft principle “{TITLES[2]}” is saved.")
    site.check()
    _nav(site, "Drafting rounds", "Drafting rounds")
    page.get_by_role("link", name="Round 1", exact=True).click()
    _arrive(site, "Round 1")
    page.get_by_role("link", name="What we changed and why").click()
    _arrive(site, "What we changed and why after round 1")
    expect(page.locator("ins").first).to_contain_text("and they decide when it ends")
    page.get_by_label("What we changed and why").fill(ANSWER)
    page.get_by_role("button", name=re.compile("^Save the answer")).click()
    _saved(page, "The answer is saved")
    site.check()


def _member_changes_their_rating(site: Site) -> None:
    """P01 reads their own rating beside the group's, and the answer, then rates it 8."""
    page = site.page
    _nav(site, "Drafting rounds", "Drafting rounds")
    page.get_by_role("link", name="Vote in round 2").click()
    _arrive(site, "Vote in round 2")
    expect(page.get_by_text("you rated it 3")).to_be_visible()
    last = page.get_by_role("table", name="How the panel rated it last round")
    expect(last.get_by_role("row", name=re.compile("^Members"))).to_contain_text("1")
    expect(page.get_by_text(ANSWER)).to_be_visible()
    expect(page.locator("ins").first).to_contain_text("and they decide when it ends")
    locked = page.get_by_role("heading", name="Agreed in earlier rounds")
    expect(locked).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("^Your rating of"))).to_have_count(1)
    _rating(page, TITLES[2]).get_by_label("8", exact=True).check()
    page.get_by_role("button", name="Hand in my ballot").click()
    _arrive(site, "Round 2")
    _saved(page, "Your ballot for round 2 is handed in.")


def _facilitator_publishes(site: Site, tmp_path: Path) -> str:
    """Publish with a starter index; download the YAML and validate it. Returns the title
    and reference the framework was published under, as its page shows it."""
    page = site.page
    _nav(site, "Publishing", "Publish the framework")
    expect(page.locator("#ready")).to_contain_text("every statement is agreed")
    page.get_by_label("Version").fill(VERSION)
    page.get_by_role("radio", name=re.compile("^A starter index drafted from the aspects")).check()
    page.get_by_role("button", name="Publish this version").click()
    _saved(page, re.compile(rf"Published [a-z0-9-]+@{VERSION}\."))
    site.check()
    saved = tmp_path / "framework.yaml"
    if site.javascript:
        with page.expect_download() as waiting:
            page.get_by_role("link", name="framework.yaml").click()
        waiting.value.save_as(saved)
    else:
        link = page.get_by_role("link", name="framework.yaml")
        answer = page.request.get(link.get_attribute("href") or "")
        assert answer.ok, answer.status
        saved.write_bytes(answer.body())
    checked = subprocess.run(
        [sys.executable, "-m", "peerprinciples.cli.main", "framework", "validate", str(saved)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return page.get_by_role("heading", level=1).inner_text()


def _facilitator_starts_an_evaluation(site: Site, published: Publication) -> None:
    """On the evaluations page, start an evaluation pinned to the published index."""
    page = site.page
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Your evaluations"
    ).click()
    _arrive(site, "Your evaluations")
    page.get_by_role("link", name="Start a new evaluation").click()
    _arrive(site, "Start a new evaluation")
    page.get_by_label("Name of the evaluation").fill("Riverside hub review")
    index = page.get_by_label("Fidelity index (instrument version)")
    choice = index.locator("option").filter(has_text=f"(framework {published.framework.ref})")
    index.select_option(value=choice.get_attribute("value"))
    page.get_by_role("button", name="Start the evaluation").click()
    _arrive(site, "Riverside hub review")
    _saved(page, "has started")
    pinned = page.get_by_role("definition").filter(has_text=published.framework.ref)
    expect(pinned.first).to_contain_text(published.framework.title)


def _walk(open_site: Callable[..., Site], project: Project, tmp_path: Path, js: bool) -> None:
    # 1. The facilitator moves the project on, drafts three principles and maps them.
    windows = Windows(open_site, js)
    fay = windows.open("facilitator")
    _open_project(fay, "fay")
    _facilitator_drafts(fay)
    _facilitator_maps(fay)

    # 2. Round 1 opens. The research team opens the first principle's page to change it.
    _open_round(fay, 1, "Round 1: rate how far you agree with each statement.")
    rex = windows.open("research")
    _open_project(rex, "rex")
    _nav(rex, "Principles", "Draft principles")
    rex.page.get_by_role("link", name=f"1. {TITLES[0]}").click()
    _arrive(rex, f"Draft principle: {TITLES[0]}")
    rex.page.get_by_label("Definition").fill("Trust comes first.")

    # 3. Everyone with a vote hands in a ballot; P01 rates the third principle low.
    members = {name: windows.open("panel") for name in PANEL}
    _open_project(members["pam"], "pam")
    for name, site in members.items():
        if name != "pam":  # the others follow a link the facilitator sent them
            site.sign_in(name)
            site.go(f"/coproduction/{project.pk}/")
    for name in VOTERS:
        site = fay if name == "fay" else members[name]
        low = {TITLES[2]: FIRST_ROUND_LOW[name]} if name in FIRST_ROUND_LOW else {}
        _vote(site, 1, low, LOW_COMMENT if name == "pam" else "")

    # 4. The facilitator closes round 1: five statements are agreed and locked.
    _close_round(fay, 1, "5 statements")
    third = fay.page.get_by_role("region", name=re.compile(rf"^\d+\. Principle: {TITLES[2]}\b"))
    expect(third).to_contain_text("Not agreed: 66.67% rated 7–9, needs 75%")
    expect(third).to_contain_text(LOW_COMMENT)

    # 5. The research team's change to the agreed first principle is refused.
    rex.page.get_by_role("button", name="Save the principle").click()
    expect(rex.page.get_by_role("alert").or_(rex.page.get_by_role("status")).first).to_contain_text(
        "was agreed in round 1, so it stays as the panel agreed it"
    )
    expect(rex.page.get_by_role("heading", name="Change the principle")).to_have_count(0)
    rex.check()

    # 6. The research team rewords the third principle and answers the comment.
    _research_team_rewords(rex)

    # 7. Round 2: P01 sees their rating beside the group's and changes it; all agree.
    _open_round(fay, 2, "Round 2: one statement was reworded.")
    _member_changes_their_rating(members["pam"])
    for name in VOTERS:
        if name != "pam":
            _vote(fay if name == "fay" else members[name], 2, {})
    _close_round(fay, 2, "1 statement")
    expect(fay.page.get_by_role("main")).to_contain_text("2 changed their rating")

    # 8. The facilitator publishes, and a new evaluation pins what was published.
    heading = _facilitator_publishes(fay, tmp_path)
    published = Publication.objects.get(project=project)
    assert published.framework.ref in heading
    _facilitator_starts_an_evaluation(fay, published)

    # What the pages did is what the database holds.
    rounds = DraftingRound.objects.filter(project=project).order_by("number")
    assert [(r.number, r.status) for r in rounds] == [(1, "closed"), (2, "closed")]
    drafts = {p.title: p for p in DraftPrinciple.objects.filter(project=project)}
    assert drafts[TITLES[0]].definition == PRINCIPLES[0][1]
    assert drafts[TITLES[2]].definition == REWORDED
    assert {t: p.agreed_in.number for t, p in drafts.items() if p.agreed_in} == {
        TITLES[0]: 1,
        TITLES[1]: 1,
        TITLES[2]: 2,
    }
    evaluation = Evaluation.objects.get(name="Riverside hub review")
    assert evaluation.framework == published.framework
    assert evaluation.instrument == published.instrument


def test_from_the_concept_map_to_a_published_framework_an_evaluation_pins(
    open_site: Callable[..., Site], project: Project, tmp_path: Path
) -> None:
    _walk(open_site, project, tmp_path, js=True)


def test_the_same_without_javascript(
    open_site: Callable[..., Site], project: Project, tmp_path: Path
) -> None:
    _walk(open_site, project, tmp_path, js=False)
