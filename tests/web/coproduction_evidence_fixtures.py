"""Small evidence files written by hand to the REFI-QDA 1.0 schemas and the CSV layout, and a
project whose review the tests fill.

The review is made up: two categories of peer support codes, one code without a category,
three sources (two peer-reviewed, one grey) with coded passages.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.shared_data import shared_folder

from peerprinciples.web.coproduction.models import Category, Code, Quotation, Source

# GUIDs of the codebook
TRUST = "0B7C1B2E-1111-4C1D-9E10-000000000001"
SHARED = "0B7C1B2E-1111-4C1D-9E10-000000000002"
HOPE = "0B7C1B2E-1111-4C1D-9E10-000000000003"
POWER = "0B7C1B2E-1111-4C1D-9E10-000000000004"
CHOICE = "0B7C1B2E-1111-4C1D-9E10-000000000005"
TRAINING = "0B7C1B2E-1111-4C1D-9E10-000000000006"
LOOSE = "0B7C1B2E-1111-4C1D-9E10-000000000007"

# GUIDs of the project's sources, variables and selections
SOURCE_A = "5A0E7C9D-2222-4B8A-8F20-00000000000A"
SOURCE_B = "5A0E7C9D-2222-4B8A-8F20-00000000000B"
SOURCE_C = "5A0E7C9D-2222-4B8A-8F20-00000000000C"
YEAR = "7D3F1A6B-3333-4E2C-9A30-000000000001"
KIND = "7D3F1A6B-3333-4E2C-9A30-000000000002"
DOI = "7D3F1A6B-3333-4E2C-9A30-000000000003"


def _selection_guid(number: int) -> str:
    return f"9C4E2B1A-4444-4D3E-8B40-{number:012d}"


CODEBOOK_CODES = f"""
    <Code guid="{TRUST}" name="Relationships built on trust" isCodable="false">
      <Description>What helps a relationship between peers grow.</Description>
      <Code guid="{SHARED}" name="Shared experience" isCodable="true">
        <Description>A worker draws on having lived through something alike.</Description>
      </Code>
      <Code guid="{HOPE}" name="Modelling hope" isCodable="true">
        <Description>Recovery shown as possible by someone who lives it.</Description>
      </Code>
    </Code>
    <Code guid="{POWER}" name="Sharing power" isCodable="false">
      <Description>How decisions are made with, not for, people.</Description>
      <Code guid="{CHOICE}" name="Choice and control" isCodable="true">
        <Description>The person supported decides what happens.</Description>
      </Code>
      <Code guid="{TRAINING}" name="Training together" isCodable="true"/>
    </Code>
    <Code guid="{LOOSE}" name="Working across boundaries" isCodable="true"/>
"""


def codebook_qdc(codes: str = CODEBOOK_CODES) -> bytes:
    """A REFI-QDA codebook with two categories of two codes and one code on its own."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="hand-written test file">\n'
        f"  <Codes>{codes}</Codes>\n"
        "</CodeBook>\n"
    ).encode()


CITATION_A = "Example A. (2009) Trust between peers. Journal of Examples 1(2)."
CITATION_C = "Example Peer Group C. (2016) Learning side by side. Report."
TEXT_A = "Peer workers said that sharing their story built trust. Hope came from seeing recovery."
TEXT_B = "People chose what support they wanted and when it ended."
TEXT_C = "A report from a peer-led group on training alongside staff."


def _source(guid: str, name: str, text: str, variables: dict[str, tuple[str, str]]) -> str:
    return (
        f'<TextSource guid="{guid}" name="{name}">'
        f"<PlainTextContent>{text}</PlainTextContent>"
        "{selections}"
        + "".join(
            f'<VariableValue><VariableRef targetGUID="{ref}"/><{element}>{value}</{element}>'
            "</VariableValue>"
            for ref, (element, value) in variables.items()
        )
        + "</TextSource>"
    )


def _selection(number: int, text: str, passage: str, codes: list[str]) -> str:
    start = text.index(passage)
    codings = "".join(
        f'<Coding guid="{_selection_guid(100 + number * 10 + i)}"><CodeRef targetGUID="{code}"/>'
        "</Coding>"
        for i, code in enumerate(codes)
    )
    return (
        f'<PlainTextSelection guid="{_selection_guid(number)}" startPosition="{start}" '
        f'endPosition="{start + len(passage)}">{codings}</PlainTextSelection>'
    )


