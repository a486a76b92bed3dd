"""A withdrawn interview leaves the prompts of a reflection too: the results shown beside the
three questions are the stored results, refreshed when an interview is withdrawn."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.results_fixtures import (
    Scored,
    cells,
    count_of,
    scored_fixture,  # noqa: F401 (the scored fixture)
)

from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.library.models import StoredGuide
from peerprinciples.web.reflection.services import cycles as reflection

pytestmark = pytest.mark.django_db


def _counts(scored: Scored, url: str) -> dict[str, int]:
    response = scored.team.client_for(scored.team.facilitator).get(url)
    assert response.status_code == 200
    return {
        key: count_of(value)
        for key, value in cells(response.content.decode()).items()
        if key.startswith("cell:") and not value.strip().startswith("Hidden")
    }


@pytest.mark.parametrize("choice", ["erase", "keep_anonymised"])
def test_a_withdrawn_interview_no_longer_counts_in_a_reflections_prompts(
    scored: Scored, choice: str
) -> None:
    team = scored.team
    interview = Interview.objects.filter(
        evaluation=team.evaluation, service=team.service_a, round=team.round
    ).first()
    assert interview is not None
    cycle = reflection.open_cycle(
        team.lead,
        team.evaluation,
        service=team.service_a,
        round=team.round,
        guide=StoredGuide.objects.get(key="enrich-reflection"),
    )
    url = reverse("reflection:reflect", args=[team.evaluation.pk, cycle.pk, "relationships"])
    before = _counts(scored, url)
    totals = [key for key in before if key.endswith(f"/{team.round.number}/all")]
    assert totals, f"no shown total for round {team.round.number}: {sorted(before)}"

    if choice == "keep_anonymised":
        team.evaluation.withdrawal_keeps_anonymised = True
        team.evaluation.save(update_fields=["withdrawal_keeps_anonymised"])
    response = team.client_for(team.lead).post(
        reverse("interviews:withdraw", args=[team.evaluation.pk, interview.pk]),
        {"choice": choice, "version": interview.version},
    )
    assert response.status_code == 302

    after = _counts(scored, url)
    for key in totals:
        # Erased: one interview fewer. Kept anonymised: still counted in the group's results.
        expected = before[key] - 1 if choice == "erase" else before[key]
        assert after.get(key) == expected, (key, before[key], after.get(key))
