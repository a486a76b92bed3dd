"""The per-request lookups in plain SQL find exactly what the ORM queries they replace find.

``peerprinciples.web.lookups`` reads the membership, the service keys, the interview and the
rater's sheet with statements made once per process from the models' metadata, and the
session store and account backend read the session and the account the same way. Each test
here runs the ORM query the lookup replaced beside it and compares every field (after the
database's and the field's own conversions: aware datetimes on SQLite, parsed JSON), and
checks that what pages read next comes without another query. CI runs them on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from tests.web.conftest import Team

from peerprinciples.web import lookups
from peerprinciples.web.accounts.backends import AccountBackend
from peerprinciples.web.evaluations.models import Membership, PeerWorker, Service
from peerprinciples.web.interviews.models import Interview, RatingSheet
from peerprinciples.web.library.models import StoredInstrument
from peerprinciples.web.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _fields(instance: Model) -> dict[str, Any]:
    """Every loaded field of a row, by attribute name."""
    deferred = instance.get_deferred_fields()
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in deferred
    }


def _people(team: Team) -> list[Any]:
    return [team.lead, team.coordinator, team.rater, team.second_rater, team.viewer, team.outsider]


def test_a_membership_is_the_orm_s_with_its_evaluation_and_versions(
    team: Team, django_assert_num_queries: Any
) -> None:
    compared = 0
    for evaluation in (team.evaluation, team.other_evaluation):
        for person in _people(team):
            expected = (
                Membership.objects.select_related("evaluation__framework", "evaluation__instrument")
                .defer("evaluation__framework__document", "evaluation__instrument__document")
                .filter(evaluation=evaluation, user=person)
                .first()
            )
            with django_assert_num_queries(1):
                found = lookups.membership_in(evaluation.pk, person.pk)
            if expected is None:
                assert found is None
                continue
            assert found is not None
            with django_assert_num_queries(0):
                pairs = [
                    (found, expected),
                    (found.evaluation, expected.evaluation),
                    (found.evaluation.framework, expected.evaluation.framework),
                    (found.evaluation.instrument, expected.evaluation.instrument),
                ]
                for mine, theirs in pairs:
                    assert type(mine) is type(theirs)
                    assert _fields(mine) == _fields(theirs)
                    assert mine.get_deferred_fields() == theirs.get_deferred_fields()
            compared += 1
    assert compared == 6  # five members of the team's evaluation, the outsider in their own


def test_a_membership_of_an_unknown_evaluation_is_none(team: Team) -> None:
    assert lookups.membership_in(team.other_evaluation.pk + 1000, team.lead.pk) is None


def test_service_keys_are_the_link_table_s(team: Team) -> None:
    team.give_both_services(team.rater)
    for person in _people(team):
        member = Membership.objects.filter(evaluation=team.evaluation, user=person).first()
        if member is None:
            continue
        expected = set(member.services.values_list("pk", flat=True))
        assert lookups.service_keys(member.pk) == expected
    rater = Membership.objects.get(evaluation=team.evaluation, user=team.rater)
    assert lookups.service_keys(rater.pk) == {team.service_a.pk, team.service_b.pk}


def test_an_interview_is_the_orm_s_with_its_service_worker_and_round(
    team: Team, django_assert_num_queries: Any
) -> None:
    about_worker = team.interview("I-0001")
    about_service = team.interview("I-0002", informant="supervisor")
    about_service.peer_worker = None
    about_service.save()
    for interview in (about_worker, about_service):
        expected = Interview.objects.select_related("service", "peer_worker", "round").get(
            pk=interview.pk
        )
        with django_assert_num_queries(1):
            found = lookups.interview_in(team.evaluation, interview.pk)
        assert found is not None
        with django_assert_num_queries(0):
            assert _fields(found) == _fields(expected)
            assert _fields(found.service) == _fields(expected.service)
            assert _fields(found.round) == _fields(expected.round)
            assert found.evaluation is team.evaluation
            if expected.peer_worker is None:
                assert found.peer_worker is None
            else:
                assert _fields(found.peer_worker) == _fields(expected.peer_worker)
    assert isinstance(found.created_at, dt.datetime)
    assert timezone.is_aware(found.created_at)


def test_an_interview_of_another_evaluation_is_not_found(team: Team) -> None:
    assert lookups.interview_in(team.evaluation, team.other_interview.pk) is None
    assert lookups.interview_in(team.other_evaluation, team.other_interview.pk) is not None


def test_a_service_and_a_peer_worker_are_the_orm_s(
    team: Team, django_assert_num_queries: Any
) -> None:
    for service in (team.service_a, team.service_b):
        with django_assert_num_queries(1):
            found = lookups.service_in(team.evaluation, service.pk)
        assert found is not None
        assert _fields(found) == _fields(Service.objects.get(pk=service.pk))
        assert found.evaluation is team.evaluation
    for worker in (team.worker_a, team.worker_b):
        expected = PeerWorker.objects.select_related("service").get(pk=worker.pk)
        with django_assert_num_queries(1):
            found_worker = lookups.peer_worker_in(team.evaluation, worker.pk)
        assert found_worker is not None
        with django_assert_num_queries(0):
            assert _fields(found_worker) == _fields(expected)
            assert _fields(found_worker.service) == _fields(expected.service)
            assert found_worker.evaluation is team.evaluation
    # Keys of another evaluation's rows find nothing.
    other_service = team.other_interview.service
    assert lookups.service_in(team.evaluation, other_service.pk) is None
    assert lookups.peer_worker_in(team.evaluation, team.other_worker.pk) is None
    assert lookups.peer_worker_in(team.other_evaluation, team.other_worker.pk) is not None


def test_a_rater_s_sheet_rows_are_the_orm_s(team: Team) -> None:
    interview = team.interview()
    assert lookups.own_sheet_rows(interview.pk, team.rater.pk) == []
    keys = team.item_keys()
    team.rate(interview, team.rater, {keys[0]: "3", keys[1]: "NA"}, finalise=False)
    expected = set(
        RatingSheet.objects.filter(interview=interview, rater=team.rater).values_list(
            "pk", "status", "version", "notes", "ratings__item", "ratings__value", "ratings__code"
        )
    )
    found = lookups.own_sheet_rows(interview.pk, team.rater.pk)
    assert set(found) == expected
    assert len(found) == 2
    assert {(row[4], row[5], row[6]) for row in found} == {(keys[0], 3, ""), (keys[1], None, "NA")}
    # A sheet with no ratings yet is one row whose rating columns are empty.
    RatingSheet.objects.get(interview=interview, rater=team.rater).ratings.all().delete()
    (row,) = lookups.own_sheet_rows(interview.pk, team.rater.pk)
    assert row[4:] == (None, None, None)


def test_whole_rows_come_back_with_the_fields_own_conversions(team: Team) -> None:
    """JSON is parsed and datetimes are aware, as the ORM returns them, on either database."""
    whole = lookups.Join([lookups.Part(StoredInstrument, "i")], "{i}", "WHERE i.id = %s")
    (found,) = whole.first([team.stored_instrument.pk])
    expected = StoredInstrument.objects.get(pk=team.stored_instrument.pk)
    assert found is not None
    assert _fields(found) == _fields(expected)
    assert isinstance(found.document, dict)
    assert found.document == expected.document
    assert timezone.is_aware(found.stored_at)
    assert whole.first([-1]) == (None,)


def test_statements_are_made_once_and_take_values_only_as_parameters(team: Team) -> None:
    text = lookups.MEMBERSHIP.sql()
    assert lookups.MEMBERSHIP.sql() is text
    assert text.count("%s") == 2
    assert connection.ops.quote_name(Membership._meta.db_table) in text
    assert "document" not in text  # left out: the pages use each process's validated model


# --- the session store and the account backend ---------------------------------------------


def test_the_session_store_reads_what_django_s_store_wrote(team: Team) -> None:
    store = SessionStore()
    store["probe"] = "kept"
    store.create()
    again = SessionStore(store.session_key)
    assert again.load() == {"probe": "kept"}
    assert again.session_key == store.session_key


def test_an_expired_unknown_or_malformed_session_is_empty_and_forgotten(team: Team) -> None:
    store = SessionStore()
    store["probe"] = "kept"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    # The last key would find every row if it were ever written into the statement.
    for key in (store.session_key, "x" * 32, "short", None, "x' OR 'x'='x"):
        probe = SessionStore(key)
        assert probe.load() == {}
        assert probe.session_key is None


def test_signing_out_ends_the_session_for_the_engine(team: Team) -> None:
    client = team.client_for(team.lead)
    page = reverse("evaluations:detail", args=[team.evaluation.pk])
    assert client.get(page).status_code == 200
    old_key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=old_key).exists()
    client.cookies["sessionid"] = old_key
    assert client.get(page).status_code == 302  # back to sign-in


def test_the_account_backend_finds_what_model_backend_finds(team: Team) -> None:
    ours, django_s = AccountBackend(), ModelBackend()
    for person in _people(team):
        found, expected = ours.get_user(person.pk), django_s.get_user(person.pk)
        assert found is not None
        assert expected is not None
        assert _fields(found) == _fields(expected)
        assert timezone.is_aware(found.date_joined)


def test_the_account_backend_refuses_what_model_backend_refuses(team: Team) -> None:
    ours = AccountBackend()
    users = get_user_model().objects
    users.filter(pk=team.viewer.pk).update(is_active=False)
    assert ours.get_user(team.viewer.pk) is None
    assert ModelBackend().get_user(team.viewer.pk) is None
    assert ours.get_user(team.outsider.pk + 1000) is None
    assert ours.get_user("not a key") is None
    assert ours.get_user(str(team.lead.pk)) == team.lead  # sessions hold the key as text


def test_a_deactivated_account_is_signed_out_on_its_next_request(team: Team) -> None:
    client = team.client_for(team.rater)
    page = reverse("evaluations:detail", args=[team.evaluation.pk])
    assert client.get(page).status_code == 200
    get_user_model().objects.filter(pk=team.rater.pk).update(is_active=False)
    assert client.get(page).status_code == 302
