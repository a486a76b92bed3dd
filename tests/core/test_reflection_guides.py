"""Reflection guides: the built-in one is sound, and every class of mistake is located.

Each error case writes a small broken guide beside a tiny framework, checks it, and expects
a problem whose message, place in the document and line point at the mistake, with a fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from peerprinciples.core.documents import DocumentError, Problem
from peerprinciples.core.library import Library
from peerprinciples.core.models import text_ids
from peerprinciples.core.reflection.model import LEVELS
from peerprinciples.core.translation import localise

FRAMEWORK = """\
key: tiny
version: "1"
title: A tiny framework
principles:
  - key: relate
    title: Relationships
    definition: People relate as peers.
  - key: share
    title: Sharing
    definition: People share what they know.
themes:
  - key: diversity
    title: Diversity
    description: Across everything.
"""

GUIDE = """\
kind: reflection-guide
key: tiny-reflection
version: "1"
title: Reflecting on the tiny framework
framework: tiny@1
questions:
  relate:
    going_well: What went well in relating?
    hard: What was hard in relating?
    try_next: What will we try in relating?
  share:
    going_well: What went well in sharing?
    hard: What was hard in sharing?
    try_next: What will we try in sharing?
  diversity:
    going_well: Whom did we welcome?
    hard: Whom did we leave out?
    try_next: Whom will we reach?
conditions:
  - key: supervision
    level: individual
    statement: Supervision from someone who knows peer support.
    principles: [relate]
    why: Otherwise the role drifts.
  - key: peer-space
    level: team
    statement: Peers have their own space.
    why: Peer values need a place.
self_assessment:
  free_text: Anything to add?
  scale:
    min: 1
    max: 4
    anchors:
      1: {label: Not yet, description: Not happening yet.}
      2: {label: Starting, description: Sometimes.}
      3: {label: Mostly, description: Most of the time.}
      4: {label: Fully, description: Nearly always.}
  statements:
    - key: r1
      principle: relate
      text: We have time to relate.
    - key: r2
      principle: relate
      text: People feel safe.
    - key: s1
      principle: share
      text: We share what we know.
