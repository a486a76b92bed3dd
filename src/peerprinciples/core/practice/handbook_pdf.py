"""The handbook as a PDF, laid out with reportlab's platypus.

Every heading is a bookmark in the PDF's outline, so a reader can jump between sections; the
contents page lists the sections with their page numbers; every page but the first carries
its number and the programme's name; the document's properties hold its title and author;
the appendix table repeats its header row on every page it runs onto.

Fonts: the fourteen fonts every PDF reader has (Helvetica and the rest) hold only Western
European letters, so Welsh ŵ and ŷ, Polish, Greek or Cyrillic would not show. When the
machine has the DejaVu Sans fonts (most Linux systems do; :data:`FONT_FOLDERS` lists where
they are looked for, and ``PEERPRINCIPLES_FONT_DIR`` can name another folder), they are
embedded and every letter shows. Without them the PDF uses Helvetica and each letter it
cannot show is printed as a question mark, never silently dropped; the HTML, Word and
OpenDocument files show every letter whatever the machine.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    ListFlowable,
    ListItem,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from peerprinciples import __version__
from peerprinciples.core.practice import handbook as model

FONT_FOLDERS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    str(Path.home() / ".fonts"),
)
"""Where the DejaVu Sans fonts are looked for, after ``PEERPRINCIPLES_FONT_DIR``."""

_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
}
BLUE = colors.HexColor("#0072B2")


@dataclass(frozen=True)
class Fonts:
    """The font names to set text in, and whether they show every letter."""

    regular: str
    bold: str
    italic: str
    unicode: bool


@cache
def _fonts(folders: tuple[str, ...]) -> Fonts:
    for folder in folders:
        paths = {style: Path(folder) / name for style, name in _FILES.items()}
        if all(path.is_file() for path in paths.values()):
            names = {style: f"PP-{Path(name).stem}" for style, name in _FILES.items()}
            for style, path in paths.items():
                pdfmetrics.registerFont(TTFont(names[style], str(path)))
            pdfmetrics.registerFontFamily(
                names["regular"],
                normal=names["regular"],
                bold=names["bold"],
                italic=names["italic"],
                boldItalic=names["bold"],
            )
            return Fonts(names["regular"], names["bold"], names["italic"], unicode=True)
    return Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", unicode=False)


def fonts() -> Fonts:
    """DejaVu Sans when it is found (embedded, every letter shows), else Helvetica."""
    extra = os.environ.get("PEERPRINCIPLES_FONT_DIR", "")
    return _fonts(((extra,) if extra else ()) + FONT_FOLDERS)


def _text(value: str, unicode: bool) -> str:
    """``value`` escaped for reportlab's paragraph markup; without a font that has every
    letter, a letter outside Latin-1 becomes ``?`` (visibly, not dropped)."""
    if not unicode:
        value = value.encode("latin-1", errors="replace").decode("latin-1")
    return escape(value)


class _Styles:
    def __init__(self, found: Fonts) -> None:
        base = ParagraphStyle(
            "body", fontName=found.regular, fontSize=10.5, leading=14.5, spaceAfter=4
        )
        self.body = base
        self.note = ParagraphStyle("note", base, textColor=colors.HexColor("#444444"))
        self.missing = ParagraphStyle(
            "missing", base, fontName=found.italic, textColor=colors.HexColor("#444444")
        )
        self.prompt = ParagraphStyle(
            "prompt",
            base,
            backColor=colors.HexColor("#F3F6F9"),
            borderColor=BLUE,
            borderWidth=0,
            borderPadding=(3, 4, 3, 6),
            leftIndent=8,
            spaceBefore=3,
            spaceAfter=7,
        )
        self.cell = ParagraphStyle("cell", base, fontSize=9, leading=11.5, spaceAfter=0)
        self.cell_head = ParagraphStyle("cell_head", self.cell, fontName=found.bold)
        self.caption = ParagraphStyle("caption", base, fontName=found.bold, spaceBefore=6)
        self.title = ParagraphStyle(
            "title", base, fontName=found.bold, fontSize=26, leading=31, spaceAfter=10
        )
        self.subtitle = ParagraphStyle("subtitle", base, fontSize=13, leading=17, spaceAfter=8)
        self.notice = ParagraphStyle(
            "notice",
            base,
            backColor=colors.HexColor("#FFF6E5"),
            borderColor=colors.HexColor("#9A4D00"),
            borderWidth=1.5,
            borderPadding=6,
            spaceBefore=12,
            spaceAfter=12,
        )
        sizes = {1: (19, 24), 2: (15, 19), 3: (12.5, 16), 4: (11, 14.5)}
        self.headings = {
            level: ParagraphStyle(
                f"h{level}",
                base,
                fontName=found.bold,
                fontSize=size,
                leading=leading,
                spaceBefore=12 if level > 1 else 0,
                spaceAfter=6,
                keepWithNext=1,
                textColor=BLUE if level == 1 else colors.black,
                alignment=TA_LEFT,
            )
            for level, (size, leading) in sizes.items()
        }
        self.toc = [
            ParagraphStyle("toc0", base, fontSize=11, leading=16, leftIndent=0),
        ]


class _Heading(Paragraph):  # type: ignore[misc]
    """A heading that the document turns into a bookmark and a contents entry."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str) -> None:
        super().__init__(text, style)
        self.outline_level = level
        self.outline_key = key
        self.plain = text


