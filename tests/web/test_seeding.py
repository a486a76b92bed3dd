"""The national-scale seed, at a small scale: what it creates, its scores, and its refusals.

The same code writes with PostgreSQL's COPY or, on SQLite, with ``bulk_create``; these tests
run on whichever database the test run uses.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerprinciples.cli.seed import register
from peerprinciples.core.library import Library
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.evaluations.models import Evaluation, Membership, PeerWorker, Round, Service
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    InterviewScore,
    Rating,
    RatingSheet,
)
from peerprinciples.web.interviews.scores import refresh_scores
from peerprinciples.web.seeding import (
    NATIONAL_NAME,
    RATER,
    NationalPlan,
    SeedingError,
    SeedResult,
    find_national,
    national_instrument,
    seed_marker,
    seed_national,
)

pytestmark = pytest.mark.django_db

SMALL = NationalPlan(
    services=3,
    peer_workers=10,
    rounds=2,
    interviews=60,
    double_rated=0.2,
    open_interviews=4,
    raters=4,
    seed=7,
)


@pytest.fixture
def seeded(builtin_library: Library) -> SeedResult:
    """A small seed of 3 services, 10 peer workers, 2 rounds and 60 interviews."""
    return seed_national(SMALL, library=builtin_library, progress=False)


def _scores(evaluation: Evaluation) -> dict[int, tuple[dict[str, Any], float | None]]:
    return {
        s.interview_id: (s.domains, s.total)
        for s in InterviewScore.objects.filter(evaluation=evaluation)
    }


def test_the_national_instrument_has_forty_items_asked_of_every_informant(
    builtin_library: Library,
) -> None:
    instrument = national_instrument(builtin_library)
    assert len(instrument.items) == 40
    assert all(len(instrument.items_for(i.key)) == 40 for i in instrument.informants)


def test_a_small_seed_creates_what_the_plan_asks_for(seeded: SeedResult) -> None:
    evaluation = seeded.evaluation
    assert evaluation.name == NATIONAL_NAME
    assert evaluation.is_demo
    assert Service.objects.filter(evaluation=evaluation).count() == 3
    assert PeerWorker.objects.filter(evaluation=evaluation).count() == 10
    assert Round.objects.filter(evaluation=evaluation).count() == 2
    interviews = Interview.objects.filter(evaluation=evaluation)
    assert interviews.count() == 60
    assert interviews.filter(status=Interview.Status.DRAFT).count() == 4
    double = interviews.filter(double_rated=True).count()
    assert double == seeded.counts["double_rated"] > 0
    sheets = RatingSheet.objects.filter(interview__evaluation=evaluation)
    assert sheets.count() == 60 + double == seeded.counts["sheets"]
    ratings = Rating.objects.filter(sheet__interview__evaluation=evaluation).count()
    assert ratings == seeded.counts["ratings"]
    assert ratings == (60 - 4 + double) * 40 + 4 * 20  # open sheets are half filled
    agreed = ConsensusRating.objects.filter(interview__evaluation=evaluation).count()
    assert agreed == double * 40


def test_every_final_interview_has_a_cached_score(seeded: SeedResult) -> None:
    final = set(
        Interview.objects.filter(
            evaluation=seeded.evaluation, status=Interview.Status.FINAL
        ).values_list("pk", flat=True)
    )
    assert set(_scores(seeded.evaluation)) == final
    assert seeded.counts["scores"] == len(final) == 56


def test_the_cached_scores_equal_what_the_web_app_computes_from_the_stored_ratings(
    seeded: SeedResult,
) -> None:
    seeded_scores = _scores(seeded.evaluation)
    refresh_scores(
        Interview.objects.filter(evaluation=seeded.evaluation).select_related(
            "evaluation__instrument"
        )
    )
    recomputed = _scores(seeded.evaluation)
    assert recomputed.keys() == seeded_scores.keys()
    for interview, (domains, total) in seeded_scores.items():
        again, again_total = recomputed[interview]
        assert domains.keys() == again.keys()
        for key, value in domains.items():
            assert (value is None and again[key] is None) or math.isclose(value, again[key])
        assert (total is None and again_total is None) or math.isclose(total, again_total)


def test_open_interviews_wait_for_the_load_test_rater_with_a_half_filled_draft(
    seeded: SeedResult,
) -> None:
    open_sheets = RatingSheet.objects.filter(
        interview__evaluation=seeded.evaluation, interview__status=Interview.Status.DRAFT
    )
    assert {s.rater.username for s in open_sheets} == {RATER}
    assert {s.status for s in open_sheets} == {RatingSheet.Status.DRAFT}
    member = Membership.objects.get(evaluation=seeded.evaluation, user__username=RATER)
    services = set(member.services.values_list("pk", flat=True))
    assert {s.interview.service_id for s in open_sheets} <= services


def test_the_load_test_accounts_sign_in_with_the_passwords_given_once(
    seeded: SeedResult,
) -> None:
    evaluation = seeded.evaluation

    def signed_in(username: str) -> Client:
        client = Client()
        form = {"username": username, "password": seeded.passwords[username]}
        answer = client.post(reverse("login"), form)
        assert answer.status_code == 302, answer.content.decode()[:500]
        return client

    rater = signed_in(RATER)
    interview = Interview.objects.filter(
        evaluation=evaluation, status=Interview.Status.DRAFT
    ).first()
    assert interview is not None
    page = rater.get(reverse("interviews:rate", args=[evaluation.pk, interview.pk]))
    assert page.status_code == 200
    lead = signed_in("bench-lead")
    assert lead.get(reverse("results:overview", args=[evaluation.pk])).status_code == 200


def test_a_second_seed_is_refused_and_leaves_the_first_untouched(
    seeded: SeedResult, builtin_library: Library
) -> None:
    with pytest.raises(SeedingError, match="already there"):
        seed_national(SMALL, library=builtin_library, progress=False)
    assert Evaluation.objects.filter(name=NATIONAL_NAME).count() == 1
    assert Interview.objects.filter(evaluation=seeded.evaluation).count() == 60


def test_replacing_a_seed_deletes_the_old_one_and_records_the_new_marker(
    seeded: SeedResult, builtin_library: Library
) -> None:
    other = NationalPlan(**{**SMALL.__dict__, "seed": 8})
    again = seed_national(other, library=builtin_library, replace=True, progress=False)
    assert Evaluation.objects.filter(name=NATIONAL_NAME).count() == 1
    assert find_national() == again.evaluation != seeded.evaluation
    assert seed_marker(again.evaluation) == other.marker != SMALL.marker
    assert not Interview.objects.filter(evaluation_id=seeded.evaluation.pk).exists()
    assert AuditEvent.objects.filter(
        evaluation_id=seeded.evaluation.pk, action=AuditEvent.Action.DELETE
    ).exists()


def test_the_command_seeds_once_then_refuses_with_exit_code_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], builtin_library: Library
) -> None:
    monkeypatch.setattr("peerprinciples.web.serve.prepare", lambda verbosity=0: None)
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(
        [
            "seed-national",
            "--services",
            "2",
            "--peer-workers",
            "4",
            "--rounds",
            "1",
            "--interviews",
            "50",
            "--quiet",
        ]
    )
    assert args.handler(args, builtin_library) == 0
    out = capsys.readouterr().out
    assert "50 interviews" in out
    assert "bench-lead: password " in out
    assert args.handler(args, builtin_library) == 1
    assert "already there" in capsys.readouterr().err
