"""A framework's provenance and a local value's community: optional, checked, shown, and
never counted as a change of wording."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest

from peerprinciples.core.frameworks import diff_frameworks
from peerprinciples.core.library import Library
from peerprinciples.core.provenance import (
    Counts,
    PrincipleProvenance,
    Provenance,
    RoundRecord,
)
from peerprinciples.core.rendering import SYNTHETIC_NOTICE, render_framework
from peerprinciples.core.translation import coverage

WriteDoc = Callable[[str, str], Path]

HARBOUR = """
key: harbour
version: "1"
title: Harbour peer support principles
values:
  - key: choice
    title: Choice and control
  - key: estate
    title: Belonging to the estate
    scope: {scope}
    community: Harbour estate
principles:
  - key: walking
    title: Walking alongside
    definition: Peer workers walk alongside people rather than leading them.
    values: [choice, estate]
provenance:
  project: Harbour panel
  published: 2024-05-01
  synthetic: true
  methods: Ten panel members wrote 48 cards.
  counts: {{members: 10, cards: 48}}
  principles:
    {principle}:
      categories: [Being alongside]
      piles: [Walk with me]
      values: [{value}]
      rounds:
        - {{number: 1, share_agreeing: 0.6, median: 6.5, agreed: false}}
        - {{number: 2, share_agreeing: 0.9, median: 8, agreed: true}}
      agreed_in: 2
"""


def harbour(scope: str = "local", principle: str = "walking", value: str = "choice") -> str:
    return HARBOUR.format(scope=scope, principle=principle, value=value)


def test_a_framework_with_provenance_and_a_local_community_is_valid(
    write_doc: WriteDoc, library: Library
) -> None:
    write_doc("harbour.yaml", harbour())
    framework = library.framework("harbour@1")
    assert framework.values[1].community == "Harbour estate"
    record = framework.provenance
    assert record is not None
    assert record.published == datetime.date(2024, 5, 1)
    assert record.counts == Counts(members=10, cards=48)
    assert record.principles["walking"].rounds[1] == RoundRecord(
        number=2, share_agreeing=0.9, median=8, agreed=True
    )


def test_a_general_value_with_a_community_is_refused_with_the_fix(
    write_doc: WriteDoc, library: Library
) -> None:
    path = write_doc("harbour.yaml", harbour(scope="general"))
    checked = library.check_file(path)
    [problem] = checked.problems
    assert problem.where == "values[1].community"
    assert problem.line == 10
    assert "belongs to the community 'Harbour estate', but its scope is general" in str(problem)
    assert "set 'scope: local'" in problem.fix


def test_provenance_may_only_name_the_frameworks_own_principles_and_values(
    write_doc: WriteDoc, library: Library
) -> None:
    path = write_doc("harbour.yaml", harbour(principle="walkin", value="choise"))
    problems = library.check_file(path).problems
    assert [p.where for p in problems] == [
        "provenance.principles.walkin",
        "provenance.principles.walkin.values[0]",
    ]
    assert "does not have (principles: walking)" in problems[0].message
    assert "does not define (values: choice, estate)" in problems[1].message


def test_a_share_agreeing_above_one_is_refused(write_doc: WriteDoc, library: Library) -> None:
    path = write_doc("harbour.yaml", harbour().replace("share_agreeing: 0.9", "share_agreeing: 9"))
    [problem] = library.check_file(path).problems
    assert problem.where == "provenance.principles.walking.rounds[1].share_agreeing"


def test_diff_ignores_provenance_but_sees_a_community(
    write_doc: WriteDoc, library: Library
) -> None:
    write_doc("harbour.yaml", harbour())
    framework = library.framework("harbour@1")
    without = framework.model_copy(update={"provenance": None})
    assert diff_frameworks(without, framework) == []
    elsewhere = framework.model_copy(
        update={
            "values": [
                framework.values[0],
                framework.values[1].model_copy(update={"community": "Dockside"}),
            ]
        }
    )
    [change] = diff_frameworks(framework, elsewhere)
    assert (change.kind, change.target, change.detail) == (
        "reworded",
        "value 'estate'",
        "community",
    )


def test_provenance_texts_are_not_counted_as_texts_to_translate(
    write_doc: WriteDoc, library: Library
) -> None:
    write_doc("harbour.yaml", harbour())
    framework = library.framework("harbour@1")
    without = framework.model_copy(update={"provenance": None})
    assert coverage(framework) == coverage(without)


@pytest.mark.parametrize("markdown", [False, True])
def test_rendering_ends_with_the_provenance_and_warns_of_synthetic_data(
    write_doc: WriteDoc, library: Library, markdown: bool
) -> None:
    write_doc("harbour.yaml", harbour())
    text = render_framework(library.framework("harbour@1"), markdown=markdown)
    assert " ".join(SYNTHETIC_NOTICE.split()) in " ".join(text.split())
    assert text.index("Synthetic example") < text.index("Principles")
    tail = text[text.index("How this version was made") :]
    assert "Co-produced in the project Harbour panel from synthetic demonstration data, " in (
        " ".join(tail.split())
    )
    assert "Ten panel members wrote 48 cards." in tail
    assert "- Review categories: Being alongside" in tail
    assert "- Panel piles and clusters: Walk with me" in tail
    assert "- Round 1: 60% agreeing, median 6.5, not agreed" in tail
    assert "- Round 2: 90% agreeing, median 8, agreed" in tail
    assert "- Agreed in round 2" in tail
    assert "Belonging to the estate (local: Harbour estate)" in text
    heading = "### Behind Walking alongside" if markdown else "Behind Walking alongside\n---"
    assert heading in tail


def test_a_framework_without_provenance_renders_as_before() -> None:
    text = render_framework(Library().framework("enrich@2017"))
    assert "How this version was made" not in text
    assert "Synthetic" not in text


def test_an_adaptation_carries_its_own_provenance_not_its_bases(
    write_doc: WriteDoc, library: Library
) -> None:
    write_doc("harbour.yaml", harbour())
    write_doc(
        "dockside.yaml",
        """
        key: dockside
        version: "1"
        title: Dockside
        extends: harbour@1
        values:
          reword:
            estate: {community: Dockside flats}
        provenance:
          project: Dockside team
          principles:
            walking: {agreed_in: 1}
        """,
    )
    write_doc(
        "quiet.yaml",
        """
        key: quiet
        version: "1"
        title: Quiet
        extends: harbour@1
        """,
    )
    dockside = library.framework("dockside@1")
    assert dockside.provenance == Provenance(
        project="Dockside team", principles={"walking": PrincipleProvenance(agreed_in=1)}
    )
    assert dockside.values[1].community == "Dockside flats"
    assert library.framework("quiet@1").provenance is None


def test_an_adaptation_that_makes_a_community_value_general_is_refused(
    write_doc: WriteDoc, library: Library
) -> None:
    write_doc("harbour.yaml", harbour())
    path = write_doc(
        "wide.yaml",
        """
        key: wide
        version: "1"
        title: Wide
        extends: harbour@1
        values:
          reword:
            estate: {scope: general}
        provenance:
          project: Wide
          principles:
            gone: {}
        """,
    )
    messages = [p.message for p in library.check_file(path).problems]
    assert messages == [
        "the value 'estate' belongs to the community 'Harbour estate', but its scope in the "
        "adapted framework is general.",
        "the provenance describes the principle 'gone', which this framework does not have "
        "(principles: walking).",
    ]
