"""Fidelity instruments: principles-based indexes rated from interviews.

An instrument is versioned data tied to one framework version (stage 4 of the approach):
who is interviewed (informants), domains linked to the framework's principles, items with a
question and prompts for each informant asked, rating scales with a described anchor for
every point, special codes such as "not applicable", and the rules that turn item ratings
into domain and total scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, StringConstraints

from peerprinciples.core.documents import DocPath, Problem, YamlDocument, duplicates, keyed_entries
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.models import Citation, Reference, Slug, Strict, Text, Translations

CodeText = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]


class Informant(Strict):
    """A kind of person interviewed: a peer worker, a supervisor, a person supported..."""

    TRANSLATABLE = ("title", "description")

    key: Slug
    title: Text
    description: str = ""


class Scale(Strict):
    """A rating scale of whole points from ``min`` to ``max``, each with a short label."""

    TRANSLATABLE = ("title", "anchors")

    key: Slug
    title: str = ""
    min: int
    max: int
    anchors: dict[int, Text] = Field(description="A label for every point from min to max.")

    @property
    def points(self) -> list[int]:
        """Every point of the scale, in order."""
        return list(range(self.min, self.max + 1))


class SpecialCode(Strict):
    """A code a rater may give instead of a number, e.g. NA for not applicable."""

    TRANSLATABLE = ("label", "description")

    code: CodeText = Field(description="Capital letters, digits or '_', e.g. NA or II.")
    label: Text
    description: str = ""
    missing: bool = Field(True, description="Whether the code counts as missing when scoring.")
    value: int | None = Field(
        None,
        description="A numeric stand-in for statistics packages, "
        "e.g. -8; it must lie outside every scale.",
    )


class Domain(Strict):
    """A group of items that together rate fidelity to one or more principles."""

    TRANSLATABLE = ("title", "description")

    key: Slug
    title: Text
    description: str = ""
    principles: list[Slug] = Field(min_length=1)


class RedcapField(Strict):
    """The REDCap field that holds one informant's answers to an item.

    A draft read from a REDCap data dictionary keeps it, so that the project's records can be
    read with the instrument alone: REDCap numbers each field's choices itself, and the same
    number may be a point of one field's scale and "unknown" in another field.
    """

    field: str = Field(description="The REDCap field name, e.g. q1_trust.")
    form: str = Field("", description="The REDCap form (instrument) that holds the field.")
    codes: dict[int, CodeText] = Field(
        default_factory=dict,
        description="REDCap's number of each choice that is a special code in this field, "
        "e.g. {0: UNK}; the number may be a point of another item's scale.",
    )


class Question(Strict):
    """What an interviewer asks one informant about an item, and how to follow up."""

    TRANSLATABLE = ("question", "prompts")

    question: Text
    prompts: list[Text] = Field(default_factory=list)
    redcap: RedcapField | None = Field(
        None, description="Where the answers are in a REDCap project, for drafts read from one."
    )


class Item(Strict):
    """One rated aspect of practice."""

    TRANSLATABLE = ("anchors",)

    key: Slug
    domain: Slug
    scale: Slug
    reverse: bool = Field(False, description="A high rating means less of the principle.")
    required: bool = True
    anchors: dict[int, Text] | None = Field(
        None, description="What the practice looks like at every point of the scale."
    )
    informants: dict[Slug, Question] = Field(min_length=1)


class DomainRule(Strict):
    """How item scores make a domain score."""

    method: Literal["mean"] = "mean"
    min_rated: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Share of the domain's items that "
        "must be rated, otherwise the domain score is missing.",
    )


class TotalRule(Strict):
    """How a total score is made."""

    method: Literal["mean_of_domains", "mean_of_items"] = "mean_of_domains"
    min_rated: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Share of domains (or items) that "
        "must have a score, otherwise the total is missing.",
    )


class Band(Strict):
    """A named range of scores, e.g. "well established" from 3.5 to 5."""

    TRANSLATABLE = ("label",)

    key: Slug
    label: Text
    min: float
    max: float


class Scoring(Strict):
    """The scoring rules of an instrument."""

    domain: DomainRule = Field(default_factory=DomainRule)
    total: TotalRule = Field(default_factory=TotalRule)
    bands: list[Band] = Field(default_factory=list)


class Instrument(Strict):
    """A principles-based fidelity index, pinned to one framework version."""

    TRANSLATABLE = ("title", "description", "notice")

    key: Slug
    version: Text
    title: Text
    framework: Reference
    language: Text = "en"
    description: str = ""
    notice: str = ""
    citation: Citation | None = None
    informants: list[Informant] = Field(min_length=1)
    scales: list[Scale] = Field(min_length=1)
    codes: list[SpecialCode] = Field(default_factory=list)
    domains: list[Domain] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    scoring: Scoring = Field(default_factory=Scoring)
    translations: Translations = Field(default_factory=dict)

    @property
    def ref(self) -> str:
        """The pinned reference ``key@version``."""
        return f"{self.key}@{self.version}"

    def scale(self, key: str) -> Scale:
        """The scale with ``key``."""
        return _by_key(self.scales, key, "scale", self.ref)

    def domain(self, key: str) -> Domain:
        """The domain with ``key``."""
        return _by_key(self.domains, key, "domain", self.ref)

    def item(self, key: str) -> Item:
        """The item with ``key``."""
        return _by_key(self.items, key, "item", self.ref)

    def informant(self, key: str) -> Informant:
        """The informant with ``key``."""
        return _by_key(self.informants, key, "informant", self.ref)

    def items_for(self, informant: str) -> list[Item]:
        """The items this informant is asked, in instrument order."""
        return [item for item in self.items if informant in item.informants]

    def items_in(self, domain: str) -> list[Item]:
        """The items of a domain, in instrument order."""
        return [item for item in self.items if item.domain == domain]

    def band_for(self, score: float) -> Band | None:
        """The band a score falls in (a score on a boundary goes to the higher band)."""
        for band in sorted(self.scoring.bands, key=lambda b: b.min, reverse=True):
            if band.min <= score <= band.max:
                return band
        return None

    def anchor(self, item: Item, point: int) -> str:
        """The description of ``point`` for ``item``, or the scale's label."""
        if item.anchors and point in item.anchors:
            return item.anchors[point]
        return self.scale(item.scale).anchors[point]


