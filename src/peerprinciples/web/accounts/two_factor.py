"""Two-factor sign-in: an authenticator app's codes, recovery codes, and switching it on and off.

The devices are django-otp's. A person's authenticator app is one ``TOTPDevice``: it counts
as switched on only once it is *confirmed*, by a first code the app shows, so nobody is
asked at sign-in for codes from an app they never set up. Recovery codes are the tokens of
one ``StaticDevice``: django-otp deletes a token when it is used, so each works once. It
stores tokens as given, so we give it a hash of each code rather than the code: someone
who reads the database cannot sign in with what they read. A code has 80 random bits,
which no one can find again from its hash by trying, so an unsalted hash that can be
looked up is safe here (a salted one would need a slow comparison with every code).

Both devices throttle wrong codes themselves (django-otp doubles the wait after each); the
sign-in also counts wrong codes with wrong passwords, so that a few in a row pause signing
in (see ``accounts.two_factor_views``).
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

import segno
from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.audit.services import record
from peerprinciples.web.errors import InvalidInput

RECOVERY_CODES = 10
"""How many recovery codes a person is given at a time."""

RECOVERY_LENGTH = 16
"""Characters in a recovery code (base32: 80 random bits), shown in groups of four."""

APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"

_APP_CODE = re.compile(r"\d{6}")
_RECOVERY_CODE = re.compile(rf"[a-z2-7]{{{RECOVERY_LENGTH}}}")


class WrongCode(Exception):
    """A code that did not sign in or confirm: the message says what to do instead."""


# --- codes ------------------------------------------------------------------------------


def normalise(code: str) -> str:
    """A code as typed (spaces, hyphens, capitals) in the form it is checked in."""
    return re.sub(r"[\s-]", "", code).lower()


def _hashed(code: str) -> str:
    """What is stored for a recovery code: 80 bits of its SHA-256, in base32."""
    digest = hashlib.sha256(normalise(code).encode()).digest()
    return base64.b32encode(digest).decode()[:RECOVERY_LENGTH].lower()


def _new_recovery_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def grouped(text: str, size: int = 4) -> str:
    """``text`` in groups of ``size`` characters, for reading out and typing."""
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


# --- the devices ------------------------------------------------------------------------


def app_of(user: Any, *, confirmed: bool = True) -> TOTPDevice | None:
    """The person's authenticator app: the switched-on one, or with ``confirmed=False`` the
    one being set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def is_on(user: Any) -> bool:
    """Whether signing in as ``user`` asks for a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: Any) -> int:
    """How many of the person's recovery codes are still unused."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass(frozen=True)
class Setup:
    """What the set-up page shows: the key as text, and as a QR code for the app to scan."""

    key: str
    """The key in base32, grouped in fours for typing."""
    qr_svg: str
    """An inline SVG, drawn with attributes only (no style attribute, no script)."""


