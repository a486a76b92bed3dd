"""The REFI-QDA schemas, and reading XML so that every problem names its line and element.

REFI-QDA (the Rotterdam Exchange Format Initiative's standard for qualitative data analysis
packages) describes a project (``project.qde`` inside a ``.qdpx`` archive) and a codebook
(a ``.qdc`` file) in XML. The project schema is the published ``REFI-QDA_Project-mrt2019.xsd``,
kept beside this module with its licence notice. The codebook schema is built here from the
project schema: a codebook's codes are the project's codes, so their definitions (the
``Code`` element, its description, GUIDs, colours) are taken from the project schema as they
are, under the codebook's namespace; only the root element and the sets of codes, which a
codebook describes differently, are added, as section 5.2 of the standard gives them. A code
in a codebook carries no notes, so the project's ``NoteRef`` is left out of it.

XML is parsed without network access, external entities or DTDs, so a file can neither
reach outside itself nor expand into something huge.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Literal

from lxml import etree

from peerprinciples.core.coproduction.problems import Problem

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_XSD = "REFI-QDA_Project-mrt2019.xsd"
_XSD_NS = "http://www.w3.org/2001/XMLSchema"

Kind = Literal["project", "codebook"]

SOURCE_ELEMENTS = ("TextSource", "PDFSource", "PictureSource", "AudioSource", "VideoSource")
"""The kinds of source a project holds."""

# What a codebook declares differently from a project: its root, and sets whose members name
# a code by ``guid`` (a project's sets use ``targetGUID``, and may hold sources and notes).
_CODEBOOK_OWN = f"""<xsd:schema xmlns:xsd="{_XSD_NS}" xmlns="{CODEBOOK_NS}">
  <xsd:element name="CodeBook" type="CodeBookType"/>
  <xsd:complexType name="CodeBookType">
    <xsd:sequence>
      <xsd:element name="Codes" type="CodesType"/>
      <xsd:element name="Sets" type="SetsType" minOccurs="0"/>
    </xsd:sequence>
    <xsd:attribute name="origin" type="xsd:string"/>
  </xsd:complexType>
  <xsd:complexType name="SetType">
    <xsd:sequence>
      <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
      <xsd:element name="MemberCode" type="MemberCodeType" minOccurs="0" maxOccurs="unbounded"/>
    </xsd:sequence>
    <xsd:attribute name="guid" type="GUIDType" use="required"/>
    <xsd:attribute name="name" type="xsd:string" use="required"/>
  </xsd:complexType>
  <xsd:complexType name="MemberCodeType">
    <xsd:attribute name="guid" type="GUIDType" use="required"/>
  </xsd:complexType>
</xsd:schema>"""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _project_xsd_bytes() -> bytes:
    return (resources.files(__name__) / PROJECT_XSD).read_bytes()


@functools.cache
def project_schema() -> etree.XMLSchema:
    """The published REFI-QDA project schema (``urn:QDA-XML:project:1.0``)."""
    return etree.XMLSchema(etree.fromstring(_project_xsd_bytes(), _parser()))


def codebook_schema_document() -> etree._Element:
    """The codebook schema (``urn:QDA-XML:codebook:1.0``) as an XSD document, built from
    the project schema as the module's description says."""
    text = _project_xsd_bytes().replace(PROJECT_NS.encode(), CODEBOOK_NS.encode())
    root = etree.fromstring(text, _parser())
    names = {"xsd": _XSD_NS}
    replaced = ("Project", "ProjectType", "CodeBookType", "SetType")
    for node in root.xpath("xsd:element | xsd:complexType", namespaces=names):
        if node.get("name") in replaced:
            root.remove(node)
    for note in root.xpath(
        "xsd:complexType[@name='CodeType']/xsd:sequence/xsd:element[@name='NoteRef']",
        namespaces=names,
    ):
        note.getparent().remove(note)
    for node in etree.fromstring(_CODEBOOK_OWN.encode(), _parser()):
        root.append(node)
    # A round trip through text settles every namespace declaration of the moved parts.
    return etree.fromstring(etree.tostring(root), _parser())


@functools.cache
def codebook_schema() -> etree.XMLSchema:
    """The REFI-QDA codebook schema (``urn:QDA-XML:codebook:1.0``)."""
    return etree.XMLSchema(codebook_schema_document())


def parse_xml(data: bytes, *, file: str) -> etree._ElementTree | Problem:
    """Parse XML safely; a problem naming the line and column when it is not well formed."""
    try:
        return etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as error:
        line, column = error.position
        return Problem(
            f"{file}, line {line}, column {column}",
            f"The file is not well-formed XML: {_plain(error.msg or str(error))}.",
            "Export the file again from the QDA package; if it was edited by hand, close "
            "every element and escape '&' and '<' in text as '&amp;' and '&lt;'.",
        )


