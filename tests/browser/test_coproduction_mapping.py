"""The facilitator runs the concept map, chooses and names its clusters and sets the rating
questions; a panel member rates the cards without JavaScript and reads the results; the
research team imports a study from RCMap files. Every page is checked with axe-core."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site
from tests.web.coproduction_mapping_fixtures import add_cards, add_sorters, set_groups
from tests.web.test_coproduction_exchange_import import FILES

from peerprinciples.web.coproduction.models import Member, Project, StatementRating

pytestmark = pytest.mark.browser
SLOW_MS = 90_000
"""The analysis runs in the request: give the page time to come back."""


@pytest.fixture
def project(make_user: Callable[[str], Any]) -> Project:
    people = {name: make_user(name) for name in ("fay", "rex", "pam")}
    made = Project.objects.create(
        name="Values of our peer support",
        framing_question="What should peer support here never lose?",
        created_by=people["fay"],
        stage=Project.Stage.RATING,
    )
    roles = (("fay", "F01", "facilitator"), ("rex", "R01", "research"), ("pam", "P01", "panel"))
    for name, code, role in roles:
        Member.objects.create(project=made, user=people[name], code=code, role=role)
    add_cards(made)
    sorters = add_sorters(made, 10)
    set_groups(
        sorters, {m.code: ("Peer worker" if i % 2 else "Manager") for i, m in enumerate(sorters)}
    )
    return made


def test_the_map_its_clusters_and_the_ratings(
    open_site: Callable[..., Site], project: Project
) -> None:
    site = open_site()
    page = site.page
    site.sign_in("fay")
    site.go(f"/coproduction/{project.pk}/map/")
    expect(page.get_by_text("There is no map yet")).to_be_visible()
    page.get_by_label("Starts").fill("1")
    page.get_by_role("button", name="Run the analysis").click()
    expect(page.get_by_role("status")).to_contain_text(
        "The map is drawn from 10 sorts", timeout=SLOW_MS
    )
    site.check()
    page.get_by_label("Number of clusters", exact=True).select_option("4")
    page.get_by_role("button", name="Choose for this map").click()
    expect(page.get_by_role("status")).to_contain_text("The map shows 4 clusters now.")
    page.get_by_role("link", name="Name and merge the clusters").click()
    site.check()
    page.get_by_label("Cluster", exact=True).select_option(index=0)
    page.get_by_label("New name").fill("Being heard")
    page.get_by_role("button", name="Rename", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("is named “Being heard”")
    page.get_by_label("Merge this cluster").select_option(index=2)
    page.get_by_label("with this one").select_option(index=3)
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("are one now")
    site.check()

    site.go(f"/coproduction/{project.pk}/ratings/scales/")
    page.get_by_role("button", name="Use these two questions").click()
    expect(page.get_by_role("status")).to_contain_text("Importance and feasibility")
    site.check()
    site.go(f"/coproduction/{project.pk}/rate/")  # the facilitator's own sheet, with axe
    site.sign_out()

    member = open_site(javascript=False)
    member.sign_in("pam")
    member.go(f"/coproduction/{project.pk}/rate/")
    sheet = member.page
    card = sheet.get_by_role("group", name=re.compile("^Card 1 "))
    card.get_by_role("group", name=re.compile("important")).get_by_label(
        "5 – Extremely important"
    ).check()
    card.get_by_role("group", name=re.compile("feasible")).get_by_label("2").check()
    sheet.get_by_role("button", name="Save my ratings").click()
    expect(sheet.get_by_role("status")).to_contain_text("Your ratings are saved: 2 of 18 given.")
    assert StatementRating.objects.filter(member__code="P01").count() == 2

    reader = open_site()
    reader.sign_in("rex")
    reader.go(f"/coproduction/{project.pk}/ratings/")
    expect(reader.page.get_by_role("heading", name="Averages per cluster")).to_be_visible()
    expect(reader.page.get_by_role("heading", name="Go-zone")).to_be_visible()


def test_a_study_from_rcmap_files(
    open_site: Callable[..., Site], make_user: Callable[[str], Any], tmp_path: Any
) -> None:
    rex = make_user("rex")
    study = Project.objects.create(name="Imported study", framing_question="?", created_by=rex)
    Member.objects.create(project=study, user=rex, code="R01", role="research")
    names = {
        "statements": "Statements file",
        "sorted_cards": "Sorted cards file",
        "ratings": "Ratings file",
        "demographics": "Demographics file",
    }
    site = open_site()
    site.sign_in("rex")
    site.go(f"/coproduction/{study.pk}/rcmap/import/")
    page = site.page
    for field, label in names.items():
        path = tmp_path / f"{field}.csv"
        path.write_bytes(FILES[field])
        page.get_by_label(label).set_input_files(path)
    page.get_by_role("button", name="Check the files").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
    expect(page.get_by_role("cell", name="Carer (1); Manager (1); Peer worker (1)")).to_be_visible()
    site.check()
    page.get_by_label("Site").check()
    page.get_by_role("button", name="Import all of it").click()
    expect(page.get_by_role("status")).to_contain_text("Imported 5 cards, 3 sorts")
    assert Member.objects.get(project=study, code="S1").group == "North"
