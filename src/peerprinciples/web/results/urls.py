"""URLs of the results app (inside ``evaluations/<evaluation_id>/results/``)."""

from __future__ import annotations

from django.urls import path

from peerprinciples.web.results import views

app_name = "results"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("services/<int:service_id>/", views.service, name="service"),
    path("services/<int:service_id>/report/", views.report, name="report"),
    path("peer-workers/<int:peer_worker_id>/", views.peer_worker, name="peer_worker"),
    path("mine/", views.mine, name="mine"),
    path("psychometrics/", views.psychometrics, name="psychometrics"),
]
