"""A person's own access tokens: the list, making one (its secret shown once), revoking one.

Tokens are personal: the pages show and revoke only the signed-in person's own, and
someone else's token is not found (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerprinciples.web.errors import DomainError
from peerprinciples.web.evaluations.models import Evaluation, Membership
from peerprinciples.web.permissions import signed_in
from peerprinciples.web.tokens.forms import MakeTokenForm
from peerprinciples.web.tokens.models import AccessToken
from peerprinciples.web.tokens.services import make_token, revoke_token


def _memberships(request: HttpRequest) -> list[Membership]:
    return list(
        Membership.objects.filter(user=request.user)
        .select_related("evaluation")
        .order_by("evaluation__name")
    )


@signed_in
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The person's tokens, newest first, with their state and last use."""
    tokens = AccessToken.objects.filter(user=request.user).select_related("evaluation")
    return render(request, "tokens/index.html", {"tokens": tokens, "nav": "tokens"})


@signed_in
@never_cache
@require_http_methods(["GET", "POST"])
def make(request: HttpRequest) -> HttpResponse:
    """Make a token; the page answering the POST shows its secret, once, and is not cached."""
    memberships = _memberships(request)
    form = MakeTokenForm(
        request.POST if request.method == "POST" else None, memberships=memberships
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        evaluation = Evaluation.objects.get(pk=data["evaluation"])
        try:
            made = make_token(
                request.user, evaluation, name=data["name"], role=data["role"], days=data["days"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return render(request, "tokens/made.html", {"made": made, "nav": "tokens"})
    status = 400 if form.errors else 200
    context = {"form": form, "has_evaluations": bool(memberships), "nav": "tokens"}
    return render(request, "tokens/make.html", context, status=status)


@signed_in
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Stop one of the person's tokens working."""
    token = AccessToken.objects.filter(user=request.user, pk=token_id).first()
    if token is None:
        raise Http404("No such token of yours.")
    revoke_token(request.user, token)
    messages.success(
        request, f"The token “{token.name}” ({token.prefix}…) no longer works. It stays listed."
    )
    return redirect("tokens:index")