class _Document(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: io.BytesIO, handbook: model.Handbook, found: Fonts) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=22 * mm,
            title=f"{handbook.title}: {handbook.programme}",
            author=handbook.author,
            subject=handbook.subtitle,
            creator=f"peerprinciples {__version__}",
            lang=handbook.language,
        )
        self.handbook = handbook
        self.found = found
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._furniture)])

    def _furniture(self, canvas: Any, document: Any) -> None:
        """The page number and the programme's name at the foot of every page but the first."""
        page = canvas.getPageNumber()
        if page == 1:
            return
        canvas.saveState()
        canvas.setFont(self.found.regular, 8.5)
        canvas.setFillColor(colors.HexColor("#444444"))
        y = 12 * mm
        name = self.handbook.programme
        if not self.found.unicode:
            name = name.encode("latin-1", errors="replace").decode("latin-1")
        canvas.drawString(self.leftMargin, y, f"{self.handbook.title}: {name}"[:90])
        canvas.drawRightString(self.leftMargin + self.width, y, f"Page {page}")
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        if isinstance(flowable, _Heading):
            self.canv.bookmarkPage(flowable.outline_key)
            self.canv.addOutlineEntry(
                flowable.plain, flowable.outline_key, level=flowable.outline_level, closed=True
            )
            if flowable.outline_level == 0:
                self.notify("TOCEntry", (0, flowable.plain, self.page, flowable.outline_key))


def _paragraph(block: model.Paragraph, styles: _Styles, unicode: bool) -> Paragraph:
    style = {
        "": styles.body,
        "note": styles.note,
        "missing": styles.missing,
        "prompt": styles.prompt,
    }[block.emphasis]
    label = (
        f"<b>{_text(block.label, unicode)}{':' if block.text else ''}</b> " if block.label else ""
    )
    return Paragraph(label + _text(block.text, unicode), style)


def _table(block: model.Table, styles: _Styles, unicode: bool, width: float) -> list[Flowable]:
    head = [Paragraph(_text(name, unicode), styles.cell_head) for name in block.header]
    body = [[Paragraph(_text(value, unicode), styles.cell) for value in row] for row in block.rows]
    shares = (0.28, 0.16, 0.3, 0.26) if len(block.header) == 4 else None
    widths = [width * share for share in shares] if shares else None
    table = Table([head, *body], colWidths=widths, repeatRows=1, splitByRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [Paragraph(_text(block.caption, unicode), styles.caption), table]


def _story(handbook: model.Handbook, document: _Document, styles: _Styles) -> list[Flowable]:
    unicode = document.found.unicode
    story: list[Flowable] = [
        Spacer(1, 30 * mm),
        Paragraph(_text(handbook.title, unicode), styles.title),
        Paragraph(_text(handbook.programme, unicode), styles.subtitle),
        Paragraph(
            _text(
                f"Following {handbook.framework_title} ({handbook.framework}) · matrix "
                f"{handbook.version_label}",
                unicode,
            ),
            styles.note,
        ),
    ]
    if handbook.issued is not None:
        issued = handbook.issued.strftime("%d %B %Y").lstrip("0")
        story.append(Paragraph(f"Issued {issued}", styles.note))
    if handbook.notice:
        story.append(
            Paragraph(
                f"<b>Demonstration only.</b> {_text(handbook.notice, unicode)}", styles.notice
            )
        )
    contents = TableOfContents()
    contents.levelStyles = styles.toc
    contents.dotsMinLevel = 0
    story += [Spacer(1, 12 * mm), Paragraph("Contents", styles.headings[2]), contents]
    count = 0
    for section in handbook.sections:
        count += 1
        title = section.title + (" (written by the programme)" if section.local else "")
        story += [PageBreak(), _Heading(_text(title, unicode), styles.headings[1], 0, f"s{count}")]
        for block in section.blocks:
            if isinstance(block, model.Heading):
                count += 1
                level = min(block.level, 4)
                story.append(
                    _Heading(
                        _text(block.text, unicode), styles.headings[level], level - 1, f"s{count}"
                    )
                )
            elif isinstance(block, model.Paragraph):
                story.append(_paragraph(block, styles, unicode))
            elif isinstance(block, model.BulletList):
                story.append(
                    ListFlowable(
                        [
                            ListItem(Paragraph(_text(item, unicode), styles.body), leftIndent=12)
                            for item in block.items
                        ],
                        bulletType="bullet",
                        bulletFontName=document.found.regular,
                        leftIndent=12,
                        start="•",
                    )
                )
            else:
                story += _table(block, styles, unicode, document.width)
    return story


def render_pdf(handbook: model.Handbook) -> bytes:
    """The handbook as the bytes of a PDF file."""
    buffer = io.BytesIO()
    found = fonts()
    document = _Document(buffer, handbook, found)
    document.multiBuild(_story(handbook, document, _Styles(found)))
    return buffer.getvalue()
