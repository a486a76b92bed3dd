"""Scoring a completed self-assessment: a mean per principle, the count answered, no total."""

from __future__ import annotations

import pytest

from peerprinciples.core.library import Library
from peerprinciples.core.reflection.model import ReflectionGuide
from peerprinciples.core.reflection.scoring import (
    PrincipleResult,
    SelfAssessmentError,
    score_self_assessment,
)


@pytest.fixture(scope="module")
def guide() -> ReflectionGuide:
    return Library().reflection_guide("enrich-reflection@1")


def test_each_principle_gets_the_mean_of_its_answered_statements(guide: ReflectionGuide) -> None:
    answers: dict[str, int | None] = {
        "rel-time": 4,
        "rel-common-ground": 3,
        "rel-safe": None,  # left blank: not counted
        "mut-both-ways": 2,
        "mut-equal": 1,
        "mut-differences": 3,
        "ek-valued": 4,
    }
    results = {r.principle: r for r in score_self_assessment(guide, answers)}
    # relationships: (4 + 3) / 2 = 3.5, two of three answered
    assert results["relationships"] == PrincipleResult("relationships", 3.5, 2, 3)
    # mutuality: (2 + 1 + 3) / 3 = 6 / 3 = 2.0, three of three answered
    assert results["mutuality"] == PrincipleResult("mutuality", 2.0, 3, 3)
    # experiential knowledge: 4 / 1 = 4.0, one of three answered
    assert results["experiential-knowledge"] == PrincipleResult("experiential-knowledge", 4.0, 1, 3)
    # nothing answered: no mean, not a zero
    assert results["strengths-connections"] == PrincipleResult("strengths-connections", None, 0, 2)


def test_results_follow_the_guide_order_and_carry_no_total_or_rank(
    guide: ReflectionGuide,
) -> None:
    results = score_self_assessment(
        guide, {"div-welcome": 1, "div-words": 4}, {"mutuality": "We share more than we did."}
    )
    assert [r.principle for r in results] == list(guide.questions)
    # diversity of lived experience: (1 + 4) / 2 = 2.5
    assert results[-1] == PrincipleResult("diversity-of-lived-experience", 2.5, 2, 2)
    assert results[1].note == "We share more than we did."
    assert set(PrincipleResult.__dataclass_fields__) == {
        "principle",
        "mean",
        "answered",
        "asked",
        "note",
    }


def test_an_empty_self_assessment_scores_nothing(guide: ReflectionGuide) -> None:
    results = score_self_assessment(guide, {})
    assert all(r.mean is None and r.answered == 0 for r in results)


@pytest.mark.parametrize("answer", [0, 5, -1, 2.5, True, "3"])
def test_an_answer_off_the_scale_is_refused(guide: ReflectionGuide, answer: object) -> None:
    with pytest.raises(SelfAssessmentError) as error:
        score_self_assessment(guide, {"rel-time": answer})  # type: ignore[dict-item]
    assert error.value.problems == [
        f"the answer {answer!r} to 'rel-time' is off the scale; use a whole number from 1 to 4, "
        "or leave it blank."
    ]


def test_an_unknown_statement_and_an_unknown_note_are_refused_together(
    guide: ReflectionGuide,
) -> None:
    with pytest.raises(SelfAssessmentError) as error:
        score_self_assessment(
            guide, {"rel-tme": 3, "rel-time": 9}, {"hope": "A principle we do not have."}
        )
    problems = error.value.problems
    assert len(problems) == 3
    assert problems[0].startswith("'rel-tme' is not a statement of enrich-reflection@1")
    assert "off the scale" in problems[1]
    assert "'hope'" in problems[2]
    assert str(error.value).startswith("3 problems in the self-assessment")
