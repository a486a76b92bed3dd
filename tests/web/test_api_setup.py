"""The set-up routes: services, peer worker codes and rounds, listed a page at a time and
added with the rules of the overview page's forms."""

from __future__ import annotations

import pytest
from tests.web.api_calls import Caller, caller, fields
from tests.web.conftest import Team

from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.evaluations.models import Service

pytestmark = pytest.mark.django_db


def test_services_and_rounds_are_listed_a_page_at_a_time_and_added_with_the_forms_rules(
    team: Team,
) -> None:
    lead = caller(team.lead, team.evaluation)
    page = lead.get("/services", page=2, page_size=1).json()
    south = {"id": team.service_b.pk, "code": "B", "name": "South team"}
    assert page == {"items": [south], "count": 2}

    added = lead.post("/services", {"code": "C", "name": "East team"})
    assert added.status_code == 201
    assert Service.objects.get(pk=added.json()["id"]).name == "East team"
    again = lead.post("/services", {"code": "C"})
    assert again.status_code == 422
    assert again.json()["type"] == "urn:peerprinciples:problem:invalid-input"
    assert fields(again) == {"code": "This evaluation already has that code."}
    assert "pseudonymous code" in fields(lead.post("/services", {"code": "a b"}))["code"]
    nul = lead.post("/services", {"code": "D", "name": "East\x00"})
    assert nul.status_code == 422
    assert list(fields(nul)) == ["body.payload.name"]

    assert lead.post("/rounds", {"number": 2, "label": "Follow-up"}).status_code == 201
    assert [r["label"] for r in lead.get("/rounds").json()["items"]] == ["Baseline", "Follow-up"]
    assert fields(lead.post("/rounds", {"number": 2})) == {
        "number": "This evaluation already has that number."
    }
    assert list(fields(lead.post("/rounds", {"number": 0}))) == ["body.payload.number"]
    too_far = lead.get("/rounds", page=10**9)
    assert too_far.status_code == 422
    assert list(fields(too_far)) == ["query.page"]


def test_peer_worker_codes_are_listed_in_ones_own_services_and_filtered(team: Team) -> None:
    lead = caller(team.lead, team.evaluation)
    coordinator = caller(team.coordinator, team.evaluation)

    def codes(who: Caller, **query: object) -> list[str]:
        return [w["code"] for w in who.get("/peer-workers", **query).json()["items"]]

    assert codes(lead) == ["PW-A1", "PW-B1"]
    assert codes(coordinator) == ["PW-A1"]
    assert codes(lead, service_id=team.service_b.pk) == ["PW-B1"]
    assert codes(lead, withdrawn="true") == []
    setup.set_withdrawn(team.lead, team.evaluation, team.worker_b, True)
    assert codes(lead, withdrawn="true") == ["PW-B1"]

    added = lead.post("/peer-workers", {"code": "PW-A2", "service_id": team.service_a.pk})
    assert added.status_code == 201
    assert added.json()["service_code"] == "A"
    elsewhere = {"code": "PW-X9", "service_id": team.other_worker.service_id}
    assert "no service" in fields(lead.post("/peer-workers", elsewhere))["service_id"]

    read_only = caller(team.lead, team.evaluation, role="viewer")
    refused = read_only.get("/peer-workers")
    assert refused.status_code == 403
    assert refused.json()["title"] == "Not allowed"
    assert read_only.post("/rounds", {"number": 5}).status_code == 403
