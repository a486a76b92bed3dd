"""Two people moving cards in the same sort at the same moment, on PostgreSQL: the second
waits for the first to finish, then is refused rather than writing over the first."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction
from tests.web.coproduction_sorting_fixtures import (
    Sorting,
    sorting_fixture,  # noqa: F401 (the sorting fixture)
)

from peerprinciples.web.coproduction.models import GroupSort
from peerprinciples.web.coproduction.services import sorting as services
from peerprinciples.web.errors import StaleEdit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks that wait are PostgreSQL's"
    ),
]


def test_a_move_waits_for_a_move_under_way_and_is_then_refused(sorting: Sorting) -> None:
    owner = sorting.group_sort()
    trust = sorting.pile(owner, "Trust")
    outcome: dict[str, Any] = {}

    def second_window() -> None:
        try:
            services.place_cards(
                sorting.panel.facilitator,
                GroupSort.objects.get(pk=owner.pk),
                {sorting.card(2).pk: trust.pk},
                expected_version=1,
            )
            outcome["result"] = "saved"
        except StaleEdit as error:
            outcome["result"] = str(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        # The first window's move holds the sort's row while it writes.
        services.place_cards(
            sorting.panel.facilitator, owner, {sorting.card(1).pk: trust.pk}, expected_version=1
        )
        other = threading.Thread(target=second_window)
        other.start()
        other.join(timeout=0.5)
        assert other.is_alive(), "the second move did not wait for the first"
    other.join(timeout=10)
    assert outcome["result"].startswith("Someone else changed this group sort")
    assert sorting.where(owner) == {1: "Trust"}
    owner.refresh_from_db()
    assert owner.version == 2
