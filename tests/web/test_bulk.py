"""The bulk writer: reserved keys, values stored exactly as given, all or nothing.

Every test runs on the database the suite runs on (SQLite by default, PostgreSQL with
DATABASE_URL); the ones about ``COPY``-only steps say so and are skipped elsewhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from tests.web.conftest import Team

from peerprinciples.web.bulk import BulkWriter, OrphanRows, allocate_keys, copy_text, instances
from peerprinciples.web.evaluations.models import Round, Service
from peerprinciples.web.interviews.models import Rating, RatingSheet

pytestmark = pytest.mark.django_db

AWKWARD = [
    "tab\there",
    "line\nbreak",
    "carriage\rreturn",
    "back\\slash",
    "ends with a backslash\\",
    "\\N",
    "\\t is not a tab",
    'a "quoted" word',
    "",
    "comma, and semicolon;",
    "naïve café – 東京",
]
"""Texts that COPY's text format would read wrongly unless each is escaped."""

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY and its key checks are PostgreSQL's"
)


def _groups(n: int, prefix: str = "group") -> dict[str, Any]:
    return {"id": allocate_keys(Group, n), "name": [f"{prefix}-{k}" for k in range(n)]}


# --- keys --------------------------------------------------------------------------------------


def test_reserved_keys_are_new_distinct_and_consecutive() -> None:
    Group.objects.create(name="already there")
    highest = Group.objects.order_by("-pk").first().pk  # type: ignore[union-attr]
    keys = allocate_keys(Group, 5).tolist()
    assert len(set(keys)) == 5
    assert min(keys) > highest
    assert keys == list(range(keys[0], keys[0] + 5))
    assert allocate_keys(Group, 0).tolist() == []


def test_a_row_inserted_after_reserving_keys_gets_a_key_of_its_own() -> None:
    with transaction.atomic():
        rows = _groups(3)
        # An ordinary insert (the ORM, the database's default key) between reserving and
        # writing must not take a reserved key, or the write would fail on a duplicate.
        other = Group.objects.create(name="inserted in between")
        with BulkWriter() as writer:
            writer.rows(Group, rows)
    assert other.pk not in rows["id"].tolist()
    assert set(Group.objects.values_list("name", flat=True)) == {
        "group-0",
        "group-1",
        "group-2",
        "inserted in between",
    }


def test_keys_reserved_twice_never_overlap() -> None:
    first = allocate_keys(Group, 4).tolist()
    second = allocate_keys(Group, 4).tolist()
    assert not set(first) & set(second)


def test_keys_are_reserved_only_for_an_automatic_primary_key() -> None:
    with pytest.raises(ValueError, match=r"sessions.Session: .* not for session_key"):
        allocate_keys(Session, 2)


@on_postgresql
def test_on_postgresql_a_concurrent_insert_never_takes_a_reserved_key() -> None:
    keys = allocate_keys(Group, 3).tolist()
    settings = connection.settings_dict
    # A second connection, as another app server would have, inserts while this
    # transaction (the test's) is still open and has not written its rows yet.
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        autocommit=True,
    ) as other:
        row = other.execute(
            "INSERT INTO auth_group (name) VALUES ('from another connection') RETURNING id"
        ).fetchone()
        assert row is not None
        other_key = row[0]
        try:
            with BulkWriter() as writer:
                writer.rows(Group, {"id": keys, "name": ["a", "b", "c"]})
            assert other_key not in keys
            assert Group.objects.filter(pk__in=keys).count() == 3
        finally:
            other.execute("DELETE FROM auth_group WHERE id = %s", [other_key])


# --- values ------------------------------------------------------------------------------------


def test_rows_store_awkward_texts_exactly() -> None:
    rows = {
        "id": allocate_keys(Group, len(AWKWARD)),
        "name": [f"{t}|{k}" for k, t in enumerate(AWKWARD)],
    }
    with BulkWriter() as writer:
        writer.rows(Group, rows)
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(rows["name"])


def test_a_table_stores_awkward_texts_nulls_and_other_types_exactly() -> None:
    n = len(AWKWARD)
    joined = timezone.make_aware(dt.datetime(2024, 5, 6, 7, 8, 9))
    frame = pd.DataFrame(
        {
            "id": allocate_keys(get_user_model(), n),
            "password": ["!unusable"] * n,
            "last_login": [None if k % 2 else joined for k in range(n)],
            "is_superuser": [False] * n,
            "username": [f"person-{k}" for k in range(n)],
            # A categorical column is escaped through its categories.
            "first_name": pd.Categorical(AWKWARD),
            "last_name": AWKWARD,
            "email": [""] * n,
            "is_staff": np.zeros(n, dtype=bool),
            "is_active": np.ones(n, dtype=bool),
            "date_joined": [joined] * n,
        }
    )
    with BulkWriter() as writer:
        writer.frame(get_user_model(), frame)
    stored = {
        u.username: u for u in get_user_model().objects.filter(username__startswith="person-")
    }
    assert len(stored) == n
    for k, text in enumerate(AWKWARD):
        person = stored[f"person-{k}"]
        assert (person.first_name, person.last_name) == (text, text)
        assert person.last_login == (None if k % 2 else joined)
        assert person.date_joined == joined
        assert person.is_active
        assert not person.is_staff


