"""A reflection guide as plain text: questions per principle, conditions by level, statements."""

from __future__ import annotations

import textwrap

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.reflection.model import LEVELS, ReflectionGuide

QUESTION_LABELS = (
    ("going_well", "Going well"),
    ("hard", "Hard"),
    ("try_next", "To try"),
)


def _wrap(text: str, indent: str, hang: str = "") -> str:
    return textwrap.fill(
        " ".join(text.split()),
        width=92,
        initial_indent=indent,
        subsequent_indent=indent + hang,
        break_on_hyphens=False,
    )


def render_guide(guide: ReflectionGuide, framework: Framework) -> str:
    """The guide as text a facilitator can read aloud or print."""
    titles = {p.key: p.title for p in framework.principles}
    titles.update({t.key: t.title for t in framework.themes})
    lines = [guide.title, "=" * len(guide.title), f"{guide.ref}, for {framework.ref}"]
    if guide.extends:
        lines.append(f"Adapted from {guide.extends}")
    if guide.summary:
        lines += ["", _wrap(guide.summary, "")]
    lines += ["", "Questions for each principle", "-" * 28]
    for key, asked in guide.questions.items():
        lines += ["", titles.get(key, key) + f" ({key})"]
        for field, label in QUESTION_LABELS:
            lines.append(_wrap(f"{label}: {getattr(asked, field)}", "  ", "    "))
    lines += ["", "Conditions around the peer worker", "-" * 33]
    for level in LEVELS:
        conditions = guide.conditions_at(level)
        if not conditions:
            continue
        lines += ["", f"{level.capitalize()} level"]
        for condition in conditions:
            about = ", ".join(condition.principles) or "all principles"
            entry = f"[ ] {condition.statement} ({condition.key}; {about})"
            lines.append(_wrap(entry, "  ", "    "))
            lines.append(_wrap(f"Why: {condition.why}", "      "))
    assessment = guide.self_assessment
    lines += ["", "Self-assessment", "-" * 15]
    if assessment.instructions:
        lines.append(_wrap(assessment.instructions, ""))
    lines += ["", "Scale:"]
    for point in assessment.scale.points:
        anchor = assessment.scale.anchors[point]
        lines.append(_wrap(f"{point} {anchor.label}: {anchor.description}", "  "))
    for key in guide.questions:
        statements = guide.statements_for(key)
        if not statements:
            continue
        lines += ["", titles.get(key, key)]
        for statement in statements:
            lines.append(_wrap(f"{statement.key}: {statement.text}", "  ", "    "))
        lines.append(_wrap(f"Free text: {assessment.free_text}", "  "))
    if guide.notice:
        lines += ["", _wrap(guide.notice, "")]
    if guide.citation:
        lines += ["", _wrap(f"Source: {guide.citation.text}", "")]
    return "\n".join(lines) + "\n"