def project_qde(*, extra_source: str = "", codes: str = CODEBOOK_CODES) -> bytes:
    """The project file of a REFI-QDA project: the codebook, three sources with their year,
    kind and DOI as variables, and four coded passages."""
    a = _source(
        SOURCE_A,
        CITATION_A,
        TEXT_A,
        {
            YEAR: ("IntegerValue", "2009"),
            KIND: ("TextValue", "peer-reviewed"),
            DOI: ("TextValue", "10.9999/example.2009.1"),
        },
    ).replace(
        "{selections}",
        _selection(1, TEXT_A, "sharing their story built trust", [SHARED])
        + _selection(2, TEXT_A, "Hope came from seeing recovery", [HOPE, SHARED]),
    )
    b = _source(
        SOURCE_B,
        "Example B. (2014) Choosing support. Example Review 3.",
        TEXT_B,
        {YEAR: ("IntegerValue", "2014"), KIND: ("TextValue", "peer-reviewed")},
    ).replace("{selections}", _selection(3, TEXT_B, "People chose what support", [CHOICE]))
    c = _source(
        SOURCE_C,
        CITATION_C,
        TEXT_C,
        {YEAR: ("IntegerValue", "2016"), KIND: ("TextValue", "grey")},
    ).replace(
        "{selections}",
        _selection(4, TEXT_C, "training alongside staff", [TRAINING, CHOICE]),
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Example review" '
        'origin="hand-written test file">'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook>"
        "<Variables>"
        f'<Variable guid="{YEAR}" name="Year" typeOfVariable="Integer"/>'
        f'<Variable guid="{KIND}" name="Kind" typeOfVariable="Text"/>'
        f'<Variable guid="{DOI}" name="DOI" typeOfVariable="Text"/>'
        "</Variables>"
        f"<Sources>{a}{b}{c}{extra_source}</Sources>"
        "</Project>"
    ).encode()


def project_qdpx(qde: bytes | None = None) -> bytes:
    """A REFI-QDA project archive holding :func:`project_qde` (or the given project file)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", qde if qde is not None else project_qde())
    return buffer.getvalue()


def _csv(*rows: tuple[str, ...]) -> str:
    """CSV text as a spreadsheet saves it (quoted where needed, CRLF line ends)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


CODEBOOK_CSV = _csv(
    ("category", "category_description", "code", "definition"),
    (
        "Relationships built on trust",
        "What helps a relationship between peers grow.",
        "Shared experience",
        "A worker draws on having lived through something alike.",
    ),
    (
        "Relationships built on trust",
        "",
        "Modelling hope",
        "Recovery shown as possible by someone who lives it.",
    ),
    (
        "Sharing power",
        "How decisions are made with, not for, people.",
        "Choice and control",
        "The person supported decides what happens.",
    ),
    ("", "", "Working across boundaries", ""),
)

SOURCES_CSV = _csv(
    ("source_id", "citation", "year", "kind", "doi", "code", "quotation"),
    (
        "S01",
        CITATION_A,
        "2009",
        "peer-reviewed",
        "10.9999/example.2009.1",
        "Shared experience",
        "sharing their story built trust",
    ),
    ("S01", "", "", "", "", "Modelling hope", "Hope came from seeing recovery"),
    ("S02", CITATION_C, "2016", "grey", "", "Choice and control", ""),
    ("S03", "Example D. (2001) A source read but not coded.", "2001", "peer-reviewed", "", "", ""),
)


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    """A file as a browser uploads it."""
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data)


def import_url(project: Any) -> str:
    return reverse("coproduction:evidence_import", args=[project.pk])


@dataclass(frozen=True)
class Held:
    """How many of each kind a project's review holds."""

    sources: int
    categories: int
    codes: int
    quotations: int

    @classmethod
    def of(cls, project: Any) -> Held:
        return cls(
            Source.objects.filter(project=project).count(),
            Category.objects.filter(project=project).count(),
            Code.objects.filter(project=project).count(),
            Quotation.objects.filter(project=project).count(),
        )


def shared_data(*parts: str) -> Path:
    """A file of the shared example data (see :mod:`tests.shared_data`); the test is
    skipped when it is absent."""
    path = shared_folder(parts[0]).joinpath(*parts[1:])
    if not path.is_file():
        pytest.skip(f"The shared example file {Path(*parts)} is not here.")
    return path


@pytest.fixture(name="uploads_folder")
def uploads_folder_fixture(settings: Any, tmp_path: Path) -> Path:
    """Uploads wait in a folder of the test's own."""
    settings.PEERPRINCIPLES_IMPORT_DIR = tmp_path / "imports"
    return tmp_path / "imports" / "evidence"
