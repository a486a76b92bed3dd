"""The instrument commands: list, show (an interview guide), validate, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peerprinciples.cli.main import main

BUILTIN = "src/peerprinciples/core/data/instruments/enrich-example-index-0.1.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_the_example_index_and_its_framework(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "instrument", "list")
    assert code == 0
    assert "enrich-example-index@0.1" in out
    assert "framework enrich@2017" in out


def test_show_prints_an_interview_guide_per_informant(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "instrument", "show", "enrich-example-index", "--format", "markdown")
    assert code == 0
    for title in ("Peer worker", "Supervisor", "Person receiving peer support"):
        assert f"## Interview guide: {title}" in out
    assert "Prompt:" in out
    assert "* 5 " in out


def test_show_for_one_informant_leaves_out_items_they_are_not_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from peerprinciples.core.library import Library

    instrument = Library().instrument("enrich-example-index")
    asked = {i.key for i in instrument.items_for("supported_person")}
    not_asked = {i.key for i in instrument.items} - asked
    assert not_asked, "the example has items some informants are not asked"
    code, out, _ = run(
        capsys, "instrument", "show", "enrich-example-index", "--informant", "supported_person"
    )
    assert code == 0
    assert all(f"[{key}]" in out for key in asked)
    assert not any(f"[{key}]" in out for key in not_asked)


def test_show_an_unknown_informant_fails(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "instrument", "show", "enrich-example-index", "--informant", "nurse")
    assert code == 1
    assert "no informant 'nurse'" in err


def test_validate_accepts_the_builtin_index(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "instrument", "validate", BUILTIN)
    assert code == 0
    assert "enrich-example-index@0.1 is valid" in out


def test_validate_reports_a_broken_index_with_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = Path(BUILTIN).read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        text.replace("framework: enrich@2017", "framework: enrich@2030", 1).replace(
            "domain: mutuality", "domain: mutual", 1
        ),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "instrument", "validate", str(broken))
    assert code == 1
    assert "framework: the instrument is pinned to enrich@2030" in err
    assert "'mutual'" in err


def test_export_json_round_trips(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "instrument", "export", "enrich-example-index", "--format", "json")
    data = json.loads(out)
    assert code == 0
    data["key"] = "copy-index"
    copy = tmp_path / "copy.yaml"
    copy.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML too
    code, out, _ = run(capsys, "instrument", "validate", str(copy))
    assert code == 0, out


def test_demo_shows_framework_and_interview_guide(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert "ENRICH PEER SUPPORT PRINCIPLES" in out
    assert "Interview guide: Peer worker" in out
