"""A programme lead puts the principles into practice through the browser: fills in three
cells of the matrix, marks a gap (not yet, and why), links a reflection action to a cell and
downloads the handbook as PDF and as an editable document. With JavaScript on, axe-core checks
the home, matrix, cell, gaps and handbook pages; the same story works with JavaScript off.

With JavaScript on, each step is a test of its own; with it off, one test walks the whole
story. The lead also leads the evaluation whose reflection cycle agreed the action, so the
action is theirs to see. What is not under test (the programme, the cycle and its action,
and the cells a step starts from) is prepared through the services.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site, Team

from peerprinciples.web.library.models import StoredGuide
from peerprinciples.web.practice.models import Cell, Programme
from peerprinciples.web.practice.services.cells import CellText, save_cell
from peerprinciples.web.practice.services.programmes import create_programme
from peerprinciples.web.reflection.models import Action, Cycle
from peerprinciples.web.reflection.services import actions as reflection

pytestmark = pytest.mark.browser

PROGRAMME = "Peer support in the North team"
ACTION = "Keep Thursday afternoons free for first meetings"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Planned:
    """A cell as the lead fills it in."""

    area: str
    principle: str
    text: str
    status: str
    status_label: str
    why: str
    holder: str


CELLS = [
    Planned(
        "supervision",
        "mutuality",
        "Supervisors ask what peer workers learnt from the people they support.",
        "in_place",
        "In place",
        "",
        "Supervisor",
    ),
    Planned(
        "recruitment",
        "experiential-knowledge",
        "Candidates choose what they share of their own experience at interview.",
        "partly",
        "Partly in place",
        "Some panel members still ask about diagnoses.",
        "Recruiting manager",
    ),
    Planned(
        "team-support",
        "relationships",
        "The team protects time for peer workers to get to know people.",
        "in_place",
        "In place",
        "",
        "Team manager",
    ),
]
GAP = Planned(
    "records-information",
    "leadership-choice-control",
    "The person supported decides what is written about them.",
    "not_yet",
    "Not yet",
    "Notes follow the clinical template and people do not see them.",
    "Team manager",
)
LINKED = ("working-pattern-safety", "relationships")


@pytest.fixture
def programme(team: Team) -> Programme:
    return create_programme(
        team.lead,
        name=PROGRAMME,
        framework=team.evaluation.framework,
        services=[team.service_a],
    )


@pytest.fixture
def action(team: Team) -> Action:
    cycle = Cycle.objects.create(
        evaluation=team.evaluation,
        service=team.service_a,
        round=team.round,
        guide=StoredGuide.objects.get(key="enrich-reflection", version="1"),
        opened_by=team.lead,
    )
    return reflection.add_action(
        team.lead,
        cycle,
        principle="relationships",
        what=ACTION,
        who="Team manager",
        due=dt.date(2025, 9, 30),
    )


def _cell_path(programme: Programme, area: str, principle: str) -> str:
    return f"/practice/{programme.pk}/cells/{area}/{principle}/"


def _built(site: Site, what: str) -> None:
    """The page shown, once loaded, checked with axe (``what`` names it in a failure)."""
    site.page.wait_for_load_state()
    assert site.page.locator("main").count() == 1, f"the {what} page has no main landmark"
    site.check()


def _go(site: Site, path: str, what: str) -> None:
    response = site.page.goto(path)
    assert response is not None, f"no response for {path}"
    _built(site, what)


def _fill_cell(site: Site, programme: Programme, cell: Planned) -> None:
    """Open one cell's page, fill it in as a person would and save it."""
    page = site.page
    _go(site, _cell_path(programme, cell.area, cell.principle), "cell")
    page.get_by_label(re.compile(r"how .*shows", re.IGNORECASE)).fill(cell.text)
    _choose_status(page, cell.status_label)
    page.get_by_label(re.compile(r"^why", re.IGNORECASE)).fill(cell.why)
    page.get_by_label(re.compile(r"who holds", re.IGNORECASE)).fill(cell.holder)
    page.get_by_role("button", name=re.compile(r"^save", re.IGNORECASE)).click()
    _built(site, "cell")
    saved = Cell.objects.get(programme=programme, area__key=cell.area, principle=cell.principle)
    assert (saved.text, saved.status, saved.why, saved.holder) == (
        cell.text,
        cell.status,
        cell.why,
        cell.holder,
    )


def _choose_status(page: Page, label: str) -> None:
    """The status, offered as radio buttons or as a list to choose from."""
    radio = page.get_by_role("radio", name=label, exact=True)
    if radio.count():
        radio.check()
    else:
        page.get_by_label(re.compile(r"^status", re.IGNORECASE)).select_option(label=label)


