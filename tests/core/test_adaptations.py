"""Local adaptations: only the changes are written, the lineage and differences stay visible."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerprinciples.core.documents import DocumentError
from peerprinciples.core.frameworks import diff_frameworks
from peerprinciples.core.library import Library
from peerprinciples.core.translation import coverage, localise

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"


@pytest.fixture
def riverside() -> Library:
    return Library([EXAMPLES])


def test_an_adaptation_resolves_to_the_full_framework(riverside: Library) -> None:
    framework = riverside.framework("riverside@1")
    assert framework.extends == "enrich@2017"
    assert len(framework.principles) == 6
    assert framework.principle("meeting-in-community").scope == "local"
    # Untouched principles come from the base unchanged.
    base = riverside.framework("enrich@2017")
    assert framework.principle("leadership-choice-control") == base.principle(
        "leadership-choice-control"
    )


def test_diff_lists_exactly_the_changes_the_adaptation_makes(riverside: Library) -> None:
    base, local = riverside.framework("enrich@2017"), riverside.framework("riverside")
    changes = diff_frameworks(base, local)
    assert [(c.kind, c.target, c.detail.split(":")[0]) for c in changes] == [
        ("reworded", "principle 'mutuality'", "definition"),
        ("added", "principle 'meeting-in-community'", "Meeting people where they already are"),
        ("translated", "language 'cy'", "3 text(s)"),
    ]
    reworded = changes[0]
    assert reworded.before == base.principle("mutuality").definition
    assert reworded.after.startswith("Support runs both ways")


def test_diff_of_a_framework_with_itself_is_empty(riverside: Library) -> None:
    base = riverside.framework("enrich@2017")
    assert diff_frameworks(base, base) == []


def test_removing_and_renaming_are_recorded(write_doc, library) -> None:  # type: ignore[no-untyped-def]
    write_doc(
        "trimmed.yaml",
        """
        key: trimmed
        version: "1"
        title: Trimmed
        extends: enrich@2017
        principles:
          remove: [strengths-connections]
          rename:
            relationships: Trusting relationships
        """,
    )
    base, trimmed = library.framework("enrich@2017"), library.framework("trimmed@1")
    kinds = [(c.kind, c.target) for c in diff_frameworks(base, trimmed)]
    assert kinds == [
        ("removed", "principle 'strengths-connections'"),
        ("renamed", "principle 'relationships'"),
    ]


def test_a_partial_translation_falls_back_and_reports_what_is_missing(riverside: Library) -> None:
    framework = riverside.framework("riverside")
    welsh = localise(framework, "cy")
    assert welsh.document.principle("mutuality").title == "Cydfuddiant a dwyochredd"
    # Not translated: shown in the original language, and listed.
    assert welsh.document.principle("leadership-choice-control").title == (
        framework.principle("leadership-choice-control").title
    )
    assert "principles.leadership-choice-control.title" in welsh.missing
    assert "principles.mutuality.title" not in welsh.missing
    translated, total = coverage(framework)["cy"]
    assert translated == 3
    assert total == len(welsh.missing) + 3


def test_an_adaptation_may_extend_an_adaptation(write_doc, library) -> None:  # type: ignore[no-untyped-def]
    write_doc(
        "a.yaml",
        """
        key: layer-a
        version: "1"
        title: A
        extends: enrich@2017
        principles:
          rename: {mutuality: Give and take}
        """,
    )
    write_doc(
        "b.yaml",
        """
        key: layer-b
        version: "1"
        title: B
        extends: layer-a@1
        principles:
          remove: [relationships]
        """,
    )
    framework = library.framework("layer-b@1")
    assert framework.extends == "layer-a@1"
    assert framework.principle("mutuality").title == "Give and take"
    with pytest.raises(KeyError, match="no principle 'relationships'"):
        framework.principle("relationships")


def test_an_adaptation_that_extends_itself_is_refused(write_doc, library) -> None:  # type: ignore[no-untyped-def]
    write_doc(
        "loop-a.yaml",
        "key: loop-a\nversion: '1'\ntitle: A\nextends: loop-b@1\n",
    )
    write_doc(
        "loop-b.yaml",
        "key: loop-b\nversion: '1'\ntitle: B\nextends: loop-a@1\n",
    )
    with pytest.raises(DocumentError, match="extends itself"):
        library.framework("loop-a@1")
