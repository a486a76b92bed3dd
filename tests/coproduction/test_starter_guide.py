"""A starter reflection guide drafted from a newly published framework's wording."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests.coproduction.test_publishing_files import ENRICH, harbour, run

from peerprinciples.core.coproduction.publishing_yaml import to_yaml
from peerprinciples.core.coproduction.starter_guide import starter_guide
from peerprinciples.core.library import Library
from peerprinciples.core.reflection.model import ReflectionGuide


def test_a_starter_guide_passes_reflection_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    framework = harbour()
    guide = starter_guide(framework, "harbour-reflection", "0.1")
    (tmp_path / "harbour.yaml").write_text(to_yaml(framework), encoding="utf-8")
    path = tmp_path / "guide.yaml"
    path.write_text(to_yaml(guide), encoding="utf-8")
    assert ReflectionGuide.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))) == guide
    code, out, err = run(capsys, "--library", str(tmp_path), "reflection", "check", str(path))
    assert (code, err) == (0, "")
    assert "harbour-reflection@0.1 is valid (reflection-guide, for harbour@1)" in out


def test_every_principle_and_theme_gets_questions_and_statements() -> None:
    framework = harbour()
    guide = starter_guide(framework, "harbour-reflection", "1")
    assert list(guide.questions) == ["walking", "sharing", "difference"]
    assert guide.questions["sharing"].hard == "What has made “Sharing” hard to hold on to?"
    # One statement per aspect; the definition where there are none; a theme's description.
    assert [(s.key, s.principle, s.text) for s in guide.self_assessment.statements] == [
        ("walking-1", "walking", "Pace."),
        ("sharing-1", "sharing", "Sharing when it helps."),
        ("difference-1", "difference", "Lives differ."),
    ]
    assert "draft" in guide.title
    assert "reword" in guide.notice


def test_the_conditions_are_kept_without_links_to_enrich() -> None:
    example = Library().reflection_guide("enrich-reflection@1")
    guide = starter_guide(ENRICH, "enrich-starter", "1")
    assert [c.key for c in guide.conditions] == [c.key for c in example.conditions]
    assert all(c.principles == [] for c in guide.conditions)
    assert guide.self_assessment.scale == example.self_assessment.scale
    # 14 aspects of ENRICH's five principles, and one statement for its theme.
    assert len(guide.self_assessment.statements) == 15
