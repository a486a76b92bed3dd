"""A reflection guide for a newly published framework, so reflection cycles can follow it.

A reflection cycle follows a stored reflection guide, and a guide is tied to one framework
version, as an instrument is. :func:`starter_guide` drafts a starting point from the
framework's own wording:

* three plain questions for every principle and cross-cutting theme (what goes well, what
  is hard, what we would like to try), each naming it by its title;
* a self-assessment with one statement per aspect (or the definition of a principle
  without aspects, and the description of each theme), on the described 1 to 4 scale of the
  built-in ENRICH reflection guide, with its instructions;
* the organisational conditions of the built-in guide — supervision, notes, how work is
  allocated, title and pay, and the rest, which the founding paper warns about for any peer
  worker role — kept without their links to ENRICH's principles (a condition with no
  principles bears on all of them).

It says in its title and notice that it is a draft for the team to reword, so it never
passes for a guide someone wrote for that framework.

:func:`carry_over_guide` instead re-pins a guide the team already uses (for the base of an
adaptation, or an earlier version) to the new framework, when the new framework still has
every principle and theme the guide asks about and no new one the guide leaves out.
"""

from __future__ import annotations

from peerprinciples.core.documents import DocPath
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.library import Library
from peerprinciples.core.reflection.checks import cross_checks
from peerprinciples.core.reflection.model import (
    Questions,
    ReflectionGuide,
    SelfAssessment,
    Statement,
)

EXAMPLE_GUIDE = "enrich-reflection@1"
"""The built-in guide whose scale, instructions and conditions a starter guide uses."""


def starter_guide(
    framework: Framework, key: str, version: str, library: Library | None = None
) -> ReflectionGuide:
    """A starter reflection guide for ``framework`` as ``key@version`` (see the module's
    docstring); ``library`` supplies the example guide (the built-in library by default)."""
    example = (library or Library()).reflection_guide(EXAMPLE_GUIDE)
    questions: dict[str, Questions] = {}
    statements: list[Statement] = []
    for principle in framework.principles:
        questions[principle.key] = _questions(principle.title)
        texts = list(principle.aspects) or [principle.definition]
        statements += [
            Statement(key=f"{principle.key}-{number}", principle=principle.key, text=text)
            for number, text in enumerate(texts, start=1)
        ]
    for theme in framework.themes:
        questions[theme.key] = _questions(theme.title)
        statements.append(
            Statement(key=f"{theme.key}-1", principle=theme.key, text=theme.description)
        )
    conditions = [c.model_copy(update={"principles": []}) for c in example.conditions]
    return ReflectionGuide(
        kind="reflection-guide",
        key=key,
        version=version,
        title=f"Reflecting together on {framework.title} (starter guide, draft)",
        framework=framework.ref,
        language=framework.language,
        summary=(
            f"A starting point for cycles of reflective learning on {framework.ref}, drafted "
            "from the wording of its principles: three questions for each principle and "
            "theme, a short self-assessment built from their aspects, and the conditions "
            "around a peer worker that help or wear away the values of peer support."
        ),
        notice=(
            "A draft starter guide: reword its questions and statements with the peer "
            "workers and the people they support before the first cycle."
        ),
        questions=questions,
        conditions=conditions,
        self_assessment=SelfAssessment(
            instructions=example.self_assessment.instructions,
            free_text=example.self_assessment.free_text,
            scale=example.self_assessment.scale,
            statements=statements,
        ),
    )


def _questions(title: str) -> Questions:
    return Questions(
        going_well=f"Where has “{title}” shown in our work lately?",
        hard=f"What has made “{title}” hard to hold on to?",
        try_next=f"What would we like to try so that “{title}” has more room?",
    )


class GuideCarryOverError(ValueError):
    """A guide that asks about principles or themes the new framework does not have, or
    leaves one of its principles or themes without questions."""


def carry_over_guide(guide: ReflectionGuide, framework: Framework, version: str) -> ReflectionGuide:
    """``guide`` as version ``version``, following ``framework`` instead of its own.

    The guide is checked against ``framework`` as ``reflection check`` would check it:
    every principle and theme needs its questions, every principle a self-assessment
    statement, and nothing may name a key the framework does not have. Otherwise
    :class:`GuideCarryOverError` lists each problem. The wording is kept as it was: if the
    framework renamed a principle, review the questions that name it.
    """
    found: list[str] = []

    def report(path: DocPath, message: str, fix: str) -> None:
        where = ".".join(str(part) for part in path)
        found.append(f"at {where}, {message} Fix: {fix}")

    cross_checks(guide.model_dump(mode="json"), framework, report)
    if found:
        raise GuideCarryOverError(
            f"{guide.ref} cannot be carried over to {framework.ref}: "
            + " ".join(found)
            + " Store a starter guide for the new framework instead, or adapt the guide by hand."
        )
    if version == guide.version and guide.framework == framework.ref:
        raise GuideCarryOverError(
            f"{guide.ref} already follows {framework.ref}: there is nothing to carry over."
        )
    return guide.model_copy(update={"version": version, "framework": framework.ref})
