"""Running a reflection cycle in the browser: a facilitator opens one and records it, and a
viewer sees only that it happened."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site, Team

from peerprinciples.web.library.models import StoredGuide
from peerprinciples.web.reflection.models import ConditionCheck, Cycle, Reflection, SelfAssessment
from peerprinciples.web.reflection.services import cycles as reflection

pytestmark = pytest.mark.browser


def test_a_facilitator_opens_and_records_a_cycle_that_a_viewer_only_sees_happened(
    open_site: object, team: Team
) -> None:
    site: Site = open_site()  # type: ignore[operator]
    page = site.page
    site.sign_in("facilitator")
    site.go(team.path())
    page.get_by_role("navigation", name="This evaluation").get_by_role(
        "link", name="Reflection"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflection")
    site.check()

    page.get_by_role("link", name="Open a reflection cycle").click()
    site.check()
    page.get_by_label("Service and round").select_option(label="A (North team) — Baseline")
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reflection of A (North team) in Baseline"
    )
    expect(page.get_by_text("this cycle is self-assessment only")).to_be_visible()
    site.check()

    page.get_by_text("Record when you met and who took part").click()
    page.get_by_role("spinbutton", name="Peer workers (optional)", exact=True).fill("3")
    page.get_by_label(re.compile(r"^People supported")).fill("2")
    page.get_by_role("button", name="Save who took part").click()
    expect(page.get_by_text("5 people in all")).to_be_visible()

    page.get_by_role("link", name="Write the reflection on Mutuality and reciprocity").click()
    site.check()
    page.get_by_label(re.compile(r"^When did support flow both ways")).fill(
        "Two people swapped recipes and both learned something."
    )
    page.get_by_role("button", name="Save the reflection").click()
    expect(page.get_by_text("Two people swapped recipes")).to_be_visible()

    page.get_by_role("link", name="Go through the conditions").click()
    site.check()
    page.get_by_role(
        "group", name=re.compile(r"^Peer workers have their own regular space")
    ).get_by_label("Partly").check()
    page.get_by_role("button", name="Save the conditions").click()

    page.get_by_role("link", name="Fill in the self-assessment").click()
    site.check()
    page.get_by_role(
        "group", name=re.compile(r"^Peer workers have enough unhurried time")
    ).get_by_label("Mostly").check()
    page.get_by_role("button", name="Save the self-assessment").click()
    expect(page.get_by_text(re.compile(r"The team together: 3\.0"))).to_be_visible()
    site.check()

    page.get_by_role("button", name="Finish the cycle").click()
    expect(
        page.get_by_text("Tick the box to say you want to finish the cycle now").first
    ).to_be_visible()
    site.check()
    assert Cycle.objects.get().status == Cycle.Status.OPEN
    page.get_by_label("I have read what this cycle recorded and want to finish it now").check()
    page.get_by_role("button", name="Finish the cycle").click()
    expect(page.get_by_text("The cycle is finished.")).to_be_visible()
    site.check()
    cycle = Cycle.objects.get()
    assert cycle.status == Cycle.Status.FINISHED
    assert (cycle.peer_workers, cycle.people_supported) == (3, 2)
    assert Reflection.objects.get().principle == "mutuality"
    assert ConditionCheck.objects.get().state == "partly"
    assert SelfAssessment.objects.count() == 1

    viewer: Site = open_site()  # type: ignore[operator]
    viewer.sign_in("viewer")
    viewer.go(team.path(f"reflection/cycles/{cycle.pk}/"))
    expect(viewer.page.get_by_text("5 people in all")).to_be_visible()
    expect(viewer.page.get_by_text("Two people swapped recipes")).to_have_count(0)


def test_the_results_sit_beside_the_questions_and_a_clash_keeps_both_texts(
    open_site: object, team: Team
) -> None:
    for number in range(1, 7):
        interview = team.interview(f"A-{number:02d}")
        team.finish(interview, [2 + number % 3] * 20)
    cycle = reflection.open_cycle(
        team.lead,
        team.evaluation,
        service=team.service_a,
        round=team.round,
        guide=StoredGuide.objects.get(key="enrich-reflection"),
    )
    site: Site = open_site()  # type: ignore[operator]
    page = site.page
    site.sign_in("facilitator")
    site.go(team.path(f"reflection/cycles/{cycle.pk}/principles/relationships/"))
    table = page.get_by_role("table", name=re.compile(r"^Relationships built on shared"))
    # Six interviews, all about one peer worker: hidden, as a viewer would find it.
    expect(table).to_contain_text("Hidden: about fewer than 2 peer workers")
    page.get_by_label(re.compile(r"^Where have trusting relationships")).fill("Mine")
    reflection.save_reflection(
        team.lead,
        cycle,
        "relationships",
        answers={"going_well": "Theirs"},
        expected_version=None,
    )
    page.get_by_role("button", name="Save the reflection").click()
    expect(page.get_by_role("heading", name="What someone else saved meanwhile")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Where have trusting relationships"))).to_have_value(
        "Mine"
    )
    site.check()
