"""URLs of the imports and exports app, under ``evaluations/<evaluation_id>/data/``."""

from __future__ import annotations

from django.urls import path

from peerprinciples.web.transfers import views

app_name = "transfers"
urlpatterns = [
    path("import/", views.import_ratings, name="import"),
    path("import/<int:batch_id>/", views.preview, name="preview"),
    path("import/<int:batch_id>/save/", views.save, name="save"),
    path("export/", views.export, name="export"),
]
