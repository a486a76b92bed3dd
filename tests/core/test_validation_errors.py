"""Every class of mistake in a framework or instrument is caught and located: file, path, line.

Each case writes a small broken document, checks it, and expects a problem whose message,
place in the document and line number point at the mistake.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from peerprinciples.core.documents import Problem
from peerprinciples.core.library import Library

FRAMEWORK = """\
key: tiny
version: "1"
title: A tiny framework
values:
  - key: trust
    title: Trust
principles:
  - key: relate
    title: Relationships
    definition: People relate as peers.
    values: [trust]
  - key: share
    title: Sharing
    definition: People share what they know.
themes:
  - key: diversity
    title: Diversity
    description: Across everything.
    applies_to: [relate]
"""

INSTRUMENT = """\
key: tiny-index
version: "1"
title: A tiny index
framework: tiny@1
informants:
  - key: peer
    title: Peer worker
  - key: person
    title: Person supported
scales:
  - key: five
    min: 1
    max: 5
    anchors: {1: None, 2: Little, 3: Some, 4: Much, 5: Full}
codes:
  - code: NA
    label: Not applicable
domains:
  - key: relate
    title: Relating
    principles: [relate]
items:
  - key: r1
    domain: relate
    scale: five
    informants:
      peer: {question: "How do you build trust?"}
      person: {question: "How did trust grow?"}
  - key: r2
    domain: relate
    scale: five
    informants:
      peer: {question: "What do you share?"}
scoring:
  bands:
    - {key: low, label: Low, min: 1, max: 3}
    - {key: high, label: High, min: 3, max: 5}
"""


def _problems(tmp_path: Path, name: str, text: str, *others: tuple[str, str]) -> list[Problem]:
    for other_name, other_text in (("tiny.yaml", FRAMEWORK), *others):
        (tmp_path / other_name).write_text(other_text, encoding="utf-8")
    path = tmp_path / "checked" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    checked = Library([tmp_path]).check_file(path)
    for problem in checked.problems:
        assert problem.source == str(path)
    return checked.problems


def _line_of(text: str, fragment: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in the document")


def _expect_one(problems: list[Problem], where: str, phrase: str, line: int) -> Problem:
    matching = [p for p in problems if p.where == where and phrase in p.message]
    assert matching, "\n".join(map(str, problems))
    assert matching[0].line == line, str(matching[0])
    assert matching[0].fix, "every problem says how to fix it"
    return matching[0]


def test_the_sound_documents_have_no_problems(tmp_path: Path) -> None:
    assert _problems(tmp_path, "fw.yaml", FRAMEWORK.replace("tiny", "tiny2")) == []
    assert _problems(tmp_path, "ins.yaml", INSTRUMENT) == []


# --- frameworks ---------------------------------------------------------------------------


def test_it_rejects_an_unknown_field(tmp_path: Path) -> None:
    text = FRAMEWORK.replace(
        "    definition: People share", "    colour: blue\n    definition: People share"
    )
    problem = _expect_one(
        _problems(tmp_path, "f.yaml", text),
        "principles[1].colour",
        "not a field",
        _line_of(text, "colour"),
    )
    assert "spelling" in problem.fix


def test_it_rejects_a_key_written_twice_in_one_mapping(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("title: A tiny framework", "title: A tiny framework\ntitle: Again")
    problems = _problems(tmp_path, "f.yaml", text)
    assert len(problems) == 1
    assert "'title' appears twice" in problems[0].message
    assert problems[0].line == 4


def test_it_rejects_two_principles_with_one_key(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("  - key: share", "  - key: relate")
    second = text.index("  - key: relate", text.index("  - key: relate") + 1)
    _expect_one(
        _problems(tmp_path, "f.yaml", text),
        "principles[1].key",
        "used twice",
        text[:second].count("\n") + 1,
    )


def test_it_rejects_a_principle_protecting_an_undefined_value(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("values: [trust]", "values: [trust, hope]")
    _expect_one(
        _problems(tmp_path, "f.yaml", text),
        "principles[0].values[1]",
        "'hope'",
        _line_of(text, "[trust, hope]"),
    )


def test_it_rejects_a_theme_for_a_missing_principle(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("applies_to: [relate]", "applies_to: [relate, ghost]")
    _expect_one(
        _problems(tmp_path, "f.yaml", text),
        "themes[0].applies_to[1]",
        "'ghost'",
        _line_of(text, "ghost"),
    )


def test_it_rejects_an_unquoted_version(tmp_path: Path) -> None:
    text = FRAMEWORK.replace('version: "1"', "version: 1")
    problem = _expect_one(_problems(tmp_path, "f.yaml", text), "version", "string", 2)
    assert "quote" in problem.fix


def test_it_rejects_text_that_is_not_yaml(tmp_path: Path) -> None:
    text = FRAMEWORK.replace("title: Trust", "title: [Trust")
    problems = _problems(tmp_path, "f.yaml", text)
    assert len(problems) == 1
    assert "not valid YAML" in problems[0].message
    assert problems[0].line is not None


def test_it_rejects_an_empty_file(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "f.yaml", "")
    assert "empty" in problems[0].message


def test_it_rejects_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Café\n".encode("latin-1"))
    problems = Library([]).check_file(path).problems
    assert "not UTF-8" in problems[0].message


def test_it_reports_every_problem_in_a_file_at_once(tmp_path: Path) -> None:
    text = (
        FRAMEWORK.replace("values: [trust]", "values: [hope]")
        .replace("applies_to: [relate]", "applies_to: [ghost]")
        .replace("    title: Sharing\n", "")
    )
    problems = _problems(tmp_path, "f.yaml", text)
    assert {p.where for p in problems} == {
        "principles[0].values[0]",
        "themes[0].applies_to[0]",
        "principles[1].title",
    }


# --- adaptations --------------------------------------------------------------------------


ADAPTATION = """\
key: local
version: "1"
title: Local
extends: tiny@1
principles:
  rename:
    relate: Trusting relationships
