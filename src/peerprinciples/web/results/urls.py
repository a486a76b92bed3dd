"""URLs of the results app."""

from __future__ import annotations

from django.urls import path

app_name = "results"
urlpatterns: list[object] = []
