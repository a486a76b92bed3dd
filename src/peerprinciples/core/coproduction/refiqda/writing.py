"""Writing a codebook (``.qdc``) from evidence, so a review's codes can go back to a QDA
package: each category a top-level code, its codes nested below it, descriptions kept."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict

from lxml import etree

from peerprinciples.core.coproduction.evidence import Code, Evidence
from peerprinciples.core.coproduction.refiqda.references import guid_key
from peerprinciples.core.coproduction.refiqda.schema import CODEBOOK_NS

_GUID = re.compile(r"\{?[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}?")

_KEYS = uuid.UUID("6f1c3d52-8a47-4e0b-9a36-2b7d5c1e9f80")
"""The namespace of the GUIDs made for keys that are not GUIDs (a CSV file's names): the same
key always gets the same GUID, so a codebook written twice is the same file."""

SEPARATOR = " › "
"""What joins the names of nested codes in a code's label."""


def write_qdc(evidence: Evidence, *, origin: str = "peerprinciples") -> bytes:
    """A REFI-QDA codebook (``.qdc``, UTF-8 XML) of the evidence's categories and codes.

    A category is a top-level code, codable only when it was itself applied to passages
    (its key is also a code's key); its codes sit below it, nested as ``Code.parent`` says
    and named by the last part of their label. Codes without a category are top-level codes.
    Keys that are GUIDs are written as they are; other keys get a GUID made from them.

    Raises
    ------
    ValueError
        When the evidence has neither categories nor codes: the standard requires at least
        one code.
    """
    if not evidence.categories and not evidence.codes:
        raise ValueError(
            "The evidence has no categories or codes, and a REFI-QDA codebook needs at least "
            "one code: add codes before exporting the codebook."
        )
    category_keys = {category.key for category in evidence.categories}
    self_coded = {code.key for code in evidence.codes if code.key == code.category}
    known = {code.key for code in evidence.codes}
    below: dict[str | None, list[Code]] = defaultdict(list)
    top: dict[str | None, list[Code]] = defaultdict(list)
    for code in evidence.codes:
        if code.key in self_coded:
            continue
        if code.parent is not None and code.parent in known and code.parent != code.key:
            below[code.parent].append(code)
        else:
            top[code.category if code.category in category_keys else None].append(code)
    guids = _Guids()
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", origin)
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    written: set[str] = set(self_coded)
    homes: dict[str | None, etree._Element] = {None: codes}
    for category in evidence.categories:
        homes[category.key] = _code(
            codes,
            guids.of("category", category.key),
            category.label,
            category.description,
            codable=category.key in self_coded,
        )
        for code in top[category.key]:
            _nested(homes[category.key], code, "", below, guids, written)
    for code in top[None]:
        _nested(codes, code, "", below, guids, written)
    # Codes whose parents name each other in a circle are reached from no category: they
    # go directly into their category rather than being lost.
    for code in evidence.codes:
        if code.key not in written:
            home = homes.get(code.category if code.category in category_keys else None, codes)
            _nested(home, code, "", below, guids, written)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _nested(
    parent: etree._Element,
    code: Code,
    above: str,
    below: dict[str | None, list[Code]],
    guids: _Guids,
    written: set[str],
) -> None:
    if code.key in written:
        return
    written.add(code.key)
    name = code.label
    if above and name.startswith(above + SEPARATOR):
        name = name[len(above) + len(SEPARATOR) :]
    element = _code(parent, guids.of("code", code.key), name, code.definition, codable=True)
    for child in below.get(code.key, []):
        _nested(element, child, code.label, below, guids, written)


def _code(
    parent: etree._Element, guid: str, name: str, description: str, *, codable: bool
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CODEBOOK_NS}}}Code")
    element.set("guid", guid)
    element.set("name", name)
    element.set("isCodable", "true" if codable else "false")
    if description:
        etree.SubElement(element, f"{{{CODEBOOK_NS}}}Description").text = description
    return element


class _Guids:
    """A GUID for every key, never the same one twice in a file."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def of(self, kind: str, item: str) -> str:
        guid = guid_key(item) if _GUID.fullmatch(item.strip()) else ""
        if not guid or guid in self.used:
            guid = str(uuid.uuid5(_KEYS, f"{kind}:{item}")).upper()
        self.used.add(guid)
        return guid
