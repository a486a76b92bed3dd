"""PostgreSQL reuses its plans for the queries every page repeats (prepared statements)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from tests.web.settings_process import read_settings

from peerprinciples.web.settings import PREPARE_AFTER

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/not-opened-by-this-test"
OPTIONS = "sorted(s.DATABASES['default'].get('OPTIONS', {}).items())"


def test_postgresql_prepares_statements_by_default(tmp_path: Path) -> None:
    done = read_settings(OPTIONS, tmp_path, DATABASE_URL=POSTGRES_URL)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        f"[('prepare_threshold', {PREPARE_AFTER}), ('server_side_binding', True)]"
    )


def test_prepared_statements_can_be_turned_off_for_pgbouncer(tmp_path: Path) -> None:
    done = read_settings(
        OPTIONS, tmp_path, DATABASE_URL=POSTGRES_URL, DATABASE_PREPARED_STATEMENTS="false"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_sqlite_waits_for_writers_and_locks_when_a_transaction_begins(tmp_path: Path) -> None:
    done = read_settings(OPTIONS, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('timeout', 20), ('transaction_mode', 'IMMEDIATE')]"


def test_an_unreadable_choice_stops_start_up_naming_the_setting(tmp_path: Path) -> None:
    done = read_settings(
        "", tmp_path, DATABASE_URL=POSTGRES_URL, DATABASE_PREPARED_STATEMENTS="perhaps"
    )
    assert done.returncode != 0
    assert "DATABASE_PREPARED_STATEMENTS" in done.stderr


@pytest.mark.django_db
def test_a_repeated_lookup_runs_as_a_prepared_statement() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are a PostgreSQL setting (CI runs this on PostgreSQL)")
    assert settings.DATABASES["default"]["OPTIONS"]["server_side_binding"] is True
    user = get_user_model().objects.create_user("prepared-probe", password="x" * 12)
    for _ in range(PREPARE_AFTER + 1):
        assert get_user_model().objects.get(pk=user.pk).username == "prepared-probe"
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "auth_user"' in sql and "$1" in sql for sql in prepared), prepared
