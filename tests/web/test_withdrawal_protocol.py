"""What the study's protocol allows on withdrawal: set by a lead on the evaluation's overview."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def _url(team: Team) -> str:
    return reverse("evaluations:withdrawal_protocol", args=[team.evaluation.pk])


def _allows(team: Team) -> bool:
    return Evaluation.objects.get(pk=team.evaluation.pk).withdrawal_keeps_anonymised


def test_by_default_withdrawn_interviews_are_erased(team: Team) -> None:
    assert not _allows(team)
    html = (
        team.client_for(team.viewer)
        .get(reverse("evaluations:detail", args=[team.evaluation.pk]))
        .content.decode()
    )
    assert "the interview and all its ratings are erased" in html
    assert "What the study's protocol allows" not in html


def test_a_lead_lets_people_keep_their_ratings_anonymised_and_it_is_audited(team: Team) -> None:
    response = team.client_for(team.lead).post(_url(team), {"keeps_anonymised": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith("#withdrawing")
    assert _allows(team)
    event = AuditEvent.objects.filter(summary__startswith="Withdrawal:").get()
    assert event.before == {"withdrawal_keeps_anonymised": False}
    assert event.after == {"withdrawal_keeps_anonymised": True}
    html = (
        team.client_for(team.lead)
        .get(reverse("evaluations:detail", args=[team.evaluation.pk]))
        .content.decode()
    )
    assert "lets them choose" in html
    assert 'value="1" required id="id_keeps_anonymised_1" checked' in html


def test_saving_the_same_choice_again_records_nothing(team: Team) -> None:
    team.client_for(team.lead).post(_url(team), {"keeps_anonymised": "0"})
    assert not AuditEvent.objects.filter(summary__startswith="Withdrawal:").exists()


def test_a_missing_choice_is_refused_on_the_overview(team: Team) -> None:
    response = team.client_for(team.lead).post(_url(team), {"keeps_anonymised": "maybe"})
    assert response.status_code == 400
    assert "withdrawing-form" in response.content.decode()
    assert not _allows(team)


def test_only_leads_may_change_it_and_only_by_posting(team: Team) -> None:
    assert (
        team.client_for(team.coordinator).post(_url(team), {"keeps_anonymised": "1"}).status_code
        == 403
    )
    assert (
        team.client_for(team.outsider).post(_url(team), {"keeps_anonymised": "1"}).status_code
        == 404
    )
    assert team.client_for(team.lead).get(_url(team)).status_code == 405
    assert not _allows(team)
