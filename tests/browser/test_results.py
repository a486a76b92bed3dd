"""Results: the pages a lead reads, the printable service report, and what a viewer is kept from."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import Locator, Page, expect
from tests.browser.conftest import Site, Team

pytestmark = pytest.mark.browser

FIRST_TABLE = re.compile(r"^Relationships built on shared lived experience: mean score")


@pytest.fixture
def scored(team: Team) -> Team:
    """Ten final interviews in the first round: six with peer workers in service A, two in B,
    and two with supervisors in A (fewer than 5: hidden from viewers). Three are double-rated.
    """
    plan = [(f"A-{n:02d}", "peer_worker", "A", n <= 3) for n in range(1, 7)]
    plan += [("A-S1", "supervisor", "A", False), ("A-S2", "supervisor", "A", False)]
    plan += [("B-01", "peer_worker", "B", False), ("B-02", "peer_worker", "B", False)]
    chance = random.Random(7)
    for number, (code, informant, service, double) in enumerate(plan):
        interview = team.interview(
            code,
            informant=informant,
            double_rated=double,
            service=team.service_a if service == "A" else team.service_b,
        )
        level = 2 + number % 3
        team.finish(interview, [level + chance.choice((-1, 0, 0, 1)) for _ in range(20)])
    return team


def column_cell(table: Locator, row: str, column: str) -> Locator:
    """The cell of ``table`` in the row headed ``row`` and the column headed ``column``."""
    headers = [text.strip() for text in table.get_by_role("columnheader").all_inner_texts()]
    line = table.get_by_role("row").filter(
        has=table.page.get_by_role("rowheader", name=row, exact=True)
    )
    return line.get_by_role("cell").nth(headers.index(column) - 1)


def open_results(site: Site, page: Page) -> None:
    """Open the results overview from the evaluation's navigation."""
    nav = page.get_by_role("navigation", name="This evaluation")
    nav.get_by_role("link", name="Results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results")
    site.check()


def test_a_lead_reads_the_results_and_prints_a_service_report_with_room_to_reflect(
    site: Site, scored: Team
) -> None:
    page = site.page
    site.sign_in("lead")
    site.go(scored.path())
    open_results(site, page)
    expect(page.get_by_text("10 final interviews")).to_be_visible()
    first = page.get_by_role("table", name=FIRST_TABLE)
    expect(column_cell(first, "Baseline", "Supervisor")).to_contain_text("(2 interviews)")
    expect(page.get_by_text("Numbers brought up to date")).to_be_visible()
    expect(page.get_by_text("Newer data are still being worked out")).to_have_count(0)
    charts = page.get_by_role("img", name=re.compile(r"^Mean score by round, then by informant: "))
    expect(charts.first).to_be_visible()
    expect(charts.first).to_have_attribute("aria-label", re.compile(r"Baseline \d\.\d\d"))

    page.get_by_role("link", name="Service A (North team)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for service A (North team)")
    expect(page.get_by_text("8 final interviews in this service")).to_be_visible()
    site.check()

    page.get_by_role("link", name="Peer worker PW-A1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback for peer worker PW-A1")
    expect(page.get_by_role("note")).to_contain_text("not a judgement of a person")
    site.check()

    page.get_by_role("navigation", name="This evaluation").get_by_role(
        "link", name="Psychometrics"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quality of the ratings")
    quality = page.get_by_role("table", name="Quality checks of each principle’s score")
    expect(quality).to_be_visible()
    site.check()

    page.goto(scored.path(f"results/services/{scored.service_a.pk}/"))
    page.get_by_role("link", name="Open the report to print and reflect on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fidelity review: service A (North team)"
    )
    site.check()
    principles = page.get_by_role("heading", level=2, name=re.compile(r"^\d\. "))
    expect(principles).to_have_count(5)
    expect(principles.first).to_have_text("1. Relationships built on shared lived experience")
    reflections = page.get_by_role("heading", name="Our reflections on this principle")
    expect(reflections).to_have_count(5)
    expect(page.get_by_role("table", name=re.compile(r"^Actions agreed for"))).to_have_count(5)

    page.emulate_media(media="print")
    for heading in principles.all():
        expect(heading).to_be_visible()
    for heading in reflections.all():
        expect(heading).to_be_visible()
    expect(page.get_by_role("table", name=FIRST_TABLE)).to_be_visible()
    expect(page.get_by_role("banner")).to_be_hidden()
    expect(page.get_by_role("link", name="Results", exact=True)).to_be_hidden()


def test_a_viewer_sees_groups_of_five_or_more_only_and_no_peer_workers_feedback(
    site: Site, scored: Team
) -> None:
    page = site.page
    site.sign_in("viewer")
    site.go(scored.path())
    open_results(site, page)
    expect(page.get_by_role("note")).to_contain_text("Some numbers are hidden to protect privacy")
    first = page.get_by_role("table", name=FIRST_TABLE)
    expect(column_cell(first, "Baseline", "Supervisor")).to_have_text(
        "Hidden: fewer than 5 interviews"
    )
    # Eight peer worker interviews, but shown they would give away the two with supervisors.
    expect(column_cell(first, "Baseline", "Peer worker")).to_have_text(
        "Hidden, so a smaller group cannot be worked out"
    )
    expect(column_cell(first, "Baseline", "All informants")).to_contain_text("(10 interviews)")
    expect(page.get_by_text("PW-A1")).to_have_count(0)

    page.get_by_role("link", name="Service A (North team)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for service A (North team)")
    expect(page.get_by_role("heading", name="Feedback for each peer worker")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^Peer worker "))).to_have_count(0)
    site.check()

    blocked = page.goto(scored.path(f"results/peer-workers/{scored.worker_a.pk}/"))
    assert blocked is not None
    assert blocked.status == 403
    expect(page.get_by_text("Feedback for peer worker")).to_have_count(0)