def _open_programme(site: Site) -> None:
    """Open the programme from the home page, as a person would, and find the cells just
    filled in counted on the matrix."""
    page = site.page
    page.get_by_role("link", name="peerprinciples").click()
    page.get_by_role("link", name=PROGRAMME).click()
    _built(site, "matrix")
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice matrix")
    expect(page.get_by_role("navigation", name="This programme")).to_contain_text(PROGRAMME)
    expect(page.get_by_role("main")).to_contain_text(
        "4 cells with something written or decided; 2 marked as in place."
    )


def _fill_three_cells_and_a_gap(site: Site, programme: Programme) -> None:
    site.sign_in("lead")
    site.check()
    expect(site.page.get_by_role("link", name=PROGRAMME)).to_be_visible()
    for cell in CELLS:
        _fill_cell(site, programme, cell)
    _fill_cell(site, programme, GAP)
    _open_programme(site)


def _link_action(site: Site, programme: Programme, action: Action) -> None:
    page = site.page
    area, principle = LINKED
    _go(site, _cell_path(programme, area, principle) + "actions/", "cell_actions")
    page.get_by_role("checkbox", name=re.compile(re.escape(action.what))).check()
    page.get_by_role("button", name=re.compile(r"^(save|link)", re.IGNORECASE)).click()
    _built(site, "cell_actions")
    cell = Cell.objects.get(programme=programme, area__key=area, principle=principle)
    assert list(cell.actions.all()) == [action]


def _see_gaps(site: Site, programme: Programme) -> None:
    """The gap and the linked action are both on the gaps page."""
    _go(site, f"/practice/{programme.pk}/gaps/", "gaps")
    main = site.page.get_by_role("main")
    expect(main).to_contain_text(GAP.why)
    expect(main).to_contain_text(ACTION)


def _download(site: Site, programme: Programme, fmt: str) -> bytes:
    """Download the handbook from its link on the handbook page; its bytes, after checking
    the type the server says it is."""
    page = site.page
    link = page.locator(f"a[href$='handbook.{fmt}']").first
    expect(link).to_be_visible()
    with page.expect_download() as waiting:
        link.click()
    assert waiting.value.suggested_filename.endswith(f".{fmt}")
    answer = page.request.get(f"/practice/{programme.pk}/handbook/handbook.{fmt}")
    assert answer.ok, f"handbook.{fmt}: {answer.status}"
    expected = "application/pdf" if fmt == "pdf" else DOCX
    assert answer.headers["content-type"].split(";")[0] == expected
    body = answer.body()
    assert body
    return body


def _export_handbook(site: Site, programme: Programme) -> None:
    _go(site, f"/practice/{programme.pk}/handbook/", "handbook")
    expect(site.page.get_by_role("main")).to_contain_text(CELLS[0].text)
    pdf = _download(site, programme, "pdf")
    assert pdf.startswith(b"%PDF-")
    document = _download(site, programme, "docx")
    with zipfile.ZipFile(io.BytesIO(document)) as opened:
        xml = opened.read("word/document.xml").decode("utf-8")
    assert PROGRAMME in xml
    assert CELLS[0].text in xml


def _write(programme: Programme, user: object, cell: Planned) -> None:
    """A cell written before the step under test, as the cell page saves it."""
    area = programme.areas.get(key=cell.area)
    save_cell(
        user,
        area,
        cell.principle,
        CellText(cell.text, "", cell.status, cell.why, cell.holder),
        version=0,
    )


def test_a_lead_fills_three_cells_and_marks_a_gap(site: Site, programme: Programme) -> None:
    _fill_three_cells_and_a_gap(site, programme)


def test_a_lead_links_a_reflection_action_and_sees_it_beside_the_gap(
    site: Site, team: Team, programme: Programme, action: Action
) -> None:
    _write(programme, team.lead, GAP)
    site.sign_in("lead")
    _link_action(site, programme, action)
    _see_gaps(site, programme)


def test_a_lead_exports_the_handbook_as_pdf_and_docx(
    site: Site, team: Team, programme: Programme
) -> None:
    for cell in CELLS:
        _write(programme, team.lead, cell)
    site.sign_in("lead")
    _export_handbook(site, programme)


def test_the_whole_story_works_without_javascript(
    open_site: Callable[..., Site], programme: Programme, action: Action
) -> None:
    site = open_site(javascript=False)
    _fill_three_cells_and_a_gap(site, programme)
    _link_action(site, programme, action)
    _see_gaps(site, programme)
    _export_handbook(site, programme)
