"""``peerprinciples backup`` and ``restore`` on the database the tests run on (SQLite, or
PostgreSQL when DATABASE_URL names it): the backup file, its manifest, a verified round
trip, and every refusal.

The data are committed once for the module (see committed.py), because pg_dump reads the
database from another process; the round trip restores over the test database itself.
"""

from __future__ import annotations

import contextlib
import io
import json
import stat
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from tests.personas import Personas
from tests.web.committed import committed_personas, on_postgresql
from tests.web.test_transfers_import import HEADER, as_csv

from peerprinciples.cli.main import main
from peerprinciples.core.library import Library
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.backups import BackupError, Manifest, back_up, restore
from peerprinciples.web.backups.archive import MANIFEST, MEMBERS
from peerprinciples.web.backups.manifest import applied_migrations, row_counts
from peerprinciples.web.interviews.models import Rating
from peerprinciples.web.transfers import services


@dataclass
class Source:
    team: Personas
    path: Path
    manifest: Manifest
    counts: dict[str, int]
    ratings: list[tuple[Any, ...]]


def rating_rows() -> list[tuple[Any, ...]]:
    return list(Rating.objects.order_by("id").values_list("id", "sheet_id", "item", "value"))


def counts_now() -> dict[str, int]:
    kind = "postgresql" if on_postgresql() else "sqlite"
    with connection.cursor() as cursor:
        return row_counts(cursor, kind)


@pytest.fixture(scope="module")
def source(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Source]:
    """The personas with two imported interviews, backed up."""
    folder = tmp_path_factory.mktemp("backups")
    with committed_personas(django_db_blocker, Library()) as team:
        values = ["peer_worker", "A", "PW-A1", "1", "2025-03-01", "rater"]
        keys = [item.key for item in team.instrument.items_for("peer_worker")]
        rows = [
            dict(zip(HEADER, [code, *values, key, "3"], strict=True))
            for code in ("I-B1", "I-B2")
            for key in keys
        ]
        ratings = folder / "ratings.csv"
        ratings.write_bytes(as_csv(rows))
        services.import_file(team.lead, team.evaluation, ratings)
        path = folder / "nightly.backup"
        manifest = back_up(path)
        yield Source(team, path, manifest, counts_now(), rating_rows())


def repacked(source: Source, folder: Path, **changes: Any) -> Path:
    """A copy of the backup with its manifest changed."""
    data = json.loads(source.manifest.model_dump_json()) | changes
    path = folder / "changed.backup"
    with tarfile.open(source.path) as original, tarfile.open(path, "w") as archive:
        text = json.dumps(data).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(text)
        archive.addfile(info, io.BytesIO(text))
        member = original.getmember(MEMBERS[source.manifest.database])
        copy = original.extractfile(member)
        member.name = MEMBERS[data["database"]]
        archive.addfile(member, copy)
    return path


def refused(path: Path, **options: Any) -> str:
    with pytest.raises(BackupError) as error:
        restore(path, **options)
    return str(error.value)