KeyedT = TypeVar("KeyedT", Scale, Domain, Item, Informant)


def _by_key(entries: Iterable[KeyedT], key: str, label: str, ref: str) -> KeyedT:
    for entry in entries:
        if entry.key == key:
            return entry
    raise KeyError(f"{ref} has no {label} '{key}'")


# --- cross-reference checks -------------------------------------------------------------------


def check_instrument_data(
    document: YamlDocument, framework: Framework | None, framework_problem: str | None
) -> list[Problem]:
    """Consistency checks that a schema cannot express, run on the raw document.

    They run even when the structure has errors, so a person sees every problem in one go.
    ``framework`` is the framework the instrument is pinned to, or ``None`` with the reason
    in ``framework_problem``.
    """
    data = document.data
    problems: list[Problem] = []
    known: dict[str, set[Any]] = {}
    for name in ("informants", "scales", "domains", "items"):
        entries = keyed_entries(data, name)
        known[name] = {key for _, key in entries}
        problems += _duplicate_problems(document, entries, name[:-1])
    code_entries = [
        (("codes", i, "code"), c.get("code"))
        for i, c in enumerate(_list(data.get("codes")))
        if isinstance(c, dict)
    ]
    problems += _duplicate_problems(document, code_entries, "special code")

    if framework_problem:
        problems.append(
            document.problem(
                ("framework",),
                framework_problem,
                "install or add that framework version to the library, "
                "or pin a version that is listed by "
                "'peerprinciples framework list'.",
            )
        )
    scales = _scales(data)
    problems += _check_scales(document, scales)
    problems += _check_domains(document, framework)
    problems += _check_items(document, known, scales)
    problems += _check_codes(document, scales)
    problems += _check_bands(document, scales)
    return problems


