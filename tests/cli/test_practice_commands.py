"""The practice commands: areas, prompts, gaps, compare and check."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerprinciples.cli.main import main
from peerprinciples.core.practice.matrix import Cell, Matrix, Status, builtin_areas
from peerprinciples.core.practice.matrix_files import write_matrix_yaml

ADAPTATION = """\
key: our-enrich
version: "1"
title: Our ENRICH
extends: enrich@2017
principles:
  add:
    - key: faith-community
      title: Faith and community
      definition: People find support in their faith communities.
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, programme: str, *cells: Cell, areas: int = 11) -> Path:
    matrix = Matrix(
        programme=programme,
        framework="enrich@2017",
        areas=list(builtin_areas())[:areas],
        cells=list(cells),
    )
    return write_matrix_yaml(matrix, tmp_path / name)


def test_areas_lists_every_built_in_area_with_its_level(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "practice", "areas")
    assert code == 0
    for area in builtin_areas():
        assert area.key in out
        assert area.title in out
    assert "supervision              Individual" in out
    assert "pay-progression          Organisation" in out


def test_prompts_shows_every_cell_of_enrich(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "practice", "prompts")
    assert code == 0
    assert out.count("Respecting the diversity of lived experience") == 11
    assert "Who decides what is written about the person supported" in out
    assert "(no prompt yet)" not in out


def test_prompts_for_one_area(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "practice", "prompts", "--area", "supervision")
    assert code == 0
    assert "Supervision (individual) (supervision, individual level)" in out
    assert "Recruitment" not in out


def test_prompts_for_an_unknown_area_names_the_areas(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "practice", "prompts", "--area", "supervison")
    assert code == 1
    assert "there is no area 'supervison'; the areas are: role-description," in err


def test_prompts_for_an_adaptation_with_its_own_prompt_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    framework = tmp_path / "our-enrich.yaml"
    framework.write_text(ADAPTATION, encoding="utf-8")
    prompts = tmp_path / "our-prompts.yaml"
    prompts.write_text(
        "framework: our-enrich\nextends: enrich\nprompts:\n"
        "  - principle: faith-community\n    area: supervision\n"
        "    text: Can faith come up in supervision?\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys,
        "--library",
        str(tmp_path),
        "practice",
        "prompts",
        "--framework",
        "our-enrich@1",
        "--area",
        "supervision",
        "--prompts",
        str(prompts),
    )
    assert code == 0
    assert "Faith and community [From the local adaptation's prompts]:" in out
    assert "Can faith come up in supervision?" in out
    assert "Is there time in supervision to talk about how each relationship" in out


def test_a_prompt_file_with_problems_is_refused_with_its_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts = tmp_path / "ours.yaml"
    prompts.write_text(
        "framework: enrich\nprompts:\n  - {principle: nope, area: supervision, text: 'Q?'}\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "practice", "prompts", "--prompts", str(prompts))
    assert code == 1
    assert out == ""
    assert f"{prompts}:3: prompts[0].principle: 'nope' is not a principle or theme" in err


def test_gaps_asks_questions_about_a_matrix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "m.yaml",
        "Riverside",
        Cell(area="supervision", principle="mutuality", status=Status.PARTLY, text="Some."),
        Cell(area="pay-progression", principle="mutuality", status=Status.NOT_RELEVANT),
        Cell(area="supervision", principle="retired", text="Old words."),
    )
    code, out, _ = run(capsys, "practice", "gaps", str(path))
    assert code == 0
    assert out.startswith("Gaps at a glance: Riverside (enrich@2017)")
    assert "Where is “Mutuality and reciprocity” only partly there" in out
    assert "      - Supervision (individual) (partly in place)" in out
    assert "Not relevant, but no reason given:" in out
    assert "Areas no principle reaches yet" in out
    assert "supervision / retired: enrich@2017 has no principle 'retired'" in out
    assert "Old words." in out


def test_gaps_with_a_framework_that_is_not_in_the_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = Matrix(programme="R", framework="elsewhere@1", areas=list(builtin_areas()))
    path = write_matrix_yaml(matrix, tmp_path / "m.yaml")
    code, _, err = run(capsys, "practice", "gaps", str(path))
    assert code == 1
    assert "follows elsewhere@1, which is not in the library" in err
    assert "--library" in err
    code, out, _ = run(capsys, "practice", "gaps", str(path), "--framework", "enrich@2017")
    assert code == 0
    assert "Gaps at a glance: R (enrich@2017)" in out


def test_gaps_of_a_broken_matrix_lists_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("programme: R\nframework: enrich@2017\nareas: []\ncolour: red\n")
    code, out, err = run(capsys, "practice", "gaps", str(path))
    assert code == 1
    assert out == ""
    assert f"{path}:4: colour: 'colour' is not a field here." in err


def test_compare_reads_two_matrices_side_by_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(
        tmp_path,
        "a.yaml",
        "Riverside",
        Cell(area="recruitment", principle="mutuality", status=Status.PARTLY, text="Some."),
    )
    b = write(
        tmp_path,
        "b.yaml",
        "Hillside",
        Cell(area="recruitment", principle="mutuality", status=Status.IN_PLACE, text="Panel."),
        areas=3,
    )
    code, out, _ = run(capsys, "practice", "compare", str(a), str(b))
    assert code == 0
    assert "Side by side: Riverside (enrich@2017) and Hillside (enrich@2017)" in out
    assert "      Riverside: Partly in place | Some." in out
    assert "      Hillside: In place | Panel." in out
    assert "Areas only Riverside has (not compared): Supervision (individual);" in out
    assert "Areas only Hillside has" not in out


def test_check_reports_valid_and_broken_matrices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(
        tmp_path, "good.yaml", "Riverside", Cell(area="supervision", principle="mutuality")
    )
    bad = write(tmp_path, "bad.yaml", "Hillside", Cell(area="supervision", principle="mutualty"))
    code, out, err = run(capsys, "practice", "check", str(good), str(bad))
    assert code == 1
    assert f"{good}: the matrix of Riverside is valid (11 areas, 1 cell written" in out
    assert f"{bad}: 1 problem(s)" in err
    assert "cells[0].principle: 'mutualty' is not a principle or theme of enrich@2017" in err


def test_check_a_matrix_whose_framework_is_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = Matrix(programme="R", framework="elsewhere@1", areas=list(builtin_areas()))
    path = write_matrix_yaml(matrix, tmp_path / "m.yaml")
    code, _, err = run(capsys, "practice", "check", str(path), str(tmp_path / "absent.yaml"))
    assert code == 1
    assert "follows elsewhere@1, which is not in the library" in err
    assert "absent.yaml: there is no such file." in err


def test_a_framework_file_that_is_an_instrument_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    instrument = next(
        (Path(__file__).parents[2] / "src/peerprinciples/core/data/instruments").glob("*.yaml")
    )
    code, _, err = run(capsys, "practice", "prompts", "--framework", str(instrument))
    assert code == 1
    assert "is not a framework or a local adaptation of one" in err
