"""The handbook for the peer worker role, drafted from a programme's practice matrix.

:func:`build_handbook` turns a :class:`~peerprinciples.core.practice.matrix.Matrix` and the
framework version it follows into a :class:`Handbook`: a document with no format of its own,
made of sections of blocks (headings, paragraphs, bullet lists, tables). The writers
(``handbook_html``, ``handbook_pdf``, ``handbook_docx``, ``handbook_odt``) each draw the same
handbook, so the four files always say the same thing.

The order of the sections, what each says before the matrix speaks and which areas feed it
are data (``data/practice/handbook.yaml``), not code. Every principle and every area the
matrix holds appears somewhere, at the least in the appendix; a cell nobody has written says
so in plain words rather than being left out, so a gap is visible where it matters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import ClassVar, Literal

import yaml
from pydantic import Field

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.models import Slug, Strict, Text
from peerprinciples.core.practice.matrix import Area, Cell, Level, Matrix, Section
from peerprinciples.core.practice.prompts import CellPrompt, prompts_for

# --- the document -----------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A heading inside a section: level 2 under the section's own title (level 1), and so
    on down to level 4."""

    text: str
    level: int = 2
    kind: ClassVar[str] = "heading"


Emphasis = Literal["", "note", "missing", "prompt"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph, optionally led by a label (``Held by: …``).

    ``emphasis`` tells the writers how to set it apart: ``note`` for framing text,
    ``missing`` for a cell not written yet, ``prompt`` for a prompt offered as a starting
    point, which must never pass for the programme's own words."""

    text: str
    label: str = ""
    emphasis: Emphasis = ""
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class BulletList:
    """A list of short items."""

    items: tuple[str, ...]
    kind: ClassVar[str] = "bullets"


@dataclass(frozen=True)
class Table:
    """A table with a caption and a header row; long tables split across pages."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    kind: ClassVar[str] = "table"


Block = Heading | Paragraph | BulletList | Table


@dataclass(frozen=True)
class HandbookSection:
    """One section: its title, the areas of the matrix that feed it, and its blocks."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    areas: tuple[str, ...] = ()
    local: bool = False
    """Whether the programme wrote it itself (a :class:`~.matrix.Section`)."""


@dataclass(frozen=True)
class Handbook:
    """A programme's handbook, ready for any writer."""

    title: str
    subtitle: str
    programme: str
    framework: str
    """The framework version followed, ``key@version``."""
    framework_title: str
    version: int
    """The matrix version: 0 for the working copy."""
    version_label: str
    issued: date | None
    notice: str
    """Said on the first page when the framework is made-up demonstration data, else ``""``."""
    language: str
    sections: tuple[HandbookSection, ...] = field(default_factory=tuple)

    def section(self, key: str) -> HandbookSection:
        """The section with ``key``; a ``KeyError`` names the keys there are."""
        for section in self.sections:
            if section.key == key:
                return section
        known = ", ".join(s.key for s in self.sections)
        raise KeyError(f"The handbook has no section '{key}' (it has: {known})")

    @property
    def author(self) -> str:
        """Whom the document says it is by, in a file's properties."""
        return self.programme


# --- the layout -------------------------------------------------------------------------


Kind = Literal["about", "cells", "person", "levels", "glance"]


class LayoutSection(Strict):
    """One fixed section of the handbook, as ``data/practice/handbook.yaml`` lays it out."""

    key: Slug
    kind: Kind
    title: Text
    intro: str = ""
    areas: list[Slug] = Field(default_factory=list)
    prompts: bool = Field(False, description="Offer prompts where nothing is written yet.")


class Layout(Strict):
    """Every fixed section, in order."""

    sections: list[LayoutSection]

    def keys(self) -> list[str]:
        return [s.key for s in self.sections]


@cache
def handbook_layout() -> Layout:
    """The built-in layout of the handbook (``data/practice/handbook.yaml``)."""
    text = (
        resources.files("peerprinciples.core")
        .joinpath("data/practice/handbook.yaml")
        .read_text(encoding="utf-8")
    )
    return Layout.model_validate(yaml.safe_load(text))


OWN_AREAS = "own-areas"
"""The key of the section for areas no fixed section draws on (the programme's own)."""
GLANCE = "matrix-at-a-glance"

NOT_WRITTEN = "Not written yet."
NOT_LOOKED_AT = "Not looked at yet"
PROMPT_LABEL = "A starting point (a prompt, not yet the programme's own words)"
SYNTHETIC_NOTICE = (
    "Made-up demonstration data: the framework this handbook follows was made from invented "
    "data to show how the software works. Do not use this handbook for a real post."
)
SYNTHETIC_PROGRAMME_NOTICE = (
    "Made-up demonstration data: the programme and everything written in its practice matrix "
    "were invented to show how the software works. Do not use this handbook for a real post."
)

LEVEL_HEADINGS = {
    Level.INDIVIDUAL: "Individual: the peer worker",
    Level.TEAM: "Team: the people around the peer worker",
    Level.ORGANISATION: "Organisation: the employer and its leaders",
}


class HandbookError(ValueError):
    """A matrix and framework that cannot make a handbook together; the message says why."""


# --- building ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    key: str
    title: str


class _Builder:
    """What every section needs: the matrix, its rows and areas, and the prompts."""

    def __init__(
        self, matrix: Matrix, framework: Framework, prompts: Mapping[tuple[str, str], CellPrompt]
    ) -> None:
        self.matrix = matrix
        self.framework = framework
        self.prompts = prompts
        self.areas = {area.key: area for area in matrix.areas}
        self.rows = _rows(matrix, framework)

    def present(self, keys: Iterable[str]) -> list[Area]:
        return [self.areas[key] for key in keys if key in self.areas]

    def principle_blocks(self, area: Area, level: int, *, offer_prompts: bool) -> list[Block]:
        """Under each principle, what the matrix says about it in ``area``."""
        blocks: list[Block] = []
        for row in self.rows:
            blocks.append(Heading(row.title, level))
            blocks += _cell_blocks(
                self.matrix.cell(area.key, row.key),
                self.prompts.get((area.key, row.key)) if offer_prompts else None,
            )
        return blocks

    def area_blocks(self, areas: list[Area], level: int, *, offer_prompts: bool) -> list[Block]:
        """Each area's description and principles; one area alone needs no heading."""
        if len(areas) == 1:
            area = areas[0]
            lead = [Paragraph(area.description, emphasis="note")] if area.description else []
            return lead + self.principle_blocks(area, level, offer_prompts=offer_prompts)
        blocks: list[Block] = []
        for area in areas:
            blocks.append(Heading(area.title, level))
            if area.description:
                blocks.append(Paragraph(area.description, emphasis="note"))
            blocks += self.principle_blocks(area, level + 1, offer_prompts=offer_prompts)
        return blocks


def _rows(matrix: Matrix, framework: Framework) -> list[_Row]:
    """The framework's principles in order, then any other key the matrix has cells for: a
    theme, or a principle this version no longer has (its cells are kept, and shown)."""
    rows = [_Row(p.key, p.title) for p in framework.principles]
    titles = framework.titles()
    seen = {row.key for row in rows}
    for key in sorted({cell.principle for cell in matrix.cells} - seen):
        title = titles.get(key) or f"{key} (not in {framework.ref})"
        rows.append(_Row(key, title))
    return rows


def status_words(cell: Cell | None) -> str:
    """How far a cell is in place, in words, with the reason when one is given."""
    if cell is None or cell.status is None:
        return NOT_LOOKED_AT
    words = cell.status.label
    return f"{words}: {cell.why}" if cell.why else words


def _cell_blocks(cell: Cell | None, prompt: CellPrompt | None) -> list[Block]:
    blocks: list[Block] = []
    if cell is not None and cell.text:
        blocks.append(Paragraph(cell.text))
    else:
        blocks.append(Paragraph(NOT_WRITTEN, emphasis="missing"))
        if prompt is not None:
            blocks.append(Paragraph(prompt.text, label=PROMPT_LABEL, emphasis="prompt"))
    if cell is not None and cell.evidence:
        blocks.append(Paragraph(cell.evidence, label="Examples and evidence"))
    if cell is not None and cell.holder:
        blocks.append(Paragraph(cell.holder, label="Held by"))
    blocks.append(Paragraph(status_words(cell), label="Status"))
    return blocks


def _fed_by(areas: list[Area], wanted: list[str]) -> Paragraph | None:
    if areas:
        titles = "; ".join(area.title for area in areas)
        return Paragraph(titles, label="Drawn from the matrix areas", emphasis="note")
    if wanted:
        return Paragraph(
            "This programme has left out the areas this section draws on ("
            + ", ".join(wanted)
            + "), so there is nothing from the matrix to show here.",
            emphasis="missing",
        )
    return None


def _about(builder: _Builder, layout: LayoutSection, version: int) -> list[Block]:
    framework = builder.framework
    blocks: list[Block] = [Paragraph(layout.intro)] if layout.intro else []
    blocks.append(
        Paragraph(
            f"{framework.title}, version {framework.version} ({framework.ref}).",
            label="The framework it follows",
        )
    )
    if framework.summary:
        blocks.append(Paragraph(framework.summary))
    if framework.citation is not None:
        citation = framework.citation
        extra = [f"https://doi.org/{citation.doi}" if citation.doi else citation.url or ""]
        if citation.licence:
            extra.append(f"licence {citation.licence}")
        tail = ", ".join(part for part in extra if part)
        blocks.append(Paragraph(f"{citation.text}{f' ({tail})' if tail else ''}", label="Source"))
    if framework.notice:
        blocks.append(Paragraph(framework.notice, emphasis="note"))
    if version:
        blocks.append(
            Paragraph(
                f"This handbook is issued from version {version} of the matrix, kept as it "
                "was when the version was taken.",
                label="Matrix version",
            )
        )
    else:
        blocks.append(
            Paragraph(
                "This handbook is drawn from the working copy of the matrix, which can change "
                "at any time. Issue a handbook from a numbered version for a post.",
                label="Matrix version",
            )
        )
    blocks.append(Heading("The principles in brief", 2))
    blocks.append(BulletList(tuple(f"{p.title}: {p.definition}" for p in framework.principles)))
    if framework.themes:
        blocks.append(Heading("Running through the principles", 2))
        blocks += [Paragraph(t.description, label=t.title) for t in framework.themes]
    return blocks


def _person(builder: _Builder, layout: LayoutSection) -> list[Block]:
    blocks: list[Block] = [Paragraph(layout.intro)] if layout.intro else []
    fed = _fed_by(builder.present(layout.areas), layout.areas)
    if fed is not None:
        blocks.append(fed)
    for principle in builder.framework.principles:
        blocks.append(Heading(principle.title, 2))
        blocks.append(Paragraph(principle.definition))
        if principle.aspects:
            blocks.append(Paragraph("", label="What a panel can look for"))
            blocks.append(BulletList(tuple(principle.aspects)))
    return blocks


def _cells(builder: _Builder, layout: LayoutSection) -> list[Block]:
    areas = builder.present(layout.areas)
    blocks: list[Block] = [Paragraph(layout.intro)] if layout.intro else []
    fed = _fed_by(areas, layout.areas)
    if fed is not None:
        blocks.append(fed)
    return blocks + builder.area_blocks(areas, 2, offer_prompts=layout.prompts)


def _levels(
    builder: _Builder, layout: LayoutSection, areas: list[Area], *, every_level: bool = True
) -> list[Block]:
    blocks: list[Block] = [Paragraph(layout.intro)] if layout.intro else []
    fed = _fed_by(areas, layout.areas)
    if fed is not None:
        blocks.append(fed)
    for level in Level:
        here = [area for area in areas if area.level is level]
        if not here and not every_level:
            continue
        blocks.append(Heading(LEVEL_HEADINGS[level], 2))
        if not here:
            blocks.append(
                Paragraph(
                    f"No area of this section is looked after at the {level.value} level.",
                    emphasis="missing",
                )
            )
        for area in here:
            blocks.append(Heading(area.title, 3))
            if area.description:
                blocks.append(Paragraph(area.description, emphasis="note"))
            blocks += builder.principle_blocks(area, 4, offer_prompts=layout.prompts)
    return blocks


def _glance(builder: _Builder, layout: LayoutSection) -> list[Block]:
    blocks: list[Block] = [Paragraph(layout.intro)] if layout.intro else []
    rows = tuple(
        (
            area.title,
            area.level.label,
            row.title,
            status_words(builder.matrix.cell(area.key, row.key)),
        )
        for area in builder.matrix.areas
        for row in builder.rows
    )
    blocks.append(
        Table(
            caption="Every area and principle of the matrix, with how far it is in place",
            header=("Area", "Level", "Principle", "Status"),
            rows=rows,
        )
    )
    return blocks


def _local_blocks(body: str) -> tuple[Block, ...]:
    """A programme's own text: paragraphs split at blank lines; a paragraph whose every line
    starts with ``-`` or ``*`` is a bullet list."""
    blocks: list[Block] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if all(line[:2] in ("- ", "* ") for line in lines):
            blocks.append(BulletList(tuple(line[2:].strip() for line in lines)))
        else:
            blocks.append(Paragraph(" ".join(lines)))
    return tuple(blocks) or (Paragraph(NOT_WRITTEN, emphasis="missing"),)


def _local(section: Section) -> HandbookSection:
    return HandbookSection(section.key, section.title, _local_blocks(section.body), local=True)


def _place_local(fixed: list[HandbookSection], local: list[Section]) -> list[HandbookSection]:
    """Each local section after the section its ``after`` names; one with none (or naming a
    section the handbook does not have) goes at the end, before the appendix, which stays
    last unless a section asks to follow it."""
    keys = {section.key for section in fixed}
    placed: list[HandbookSection] = []
    for section in fixed:
        if section.key == GLANCE:
            placed += [_local(s) for s in local if s.after is None or s.after not in keys]
        placed.append(section)
        placed += [_local(s) for s in local if s.after == section.key]
    if GLANCE not in keys:
        placed += [_local(s) for s in local if s.after is None or s.after not in keys]
    return placed


def build_handbook(
    matrix: Matrix,
    framework: Framework,
    *,
    prompts: Mapping[tuple[str, str], CellPrompt] | None = None,
    issued: date | None = None,
    synthetic: bool = False,
) -> Handbook:
    """The handbook for ``matrix``, which must follow ``framework`` (the same ``key@version``).

    ``prompts`` are the cells' prompts by ``(area, principle)`` (by default those of the
    framework and the matrix); ``issued`` is the date printed on it, if any; ``synthetic``
    marks a programme made up for a demonstration, as a framework's provenance can."""
    if matrix.framework != framework.ref:
        raise HandbookError(
            f"The matrix of {matrix.programme} follows {matrix.framework}, but the framework "
            f"given is {framework.ref}: give the framework version the matrix follows."
        )
    builder = _Builder(
        matrix, framework, prompts if prompts is not None else prompts_for(framework, matrix)
    )
    layout = handbook_layout()
    fixed: list[HandbookSection] = []
    placed_areas = {key for entry in layout.sections for key in entry.areas}
    own = [area for area in matrix.areas if area.key not in placed_areas]
    for entry in layout.sections:
        if entry.kind == "glance" and own:
            fixed.append(_own_areas(builder, own))
        blocks = {
            "about": lambda e=entry: _about(builder, e, matrix.version),
            "cells": lambda e=entry: _cells(builder, e),
            "person": lambda e=entry: _person(builder, e),
            "levels": lambda e=entry: _levels(builder, e, builder.present(e.areas)),
            "glance": lambda e=entry: _glance(builder, e),
        }[entry.kind]()
        areas = tuple(area.key for area in builder.present(entry.areas))
        if entry.kind == "glance":
            areas = tuple(area.key for area in matrix.areas)
        fixed.append(HandbookSection(entry.key, entry.title, tuple(blocks), areas))
    version_label = f"version {matrix.version}" if matrix.version else "working copy"
    provenance = framework.provenance
    return Handbook(
        title="Peer worker handbook",
        subtitle=f"{matrix.programme} · following {framework.ref} · matrix {version_label}",
        programme=matrix.programme,
        framework=framework.ref,
        framework_title=framework.title,
        version=matrix.version,
        version_label=version_label,
        issued=issued,
        notice=(
            SYNTHETIC_NOTICE
            if provenance and provenance.synthetic
            else SYNTHETIC_PROGRAMME_NOTICE
            if synthetic
            else ""
        ),
        language=framework.language,
        sections=tuple(_place_local(fixed, list(matrix.sections))),
    )


def _own_areas(builder: _Builder, areas: list[Area]) -> HandbookSection:
    """The areas the programme added, which no fixed section draws on, by level."""
    layout = LayoutSection(
        key=OWN_AREAS,
        kind="levels",
        title="The programme's own areas",
        intro="Areas of the work this programme added to the matrix itself.",
    )
    blocks = _levels(builder, layout, areas, every_level=False)
    return HandbookSection(OWN_AREAS, layout.title, tuple(blocks), tuple(a.key for a in areas))