def _duplicate_problems(
    document: YamlDocument, entries: Sequence[tuple[DocPath, Any]], label: str
) -> list[Problem]:
    return [
        document.problem(
            where,
            f"the {label} key '{key}' is used twice (first on line {document.line_of(first)}).",
            "give each a key of its own.",
        )
        for where, key, first in duplicates(entries)
    ]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _scales(data: dict[str, Any]) -> dict[str, tuple[int, range]]:
    """Scale key -> (index in the document, its points), for well-formed scales only."""
    scales = {}
    for index, scale in enumerate(_list(data.get("scales"))):
        if not isinstance(scale, dict):
            continue
        low, high = scale.get("min"), scale.get("max")
        if isinstance(low, int) and isinstance(high, int) and isinstance(scale.get("key"), str):
            scales[scale["key"]] = (index, range(low, high + 1))
    return scales


def _anchor_problems(
    document: YamlDocument, path: DocPath, anchors: Any, points: range, whose: str
) -> list[Problem]:
    if not isinstance(anchors, dict):
        return []
    # Keys written as text ("1", as JSON must) name the same points as numbers.
    anchors = {
        int(k) if isinstance(k, str) and k.lstrip("-").isdigit() else k: v
        for k, v in anchors.items()
    }
    problems = []
    missing = [p for p in points if p not in anchors]
    if missing:
        problems.append(
            document.problem(
                path,
                f"{whose} has no anchor for point{'s' if len(missing) > 1 else ''} "
                f"{', '.join(map(str, missing))} (the scale runs from {points.start} to "
                f"{points.stop - 1}).",
                "describe every point of the scale, so raters know what each rating means.",
            )
        )
    extra = [p for p in anchors if p not in points]
    for point in extra:
        problems.append(
            document.problem(
                (*path, point),
                f"{whose} has an anchor for {point!r}, which is not a point of its scale "
                f"({points.start} to {points.stop - 1}).",
                "remove it, or change the scale's min and max.",
            )
        )
    return problems


def _check_scales(document: YamlDocument, scales: dict[str, tuple[int, range]]) -> list[Problem]:
    problems = []
    for key, (index, points) in scales.items():
        if len(points) < 2:
            problems.append(
                document.problem(
                    ("scales", index, "max"),
                    f"the scale '{key}' must have max greater than min.",
                    "set max above min (for example min: 1, max: 5).",
                )
            )
            continue
        anchors = document.data["scales"][index].get("anchors")
        problems += _anchor_problems(
            document, ("scales", index, "anchors"), anchors, points, f"the scale '{key}'"
        )
    return problems


def _check_domains(document: YamlDocument, framework: Framework | None) -> list[Problem]:
    problems = []
    principle_keys = {p.key for p in framework.principles} if framework else None
    items = _list(document.data.get("items"))
    used_domains = {item.get("domain") for item in items if isinstance(item, dict)}
    for index, domain in enumerate(_list(document.data.get("domains"))):
        if not isinstance(domain, dict):
            continue
        if items and domain.get("key") not in used_domains:
            problems.append(
                document.problem(
                    ("domains", index),
                    f"the domain '{domain.get('key')}' has no items, so it could never be scored.",
                    "add items with this domain, or remove the domain.",
                )
            )
        if principle_keys is None:
            continue
        for j, key in enumerate(_list(domain.get("principles"))):
            if key not in principle_keys:
                problems.append(
                    document.problem(
                        ("domains", index, "principles", j),
                        f"the domain is linked to the principle '{key}', which "
                        f"{framework.ref if framework else 'the framework'} does not have "
                        f"(it has: {', '.join(sorted(principle_keys))}).",
                        "link the domain to one of those principles, or pin a framework that has "
                        "this one.",
                    )
                )
    return problems


