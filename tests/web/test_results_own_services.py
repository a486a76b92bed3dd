"""Readers whose rights cover some services only cannot read other services' small groups.

A coordinator or rater sees their own services' results in full. The dashboard's numbers
are for the whole evaluation; knowing their own services' interviews, such a reader could
take those away from a whole-evaluation number and read what is left: a group of other
services' interviews. So every whole-evaluation number holding fewer than the threshold of
other services' interviews is hidden from them, and so is any number it could be worked
out from.

In the ``scored`` data every service, round and informant holds 3 interviews, so a round
and informant of the whole evaluation holds 6: 3 of the reader's service A and 3 of B.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from django.urls import reverse
from tests.web.results_fixtures import (
    Scored,
    cells,
    count_of,
    scored_fixture,  # noqa: F401 (the scored fixture)
)

pytestmark = pytest.mark.django_db

OTHERS_TEXT = "from services other than yours"


def _dashboard(scored: Scored, user: Any) -> str:
    url = reverse("results:overview", args=[scored.team.evaluation.pk])
    response = scored.team.client_for(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _counts(frame: pd.DataFrame, cell: str) -> int:
    """Interviews of ``frame`` in a page cell ``cell:<measure>/<round>/<informant>``."""
    _, round_, informant = cell.removeprefix("cell:").split("/")
    chosen = frame
    if round_ != "all":
        chosen = chosen[chosen["round"] == int(round_)]
    if informant != "all":
        chosen = chosen[chosen["informant"] == informant]
    return len(chosen)


def test_no_shown_number_holds_a_small_group_of_other_services(scored: Scored) -> None:
    team = scored.team
    scores = scored.scores()
    others = scores[scores["service"] != team.service_a.code]
    page = cells(_dashboard(scored, team.coordinator))
    whole = {k: v for k, v in page.items() if k.startswith("cell:")}
    assert whole
    hidden, shown = [], []
    for cell, text in whole.items():
        if "Hidden" in text:
            hidden.append(cell)
            continue
        shown.append(cell)
        assert _counts(others, cell) == 0 or _counts(others, cell) >= 5, cell
        # A shown number is the whole evaluation's, own services included.
        assert count_of(text) == _counts(scores, cell)
    # Every round-and-informant cell holds 3 of B's interviews: hidden, and said why.
    small = [c for c in whole if "/all" not in c]
    assert small
    assert all(c in hidden for c in small)
    assert all(OTHERS_TEXT in whole[c] for c in small)
    # The totals over rounds or informants hold 6 or more of B's: shown.
    assert any("/all/" in c for c in shown)
    assert any(c.endswith("/all") for c in shown)
    page_text = _dashboard(scored, team.coordinator)
    assert "taking your own services’ interviews away would show those few" in page_text


def test_the_informant_gap_is_hidden_where_its_numbers_are(scored: Scored) -> None:
    page = cells(_dashboard(scored, scored.team.coordinator))
    gaps = {k: v for k, v in page.items() if k.startswith("gap:")}
    assert gaps
    for cell, text in gaps.items():
        round_ = cell.split("/")[1]
        if round_ != "all":  # its own view's cell is hidden in every round
            assert "Hidden" in text, cell


def test_a_rater_of_one_service_is_protected_the_same_way(scored: Scored) -> None:
    coordinator = cells(_dashboard(scored, scored.team.coordinator))
    rater = cells(_dashboard(scored, scored.team.rater))
    assert rater == coordinator


def test_the_lead_sees_every_number(scored: Scored) -> None:
    page = cells(_dashboard(scored, scored.team.lead))
    assert page
    assert not [text for text in page.values() if "Hidden" in text]
    page_text = _dashboard(scored, scored.team.lead)
    assert OTHERS_TEXT not in page_text
    assert "Some numbers are hidden" not in page_text


def test_a_reader_covering_every_service_sees_every_number(scored: Scored) -> None:
    team = scored.team
    team.give_both_services(team.coordinator)
    assert cells(_dashboard(scored, team.coordinator)) == cells(_dashboard(scored, team.lead))


def test_their_own_service_s_page_shows_every_number(scored: Scored) -> None:
    team = scored.team
    url = reverse("results:service", args=[team.evaluation.pk, team.service_a.pk])
    page = cells(team.client_for(team.coordinator).get(url).content.decode())
    assert page
    assert not [text for text in page.values() if "Hidden" in text]
    assert count_of(page["cell:total/1/peer_worker"]) == 3
