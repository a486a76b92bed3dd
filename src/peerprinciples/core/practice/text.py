"""The practice matrix's prompts, gaps and comparisons as plain text, for the command line.

Text is laid out to be read in a terminal or pasted into an email: a heading per area or
principle, then indented lines. Gaps are written as questions and lists of cells, never as
counts or scores; a comparison keeps both programmes' words side by side.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.practice.gaps import GapCell, Gaps
from peerprinciples.core.practice.matrix import Area
from peerprinciples.core.practice.prompts import SOURCE_LABELS, CellPrompt, Source
from peerprinciples.core.practice.side_by_side import Side, SideBySide

WIDTH = 96
"""The width text is wrapped to."""


def _wrapped(text: str, indent: int) -> list[str]:
    pad = " " * indent
    return textwrap.wrap(text, WIDTH, initial_indent=pad, subsequent_indent=pad) or [pad]


def render_areas(areas: Iterable[Area]) -> str:
    """Each area's key, level and title, then its description."""
    lines = []
    for area in areas:
        lines.append(f"{area.key:<24} {area.level.label:<13} {area.title}")
        if area.description:
            lines += _wrapped(area.description, 39)
    return "\n".join(lines) + "\n"


def render_prompts(
    prompts: Mapping[tuple[str, str], CellPrompt], framework: Framework, areas: Sequence[Area]
) -> str:
    """The prompts area by area, principles (then themes) in the framework's order; a prompt
    that is not the built-in one says where it comes from."""
    titles = framework.titles()
    lines = [f"Prompts for {framework.title} ({framework.ref})", ""]
    for area in areas:
        lines.append(f"{area.title} ({area.key}, {area.level.label.lower()} level)")
        for key, title in titles.items():
            prompt = prompts.get((area.key, key))
            if prompt is None:
                lines.append(f"  {title}: (no prompt yet)")
                continue
            origin = (
                "" if prompt.source is Source.BUILT_IN else f" [{SOURCE_LABELS[prompt.source]}]"
            )
            lines.append(f"  {title}{origin}:")
            lines += _wrapped(prompt.text, 4)
        lines.append("")
    return "\n".join(lines)


def _cells(
    label: str, cells: Sequence[GapCell], *, by_area: bool, status: bool = True
) -> list[str]:
    """A labelled list of cells, named by area (in a row) or by principle (in an area)."""
    if not cells:
        return []
    names = [c.area_title if by_area else c.principle_title for c in cells]
    if status:
        names = [f"{name} ({c.status_label.lower()})" for name, c in zip(names, cells, strict=True)]
    lines = [f"    {label}:"]
    for name in names:
        lines += textwrap.wrap(name, WIDTH, initial_indent="      - ", subsequent_indent=" " * 8)
    return lines


def render_gaps(gaps: Gaps, programme: str) -> str:
    """The gaps of a matrix as questions for the team, principle by principle, then the
    areas no principle reaches and what is kept apart."""
    lines = [f"Gaps at a glance: {programme} ({gaps.framework})", ""]
    if gaps.nothing_to_look_at:
        lines += [
            "Every cell has something written and is in place. What would tell the team if",
            "that started to slip?",
            "",
        ]
    lines.append("By principle")
    for row in gaps.rows:
        kind = " (runs through every principle)" if row.theme else ""
        lines.append(f"  {row.title}{kind}")
        lines += _wrapped(row.prompt, 4)
        lines += _cells("Not yet in place", row.not_in_place, by_area=True)
        lines += _cells("Nothing written yet", row.nothing_written, by_area=True, status=False)
        lines += _cells("Not relevant, but no reason given", row.without_reason, by_area=True)
    lines.append("")
    lines.append("By area")
    for area in gaps.areas:
        lines.append(f"  {area.title} ({area.level.label.lower()} level)")
        lines += _wrapped(area.prompt, 4)
        lines += _cells("Not yet in place", area.not_in_place, by_area=False)
    if gaps.unreached_areas:
        lines += ["", "Areas no principle reaches yet"]
        lines += [f"  {area.title}" for area in gaps.unreached_areas]
    if gaps.set_apart:
        lines += ["", "Kept apart (written for a principle or area the matrix no longer has)"]
        for kept in gaps.set_apart:
            lines += _wrapped(f"{kept.cell.area} / {kept.cell.principle}: {kept.reason}", 2)
            if kept.cell.text:
                lines += _wrapped(kept.cell.text, 4)
    return "\n".join(lines) + "\n"


def _side(name: str, side: Side) -> str:
    words = [side.status_label]
    if side.text:
        words.append(side.text)
    if side.why:
        words.append(f"why: {side.why}")
    if side.holder:
        words.append(f"held by: {side.holder}")
    return f"      {name}: " + " | ".join(words)


def render_side_by_side(result: SideBySide) -> str:
    """Both programmes' cells on the principles and areas they share, then what only one of
    them has; in the frameworks' and matrices' own order, never ranked."""
    a, b = result.programme_a, result.programme_b
    lines = [
        f"Side by side: {a} ({result.framework_a}) and {b} ({result.framework_b})",
        "Read to learn from each other; nothing here is a score or a ranking.",
        "",
    ]
    if not result.shares_anything:
        lines += ["The two matrices share no principle in any area.", ""]
    for row in result.rows:
        title = row.title_a if row.title_a == row.title_b else f"{row.title_a} / {row.title_b}"
        lines.append(title)
        for area, cell in zip(result.areas, row.cells, strict=True):
            lines.append(f"  {area.title_a}")
            lines.append(_side(a, cell.a))
            lines.append(_side(b, cell.b))
        lines.append("")
    for label, titles in (
        (f"Principles only {a} has", result.only_a_principles),
        (f"Principles only {b} has", result.only_b_principles),
        (f"Areas only {a} has", result.only_a_areas),
        (f"Areas only {b} has", result.only_b_areas),
    ):
        if titles:
            lines.append(f"{label} (not compared): " + "; ".join(titles))
    return "\n".join(lines).rstrip("\n") + "\n"