def _check_items(
    document: YamlDocument, known: dict[str, set[Any]], scales: dict[str, tuple[int, range]]
) -> list[Problem]:
    problems = []
    for index, item in enumerate(_list(document.data.get("items"))):
        if not isinstance(item, dict):
            continue
        name = f"the item '{item.get('key')}'"
        for field, label in (("domain", "domains"), ("scale", "scales")):
            value = item.get(field)
            if isinstance(value, str) and value not in known[label]:
                problems.append(
                    document.problem(
                        ("items", index, field),
                        f"{name} is in the {field} '{value}', which this instrument does not "
                        "define "
                        f"({label}: {', '.join(sorted(known[label])) or 'none'}).",
                        f"use one of those {label}, or add '{value}' under '{label}'.",
                    )
                )
        informants = item.get("informants")
        if isinstance(informants, dict):
            for key in informants:
                if key not in known["informants"]:
                    problems.append(
                        document.problem(
                            ("items", index, "informants", key),
                            f"{name} asks the informant '{key}', who is not among this "
                            f"instrument's informants ({', '.join(sorted(known['informants']))}).",
                            "use one of those informants, or add this one under 'informants'.",
                        )
                    )
        scale = item.get("scale")
        if isinstance(scale, str) and scale in scales:
            problems += _anchor_problems(
                document, ("items", index, "anchors"), item.get("anchors"), scales[scale][1], name
            )
        problems += _redcap_code_problems(document, index, item, scales)
    return problems


def _redcap_code_problems(
    document: YamlDocument, index: int, item: dict[str, Any], scales: dict[str, tuple[int, range]]
) -> list[Problem]:
    """Each REDCap number of a special code names a declared code and no point of the scale."""
    declared = {c.get("code") for c in _list(document.data.get("codes")) if isinstance(c, dict)}
    informants = item.get("informants")
    scale_key = item.get("scale")
    scale = scales.get(scale_key) if isinstance(scale_key, str) else None
    problems = []
    for key, question in informants.items() if isinstance(informants, dict) else ():
        redcap = question.get("redcap") if isinstance(question, dict) else None
        codes = redcap.get("codes") if isinstance(redcap, dict) else None
        for number, code in codes.items() if isinstance(codes, dict) else ():
            path = ("items", index, "informants", key, "redcap", "codes", number)
            if code not in declared:
                problems.append(
                    document.problem(
                        path,
                        f"REDCap's {number} stands for the special code '{code}', which this "
                        "instrument does not declare under 'codes'.",
                        "add the code under 'codes', or use one that is declared.",
                    )
                )
            if scale is not None and isinstance(number, int) and number in scale[1]:
                problems.append(
                    document.problem(
                        path,
                        f"REDCap's {number} is a special code here but also a point of the "
                        f"item's scale '{item.get('scale')}', so a rating of {number} could "
                        "not be read.",
                        "remove the number from 'codes', or give the item a scale without it.",
                    )
                )
    return problems


def _check_codes(document: YamlDocument, scales: dict[str, tuple[int, range]]) -> list[Problem]:
    problems = []
    for index, code in enumerate(_list(document.data.get("codes"))):
        value = code.get("value") if isinstance(code, dict) else None
        if isinstance(value, int):
            clashes = [key for key, (_, points) in scales.items() if value in points]
            if clashes:
                problems.append(
                    document.problem(
                        ("codes", index, "value"),
                        f"the special code's numeric value {value} is also a point of the scale "
                        f"'{clashes[0]}', so the two could not be told apart.",
                        "choose a value outside every scale, such as -8 or 98.",
                    )
                )
    return problems


def _check_bands(document: YamlDocument, scales: dict[str, tuple[int, range]]) -> list[Problem]:
    scoring = document.data.get("scoring")
    bands = _list(scoring.get("bands")) if isinstance(scoring, dict) else []
    problems: list[Problem] = []
    spans = []
    for index, band in enumerate(bands):
        if not isinstance(band, dict):
            continue
        low, high = band.get("min"), band.get("max")
        if isinstance(low, int | float) and isinstance(high, int | float):
            if low >= high:
                problems.append(
                    document.problem(
                        ("scoring", "bands", index),
                        f"the band '{band.get('key')}' runs from {low} to {high}; "
                        "min must be below max.",
                        "swap or correct the two numbers.",
                    )
                )
            spans.append((low, high, index))
    spans.sort()
    for (_, high, _), (low, _, index) in pairwise(spans):
        if low < high:
            problems.append(
                document.problem(
                    ("scoring", "bands", index),
                    f"this band starts at {low}, inside the band before it (which ends at {high}).",
                    "make the bands meet end to start without overlapping.",
                )
            )
    problems += _duplicate_problems(
        document,
        [
            (("scoring", "bands", i, "key"), b.get("key"))
            for i, b in enumerate(bands)
            if isinstance(b, dict)
        ],
        "band",
    )
    return problems
