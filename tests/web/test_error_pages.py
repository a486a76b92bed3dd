"""Refusals and missing pages explain themselves in plain words and offer a way back."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_refusal_says_it_is_not_part_of_the_role(team) -> None:  # type: ignore[no-untyped-def]
    page = team.client_for(team.viewer).get(reverse("audit:log", args=[team.evaluation.pk]))
    assert page.status_code == 403
    assert b"This is not part of your role" in page.content
    assert b"Back to your evaluations" in page.content


def test_a_missing_page_offers_a_way_back(team) -> None:  # type: ignore[no-untyped-def]
    page = team.client_for(team.outsider).get(
        reverse("evaluations:detail", args=[team.evaluation.pk])
    )
    assert page.status_code == 404
    assert b"We could not find that page" in page.content
    assert b"<main" in page.content
