"""Signing in and out, passwords, and the home page listing a person's evaluations.

The account views are Django's own, marked for the permission table: signing in and the
password reset are open to anyone; changing a password needs a signed-in person. Signing in
asks for a code as well when the person has two-factor sign-in on (``two_factor_views``).
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from peerprinciples.web.accounts.two_factor_views import SignInView
from peerprinciples.web.coproduction import models as coproduction
from peerprinciples.web.evaluations.models import Evaluation, Membership
from peerprinciples.web.permissions import public, signed_in
from peerprinciples.web.practice.services.programmes import programmes_of

login = public(SignInView.as_view())
logout = public(auth_views.LogoutView.as_view())
password_change = signed_in(auth_views.PasswordChangeView.as_view())
password_change_done = signed_in(auth_views.PasswordChangeDoneView.as_view())
password_reset = public(auth_views.PasswordResetView.as_view())
password_reset_done = public(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = public(auth_views.PasswordResetConfirmView.as_view())
password_reset_complete = public(auth_views.PasswordResetCompleteView.as_view())


@signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The evaluations the person belongs to, with their role in each, and their
    co-production projects with the stage each has reached, and their programmes putting
    principles into practice."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("evaluation")
        .prefetch_related("services")
        .order_by("evaluation__name")
    )
    projects = (
        coproduction.Member.objects.filter(user=request.user)
        .select_related("project")
        .order_by("project__name")
    )
    context = {
        "memberships": memberships,
        "project_memberships": projects,
        "programme_memberships": programmes_of(request.user),
    }
    return render(request, "accounts/home.html", context)


@public
@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: "ok" once the database answers one indexed query."""
    Evaluation.objects.order_by("pk").values_list("pk", flat=True).first()
    return HttpResponse("ok\n", content_type="text/plain")
