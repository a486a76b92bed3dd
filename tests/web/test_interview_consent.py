"""An interview's consent: recorded with its day and uses, audited, shown on the interview."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.web.conftest import Team

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.interviews.models import Interview

pytestmark = pytest.mark.django_db


def _url(team: Team, interview: Interview) -> str:
    return reverse("interviews:consent", args=[team.evaluation.pk, interview.pk])


def _post(team: Team, user: object, interview: Interview, **data: object) -> object:
    interview.refresh_from_db()
    payload = {
        "date": "2025-02-20",
        "uses": ["evaluation", "sharing"],
        "version": interview.version,
    }
    payload.update(data)
    return team.client_for(user).post(_url(team, interview), payload)


def test_a_rater_records_the_day_and_uses_and_the_interview_page_shows_them(team: Team) -> None:
    interview = team.interview("I-A1")
    response = _post(team, team.rater, interview)
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.consent_date == dt.date(2025, 2, 20)
    assert interview.consent_uses == ["evaluation", "sharing"]
    page = team.client_for(team.rater).get(
        reverse("interviews:detail", args=[team.evaluation.pk, interview.pk])
    )
    html = page.content.decode()
    assert "20 February 2025" in html
    assert "Evaluation: the ratings count in the results" in html
    assert "Quotation" not in html
    assert "Change the consent" in html


def test_the_form_opens_with_what_is_recorded(team: Team) -> None:
    interview = team.interview("I-A1")
    _post(team, team.lead, interview, uses=["quotation"])
    html = team.client_for(team.coordinator).get(_url(team, interview)).content.decode()
    assert 'value="2025-02-20"' in html
    assert 'value="quotation" id="id_uses_1" checked' in html
    assert "<label" in html
    assert 'for="id_date"' in html


def test_the_audit_trail_keeps_the_consent_before_and_after_and_no_free_text(team: Team) -> None:
    interview = team.interview("I-A1")
    _post(team, team.lead, interview)
    _post(team, team.lead, interview, uses=["evaluation"])
    event = AuditEvent.objects.filter(summary__startswith="Recorded consent").first()
    assert event is not None
    assert event.before == {"consent_date": "2025-02-20", "consent_uses": ["evaluation", "sharing"]}
    assert event.after == {"consent_date": "2025-02-20", "consent_uses": ["evaluation"]}


def test_a_day_in_the_future_or_no_use_is_refused_with_the_reason(team: Team) -> None:
    interview = team.interview("I-A1")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = _post(team, team.lead, interview, date=tomorrow)
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    response = _post(team, team.lead, interview, uses=[])
    assert response.status_code == 400
    assert "Tick at least one use" in response.content.decode()
    response = _post(team, team.lead, interview, date="20/02/2025", uses=["nonsense"])
    assert response.status_code == 400
    interview.refresh_from_db()
    assert interview.consent_date is None


def test_a_form_opened_before_someone_else_saved_is_refused(team: Team) -> None:
    interview = team.interview("I-A1")
    stale = interview.version
    _post(team, team.lead, interview, uses=["quotation"])
    response = _post(team, team.rater, interview, version=stale)
    assert response.status_code == 409
    assert "Someone else changed this interview" in response.content.decode()
    interview.refresh_from_db()
    assert interview.consent_uses == ["quotation"]


def test_other_methods_are_not_allowed(team: Team) -> None:
    interview = team.interview("I-A1")
    assert team.client_for(team.lead).put(_url(team, interview)).status_code == 405


def test_a_viewer_may_not_and_a_coordinator_of_another_service_may_not(team: Team) -> None:
    in_b = team.interview("I-B1", service=team.service_b)
    assert _post(team, team.viewer, in_b).status_code == 403
    assert _post(team, team.coordinator, in_b).status_code == 403
    assert _post(team, team.outsider, in_b).status_code == 404
    in_b.refresh_from_db()
    assert in_b.consent_date is None


def test_those_who_may_not_record_consent_see_no_link_to_it(team: Team) -> None:
    interview = team.interview("I-A1")
    # Raters may record consent; the withdrawal link is for leads and coordinators only.
    html = (
        team.client_for(team.rater)
        .get(reverse("interviews:detail", args=[team.evaluation.pk, interview.pk]))
        .content.decode()
    )
    assert "Record the consent" in html
    assert "Withdraw this interview" not in html
    html = (
        team.client_for(team.coordinator)
        .get(reverse("interviews:detail", args=[team.evaluation.pk, interview.pk]))
        .content.decode()
    )
    assert "Withdraw this interview" in html
