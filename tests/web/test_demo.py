"""The demo evaluation: created once, with its services, rounds, peer workers and scores, and
fresh passwords for the demo accounts at every start."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from peerprinciples.core.library import Library
from peerprinciples.web.accounts.services import reset_password
from peerprinciples.web.demo import ACCOUNTS, DEMO_NAME, ensure_demo
from peerprinciples.web.evaluations.models import Evaluation, PeerWorker, Round, Service
from peerprinciples.web.interviews.models import Interview, InterviewScore
from peerprinciples.web.library.services import load_library

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_library(builtin_library: Library) -> None:
    load_library(builtin_library)


def test_the_demo_is_created_once_with_its_set_up_and_cached_scores(stored_library: None) -> None:
    evaluation, passwords = ensure_demo()
    assert evaluation.name == DEMO_NAME
    assert evaluation.is_demo
    assert set(passwords) == set(ACCOUNTS)
    services = Service.objects.filter(evaluation=evaluation)
    assert [s.code for s in services.order_by("code")] == ["S01", "S02", "S03", "S04"]
    assert all(s.name == f"Demo team {s.code[1:]}" for s in services)
    assert list(
        Round.objects.filter(evaluation=evaluation)
        .order_by("number")
        .values_list("number", "label")
    ) == [(1, "Review 1"), (2, "Review 2")]
    workers = PeerWorker.objects.filter(evaluation=evaluation).select_related("service")
    assert workers.exists()
    assert all(w.service.evaluation_id == evaluation.pk for w in workers)
    interviews = Interview.objects.filter(evaluation=evaluation)
    final = interviews.filter(status=Interview.Status.FINAL).count()
    assert 0 < final < interviews.count()  # some wait for consensus
    assert InterviewScore.objects.filter(evaluation=evaluation).count() == final

    again, fresh = ensure_demo()
    assert again.pk == evaluation.pk
    assert Evaluation.objects.filter(name=DEMO_NAME).count() == 1
    assert all(fresh[name] != passwords[name] for name in ACCOUNTS)


def test_a_new_password_signs_in_and_an_unknown_account_is_named() -> None:
    password = reset_password("someone", create=True)
    assert get_user_model().objects.get(username="someone").check_password(password)
    with pytest.raises(SystemExit, match="there is no account 'nobody'"):
        reset_password("nobody", create=False)
