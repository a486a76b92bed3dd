"""Two-factor sign-in pages: the code after the password, and setting it up, renewing the
recovery codes and switching it off.

Signing in with two-factor on takes two steps. The password form works as before; when the
password is right and the person has an authenticator app switched on, nobody is signed in
yet: the session only remembers who gave the right password, and when, and the code page
asks for a code. Only a right code signs in (Django's ``login``, with django-otp's device,
so ``request.user.is_verified()`` holds for the rest of the session). A wrong code counts
as a failed sign-in for django-axes, like a wrong password: a few in a row pause signing in
to that account from that address, so nobody can guess codes with a stolen password.
"""

from __future__ import annotations

import time
from typing import Any

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.web.accounts import two_factor
from peerprinciples.web.errors import InvalidInput
from peerprinciples.web.permissions import public, signed_in

PENDING = "_pp_two_factor_pending"
"""The session key holding who gave the right password, when, and where they were going."""

CODE_HINT = (
    "The 6-digit code your authenticator app shows now, or one of your recovery codes "
    "(spaces and hyphens do not matter)."
)


class CodeForm(forms.Form):
    """One code: the app's, or a recovery code where the page says so."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text=CODE_HINT,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter a code: " + CODE_HINT[0].lower() + CODE_HINT[1:]},
    )

    def add_problems(self, error: InvalidInput) -> None:
        """Show each problem beside its field (or above the form when no field matches)."""
        for name, message in error.problems.items():
            self.add_error(name if name in self.fields else None, message)


class AppCodeForm(CodeForm):
    """The first code from the app being set up."""

    code = forms.CharField(
        label="Code from your app",
        max_length=40,
        help_text="The 6-digit code the app shows for this account now.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the 6-digit code your app shows for this account."},
    )


class SwitchOffForm(CodeForm):
    """The password and a current code, to switch two-factor sign-in off."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )

    field_order = ["password", "code"]


# --- signing in ---------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """Django's sign-in, which asks for a code next when the person has two-factor on."""

    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not two_factor.is_on(user):
            return super().form_valid(form)
        session = self.request.session
        session.cycle_key()
        session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("sign_in_code")


def _pending(request: HttpRequest) -> tuple[Any, str, str] | None:
    """The person who gave the right password in this session, the backend that checked
    it, and where they were going; ``None`` (forgetting it) once too long has passed."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() - int(pending.get("at", 0)) > settings.TWO_FACTOR_SIGN_IN_SECONDS:
        del request.session[PENDING]
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None:
        del request.session[PENDING]
        return None
    return user, str(pending["backend"]), str(pending["next"])


@public
@never_cache
@sensitive_post_parameters("code")
@csrf_protect
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """Ask for a code after the right password; sign in when it is right."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    pending = _pending(request)
    if pending is None:
        messages.info(
            request,
            "Enter your user name and password again: signing in waits "
            f"{settings.TWO_FACTOR_SIGN_IN_SECONDS // 60} minutes at most for the code.",
        )
        return redirect("login")
    user, backend, next_url = pending
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        del request.session[PENDING]
        return sign_in_paused(request, credentials)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            device = two_factor.verify(user, form.cleaned_data["code"])
        except two_factor.WrongCode as wrong:
            form.add_error("code", str(wrong))
        else:
            del request.session[PENDING]
            # django-otp keeps the device in the session when Django signs the person in.
            user.otp_device = device
            auth_login(request, user, backend=backend)
            return redirect(next_url)
    if form.errors:
        # A wrong code (or none) counts as a failed sign-in, with the wrong passwords.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            del request.session[PENDING]
            return sign_in_paused(request, credentials)
    context = {"form": form, "username": user.get_username()}
    return render(
        request, "registration/sign_in_code.html", context, status=400 if form.errors else 200
    )


def sign_in_paused(request: HttpRequest, credentials: dict[str, object] | None) -> HttpResponse:
    """The page shown instead of signing in while too many wrong passwords or codes pause
    an account.

    Called by django-axes (``AXES_LOCKOUT_CALLABLE``) and by the code page; HTTP 429, Too
    Many Requests.
    """
    context = {
        "failure_limit": settings.SIGN_IN_FAILURE_LIMIT,
        "pause_minutes": settings.SIGN_IN_PAUSE_MINUTES,
    }
    return render(request, "registration/paused.html", context, status=429)


# --- the account's two-factor pages ---------------------------------------------------------


@signed_in
@never_cache
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Whether two-factor sign-in is on, and what the person can do about it."""
    context = {
        "on": two_factor.is_on(request.user),
        "recovery_left": two_factor.recovery_codes_left(request.user),
        "required": settings.REQUIRE_TWO_FACTOR_FOR_LEADS,
    }
    return render(request, "accounts/two_factor.html", context)


@signed_in
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    """Show the key (as a QR code and as text), and switch two-factor on with a first code;
    then show the recovery codes, once."""
    if two_factor.is_on(request.user):
        messages.info(request, "Two-factor sign-in is on already.")
        return redirect("two_factor")
    form = AppCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            device, codes = two_factor.confirm(request.user, form.cleaned_data["code"])
        except two_factor.WrongCode as wrong:
            form.add_error("code", str(wrong))
        except InvalidInput as error:
            form.add_problems(error)
        else:
            # This session is confirmed by the code just given.
            django_otp.login(request, device)
            return _show_codes(request, codes, first=True)
    context = {"form": form, "setup": two_factor.start_setup(request.user)}
    return render(
        request, "accounts/two_factor_set_up.html", context, status=400 if form.errors else 200
    )


def _show_codes(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    """The page showing new recovery codes: the only time they are shown."""
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "first": first})


@signed_in
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Make new recovery codes, given a current code; the old ones stop working."""
    if not two_factor.is_on(request.user):
        return redirect("two_factor")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            codes = two_factor.new_recovery_codes(request.user, form.cleaned_data["code"])
        except two_factor.WrongCode as wrong:
            form.add_error("code", str(wrong))
        except InvalidInput as error:
            form.add_problems(error)
        else:
            return _show_codes(request, codes, first=False)
    return render(
        request,
        "accounts/two_factor_recovery.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@signed_in
@never_cache
@sensitive_post_parameters("password", "code")
@require_http_methods(["GET", "POST"])
def switch_off(request: HttpRequest) -> HttpResponse:
    """Switch two-factor sign-in off, given the password and a current code."""
    if not two_factor.is_on(request.user):
        return redirect("two_factor")
    form = SwitchOffForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            two_factor.switch_off(
                request.user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
            )
        except two_factor.WrongCode as wrong:
            form.add_error("code", str(wrong))
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(
                request, "Two-factor sign-in is off: signing in asks for your password only."
            )
            return redirect("two_factor")
    return render(
        request, "accounts/two_factor_off.html", {"form": form}, status=400 if form.errors else 200
    )
