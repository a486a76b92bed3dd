"""The reflection commands: list, show, check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peerprinciples.cli.main import main

BUILTIN = (
    Path(__file__).parents[2]
    / "src"
    / "peerprinciples"
    / "core"
    / "data"
    / "reflection"
    / "enrich-reflection-1.yaml"
)

ADAPTATION = """\
kind: reflection-guide
key: local-reflection
version: "1"
title: Our own reflection guide
extends: enrich-reflection@1
conditions:
  remove: [peer-space]
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_the_built_in_guide(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "reflection", "list")
    assert code == 0
    assert "enrich-reflection@1" in out
    assert "for enrich@2017" in out


def test_show_prints_questions_conditions_by_level_and_statements(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "reflection", "show")
    assert code == 0
    assert "Mutuality and reciprocity (mutuality)" in out
    assert "Going well:" in out
    assert "To try:" in out
    positions = [out.index(f"{level} level") for level in ("Individual", "Team", "Organisation")]
    assert positions == sorted(positions)
    assert "1 Not yet:" in out
    assert "rel-time:" in out
    assert "Source: Gillard" in out


def test_show_as_json_carries_the_lineage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "reflection", "show", "enrich-reflection@1", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["lineage"] == ["enrich-reflection@1"]
    assert set(data["questions"]["relationships"]) == {"going_well", "hard", "try_next"}


def test_show_an_adaptation_file_with_its_lineage_and_changes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "local.yaml"
    path.write_text(ADAPTATION, encoding="utf-8")
    code, out, _ = run(capsys, "reflection", "show", str(path))
    assert code == 0
    assert "Adapted from enrich-reflection@1" in out
    assert "Lineage: enrich-reflection@1 <- local-reflection@1" in out
    assert "removed condition 'peer-space'" in out
    assert "(peer-space;" not in out


def test_show_an_unknown_guide_fails_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "reflection", "show", "nothing")
    assert code == 1
    assert "no reflection guide 'nothing'" in err


def test_check_accepts_the_built_in_guide_and_an_adaptation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "local.yaml"
    path.write_text(ADAPTATION, encoding="utf-8")
    code, out, _ = run(capsys, "reflection", "check", str(BUILTIN), str(path))
    assert code == 0
    assert "enrich-reflection@1 is valid (reflection-guide, for enrich@2017)" in out
    assert "local-reflection@1 is valid (reflection-adaptation, for enrich@2017, adapting" in out


def test_check_lists_every_problem_with_line_and_fix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "local.yaml"
    path.write_text(ADAPTATION.replace("[peer-space]", "[peer-spaces]"), encoding="utf-8")
    code, _, err = run(capsys, "reflection", "check", str(path))
    assert code == 1
    assert "1 problem(s)" in err
    assert f"{path}:7: conditions.remove[0]: cannot remove the condition 'peer-spaces'" in err
    assert "Fix:" in err


def test_check_refuses_a_framework_and_framework_validate_refuses_a_guide(
    capsys: pytest.CaptureFixture[str],
) -> None:
    framework = BUILTIN.parents[1] / "frameworks" / "enrich-2017.yaml"
    code, _, err = run(capsys, "reflection", "check", str(framework))
    assert code == 1
    assert "not a reflection guide" in err
    code, _, err = run(capsys, "framework", "validate", str(BUILTIN))
    assert code == 1
    assert "use 'peerprinciples reflection check'" in err
