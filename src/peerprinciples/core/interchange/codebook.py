"""The codebook of exported evaluation data, and the rules that name its variables.

Statistics packages put limits on names and values that instruments do not: SPSS and Stata
variable names have at most 32 characters of letters, digits and ``_`` and start with a
letter; a special code needs a number (SPSS) or an extended missing value (Stata). The rules
here are the single place those choices are made, so every export, the codebook and the
REDCap dictionary agree:

variable names
    an item key is its own variable name when it is valid; otherwise every character other
    than a letter, digit or ``_`` becomes ``_`` (``rel-1`` becomes ``rel_1``), a name that
    does not start with a letter gets ``v_`` in front, a reserved word of SPSS or Stata
    (``to``, ``in``, ``if``, ``byte``...) gets ``_`` after it, names are cut to 32
    characters, and a name already taken gets ``_2``, ``_3``... Domain scores are named
    ``dom_`` and the domain key by the same rules, the total ``total``.
numeric values of special codes
    a code's own ``value`` when the instrument gives one; otherwise, in the instrument's
    order, the first of −8, −9, −10, −11... that is neither another code's value nor a point
    of any scale. So ``NA`` and ``II`` of the example index are −8 and −9.
Stata missing values
    the codes, in the instrument's order, are the extended missing values ``.a``, ``.b``...
    (at most 26 codes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from peerprinciples import __version__
from peerprinciples.core import html
from peerprinciples.core.documents import DocumentError, Problem
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument, Item
from peerprinciples.core.interchange import atomic_write

MAX_NAME = 32
"""The longest variable name SPSS and Stata both accept."""

STATA_LETTERS = "abcdefghijklmnopqrstuvwxyz"
"""Stata's extended missing values ``.a`` to ``.z``, without the dot."""

FIRST_CODE_VALUE = -8
"""The numeric value given to the first special code that has none."""

_SPSS_RESERVED = {"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"}
_STATA_RESERVED = {
    "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n",
    "_pi", "_pred", "_rc", "_skip", "strl", "using", "with",
}  # fmt: skip

Kind = Literal["identifier", "item", "domain score", "total score", "band"]


@dataclass(frozen=True)
class Identifier:
    """A column that identifies a rating set rather than rating anything."""

    name: str
    label: str
    kind: Literal["string", "date", "numeric"] = "string"


IDENTIFIERS = (
    Identifier("interview", "Interview id"),
    Identifier("informant", "Who was interviewed (informant key)"),
    Identifier("service", "Service (site or team)"),
    Identifier("peer_worker", "Peer worker (pseudonymous code)"),
    Identifier("round", "Round of evaluation"),
    Identifier("date", "Date of the interview", "date"),
    Identifier("rater", "Rater (pseudonymous code), or consensus for the agreed ratings"),
    Identifier("final", "Whether this set of ratings stands for the interview", "numeric"),
    Identifier("consensus_source", "Where a consensus score comes from"),
    Identifier("notes", "Rater's notes (free text)"),
)
"""The identifying columns of the exported tables, in order."""

TOTAL = "total"
"""The variable name of the total score."""

TOTAL_BAND = "total_band"
"""The variable name of the band of the total score."""


# --- names and values -------------------------------------------------------------------------


def _reserved(name: str) -> bool:
    lower = name.lower()
    return (
        lower in _SPSS_RESERVED or lower in _STATA_RESERVED or bool(re.fullmatch(r"str\d+", lower))
    )


