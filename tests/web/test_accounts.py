"""Signing in and out, passwords, and the home page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from tests.web.conftest import PASSWORD, Team

pytestmark = pytest.mark.django_db


def test_home_lists_each_evaluation_with_the_users_role(team: Team) -> None:
    response = team.client_for(team.rater).get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fidelity review 2025" in page
    assert "Rater" in page
    assert "Another study" not in page
    assert reverse("evaluations:create") in page


def test_home_sends_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_in_with_the_right_password_opens_the_home_page(team: Team, client: Client) -> None:
    response = client.post(reverse("login"), {"username": "lead", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_signing_in_with_a_wrong_password_says_so(team: Team, client: Client) -> None:
    response = client.post(reverse("login"), {"username": "lead", "password": "wrong"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_out_needs_a_post(team: Team) -> None:
    client = team.client_for(team.lead)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_password_reset_sends_a_link_by_email(team: Team, client: Client) -> None:
    response = client.post(reverse("password_reset"), {"email": "rater@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/password/reset/" in mail.outbox[0].body


def test_changing_the_password_needs_the_old_one(team: Team) -> None:
    client = team.client_for(team.lead)
    new = "another-long-test-password"
    form = {"old_password": "wrong", "new_password1": new, "new_password2": new}
    assert client.post(reverse("password_change"), form).status_code == 200
    form["old_password"] = PASSWORD
    response = client.post(reverse("password_change"), form)
    assert response.status_code == 302
    user: Any = get_user_model().objects.get(username="lead")
    assert user.check_password(new)
