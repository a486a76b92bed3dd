"""Data made once for a module (``module_db``): every test starts from it as made, whatever
the test before changed, and none of it outlives the module."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def made_once(module_db: None) -> Any:
    return get_user_model().objects.create_user(username="made-once", password="not-used-here")


def test_a_test_may_change_the_shared_data(made_once: Any) -> None:
    get_user_model().objects.filter(pk=made_once.pk).delete()
    get_user_model().objects.create_user(username="made-by-a-test")
    assert not get_user_model().objects.filter(username="made-once").exists()


def test_the_next_test_finds_it_as_it_was_made(made_once: Any) -> None:
    names = set(get_user_model().objects.values_list("username", flat=True))
    assert "made-once" in names
    assert "made-by-a-test" not in names


def test_passwords_made_once_are_hashed_the_fast_way(made_once: Any) -> None:
    stored = get_user_model().objects.get(pk=made_once.pk).password
    assert stored.startswith("md5$")
