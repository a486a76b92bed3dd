"""A programme's matrix as the core's :class:`~peerprinciples.core.practice.matrix.Matrix`.

Everything the core works out about a matrix (prompts, gaps, comparisons, the handbook) takes
this picture of it, read in four queries.
"""

from __future__ import annotations

from peerprinciples.core.practice.matrix import Area as CoreArea
from peerprinciples.core.practice.matrix import Cell as CoreCell
from peerprinciples.core.practice.matrix import Level, Matrix, Status
from peerprinciples.core.practice.matrix import Section as CoreSection
from peerprinciples.web.practice.models import Area, Cell, Programme, Prompt, Section


def matrix_of(programme: Programme) -> Matrix:
    """The programme's working matrix as it stands (version 0: not a numbered version)."""
    areas = list(Area.objects.filter(programme=programme).order_by("position", "pk"))
    keys = {area.pk: area.key for area in areas}
    cells = Cell.objects.filter(programme=programme).order_by("area__position", "principle")
    prompts = Prompt.objects.filter(programme=programme)
    sections = Section.objects.filter(programme=programme).order_by("position", "pk")
    return Matrix(
        programme=programme.name,
        framework=programme.framework.ref,
        version=0,
        areas=[
            CoreArea(
                key=area.key,
                title=area.title,
                description=area.description,
                level=Level(area.level),
                built_in=area.built_in,
            )
            for area in areas
        ],
        cells=[
            CoreCell(
                area=keys[cell.area_id],
                principle=cell.principle,
                text=cell.text,
                evidence=cell.evidence,
                status=Status(cell.status) if cell.status else None,
                why=cell.why,
                holder=cell.holder,
            )
            for cell in cells
        ],
        sections=[
            CoreSection(
                key=section.key, title=section.title, body=section.body, after=section.after or None
            )
            for section in sections
        ],
        prompts={f"{keys[prompt.area_id]}/{prompt.principle}": prompt.text for prompt in prompts},
    )
