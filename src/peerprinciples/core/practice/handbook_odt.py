"""The handbook as an OpenDocument text file (``.odt``), written with odfdo.

For LibreOffice and other OpenDocument editors, with the same intent as the Word file: the
document's own paragraph styles (*Title*, *Subtitle*, *Heading 1* to *Heading 4* as outline
levels, *List 1* for lists), tables whose first row is a header row repeated on every page,
and the title and author in the document's properties.
"""

from __future__ import annotations

import io

from odfdo import (
    Cell,
    Document,
    Header,
    HeaderRows,
    List,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Style,
    Table,
)

from peerprinciples import __version__
from peerprinciples.core.practice import handbook as model

_STYLES = (
    Style("text", name="PPLabel", display_name="Label", bold=True),
    Style("text", name="PPQuiet", display_name="Quiet", color="#444444"),
    Style("text", name="PPMissing", display_name="Not written", color="#444444", italic=True),
    Style(
        "paragraph",
        name="PPPrompt",
        display_name="Prompt",
        parent_style="Text_20_body",
        background_color="#F3F6F9",
        border_left="0.1cm solid #0072B2",
        padding_left="0.2cm",
    ),
    Style(
        "paragraph",
        name="PPNotice",
        display_name="Notice",
        parent_style="Text_20_body",
        background_color="#FFF6E5",
        border="0.05cm solid #9A4D00",
        padding="0.2cm",
    ),
)


def _header(level: int, text: str, style: str) -> Header:
    """A heading at outline ``level`` in ``style`` (odfdo's ``Header`` ignores its own
    ``style`` argument, so the style is set on the element)."""
    header = Header(level, text)
    header.style = style
    return header


def _paragraph(block: model.Paragraph) -> Paragraph:
    paragraph = Paragraph(style="PPPrompt" if block.emphasis == "prompt" else "Text_20_body")
    if block.label:
        paragraph.append(Span(f"{block.label}{':' if block.text else ''} ", style="PPLabel"))
    quiet = {"note": "PPQuiet", "missing": "PPMissing"}.get(block.emphasis)
    paragraph.append(Span(block.text, style=quiet) if quiet else block.text)
    return paragraph


def _table(block: model.Table, number: int) -> list[Paragraph | Table]:
    table = Table(f"Table{number}")
    header = HeaderRows()
    header.append(Row())
    for name in block.header:
        cell = Cell()
        cell.append(Paragraph(name, style="Table_20_Heading"))
        header.children[0].append(cell)
    table.append(header)
    for values in block.rows:
        row = Row()
        for value in values:
            cell = Cell()
            cell.append(Paragraph(value, style="Table_20_Contents"))
            row.append(cell)
        table.append(row)
    return [Paragraph(block.caption, style="Caption"), table]


def render_odt(handbook: model.Handbook) -> bytes:
    """The handbook as the bytes of an ``.odt`` file."""
    document = Document("text")
    for style in _STYLES:
        document.insert_style(style.clone, automatic=False)
    document.add_page_break_style()
    meta = document.meta
    meta.set_title(f"{handbook.title}: {handbook.programme}")
    meta.set_initial_creator(handbook.author)
    meta.set_creator(handbook.author)
    meta.set_subject(handbook.subtitle)
    meta.set_language(handbook.language)
    meta.set_generator(f"peerprinciples {__version__}")
    body = document.body
    body.clear()
    body.append(Paragraph(handbook.title, style="Title"))
    body.append(Paragraph(handbook.programme, style="Subtitle"))
    details = (
        f"Following {handbook.framework_title} ({handbook.framework}) · matrix "
        f"{handbook.version_label}"
    )
    if handbook.issued is not None:
        details += f" · issued {handbook.issued.strftime('%d %B %Y').lstrip('0')}"
    body.append(Paragraph(details, style="Text_20_body"))
    if handbook.notice:
        notice = Paragraph(style="PPNotice")
        notice.append(Span("Demonstration only. ", style="PPLabel"))
        notice.append(handbook.notice)
        body.append(notice)
    tables = 0
    for section in handbook.sections:
        title = section.title + (" (written by the programme)" if section.local else "")
        body.append(PageBreak())
        body.append(_header(1, title, "Heading_20_1"))
        for block in section.blocks:
            if isinstance(block, model.Heading):
                level = min(block.level, 4)
                body.append(_header(level, block.text, f"Heading_20_{level}"))
            elif isinstance(block, model.Paragraph):
                body.append(_paragraph(block))
            elif isinstance(block, model.BulletList):
                body.append(List(list(block.items), style="List_20_1"))
            else:
                tables += 1
                for element in _table(block, tables):
                    body.append(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
