"""Starting an evaluation."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.evaluations.models import Evaluation, Membership

pytestmark = pytest.mark.django_db


def test_it_pins_the_chosen_instrument_and_its_framework_and_makes_the_creator_lead(
    team: Team,
) -> None:
    client = team.client_for(team.viewer)
    response = client.post(
        reverse("evaluations:create"),
        {
            "name": "Spring review",
            "kind": "service_review",
            "instrument": team.stored_instrument.pk,
        },
    )
    evaluation = Evaluation.objects.get(name="Spring review")
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:detail", args=[evaluation.pk])
    assert evaluation.instrument == team.stored_instrument
    assert evaluation.framework == team.stored_instrument.framework
    assert Membership.objects.get(evaluation=evaluation, user=team.viewer).role == "lead"


def test_it_keeps_the_input_and_explains_a_missing_name(team: Team) -> None:
    response = team.client_for(team.viewer).post(
        reverse("evaluations:create"),
        {
            "name": "",
            "kind": "research",
            "instrument": team.stored_instrument.pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_name"' in page
    assert re.search(r'value="research"[^>]*checked', page)
    assert Evaluation.objects.count() == 2


def test_it_refuses_other_methods(team: Team) -> None:
    response = team.client_for(team.lead).put(reverse("evaluations:create"))
    assert response.status_code == 405


def test_it_sends_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get(reverse("evaluations:create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
