"""The import-ratings and export-evaluation commands."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from tests.web.conftest import Team
from tests.web.test_transfers_import import as_csv, interview_rows, two_interviews

from peerprinciples.cli.transfers import EXPORT_KINDS, register
from peerprinciples.core.library import Library
from peerprinciples.core.ratings import read_ratings
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.transfers.exports import KINDS
from peerprinciples.web.transfers.models import ImportBatch

pytestmark = pytest.mark.django_db


def run(library: Library, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(list(argv))
    return int(args.handler(args, library))


@pytest.fixture
def ratings_file(team: Team, tmp_path: Path) -> Path:
    path = tmp_path / "ratings.csv"
    path.write_bytes(as_csv(two_interviews(team)))
    return path


def test_a_dry_run_checks_and_saves_nothing(
    team: Team, ratings_file: Path, builtin_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    evaluation = str(team.evaluation.pk)
    code = run(builtin_library, "import-ratings", str(ratings_file), "--evaluation", evaluation,
               "--dry-run", "--quiet")  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "ratings of 2 new interviews" in out
    assert "nothing was saved (--dry-run)" in out
    assert not Interview.objects.filter(evaluation=team.evaluation).exists()
    assert not ImportBatch.objects.exists()


def test_it_imports_once_and_refuses_the_same_file_again(
    team: Team, ratings_file: Path, builtin_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("import-ratings", str(ratings_file), "--evaluation", str(team.evaluation.pk),
            "--user", "lead", "--quiet")  # fmt: skip
    assert run(builtin_library, *argv) == 0
    assert "Saved as import" in capsys.readouterr().out
    assert Interview.objects.filter(evaluation=team.evaluation, status="final").count() == 2
    assert run(builtin_library, *argv) == 1
    assert "already imported into this evaluation" in capsys.readouterr().err
    assert Interview.objects.filter(evaluation=team.evaluation).count() == 2


def test_problems_are_listed_with_row_and_column_and_exit_code_1(
    team: Team, tmp_path: Path, builtin_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(as_csv(interview_rows(team, "I-T1", changes={"rel_3": "9"})))
    code = run(builtin_library, "import-ratings", str(path), "--evaluation",
               str(team.evaluation.pk), "--quiet")  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert "1 problem(s); nothing was saved" in err
    assert "row 4, column 'rating'" in err
    assert not Interview.objects.filter(evaluation=team.evaluation).exists()


def test_only_leads_and_coordinators_may_import(
    team: Team, ratings_file: Path, builtin_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(builtin_library, "import-ratings", str(ratings_file), "--evaluation",
               str(team.evaluation.pk), "--user", "viewer")  # fmt: skip
    assert code == 1
    assert "may not import" in capsys.readouterr().err


def test_the_export_writes_every_file_and_keeps_notes_to_leads(
    team: Team,
    ratings_file: Path,
    tmp_path: Path,
    builtin_library: Library,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(builtin_library, "import-ratings", str(ratings_file), "--evaluation",
        str(team.evaluation.pk), "--quiet")  # fmt: skip
    out = tmp_path / "export"
    assert (
        run(builtin_library, "export-evaluation", str(team.evaluation.pk), "--out", str(out)) == 0
    )
    names = {p.name for p in out.iterdir()}
    assert names == {KINDS[k].file_name for k in EXPORT_KINDS}
    assert read_ratings(out / "ratings-long.csv", team.instrument).n_interviews == 2

    code = run(builtin_library, "export-evaluation", str(team.evaluation.pk), "--out", str(out),
               "--user", "coordinator", "--include-notes")  # fmt: skip
    assert code == 1
    assert "only the evaluation's leads" in capsys.readouterr().err


def test_the_commands_files_are_the_web_pages_downloads_but_the_zip() -> None:
    assert set(EXPORT_KINDS) == set(KINDS) - {"zip"}
