"""A request's access to an evaluation is read in one query and answers every later check.

``access_for`` finds the membership with its evaluation, the versions it is pinned to and
the services a service-scoped role covers, in one query; the view then asks the ``Access``
it was given, and the object guards return the object or 404 (403 outside one's services).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from tests.web.conftest import Team

from peerprinciples.web.evaluations.models import Membership
from peerprinciples.web.permissions import (
    Action,
    access_for,
    can,
    interview_for,
    peer_worker_for,
    service_for,
)

pytestmark = pytest.mark.django_db


def _request(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_one_query_finds_the_membership_its_evaluation_and_services(
    team: Team, django_assert_num_queries: Any
) -> None:
    team.give_both_services(team.rater)
    with django_assert_num_queries(1):
        access = access_for(_request(team.rater), team.evaluation.pk, Action.RATE)
        assert access.evaluation.name == team.evaluation.name
        assert access.evaluation.instrument.pk == team.stored_instrument.pk
        assert access.role == "rater"
        assert access.services == {team.service_a.pk, team.service_b.pk}
        # Every check afterwards asks the database nothing.
        assert access.may(Action.RATE, team.service_b)
        assert not access.may(Action.MANAGE_EVALUATION)
        assert access.rights["view_interviews"]
        assert not access.sees_aggregates_only


def test_a_lead_covers_every_service_and_a_scoped_role_only_its_own(team: Team) -> None:
    lead = access_for(_request(team.lead), team.evaluation.pk, Action.VIEW_EVALUATION)
    assert lead.services is None
    assert set(lead.visible_services()) == {team.service_a, team.service_b}
    rater = access_for(_request(team.rater), team.evaluation.pk, Action.VIEW_EVALUATION)
    assert rater.services == {team.service_a.pk}
    assert list(rater.visible_services()) == [team.service_a]
    assert rater.may(Action.RATE, team.service_a)
    assert not rater.may(Action.RATE, team.service_b)


def test_a_scoped_member_without_services_covers_none(team: Team, make_user: Any) -> None:
    newcomer = make_user("newcomer")
    # The forms refuse this; a row written otherwise must still grant nothing.
    Membership.objects.create(
        evaluation=team.evaluation, user=newcomer, role=Membership.Role.COORDINATOR
    )
    access = access_for(_request(newcomer), team.evaluation.pk, Action.VIEW_INTERVIEWS)
    assert access.services == frozenset()
    assert not access.may(Action.VIEW_INTERVIEWS, team.service_a)
    assert list(access.visible_interviews()) == []
    assert can(newcomer, Action.VIEW_INTERVIEWS, team.evaluation)
    assert not can(newcomer, Action.VIEW_INTERVIEWS, team.evaluation, team.service_a)


def test_outsiders_get_404_and_members_without_the_right_403(team: Team) -> None:
    with pytest.raises(Http404):
        access_for(_request(team.outsider), team.evaluation.pk, Action.VIEW_EVALUATION)
    with pytest.raises(Http404):
        access_for(_request(team.lead), 999_999, Action.VIEW_EVALUATION)
    with pytest.raises(PermissionDenied):
        access_for(_request(team.viewer), team.evaluation.pk, Action.VIEW_INTERVIEWS)


def test_the_guards_return_the_object_or_404_and_403_outside_one_s_services(
    team: Team, django_assert_num_queries: Any
) -> None:
    rater = access_for(_request(team.rater), team.evaluation.pk, Action.RATE)
    own = team.interview()
    other = team.interview(service=team.service_b, code="I-B")
    with django_assert_num_queries(1):
        found = interview_for(rater, own.pk, Action.RATE)
        assert (found.service, found.round, found.evaluation) == (
            own.service,
            own.round,
            team.evaluation,
        )
    with pytest.raises(PermissionDenied):
        interview_for(rater, other.pk, Action.RATE)
    with pytest.raises(Http404):
        interview_for(rater, team.other_interview.pk, Action.RATE)
    with pytest.raises(PermissionDenied):
        service_for(rater, team.service_b.pk, Action.RATE)
    assert service_for(rater, team.service_a.pk, Action.RATE) == team.service_a
    with pytest.raises(Http404):
        peer_worker_for(rater, team.other_worker.pk, Action.RATE)
