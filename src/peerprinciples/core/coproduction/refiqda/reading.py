"""Reading REFI-QDA projects and codebooks: the archive, the checks, and the mapping onto
evidence that the package's description sets out."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from peerprinciples.core.coproduction.evidence import (
    Category,
    Code,
    Evidence,
    Quotation,
    Source,
    SourceKind,
    doi_from_text,
    year_from_text,
)
from peerprinciples.core.coproduction.problems import ImportProblems, Problem, raise_if_any
from peerprinciples.core.coproduction.refiqda.references import (
    guid_key,
    guid_problems,
    local_name,
)
from peerprinciples.core.coproduction.refiqda.schema import (
    CODEBOOK_NS,
    PROJECT_NS,
    SOURCE_ELEMENTS,
    Kind,
    parse_xml,
    place,
    root_problem,
    schema_problems,
)

MAX_MEMBER_BYTES = 200 * 1024 * 1024
"""The largest ``project.qde`` or source text read from an archive (uncompressed)."""

_VARIABLE_FIELDS = {
    "year": "year",
    "publication year": "year",
    "doi": "doi",
    "kind": "kind",
    "source kind": "kind",
    "literature": "kind",
    "grey literature": "grey",
    "gray literature": "grey",
    "grey": "grey",
    "gray": "grey",
}
"""Source variables that fill in a source, by their name in lower case."""

_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


def read_qdpx(source: Path | bytes, *, name: str | None = None) -> Evidence:
    """Read a REFI-QDA project archive (``.qdpx``) into evidence.

    Parameters
    ----------
    source
        The archive: a path, or its bytes (an upload).
    name
        The file name shown in problems; by default the path's name, or ``project.qdpx``.

    Raises
    ------
    ImportProblems
        With every problem found: not a zip archive, no ``project.qde`` in it, XML that is
        not well formed or breaks the project schema, GUIDs given twice or pointing at
        nothing, selections outside their source's text, source variables that cannot be
        read.
    """
    file = name or (source.name if isinstance(source, Path) else "project.qdpx")
    data = source.read_bytes() if isinstance(source, Path) else bytes(source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportProblems(
            [
                Problem(
                    file,
                    "The file is not a zip archive, so it is not a REFI-QDA project (.qdpx).",
                    "Export the project from the QDA package as a 'REFI-QDA project' and "
                    "upload the .qdpx file it writes; a codebook alone (.qdc) has an import "
                    "of its own.",
                )
            ]
        ) from None
    with archive:
        member = _project_member(archive)
        if member is None:
            names = ", ".join(sorted(archive.namelist())[:5]) or "nothing"
            raise ImportProblems(
                [
                    Problem(
                        file,
                        f"The archive has no project.qde at its top level (it holds {names}).",
                        "Export the project again as a REFI-QDA project; a .qdpx archive "
                        "keeps the project in project.qde beside a sources folder.",
                    )
                ]
            )
        where = f"{file}: {member.filename}"
        xml = _member_bytes(archive, member, where)
        return _Document.read(xml, "project", file=where, archive=archive)


def read_qdc(source: Path | bytes, *, name: str | None = None) -> Evidence:
    """Read a REFI-QDA codebook (``.qdc``) into evidence with categories and codes only.

    Parameters
    ----------
    source
        The codebook: a path, or its bytes (an upload).
    name
        The file name shown in problems; by default the path's name, or ``codebook.qdc``.

    Raises
    ------
    ImportProblems
        With every problem found: XML that is not well formed or breaks the codebook schema,
        GUIDs given twice, sets naming codes the codebook does not have.
    """
    file = name or (source.name if isinstance(source, Path) else "codebook.qdc")
    data = source.read_bytes() if isinstance(source, Path) else bytes(source)
    return _Document.read(data, "codebook", file=file, archive=None)


def _project_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    for info in archive.infolist():
        if info.filename.casefold() == "project.qde":
            return info
    return None


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    if info.file_size > MAX_MEMBER_BYTES:
        raise ImportProblems(
            [
                Problem(
                    where,
                    f"It is {info.file_size:,} bytes unpacked, more than the "
                    f"{MAX_MEMBER_BYTES:,} bytes one file of a project may have.",
                    "Split the review into smaller projects, or leave large media out of "
                    "the export.",
                )
            ]
        )
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
        raise ImportProblems(
            [
                Problem(
                    where,
                    f"It cannot be unpacked ({error}).",
                    "Export the project again; the archive is damaged.",
                )
            ]
        ) from error


@dataclass
class _SourceFields:
    """What a source's variables say of it, filled in one variable at a time."""

    kind: SourceKind = SourceKind.PEER_REVIEWED
    year: int | None = None
    doi: str = ""


def _is_element(node: object) -> bool:
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


