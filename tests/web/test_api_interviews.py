"""The interview and rating sheet routes: filters and pages, recording an interview with the
form's checks, the sheet's version check, one error per item, and independent double
rating."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.web.api_calls import Caller, caller, fields
from tests.web.conftest import Team

from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.interviews import services as rating

pytestmark = pytest.mark.django_db


def _codes(who: Caller, **query: object) -> list[str]:
    return [i["code"] for i in who.get("/interviews/", **query).json()["items"]]


def test_interviews_are_filtered_and_paged_within_ones_own_services(team: Team) -> None:
    team.interview("I-A1")
    rating.create_interview(
        team.lead, team.evaluation, service=team.service_a, peer_worker=None, round=team.round,
        informant="supervisor", date=dt.date(2025, 1, 10), code="I-A2", double_rated=False,
    )  # fmt: skip
    final = team.interview("I-B1", service=team.service_b)
    team.rate(final, team.lead, dict.fromkeys(team.item_keys(), "4"))
    lead = caller(team.lead, team.evaluation)

    assert _codes(lead) == ["I-A1", "I-B1", "I-A2"]
    assert _codes(lead, service_id=team.service_b.pk) == ["I-B1"]
    assert _codes(lead, round_id=team.round.pk, peer_worker="PW-A1") == ["I-A1"]
    assert _codes(lead, informant="supervisor") == ["I-A2"]
    assert _codes(lead, status="final") == ["I-B1"]
    assert _codes(lead, date_from="2025-02-01", date_to="2025-03-01") == ["I-A1", "I-B1"]
    page = lead.get("/interviews/", page=2, page_size=2).json()
    assert (page["count"], [i["code"] for i in page["items"]]) == (3, ["I-A2"])
    assert page["items"][0]["peer_worker_code"] is None

    assert _codes(caller(team.coordinator, team.evaluation)) == ["I-A1", "I-A2"]
    wrong = lead.get("/interviews/", status="finished", date_from="yesterday")
    assert sorted(fields(wrong)) == ["query.date_from", "query.status"]


def test_recording_an_interview_checks_what_the_form_checks(team: Team) -> None:
    rater = caller(team.rater, team.evaluation)
    body = {
        "service_id": team.service_a.pk,
        "peer_worker_id": team.worker_a.pk,
        "round_id": team.round.pk,
        "informant": "peer_worker",
        "date": "2025-03-02",
        "code": "I-0042",
    }
    made = rater.post("/interviews/", body)
    assert made.status_code == 201, made.json()
    found = rater.get(f"/interviews/{made.json()['id']}").json()
    assert (found["code"], found["status"], found["sheets"]) == ("I-0042", "draft", [])

    assert fields(rater.post("/interviews/", body)) == {
        "code": "This evaluation already has an interview with that reference."
    }
    outside = {**body, "service_id": team.service_b.pk, "peer_worker_id": team.worker_b.pk}
    assert sorted(fields(rater.post("/interviews/", outside))) == ["peer_worker_id", "service_id"]
    tomorrow = str(dt.date.today() + dt.timedelta(days=2))
    wrong = {**body, "code": "I-0043", "informant": "neighbour", "date": tomorrow}
    assert sorted(fields(rater.post("/interviews/", wrong))) == ["date", "informant"]

    setup.set_withdrawn(team.lead, team.evaluation, team.worker_a, True)
    withdrawn = fields(rater.post("/interviews/", {**body, "code": "I-0044"}))
    assert "withdrawn consent" in withdrawn["peer_worker_id"]

    assert rater.get(f"/interviews/{team.other_interview.pk}").status_code == 404
    foreign = caller(team.outsider, team.other_evaluation)
    assert foreign.get(f"/interviews/{made.json()['id']}").status_code == 404


def test_a_sheet_is_saved_with_the_version_it_was_read_at_and_checked_item_by_item(
    team: Team,
) -> None:
    interview = team.interview("I-0001")
    rater = caller(team.rater, team.evaluation)
    path = f"/interviews/{interview.pk}/sheet"

    fresh = rater.get(path).json()
    assert (fresh["status"], fresh["version"], fresh["answers"]) == ("new", None, {})
    saved = rater.put(path, {"version": None, "answers": {"rel_1": 3, "rel_2": "NA"}})
    assert saved.status_code == 200, saved.json()
    draft = saved.json()
    assert (draft["status"], draft["answers"]) == ("draft", {"rel_1": 3, "rel_2": "NA"})
    assert rater.get(path).json() == draft

    stale = rater.put(path, {"version": None, "answers": {}})
    assert stale.status_code == 409
    assert stale.json()["type"] == "urn:peerprinciples:problem:stale-edit"
    older = rater.put(path, {"version": draft["version"] - 1, "answers": {}})
    assert older.status_code == 409

    version = draft["version"]
    unknown = rater.put(path, {"version": version, "answers": {"rel_1": 3, "nope": 1}})
    assert list(fields(unknown)) == ["body.answers.nope"]
    bad = fields(rater.put(path, {"version": version, "answers": {"rel_1": 9, "rel_2": "XX"}}))
    assert sorted(bad) == ["body.answers.rel_1", "body.answers.rel_2"]
    assert "from 1 to 5" in bad["body.answers.rel_1"]
    unfinished = rater.put(path, {"version": version, "answers": {"rel_1": 3}, "finalise": True})
    required = {f"body.answers.{key}" for key in team.required_keys() if key != "rel_1"}
    assert set(fields(unfinished)) == required
    assert rater.get(path).json() == draft

    every = dict.fromkeys(team.item_keys(), 2)
    final = rater.put(path, {"version": version, "answers": every, "finalise": True})
    assert final.json()["status"] == "final"
    refused = rater.put(path, {"version": final.json()["version"], "answers": every})
    assert (refused.status_code, refused.json()["title"]) == (400, "Refused")


def test_another_raters_sheet_opens_only_once_every_sheet_is_final(team: Team) -> None:
    interview = team.interview("I-0009", double_rated=True)
    team.rate(interview, team.rater, dict.fromkeys(team.item_keys(), "3"))
    first = interview.sheets.get(rater=team.rater)
    second = caller(team.second_rater, team.evaluation)
    shut = second.get(f"/interviews/{interview.pk}/sheets/{first.pk}")
    assert shut.status_code == 403
    assert "stays independent" in shut.json()["detail"]
    listed = second.get(f"/interviews/{interview.pk}").json()["sheets"]
    assert listed == [{"id": first.pk, "status": "final", "own": False, "visible": False}]

    team.rate(interview, team.second_rater, dict.fromkeys(team.item_keys(), "4"))
    opened = second.get(f"/interviews/{interview.pk}/sheets/{first.pk}").json()
    assert (opened["rater"], opened["answers"]["rel_1"]) == ("rater", 3)
    assert second.get(f"/interviews/{interview.pk}/sheets/999999").status_code == 404
