"""Local adaptations of a reflection guide: only the changes are written; lineage stays visible."""

from __future__ import annotations

import shutil
from pathlib import Path

from peerprinciples.core.library import Library
from peerprinciples.core.reflection.checks import diff_guides

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"

RIVERSIDE_GUIDE = """\
kind: reflection-guide
key: riverside-reflection
version: "1"
title: Reflecting together at Riverside
extends: enrich-reflection@1
framework: riverside@1
questions:
  meeting-in-community:
    going_well: Where did we meet people in places they already belong?
    hard: What kept us in clinical buildings?
    try_next: Which community places would we like to try?
  mutuality:
    hard: When did it feel like one person was only helping the other?
conditions:
  remove: [title-badge-pay-progression]
  reword:
    peer-space:
      statement: Peer workers meet every week in a room of their own choosing.
  add:
    - key: community-venues
      level: organisation
      statement: The service pays for meeting in community venues.
      principles: [meeting-in-community]
      why: People may not feel safe or equal in a clinic.
statements:
  remove: [div-words]
  reword:
    rel-time:
      text: Peer workers have time to get to know people, without a clock running.
  add:
    - key: mic-place
      principle: meeting-in-community
      text: People choose where we meet.
"""


def _library(tmp_path: Path, text: str) -> tuple[Library, Path]:
    shutil.copy(EXAMPLES / "riverside-adaptation.yaml", tmp_path / "riverside.yaml")
    path = tmp_path / "guide.yaml"
    path.write_text(text, encoding="utf-8")
    return Library([tmp_path]), path


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_an_adaptation_resolves_to_the_full_guide_with_its_lineage(tmp_path: Path) -> None:
    library, _ = _library(tmp_path, RIVERSIDE_GUIDE)
    guide = library.reflection_guide("riverside-reflection@1")
    base = library.reflection_guide("enrich-reflection@1")
    assert guide.extends == "enrich-reflection@1"
    assert guide.framework == "riverside@1"
    assert [g.ref for g in library.guide_lineage(guide)] == [
        "riverside-reflection@1",
        "enrich-reflection@1",
    ]
    # Added, reworded (one field only) and dropped.
    assert guide.questions["meeting-in-community"].try_next.startswith("Which community")
    assert guide.questions["mutuality"].hard.startswith("When did it feel")
    assert guide.questions["mutuality"].going_well == base.questions["mutuality"].going_well
    keys = [c.key for c in guide.conditions]
    assert "title-badge-pay-progression" not in keys
    assert keys[-1] == "community-venues"
    peer_space = next(c for c in guide.conditions if c.key == "peer-space")
    assert peer_space.statement.startswith("Peer workers meet every week")
    assert peer_space.level == "team"  # left as the base had it
    assert [s.key for s in guide.statements_for("meeting-in-community")] == ["mic-place"]
    assert "div-words" not in [s.key for s in guide.self_assessment.statements]
    # The rest comes from the base unchanged.
    assert guide.self_assessment.scale == base.self_assessment.scale
    assert guide.questions["relationships"] == base.questions["relationships"]


def test_diff_lists_exactly_what_the_adaptation_changes(tmp_path: Path) -> None:
    library, _ = _library(tmp_path, RIVERSIDE_GUIDE)
    base = library.reflection_guide("enrich-reflection@1")
    guide = library.reflection_guide("riverside-reflection")
    assert [
        (c.kind, c.target, c.detail if c.kind == "reworded" else "")
        for c in diff_guides(base, guide)
    ] == [
        ("reworded", "guide", "framework"),
        ("reworded", "questions 'mutuality'", "hard"),
        ("added", "questions 'meeting-in-community'", ""),
        ("removed", "condition 'title-badge-pay-progression'", ""),
        ("reworded", "condition 'peer-space'", "statement"),
        ("added", "condition 'community-venues'", ""),
        ("removed", "statement 'div-words'", ""),
        ("reworded", "statement 'rel-time'", "text"),
        ("added", "statement 'mic-place'", ""),
    ]
    assert diff_guides(base, base) == []


