"""Every URL of the web application; each app owns its own patterns."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from peerprinciples.web.api.site import api
from peerprinciples.web.permissions import public

urlpatterns = [
    # Browsers ask for /favicon.ico when a page names no icon (a file, for instance).
    path("favicon.ico", public(RedirectView.as_view(url=static("peerprinciples/favicon.svg")))),
    path("", include("peerprinciples.web.accounts.urls")),
    path("api/v1/", api.urls),
    path("account/tokens/", include("peerprinciples.web.tokens.urls")),
    path("coproduction/", include("peerprinciples.web.coproduction.urls")),
    path("practice/", include("peerprinciples.web.practice.urls")),
    path("evaluations/", include("peerprinciples.web.evaluations.urls")),
    path(
        "evaluations/<int:evaluation_id>/interviews/", include("peerprinciples.web.interviews.urls")
    ),
    path("evaluations/<int:evaluation_id>/results/", include("peerprinciples.web.results.urls")),
    path("evaluations/<int:evaluation_id>/audit/", include("peerprinciples.web.audit.urls")),
    path("evaluations/<int:evaluation_id>/data/", include("peerprinciples.web.transfers.urls")),
    path(
        "evaluations/<int:evaluation_id>/reflection/",
        include("peerprinciples.web.reflection.urls"),
    ),
]
