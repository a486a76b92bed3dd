"""URLs of the evaluations app."""

from __future__ import annotations

from django.urls import path

from peerprinciples.web.erasure import views as erasure
from peerprinciples.web.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("new/", views.create, name="create"),
    path("<int:evaluation_id>/", views.detail, name="detail"),
    path("<int:evaluation_id>/services/add/", views.add_service, name="add_service"),
    path("<int:evaluation_id>/peer-workers/add/", views.add_peer_worker, name="add_peer_worker"),
    path(
        "<int:evaluation_id>/peer-workers/<int:peer_worker_id>/withdrawal/",
        views.withdrawal,
        name="withdrawal",
    ),
    path(
        "<int:evaluation_id>/peer-workers/<int:peer_worker_id>/erasure/",
        erasure.erase_peer_worker,
        name="erase_peer_worker",
    ),
    path(
        "<int:evaluation_id>/peer-workers/<int:peer_worker_id>/account/",
        views.link_account,
        name="link_account",
    ),
    path("<int:evaluation_id>/sharing/", views.sharing, name="sharing"),
    path(
        "<int:evaluation_id>/withdrawal-protocol/",
        views.withdrawal_protocol,
        name="withdrawal_protocol",
    ),
    path("<int:evaluation_id>/rounds/add/", views.add_round, name="add_round"),
    path("<int:evaluation_id>/members/add/", views.add_member, name="add_member"),
]
