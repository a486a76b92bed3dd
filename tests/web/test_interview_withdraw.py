"""Withdrawing one interview: the choices the protocol allows, erasing, keeping ratings
anonymised, withdrawing twice, and an audit trail that keeps nothing of what was removed."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.interviews.consent import WITHDRAWN_NOTE
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    InterviewScore,
    Rating,
    RatingSheet,
)

pytestmark = pytest.mark.django_db

NOTE = "Told us about the walk by the canal."


def _url(team: Team, interview: Interview, name: str = "interviews:withdraw") -> str:
    return reverse(name, args=[team.evaluation.pk, interview.pk])


def _double_rated(team: Team, code: str = "I-A1") -> Interview:
    """A final double-rated interview with a note on a sheet and an agreed rating's reason."""
    interview = team.interview(code, double_rated=True)
    keys = team.item_keys()
    team.rate(interview, team.rater, dict.fromkeys(keys, "3"))
    team.rate(interview, team.second_rater, dict.fromkeys(keys, "4"))
    RatingSheet.objects.filter(interview=interview).update(notes=NOTE)
    from peerprinciples.web.interviews import services

    interview.refresh_from_db()
    agreed = services.parse_answers(team.instrument, "peer_worker", dict.fromkeys(keys, "2"))
    services.record_consensus(
        team.lead,
        interview,
        answers=agreed,
        reasons=dict.fromkeys(keys, "We met halfway"),
        expected_version=interview.version,
    )
    interview.refresh_from_db()
    return interview


def _allow_keeping(team: Team) -> None:
    team.evaluation.withdrawal_keeps_anonymised = True
    team.evaluation.save(update_fields=["withdrawal_keeps_anonymised"])


def _withdraw(team: Team, user: object, interview: Interview, choice: str) -> object:
    return team.client_for(user).post(
        _url(team, interview), {"choice": choice, "version": interview.version}
    )


def test_by_default_the_page_offers_erasing_only(team: Team) -> None:
    interview = _double_rated(team)
    response = team.client_for(team.lead).get(_url(team, interview))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="erase"' in html
    assert 'value="keep_anonymised"' not in html
    assert "Withdraw the interview" in html


def test_where_the_protocol_allows_it_a_final_interview_may_keep_its_ratings(team: Team) -> None:
    _allow_keeping(team)
    final = _double_rated(team)
    draft = team.interview("I-A2")
    assert (
        'value="keep_anonymised"'
        in team.client_for(team.lead).get(_url(team, final)).content.decode()
    )
    html = team.client_for(team.lead).get(_url(team, draft)).content.decode()
    assert 'value="keep_anonymised"' not in html
    assert "erasing it is the only choice" in html


def test_erasing_deletes_the_interview_and_everything_rated_and_cached(team: Team) -> None:
    interview = _double_rated(team)
    sheets = list(interview.sheets.values_list("pk", flat=True))
    assert InterviewScore.objects.filter(interview=interview).exists()
    response = _withdraw(team, team.coordinator, interview, "erase")
    assert response.status_code == 302
    assert response["Location"] == reverse("interviews:list", args=[team.evaluation.pk])
    assert not Interview.objects.filter(pk=interview.pk).exists()
    assert not RatingSheet.objects.filter(pk__in=sheets).exists()
    assert not Rating.objects.filter(sheet_id__in=sheets).exists()
    assert not ConsensusRating.objects.filter(interview_id=interview.pk).exists()
    assert not InterviewScore.objects.filter(interview_id=interview.pk).exists()
    client = team.client_for(team.lead)
    assert client.get(_url(team, interview, "interviews:detail")).status_code == 404
    # Withdrawing it again: it is gone.
    assert _withdraw(team, team.lead, interview, "erase").status_code == 404


def test_keeping_anonymised_ratings_cuts_every_link_to_the_person(team: Team) -> None:
    _allow_keeping(team)
    interview = _double_rated(team)
    scores_before = InterviewScore.objects.get(interview=interview).domains
    response = _withdraw(team, team.lead, interview, "keep_anonymised")
    assert response.status_code == 302
    kept = Interview.objects.get(pk=interview.pk)
    assert kept.anonymised
    assert kept.peer_worker is None
    assert kept.date is None
    assert kept.consent_date is None
    assert kept.code != "I-A1"
    assert kept.code.startswith("W-")
    assert set(kept.sheets.values_list("notes", flat=True)) == {""}
    assert set(kept.consensus_ratings.values_list("reason", flat=True)) == {""}
    assert Rating.objects.filter(sheet__interview=kept).count() > 0
    score = InterviewScore.objects.get(interview=kept)
    assert score.peer_worker is None
    assert score.domains == scores_before


def test_an_anonymised_interview_is_never_shown_on_its_own_again(team: Team) -> None:
    _allow_keeping(team)
    interview = _double_rated(team)
    _withdraw(team, team.lead, interview, "keep_anonymised")
    kept = Interview.objects.get(pk=interview.pk)
    client = team.client_for(team.lead)
    listing = client.get(reverse("interviews:list", args=[team.evaluation.pk])).content.decode()
    assert kept.code not in listing
    assert "I-A1" not in listing
    for name in ("interviews:detail", "interviews:consent", "interviews:consensus"):
        assert client.get(_url(team, kept, name)).status_code == 404, name
    sheet = kept.sheets.first()
    assert sheet is not None
    assert (
        client.get(
            reverse("interviews:sheet", args=[team.evaluation.pk, kept.pk, sheet.pk])
        ).status_code
        == 404
    )


