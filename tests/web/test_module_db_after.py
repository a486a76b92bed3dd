"""Nothing made once for another module's tests (test_module_db.py) is left for the next."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_no_data_made_once_for_another_module_is_left() -> None:
    assert not get_user_model().objects.filter(username="made-once").exists()
