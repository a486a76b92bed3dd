"""GUIDs in a REFI-QDA file: each given once, and every reference naming an element the file
has, of the kind it must be (a coding names a code, a set's member a code or a source)."""

from __future__ import annotations

from lxml import etree

from peerprinciples.core.coproduction.problems import Problem
from peerprinciples.core.coproduction.refiqda.schema import SOURCE_ELEMENTS, Kind, place

REFERENCES = (
    "targetGUID",
    "originGUID",
    "representedGUID",
    "sourceVertex",
    "targetVertex",
    "fromSyncPoint",
    "toSyncPoint",
)
"""Attributes that name another element of the file by its GUID. A user named by
``creatingUser`` and the like is not looked for: users are not imported, and a file whose
users were left out of the export is still read."""

TARGETS = {
    "CodeRef": ("Code",),
    "MemberCode": ("Code",),
    "MemberSource": SOURCE_ELEMENTS,
    "SourceRef": SOURCE_ELEMENTS,
    "VariableRef": ("Variable",),
    "NoteRef": ("Note",),
    "MemberNote": ("Note",),
}
"""What each reference element must name."""

_REFERRING = " | ".join(f"//@{name}" for name in REFERENCES)


def guid_key(guid: str) -> str:
    """A GUID as a key: without braces, in capitals (GUIDs compare without case)."""
    return guid.strip().strip("{}").upper()


def guid_problems(tree: etree._ElementTree, kind: Kind, *, file: str) -> list[Problem]:
    """Every GUID given twice, and every reference to nothing or to the wrong kind."""
    problems: list[Problem] = []
    owners: dict[str, etree._Element] = {}
    for element in tree.xpath("//*[@guid]"):
        if _names_a_code(element, kind):
            continue
        guid = element.get("guid")
        first = owners.setdefault(guid_key(guid), element)
        if first is not element:
            problems.append(
                Problem(
                    place(element, file=file),
                    f"The GUID {guid} is given twice: the {local_name(first)} on line "
                    f"{first.sourceline} has it too.",
                    "Give every element a GUID of its own (export the file again from the QDA "
                    "package, or change one of the two).",
                )
            )
    # Each value found knows its element and attribute, and comes in document order.
    references = list(tree.xpath(_REFERRING))
    if kind == "codebook":
        references += tree.xpath("//*[local-name()='MemberCode']/@guid")
    for value in references:
        problem = _reference_problem(value.getparent(), value.attrname, value, owners, file)
        if problem is not None:
            problems.append(problem)
    return problems


def local_name(element: etree._Element) -> str:
    """An element's name without its namespace."""
    return str(element.tag).rpartition("}")[2]


def _names_a_code(element: etree._Element, kind: Kind) -> bool:
    """A codebook's ``MemberCode`` names its code by ``guid`` (a project's by
    ``targetGUID``): there the GUID is a reference, not the element's own."""
    return kind == "codebook" and local_name(element) == "MemberCode"


def _reference_problem(
    element: etree._Element,
    attribute: str,
    value: str,
    owners: dict[str, etree._Element],
    file: str,
) -> Problem | None:
    local = local_name(element)
    target = owners.get(guid_key(value))
    expected = TARGETS.get(local)
    if target is not None and (not expected or local_name(target) in expected):
        return None
    wanted = " or ".join(expected) if expected else "element"
    if target is None:
        return Problem(
            place(element, file=file),
            f"{attribute}={value!r} names no element of the file.",
            f"Point it at the GUID of a {wanted} that the file has, or remove the <{local}> "
            "element.",
        )
    found = local_name(target)
    if expected and attribute in ("targetGUID", "guid") and found not in expected:
        return Problem(
            place(element, file=file),
            f"{attribute}={value!r} names a {found} (line {target.sourceline}), but a {local} "
            f"must name a {wanted}.",
            f"Point it at the GUID of a {wanted}.",
        )
    return None