def test_withdrawing_an_anonymised_interview_again_says_it_already_was(team: Team) -> None:
    _allow_keeping(team)
    interview = _double_rated(team)
    _withdraw(team, team.lead, interview, "keep_anonymised")
    kept = Interview.objects.get(pk=interview.pk)
    page = team.client_for(team.lead).get(_url(team, kept))
    assert page.status_code == 200
    assert "already been withdrawn" in page.content.decode()
    again = _withdraw(team, team.lead, kept, "erase")
    assert again.status_code == 409
    assert "already been withdrawn" in again.content.decode()
    assert Interview.objects.filter(pk=kept.pk).exists()


def test_a_choice_the_protocol_does_not_allow_is_refused(team: Team) -> None:
    interview = _double_rated(team)
    response = _withdraw(team, team.lead, interview, "keep_anonymised")
    assert response.status_code == 400
    assert "Choose what should happen" in response.content.decode() or (
        "Select a valid choice" in response.content.decode()
    )
    assert Interview.objects.filter(pk=interview.pk, anonymised=False).exists()
    assert _withdraw(team, team.lead, interview, "").status_code == 400


def test_a_page_opened_before_the_interview_changed_is_refused(team: Team) -> None:
    interview = _double_rated(team)
    response = team.client_for(team.lead).post(
        _url(team, interview), {"choice": "erase", "version": interview.version - 1}
    )
    assert response.status_code == 409
    assert "Someone else changed this interview" in response.content.decode()
    assert Interview.objects.filter(pk=interview.pk).exists()


def test_other_methods_are_not_allowed(team: Team) -> None:
    interview = team.interview("I-A1")
    assert team.client_for(team.lead).put(_url(team, interview)).status_code == 405


def test_raters_and_coordinators_of_another_service_may_not_withdraw(team: Team) -> None:
    in_a = team.interview("I-A1")
    in_b = team.interview("I-B1", service=team.service_b)
    assert _withdraw(team, team.rater, in_a, "erase").status_code == 403
    assert _withdraw(team, team.coordinator, in_b, "erase").status_code == 403
    assert _withdraw(team, team.outsider, in_a, "erase").status_code == 404
    assert Interview.objects.filter(pk__in=[in_a.pk, in_b.pk]).count() == 2


def test_a_lead_is_pointed_to_the_peer_workers_own_withdrawal(team: Team) -> None:
    interview = team.interview("I-A1")
    lead = team.client_for(team.lead).get(_url(team, interview)).content.decode()
    assert reverse("evaluations:detail", args=[team.evaluation.pk]) + "#peer-workers" in lead
    coordinator = team.client_for(team.coordinator).get(_url(team, interview)).content.decode()
    assert "ask a lead of the evaluation to record that PW-A1 withdrew" in coordinator


@pytest.mark.parametrize("choice", ["erase", "keep_anonymised"])
def test_the_audit_trail_records_the_withdrawal_and_keeps_nothing_removed(
    team: Team, choice: str
) -> None:
    _allow_keeping(team)
    interview = _double_rated(team)
    sheets = [str(pk) for pk in interview.sheets.values_list("pk", flat=True)]
    mine = AuditEvent.objects.filter(object_type="interviews.Interview", object_id=interview.pk)
    of_sheets = AuditEvent.objects.filter(
        object_type="interviews.RatingSheet", object_id__in=sheets
    )
    earlier = mine.count() + of_sheets.count()
    assert "I-A1" in json.dumps(list(mine.values("summary", "before", "after")))
    _withdraw(team, team.lead, interview, choice)
    event = AuditEvent.objects.filter(summary__startswith="Withdrew an interview").get()
    assert event.user == team.lead
    assert event.evaluation_id == team.evaluation.pk
    assert event.after == {"withdrawal": choice, "service": "A"}
    assert "service A" in event.summary
    # Earlier events keep their time and author but lose what they said.
    redacted = AuditEvent.objects.filter(summary=WITHDRAWN_NOTE)
    assert redacted.count() == earlier
    assert all(e.before is None and e.after is None and e.user_id for e in redacted)
    everything = json.dumps(
        list(
            AuditEvent.objects.filter(evaluation_id=team.evaluation.pk).values(
                "summary", "before", "after"
            )
        )
    )
    assert "I-A1" not in everything
    assert NOTE not in everything
    assert "We met halfway" not in everything
    assert '"ratings"' not in everything
    assert '"consensus"' not in everything
    kept = Interview.objects.filter(pk=interview.pk).first()
    if kept is not None:
        assert kept.code not in everything


def test_a_rater_saving_after_the_interview_was_erased_is_told_so(team: Team) -> None:
    from peerprinciples.web.errors import DomainError
    from peerprinciples.web.interviews import services

    interview = team.interview("I-A1")
    _withdraw(team, team.lead, interview, "erase")
    with pytest.raises(DomainError, match="withdrawn"):
        services.save_sheet(
            team.rater, interview, answers={}, notes="", expected_version=None, finalise=False
        )
