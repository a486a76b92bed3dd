"""A starter reflection guide drafted from a newly published framework's wording."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests.coproduction.test_publishing_files import ENRICH, harbour, run

from peerprinciples.core.coproduction.publishing_yaml import to_yaml
from peerprinciples.core.coproduction.starter_guide import (
    GuideCarryOverError,
    carry_over_guide,
    starter_guide,
)
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


# --- carrying a guide over to a new framework version ---------------------------------------


def test_a_guide_carries_over_to_a_rewording_with_the_same_keys(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = harbour()
    guide = starter_guide(first, "harbour-reflection", "1")
    second = first.model_copy(update={"version": "2", "title": "Harbour principles, corrected"})
    carried = carry_over_guide(guide, second, "2")
    assert carried.framework == "harbour@2"
    assert carried.version == "2"
    assert carried.key == "harbour-reflection"
    # The wording travels unchanged; only the version and the framework it follows move.
    assert carried.questions == guide.questions
    assert carried.self_assessment == guide.self_assessment
    assert guide.framework == "harbour@1"  # the original is left as it was
    # The carried guide passes reflection check against the new version.
    (tmp_path / "harbour.yaml").write_text(to_yaml(second), encoding="utf-8")
    path = tmp_path / "guide.yaml"
    path.write_text(to_yaml(carried), encoding="utf-8")
    code, out, err = run(capsys, "--library", str(tmp_path), "reflection", "check", str(path))
    assert (code, err) == (0, "")
    assert "harbour-reflection@2 is valid (reflection-guide, for harbour@2)" in out


def test_a_guide_asking_about_a_principle_the_new_version_lacks_is_refused() -> None:
    first = harbour()
    guide = starter_guide(first, "harbour-reflection", "1")
    second = first.model_copy(
        update={"version": "2", "principles": [first.principle("walking")], "themes": []}
    )
    with pytest.raises(GuideCarryOverError) as refused:
        carry_over_guide(guide, second, "2")
    message = str(refused.value)
    assert message.startswith("harbour-reflection@1 cannot be carried over to harbour@2:")
    assert "at questions.sharing, there are questions for 'sharing'" in message
    assert "(it has: walking)" in message
    assert "Store a starter guide for the new framework instead" in message


def test_a_new_principle_without_questions_is_refused() -> None:
    first = harbour()
    guide = starter_guide(first, "harbour-reflection", "1")
    extra = first.principle("sharing").model_copy(update={"key": "resting", "title": "Resting"})
    second = first.model_copy(update={"version": "2", "principles": [*first.principles, extra]})
    with pytest.raises(GuideCarryOverError) as refused:
        carry_over_guide(guide, second, "2")
    message = str(refused.value)
    assert "the principle 'resting' of harbour@2 has no questions." in message
    assert "the principle 'resting' has no self-assessment statement." in message


def test_carrying_a_guide_onto_its_own_framework_and_version_is_refused() -> None:
    framework = harbour()
    guide = starter_guide(framework, "harbour-reflection", "1")
    with pytest.raises(GuideCarryOverError, match="already follows harbour@1"):
        carry_over_guide(guide, framework, "1")
    # Another version of the same guide for the same framework is allowed.
    assert carry_over_guide(guide, framework, "1.1").version == "1.1"
