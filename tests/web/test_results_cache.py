"""Results kept in the cache are never stale and never shown to the wrong reader.

Results pages keep their results, and their rendered results, under the evaluation's results
version and the reader's role and services. These stories change what the pages depend on
(an interview made final, a consensus, an import, a service added, a member's services) and
check that every page shows the change at once, and that a page rendered for one reader is
never served to another whose view differs.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.results_fixtures import (
    Scored,
    cells,
    count_of,
    mean_of,
    scored_fixture,  # noqa: F401 (the scored fixture)
    text,
)
from tests.web.test_transfers_import import as_csv, save_url, two_interviews, upload

from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.interviews import services as rating
from peerprinciples.web.interviews.models import Interview, InterviewScore
from peerprinciples.web.library.models import StoredInstrument
from peerprinciples.web.permissions import Action, access_for
from peerprinciples.web.results import services as results
from peerprinciples.web.transfers.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _import_folder(settings: Any, tmp_path: Any) -> None:
    settings.PEERPRINCIPLES_IMPORT_DIR = tmp_path / "imports"


def _overview(team: Team) -> str:
    return reverse("results:overview", args=[team.evaluation.pk])


def _report(team: Team) -> str:
    return reverse("results:report", args=[team.evaluation.pk, team.service_a.pk])


def _page(team: Team, user: Any, url: str) -> str:
    response = team.client_for(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _final(team: Team, code: str, value: str) -> Interview:
    """An interview in service A rated ``value`` on every item and made final."""
    interview = team.interview(code)
    team.rate(interview, team.rater, dict.fromkeys(team.item_keys(), value))
    interview.refresh_from_db()
    assert interview.status == Interview.Status.FINAL
    return interview


def _version(team: Team) -> int:
    return Evaluation.objects.get(pk=team.evaluation.pk).results_version


def _stored_total(team: Team) -> float:
    """The mean total score of the stored scores, read past every cache."""
    totals = InterviewScore.objects.filter(evaluation=team.evaluation).values_list(
        "total", flat=True
    )
    return round(sum(totals) / len(totals), 2)


def test_the_dashboard_and_report_count_an_interview_as_soon_as_it_is_final(team: Team) -> None:
    assert "No interview is final yet" in _page(team, team.lead, _overview(team))
    _page(team, team.lead, _report(team))

    _final(team, "I-0001", "4")
    overview = _page(team, team.lead, _overview(team))
    assert "1 final interview." in text(overview)
    total = cells(overview)["cell:total/all/all"]
    assert (mean_of(total), count_of(total)) == (_stored_total(team), 1)
    assert "1 final interview" in text(_page(team, team.lead, _report(team)))

    _final(team, "I-0002", "1")
    overview = _page(team, team.lead, _overview(team))
    assert "2 final interviews." in text(overview)
    total = cells(overview)["cell:total/all/all"]
    assert (mean_of(total), count_of(total)) == (_stored_total(team), 2)
    report = _page(team, team.lead, _report(team))
    assert "2 final interviews" in text(report)
    assert mean_of(cells(report)["cell:total/all/all"]) == _stored_total(team)


def test_a_consensus_changes_the_numbers_at_once(team: Team) -> None:
    interview = team.interview("I-0001", double_rated=True)
    team.rate(interview, team.rater, dict.fromkeys(team.item_keys(), "4"))
    team.rate(interview, team.second_rater, dict.fromkeys(team.item_keys(), "2"))
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CONSENSUS
    assert "No interview is final yet" in _page(team, team.lead, _overview(team))

    answers = rating.parse_answers(
        team.instrument, interview.informant, dict.fromkeys(team.item_keys(), "2")
    )
    rating.record_consensus(
        team.lead, interview, answers=answers, reasons={}, expected_version=interview.version
    )
    overview = _page(team, team.lead, _overview(team))
    total = cells(overview)["cell:total/all/all"]
    assert (mean_of(total), count_of(total)) == (_stored_total(team), 1)
    assert InterviewScore.objects.get(interview=interview).total is not None


def test_an_import_changes_the_numbers_at_once(team: Team) -> None:
    client = team.client_for(team.lead)
    assert "No interview is final yet" in client.get(_overview(team)).content.decode()
    upload(client, team, as_csv(two_interviews(team)))
    before = _version(team)
    client.post(save_url(team, ImportBatch.objects.get()))
    assert ImportBatch.objects.get().status == ImportBatch.Status.SAVED
    assert _version(team) > before
    assert "2 final interviews." in text(client.get(_overview(team)).content.decode())


def test_the_quality_page_counts_a_new_final_interview(scored: Scored) -> None:
    team = scored.team
    url = reverse("results:psychometrics", args=[team.evaluation.pk])
    assert "Based on 36 final interviews" in text(_page(team, team.lead, url))
    _final(team, "I-NEW", "3")
    assert "Based on 37 final interviews" in text(_page(team, team.lead, url))


def test_a_service_added_is_listed_at_once(team: Team) -> None:
    assert "Service C" not in _page(team, team.lead, _overview(team))
    setup.add_service(team.lead, team.evaluation, code="C", name="East team")
    assert "Service C (East team)" in _page(team, team.lead, _overview(team))


def _seen(page: str) -> tuple[dict[str, str], bool]:
    """What a results page shows: its numbers, and whether it says some are hidden."""
    return cells(page), "Some numbers are hidden to protect privacy" in page


def test_a_viewer_never_gets_the_page_rendered_for_the_lead(scored: Scored) -> None:
    team = scored.team
    for url in (_overview(team), _report(team)):
        cache.clear()
        for_viewer = _seen(_page(team, team.viewer, url))
        cache.clear()
        for_lead = _seen(_page(team, team.lead, url))
        # The lead's page is in the cache now; the viewer's must still be the viewer's.
        assert _seen(_page(team, team.viewer, url)) == for_viewer
        assert for_viewer != for_lead
        assert for_viewer[1]
        # And the other way round: the lead is not served the viewer's page.
        assert _seen(_page(team, team.lead, url)) == for_lead
    report = _page(team, team.viewer, _report(team))
    assert "Hidden: fewer than 5 interviews" in report


def test_a_rater_gets_links_to_their_own_services_only_whatever_the_lead_saw(team: Team) -> None:
    _final(team, "I-0001", "3")
    lead_page = _page(team, team.lead, _overview(team))
    assert reverse("results:service", args=[team.evaluation.pk, team.service_b.pk]) in lead_page
    rater_page = _page(team, team.rater, _overview(team))
    assert reverse("results:service", args=[team.evaluation.pk, team.service_b.pk]) not in (
        rater_page
    )
    assert "not among your services" in rater_page


def test_a_coordinator_given_another_service_gets_its_link_at_once(team: Team) -> None:
    link_b = reverse("results:service", args=[team.evaluation.pk, team.service_b.pk])
    assert link_b not in _page(team, team.coordinator, _overview(team))
    team.give_both_services(team.coordinator)
    assert link_b in _page(team, team.coordinator, _overview(team))


def test_a_cache_key_changes_with_the_results_version_and_the_evaluation(team: Team) -> None:
    evaluation = Evaluation.objects.get(pk=team.evaluation.pk)
    key = results.cache_key(evaluation, "page")
    assert results.cache_key(evaluation, "page") == key
    assert results.cache_key(evaluation, "other") != key
    Evaluation.results_changed(evaluation.pk)
    evaluation.refresh_from_db()
    assert results.cache_key(evaluation, "page") != key
    other = Evaluation.objects.get(pk=team.other_evaluation.pk)
    other.results_version = evaluation.results_version
    assert results.cache_key(other, "page") != results.cache_key(evaluation, "page")


def test_setting_up_services_rounds_and_peer_workers_marks_the_results_changed(
    team: Team,
) -> None:
    versions = [_version(team)]
    setup.add_service(team.lead, team.evaluation, code="C")
    versions.append(_version(team))
    setup.add_round(team.lead, team.evaluation, number=2)
    versions.append(_version(team))
    setup.add_peer_worker(team.lead, team.evaluation, service=team.service_a, code="PW-A2")
    versions.append(_version(team))
    setup.set_withdrawn(team.lead, team.evaluation, team.worker_a, True)
    versions.append(_version(team))
    assert versions == sorted(set(versions))


def test_pages_load_the_pinned_documents_only_once_per_process(
    team: Team, rf: Any, django_assert_num_queries: Any
) -> None:
    request = rf.get("/")
    request.user = team.lead
    first = access_for(request, team.evaluation.pk, Action.VIEW_AGGREGATES).evaluation
    model = first.instrument.model()
    framework = first.framework.model()
    request.user = type(team.lead).objects.get(pk=team.lead.pk)
    again = access_for(request, team.evaluation.pk, Action.VIEW_AGGREGATES).evaluation
    assert "document" in again.instrument.get_deferred_fields()
    assert "document" in again.framework.get_deferred_fields()
    with django_assert_num_queries(0):
        assert again.instrument.model() is model
        assert again.framework.model() is framework
    assert StoredInstrument.objects.get(pk=team.stored_instrument.pk).model() is model


def test_a_viewer_s_service_pages_share_one_set_of_protected_summaries(scored: Scored) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    team = scored.team

    def report(service: Any) -> str:
        return reverse("results:report", args=[team.evaluation.pk, service.pk])

    cache.clear()
    fresh_b = _page(team, team.viewer, report(team.service_b))
    cache.clear()
    _page(team, team.viewer, report(team.service_a))  # works out the whole evaluation's
    client = team.client_for(team.viewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(report(team.service_b))
    assert response.status_code == 200
    assert not [q for q in queries if "interviews_interviewscore" in q["sql"]]
    shared_b = response.content.decode()
    # The same numbers, hidden cells and count of interviews as when worked out afresh.
    assert _seen(shared_b) == _seen(fresh_b)
    assert _seen(shared_b)[0]
    counted = re.search(r"(\d+) final interviews?", text(shared_b))
    assert counted is not None
    assert counted.group(0) in text(fresh_b)
    assert (
        int(counted.group(1))
        == InterviewScore.objects.filter(evaluation=team.evaluation, service=team.service_b).count()
    )
