"""Sessions end after a spell of inactivity, and an active session is written rarely.

A signed-in session's expiry is pushed back at most once per ``SESSION_REFRESH_SECONDS``
(``peerprinciples.web.accounts.middleware``) instead of on every request, and Django's
database session engine stores it. These tests read the session rows of the real database
to see when they are written.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.web.conftest import Team
from tests.web.settings_process import read_settings

from peerprinciples.web.accounts.middleware import REFRESHED

pytestmark = pytest.mark.django_db


def _row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _age_session(client: Client, *, refreshed_ago: int, expires_in: int) -> None:
    """Make the session look as if its expiry was last pushed back ``refreshed_ago`` s ago."""
    store = SessionStore(client.session.session_key)
    store[REFRESHED] = int(time.time()) - refreshed_ago
    store.save()
    _expire_in(client, expires_in)


def _expire_in(client: Client, seconds: int) -> None:
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(seconds=seconds)
    )


def test_requests_within_the_interval_write_nothing(team: Team) -> None:
    client = team.client_for(team.lead)
    home = reverse("evaluations:detail", args=[team.evaluation.pk])
    assert client.get(home).status_code == 200
    first = _row(client)
    assert REFRESHED in first.get_decoded()
    for _ in range(3):
        assert client.get(home).status_code == 200
    again = _row(client)
    assert (again.expire_date, again.session_data) == (first.expire_date, first.session_data)


def test_after_the_interval_a_request_pushes_the_expiry_back(team: Team) -> None:
    client = team.client_for(team.lead)
    interval = settings.SESSION_REFRESH_SECONDS
    _age_session(client, refreshed_ago=interval + 5, expires_in=600)
    before = _row(client).expire_date
    assert before < timezone.now() + dt.timedelta(seconds=601)
    response = client.get(reverse("evaluations:detail", args=[team.evaluation.pk]))
    assert response.status_code == 200
    after = _row(client)
    expected = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((after.expire_date - expected).total_seconds()) < 30
    assert after.get_decoded()[REFRESHED] >= int(time.time()) - 30
    assert "sessionid" in response.cookies  # the browser is told the session goes on


def test_a_session_left_longer_than_its_age_is_signed_out(team: Team) -> None:
    client = team.client_for(team.rater)
    _expire_in(client, -1)
    url = reverse("evaluations:detail", args=[team.evaluation.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_anonymous_visitor_is_given_no_session(db: None) -> None:
    before = Session.objects.count()
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == before


def test_a_page_that_never_asks_who_is_signed_in_does_not_refresh_the_session(
    team: Team,
) -> None:
    client = team.client_for(team.lead)
    _age_session(client, refreshed_ago=settings.SESSION_REFRESH_SECONDS + 5, expires_in=600)
    before = _row(client)
    assert client.get(reverse("health")).status_code == 200
    after = _row(client)
    assert (after.expire_date, after.session_data) == (before.expire_date, before.session_data)


@pytest.mark.parametrize(
    ("refresh", "age"), [("0", "28800"), ("-5", "28800"), ("14401", "28800"), ("60", "100")]
)
def test_a_refresh_interval_that_could_end_sessions_in_use_is_refused(
    refresh: str, age: str, tmp_path: Path
) -> None:
    done = read_settings("", tmp_path, SESSION_REFRESH_SECONDS=refresh, SESSION_COOKIE_AGE=age)
    assert done.returncode != 0
    assert f"SESSION_REFRESH_SECONDS={int(refresh)} must be above 0" in done.stderr
    assert f"SESSION_COOKIE_AGE ({age})" in done.stderr


def test_a_sensible_refresh_interval_is_accepted(tmp_path: Path) -> None:
    done = read_settings("s.SESSION_REFRESH_SECONDS", tmp_path, SESSION_REFRESH_SECONDS="300")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "300"