"""


def test_it_rejects_renaming_a_principle_the_base_does_not_have(tmp_path: Path) -> None:
    text = ADAPTATION.replace("relate: Trusting", "relating: Trusting")
    problem = _expect_one(
        _problems(tmp_path, "a.yaml", text),
        "principles.rename.relating",
        "the base framework has no such principle",
        7,
    )
    assert "relate, share" in problem.message


def test_it_rejects_rewording_or_removing_a_missing_principle(tmp_path: Path) -> None:
    text = ADAPTATION + "  reword:\n    ghost: {definition: Boo.}\n  remove: [phantom]\n"
    problems = _problems(tmp_path, "a.yaml", text)
    _expect_one(problems, "principles.reword.ghost", "cannot reword", 9)
    _expect_one(problems, "principles.remove[0]", "cannot remove the principle 'phantom'", 10)


def test_it_rejects_adding_a_principle_the_base_already_has(tmp_path: Path) -> None:
    text = ADAPTATION + "  add:\n    - {key: share, title: S, definition: D.}\n"
    _expect_one(_problems(tmp_path, "a.yaml", text), "principles.add[0].key", "already exists", 9)


def test_it_rejects_extending_a_version_that_is_not_available(tmp_path: Path) -> None:
    text = ADAPTATION.replace("extends: tiny@1", "extends: tiny@9")
    problem = _expect_one(_problems(tmp_path, "a.yaml", text), "extends", "no version '9'", 4)
    assert "versions: 1" in problem.message


def test_it_rejects_removing_a_value_a_principle_still_protects(tmp_path: Path) -> None:
    text = ADAPTATION + "values:\n  remove: [trust]\n"
    problems = _problems(tmp_path, "a.yaml", text)
    assert any("no longer defines" in p.message for p in problems), problems


# --- instruments --------------------------------------------------------------------------


def test_it_rejects_an_item_in_an_unknown_domain(tmp_path: Path) -> None:
    text = INSTRUMENT.replace("  - key: r2\n    domain: relate", "  - key: r2\n    domain: share")
    problem = _expect_one(
        _problems(tmp_path, "i.yaml", text),
        "items[1].domain",
        "'share'",
        _line_of(text, "domain: share"),
    )
    assert "domains: relate" in problem.message


def test_it_rejects_a_domain_linked_to_a_principle_the_framework_lacks(tmp_path: Path) -> None:
    text = INSTRUMENT.replace("principles: [relate]", "principles: [relate, reciprocity]")
    _expect_one(
        _problems(tmp_path, "i.yaml", text),
        "domains[0].principles[1]",
        "'reciprocity'",
        _line_of(text, "reciprocity"),
    )


def test_it_rejects_a_scale_with_a_missing_anchor(tmp_path: Path) -> None:
    text = INSTRUMENT.replace(" 4: Much,", "")
    problem = _expect_one(
        _problems(tmp_path, "i.yaml", text),
        "scales[0].anchors",
        "no anchor for point 4",
        _line_of(text, "anchors: {1"),
    )
    assert "every point" in problem.fix


def test_it_rejects_item_anchors_that_miss_a_point_or_leave_the_scale(tmp_path: Path) -> None:
    anchors = "    anchors: {1: a, 2: b, 3: c, 5: e, 6: f}\n"
    text = INSTRUMENT.replace("  - key: r2\n", "  - key: r2\n" + anchors)
    problems = _problems(tmp_path, "i.yaml", text)
    _expect_one(problems, "items[1].anchors", "no anchor for point 4", _line_of(text, "6: f"))
    _expect_one(problems, "items[1].anchors[6]", "not a point of its scale", _line_of(text, "6: f"))


def test_it_rejects_an_item_with_an_unknown_scale_or_informant(tmp_path: Path) -> None:
    text = INSTRUMENT.replace(
        '      peer: {question: "What do you share?"}',
        '      supervisor: {question: "What do they share?"}',
    )
    text = text.replace(
        "    scale: five\n    informants:\n      supervisor",
        "    scale: seven\n    informants:\n      supervisor",
    )
    problems = _problems(tmp_path, "i.yaml", text)
    _expect_one(problems, "items[1].scale", "'seven'", _line_of(text, "scale: seven"))
    _expect_one(
        problems, "items[1].informants.supervisor", "'supervisor'", _line_of(text, "supervisor:")
    )


def test_it_rejects_duplicate_item_keys(tmp_path: Path) -> None:
    text = INSTRUMENT.replace("key: r2", "key: r1")
    second = text.index("  - key: r1", text.index("  - key: r1") + 1)
    _expect_one(
        _problems(tmp_path, "i.yaml", text),
        "items[1].key",
        "used twice",
        text[:second].count("\n") + 1,
    )


def test_it_rejects_an_instrument_pinned_to_an_unavailable_framework(tmp_path: Path) -> None:
    text = INSTRUMENT.replace("framework: tiny@1", "framework: tiny@2")
    problem = _expect_one(_problems(tmp_path, "i.yaml", text), "framework", "not available", 4)
    assert "framework list" in problem.fix


def test_it_rejects_a_domain_without_items(tmp_path: Path) -> None:
    text = INSTRUMENT.replace(
        "items:\n", "  - key: empty\n    title: Empty\n    principles: [share]\nitems:\n"
    )
    _expect_one(
        _problems(tmp_path, "i.yaml", text),
        "domains[1]",
        "has no items",
        _line_of(text, "key: empty"),
    )


def test_it_rejects_overlapping_bands(tmp_path: Path) -> None:
    text = INSTRUMENT.replace(
        "{key: high, label: High, min: 3,", "{key: high, label: High, min: 2,"
    )
    _expect_one(
        _problems(tmp_path, "i.yaml", text),
        "scoring.bands[1]",
        "inside the band",
        _line_of(text, "key: high"),
    )


def test_it_rejects_a_code_value_that_is_also_a_scale_point(tmp_path: Path) -> None:
    text = INSTRUMENT.replace(
        "    label: Not applicable", "    label: Not applicable\n    value: 3"
    )
    _expect_one(
        _problems(tmp_path, "i.yaml", text),
        "codes[0].value",
        "also a point",
        _line_of(text, "value: 3"),
    )


def test_it_rejects_a_translation_of_a_text_that_does_not_exist(tmp_path: Path) -> None:
    text = INSTRUMENT + "translations:\n  cy:\n    items.r9.anchors.1: Dim\n"
    _expect_one(
        _problems(tmp_path, "i.yaml", text),
        "translations.cy.items.r9.anchors.1",
        "names no text",
        _line_of(text, "items.r9"),
    )


@pytest.mark.parametrize(
    ("mistake", "where"),
    [
        ("min_rated: 1.5", "scoring.domain.min_rated"),
        ("min_rated: 0", "scoring.domain.min_rated"),
    ],
)
def test_it_rejects_a_minimum_share_outside_zero_to_one(
    tmp_path: Path, mistake: str, where: str
) -> None:
    text = INSTRUMENT.replace("scoring:\n", f"scoring:\n  domain: {{{mistake}}}\n")
    _expect_one(_problems(tmp_path, "i.yaml", text), where, "", _line_of(text, mistake))


def test_problems_print_as_file_line_place_message_and_fix(tmp_path: Path) -> None:
    text = INSTRUMENT.replace("framework: tiny@1", "framework: tiny@2")
    problem = _problems(tmp_path, "i.yaml", text)[0]
    printed = str(problem)
    assert printed.startswith(f"{problem.source}:4: framework: ")
    assert " Fix: " in printed


def test_dedent_helper_is_not_needed_for_these_fixtures() -> None:
    # The fixtures above are written flush left so that their line numbers are the file's.
    assert textwrap.dedent(FRAMEWORK) == FRAMEWORK
    assert textwrap.dedent(INSTRUMENT) == INSTRUMENT


def test_it_rejects_two_added_principles_with_one_key(tmp_path: Path) -> None:
    text = ADAPTATION + (
        "  add:\n    - {key: hope, title: H, definition: D.}\n"
        "    - {key: hope, title: H2, definition: D2.}\n"
    )
    _expect_one(_problems(tmp_path, "a.yaml", text), "principles.add[1].key", "used twice", 10)


def test_it_says_special_codes_are_written_in_capitals(tmp_path: Path) -> None:
    text = INSTRUMENT.replace("  - code: NA", "  - code: na")
    problem = _expect_one(
        _problems(tmp_path, "i.yaml", text),
        "codes[0].code",
        "not written",
        _line_of(text, "code: na"),
    )
    assert "capital letters" in problem.fix
