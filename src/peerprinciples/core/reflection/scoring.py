"""Scoring a completed self-assessment: per principle, never ranked, never totalled.

Each principle (or theme) gets the mean of its answered statements and how many were
answered out of how many asked, beside the team's own free text. There is deliberately no
total across principles and no rank: the results are prompts for a conversation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from peerprinciples.core.reflection.model import ReflectionGuide


class SelfAssessmentError(ValueError):
    """A completed self-assessment does not fit its guide; carries every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the self-assessment"
        super().__init__(header + ":\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class PrincipleResult:
    """How a team sees itself on one principle (or theme)."""

    principle: str
    mean: float | None
    answered: int
    asked: int
    note: str = ""


def score_self_assessment(
    guide: ReflectionGuide,
    answers: Mapping[str, int | None],
    notes: Mapping[str, str] | None = None,
) -> list[PrincipleResult]:
    """Score answers (statement key -> point, or None when left blank), per principle.

    Raises :class:`SelfAssessmentError` listing every answer to an unknown statement,
    every answer off the scale, and every note about an unknown principle.
    """
    scale = guide.self_assessment.scale
    statements = {s.key: s for s in guide.self_assessment.statements}
    notes = notes or {}
    order = [key for key in guide.questions if guide.statements_for(key)]
    order += [s.principle for s in statements.values() if s.principle not in order]
    problems = []
    for key, answer in answers.items():
        if key not in statements:
            problems.append(
                f"'{key}' is not a statement of {guide.ref} "
                f"(it has: {', '.join(statements)}); check the statement key."
            )
        elif answer is not None and (
            isinstance(answer, bool) or not isinstance(answer, int) or answer not in scale.points
        ):
            problems.append(
                f"the answer {answer!r} to '{key}' is off the scale; use a whole number from "
                f"{scale.min} to {scale.max}, or leave it blank."
            )
    for key in notes:
        if key not in order:
            problems.append(
                f"the note is about '{key}', which has no statements in {guide.ref} "
                f"(principles: {', '.join(order)})."
            )
    if problems:
        raise SelfAssessmentError(problems)
    results = []
    for principle in order:
        keys = [s.key for s in guide.statements_for(principle)]
        given = [answer for k in keys if (answer := answers.get(k)) is not None]
        mean = sum(given) / len(given) if given else None
        results.append(
            PrincipleResult(principle, mean, len(given), len(keys), notes.get(principle, ""))
        )
    return results
