"""Checks a schema cannot express, and resolving a local adaptation of a reflection guide.

A base guide is checked on its raw document, so every problem is reported at its own line
even when the structure has errors too. A local adaptation is resolved against its base
guide first; the full guide is then checked in the same way, and each problem is placed on
the section of the adaptation that caused it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from peerprinciples.core.adapting import apply_changes
from peerprinciples.core.documents import DocPath, Problem, YamlDocument, duplicates
from peerprinciples.core.frameworks import Change, Framework
from peerprinciples.core.reflection.model import (
    Condition,
    GuideAdaptation,
    ReflectionGuide,
    Statement,
)

Report = Callable[[DocPath, str, str], None]
QUESTION_FIELDS = ("going_well", "hard", "try_next")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _keys(entries: list[Any], path: DocPath) -> list[tuple[DocPath, Any]]:
    return [
        ((*path, i, "key"), e["key"])
        for i, e in enumerate(entries)
        if isinstance(e, dict) and isinstance(e.get("key"), str)
    ]


def areas_of(framework: Framework) -> dict[str, str]:
    """Principle and theme keys of a framework, with what each is (principle or theme)."""
    areas = {p.key: "principle" for p in framework.principles}
    areas.update({t.key: "theme" for t in framework.themes})
    return areas


def cross_checks(data: dict[str, Any], framework: Framework | None, report: Report) -> None:
    """Check a guide's keys against each other and against its framework (raw data)."""
    conditions = _list(data.get("conditions"))
    assessment = _dict(data.get("self_assessment"))
    statements = _list(assessment.get("statements"))
    for label, entries, path in (
        ("condition", conditions, ("conditions",)),
        ("statement", statements, ("self_assessment", "statements")),
    ):
        for where, key, first in duplicates(_keys(entries, path)):
            report(
                where,
                f"the {label} key '{key}' is used twice (first at {first[-2]} in the list).",
                f"give each {label} a key of its own.",
            )
    _check_scale(_dict(assessment.get("scale")), report)
    if framework is None:
        return
    areas = areas_of(framework)
    known = ", ".join(areas)

    def unknown(path: DocPath, key: Any, what: str) -> None:
        report(
            path,
            f"{what} '{key}', which is not a principle or theme of {framework.ref} "
            f"(it has: {known}).",
            "use one of those keys, or correct the spelling.",
        )

    questions = _dict(data.get("questions"))
    for key in questions:
        if key not in areas:
            unknown(("questions", key), key, "there are questions for")
    for key, what in areas.items():
        if key not in questions:
            report(
                ("questions",),
                f"the {what} '{key}' of {framework.ref} has no questions.",
                f"add 'questions.{key}' with going_well, hard and try_next.",
            )
    for i, condition in enumerate(conditions):
        for j, key in enumerate(_list(_dict(condition).get("principles"))):
            if key not in areas:
                unknown(("conditions", i, "principles", j), key, "the condition bears on")
    covered = set()
    for i, statement in enumerate(statements):
        key = _dict(statement).get("principle")
        covered.add(key)
        if isinstance(key, str) and key not in areas:
            where = ("self_assessment", "statements", i, "principle")
            unknown(where, key, "the statement is about")
    for key, what in areas.items():
        if what == "principle" and key not in covered:
            report(
                ("self_assessment", "statements"),
                f"the principle '{key}' has no self-assessment statement.",
                f"add at least one statement with 'principle: {key}'.",
            )


def _check_scale(scale: dict[str, Any], report: Report) -> None:
    low, high = scale.get("min", 1), scale.get("max", 4)
    if not isinstance(low, int) or not isinstance(high, int):
        return
    if low >= high:
        report(
            ("self_assessment", "scale", "max"),
            f"the scale runs from {low} to {high}, which leaves no room for more than one point.",
            "make 'max' larger than 'min' (for example min: 1, max: 4).",
        )
        return
    given = scale.get("anchors")
    if not isinstance(given, dict):
        return
    # Quoted points ("1": ...) are read as whole numbers by the schema, so count them too.
    anchors = {int(k) if isinstance(k, str) and k.isdigit() else k: v for k, v in given.items()}
    for point in range(low, high + 1):
        if point not in anchors:
            report(
                ("self_assessment", "scale", "anchors"),
                f"the point {point} of the scale has no anchor.",
                f"add '{point}:' with a label and a description of what it means.",
            )
    for point in anchors:
        if not isinstance(point, int) or not low <= point <= high:
            report(
                ("self_assessment", "scale", "anchors", point),
                f"the anchor {point!r} is not a point of the scale ({low} to {high}).",
                "remove it, or widen the scale with 'min' and 'max'.",
            )


def check_guide_data(
    document: YamlDocument, framework: Framework | None, reason: str | None
) -> list[Problem]:
    """Cross-reference checks on a base guide's raw document, each at its own line."""
    problems: list[Problem] = []
    if reason:
        problems.append(
            document.problem(
                ("framework",),
                reason,
                "add the framework to the library, or name one that 'framework list' shows.",
            )
        )

    def report(path: DocPath, message: str, fix: str) -> None:
        problems.append(document.problem(path, message, fix))

    cross_checks(document.data, framework, report)
    return problems


