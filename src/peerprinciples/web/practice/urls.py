"""URLs of the practice app (inside ``practice/``)."""

from __future__ import annotations

from django.urls import path

from peerprinciples.web.practice.views import (
    cells,
    compare,
    framework,
    gaps,
    handbook,
    history,
    programmes,
    versions,
)

app_name = "practice"
P = "<int:programme_id>/"
C = P + "cells/<slug:area>/<slug:principle>/"
urlpatterns = [
    # Programmes, their settings, members, areas and framework version: views/programmes.py
    path("", programmes.index, name="index"),
    path("new/", programmes.create, name="create"),
    path(P, programmes.matrix, name="matrix"),
    path(P + "settings/", programmes.settings, name="settings"),
    path(P + "members/", programmes.members, name="members"),
    path(P + "areas/", programmes.areas, name="areas"),
    path(P + "framework/", framework.framework, name="framework"),
    # One cell, its prompt and its history; the whole matrix's history: views/cells.py
    path(C, cells.cell, name="cell"),
    path(C + "prompt/", cells.prompt, name="prompt"),
    path(C + "history/", history.cell_history, name="cell_history"),
    path(P + "history/", history.history, name="history"),
    path(P + "matrix.csv", cells.matrix_csv, name="matrix_csv"),
    # Numbered versions of the matrix, compared cell by cell: views/versions.py
    path(P + "versions/", versions.versions, name="versions"),
    path(P + "versions/compare/", versions.compare_versions, name="compare_versions"),
    # Gaps at a glance, beside fidelity results and reflection actions: views/gaps.py
    path(P + "gaps/", gaps.gaps, name="gaps"),
    path(C + "actions/", gaps.cell_actions, name="cell_actions"),
    # The handbook and the programme's own sections: views/handbook.py
    path(P + "handbook/", handbook.handbook, name="handbook"),
    path(P + "handbook/handbook.<str:fmt>", handbook.download, name="handbook_download"),
    path(P + "handbook/sections/", handbook.sections, name="sections"),
    path(P + "handbook/sections/<int:section_id>/", handbook.section, name="section"),
    # Side by side with another programme that shares its matrix: views/compare.py
    path(P + "compare/", compare.compare, name="compare"),
    path(P + "compare/<int:other_id>/", compare.side_by_side, name="side_by_side"),
]
