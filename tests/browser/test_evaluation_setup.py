"""A lead starts an evaluation and sets it up: a service, a peer worker, a round, a rater."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site

from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.evaluations.models import Evaluation, Membership
from peerprinciples.web.library.models import StoredInstrument

pytestmark = pytest.mark.browser


def test_a_lead_starts_an_evaluation_and_sets_up_its_service_people_and_round(
    site: Site, make_user: Callable[[str], Any], instrument: StoredInstrument
) -> None:
    make_user("lead")
    make_user("rater")
    page = site.page
    site.sign_in("lead")
    site.check()

    page.get_by_role("link", name="Start a new evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a new evaluation")
    site.check()
    page.get_by_role("button", name="Start the evaluation").click()
    expect(page.get_by_role("alert")).to_contain_text("Name of the evaluation")
    site.check()

    page.get_by_label("Name of the evaluation").fill("Peer support review 2025")
    page.get_by_role("radio", name="Service review").check()
    page.get_by_label("Fidelity index (instrument version)").select_option(
        label=f"{instrument.title} — {instrument.ref} (framework {instrument.framework.ref})"
    )
    page.get_by_role("button", name="Start the evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer support review 2025")
    expect(page.get_by_role("status")).to_contain_text("has started")
    nav = page.get_by_role("navigation", name="This evaluation")
    expect(nav.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    site.check()

    page.get_by_label("Service code").fill("NORTH")
    page.get_by_label("Service name").fill("North community team")
    page.get_by_role("button", name="Add the service").click()
    expect(page.get_by_role("status")).to_contain_text("Added the service")
    services = page.get_by_role("region", name="Services")
    expect(services.get_by_role("listitem")).to_have_text("NORTH — North community team")

    page.get_by_label("Service they work in").select_option(label="NORTH — North community team")
    page.get_by_label("Pseudonymous code").fill("PW-014")
    page.get_by_role("button", name="Add the peer worker").click()
    expect(page.get_by_role("status")).to_contain_text("Added the peer worker PW-014 in NORTH")
    workers = page.get_by_role("region", name="Peer workers")
    expect(workers.get_by_role("row", name="PW-014")).to_contain_text("NORTH")

    page.get_by_label("Round number").fill("1")
    page.get_by_label("Label").fill("Baseline")
    page.get_by_role("button", name="Add the round").click()
    expect(page.get_by_role("status")).to_contain_text("Added")
    expect(page.get_by_role("region", name="Rounds").get_by_role("listitem")).to_contain_text(
        "Baseline"
    )

    page.get_by_label("User name").fill("rater")
    page.get_by_role("radio", name="Rater").check()
    page.get_by_role("checkbox", name="NORTH — North community team").check()
    page.get_by_role("button", name="Save the member").click()
    members = page.get_by_role("region", name="Members")
    expect(members.get_by_role("row", name="rater")).to_contain_text("NORTH")
    site.check()

    evaluation = Evaluation.objects.get(name="Peer support review 2025")
    assert evaluation.instrument == instrument
    membership = Membership.objects.get(evaluation=evaluation, user__username="rater")
    assert membership.role == Membership.Role.RATER
    assert [s.code for s in membership.services.all()] == ["NORTH"]

    nav.get_by_role("link", name="Audit trail").click()
    site.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(page.get_by_role("table")).to_contain_text("PW-014")


def test_a_set_up_form_with_a_problem_says_what_to_put_right_and_keeps_the_rest(
    site: Site, make_user: Callable[[str], Any], instrument: StoredInstrument
) -> None:
    lead = make_user("lead")
    evaluation = setup.create_evaluation(
        lead, name="Pilot", kind=Evaluation.Kind.RESEARCH, instrument=instrument
    )
    page = site.page
    site.sign_in("lead")
    site.go(f"/evaluations/{evaluation.pk}/")
    page.get_by_label("User name").fill("nobody-of-that-name")
    page.get_by_role("radio", name="Viewer").check()
    page.get_by_role("button", name="Save the member").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nothing was saved")
    expect(page.get_by_text("There is no account with that user name").first).to_be_visible()
    expect(page.get_by_label("User name")).to_have_value("nobody-of-that-name")
    site.check()
