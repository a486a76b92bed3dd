"""URLs of the interviews app (inside ``evaluations/<evaluation_id>/interviews/``)."""

from __future__ import annotations

from django.urls import path

from peerprinciples.web.erasure import views as erasure
from peerprinciples.web.interviews import consent_views, views

app_name = "interviews"
urlpatterns = [
    path("", views.interview_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:interview_id>/", views.detail, name="detail"),
    path("<int:interview_id>/double-rating/", views.double_rating, name="double_rating"),
    path("<int:interview_id>/rating/", views.rate, name="rate"),
    path("<int:interview_id>/sheets/<int:sheet_id>/", views.sheet, name="sheet"),
    path("<int:interview_id>/consensus/", views.consensus, name="consensus"),
    path("<int:interview_id>/consent/", consent_views.consent, name="consent"),
    path("<int:interview_id>/withdrawal/", consent_views.withdraw, name="withdraw"),
    path("<int:interview_id>/erasure/", erasure.erase_interview, name="erase"),
]