def test_dropping_an_unknown_condition_is_named_with_its_line(tmp_path: Path) -> None:
    text = RIVERSIDE_GUIDE.replace(
        "remove: [title-badge-pay-progression]", "remove: [title-badge-pay-progression, badges]"
    )
    library, path = _library(tmp_path, text)
    problems = library.check_file(path).problems
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.where == "conditions.remove[1]"
    assert problem.line == _line_of(text, "badges")
    assert "cannot remove the condition 'badges'" in problem.message
    assert "peer-space" in problem.message  # the base's keys are listed
    assert problem.fix


def test_rewording_an_unknown_statement_or_adding_an_existing_key_is_named(
    tmp_path: Path,
) -> None:
    text = RIVERSIDE_GUIDE.replace("    rel-time:\n", "    rel-tim:\n").replace(
        "key: community-venues", "key: peer-space"
    )
    library, path = _library(tmp_path, text)
    problems = {p.where: p for p in library.check_file(path).problems}
    assert "cannot reword the statement 'rel-tim'" in problems["statements.reword.rel-tim"].message
    assert problems["statements.reword.rel-tim"].line == _line_of(text, "rel-tim:")
    added = problems["conditions.add[0].key"]
    assert "'peer-space' already exists" in added.message
    assert added.line == _line_of(text, "key: peer-space")


def test_a_new_principle_of_the_framework_needs_its_questions_and_statements(
    tmp_path: Path,
) -> None:
    text = RIVERSIDE_GUIDE.replace(
        "    try_next: Which community places would we like to try?\n", ""
    ).replace("      principle: meeting-in-community\n", "      principle: relationships\n")
    library, path = _library(tmp_path, text)
    problems = library.check_file(path).problems
    messages = [str(p) for p in problems]
    assert any("all three are needed (missing: try_next)" in m for m in messages), messages
    assert problems[0].where == "questions.meeting-in-community"
    assert problems[0].line == _line_of(text, "meeting-in-community:")


def test_an_adaptation_missing_a_new_principles_statements_is_told_so(tmp_path: Path) -> None:
    text = RIVERSIDE_GUIDE.replace("principle: meeting-in-community", "principle: relationships")
    library, path = _library(tmp_path, text)
    problems = library.check_file(path).problems
    assert len(problems) == 1, problems
    assert problems[0].where == "statements"
    assert "'meeting-in-community' has no self-assessment statement" in problems[0].message
    assert problems[0].message.startswith("in the adapted guide")


def test_an_adaptation_of_a_missing_guide_is_named(tmp_path: Path) -> None:
    text = RIVERSIDE_GUIDE.replace("extends: enrich-reflection@1", "extends: enrich-reflection@7")
    library, path = _library(tmp_path, text)
    problems = library.check_file(path).problems
    assert [p.where for p in problems] == ["extends"]
    assert "no version '7'" in problems[0].message
    assert problems[0].line == 5


def test_an_adaptation_that_keeps_the_base_framework_follows_it(tmp_path: Path) -> None:
    text = """\
kind: reflection-guide
key: small-change
version: "1"
title: A small change
extends: enrich-reflection@1
conditions:
  remove: [peer-space]
"""
    library, _ = _library(tmp_path, text)
    guide = library.reflection_guide("small-change")
    assert guide.framework == "enrich@2017"
    assert "peer-space" not in [c.key for c in guide.conditions]


def test_the_examples_in_the_documentation_are_sound(tmp_path: Path) -> None:
    import re

    text = (Path(__file__).parents[2] / "docs" / "reflection.md").read_text(encoding="utf-8")
    guide, adaptation = re.findall(r"```yaml\n(.*?)```", text, re.S)
    (tmp_path / "ours.yaml").write_text(
        'key: our-framework\nversion: "1"\ntitle: Ours\nprinciples:\n'
        "  - {key: relationships, title: R, definition: D}\n"
        "  - {key: mutuality, title: M, definition: D}\n",
        encoding="utf-8",
    )
    (tmp_path / "guide.yaml").write_text(guide, encoding="utf-8")
    library, path = _library(tmp_path, adaptation)
    assert library.check_file(tmp_path / "guide.yaml").problems == []
    assert library.check_file(path).problems == []
    assert library.reflection_guide("riverside-reflection").extends == "enrich-reflection@1"
