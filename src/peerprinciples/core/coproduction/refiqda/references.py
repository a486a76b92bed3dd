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


def guid_key(guid: str) -> str:
    """A GUID as a key: without braces, in capitals (GUIDs compare without case)."""
    return guid.strip().strip("{}").upper()


def guid_problems(tree: etree._ElementTree, kind: Kind, *, file: str) -> list[Problem]:
    """Every GUID given twice, and every reference to nothing or to the wrong kind."""
    problems: list[Problem] = []
    elements = [node for node in tree.iter() if isinstance(node.tag, str)]
    owners: dict[str, etree._Element] = {}
    for element in elements:
        guid = element.get("guid")
        if guid is None or _names_a_code(element, kind):
            continue
        first = owners.setdefault(guid_key(guid), element)
        if first is not element:
            problems.append(
                Problem(
                    place(element, file=file),
                    f"The GUID {guid} is given twice: the {etree.QName(first).localname} on "
                    f"line {first.sourceline} has it too.",
                    "Give every element a GUID of its own (export the file again from the QDA "
                    "package, or change one of the two).",
                )
            )
    for element in elements:
        names = REFERENCES + (("guid",) if _names_a_code(element, kind) else ())
        for attribute in names:
            value = element.get(attribute)
            if value is not None:
                problem = _reference_problem(element, attribute, value, owners, file)
                if problem is not None:
                    problems.append(problem)
    return problems


def _names_a_code(element: etree._Element, kind: Kind) -> bool:
    """A codebook's ``MemberCode`` names its code by ``guid`` (a project's by
    ``targetGUID``): there the GUID is a reference, not the element's own."""
    return kind == "codebook" and etree.QName(element).localname == "MemberCode"


def _reference_problem(
    element: etree._Element,
    attribute: str,
    value: str,
    owners: dict[str, etree._Element],
    file: str,
) -> Problem | None:
    local = etree.QName(element).localname
    target = owners.get(guid_key(value))
    expected = TARGETS.get(local)
    wanted = " or ".join(expected) if expected else "element"
    if target is None:
        return Problem(
            place(element, file=file),
            f"{attribute}={value!r} names no element of the file.",
            f"Point it at the GUID of a {wanted} that the file has, or remove the <{local}> "
            "element.",
        )
    found = etree.QName(target).localname
    if expected and attribute in ("targetGUID", "guid") and found not in expected:
        return Problem(
            place(element, file=file),
            f"{attribute}={value!r} names a {found} (line {target.sourceline}), but a {local} "
            f"must name a {wanted}.",
            f"Point it at the GUID of a {wanted}.",
        )
    return None
