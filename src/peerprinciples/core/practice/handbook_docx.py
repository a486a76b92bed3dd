"""The handbook as an editable Word file (``.docx``), written with python-docx.

A programme will change the handbook before it uses it for a post, so the file is built from
Word's own styles rather than set by hand: the title in *Title*, section titles in
*Heading 1* and the headings inside them in *Heading 2* to *Heading 4* (so Word's navigation
pane and its table of contents work), lists in *List Bullet*, and tables with a header row
that repeats on every page. The document's properties carry its title and author.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table as WordTable

from peerprinciples import __version__
from peerprinciples.core.practice import handbook as model

GREY = RGBColor(0x44, 0x44, 0x44)


def _paragraph(document: WordDocument, block: model.Paragraph) -> None:
    paragraph = document.add_paragraph()
    if block.emphasis == "prompt":
        paragraph.style = document.styles["Intense Quote"]
    if block.label:
        paragraph.add_run(f"{block.label}{':' if block.text else ''} ").bold = True
    run = paragraph.add_run(block.text)
    if block.emphasis in ("note", "missing"):
        run.font.color.rgb = GREY
    if block.emphasis == "missing":
        run.italic = True


def _repeat_header(table: WordTable) -> None:
    """Mark the first row as a header row, which Word repeats on each page the table spans."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document: WordDocument, block: model.Table) -> None:
    caption = document.add_paragraph(block.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = document.styles["Table Grid"]
    for cell, name in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True
    _repeat_header(table)
    for row in block.rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value


def _front(document: WordDocument, handbook: model.Handbook) -> None:
    document.add_paragraph(handbook.title, style="Title")
    document.add_paragraph(handbook.programme, style="Subtitle")
    details = document.add_paragraph(
        f"Following {handbook.framework_title} ({handbook.framework}) · matrix "
        f"{handbook.version_label}"
    )
    if handbook.issued is not None:
        details.add_run(f" · issued {handbook.issued.strftime('%d %B %Y').lstrip('0')}")
    if handbook.notice:
        notice = document.add_paragraph(style="Intense Quote")
        notice.add_run("Demonstration only. ").bold = True
        notice.add_run(handbook.notice)


def render_docx(handbook: model.Handbook) -> bytes:
    """The handbook as the bytes of a ``.docx`` file."""
    document = Document()
    properties = document.core_properties
    properties.title = f"{handbook.title}: {handbook.programme}"
    properties.author = handbook.author
    properties.subject = handbook.subtitle
    properties.comments = f"Made with peerprinciples {__version__}"
    properties.language = handbook.language
    document.styles["Normal"].font.size = Pt(11)
    _front(document, handbook)
    for section in handbook.sections:
        title = section.title + (" (written by the programme)" if section.local else "")
        heading = document.add_heading(title, level=1)
        heading.paragraph_format.page_break_before = True
        for block in section.blocks:
            if isinstance(block, model.Heading):
                document.add_heading(block.text, level=min(block.level, 4))
            elif isinstance(block, model.Paragraph):
                _paragraph(document, block)
            elif isinstance(block, model.BulletList):
                for item in block.items:
                    document.add_paragraph(item, style="List Bullet")
            else:
                _table(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
