"""URLs of the reflection app (inside ``evaluations/<evaluation_id>/reflection/``)."""

from __future__ import annotations

from django.urls import path

from peerprinciples.web.reflection.views import actions, cycles, reports

app_name = "reflection"
urlpatterns = [
    # Running a cycle: views/cycles.py
    path("", cycles.index, name="index"),
    path("open/", cycles.open_cycle, name="open"),
    path("cycles/<int:cycle_id>/", cycles.cycle, name="cycle"),
    path("cycles/<int:cycle_id>/participants/", cycles.participants, name="participants"),
    path("cycles/<int:cycle_id>/principles/<slug:principle>/", cycles.reflect, name="reflect"),
    path("cycles/<int:cycle_id>/conditions/", cycles.conditions, name="conditions"),
    path("cycles/<int:cycle_id>/self-assessment/", cycles.self_assess, name="self_assess"),
    path("cycles/<int:cycle_id>/finish/", cycles.finish, name="finish"),
    # Actions and looking back at them: views/actions.py
    path("cycles/<int:cycle_id>/actions/add/", actions.add_action, name="add_action"),
    path("actions/<int:action_id>/", actions.action, name="action"),
    path("cycles/<int:cycle_id>/look-back/", actions.look_back, name="look_back"),
    path("cycles/<int:cycle_id>/review/<int:action_id>/", actions.review_action, name="review"),
    # The timeline, the cycle's report, replies and release: views/reports.py
    path("services/<int:service_id>/timeline/", reports.timeline, name="timeline"),
    path("cycles/<int:cycle_id>/report/", reports.report, name="report"),
    path("cycles/<int:cycle_id>/reply/", reports.reply, name="reply"),
    path("cycles/<int:cycle_id>/release/", reports.release, name="release"),
]