def root_problem(tree: etree._ElementTree, kind: Kind, *, file: str) -> Problem | None:
    """A problem when the root is not a REFI-QDA project or codebook of the right kind."""
    expected = (
        etree.QName(PROJECT_NS, "Project")
        if kind == "project"
        else etree.QName(CODEBOOK_NS, "CodeBook")
    )
    found = etree.QName(tree.getroot())
    if found == expected:
        return None
    other = "a REFI-QDA codebook (.qdc)" if found.namespace == CODEBOOK_NS else "something else"
    if found.namespace == PROJECT_NS:
        other = "a REFI-QDA project (.qde inside a .qdpx)"
    wanted = (
        "a REFI-QDA project: a <Project> element in the namespace " + PROJECT_NS
        if kind == "project"
        else "a REFI-QDA codebook: a <CodeBook> element in the namespace " + CODEBOOK_NS
    )
    return Problem(
        f"{file}, line {tree.getroot().sourceline}",
        f"The root element is <{found.localname}> "
        f"(namespace {found.namespace or 'none'}), which is {other}; the file must hold "
        f"{wanted}.",
        "Choose the import that matches the file: a .qdpx project, or a .qdc codebook.",
    )


def schema_problems(tree: etree._ElementTree, kind: Kind, *, file: str) -> list[Problem]:
    """Every way the document breaks the project or codebook schema, each at its element."""
    schema = project_schema() if kind == "project" else codebook_schema()
    if schema.validate(tree):
        return []
    problems = []
    for entry in schema.error_log:
        element = _element_at(tree, entry.path)
        where = place(element, file=file) if element is not None else f"{file}, line {entry.line}"
        what, fix = _explain(entry.message, kind)
        problems.append(Problem(where, what, fix))
    return problems


def place(element: etree._Element, *, file: str) -> str:
    """Where an element is: the file, its line, and its path of element names (with the
    position among same-named siblings, and the ``name`` attribute when it has one)."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        local = etree.QName(node).localname
        parent = node.getparent()
        if parent is not None:
            same = [child for child in parent if child.tag == node.tag]
            if len(same) > 1:
                local += f"[{same.index(node) + 1}]"
        steps.append(local)
        node = parent
    path = "/".join(reversed(steps))
    name = element.get("name")
    label = f" ({name!r})" if name else ""
    return f"{file}, line {element.sourceline}, {path}{label}"


def _element_at(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    if not path:
        return None
    try:
        found = tree.xpath(path)
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return found[0]
    return None


_NAMESPACED = re.compile(r"\{[a-zA-Z][\w.+-]*:[^}]*\}")
"""A namespace in braces (``{urn:QDA-XML:project:1.0}``), not a pattern's ``{8}``."""
_PATTERN = re.compile(r"\[facet 'pattern'\] The value '([^']*)' is not accepted by the pattern .*")


def _plain(message: str) -> str:
    """A libxml2 message without namespaces in braces or a trailing full stop."""
    return _NAMESPACED.sub("", message).strip().rstrip(".")


def _explain(message: str, kind: Kind) -> tuple[str, str]:
    """What is wrong, in words, and how to fix it."""
    text = _plain(message)
    standard = f"the REFI-QDA {kind} schema"
    # The schema has two patterns: a GUID's (groups of {8}-{4}-...) and a colour's.
    if "facet 'pattern'" in message and "{8}" in message:
        bad = _PATTERN.search(text)
        value = bad.group(1) if bad else ""
        return (
            f"{text.split(':')[0]}: {value!r} is not a GUID.",
            "Write a GUID of 32 hexadecimal digits in groups 8-4-4-4-12, such as "
            "4B3D9E2A-1C5F-4A7B-9D2E-6F8A0B1C3D4E.",
        )
    if "facet 'pattern'" in text:
        bad = _PATTERN.search(text)
        value = bad.group(1) if bad else ""
        return (
            f"{text.split(':')[0]}: {value!r} does not have the form {standard} allows.",
            "Write a colour as # and six hexadecimal digits (#1F77B4), or leave it out.",
        )
    if "is required but missing" in text:
        return (
            f"{text}.",
            f"Add the attribute ({standard} requires it), or export the file again from the "
            "QDA package.",
        )
    return (
        f"{text}.",
        f"Correct the element so that it follows {standard}, or export the file again from "
        "the QDA package.",
    )
