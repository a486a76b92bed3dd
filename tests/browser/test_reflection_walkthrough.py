"""The whole of stage 5 in a browser, as the people who do it would, with JavaScript on and off.

A facilitator opens a cycle for service A after its first round, writes a reflection on every
principle and theme, goes through the conditions and agrees two actions; a peer worker replies to
the draft report; the lead releases it. In the next round the facilitator opens the next cycle,
where the two actions come back to be looked back at, and the timeline shows both rounds. With
JavaScript on, axe-core checks every page on the way; with it off, the same story must still work.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, Team

from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.reflection.models import (
    Action,
    ActionReview,
    ConditionCheck,
    Cycle,
    Reflection,
    Reply,
)

pytestmark = pytest.mark.browser


def _menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="This evaluation").get_by_role("link", name=name).click()


def _open_cycle(site: Site, team: Team, round_label: str) -> None:
    """From the evaluation's page, open a cycle for service A in the round named."""
    page = site.page
    site.go(team.path())
    _menu(page, "Reflection")
    site.check()
    page.get_by_role("link", name="Open a reflection cycle").click()
    site.check()
    page.get_by_label("Service and round").select_option(label=f"A (North team) — {round_label}")
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Reflection of A (North team) in {round_label}"
    )
    site.check()


def _agree(page: Page, principle: str, what: str, who: str) -> None:
    form = page.locator("#add-action")
    form.get_by_label("Principle or theme").select_option(label=principle)
    form.get_by_label("What we will do").fill(what)
    form.get_by_label("Who will do it").fill(who)
    form.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("table", name="Actions agreed in this cycle")).to_contain_text(what)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_cycle_from_reflection_to_release_and_back_again_in_the_next_round(
    open_site: Callable[..., Site], team: Team, javascript: bool
) -> None:
    for number in range(1, 7):
        team.finish(team.interview(f"A-{number:02d}"), [2 + number % 3] * 20)

    # --- the facilitator runs the first cycle ---------------------------------------------
    facilitator = open_site(javascript=javascript)
    page = facilitator.page
    facilitator.sign_in("facilitator")
    _open_cycle(facilitator, team, "Baseline")
    expect(page.get_by_text("There are fidelity results for this round")).to_be_visible()

    page.get_by_text("Record when you met and who took part").click()
    page.get_by_role("spinbutton", name="Peer workers (optional)", exact=True).fill("4")
    page.get_by_label(re.compile(r"^People supported")).fill("3")
    page.get_by_label(re.compile(r"^Supervisors")).fill("1")
    page.get_by_role("button", name="Save who took part").click()
    expect(page.get_by_text("8 people in all")).to_be_visible()

    topics = page.get_by_role("link", name=re.compile(r"^Write the reflection on "))
    titles = [re.sub(r"^Write the reflection on ", "", t) for t in topics.all_inner_texts()]
    assert len(titles) == 6, titles  # five principles and the theme
    for title in titles:
        page.get_by_role("link", name=f"Write the reflection on {title}").click()
        facilitator.check()
        answers = page.get_by_role("textbox")
        answers.nth(0).fill(f"Going well on {title}")
        answers.nth(1).fill(f"Hard on {title}")
        answers.nth(2).fill(f"To try on {title}")
        page.get_by_role("button", name="Save the reflection").click()
        expect(page.get_by_text(f"Going well on {title}")).to_be_visible()

    page.get_by_role("link", name="Go through the conditions").click()
    facilitator.check()
    page.get_by_role(
        "group", name=re.compile(r"^Peer workers have their own regular space")
    ).get_by_label("Partly").check()
    page.get_by_role(
        "group", name=re.compile(r"^Peer workers have supervision from someone who understands")
    ).get_by_label("In place").check()
    page.get_by_role("button", name="Save the conditions").click()

    _agree(page, titles[0], "Keep a weekly hour for peer workers to meet", "Peer worker team")
    _agree(page, titles[1], "Ask the team how notes about peer support are written", "Manager")
    facilitator.check()

    page.get_by_label("Peer workers can reply to the draft report until").fill(
        dt.date.today().isoformat()
    )
    page.get_by_label("I have read what this cycle recorded and want to finish it now").check()
    page.get_by_role("button", name="Finish the cycle").click()
    expect(page.get_by_text("The cycle is finished.")).to_be_visible()
    facilitator.check()
    first = Cycle.objects.get()
    assert Reflection.objects.filter(cycle=first).count() == 6
    assert ConditionCheck.objects.filter(cycle=first).count() == 2
    assert Action.objects.filter(cycle=first).count() == 2

    # --- a peer worker of the service replies to the draft report -----------------------------
    worker = open_site(javascript=javascript)
    worker.sign_in("peer_worker")
    worker.page.get_by_role("link", name=re.compile("Your service’s reflection reports")).click()
    worker.check()
    worker.page.get_by_role("link", name="Reflection report: service A, Baseline").first.click()
    worker.check()
    expect(worker.page.get_by_text("Draft — open for peer workers’ replies until")).to_be_visible()
    worker.page.get_by_label("This reply is about").select_option(label=titles[1])
    worker.page.get_by_label("Your reply", exact=True).fill("It felt more two-way than this says")
    worker.page.get_by_role("button", name="Send my reply").click()
    worker.check()
    beside = worker.page.locator(f"#about-{Reply.objects.get().about}")
    expect(beside.get_by_text("It felt more two-way than this says")).to_be_visible()

    # --- the lead releases it ------------------------------------------------------------------
    lead = open_site(javascript=javascript)
    lead.sign_in("lead")
    lead.go(team.path("reflection/"))
    expect(lead.page.get_by_text("Draft — 1 reply — can be released")).to_be_visible()
    lead.page.get_by_role("link", name=re.compile("^Open the cycle")).click()
    lead.check()
    release = lead.page.locator("#release")
    expect(release).to_contain_text("1 peer worker reply to the draft report")
    release.get_by_label(re.compile("^I have read the report and the peer workers")).check()
    release.get_by_role("button", name="Release the report").click()
    expect(lead.page.get_by_text("The report is released.")).to_be_visible()
    lead.check()
    first.refresh_from_db()
    assert first.report_status == Cycle.Report.RELEASED

    # A reply after release is refused, and nothing is added.
    worker.page.reload()
    expect(worker.page.get_by_role("button", name="Send my reply")).to_have_count(0)
    assert Reply.objects.count() == 1

    # --- the next round: the actions come back, and the timeline shows both rounds ------------
    setup.add_round(team.lead, team.evaluation, number=2, label="Autumn review")
    _open_cycle(facilitator, team, "Autumn review")
    back = page.locator("#looking-back")
    expect(back).to_contain_text("Keep a weekly hour for peer workers to meet")
    expect(back).to_contain_text("Ask the team how notes about peer support are written")
    weekly, notes = Action.objects.order_by("pk")
    looked_at = page.locator(f"#look-back-{weekly.pk}")
    looked_at.get_by_label("Done").check()
    looked_at.get_by_label("What happened, and why").fill("We have met every Tuesday since")
    looked_at = page.locator(f"#look-back-{notes.pk}")
    looked_at.get_by_label("Kept: carry on").check()
    back.get_by_role("button", name="Save what we said about earlier actions").click()
    expect(page.get_by_text("The look back is saved: 2 actions changed.")).to_be_visible()
    facilitator.check()
    outcomes = dict(ActionReview.objects.values_list("action__what", "outcome"))
    assert outcomes == {
        "Keep a weekly hour for peer workers to meet": "done",
        "Ask the team how notes about peer support are written": "kept",
    }

    page.get_by_role("link", name=re.compile(r"^The timeline of A")).first.click()
    facilitator.check()
    expect(page.get_by_role("heading", name="Baseline")).to_be_visible()
    expect(page.get_by_role("heading", name="Autumn review")).to_be_visible()
    expect(page.get_by_text("Going well on " + titles[0]).first).to_be_visible()
