"""Guessing passwords: too many wrong ones pause signing in to that account from there.

After ``SIGN_IN_FAILURE_LIMIT`` (5) wrong passwords in a row for one account from one
address, even the right password is refused from that address for
``SIGN_IN_PAUSE_MINUTES`` (15), with a page that says so (django-axes). The tests sign in
through the real form and read django-axes' records in the database.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from tests.web.conftest import PASSWORD, Team
from tests.web.settings_process import read_settings

from peerprinciples.web.accounts.addresses import client_address

pytestmark = pytest.mark.django_db

LIMIT = 5


def _sign_in(client: Client, username: str, password: str) -> int:
    return client.post(reverse("login"), {"username": username, "password": password}).status_code


def _fail(client: Client, username: str, times: int) -> None:
    """``times`` wrong passwords: the form with an error each time, until the pause begins
    with the last one allowed."""
    for attempt in range(1, times + 1):
        expected = 429 if attempt >= LIMIT else 200
        assert _sign_in(client, username, "not-the-password") == expected


def test_the_right_password_is_refused_after_too_many_wrong_ones(team: Team) -> None:
    client = Client()
    _fail(client, "rater", LIMIT)
    response = client.post(reverse("login"), {"username": "rater", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in is paused" in page
    assert f"wrong {LIMIT} times in a row" in page
    assert "for 15 minutes" in page
    assert SESSION_KEY not in client.session
    assert AccessAttempt.objects.filter(username="rater").exists()


def test_fewer_wrong_passwords_do_not_pause_and_success_starts_the_count_again(
    team: Team,
) -> None:
    client = Client()
    _fail(client, "rater", LIMIT - 1)
    assert _sign_in(client, "rater", PASSWORD) == 302
    assert not AccessAttempt.objects.filter(username="rater").exists()
    client.post(reverse("logout"))
    _fail(client, "rater", LIMIT - 1)
    assert _sign_in(client, "rater", PASSWORD) == 302


def test_the_pause_is_for_that_account_from_that_address_only(team: Team) -> None:
    _fail(Client(REMOTE_ADDR="10.0.0.1"), "rater", LIMIT)
    assert _sign_in(Client(REMOTE_ADDR="10.0.0.1"), "rater", PASSWORD) == 429
    assert _sign_in(Client(REMOTE_ADDR="10.0.0.1"), "lead", PASSWORD) == 302
    assert _sign_in(Client(REMOTE_ADDR="10.0.0.2"), "rater", PASSWORD) == 302


def test_signing_in_works_again_once_the_pause_is_over(team: Team) -> None:
    client = Client()
    _fail(client, "rater", LIMIT)
    assert _sign_in(client, "rater", PASSWORD) == 429
    AccessAttempt.objects.filter(username="rater").update(
        attempt_time=timezone.now() - dt.timedelta(minutes=16)
    )
    assert _sign_in(client, "rater", PASSWORD) == 302


def test_successful_sign_ins_leave_no_record_of_address_or_browser(team: Team) -> None:
    assert _sign_in(Client(), "lead", PASSWORD) == 302
    assert AccessLog.objects.count() == 0
    assert AccessAttempt.objects.count() == 0


@pytest.mark.parametrize("name", ["SIGN_IN_FAILURE_LIMIT", "SIGN_IN_PAUSE_MINUTES"])
def test_a_limit_below_one_is_refused_with_its_name(name: str, tmp_path: Path) -> None:
    done = read_settings("", tmp_path, **{name: "0"})
    assert done.returncode != 0
    assert f"{name}=0 must be 1 or more." in done.stderr


# --- behind proxies: which address a sign-in came from -----------------------------------

PROXY = "10.0.0.9"


def _via_proxy(forwarded_for: str) -> Client:
    """A browser whose requests reach the server through a proxy at ``PROXY``."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_a_proxy_the_pause_is_for_the_guessers_address_only(team: Team, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    _fail(_via_proxy("203.0.113.7"), "rater", LIMIT)
    assert _sign_in(_via_proxy("203.0.113.7"), "rater", PASSWORD) == 429
    assert _sign_in(_via_proxy("198.51.100.20"), "rater", PASSWORD) == 302
    assert AccessAttempt.objects.get(username="rater").ip_address == "203.0.113.7"


def test_behind_a_proxy_what_the_client_writes_in_the_header_is_not_believed(
    team: Team, settings
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it saw; the guesser varies what comes before it.
    for attempt in range(1, LIMIT + 1):
        client = _via_proxy(f"192.0.2.{attempt}, 203.0.113.7")
        expected = 429 if attempt >= LIMIT else 200
        assert _sign_in(client, "rater", "not-the-password") == expected
    assert _sign_in(_via_proxy("192.0.2.99, 203.0.113.7"), "rater", PASSWORD) == 429


def test_without_trusted_proxies_the_header_is_ignored(team: Team) -> None:
    for attempt in range(1, LIMIT + 1):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
        expected = 429 if attempt >= LIMIT else 200
        assert _sign_in(client, "rater", "not-the-password") == expected
    assert AccessAttempt.objects.get(username="rater").ip_address == "10.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "header", "expected"),
    [
        (0, "192.0.2.1", PROXY),
        (1, "192.0.2.1, 203.0.113.7", "203.0.113.7"),
        (2, "192.0.2.1, 203.0.113.7, 10.0.0.4", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # came past fewer proxies than there are
        (1, "", PROXY),
        (1, "192.0.2.1, unknown", PROXY),
        (1, "2001:DB8::0:1", "2001:db8::1"),
    ],
)
def test_the_address_is_the_one_the_outermost_trusted_proxy_saw(
    proxies: int, header: str, expected: str, settings
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
    assert client_address(request) == expected


def test_a_negative_proxy_count_is_refused_with_its_name(tmp_path: Path) -> None:
    done = read_settings("", tmp_path, TRUSTED_PROXY_COUNT="-1")
    assert done.returncode != 0
    assert "TRUSTED_PROXY_COUNT=-1 must be 0 or more." in done.stderr