class _Document:
    """One project or codebook being read: its tree, and the problems found so far."""

    def __init__(
        self,
        tree: etree._ElementTree,
        kind: Kind,
        *,
        file: str,
        archive: zipfile.ZipFile | None,
    ) -> None:
        self.tree = tree
        self.kind = kind
        self.ns = PROJECT_NS if kind == "project" else CODEBOOK_NS
        self.file = file
        self.archive = archive
        self.problems: list[Problem] = []
        # Keyed by the element itself: holding it keeps its proxy, so the key stays its own.
        self._texts: dict[etree._Element, str | None] = {}

    @classmethod
    def read(
        cls, data: bytes, kind: Kind, *, file: str, archive: zipfile.ZipFile | None
    ) -> Evidence:
        tree = parse_xml(data, file=file)
        if isinstance(tree, Problem):
            raise ImportProblems([tree])
        wrong_root = root_problem(tree, kind, file=file)
        if wrong_root is not None:
            raise ImportProblems([wrong_root])
        document = cls(tree, kind, file=file, archive=archive)
        document.problems.extend(schema_problems(tree, kind, file=file))
        document.problems.extend(guid_problems(tree, kind, file=file))
        raise_if_any(document.problems, file=file)
        evidence = document.evidence()
        raise_if_any(document.problems, file=file)
        return evidence

    # --- navigating ---------------------------------------------------------------------------

    def children(self, element: etree._Element, local: str) -> list[etree._Element]:
        return list(element.findall(f"{{{self.ns}}}{local}"))

    def child(self, element: etree._Element, local: str) -> etree._Element | None:
        return element.find(f"{{{self.ns}}}{local}")

    def description(self, element: etree._Element) -> str:
        found = self.child(element, "Description")
        return (found.text or "").strip() if found is not None else ""

    def place(self, element: etree._Element) -> str:
        return place(element, file=self.file)

    def problem(self, element: etree._Element, what: str, fix: str) -> None:
        self.problems.append(Problem(self.place(element), what, fix))

    # --- the evidence ---------------------------------------------------------------------------

    def evidence(self) -> Evidence:
        root = self.tree.getroot()
        coded = {
            guid_key(ref.get("targetGUID", ""))
            for ref in root.iter(f"{{{self.ns}}}CodeRef")
            if local_name(ref.getparent()) == "Coding"
        }
        categories: list[Category] = []
        codes: list[Code] = []
        codebook = root if self.kind == "codebook" else self.child(root, "CodeBook")
        codes_element = self.child(codebook, "Codes") if codebook is not None else None
        if codes_element is not None:
            groups = self._code_sets(root)
            for top in self.children(codes_element, "Code"):
                self._top_code(top, coded, groups, categories, codes)
        sources: list[Source] = []
        quotations: list[Quotation] = []
        container = self.child(root, "Sources") if self.kind == "project" else None
        if container is not None:
            variables = self._variables(root)
            for element in container:
                if _is_element(element) and local_name(element) in SOURCE_ELEMENTS:
                    sources.append(self._source(element, variables))
                    quotations.extend(self._quotations(element))
        return Evidence(
            sources=tuple(sources),
            categories=tuple(categories),
            codes=tuple(codes),
            quotations=tuple(quotations),
        )

    def _name(self, element: etree._Element, what: str) -> str:
        name = (element.get("name") or "").strip()
        if not name:
            self.problem(
                element,
                f"The {what} has no name.",
                f"Give the {what} a name in the QDA package and export the file again.",
            )
        return name

    def _code_sets(self, root: etree._Element) -> dict[str, Category]:
        """The first set of codes each code belongs to, as a category."""
        container = self.child(root, "Sets")
        first: dict[str, Category] = {}
        if container is None:
            return first
        attribute = "guid" if self.kind == "codebook" else "targetGUID"
        for group in self.children(container, "Set"):
            members = self.children(group, "MemberCode")
            if not members:
                continue
            category = Category(
                guid_key(group.get("guid", "")), self._name(group, "set"), self.description(group)
            )
            for member in members:
                first.setdefault(guid_key(member.get(attribute, "")), category)
        return first

    def _top_code(
        self,
        element: etree._Element,
        coded: set[str],
        groups: dict[str, Category],
        categories: list[Category],
        codes: list[Code],
    ) -> None:
        key = guid_key(element.get("guid", ""))
        below = self.children(element, "Code")
        description = self.description(element)
        if below or element.get("isCodable", "").strip() in ("false", "0"):
            label = self._name(element, "category")
            categories.append(Category(key, label, description))
            if key in coded:
                codes.append(Code(key, label, description, category=key))
            for child in below:
                self._nested_code(child, key, None, "", codes)
            return
        group = groups.get(key)
        if group is not None and group not in categories:
            categories.append(group)
        label = self._name(element, "code")
        codes.append(Code(key, label, description, category=group.key if group else None))

    def _nested_code(
        self,
        element: etree._Element,
        category: str,
        parent: str | None,
        above: str,
        codes: list[Code],
    ) -> None:
        key = guid_key(element.get("guid", ""))
        name = self._name(element, "code")
        label = f"{above} › {name}" if above else name
        codes.append(Code(key, label, self.description(element), category, parent=parent))
        for child in self.children(element, "Code"):
            self._nested_code(child, category, key, label, codes)

    # --- sources and quotations -----------------------------------------------------------------

    def _variables(self, root: etree._Element) -> dict[str, str]:
        """The source variables this import reads, by key: which field each fills."""
        container = self.child(root, "Variables")
        found: dict[str, str] = {}
        if container is None:
            return found
        for variable in self.children(container, "Variable"):
            words = re.sub(r"[\s_-]+", " ", variable.get("name", "")).strip().casefold()
            if words in _VARIABLE_FIELDS:
                found[guid_key(variable.get("guid", ""))] = _VARIABLE_FIELDS[words]
        return found

    def _source(self, element: etree._Element, variables: dict[str, str]) -> Source:
        key = guid_key(element.get("guid", ""))
        citation = (element.get("name") or "").strip()
        if not citation:
            path = element.get("plainTextPath") or element.get("path") or ""
            citation = path.rsplit("/", 1)[-1] or f"Source {key}"
        fields = _SourceFields()
        for value in self.children(element, "VariableValue"):
            reference = self.child(value, "VariableRef")
            if reference is None:
                continue
            field = variables.get(guid_key(reference.get("targetGUID", "")))
            datum = next((c for c in value if _is_element(c) and c is not reference), None)
            if field is not None and datum is not None and (datum.text or "").strip():
                self._source_field(datum, field, fields)
        return Source(key, citation, kind=fields.kind, year=fields.year, doi=fields.doi)

    def _source_field(self, datum: etree._Element, field: str, fields: _SourceFields) -> None:
        text = (datum.text or "").strip()
        if field == "year":
            year = year_from_text(text[:4] if local_name(datum).startswith("Date") else text)
            if year is None:
                self.problem(
                    datum,
                    f"The year {text!r} is not a year of publication.",
                    "Write the year as four digits, such as 2016, or leave it empty.",
                )
            fields.year = year
        elif field == "doi":
            doi = doi_from_text(text)
            if doi is None:
                self.problem(
                    datum,
                    f"{text!r} is not a DOI.",
                    "Write a DOI such as 10.1108/MHSI-03-2017-0016, or leave it empty.",
                )
            fields.doi = doi or ""
        elif field == "kind":
            kind = SourceKind.from_text(text)
            if kind is None:
                self.problem(
                    datum,
                    f"The kind {text!r} is neither peer-reviewed nor grey.",
                    "Write peer-reviewed or grey.",
                )
            fields.kind = kind or SourceKind.PEER_REVIEWED
        elif text.casefold() in _TRUE | _FALSE:
            grey = text.casefold() in _TRUE
            fields.kind = SourceKind.GREY if grey else SourceKind.PEER_REVIEWED
        else:
            self.problem(
                datum,
                f"Whether the source is grey literature is given as {text!r}.",
                "Write true for grey literature and false for peer-reviewed.",
            )

    def _quotations(self, source: etree._Element) -> list[Quotation]:
        """One quotation for each selection, or the source itself, that has codings."""
        key = guid_key(source.get("guid", ""))
        holders: dict[etree._Element, list[str]] = {}
        for coding in source.iter(f"{{{self.ns}}}Coding"):
            codes = holders.setdefault(coding.getparent(), [])
            reference = self.child(coding, "CodeRef")
            target = guid_key(reference.get("targetGUID", "")) if reference is not None else ""
            if target and target not in codes:
                codes.append(target)
        quotations = []
        for holder, codes in holders.items():
            selected = local_name(holder) == "PlainTextSelection"
            text = self._selection_text(holder) if selected else ""
            quotations.append(Quotation(guid_key(holder.get("guid", "")), key, tuple(codes), text))
        return quotations

    def _selection_text(self, selection: etree._Element) -> str:
        text = self._text_of(selection.getparent())
        if text is None:
            return ""
        start = int(selection.get("startPosition", "0"))
        end = int(selection.get("endPosition", "0"))
        if not 0 <= start <= end <= len(text):
            self.problem(
                selection,
                f"The selection runs from character {start} to {end}, but its source's text "
                f"has {len(text)} characters.",
                "Export the project again from the QDA package: the selection and the "
                "source's text do not belong together.",
            )
            return ""
        return text[start:end].strip()

    def _text_of(self, holder: etree._Element) -> str | None:
        """The plain text of a text source (or a PDF's text representation): from the file,
        or from the archive's ``sources`` folder; ``None`` when it is kept elsewhere."""
        if holder not in self._texts:
            self._texts[holder] = self._read_text(holder)
        return self._texts[holder]

    def _read_text(self, holder: etree._Element) -> str | None:
        content = self.child(holder, "PlainTextContent")
        if content is not None:
            return content.text or ""
        path = holder.get("plainTextPath") or ""
        if not path.startswith("internal://") or self.archive is None:
            return None
        member = "sources/" + path.removeprefix("internal://")
        try:
            info = self.archive.getinfo(member)
        except KeyError:
            self.problem(
                holder,
                f"Its text {path} is not in the archive (no {member}).",
                "Export the project again with its sources included.",
            )
            return None
        data = _member_bytes(self.archive, info, f"{self.file.split(':')[0]}: {member}")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.problem(
                holder,
                f"Its text {member} is not UTF-8 (byte {error.start} cannot be read).",
                "Export the project again; REFI-QDA keeps plain texts in UTF-8.",
            )
            return None
