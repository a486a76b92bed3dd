"""Benchmark: drafting a full programme's handbook and writing it in every format, on one core.

A synthetic matrix for the built-in ENRICH framework: every built-in area and eight areas of
the programme's own, every principle and theme, every cell filled with about 80 words of text
and 30 of evidence, and four local sections. Then, for each format,

* ours: :func:`build_handbook` and :func:`render` (the document model, then the writer: for the
  PDF a contents page with page numbers, which takes reportlab a second pass, bookmarks, tables
  that split);
* the reference: the same library writing every text block of the same handbook as plain
  paragraphs, with no headings, contents, tables or styles (HTML: the blocks escaped and joined).

``ratio = cpu_seconds / reference_cpu_seconds``: what our layout costs over the bare library.
A handbook is drawn when someone downloads it, in the request, so the target is under 5 s for
this largest matrix in any format, and a ratio of at most 6 for the three document formats
(the PDF's two passes and its tables are most of it) and of 15 for HTML, whose reference does
no more than escape and join the texts while ours draws a whole page from a template.
Run with ``python -m benchmarks handbook``.
"""

from __future__ import annotations

import html
import io
import random
from typing import Any

import docx
import odfdo
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import SimpleDocTemplate

from benchmarks.bench_delphi import WORDS
from benchmarks.timing import paired, ratio_row
from peerprinciples.core.library import Library
from peerprinciples.core.practice.handbook import (
    BulletList,
    Handbook,
    Heading,
    Paragraph,
    Table,
    build_handbook,
)
from peerprinciples.core.practice.handbook_files import render
from peerprinciples.core.practice.matrix import (
    Area,
    Cell,
    Level,
    Matrix,
    Section,
    Status,
    builtin_areas,
)

LOCAL_AREAS = 8
TEXT_WORDS = 80
EVIDENCE_WORDS = 30
TARGET_SECONDS = 5.0
TARGET_RATIOS = {"html": 15.0, "pdf": 6.0, "docx": 6.0, "odt": 6.0}


def synthetic_matrix(seed: int = 16) -> Matrix:
    rng = random.Random(seed)
    framework = Library().framework("enrich@2017")
    areas = list(builtin_areas()) + [
        Area(key=f"local-{i}", title=f"Local area {i}", level=Level.TEAM, built_in=False)
        for i in range(1, LOCAL_AREAS + 1)
    ]
    rows = [p.key for p in framework.principles] + [t.key for t in framework.themes]
    statuses = list(Status)

    def words(count: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize() + "."

    cells = [
        Cell(
            area=area.key,
            principle=row,
            text=words(TEXT_WORDS),
            evidence=words(EVIDENCE_WORDS),
            status=rng.choice(statuses),
            why=words(12),
            holder="Peer support lead",
        )
        for area in areas
        for row in rows
    ]
    sections = [
        Section(key=f"local-section-{i}", title=f"Local section {i}", body=words(150))
        for i in range(1, 5)
    ]
    return Matrix(
        programme="A large programme (synthetic)",
        framework=framework.ref,
        areas=areas,
        cells=cells,
        sections=sections,
    )


def _texts(handbook: Handbook) -> list[str]:
    """Every text of the handbook, block by block, as the references write them."""
    found = [handbook.title, handbook.subtitle]
    for section in handbook.sections:
        found.append(section.title)
        for block in section.blocks:
            if isinstance(block, Heading | Paragraph):
                found.append(block.text)
            elif isinstance(block, BulletList):
                found.extend(block.items)
            elif isinstance(block, Table):
                found.extend(" ".join(row) for row in block.rows)
    return found


def _pdf(texts: list[str]) -> bytes:
    out = io.BytesIO()
    style = getSampleStyleSheet()["BodyText"]
    SimpleDocTemplate(out, pagesize=A4).build(
        [PdfParagraph(html.escape(text), style) for text in texts]
    )
    return out.getvalue()


def _docx(texts: list[str]) -> bytes:
    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _odt(texts: list[str]) -> bytes:
    document = odfdo.Document("text")
    body = document.body
    for text in texts:
        body.append(odfdo.Paragraph(text))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _html(texts: list[str]) -> bytes:
    return "".join(f"<p>{html.escape(text)}</p>" for text in texts).encode()


REFERENCES = {
    "html": ("the blocks escaped and joined", _html),
    "pdf": ("reportlab, plain paragraphs", _pdf),
    "docx": ("python-docx, plain paragraphs", _docx),
    "odt": ("odfdo, plain paragraphs", _odt),
}


def run(repeats: int = 3) -> list[dict[str, Any]]:
    from threadpoolctl import threadpool_limits

    matrix = synthetic_matrix()
    framework = Library().framework(matrix.framework)
    handbook = build_handbook(matrix, framework)
    texts = _texts(handbook)
    # Every cell's text is in the handbook before its timing means anything.
    whole = "\n".join(texts)
    assert all(cell.text in whole for cell in matrix.cells)
    rows = []
    with threadpool_limits(limits=1):
        for fmt, (reference_name, reference) in REFERENCES.items():
            timings = paired(
                lambda fmt=fmt: render(build_handbook(matrix, framework), fmt),
                lambda reference=reference: reference(texts),
                repeats,
            )
            row = ratio_row(f"handbook as {fmt}", reference_name, timings)
            row["target"] = f"< {TARGET_SECONDS:g} s, ratio <= {TARGET_RATIOS[fmt]:g}"
            row["met"] = timings[0] < TARGET_SECONDS and row["ratio"] <= TARGET_RATIOS[fmt]
            rows.append(row)
    return rows
