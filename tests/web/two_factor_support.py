"""Real codes for the two-factor tests: worked out with django-otp's own ``totp``, as an
authenticator app works them out from the key, never mocked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.personas import PASSWORD

from peerprinciples.web.accounts import two_factor


def app_code(device: TOTPDevice, steps: int = 0) -> str:
    """The code the app shows now, or ``steps`` periods of 30 seconds later (or earlier)."""
    return f"{totp(device.bin_key, drift=steps):06d}"


def switch_on(user: Any) -> tuple[TOTPDevice, list[str]]:
    """Switch two-factor on for ``user`` as the set-up page does, with this period's code;
    the app and the recovery codes. Codes for signing in must come from later periods."""
    two_factor.start_setup(user)
    pending = two_factor.app_of(user, confirmed=False)
    assert pending is not None
    return two_factor.confirm(user, app_code(pending))


def wait_out_throttle(user: Any) -> None:
    """As if the wait after wrong codes (django-otp's, which doubles each time) were over."""
    long_ago = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_timestamp=long_ago)


def give_password(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    """Post the sign-in form (with ``next`` and the like in ``extra``)."""
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def give_code(client: Client, code: str) -> Any:
    """Post the code form."""
    return client.post(reverse("sign_in_code"), {"code": code})