def start_setup(user: Any) -> Setup:
    """The app being set up (made now if there is none), as the set-up page shows it.

    The same key is shown until it is confirmed, so an app that has already scanned it
    keeps working when the page is opened again.
    """
    device = app_of(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    key = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(
        scale=4,
        dark="#000",
        light="#fff",
        title="QR code of the key, for an authenticator app to scan",
        svgclass="qr-code",
        lineclass=None,
    )
    return Setup(key=grouped(key), qr_svg=svg.replace("<svg ", '<svg role="img" ', 1))


def _check(device: Device, code: str) -> bool:
    """Whether ``device`` takes ``code``; raises :class:`WrongCode` while it is throttled.

    Call inside a transaction, with the device locked (``select_for_update``), so two
    requests cannot both use one code.
    """
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise WrongCode(
            "After a wrong code the next one is checked only after a wait, which doubles with "
            "each wrong code: wait a little, then enter the code your app shows then."
        )
    return bool(device.verify_token(code))


def verify(user: Any, code: str) -> Device:
    """The device that takes ``code`` (the app's current code, or an unused recovery code),
    after which that code works no more; raises :class:`WrongCode` otherwise.

    A recovery code is used up by this; the app's code cannot be used again (django-otp
    keeps the time step of the last code taken).
    """
    typed = normalise(code)
    with transaction.atomic():
        if _APP_CODE.fullmatch(typed):
            device: Device | None = (
                TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            )
            token = typed
        elif _RECOVERY_CODE.fullmatch(typed):
            device = (
                StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            )
            token = _hashed(typed)
        else:
            raise WrongCode(
                "Enter the 6-digit code your authenticator app shows now, or one of your "
                "recovery codes (16 letters and digits)."
            )
        if device is not None and _check(device, token):
            return device
    raise WrongCode(
        "That code is not right. Enter the code your authenticator app shows now (it changes "
        "every 30 seconds), or a recovery code you have not used before."
    )


def confirm(user: Any, code: str) -> tuple[TOTPDevice, list[str]]:
    """Switch two-factor sign-in on with the first code of the app being set up; returns the
    app and the person's new recovery codes (to be shown once: only their hashes are kept).

    Raises :class:`WrongCode` for a code the app did not make now, and :class:`InvalidInput`
    when there is nothing being set up (two-factor is on already, or the set-up page was
    never opened).
    """
    typed = normalise(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None or is_on(user):
            raise InvalidInput(
                {"code": "There is no app being set up: open the set-up page and start again."}
            )
        # A wrong code is counted by the device (its wait grows): that must be kept, so the
        # error is raised once this transaction is over.
        taken = bool(_APP_CODE.fullmatch(typed)) and _check(device, typed)
        if taken:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record(
                user,
                AuditEvent.Action.CREATE,
                device,
                evaluation_id=None,
                summary=f"Switched two-factor sign-in on for {user.get_username()}",
                after={"device": APP_NAME},
            )
            codes = _replace_recovery_codes(user)
    if not taken:
        raise WrongCode(
            "That code is not right. Enter the 6-digit code your authenticator app shows "
            "now for this account; if the app has no entry for it, scan the QR code again."
        )
    return device, codes


def _replace_recovery_codes(user: Any) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=_hashed(c)) for c in codes)
    return codes


def new_recovery_codes(user: Any, code: str) -> list[str]:
    """New recovery codes for a person with two-factor on, given a current code (the app's,
    or a recovery code); every earlier recovery code stops working. Raises
    :class:`WrongCode`, or :class:`InvalidInput` when two-factor is off."""
    if not is_on(user):
        raise InvalidInput({"code": "Two-factor sign-in is off: switch it on first."})
    # Checked in a transaction of its own, so that a wrong code is counted.
    verify(user, code)
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        record(
            user,
            AuditEvent.Action.CHANGE,
            StaticDevice.objects.get(user=user, name=RECOVERY_NAME),
            evaluation_id=None,
            summary=f"Made new recovery codes for {user.get_username()}; the old ones stopped",
            after={"recovery_codes": len(codes)},
        )
    return codes


def switch_off(user: Any, *, password: str, code: str) -> None:
    """Switch two-factor sign-in off, given the person's password and a current code: every
    device goes, with its recovery codes. Raises :class:`InvalidInput` for a wrong password
    (the code is then not checked, nor used up) and :class:`WrongCode` for a wrong code."""
    if not is_on(user):
        raise InvalidInput({"code": "Two-factor sign-in is off already."})
    if not user.check_password(password):
        raise InvalidInput({"password": "That is not your password: enter it again."})
    device = verify(user, code)
    with transaction.atomic():
        record(
            user,
            AuditEvent.Action.DELETE,
            device,
            evaluation_id=None,
            summary=f"Switched two-factor sign-in off for {user.get_username()}",
            before={"device": device.name},
        )
        remove_devices(user)


def remove_devices(user: Any) -> None:
    """Delete every two-factor device of ``user``: apps (switched on or being set up) and
    recovery codes. Audit it where it is called."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def switch_off_for(username: str) -> None:
    """Switch two-factor sign-in off for a person who has lost both their app and their
    recovery codes (``peerprinciples user two-factor-off``), once whoever runs the site is
    sure who is asking; they sign in with their password and can set it up again.

    Raises ``SystemExit`` naming the account when it does not exist or has two-factor off,
    so the command line stops with that message.
    """
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise SystemExit(f"error: there is no account '{username}'.")
    device = app_of(user)
    if device is None:
        raise SystemExit(f"error: two-factor sign-in is off for '{username}' already.")
    with transaction.atomic():
        record(
            None,
            AuditEvent.Action.DELETE,
            device,
            evaluation_id=None,
            summary=f"Switched two-factor sign-in off for {username} from the command line",
            before={"device": device.name},
        )
        remove_devices(user)
