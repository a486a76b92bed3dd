"""A facilitator changes an action of an open cycle; the pages for putting things right."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site, Team

from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.library.models import StoredGuide
from peerprinciples.web.reflection.models import Action, ActionReview, Cycle
from peerprinciples.web.reflection.services import actions as services

pytestmark = pytest.mark.browser


def _cycle(team: Team, number: int) -> Cycle:
    round_ = (
        team.round
        if number == 1
        else setup.add_round(team.lead, team.evaluation, number=number, label="Autumn review")
    )
    return Cycle.objects.create(
        evaluation=team.evaluation,
        service=team.service_a,
        round=round_,
        guide=StoredGuide.objects.get(key="enrich-reflection", version="1"),
        opened_by=team.lead,
    )


def _agree(team: Team, cycle: Cycle, what: str) -> Action:
    return services.add_action(
        team.lead,
        cycle,
        principle="relationships",
        what=what,
        who="Peer worker team",
        due=dt.date(2025, 9, 30),
    )


def test_a_facilitator_changes_an_action_and_nothing_anyone_typed_is_lost(
    site: Site, team: Team
) -> None:
    action = _agree(team, _cycle(team, 1), "Meet as peers every week")
    page = site.page
    site.sign_in("facilitator")
    site.go(team.path(f"reflection/actions/{action.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "An action on Relationships built on shared lived experience"
    )

    page.get_by_label("What we will do").fill("")
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_role("alert")).to_contain_text("What we will do")
    site.check()

    # Someone else saves first; this person's save is refused, and both texts are shown.
    services.edit_action(
        team.lead,
        action,
        what="Book the quiet room every Tuesday",
        who="Service manager",
        due=None,
        status="under_way",
        expected_version=1,
    )
    page.get_by_label("What we will do").fill("Meet in the community café")
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "Someone else saved this action after you opened it"
    )
    expect(page.locator(".notice")).to_contain_text("Book the quiet room every Tuesday")
    expect(page.get_by_label("What we will do")).to_have_value("Meet in the community café")
    expect(page.get_by_label("Who will do it")).to_have_value("Peer worker team")
    site.check()


def test_an_action_of_a_finished_cycle_is_shown_read_only(site: Site, team: Team) -> None:
    cycle = _cycle(team, 1)
    action = _agree(team, cycle, "Ask for supervision from a peer lead")
    cycle.status = Cycle.Status.FINISHED
    cycle.save(update_fields=["status"])
    page = site.page
    site.sign_in("facilitator")
    site.go(team.path(f"reflection/actions/{action.pk}/"))
    expect(page.get_by_text("This cycle is finished")).to_be_visible()
    expect(page.get_by_role("button", name="Save the action")).to_have_count(0)


def test_a_facilitator_looks_back_at_three_actions_and_nothing_typed_is_lost(
    site: Site, team: Team
) -> None:
    first = _cycle(team, 1)
    whats = ("Meet as peers every week", "Ask for supervision", "Write notes together")
    weekly, supervision, notes = (_agree(team, first, what) for what in whats)
    first.status = Cycle.Status.FINISHED
    first.save(update_fields=["status"])
    second = _cycle(team, 2)
    page = site.page
    site.sign_in("facilitator")
    site.go(team.path(f"reflection/cycles/{second.pk}/"))
    said = {
        weekly: ("Done", "Every Tuesday since June"),
        supervision: ("Not decided yet", "We asked twice, no answer yet"),
        notes: ("Dropped", "The team found another way"),
    }
    for action, (outcome, what_happened) in said.items():
        looked_at = page.locator(f"#look-back-{action.pk}")
        looked_at.get_by_label(outcome).check()
        looked_at.get_by_label("What happened, and why").fill(what_happened)
    page.get_by_role("button", name="Save what we said about earlier actions").click()

    # What was written about the undecided action would be lost: nothing is saved, all is kept.
    expect(page.get_by_role("heading", level=1)).to_have_text("Looking back at earlier actions")
    expect(page.get_by_role("alert")).to_contain_text("Ask for supervision")
    for action, (outcome, what_happened) in said.items():
        looked_at = page.locator(f"#look-back-{action.pk}")
        expect(looked_at.get_by_label(outcome)).to_be_checked()
        expect(looked_at.get_by_label("What happened, and why")).to_have_value(what_happened)
    assert not ActionReview.objects.exists()
    site.check()

    page.locator(f"#look-back-{supervision.pk}").get_by_label("Kept: carry on").check()
    page.get_by_role("button", name="Save what we said about earlier actions").click()
    expect(page.get_by_text("The look back is saved: 3 actions changed.")).to_be_visible()
    outcomes = dict(ActionReview.objects.values_list("action__what", "outcome"))
    assert outcomes == {whats[0]: "done", whats[1]: "kept", whats[2]: "dropped"}
    expect(
        page.locator(f"#look-back-{supervision.pk}").get_by_label("What happened, and why")
    ).to_have_value("We asked twice, no answer yet")
    site.check()