def test_the_backup_is_one_file_readable_only_by_its_owner(source: Source) -> None:
    assert stat.S_IMODE(source.path.stat().st_mode) == 0o600
    with tarfile.open(source.path) as archive:
        assert archive.getnames() == [MANIFEST, MEMBERS[source.manifest.database]]
    assert not [p for p in source.path.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.django_db  # (also has the test database created for the module's fixtures)
def test_the_manifest_describes_what_was_copied(source: Source) -> None:
    manifest = source.manifest
    assert manifest.database == ("postgresql" if on_postgresql() else "sqlite")
    assert manifest.tables == source.counts
    assert manifest.tables["interviews_rating"] == len(source.ratings) > 0
    assert manifest.audit.events == AuditEvent.objects.count() > 0
    with connection.cursor() as cursor:
        assert manifest.migrations == applied_migrations(cursor)
    assert manifest.migrations["interviews"].startswith("000")


def test_a_missing_file_is_refused(source: Source, tmp_path: Path) -> None:
    assert "there is no backup file at" in refused(tmp_path / "nowhere.backup")


def test_a_file_that_is_not_a_backup_is_refused(source: Source, tmp_path: Path) -> None:
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all\n" * 100)
    assert "is not a peerprinciples backup, or it is damaged" in refused(junk)
    cut = tmp_path / "cut.backup"
    cut.write_bytes(source.path.read_bytes()[:2000])  # the manifest only, cut short
    assert "damaged" in refused(cut, force=True)


def test_a_changed_manifest_is_refused_with_the_field_named(source: Source, tmp_path: Path) -> None:
    message = refused(repacked(source, tmp_path, tables={"auth_user": -1}))
    assert "manifest.json is not a backup manifest (tables.auth_user:" in message


def test_a_backup_from_a_newer_version_is_refused(source: Source, tmp_path: Path) -> None:
    newer = {**source.manifest.migrations, "interviews": "9999_from_the_future"}
    path = repacked(source, tmp_path, migrations=newer, application_version="9.0.0")
    message = refused(path, force=True)
    assert "made by a newer version of peerprinciples (9.0.0)" in message
    assert "interviews.9999_from_the_future" in message


def test_a_backup_of_the_other_kind_of_database_is_refused(source: Source, tmp_path: Path) -> None:
    other = "sqlite" if on_postgresql() else "postgresql"
    message = refused(repacked(source, tmp_path, database=other), force=True)
    assert f"is a backup of a {other} database" in message


def test_a_database_with_accounts_is_not_replaced_without_force(source: Source) -> None:
    assert "restore with --force" in refused(source.path)
    assert counts_now() == source.counts


def test_pg_dump_missing_or_too_old_is_named(
    source: Source, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not on_postgresql():
        pytest.skip("pg_dump backs up PostgreSQL only")
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(BackupError, match="pg_dump was not found on the PATH"):
        back_up(tmp_path / "x.backup")
    old = empty / "pg_dump"
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    old.chmod(0o700)
    with pytest.raises(BackupError, match="pg_dump is version 9 but the database server"):
        back_up(tmp_path / "x.backup")
    assert not (tmp_path / "x.backup").exists()


def test_a_damaged_copy_is_refused_and_the_database_left_as_it_was(
    source: Source, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.backup"
    data = bytearray(source.path.read_bytes())
    start = 3 * 512 + 4096  # past the manifest and the copy's first page
    data[start : start + 8192] = b"\xff" * 8192
    damaged.write_bytes(bytes(data))
    message = refused(damaged, force=True)
    assert "damaged" in message or "pg_restore failed" in message
    assert counts_now() == source.counts


@pytest.fixture(scope="module")
def restored(source: Source) -> tuple[int, str]:
    """After ratings are deleted and an account added, the backup restored with --force."""
    Rating.objects.filter(sheet__interview__code="I-B1").delete()
    get_user_model().objects.create_user(username="added-after-the-backup")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["restore", str(source.path), "--force", "--quiet"])
    return code, out.getvalue()


def test_the_round_trip_brings_back_every_row(source: Source, restored: tuple[int, str]) -> None:
    code, out = restored
    assert code == 0, out
    assert "Checked: every table holds the rows the backup recorded." in out
    assert f"{sum(source.manifest.tables.values()):,} rows" in out
    assert counts_now() == source.counts
    assert rating_rows() == source.ratings
    assert not get_user_model().objects.filter(username="added-after-the-backup").exists()


def test_the_restored_audit_trail_is_checked(restored: tuple[int, str]) -> None:
    _, out = restored
    assert "Audit trail: the chain verifies (OK: " in out


def test_an_audit_trail_changed_in_the_backup_fails_the_check(
    source: Source, restored: tuple[int, str]
) -> None:
    from peerprinciples.web.audit import guard

    guard.remove(connection)  # past the triggers that refuse changes to the trail
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = 'changed' WHERE id = "
                       "(SELECT MIN(id) FROM audit_auditevent)")  # fmt: skip
    guard.install(connection)
    path = source.path.with_name("tampered.backup")
    back_up(path)
    result = restore(path, force=True)
    assert not result.audit.ok
    assert not result.ok