# --- local adaptations -----------------------------------------------------------------------

_SECTIONS = {"questions": "questions", "conditions": "conditions", "self_assessment": "statements"}


def check_adapted(
    guide: ReflectionGuide, framework: Framework | None, document: YamlDocument
) -> list[Problem]:
    """Check a resolved adaptation, placing each problem on the adaptation's own section."""
    problems: list[Problem] = []

    def report(path: DocPath, message: str, fix: str) -> None:
        section = _SECTIONS.get(str(path[0]), "extends") if path else "extends"
        where: DocPath = (section,) if section in document.data else ("extends",)
        problems.append(document.problem(where, f"in the adapted guide, {message}", fix))

    cross_checks(guide.model_dump(), framework, report)
    return problems


def resolve_guide(
    adaptation: GuideAdaptation, base: ReflectionGuide, document: YamlDocument
) -> tuple[ReflectionGuide | None, list[Problem]]:
    """Apply an adaptation to its base guide, giving the full guide or the problems found."""
    problems: list[Problem] = []
    data = base.model_dump()
    questions: dict[str, dict[str, Any]] = data["questions"]
    for key, reword in adaptation.questions.items():
        given = reword.model_dump(exclude_none=True)
        if key in questions:
            questions[key].update(given)
        elif set(given) != set(QUESTION_FIELDS):
            missing = ", ".join(f for f in QUESTION_FIELDS if f not in given)
            problems.append(
                document.problem(
                    ("questions", key),
                    f"the base guide has no questions for '{key}', so all three are needed "
                    f"(missing: {missing}).",
                    "write going_well, hard and try_next for it.",
                )
            )
        else:
            questions[key] = given
    data["conditions"] = apply_changes(
        data["conditions"],
        adaptation.conditions,
        label="condition",
        base="guide",
        path=("conditions",),
        document=document,
        problems=problems,
    )
    data["self_assessment"]["statements"] = apply_changes(
        data["self_assessment"]["statements"],
        adaptation.statements,
        label="statement",
        base="guide",
        path=("statements",),
        document=document,
        problems=problems,
    )
    for field in ("key", "version", "title", "summary", "notice", "citation"):
        own = getattr(adaptation, field)
        if own or field in ("key", "version", "title"):
            data[field] = own.model_dump() if isinstance(own, BaseModel) else own
    data["framework"] = adaptation.framework or base.framework
    data["language"] = adaptation.language or base.language
    data["extends"] = base.ref
    merged: dict[str, dict[str, str]] = {k: dict(v) for k, v in base.translations.items()}
    for lang, table in adaptation.translations.items():
        merged.setdefault(lang, {}).update(table)
    data["translations"] = merged
    if problems:
        return None, problems
    try:
        return ReflectionGuide.model_validate(data), []
    except ValidationError as exc:
        found = [
            document.problem(("extends",), f"the adapted guide is not sound: {error['msg']}.")
            for error in exc.errors()
        ]
        return None, found


# --- lineage -----------------------------------------------------------------------------------


def diff_guides(base: ReflectionGuide, other: ReflectionGuide) -> list[Change]:
    """List what ``other`` adds, drops or rewords relative to ``base``, matched by key."""
    changes: list[Change] = []
    if base.framework != other.framework:
        changes.append(Change("reworded", "guide", "framework", base.framework, other.framework))
    for key in base.questions.keys() - other.questions.keys():
        changes.append(Change("removed", f"questions '{key}'"))
    for key, asked in other.questions.items():
        was = base.questions.get(key)
        if was is None:
            changes.append(Change("added", f"questions '{key}'", "", None, asked.model_dump()))
            continue
        for field in QUESTION_FIELDS:
            if getattr(was, field) != getattr(asked, field):
                changes.append(
                    Change(
                        "reworded",
                        f"questions '{key}'",
                        field,
                        getattr(was, field),
                        getattr(asked, field),
                    )
                )
    changes += _diff_keyed(base.conditions, other.conditions, "condition", "statement")
    changes += _diff_keyed(
        base.self_assessment.statements, other.self_assessment.statements, "statement", "text"
    )
    return changes


def _diff_keyed(
    before: Iterable[Condition | Statement],
    after: Iterable[Condition | Statement],
    label: str,
    shown: str,
) -> list[Change]:
    old = {entry.key: entry for entry in before}
    new = {entry.key: entry for entry in after}
    changes = [
        Change("removed", f"{label} '{k}'", getattr(old[k], shown)) for k in old if k not in new
    ]
    for key, entry in new.items():
        if key not in old:
            text = getattr(entry, shown)
            changes.append(Change("added", f"{label} '{key}'", text, None, text))
            continue
        for field in type(entry).model_fields:
            a, b = getattr(old[key], field), getattr(entry, field)
            if field != "key" and a != b:
                changes.append(Change("reworded", f"{label} '{key}'", field, a, b))
    return changes
