"""The framework commands: list, show, validate, diff, export, schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from peerprinciples.cli.main import main

EXAMPLES = str(Path(__file__).parents[2] / "docs" / "examples")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_the_built_in_framework(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "framework", "list")
    assert code == 0
    assert "enrich@2017" in out
    assert "built-in" in out


def test_list_includes_a_library_folder_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEERPRINCIPLES_LIBRARY", EXAMPLES)
    code, out, _ = run(capsys, "framework", "list")
    assert code == 0
    assert "riverside@1" in out
    assert "extends enrich@2017" in out


def test_show_json_gives_five_principles_theme_and_citation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "framework", "show", "enrich@2017", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert len(data["principles"]) == 5
    assert data["themes"][0]["key"] == "diversity-of-lived-experience"
    assert data["citation"]["doi"] == "10.1108/MHSI-03-2017-0016"


def test_show_markdown_numbers_the_principles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "framework", "show", "enrich", "--format", "markdown")
    assert code == 0
    assert out.startswith("# ENRICH peer support principles (enrich@2017)")
    assert "### 1. " in out
    assert "### 5. " in out
    assert "https://doi.org/10.1108/MHSI-03-2017-0016" in out


def test_show_an_unknown_framework_fails_and_lists_what_exists(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "framework", "show", "enrich@1999")
    assert code == 1
    assert "no version '1999'" in err
    assert "2017" in err


def test_show_in_another_language_reports_missing_translations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys, "--library", EXAMPLES, "framework", "show", "riverside", "--language", "cy"
    )
    assert code == 0
    assert "Cydfuddiant a dwyochredd" in out
    assert "have no 'cy' translation" in err


def test_validate_accepts_the_example_adaptation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "framework", "validate", f"{EXAMPLES}/riverside-adaptation.yaml")
    assert code == 0
    assert "riverside@1 is valid (adaptation)" in out


def test_validate_lists_every_problem_and_exits_non_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "key: broken\nversion: '1'\ntitle: B\nextends: enrich@2017\nprinciples:\n"
        "  rename: {ghost: Boo}\n  remove: [phantom]\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "framework", "validate", str(broken))
    assert code == 1
    assert "2 problem(s)" in err
    assert f"{broken}:6: principles.rename.ghost:" in err
    assert f"{broken}:7: principles.remove[0]:" in err


def test_validate_tells_an_instrument_from_a_framework(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys,
        "framework",
        "validate",
        "src/peerprinciples/core/data/instruments/enrich-example-index-0.1.yaml",
    )
    assert code == 1
    assert "use 'peerprinciples instrument validate'" in err


def test_diff_lists_the_changes_of_the_adaptation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--library", EXAMPLES, "framework", "diff", "enrich@2017", "riverside@1"
    )
    assert code == 0
    lines = [
        line for line in out.splitlines() if line.startswith("  ") and not line.startswith("      ")
    ]
    assert lines == [
        "  reworded principle 'mutuality': definition",
        "  added principle 'meeting-in-community': Meeting people where they already are",
        "  translated language 'cy': 3 text(s): principles.mutuality.title, "
        "principles.relationships.title, title",
    ]


def test_diff_takes_files_and_gives_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "framework",
        "diff",
        "enrich@2017",
        f"{EXAMPLES}/riverside-adaptation.yaml",
        "--format",
        "json",
    )
    assert code == 0
    assert [c["kind"] for c in json.loads(out)["changes"]] == ["reworded", "added", "translated"]


def test_export_writes_the_resolved_adaptation_that_validates_again(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "full.yaml"
    code, _, _ = run(
        capsys, "--library", EXAMPLES, "framework", "export", "riverside", "--out", str(target)
    )
    assert code == 0
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert len(data["principles"]) == 6
    data.pop("extends")
    data["key"] = "riverside-flat"
    target.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, _ = run(capsys, "framework", "validate", str(target))
    assert code == 0, out


def test_schema_is_printed_as_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "framework", "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["$schema"].endswith("2020-12/schema")
    assert "principles" in schema["required"]


def test_the_installed_command_has_help_on_every_command() -> None:
    commands = [[], ["framework"], ["instrument"], ["demo"]]
    commands += [["framework", a] for a in ("list", "show", "validate", "diff", "export", "schema")]
    commands += [["instrument", a] for a in ("list", "show", "validate", "export", "schema")]
    for command in commands:
        result = subprocess.run(
            [sys.executable, "-m", "peerprinciples.cli.main", *command, "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, (command, result.stderr)
        assert "usage: peerprinciples" in result.stdout


def test_an_unknown_command_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "peerprinciples.cli.main", "frame"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
