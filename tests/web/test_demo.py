"""The demo evaluation: created once, with its services, rounds, peer workers and scores, its
reflection cycles, and fresh passwords for the demo accounts at every start.

The demo is built once for the module (see ``module_db``); each test starts from it as built.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone

from peerprinciples.core.library import Library
from peerprinciples.web.accounts.services import reset_password
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.demo import ACCOUNTS, DEMO_NAME, ensure_demo
from peerprinciples.web.evaluations.models import (
    Evaluation,
    Membership,
    PeerWorker,
    Round,
    Service,
)
from peerprinciples.web.interviews.models import Interview, InterviewScore
from peerprinciples.web.library.services import load_library
from peerprinciples.web.permissions import RULES, Access, Action, Role, access_for
from peerprinciples.web.reflection.models import (
    ActionReview,
    ConditionCheck,
    Cycle,
    Reflection,
    SelfAssessment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(module_db: None, builtin_library: Library) -> tuple[Evaluation, dict[str, str]]:
    """The demo evaluation as the first start made it, and the passwords that start gave."""
    load_library(builtin_library)
    return ensure_demo()


@pytest.fixture
def demo(built: tuple[Evaluation, dict[str, str]]) -> Evaluation:
    """The demo evaluation, read afresh for each test."""
    return Evaluation.objects.get(pk=built[0].pk)


def test_the_demo_is_created_once_with_its_set_up_and_cached_scores(
    built: tuple[Evaluation, dict[str, str]],
) -> None:
    evaluation, passwords = built
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


# --- the reflection cycles ----------------------------------------------------------------------


def _access(username: str, evaluation: Evaluation) -> Access:
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(username=username)
    return access_for(request, evaluation.pk, Action.VIEW_EVALUATION)


def _cycles(evaluation: Evaluation) -> dict[tuple[str, int], Cycle]:
    found = Cycle.objects.filter(evaluation=evaluation).select_related("service", "round")
    return {(c.service.code, c.round.number): c for c in found}


def test_the_first_service_has_a_finished_cycle_with_a_released_report_and_the_next_under_way(
    demo: Evaluation,
) -> None:
    cycles = _cycles(demo)
    assert set(cycles) == {("S01", 1), ("S01", 2), ("S02", 2)}
    finished = cycles["S01", 1]
    assert finished.status == Cycle.Status.FINISHED
    assert finished.finished_at is not None
    assert finished.report_status == Cycle.Report.RELEASED
    assert finished.released_by is not None
    assert finished.released_by.username == "demo-lead"
    assert finished.replies_until is not None
    assert finished.released_at is not None
    assert finished.released_at.date() > finished.replies_until
    assert finished.taking_part > 0
    assert cycles["S01", 2].status == Cycle.Status.OPEN
    assert cycles["S01", 2].report_status == Cycle.Report.DRAFT


def test_every_principle_and_theme_is_reflected_on_and_every_condition_checked_when_finished(
    demo: Evaluation,
) -> None:
    finished = _cycles(demo)["S01", 1]
    guide = finished.guide.model()
    reflections = Reflection.objects.filter(cycle=finished)
    assert sorted(r.principle for r in reflections) == sorted(guide.questions)
    assert all(r.going_well and r.hard and r.try_next and r.principle_title for r in reflections)
    checks = ConditionCheck.objects.filter(cycle=finished)
    assert sorted(c.condition for c in checks) == sorted(c.key for c in guide.conditions)
    assert {c.state for c in checks} == set(ConditionCheck.State.values)
    levels = {c.level for c in guide.conditions}
    assert levels == {"individual", "team", "organisation"}
    (team,) = SelfAssessment.objects.filter(cycle=finished)
    assert team.taken_by == SelfAssessment.Taker.TEAM
    assert set(team.answers) == {s.key for s in guide.self_assessment.statements}
    assert team.notes
    assert set(team.notes) <= set(guide.questions)
    (reply,) = finished.replies.select_related("peer_worker")
    assert reply.peer_worker.service_id == finished.service_id
    assert reply.created_by.username == "demo-peer-worker"
    assert finished.released_at is not None
    assert reply.created_at < finished.released_at


def test_the_next_cycle_looks_back_at_each_action_once_done_kept_and_dropped(
    demo: Evaluation,
) -> None:
    cycles = _cycles(demo)
    actions = list(cycles["S01", 1].actions.all())
    assert len(actions) == 3
    assert all(a.who and a.due and a.principle_title for a in actions)
    reviews = ActionReview.objects.filter(action__in=actions).select_related("cycle")
    assert {r.cycle.pk for r in reviews} == {cycles["S01", 2].pk}
    assert sorted(r.outcome for r in reviews) == ["done", "dropped", "kept"]
    assert all(r.what_happened for r in reviews)
    assert {a.status for a in actions} == {"done", "under_way", "dropped"}
    assert Reflection.objects.filter(cycle=cycles["S01", 2]).count() == 2


def test_the_second_service_has_a_cycle_under_way_its_draft_open_for_replies_for_a_week(
    demo: Evaluation,
) -> None:
    drafted = _cycles(demo)["S02", 2]
    assert drafted.status == Cycle.Status.OPEN
    assert drafted.report_status == Cycle.Report.DRAFT
    assert drafted.replies_until == timezone.localdate() + dt.timedelta(days=7)
    assert Reflection.objects.filter(cycle=drafted).exists()
    (member,) = SelfAssessment.objects.filter(cycle=drafted)
    assert member.taken_by == SelfAssessment.Taker.MEMBER
    assert member.role == "peer worker"


def test_the_facilitator_runs_the_first_two_services_cycles_and_sees_no_interviews(
    demo: Evaluation,
) -> None:
    access = _access("demo-facilitator", demo)
    assert access.role == Role.FACILITATOR
    services = {s.code: s for s in Service.objects.filter(evaluation=demo)}
    assert access.services == {services["S01"].pk, services["S02"].pk}
    assert access.may(Action.RUN_CYCLE, services["S02"])
    assert not access.may(Action.RUN_CYCLE, services["S03"])
    assert not access.may(Action.VIEW_INTERVIEWS)


def test_the_peer_workers_account_is_linked_to_a_code_of_the_service_with_the_finished_cycle(
    demo: Evaluation,
) -> None:
    access = _access("demo-peer-worker", demo)
    assert access.role == Role.PEER_WORKER
    worker = PeerWorker.objects.select_related("service").get(pk=access.peer_worker_id)
    assert worker.service.code == "S01"
    assert access.services == {worker.service_id}
    assert access.may(Action.REPLY, worker.service)
    assert demo.peer_workers_see_own_results
    assert AuditEvent.objects.filter(
        evaluation_id=demo.pk, summary=f"Linked an account to {worker.code}"
    ).exists()


def test_demo_lead_leads_and_sees_every_part_of_every_service(demo: Evaluation) -> None:
    access = _access("demo-lead", demo)
    assert access.role == Role.LEAD
    assert access.services is None
    for action, roles in RULES.items():
        if Role.LEAD in roles:
            assert all(access.may(action, s) for s in Service.objects.filter(evaluation=demo))
    for part in (Action.READ_REFLECTIONS, Action.RUN_CYCLE, Action.RELEASE_REPORT):
        assert access.may(part)


def test_the_reflection_cycles_are_audited_in_one_entry(demo: Evaluation) -> None:
    entries = AuditEvent.objects.filter(
        evaluation_id=demo.pk, summary__startswith="Added the demo's reflection cycles"
    )
    assert entries.count() == 1
    assert entries.get().user.username == "demo-lead"


def test_a_demo_made_before_reflection_cycles_gets_them_and_its_facilitator_at_the_next_start(
    demo: Evaluation,
) -> None:
    Cycle.objects.filter(evaluation=demo).delete()
    Membership.objects.filter(
        evaluation=demo, user__username__in=["demo-facilitator", "demo-peer-worker"]
    ).delete()
    again, _ = ensure_demo()
    assert again.pk == demo.pk
    assert len(_cycles(demo)) == 3
    assert _access("demo-facilitator", demo).role == Role.FACILITATOR
    assert _access("demo-peer-worker", demo).role == Role.PEER_WORKER
    ensure_demo()  # and nothing more at the start after
    assert len(_cycles(demo)) == 3
