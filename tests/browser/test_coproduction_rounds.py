"""Two drafting rounds in a real browser: the facilitator opens round 1, five members vote
(one of them, P01, later changes their rating after seeing the group's), the facilitator
closes it and the agreed wording locks; the research team rewords what was not agreed and
answers the comments; round 2 runs and closes with everything agreed. Every page is checked
with axe-core, and one member votes with JavaScript turned off."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site
from tests.web.coproduction_rounds_fixtures import make_drafts, statement

from peerprinciples.web.coproduction.models import DraftingRound, Member, Project

pytestmark = pytest.mark.browser

VOTERS = ("fay", "pam", "pat", "pia", "pol")


@pytest.fixture
def project(make_user: Callable[[str], Any]) -> tuple[Project, dict[str, Any]]:
    people = {name: make_user(name) for name in (*VOTERS, "rex")}
    made = Project.objects.create(
        name="Principles of our peer support",
        framing_question="What should peer support here never lose?",
        created_by=people["fay"],
        stage=Project.Stage.DRAFTING,
    )
    roles = {"fay": ("F01", "facilitator"), "rex": ("R01", "research"), "pam": ("P01", "panel"),
             "pat": ("P02", "panel"), "pia": ("P03", "panel"), "pol": ("P04", "panel")}  # fmt: skip
    for name, (code, role) in roles.items():
        Member.objects.create(project=made, user=people[name], code=code, role=role)
    return made, make_drafts(made)


def _vote(site: Site, path: str, drafting_round: DraftingRound, ratings: dict[Any, str]) -> None:
    site.go(path)
    for target, rating in ratings.items():
        key = statement(drafting_round, target).pk
        site.page.locator(f"#rating-{key}-{rating}").check()
    site.page.get_by_role("button", name="Hand in my ballot").click()
    expect(site.page.get_by_role("status")).to_contain_text("Your ballot for round")
    site.check()


def test_two_rounds_to_agreement(
    open_site: Callable[..., Site], project: tuple[Project, dict[str, Any]]
) -> None:
    made, drafts = project
    base = f"/coproduction/{made.pk}/rounds/"
    fay = open_site()
    fay.sign_in("fay")
    fay.go(base)
    expect(fay.page.get_by_text("Agreed when at least 75% of those who rated it")).to_be_visible()
    fay.page.get_by_label("Introduction to the panel").fill("Round 1: rate each statement.")
    fay.page.get_by_role("button", name="Open the next round").click()
    expect(fay.page.get_by_role("status")).to_contain_text("Round 1 is open")
    fay.check()
    first = DraftingRound.objects.get(project=made, number=1)

    theme = {"fay": "8", "pam": "3", "pat": "5", "pia": "6", "pol": "8"}
    for name in VOTERS:
        voter = fay if name == "fay" else open_site(javascript=name != "pam")
        if name != "fay":
            voter.sign_in(name)
        ratings = {drafts["listening"]: "8", drafts["aspect"]: "9", drafts["hope"]: "9"}
        ratings[drafts["theme"]] = theme[name]
        _vote(voter, f"{base}1/vote/", first, ratings)

    fay.go(f"{base}1/close/")
    expect(fay.page.get_by_text("5 of 5 invited members")).to_be_visible()
    fay.page.get_by_role("button", name="Close round 1").click()
    expect(fay.page.get_by_role("status")).to_contain_text("3 statements agreed and locked")
    fay.check()
    expect(fay.page.get_by_text("Not agreed: 40% rated 7–9, needs 75%")).to_be_visible()

    # The research team rewords the theme (on the principles pages) and answers.
    drafts["theme"].description = "Many kinds of lives, and many ways of getting better."
    drafts["theme"].save()
    rex = open_site()
    rex.sign_in("rex")
    rex.go(f"{base}1/changes/")
    expect(rex.page.locator("ins").first).to_contain_text("and many ways of getting better")
    rex.page.get_by_label("What we changed and why").fill("We said that recovery differs.")
    rex.page.get_by_role("button", name="Save the answer").click()
    expect(rex.page.get_by_role("status")).to_contain_text("The answer is saved")
    rex.check()

    fay.go(base)
    fay.page.get_by_role("button", name="Open the next round").click()
    expect(fay.page.get_by_role("status")).to_contain_text("Round 2 is open")
    second = DraftingRound.objects.get(project=made, number=2)
    assert second.statements.filter(locked=True).count() == 3

    pam = open_site(javascript=False)
    pam.sign_in("pam")
    pam.go(f"{base}2/vote/")
    expect(pam.page.get_by_text("you rated it 3")).to_be_visible()
    expect(pam.page.get_by_text("We said that recovery differs.")).to_be_visible()
    for name in VOTERS:
        voter = pam if name == "pam" else open_site()
        if name != "pam":
            voter.sign_in(name)
        _vote(voter, f"{base}2/vote/", second, {drafts["theme"]: "8"})

    fay.go(f"{base}2/close/")
    fay.page.get_by_role("button", name="Close round 2").click()
    expect(fay.page.get_by_role("status")).to_contain_text("1 statement agreed and locked")
    fay.check()
    expect(fay.page.get_by_text("changed their rating")).to_be_visible()
    drafts["theme"].refresh_from_db()
    assert drafts["theme"].agreed_in == second


def test_the_ballot_on_a_phone_and_its_errors(
    open_site: Callable[..., Site], project: tuple[Project, dict[str, Any]]
) -> None:
    """At 375 px the scale is one row of numbers, each under its own radio, with the two
    anchors at the ends; a ballot missing a rating moves focus to the error summary, whose
    link lands on the group's first radio."""
    from peerprinciples.web.coproduction.services import rounds as services

    made, drafts = project
    fay = Member.objects.get(project=made, code="F01").user
    opened = services.open_round(fay, made)
    pam = open_site()
    pam.page.set_viewport_size({"width": 375, "height": 800})
    pam.sign_in("pam")
    pam.go(f"/coproduction/{made.pk}/rounds/1/vote/")
    expect(
        pam.page.get_by_text("Every statement needs an answer before you hand in")
    ).to_be_visible()
    hope = statement(opened, drafts["hope"]).pk
    radios = [pam.page.locator(f"#rating-{hope}-{point}").bounding_box() for point in range(1, 10)]
    labels = [
        pam.page.locator(f"label[for='rating-{hope}-{point}']").bounding_box()
        for point in range(1, 10)
    ]
    assert all(box is not None for box in radios + labels)
    # One row: every radio at the same height, left to right, and none past the screen.
    assert {round(box["y"]) for box in radios} == {round(radios[0]["y"])}  # type: ignore[index]
    assert all(a["x"] < b["x"] for a, b in itertools.pairwise(radios))  # type: ignore[index]
    assert radios[-1]["x"] + radios[-1]["width"] <= 375  # type: ignore[index]
    # Each number sits under its own radio.
    for radio, label in zip(radios, labels, strict=True):
        assert label["y"] >= radio["y"] + radio["height"] - 1  # type: ignore[index]
        middle = radio["x"] + radio["width"] / 2  # type: ignore[index]
        assert label["x"] <= middle <= label["x"] + label["width"]  # type: ignore[index]
    skip = pam.page.locator(f"#rating-{hope}-none").bounding_box()
    assert skip is not None
    assert skip["y"] > labels[0]["y"] + labels[0]["height"]

    for target in ("listening", "aspect", "theme"):
        pam.page.locator(f"#rating-{statement(opened, drafts[target]).pk}-8").check()
    pam.page.get_by_role("button", name="Hand in my ballot").click()
    summary = pam.page.locator(".error-summary")
    expect(summary).to_be_focused()
    pam.check()
    summary.get_by_role("link", name="Principle “Hope”").click()
    expect(pam.page.locator(f"#rating-{hope}-1")).to_be_focused()