def unique_name(key: str, taken: set[str], *, max_length: int = MAX_NAME, prefix: str = "") -> str:
    """A valid, unused variable name for ``key``, which is then marked as taken.

    Parameters
    ----------
    key
        The instrument's key, e.g. ``rel_1`` or ``experiential-knowledge``.
    taken
        Names already used, compared without regard to case (SPSS ignores case); updated.
    max_length
        The longest name allowed.
    prefix
        Put in front of the key, e.g. ``dom_``.

    Returns
    -------
    str
        The name; see the module notes for the rules.
    """
    name = prefix + re.sub(r"[^A-Za-z0-9_]", "_", key)
    if not name[:1].isalpha():
        name = "v_" + name
    if _reserved(name):
        name += "_"
    name = name[:max_length]
    lowered = {t.lower() for t in taken}
    candidate, number = name, 2
    while candidate.lower() in lowered or _reserved(candidate):
        suffix = f"_{number}"
        candidate = name[: max_length - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


@dataclass(frozen=True)
class VariableNames:
    """The variable name of every item and domain score of an instrument."""

    items: dict[str, str]
    domains: dict[str, str]

    def renamed(self) -> list[tuple[str, str]]:
        """The item and domain keys whose variable name differs from the key."""
        return [(k, v) for k, v in self.items.items() if k != v]


def variable_names(instrument: Instrument) -> VariableNames:
    """Name the variables of an instrument's items and domain scores.

    Parameters
    ----------
    instrument
        The instrument.

    Returns
    -------
    VariableNames
        Item key → name, and domain key → name of its score (``dom_...``).
    """
    taken = {identifier.name for identifier in IDENTIFIERS} | {TOTAL, TOTAL_BAND}
    items = {item.key: unique_name(item.key, taken) for item in instrument.items}
    domains = {d.key: unique_name(d.key, taken, prefix="dom_") for d in instrument.domains}
    return VariableNames(items, domains)


def code_values(instrument: Instrument) -> dict[str, int]:
    """The numeric value of every special code: its own, or the next free of −8, −9, −10...

    Parameters
    ----------
    instrument
        The instrument.

    Returns
    -------
    dict
        Code (e.g. ``NA``) → value (e.g. −8), in the instrument's order.
    """
    points = {p for scale in instrument.scales for p in scale.points}
    used = {c.value for c in instrument.codes if c.value is not None}
    values: dict[str, int] = {}
    candidate = FIRST_CODE_VALUE
    for code in instrument.codes:
        if code.value is not None:
            values[code.code] = code.value
            continue
        while candidate in used or candidate in points:
            candidate -= 1
        values[code.code] = candidate
        used.add(candidate)
    return values


def stata_missing(instrument: Instrument, source: str = "") -> dict[str, str]:
    """The Stata extended missing value of every special code: ``a``, ``b``... in order.

    Parameters
    ----------
    instrument
        The instrument.
    source
        How to name the instrument in a problem.

    Returns
    -------
    dict
        Code → letter (without the dot).

    Raises
    ------
    DocumentError
        When the instrument has more than 26 codes.
    """
    if len(instrument.codes) > len(STATA_LETTERS):
        raise DocumentError(
            [
                Problem(
                    source or instrument.ref,
                    ("codes",),
                    f"the instrument has {len(instrument.codes)} special codes, but Stata has "
                    "only 26 extended missing values (.a to .z).",
                    "merge some codes, or export to SPSS or CSV instead.",
                )
            ]
        )
    return {c.code: STATA_LETTERS[i] for i, c in enumerate(instrument.codes)}


def first_question(item: Item) -> str:
    """The question of the first informant asked, used as the item's label."""
    return next(iter(item.informants.values())).question


# --- the codebook -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeEntry:
    """A special code as the codebook shows it."""

    code: str
    label: str
    description: str
    missing: bool
    value: int
    stata: str


@dataclass(frozen=True)
class CodebookEntry:
    """One variable of the exported data."""

    variable: str
    key: str
    kind: Kind
    label: str
    type: Literal["string", "date", "numeric"] = "numeric"
    domain: str = ""
    domain_title: str = ""
    principles: tuple[str, ...] = ()
    principle_titles: tuple[str, ...] = ()
    informants: tuple[str, ...] = ()
    questions: dict[str, str] = field(default_factory=dict)
    prompts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scale: str = ""
    scale_min: int | None = None
    scale_max: int | None = None
    value_labels: dict[int, str] = field(default_factory=dict)
    anchors: dict[int, str] = field(default_factory=dict)
    codes: tuple[CodeEntry, ...] = ()
    reverse: bool = False
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class Codebook:
    """The codebook of an instrument's exported data: every variable, in file order."""

    instrument: Instrument
    entries: tuple[CodebookEntry, ...]
    codes: tuple[CodeEntry, ...]
    names: VariableNames

    @property
    def items(self) -> list[CodebookEntry]:
        """The item variables."""
        return [e for e in self.entries if e.kind == "item"]

    def entry(self, key: str) -> CodebookEntry:
        """The entry of an item (by key) or of any variable (by name)."""
        for e in self.entries:
            if e.key == key or e.variable == key:
                return e
        raise KeyError(f"the codebook has no variable '{key}'")


def codebook(
    instrument: Instrument, *, framework: Framework | None = None, include_notes: bool = False
) -> Codebook:
    """Describe every variable of the exported data of an instrument.

    Parameters
    ----------
    instrument
        The instrument.
    framework
        Its framework, to give principle titles; principle keys otherwise.
    include_notes
        Whether the exports carry the raters' free-text notes.

    Returns
    -------
    Codebook
        Identifiers, then items in instrument order, domain scores, the total and its band.
    """
    names = variable_names(instrument)
    values = code_values(instrument)
    letters = {c.code: STATA_LETTERS[i % 26] for i, c in enumerate(instrument.codes)}
    codes = tuple(
        CodeEntry(c.code, c.label, c.description, c.missing, values[c.code], letters[c.code])
        for c in instrument.codes
    )
    principle_titles = {p.key: p.title for p in framework.principles} if framework else {}
    entries: list[CodebookEntry] = [
        CodebookEntry(i.name, i.name, "identifier", i.label, i.kind)
        for i in IDENTIFIERS
        if include_notes or i.name != "notes"
    ]
    domains = {d.key: d for d in instrument.domains}
    for item in instrument.items:
        scale = instrument.scale(item.scale)
        domain = domains[item.domain]
        entries.append(
            CodebookEntry(
                variable=names.items[item.key],
                key=item.key,
                kind="item",
                label=first_question(item),
                domain=domain.key,
                domain_title=domain.title,
                principles=tuple(domain.principles),
                principle_titles=tuple(principle_titles.get(p, p) for p in domain.principles),
                informants=tuple(item.informants),
                questions={k: q.question for k, q in item.informants.items()},
                prompts={k: tuple(q.prompts) for k, q in item.informants.items()},
                scale=scale.key,
                scale_min=scale.min,
                scale_max=scale.max,
                value_labels=dict(scale.anchors),
                anchors={p: instrument.anchor(item, p) for p in scale.points},
                codes=codes,
                reverse=item.reverse,
                required=item.required,
            )
        )
    for domain in instrument.domains:
        entries.append(
            CodebookEntry(
                variable=names.domains[domain.key],
                key=domain.key,
                kind="domain score",
                label=f"Domain score: {domain.title}",
                domain=domain.key,
                domain_title=domain.title,
                principles=tuple(domain.principles),
                principle_titles=tuple(principle_titles.get(p, p) for p in domain.principles),
                description=_domain_rule(instrument),
            )
        )
    entries.append(
        CodebookEntry(
            TOTAL, TOTAL, "total score", "Total score", description=_total_rule(instrument)
        )
    )
    if instrument.scoring.bands:
        entries.append(
            CodebookEntry(
                TOTAL_BAND,
                TOTAL_BAND,
                "band",
                "Band of the total score",
                value_labels={i: b.label for i, b in enumerate(instrument.scoring.bands, 1)},
                description="; ".join(
                    f"{i} = {b.label} ({b.key}), {b.min:g} to {b.max:g}"
                    for i, b in enumerate(instrument.scoring.bands, 1)
                ),
            )
        )
    return Codebook(instrument, tuple(entries), codes, names)


def _domain_rule(instrument: Instrument) -> str:
    share = instrument.scoring.domain.min_rated
    return (
        "Mean of the domain's item scores (reverse-keyed items reversed), when at least "
        f"{share:.0%} of the items expected were answered; missing otherwise."
    )


def _total_rule(instrument: Instrument) -> str:
    rule = instrument.scoring.total
    what = "domain scores" if rule.method == "mean_of_domains" else "item scores"
    return f"Mean of the {what}, when at least {rule.min_rated:.0%} have one; missing otherwise."


def _join(values: Iterable[object], sep: str = "; ") -> str:
    return sep.join(str(v) for v in values)


def codebook_frame(book: Codebook) -> pd.DataFrame:
    """The codebook as a flat table, one row per variable (for CSV and XLSX).

    Parameters
    ----------
    book
        From :func:`codebook`.

    Returns
    -------
    pandas.DataFrame
        Columns ``variable``, ``key``, ``kind``, ``type``, ``label``, ``domain``,
        ``domain_title``, ``principles`` (keys), ``principle_titles``, ``informants``,
        ``scale``, ``scale_min``, ``scale_max``, ``value_labels`` (``1=Not present; 2=...``),
        ``codes`` (``-8=NA Not applicable; ...``), ``stata_missing`` (``.a=NA; ...``),
        ``reverse``, ``required``, ``description``, then ``question_<informant>`` and
        ``prompts_<informant>`` per informant, and ``anchors`` (the item's description of
        each point).
    """
    informant_keys = [i.key for i in book.instrument.informants]
    rows = []
    for e in book.entries:
        is_item = e.kind == "item"
        row: dict[str, object] = {
            "variable": e.variable,
            "key": e.key,
            "kind": e.kind,
            "type": e.type,
            "label": e.label,
            "domain": e.domain,
            "domain_title": e.domain_title,
            "principles": _join(e.principles),
            "principle_titles": _join(e.principle_titles),
            "informants": _join(e.informants),
            "scale": e.scale,
            "scale_min": e.scale_min,
            "scale_max": e.scale_max,
            "value_labels": _join(f"{p}={t}" for p, t in e.value_labels.items()),
            "codes": _join(f"{c.value}={c.code} {c.label}" for c in e.codes),
            "stata_missing": _join(f".{c.stata}={c.code}" for c in e.codes),
            "reverse": ("yes" if e.reverse else "no") if is_item else "",
            "required": ("yes" if e.required else "no") if is_item else "",
            "description": e.description,
        }
        for key in informant_keys:
            row[f"question_{key}"] = e.questions.get(key, "")
            row[f"prompts_{key}"] = _join(e.prompts.get(key, ()), " | ")
        row["anchors"] = _join((f"{p}: {t}" for p, t in e.anchors.items()), " | ")
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.astype({"scale_min": "Int64", "scale_max": "Int64"})


def render_codebook_html(book: Codebook) -> str:
    """The codebook as a self-contained, accessible HTML page.

    Parameters
    ----------
    book
        From :func:`codebook`.

    Returns
    -------
    str
        The page: special codes and their values, identifiers, one section per domain with
        each item's questions, prompts and anchors, and the score variables.
    """
    instrument = book.instrument
    items_by_domain = [
        (domain, [e for e in book.items if e.domain == domain.key]) for domain in instrument.domains
    ]
    informant_titles = {i.key: i.title for i in instrument.informants}
    return html.render(
        "codebook.html.j2",
        book=book,
        instrument=instrument,
        identifiers=[e for e in book.entries if e.kind == "identifier"],
        scores=[e for e in book.entries if e.kind in ("domain score", "total score", "band")],
        items_by_domain=items_by_domain,
        informant_titles=informant_titles,
        renamed=book.names.renamed(),
        version=__version__,
    )


def write_codebook(book: Codebook, path: Path | str) -> Path:
    """Write the codebook as HTML (``.html``) or CSV (``.csv``), whole or not at all.

    Parameters
    ----------
    book
        From :func:`codebook`.
    path
        The file; its suffix chooses the format.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    DocumentError
        When the suffix is neither ``.html`` nor ``.csv``.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix in (".html", ".htm"):
        text = render_codebook_html(book)
        return atomic_write(target, lambda p: p.write_text(text, encoding="utf-8"))
    if suffix == ".csv":
        frame = codebook_frame(book)
        return atomic_write(
            target, lambda p: frame.to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
        )
    raise DocumentError(
        [
            Problem(
                str(target),
                (),
                f"a codebook cannot be written as '{target.suffix or 'no suffix'}'.",
                "end the file name in .html or .csv.",
            )
        ]
    )


def labels_fit(text: str, limit: int, *, unit: Literal["bytes", "characters"] = "bytes") -> str:
    """Shorten ``text`` to at most ``limit`` UTF-8 bytes (or characters), ending in '…' if cut.

    SPSS counts label lengths in bytes and silently cuts longer ones, possibly inside a
    character; Stata counts characters and refuses longer ones. This cuts at a character
    boundary and shows that it did.
    """
    if unit == "characters":
        return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    if len(text.encode("utf-8")) <= limit:
        return text
    budget = limit - len("…".encode())
    return text.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip() + "…"


def codes_text(codes: Sequence[CodeEntry]) -> str:
    """The special codes in one line, e.g. ``-8 = NA (Not applicable)``."""
    return "; ".join(f"{c.value} = {c.code} ({c.label})" for c in codes)
