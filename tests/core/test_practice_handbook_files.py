"""The handbook's four files, each read back with a real reader: every principle and area
is found, headings use real heading styles, and a failed write leaves nothing behind."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import docx
import odfdo
import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.library import Library
from peerprinciples.core.practice import handbook_pdf
from peerprinciples.core.practice.handbook import Handbook, HandbookError, Table, build_handbook
from peerprinciples.core.practice.handbook_files import FORMATS, render, write_handbook
from peerprinciples.core.practice.matrix import Area, Cell, Level, Matrix, Section, builtin_areas

PROGRAMME = "Gwasanaeth cymheiriaid Llŷn a Chŵm"


@pytest.fixture(scope="module")
def enrich() -> Framework:
    return Library([]).framework("enrich")


@pytest.fixture(scope="module")
def matrix(enrich: Framework) -> Matrix:
    return Matrix(
        programme=PROGRAMME,
        framework=enrich.ref,
        version=2,
        areas=[*builtin_areas(), Area(key="peer-network", title="Peer network", level=Level.TEAM)],
        cells=[
            Cell(
                area="supervision",
                principle="mutuality",
                text="Supervision is two-way & <open>.",
                holder="Peer support lead",
                status="partly",
            )
        ],
        sections=[Section(key="contacts", title="Who to contact", body="- The team office")],
    )


@pytest.fixture(scope="module")
def handbook(matrix: Matrix, enrich: Framework) -> Handbook:
    return build_handbook(matrix, enrich, issued=date(2025, 3, 4))


def flat(text: str) -> str:
    """Text with every run of white space made one space (lines wrap anywhere)."""
    return re.sub(r"\s+", " ", text)


def assert_everything_named(text: str, matrix: Matrix, enrich: Framework) -> None:
    words = flat(text)
    missing = [p.title for p in enrich.principles if p.title not in words]
    missing += [a.title for a in matrix.areas if a.title not in words]
    assert not missing, f"not found: {missing}"


@pytest.fixture(scope="module")
def pdf(handbook: Handbook) -> PdfReader:
    return PdfReader(io.BytesIO(render(handbook, "pdf")))


def test_pdf_holds_every_principle_and_area(
    pdf: PdfReader, matrix: Matrix, enrich: Framework
) -> None:
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert_everything_named(text, matrix, enrich)
    assert "Supervision is two-way & <open>." in flat(text)
    assert len(pdf.pages) > 1
    assert "Page 2" in pdf.pages[1].extract_text()


def test_pdf_has_its_title_author_and_an_outline_of_headings(pdf: PdfReader) -> None:
    assert pdf.metadata is not None
    assert pdf.metadata.title == f"Peer worker handbook: {PROGRAMME}"
    assert pdf.metadata.author == PROGRAMME
    top = [entry.title for entry in pdf.outline if not isinstance(entry, list)]
    assert top[:2] == ["About this handbook", "Role description"]
    assert "Who to contact (written by the programme)" in top
    assert top[-1] == "Appendix: the practice matrix at a glance"
    assert any(isinstance(entry, list) for entry in pdf.outline), "no nested headings"


@pytest.mark.skipif(not handbook_pdf.fonts().unicode, reason="DejaVu Sans is not installed")
def test_pdf_shows_welsh_letters_with_an_embedded_font(pdf: PdfReader) -> None:
    assert PROGRAMME in pdf.pages[0].extract_text()
    fonts = pdf.pages[0]["/Resources"]["/Font"]
    names = [str(fonts[key].get_object()["/BaseFont"]) for key in fonts]
    assert any("DejaVuSans" in name for name in names), names


def test_pdf_without_a_unicode_font_marks_the_letters_it_cannot_show(
    handbook: Handbook, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(handbook_pdf, "FONT_FOLDERS", ())
    monkeypatch.setenv("PEERPRINCIPLES_FONT_DIR", str(tmp_path))
    assert not handbook_pdf.fonts().unicode
    first = PdfReader(io.BytesIO(render(handbook, "pdf"))).pages[0].extract_text()
    assert "Gwasanaeth cymheiriaid Ll?n a Ch?m" in first


def test_the_appendix_table_splits_across_pages_repeating_its_header(pdf: PdfReader) -> None:
    pages = [p.extract_text() for p in pdf.pages]
    with_table = [t for t in pages if "Area Level Principle Status" in flat(t)]
    assert len(with_table) >= 2


def test_docx_uses_heading_and_list_styles_and_holds_everything(
    handbook: Handbook, matrix: Matrix, enrich: Framework
) -> None:
    document = docx.Document(io.BytesIO(render(handbook, "docx")))
    styles = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    headings_1 = [text for style, text in styles if style == "Heading 1"]
    assert headings_1 == [
        s.title + (" (written by the programme)" if s.local else "") for s in handbook.sections
    ]
    assert ("Heading 2", "The principles in brief") in styles
    assert ("Heading 4", "Mutuality and reciprocity") in styles
    assert ("List Bullet", "The team office") in styles
    assert styles[0] == ("Title", "Peer worker handbook")
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert_everything_named("\n".join([t for _, t in styles] + cells), matrix, enrich)
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["Area", "Level", "Principle", "Status"]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader"), "the header row does not repeat"
    assert document.core_properties.title == f"Peer worker handbook: {PROGRAMME}"
    assert document.core_properties.author == PROGRAMME


def test_odt_uses_heading_styles_and_holds_everything(
    handbook: Handbook, matrix: Matrix, enrich: Framework, tmp_path: Path
) -> None:
    path = write_handbook(handbook, tmp_path / "handbook.odt", "odt")
    document = odfdo.Document(path)
    headers = [(int(h.level), h.style, str(h).strip()) for h in document.body.headers]
    assert (1, "Heading_20_1", "About this handbook") in headers
    assert (2, "Heading_20_2", "The principles in brief") in headers
    assert (4, "Heading_20_4", "Mutuality and reciprocity") in headers
    assert all(style == f"Heading_20_{level}" for level, style, _ in headers)
    assert_everything_named(document.get_formatted_text(), matrix, enrich)
    (table,) = document.body.tables
    assert table.get_elements("table:table-header-rows")
    assert document.meta.get_title() == f"Peer worker handbook: {PROGRAMME}"
    with zipfile.ZipFile(path) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"


def test_html_is_one_accessible_page_holding_everything(
    handbook: Handbook, matrix: Matrix, enrich: Framework
) -> None:
    page = lxml_html.fromstring(render(handbook, "html"))
    assert page.get("lang") == "en"
    assert [h.text_content() for h in page.iter("h1")] == ["Peer worker handbook"]
    assert page.findtext(".//title") == f"Peer worker handbook: {PROGRAMME}"
    assert_everything_named(page.text_content(), matrix, enrich)
    assert "Supervision is two-way & <open>." in flat(page.text_content())
    (table,) = page.iter("table")
    assert table.find("caption") is not None
    assert {th.get("scope") for th in table.iter("th")} == {"col", "row"}
    for section in page.iter("section"):
        assert page.get_element_by_id(section.get("aria-labelledby")) is not None
    assert "@media print" in page.findtext(".//style")
    assert not page.xpath("//script|//link[@rel='stylesheet']|//img")


def test_every_format_is_written_and_named(handbook: Handbook, tmp_path: Path) -> None:
    for fmt in FORMATS:
        path = write_handbook(handbook, tmp_path / f"handbook.{fmt}", fmt)
        assert path.stat().st_size > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"handbook.{f}" for f in FORMATS)


def test_an_unknown_format_is_refused_and_nothing_written(
    handbook: Handbook, tmp_path: Path
) -> None:
    with pytest.raises(HandbookError, match="no handbook format 'rtf': choose one of html, pdf"):
        write_handbook(handbook, tmp_path / "handbook.rtf", "rtf")
    assert list(tmp_path.iterdir()) == []


def test_a_writer_failing_midway_leaves_no_file_and_the_old_one_untouched(
    handbook: Handbook, tmp_path: Path
) -> None:
    # A table row with a cell too few: the Word writer fails after drawing most of the file.
    ragged = Table("Broken", ("A", "B"), (("only one",),))
    last = handbook.sections[-1]
    broken = dataclasses.replace(
        handbook,
        sections=(
            *handbook.sections[:-1],
            dataclasses.replace(last, blocks=(*last.blocks, ragged)),
        ),
    )
    target = tmp_path / "handbook.docx"
    target.write_bytes(b"the handbook issued last year")
    with pytest.raises(ValueError, match="shorter"):
        write_handbook(broken, target, "docx")
    assert target.read_bytes() == b"the handbook issued last year"
    assert [p.name for p in tmp_path.iterdir()] == ["handbook.docx"]
    fresh = tmp_path / "new" / "handbook.docx"
    with pytest.raises(ValueError, match="shorter"):
        write_handbook(broken, fresh, "docx")
    assert not fresh.exists()
    assert list(fresh.parent.iterdir()) == []


def test_a_place_that_cannot_be_written_leaves_nothing(handbook: Handbook, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_handbook(handbook, blocker / "handbook.pdf", "pdf")
    assert blocker.read_text(encoding="utf-8") == "a file where a folder should be"
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-folder"]
