"""Reading YAML documents with positions, and reporting problems in them.

Frameworks and instruments are written by people in YAML. When something is wrong, the
person needs the file, the place in the document and the line, and what to change. This
module keeps a map from every path in a document to the line it starts on, so that both
structural errors (from pydantic) and cross-reference errors (from our own checks) can be
reported the same way, and all at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

PathPart = str | int
DocPath = tuple[PathPart, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document, located precisely enough to fix it."""

    source: str
    path: DocPath
    message: str
    fix: str = ""
    line: int | None = None

    @property
    def where(self) -> str:
        """The path in the document written as people read it, e.g. ``items[3].domain``."""
        return format_path(self.path)

    def __str__(self) -> str:
        place = f"{self.source}:{self.line}" if self.line else self.source
        location = f" {self.where}:" if self.path else ""
        text = f"{place}:{location} {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text


class DocumentError(Exception):
    """A document (or several) could not be accepted; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.source, p.line or 0, p.where))
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__(header + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


def format_path(path: DocPath) -> str:
    """Write a document path the way people read it: ``items[3].informants.peer_worker``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class YamlDocument:
    """A parsed YAML mapping with the line on which each path in it starts."""

    source: str
    data: dict[str, Any]
    lines: dict[DocPath, int] = field(default_factory=dict)

    def line_of(self, path: Iterable[PathPart]) -> int | None:
        """The line of the deepest part of ``path`` that exists in the document."""
        parts = tuple(path)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return self.lines.get((), 1)

    def problem(self, path: Iterable[PathPart], message: str, fix: str = "") -> Problem:
        """Make a :class:`Problem` located at ``path`` in this document."""
        parts = tuple(path)
        return Problem(self.source, parts, message, fix, self.line_of(parts))


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in the same mapping.

    PyYAML silently keeps the last of two equal keys, which would hide a mistake such as a
    principle defined twice with different wording.
    """


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the key {key!r} appears twice in the same mapping (first on line {seen[key]}); "
                "keep one of them",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def _record_lines(node: yaml.Node, path: DocPath, lines: dict[DocPath, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            # Integer keys (scale points) are stored as ints by the loader, so index them so too.
            if key_node.tag == "tag:yaml.org,2002:int":
                key = int(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _record_lines(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


def parse_yaml(text: str, source: str) -> YamlDocument:
    """Parse YAML text into a :class:`YamlDocument`, or raise :class:`DocumentError`."""
    try:
        node = yaml.compose(text, Loader=_UniqueKeyLoader)
        # _UniqueKeyLoader is PyYAML's SafeLoader, which builds no Python objects.
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # nosec B506
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or str(exc)
        raise DocumentError(
            [Problem(source, (), f"this is not valid YAML: {reason}.", _yaml_fix(reason), line)]
        ) from exc
    except yaml.YAMLError as exc:
        raise DocumentError([Problem(source, (), f"this is not valid YAML: {exc}.")]) from exc
    if not isinstance(data, dict) or node is None:
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise DocumentError(
            [
                Problem(
                    source,
                    (),
                    f"the document is {kind}, not a mapping of fields.",
                    "start the file with fields such as 'key:', 'version:' and 'title:'.",
                    1,
                )
            ]
        )
    lines: dict[DocPath, int] = {}
    _record_lines(node, (), lines)
    return YamlDocument(source, data, lines)


def _yaml_fix(reason: str) -> str:
    if "appears twice" in reason:
        return "remove or rename one of the two."
    if "tab" in reason:
        return "indent with spaces, not tabs."
    return "check the indentation and quoting on that line and the one before it."


def read_bytes(
    path: Path,
    *,
    error: type[DocumentError] = DocumentError,
    problem: type[Problem] = Problem,
) -> bytes:
    """The bytes of a file, or ``error`` with a problem that says why it cannot be read."""
    source = str(path)
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        found = problem(source, (), "there is no such file.", "check the path and its spelling.")
        raise error([found]) from exc
    except OSError as exc:
        found = problem(
            source,
            (),
            f"the file cannot be read: {exc.strerror}.",
            "check that it is a file you may read.",
        )
        raise error([found]) from exc


def read_yaml(path: Path) -> YamlDocument:
    """Read and parse a YAML file, reporting unreadable or undecodable files as problems."""
    source = str(path)
    try:
        text = read_bytes(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            [Problem(source, (), "the file is not UTF-8 text.", "save it as UTF-8 and try again.")]
        ) from exc
    return parse_yaml(text, source)


_PYDANTIC_FIXES = {
    "missing": "add this field.",
    "extra_forbidden": "remove it, or check its spelling against the format documentation.",
    "string_type": "write it as text (quote it if it looks like a number).",
    "int_type": "write a whole number.",
    "int_parsing": "write a whole number.",
    "float_type": "write a number.",
    "float_parsing": "write a number.",
    "bool_type": "write true or false.",
    "bool_parsing": "write true or false.",
    "list_type": "write a list (lines starting with '- ').",
    "dict_type": "write a mapping of 'name: value' lines.",
    "model_type": "write a mapping of 'name: value' lines.",
    "literal_error": "use one of the values listed.",
    "enum": "use one of the values listed.",
    "string_pattern_mismatch": "use lowercase letters, digits, '-' or '_', starting with a letter.",
    "string_too_short": "write some text here.",
    "too_short": "add at least one entry.",
    "greater_than": "use a larger number, within the range the format documentation gives.",
    "greater_than_equal": "use a larger number, within the range the format documentation gives.",
    "less_than": "use a smaller number, within the range the format documentation gives.",
    "less_than_equal": "use a smaller number, within the range the format documentation gives.",
}


def validation_problems(
    document: YamlDocument, model: type[BaseModel]
) -> tuple[BaseModel | None, list[Problem]]:
    """Validate a document against a pydantic model, turning every error into a Problem."""
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = tuple(part for part in error["loc"] if isinstance(part, str | int))
            kind = error["type"]
            if kind == "extra_forbidden":
                message = f"'{path[-1]}' is not a field here."
            elif kind == "missing":
                message = f"the required field '{path[-1]}' is missing."
            else:
                message = error["msg"][0].lower() + error["msg"][1:] + "."
            fix = _PYDANTIC_FIXES.get(
                kind, "check this value against the format documentation in docs/."
            )
            if kind == "string_pattern_mismatch":
                message = f"{error['input']!r} is not written the way this field needs."
                pattern = str(error.get("ctx", {}).get("pattern", ""))
                if "@" in pattern:
                    fix = "write key@version, such as enrich@2017."
                elif "A-Z][A-Z" in pattern:
                    fix = "use capital letters, digits or '_', starting with a letter (e.g. NA)."
            problems.append(document.problem(path, message, fix))
        return None, problems


def duplicates(keys: Iterable[tuple[DocPath, Any]]) -> list[tuple[DocPath, Any, DocPath]]:
    """Find keys used twice: (path of the repeat, key, path of the first use)."""
    first: dict[Any, DocPath] = {}
    repeats = []
    for path, key in keys:
        if key in first:
            repeats.append((path, key, first[key]))
        else:
            first[key] = path
    return repeats


def keyed_entries(data: Mapping[str, Any], field_name: str) -> list[tuple[DocPath, Any]]:
    """The ``key`` of each entry in the list ``data[field_name]``, with its path; skips junk."""
    entries = data.get(field_name)
    if not isinstance(entries, list):
        return []
    return [
        ((field_name, i, "key"), entry["key"])
        for i, entry in enumerate(entries)
        if isinstance(entry, dict) and isinstance(entry.get("key"), str | int)
    ]
