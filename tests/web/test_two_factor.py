"""Two-factor sign-in: setting up an app, signing in with its codes or a recovery code, new
recovery codes, switching it off, and the pause after wrong codes.

Codes are real, worked out from the device's key with django-otp's ``totp``. The pause is
django-axes' own, read from its records in the database.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from tests.web.conftest import PASSWORD
from tests.web.two_factor_support import (
    app_code,
    give_code,
    give_password,
    switch_on,
    wait_out_throttle,
)

from peerprinciples.web.accounts import two_factor
from peerprinciples.web.accounts.two_factor_views import PENDING
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.errors import InvalidInput

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture
def person(make_user: Callable[[str], Any]) -> Any:
    return make_user("rosa")


def _signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


# --- setting it up -----------------------------------------------------------------------


def test_the_set_up_page_draws_the_qr_code_with_attributes_only_and_groups_the_key(
    person: Any,
) -> None:
    client = Client()
    client.force_login(person)
    page = client.get(reverse("two_factor_set_up")).content.decode()
    svg = re.search(r"<svg .*?</svg>", page, re.S)
    assert svg is not None
    # Nothing a strict content security policy would block: no style attribute or element,
    # no script written into the page.
    assert "style" not in svg.group(0)
    assert " style=" not in page
    assert "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert 'role="img"' in svg.group(0)
    assert "<title>QR code of the key" in svg.group(0)
    device = two_factor.app_of(person, confirmed=False)
    assert device is not None
    key = re.search(r'<code class="key" id="two-factor-key">([A-Z2-7 ]+)</code>', page)
    assert key is not None
    groups = key.group(1).split()
    assert all(len(group) == 4 for group in groups)
    assert "".join(groups) == base64.b32encode(device.bin_key).decode()
    # Opened again, the page shows the same key: an app that scanned it keeps working.
    assert key.group(0) in client.get(reverse("two_factor_set_up")).content.decode()
    assert not two_factor.is_on(person)


def test_a_wrong_or_expired_first_code_leaves_it_off(person: Any) -> None:
    client = Client()
    client.force_login(person)
    client.get(reverse("two_factor_set_up"))
    device = two_factor.app_of(person, confirmed=False)
    assert device is not None
    response = client.post(reverse("two_factor_set_up"), {"code": "000000"})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    wait_out_throttle(person)
    expired = client.post(reverse("two_factor_set_up"), {"code": app_code(device, -3)})
    assert expired.status_code == 400
    assert "That code is not right" in expired.content.decode()
    empty = client.post(reverse("two_factor_set_up"), {"code": ""})
    assert "Enter the 6-digit code your app shows" in empty.content.decode()
    assert not two_factor.is_on(person)
    assert not AuditEvent.objects.exists()


def test_the_first_right_code_switches_it_on_and_shows_ten_recovery_codes_once(
    person: Any,
) -> None:
    client = Client()
    client.force_login(person)
    client.get(reverse("two_factor_set_up"))
    device = two_factor.app_of(person, confirmed=False)
    assert device is not None
    wait_out_throttle(person)
    response = client.post(reverse("two_factor_set_up"), {"code": app_code(device)})
    assert response.status_code == 200
    page = response.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", page)
    assert len(codes) == 10 == len(set(codes))
    assert all(re.fullmatch(r"([a-z2-7]{4}-){3}[a-z2-7]{4}", code) for code in codes)
    assert "This is the only time they are shown" in page
    assert two_factor.is_on(person)
    # Only hashes are kept: none of the codes is in the database.
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {code.replace("-", "") for code in codes}
    # The session that set it up counts as confirmed by the code it gave.
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # And the page is not shown again: it says two-factor is on.
    again = client.get(reverse("two_factor_set_up"))
    assert again.status_code == 302
    assert again["Location"] == reverse("two_factor")
    event = AuditEvent.objects.get()
    assert (event.action, event.evaluation_id, event.user) == ("create", None, person)
    assert event.object_type == "otp_totp.TOTPDevice"
    assert device.key not in str(event.after)
    assert "key" not in event.after


def test_confirming_without_an_app_being_set_up_says_to_start_again(person: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        two_factor.confirm(person, "123456")
    assert "open the set-up page and start again" in refused.value.problems["code"]


def test_the_overview_says_whether_it_is_on_and_how_many_recovery_codes_are_left(
    person: Any,
) -> None:
    client = Client()
    client.force_login(person)
    assert "Two-factor sign-in is off." in client.get(reverse("two_factor")).content.decode()
    switch_on(person)
    page = client.get(reverse("two_factor")).content.decode()
    assert "Two-factor sign-in is on." in page
    assert "10 unused recovery codes left" in page


# --- signing in ----------------------------------------------------------------------------


def test_without_two_factor_the_password_alone_signs_in_as_before(person: Any) -> None:
    client = Client()
    response = give_password(client, "rosa")
    assert response["Location"] == reverse("home")
    assert _signed_in(client)


def test_with_two_factor_the_password_alone_does_not_sign_in(person: Any) -> None:
    switch_on(person)
    client = Client()
    response = give_password(client, "rosa")
    assert response["Location"] == reverse("sign_in_code")
    assert not _signed_in(client)
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    page = client.get(reverse("sign_in_code"))
    assert page.status_code == 200
    assert "Two-factor sign-in is on for <strong>rosa</strong>" in page.content.decode()


def test_the_app_s_code_signs_in_and_the_session_counts_as_confirmed(person: Any) -> None:
    device, _ = switch_on(person)
    client = Client()
    give_password(client, "rosa", next="/two-factor/")
    response = give_code(client, app_code(device, 1))
    assert response.status_code == 302
    assert response["Location"] == "/two-factor/"
    assert _signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING not in client.session
    assert client.get(reverse("home")).status_code == 200


def test_spaces_in_the_app_s_code_do_not_matter(person: Any) -> None:
    device, _ = switch_on(person)
    client = Client()
    give_password(client, "rosa")
    code = app_code(device, 1)
    assert give_code(client, f" {code[:3]} {code[3:]} ")["Location"] == reverse("home")


def test_a_wrong_code_is_refused_and_counted(person: Any) -> None:
    switch_on(person)
    client = Client()
    give_password(client, "rosa")
    response = give_code(client, "123456")
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert not _signed_in(client)
    assert AccessAttempt.objects.get(username="rosa").failures_since_start == 1
    assert "123456" not in AccessAttempt.objects.get(username="rosa").post_data


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter a code"),
        ("12345", "Enter the 6-digit code your authenticator app shows now"),
        ("not a code at all", "Enter the 6-digit code your authenticator app shows now"),
    ],
)
def test_a_missing_or_malformed_code_says_what_a_code_looks_like(
    person: Any, code: str, message: str
) -> None:
    switch_on(person)
    client = Client()
    give_password(client, "rosa")
    response = give_code(client, code)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not _signed_in(client)


def test_an_expired_code_is_refused(person: Any) -> None:
    device, _ = switch_on(person)
    client = Client()
    give_password(client, "rosa")
    response = give_code(client, app_code(device, -3))
    assert response.status_code == 400
    assert not _signed_in(client)


def test_a_code_once_used_signs_in_no_more(person: Any) -> None:
    device, _ = switch_on(person)
    code = app_code(device, 1)
    first = Client()
    give_password(first, "rosa")
    assert give_code(first, code)["Location"] == reverse("home")
    second = Client()
    give_password(second, "rosa")
    response = give_code(second, code)
    assert response.status_code == 400
    assert not _signed_in(second)


def test_right_after_a_wrong_code_even_the_right_one_waits(person: Any) -> None:
    device, _ = switch_on(person)
    client = Client()
    give_password(client, "rosa")
    give_code(client, "000000")
    waiting = give_code(client, app_code(device, 1))
    assert waiting.status_code == 400
    assert "wait a little" in waiting.content.decode()
    wait_out_throttle(person)
    assert give_code(client, app_code(device, 1))["Location"] == reverse("home")
    # Signing in clears the count of wrong codes.
    assert not AccessAttempt.objects.filter(username="rosa").exists()


def test_a_recovery_code_signs_in_once(person: Any) -> None:
    _, codes = switch_on(person)
    first = Client()
    give_password(first, "rosa")
    # Typed in capitals, with spaces instead of hyphens: still the code.
    typed = codes[0].upper().replace("-", " ")
    assert give_code(first, typed)["Location"] == reverse("home")
    assert two_factor.recovery_codes_left(person) == 9
    second = Client()
    give_password(second, "rosa")
    response = give_code(second, codes[0])
    assert response.status_code == 400
    assert "a recovery code you have not used before" in response.content.decode()
    assert not _signed_in(second)
    wait_out_throttle(person)
    assert give_code(second, codes[1])["Location"] == reverse("home")


def test_five_wrong_codes_pause_signing_in_even_with_the_right_code(person: Any) -> None:
    device, _ = switch_on(person)
    client = Client()
    give_password(client, "rosa")
    for attempt in range(1, LIMIT + 1):
        wait_out_throttle(person)
        response = give_code(client, f"{attempt:06d}")
        assert response.status_code == (429 if attempt == LIMIT else 400)
    assert "Signing in is paused" in response.content.decode()
    assert PENDING not in client.session
    # The right code no longer reaches the check, and nor does the right password.
    wait_out_throttle(person)
    again = give_code(client, app_code(device, 1))
    assert again["Location"] == reverse("login")
    assert give_password(client, "rosa").status_code == 429
    assert not _signed_in(client)


def test_wrong_passwords_and_wrong_codes_count_together(person: Any) -> None:
    switch_on(person)
    client = Client()
    for _ in range(LIMIT - 2):
        assert give_password(client, "rosa", "not-the-password").status_code == 200
    assert give_password(client, "rosa")["Location"] == reverse("sign_in_code")
    assert give_code(client, "000001").status_code == 400
    wait_out_throttle(person)
    assert give_code(client, "000002").status_code == 429


def test_a_paused_account_is_refused_at_the_code_page_too(person: Any) -> None:
    device, _ = switch_on(person)
    client = Client()
    give_password(client, "rosa")
    AccessAttempt.objects.create(
        username="rosa",
        ip_address="127.0.0.1",
        user_agent="",
        failures_since_start=LIMIT,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/sign-in/",
    )
    response = give_code(client, app_code(device, 1))
    assert response.status_code == 429
    assert not _signed_in(client)


def test_the_code_must_follow_the_password_within_minutes(person: Any, settings: Any) -> None:
    device, _ = switch_on(person)
    client = Client()
    give_password(client, "rosa")
    session = client.session
    session[PENDING] = {**session[PENDING], "at": int(time.time()) - 301}
    session.save()
    response = give_code(client, app_code(device, 1))
    assert response["Location"] == reverse("login")
    assert not _signed_in(client)
    page = client.get(reverse("login")).content.decode()
    assert "waits 5 minutes at most for the code" in page


def test_the_code_page_without_a_password_first_sends_to_sign_in(person: Any) -> None:
    assert Client().get(reverse("sign_in_code"))["Location"] == reverse("login")
    signed_in = Client()
    signed_in.force_login(person)
    assert signed_in.get(reverse("sign_in_code"))["Location"] == reverse("home")


# --- new recovery codes, and switching off -------------------------------------------------


def _confirmed_client(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(person: Any) -> None:
    device, old = switch_on(person)
    client = _confirmed_client(person)
    refused = client.post(reverse("two_factor_recovery_codes"), {"code": "000000"})
    assert refused.status_code == 400
    assert "That code is not right" in refused.content.decode()
    wait_out_throttle(person)
    response = client.post(reverse("two_factor_recovery_codes"), {"code": app_code(device, 1)})
    assert response.status_code == 200
    new = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert "the ones you had before no longer work" in response.content.decode()
    with pytest.raises(two_factor.WrongCode):
        two_factor.verify(person, old[0])
    wait_out_throttle(person)
    assert two_factor.verify(person, new[0]).name == two_factor.RECOVERY_NAME
    event = AuditEvent.objects.filter(action="change").get()
    assert event.object_type == "otp_static.StaticDevice"
    assert event.evaluation_id is None
    assert event.after == {"recovery_codes": 10}


def test_switching_off_with_a_wrong_password_leaves_it_on_and_the_code_unused(
    person: Any,
) -> None:
    device, _ = switch_on(person)
    client = _confirmed_client(person)
    code = app_code(device, 1)
    response = client.post(reverse("two_factor_off"), {"password": "wrong", "code": code})
    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    assert two_factor.is_on(person)
    # The code was not checked, so it still works.
    assert two_factor.verify(person, code) == device


def test_switching_off_with_a_wrong_code_leaves_it_on(person: Any) -> None:
    switch_on(person)
    client = _confirmed_client(person)
    response = client.post(reverse("two_factor_off"), {"password": PASSWORD, "code": "000000"})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert two_factor.is_on(person)
    missing = client.post(reverse("two_factor_off"), {"password": "", "code": ""})
    assert "Enter your password." in missing.content.decode()


def test_switching_off_with_password_and_code_removes_every_device(person: Any) -> None:
    device, _codes = switch_on(person)
    client = _confirmed_client(person)
    response = client.post(
        reverse("two_factor_off"), {"password": PASSWORD, "code": app_code(device, 1)}
    )
    assert response["Location"] == reverse("two_factor")
    assert not two_factor.is_on(person)
    assert two_factor.recovery_codes_left(person) == 0
    assert "Two-factor sign-in is off" in client.get(reverse("two_factor")).content.decode()
    event = AuditEvent.objects.filter(action="delete").get()
    assert event.object_type == "otp_totp.TOTPDevice"
    assert event.user == person
    # Signing in asks for the password only again.
    fresh = Client()
    assert give_password(fresh, "rosa")["Location"] == reverse("home")


def test_the_pages_for_when_it_is_on_send_back_while_it_is_off(person: Any) -> None:
    client = _confirmed_client(person)
    for name in ("two_factor_recovery_codes", "two_factor_off"):
        assert client.get(reverse(name))["Location"] == reverse("two_factor")
    with pytest.raises(InvalidInput):
        two_factor.new_recovery_codes(person, "123456")
    with pytest.raises(InvalidInput):
        two_factor.switch_off(person, password=PASSWORD, code="123456")


# --- switched off from the command line, for someone who lost app and codes -------------


def test_whoever_runs_the_site_can_switch_it_off_for_someone(person: Any) -> None:
    switch_on(person)
    two_factor.switch_off_for("rosa")
    assert not two_factor.is_on(person)
    assert two_factor.recovery_codes_left(person) == 0
    event = AuditEvent.objects.filter(action="delete").get()
    assert event.user is None
    assert "from the command line" in event.summary
    assert give_password(Client(), "rosa")["Location"] == reverse("home")


def test_switching_off_from_the_command_line_names_what_is_wrong(person: Any) -> None:
    with pytest.raises(SystemExit, match="there is no account 'nobody'"):
        two_factor.switch_off_for("nobody")
    with pytest.raises(SystemExit, match="two-factor sign-in is off for 'rosa' already"):
        two_factor.switch_off_for("rosa")


def test_the_command_line_offers_it() -> None:
    from peerprinciples.cli.main import build_parser

    args = build_parser().parse_args(["user", "two-factor-off", "rosa"])
    assert (args.action, args.username) == ("two-factor-off", "rosa")


def test_a_demo_account_signs_in_with_its_printed_password_alone(
    make_user: Callable[[str], Any],
) -> None:
    from peerprinciples.web.accounts.services import demo_password

    account = make_user("demo-lead")
    switch_on(account)
    password = demo_password("demo-lead")
    assert not two_factor.is_on(account)
    assert give_password(Client(), "demo-lead", password)["Location"] == reverse("home")