def test_missing_values_of_a_table_become_null(team: Team) -> None:
    sheet = RatingSheet.objects.create(interview=team.interview(), rater=team.rater)
    frame = pd.DataFrame(
        {
            "sheet": [sheet.pk, sheet.pk],
            "item": pd.Categorical(["first", "second"]),
            "value": pd.array([3, None], dtype="Int64"),
            "code": ["", "NA"],
        }
    )
    with BulkWriter() as writer:
        writer.frame(Rating, frame)
    assert sorted(
        Rating.objects.filter(sheet=sheet, item__in=["first", "second"]).values_list(
            "item", "value", "code"
        )
    ) == [("first", 3, ""), ("second", None, "NA")]


def test_copy_text_escapes_what_copy_reads_specially() -> None:
    assert copy_text("a\tb\nc\rd\\e") == "a\\tb\\nc\\rd\\\\e"
    assert copy_text("plain") == "plain"


def test_instances_are_unsaved_objects_of_the_columns() -> None:
    made = instances(Group, {"id": np.asarray([7, 8]), "name": ["x", "y"]})
    assert [(g.pk, g.name, g._state.adding) for g in made] == [(7, "x", True), (8, "y", True)]
    assert isinstance(made[0].pk, int)


def test_objects_get_keys_and_can_be_pointed_at(team: Team) -> None:
    services = [Service(evaluation=team.evaluation, code=f"BULK{k}") for k in range(3)]
    with BulkWriter() as writer:
        writer.objects(services)
        assert all(s.pk is not None and not s._state.adding for s in services)
        rounds = [Round(evaluation=team.evaluation, number=90 + k) for k in range(2)]
        writer.objects(rounds)
    assert dict(Service.objects.filter(code__startswith="BULK").values_list("code", "pk")) == {
        s.code: s.pk for s in services
    }
    assert set(Round.objects.filter(number__gte=90).values_list("pk", flat=True)) == {
        r.pk for r in rounds
    }
    assert writer.written == [Service, Round]


# --- all or nothing ----------------------------------------------------------------------------


def _write_then_clash() -> None:
    with transaction.atomic(), BulkWriter() as writer:
        writer.rows(Group, _groups(3))
        clash = {"id": allocate_keys(Group, 2), "name": ["group-0", "new"]}  # name is unique
        writer.rows(Group, clash)


def test_a_failure_rolls_back_every_row_written_in_the_transaction() -> None:
    with pytest.raises(IntegrityError):
        _write_then_clash()
    assert not Group.objects.exists()


def _write_then_reuse_a_key() -> None:
    first = _groups(2)
    with transaction.atomic(), BulkWriter() as writer:
        writer.rows(Group, first)
        writer.frame(Group, pd.DataFrame({"id": first["id"][:1], "name": ["other"]}))


def test_a_failed_table_leaves_nothing_behind() -> None:
    with pytest.raises(IntegrityError):
        _write_then_reuse_a_key()
    assert not Group.objects.exists()


def test_writing_nothing_writes_nothing() -> None:
    with BulkWriter() as writer:
        writer.rows(Group, {"id": [], "name": []})
        writer.frame(Group, pd.DataFrame({"id": [], "name": []}))
        writer.objects([])
    assert writer.written == []
    assert not Group.objects.exists()


# --- PostgreSQL's steps after a load -----------------------------------------------------------


@on_postgresql
def test_keys_checked_once_find_rows_that_point_nowhere() -> None:
    with transaction.atomic():
        writer = BulkWriter()
        assert writer.defer_key_checks(), "the test role may not defer key checks"
        writer.rows(Rating, {"sheet": [10**9], "item": ["x"], "value": [1], "code": [""]})
        with pytest.raises(OrphanRows, match=r"1 row\(s\) of interviews.Rating .* through sheet"):
            writer.check_keys()
        transaction.set_rollback(True)


@on_postgresql
def test_keys_checked_once_pass_when_every_row_points_somewhere(team: Team) -> None:
    with BulkWriter() as writer:
        assert writer.defer_key_checks()
        writer.objects([Service(evaluation=team.evaluation, code="Z1")])
        writer.check_keys()
        assert not writer.keys_deferred
    assert Service.objects.filter(code="Z1").exists()


def test_key_checks_stay_row_by_row_where_they_cannot_be_deferred() -> None:
    writer = BulkWriter()
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's superuser may defer them")
    assert not writer.defer_key_checks()
    writer.check_keys()  # nothing to check
    writer.analyse()  # nothing to do


@on_postgresql
def test_analyse_refreshes_the_statistics_of_the_tables_written() -> None:
    with BulkWriter() as writer:
        writer.rows(Group, _groups(50, prefix="analysed"))
        writer.analyse()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stats WHERE tablename = 'auth_group' AND attname = 'name'"
        )
        (found,) = cursor.fetchone()
    assert found == 1
