"""The new-project form: how it labels the base framework and which frameworks it offers."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.web.conftest import Panel

pytestmark = pytest.mark.django_db


def _label(page: str, field: str) -> str:
    found = re.search(rf'<label for="id_{field}">(.*?)</label>', page, re.S)
    assert found is not None, f"no label for {field}"
    return found.group(1)


def test_the_base_framework_says_when_it_is_needed_not_optional(panel: Panel) -> None:
    page = panel.client_for(panel.outsider).get(reverse("coproduction:create")).content.decode()
    label = _label(page, "base_framework")
    assert "(optional)" not in label
    assert "needed for a local adaptation" in label
    # A field that is simply optional still says so.
    assert "(optional)" in _label(page, "framework_key")
