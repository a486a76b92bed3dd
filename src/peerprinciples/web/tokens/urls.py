"""URLs of a person's access tokens."""

from __future__ import annotations

from django.urls import path

from peerprinciples.web.tokens import views

app_name = "tokens"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.make, name="make"),
    path("<int:token_id>/revoke/", views.revoke, name="revoke"),
]
