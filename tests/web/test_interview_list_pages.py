"""Long lists a page at a time: the interviews, and the peer workers on the overview.

A national evaluation has tens of thousands of interviews and thousands of peer workers;
the lists show 50 at a time, newest interviews first, and the links between pages keep the
reader's choice of service, round and status.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.evaluations.models import PeerWorker
from peerprinciples.web.interviews.models import Interview

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<td><a href="/evaluations/\d+/interviews/\d+/">([^<]+)</a></td>')


def _interviews(team: Team, n: int, *, service: Any, prefix: str, status: str = "draft") -> None:
    Interview.objects.bulk_create(
        Interview(
            evaluation=team.evaluation,
            service=service,
            round=team.round,
            informant="peer_worker",
            date=dt.date(2025, 1, 1) + dt.timedelta(days=i),
            code=f"{prefix}-{i:04d}",
            status=status,
            created_by=team.lead,
        )
        for i in range(n)
    )


def _list(team: Team, user: Any, **query: Any) -> str:
    response = team.client_for(user).get(
        reverse("interviews:list", args=[team.evaluation.pk]), query
    )
    assert response.status_code == 200
    return response.content.decode()


def _links(page: str, label: str) -> dict[str, list[str]]:
    """The query of the pagination link whose text starts with ``label``."""
    found = re.search(rf'<a href="\?([^"]*)"[^>]*>{label}', page)
    assert found, label
    return parse_qs(found.group(1).replace("&amp;", "&"))


def test_the_list_shows_fifty_interviews_a_page_newest_first(team: Team) -> None:
    _interviews(team, 120, service=team.service_a, prefix="I-A")
    first = _list(team, team.lead)
    codes = ROW.findall(first)
    assert codes == [f"I-A-{i:04d}" for i in range(119, 69, -1)]
    assert "120 interviews, newest first: 1 to 50 shown" in first
    assert '<nav class="pagination" aria-label="Pages of interviews">' in first
    assert "Page 1 of 3" in first
    assert "Previous page" not in first
    assert _links(first, "Next page")["page"] == ["2"]
    assert _links(first, "Last page")["page"] == ["3"]

    last = _list(team, team.lead, page=3)
    assert ROW.findall(last) == [f"I-A-{i:04d}" for i in range(19, -1, -1)]
    assert "Next page" not in last
    assert _links(last, "Previous page")["page"] == ["2"]
    assert "<title>Interviews (page 3 of 3)" in last
    # The choice of page is not a choice of interviews.
    assert "matching your choice" not in last


def test_a_page_out_of_range_shows_the_last_and_a_wrong_one_the_first(team: Team) -> None:
    _interviews(team, 60, service=team.service_a, prefix="I-A")
    assert "Page 2 of 2" in _list(team, team.lead, page=99)
    assert "Page 1 of 2" in _list(team, team.lead, page="x")


def test_the_links_between_pages_keep_the_choice(team: Team) -> None:
    _interviews(team, 70, service=team.service_a, prefix="I-A")
    _interviews(team, 70, service=team.service_b, prefix="I-B")
    _interviews(team, 5, service=team.service_b, prefix="I-F", status="final")
    choice = {"service": str(team.service_b.pk), "round": "", "status": "draft"}
    first = _list(team, team.lead, **choice)
    assert "70 interviews matching your choice" in first
    assert {code[:3] for code in ROW.findall(first)} == {"I-B"}
    query = _links(first, "Next page")
    assert query["service"] == [str(team.service_b.pk)]
    assert query["status"] == ["draft"]
    assert query["page"] == ["2"]

    second = _list(team, team.lead, **{**choice, "page": "2"})
    assert ROW.findall(second) == [f"I-B-{i:04d}" for i in range(19, -1, -1)]
    assert 'value="draft" selected' in second
    back = _links(second, "Previous page")
    assert (back["service"], back["status"], back["page"]) == (
        [str(team.service_b.pk)],
        ["draft"],
        ["1"],
    )


def test_a_short_list_has_no_pages(team: Team) -> None:
    _interviews(team, 3, service=team.service_a, prefix="I-A")
    page = _list(team, team.lead)
    assert "3 interviews</caption>" in page
    assert "pagination" not in page


def test_a_rater_pages_through_their_own_services_only(team: Team) -> None:
    _interviews(team, 60, service=team.service_a, prefix="I-A")
    _interviews(team, 60, service=team.service_b, prefix="I-B")
    second = _list(team, team.rater, page=2)
    assert "60 interviews, newest first: 51 to 60 shown" in second
    assert {code[:3] for code in ROW.findall(second)} == {"I-A"}


# --- the peer workers on the overview ----------------------------------------------------------


def _workers(team: Team, n: int) -> None:
    PeerWorker.objects.bulk_create(
        PeerWorker(evaluation=team.evaluation, service=team.service_a, code=f"PW-Z{i:03d}")
        for i in range(n)
    )


def _overview(team: Team, **query: Any) -> str:
    response = team.client_for(team.lead).get(
        reverse("evaluations:detail", args=[team.evaluation.pk]), query
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_overview_lists_fifty_peer_workers_a_page(team: Team) -> None:
    _workers(team, 118)  # 120 with the two of the team
    first = _overview(team)
    assert first.count("Record that PW-") == 50
    assert "Peer workers 1 to 50 of 120, by code: page 1 of 3" in first
    link = re.search(r'<a href="\?workers_page=2#peer-workers" rel="next">', first)
    assert link, "a link to the next page of peer workers"
    last = _overview(team, workers_page=3)
    assert last.count("Record that PW-") == 20
    assert "Peer workers 101 to 120 of 120" in last


def test_recording_a_withdrawal_returns_to_the_same_page_of_peer_workers(team: Team) -> None:
    _workers(team, 118)
    page = _overview(team, workers_page=3)
    assert '<input type="hidden" name="workers_page" value="3">' in page
    worker = PeerWorker.objects.get(code="PW-Z110")
    response = team.client_for(team.lead).post(
        reverse("evaluations:withdrawal", args=[team.evaluation.pk, worker.pk]),
        {"withdrawn": "1", "workers_page": "3"},
    )
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.query, location.fragment) == ("workers_page=3", "peer-workers")
    worker.refresh_from_db()
    assert worker.withdrawn