"""

ENRICH_AREAS = [
    "relationships",
    "mutuality",
    "experiential-knowledge",
    "leadership-choice-control",
    "strengths-connections",
    "diversity-of-lived-experience",
]


def _problems(tmp_path: Path, text: str, *others: tuple[str, str]) -> list[Problem]:
    for name, other in (("tiny.yaml", FRAMEWORK), ("tiny-reflection.yaml", GUIDE), *others):
        (tmp_path / name).write_text(other, encoding="utf-8")
    path = tmp_path / "checked" / "guide.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    checked = Library([tmp_path]).check_file(path)
    for problem in checked.problems:
        assert problem.source == str(path)
    return checked.problems


def _line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{fragment!r} not in the document")


def _expect_one(problems: list[Problem], where: str, phrase: str, line: int) -> Problem:
    matching = [p for p in problems if p.where == where and phrase in p.message]
    assert matching, "\n".join(map(str, problems))
    assert matching[0].line == line, str(matching[0])
    assert matching[0].fix, "every problem says how to fix it"
    return matching[0]


# --- the built-in guide ------------------------------------------------------------------


def test_the_built_in_guide_validates_against_the_built_in_framework() -> None:
    library = Library()
    guide = library.reflection_guide("enrich-reflection")
    assert guide.ref == "enrich-reflection@1"
    assert guide.framework == "enrich@2017"
    framework = library.framework(guide.framework)
    assert [p.key for p in framework.principles] + [t.key for t in framework.themes] == (
        ENRICH_AREAS
    )
    assert list(guide.questions) == ENRICH_AREAS
    for key in ENRICH_AREAS[:-1]:
        assert 2 <= len(guide.statements_for(key)) <= 4, key


def test_the_built_in_guide_cites_the_paper_and_covers_every_level() -> None:
    guide = Library().reflection_guide("enrich-reflection@1")
    assert guide.citation is not None
    assert guide.citation.doi == "10.1108/MHSI-03-2017-0016"
    assert all(guide.conditions_at(level) for level in LEVELS)
    keys = {c.key for c in guide.conditions}
    for expected in (
        "supervision-by-someone-who-understands",
        "peer-space",
        "notes-written-and-shared",
        "how-work-is-allocated",
        "title-badge-pay-progression",
        "say-over-role-changes",
        "training-without-a-script",
    ):
        assert expected in keys
    scale = guide.self_assessment.scale
    assert list(scale.points) == [1, 2, 3, 4]
    assert [scale.anchors[p].label for p in scale.points] == [
        "Not yet",
        "Starting",
        "Mostly",
        "Fully",
    ]


def test_the_built_in_guide_is_listed_apart_from_frameworks_and_instruments() -> None:
    library = Library()
    assert [e.ref for e in library.reflection_guides()] == ["enrich-reflection@1"]
    assert "enrich-reflection@1" not in [e.ref for e in library.frameworks()]
    assert "enrich-reflection@1" not in [e.ref for e in library.instruments()]


def test_questions_are_translatable_like_a_frameworks_texts(tmp_path: Path) -> None:
    text = GUIDE + 'translations:\n  cy:\n    questions.relate.hard: "Beth oedd yn anodd?"\n'
    assert _problems(tmp_path, text.replace("tiny-reflection", "tiny-reflection-cy")) == []
    guide = Library([tmp_path / "checked", tmp_path]).reflection_guide("tiny-reflection-cy")
    ids = dict(text_ids(guide))
    assert ids["questions.relate.going_well"] == "What went well in relating?"
    assert ids["self_assessment.scale.anchors.1.label"] == "Not yet"
    welsh = localise(guide, "cy")
    assert welsh.document.questions["relate"].hard == "Beth oedd yn anodd?"
    assert "questions.relate.going_well" in welsh.missing


def test_a_sound_guide_has_no_problems(tmp_path: Path) -> None:
    assert _problems(tmp_path, GUIDE.replace("tiny-reflection", "tiny-reflection-2")) == []


# --- mistakes in a guide -----------------------------------------------------------------


def test_a_principle_without_questions_is_named(tmp_path: Path) -> None:
    text = GUIDE.replace(
        "  share:\n    going_well: What went well in sharing?\n"
        "    hard: What was hard in sharing?\n    try_next: What will we try in sharing?\n",
        "",
    )
    problem = _expect_one(
        _problems(tmp_path, text), "questions", "'share' of tiny@1 has no questions", 6
    )
    assert "questions.share" in problem.fix


def test_a_principle_missing_one_of_its_three_questions_is_named(tmp_path: Path) -> None:
    text = GUIDE.replace("    hard: What was hard in sharing?\n", "")
    _expect_one(
        _problems(tmp_path, text),
        "questions.share.hard",
        "'hard' is missing",
        _line_of(text, "  share:"),
    )


def test_questions_for_an_unknown_principle_are_named(tmp_path: Path) -> None:
    text = GUIDE.replace("  share:\n", "  sharing:\n")
    problems = _problems(tmp_path, text)
    problem = _expect_one(
        problems,
        "questions.sharing",
        "not a principle or theme of tiny@1",
        _line_of(text, "sharing:"),
    )
    assert "relate, share, diversity" in problem.message
    _expect_one(problems, "questions", "'share' of tiny@1 has no questions", 6)


def test_a_condition_or_statement_about_an_unknown_principle_is_named(tmp_path: Path) -> None:
    text = GUIDE.replace("principles: [relate]", "principles: [relate, trust]").replace(
        "principle: share", "principle: sharing"
    )
    problems = _problems(tmp_path, text)
    _expect_one(
        problems, "conditions[0].principles[1]", "'trust'", _line_of(text, "[relate, trust]")
    )
    _expect_one(
        problems,
        "self_assessment.statements[2].principle",
        "'sharing'",
        _line_of(text, "principle: sharing"),
    )
    _expect_one(
        problems,
        "self_assessment.statements",
        "'share' has no self-assessment",
        _line_of(text, "statements:"),
    )


def test_a_condition_key_used_twice_is_named(tmp_path: Path) -> None:
    text = GUIDE.replace("key: peer-space", "key: supervision")
    _expect_one(
        _problems(tmp_path, text),
        "conditions[1].key",
        "'supervision' is used twice",
        _line_of(text, "key: supervision", 2),
    )


def test_a_statement_key_used_twice_is_named(tmp_path: Path) -> None:
    text = GUIDE.replace("key: s1", "key: r1")
    _expect_one(
        _problems(tmp_path, text),
        "self_assessment.statements[2].key",
        "'r1' is used twice",
        _line_of(text, "key: r1", 2),
    )


def test_a_scale_point_without_an_anchor_is_named(tmp_path: Path) -> None:
    text = GUIDE.replace("      3: {label: Mostly, description: Most of the time.}\n", "")
    problem = _expect_one(
        _problems(tmp_path, text),
        "self_assessment.scale.anchors",
        "point 3 of the scale has no anchor",
        _line_of(text, "anchors:"),
    )
    assert "'3:'" in problem.fix


def test_an_anchor_without_a_description_is_named(tmp_path: Path) -> None:
    text = GUIDE.replace("{label: Starting, description: Sometimes.}", "{label: Starting}")
    _expect_one(
        _problems(tmp_path, text),
        "self_assessment.scale.anchors[2].description",
        "'description' is missing",
        _line_of(text, "{label: Starting}"),
    )


def test_an_anchor_off_the_scale_is_named(tmp_path: Path) -> None:
    text = GUIDE.replace(
        "      4: {label: Fully",
        "      5: {label: Beyond, description: X.}\n      4: {label: Fully",
    )
    problems = _problems(tmp_path, text)
    _expect_one(
        problems,
        "self_assessment.scale.anchors[5]",
        "not a point of the scale",
        _line_of(text, "5:"),
    )


def test_a_condition_at_an_unknown_level_is_named(tmp_path: Path) -> None:
    text = GUIDE.replace("level: team", "level: ward")
    _expect_one(
        _problems(tmp_path, text), "conditions[1].level", "input should be", _line_of(text, "ward")
    )


def test_a_guide_for_a_framework_the_library_lacks_is_named(tmp_path: Path) -> None:
    text = GUIDE.replace("framework: tiny@1", "framework: tiny@9")
    problem = _expect_one(_problems(tmp_path, text), "framework", "tiny@9", 5)
    assert "no version '9'" in problem.message


def test_every_problem_is_reported_at_once_with_file_and_line(tmp_path: Path) -> None:
    text = GUIDE.replace("principles: [relate]", "principles: [ghost]").replace(
        "key: s1", "key: r1"
    )
    problems = _problems(tmp_path, text)
    assert {p.where for p in problems} == {
        "conditions[0].principles[0]",
        "self_assessment.statements[2].key",
    }
    rendered = str(DocumentError(problems))
    assert "2 problems found" in rendered
    assert f"guide.yaml:{_line_of(text, '[ghost]')}: conditions[0].principles[0]:" in rendered
    assert "Fix:" in rendered


def test_an_unknown_guide_is_a_clear_not_found() -> None:
    with pytest.raises(LookupError, match=r"no reflection guide 'nothing'.*enrich-reflection@1"):
        Library().reflection_guide("nothing")
