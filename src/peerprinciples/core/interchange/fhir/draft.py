"""Any FHIR R4 Questionnaire turned into an instrument draft, listing what cannot be mapped.

:func:`read_fhir_instrument` mirrors :func:`~peerprinciples.core.interchange.xlsform.
read_xlsform_instrument`: it carries over what can be rated and lists the rest, each entry
with the linkId and the reason. In short (``docs/fhir-xlsform.md`` gives it in full):

* a ``choice`` (or ``coding``, ``open-choice``) question whose answers are whole numbers
  becomes an item (:mod:`~peerprinciples.core.interchange.fhir.answers` reads the answers);
  the answers make a scale with their displays as anchors; answers such as "Not applicable"
  or "Unknown" become special codes;
* a group becomes a domain (nested groups are flattened to the innermost one);
* ``display`` items become the prompts of the question that follows (or that holds them);
* an answerValueSet is read when the ValueSet is contained in the Questionnaire (or the
  Bundle); any other one cannot be resolved offline and is listed.

A Questionnaire written by :func:`~peerprinciples.core.interchange.fhir.questionnaire` drafts
back its informants, domains, principles, items, scales, anchors and reverse-keyed items.
The input is plain JSON; no FHIR library is needed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peerprinciples.core.documents import DocumentError
from peerprinciples.core.interchange import InstrumentDraft
from peerprinciples.core.interchange.fhir.answers import Answer, read_answer, value_set_options
from peerprinciples.core.interchange.fhir.common import (
    META_GROUP,
    OWN_ITEMS_SYSTEM,
    OWN_PRINCIPLES_SYSTEM,
    OWN_SCALE_SYSTEM,
    TRANSLATION_URL,
)
from peerprinciples.core.interchange.fhir.source import (
    QuestionnaireProblem,
    fail,
    find_questionnaire,
    load_json,
)
from peerprinciples.core.interchange.keys import slug
from peerprinciples.core.interchange.xlsform.common import DRAFT_FRAMEWORK, DRAFT_INFORMANT
from peerprinciples.core.models import parse_reference

CHOICE_TYPES = ("choice", "coding", "open-choice")
"""Item types whose answers may be the points of a scale (``coding`` is the R5 name)."""


@dataclass(frozen=True)
class FhirDraft(InstrumentDraft[QuestionnaireProblem]):
    """An instrument drafted from a FHIR Questionnaire, with what could not be carried over.

    Attributes
    ----------
    source
        The Questionnaire file (or the name given for a resource passed in).
    data
        The instrument document, ready to be written as YAML, completed and checked with
        ``peerprinciples instrument validate``.
    unmapped
        The items (or parts of items) that are not carried over, each with linkId and reason.
    notes
        What was carried over with a loss or a placeholder, and what to complete.
    """


@dataclass
class _Scale:
    key: str
    uses: list[tuple[str, dict[int, str]]] = field(default_factory=list)  # (item key, anchors)


@dataclass
class _Item:
    key: str
    domain: str
    scale: str
    required: bool
    reverse: bool
    informants: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class _Group:
    link_id: str
    title: str
    codes: list[Mapping[str, Any]]


class _Drafter:
    def __init__(
        self,
        resource: Mapping[str, Any],
        value_sets: Sequence[Mapping[str, Any]],
        source: str,
        framework: str,
    ) -> None:
        self.resource = resource
        self.source = source
        self.framework = framework
        self.unmapped: list[QuestionnaireProblem] = []
        self.notes: list[str] = []
        self.value_sets: dict[str, Mapping[str, Any]] = {}
        contained = resource.get("contained")
        for vs in [*(contained if isinstance(contained, list) else []), *value_sets]:
            if isinstance(vs, Mapping) and vs.get("resourceType") == "ValueSet":
                if vs.get("id"):
                    self.value_sets.setdefault(f"#{vs['id']}", vs)
                if vs.get("url"):
                    self.value_sets.setdefault(str(vs["url"]), vs)
        self.informants: dict[str, str] = {}
        self.domains: dict[str, tuple[str, list[str]]] = {}  # key -> (title, principles)
        self.scales: dict[Any, _Scale] = {}
        self.codes: dict[str, str] = {}
        self.items: dict[str, _Item] = {}
        self.placeholder_principles = False
        self.translated = False
        self.own = self._is_own()

    def skip(self, link_id: str, part: str, message: str, fix: str = "") -> None:
        self.unmapped.append(QuestionnaireProblem(self.source, (link_id, part), message, fix))

    def _is_own(self) -> bool:
        """Whether the Questionnaire looks like one this project wrote (informant groups)."""
        items = self.resource.get("item")
        if not isinstance(items, list):
            return False
        return any(isinstance(i, Mapping) and i.get("linkId") == META_GROUP for i in items)

    # --- walking the items ---------------------------------------------------------------

    def walk(self, entries: Any, groups: list[_Group], informant: str | None, where: str) -> None:
        if not isinstance(entries, list):
            self.skip("", where, "'item' is not a list.", "give the items as a JSON array.")
            return
        pending: list[str] = []
        for index, entry in enumerate(entries):
            place = f"{where}[{index}]"
            if not isinstance(entry, Mapping):
                self.skip("", place, "the item is not a JSON object.")
                continue
            link_id = entry.get("linkId")
            if not isinstance(link_id, str) or not link_id.strip():
                self.skip("", place, "the item has no linkId.", "give every item a linkId.")
                continue
            if "_text" in entry:
                self.translated = True
            kind = entry.get("type")
            if self._calculated(entry):
                self.skip(link_id, "extension", "the answer is calculated, not rated.")
                continue
            if kind == "display":
                text = entry.get("text")
                if isinstance(text, str) and text.strip():
                    pending.append(text.strip())
                continue
            if kind == "group":
                self.group(entry, link_id, groups, informant, place)
            elif kind in CHOICE_TYPES:
                self.question(entry, link_id, str(kind), groups, informant, pending)
                pending = []
                continue
            else:
                shown = f"'{kind}'" if isinstance(kind, str) else "no type"
                self.skip(
                    link_id,
                    "type",
                    f"a question of type {shown} is not rated on a scale.",
                    "only choice questions with numbered answers become items.",
                )
                self._skip_children(entry, link_id)
            self._leftover(pending, link_id)
            pending = []
        self._leftover(pending, where)

    def _leftover(self, pending: list[str], after: str) -> None:
        for text in pending:
            shown = text if len(text) <= 60 else text[:57] + "..."
            self.notes.append(f"the display text '{shown}' (near {after}) is not kept.")

    def _calculated(self, entry: Mapping[str, Any]) -> bool:
        extensions = entry.get("extension")
        return any(
            isinstance(e, Mapping) and "calculatedExpression" in str(e.get("url", ""))
            for e in (extensions if isinstance(extensions, list) else [])
        )

    def _skip_children(self, entry: Mapping[str, Any], link_id: str) -> None:
        children = entry.get("item")
        for index, child in enumerate(children if isinstance(children, list) else []):
            if isinstance(child, Mapping) and child.get("type") != "display":
                self.skip(
                    str(child.get("linkId") or ""),
                    f"{link_id}.item[{index}]",
                    f"the item is nested under the question '{link_id}'.",
                    "move it out, into a group, if it is rated.",
                )

    def group(
        self,
        entry: Mapping[str, Any],
        link_id: str,
        groups: list[_Group],
        informant: str | None,
        place: str,
    ) -> None:
        if self.own and not groups and informant is None:
            if link_id == META_GROUP:
                return  # the interview details, read by import-fhir
            text = entry.get("text")
            self.informants.setdefault(link_id, str(text or link_id))
            self.walk(entry.get("item", []), [], link_id, f"{link_id}.item")
            return
        if entry.get("repeats") is True:
            self.skip(
                link_id,
                "repeats",
                "the group repeats, so its questions can be answered several times.",
                "make it a plain group if it is answered once per interview.",
            )
            return
        if isinstance(entry.get("enableWhen"), list) and entry.get("enableWhen"):
            self.skip(link_id, "enableWhen", "the condition on the group is not kept.")
        if groups:
            self.notes.append(
                f"the group '{link_id}' is inside '{groups[-1].link_id}'; its questions form "
                "a domain of their own (groups are not nested in an instrument)."
            )
        codes = entry.get("code")
        coded = [c for c in codes if isinstance(c, Mapping)] if isinstance(codes, list) else []
        title = entry.get("text") or next((c.get("display") for c in coded), None) or link_id
        children = entry.get("item")
        if children is None:
            self.skip(link_id, "item", "the group holds no items.")
            return
        self.walk(children, [*groups, _Group(link_id, str(title), coded)], informant, place)

    # --- questions -----------------------------------------------------------------------

    def question(
        self,
        entry: Mapping[str, Any],
        link_id: str,
        kind: str,
        groups: list[_Group],
        informant: str | None,
        prompts: list[str],
    ) -> None:
        if entry.get("repeats") is True:
            self.skip(
                link_id,
                "repeats",
                "several answers can be chosen here; a rating is one point of a scale.",
            )
            return
        answers = self._answers(entry, link_id)
        if answers is None:
            return
        points = {a.point: a for a in answers if a.point is not None}
        if len(points) < len([a for a in answers if a.point is not None]):
            self.skip(link_id, "answerOption", "two answers have the same number.")
            return
        if len(points) < 2:
            self.skip(
                link_id,
                "answerOption",
                "the answers are not a scale of whole numbers: fewer than two of them have a "
                "number (a whole-number code, valueInteger, ordinalValue or itemWeight).",
            )
            return
        low, high = min(points), max(points)
        gaps = [p for p in range(low, high + 1) if p not in points]
        if gaps:
            self.skip(
                link_id,
                "answerOption",
                f"the answers skip {', '.join(map(str, gaps))}, so they are not a scale of "
                "consecutive points.",
            )
            return
        for answer in answers:
            if answer.reason:
                self.skip(link_id, f"answerOption[{answer.index}]", answer.reason)
            elif answer.code is not None:
                self.codes.setdefault(answer.code, answer.display or answer.code)
        domain = self._domain(groups)
        key = self._item_key(entry, link_id, informant)
        anchors = {p: points[p].display or str(p) for p in sorted(points)}
        family = self._scale_family(answers, entry, anchors)
        scale = self.scales.get(family)
        if scale is None:
            scale = self.scales[family] = _Scale(self._scale_key(family, entry))
        who = informant or DRAFT_INFORMANT
        if informant is None:
            self.informants.setdefault(DRAFT_INFORMANT, "Respondent")
        item = self.items.get(key)
        if item is not None and (who in item.informants or item.scale != scale.key):
            self.skip(link_id, "linkId", f"the item '{key}' is drafted already.")
            return
        if item is None:
            reverse = self._reverse(answers, low, high, link_id)
            item = _Item(key, domain, scale.key, entry.get("required") is True, reverse)
            self.items[key] = item
            scale.uses.append((key, anchors))
        text = entry.get("text")
        prompts = [*prompts, *self._child_displays(entry, link_id)]
        lines = [line.strip() for p in prompts for line in p.split("\n") if line.strip()]
        item.informants[who] = {"question": str(text or link_id), "prompts": lines}
        if kind == "open-choice":
            self.notes.append(f"'{link_id}': answers typed instead of chosen are left out.")
        if isinstance(entry.get("enableWhen"), list) and entry.get("enableWhen"):
            self.skip(
                link_id,
                "enableWhen",
                "the condition for asking the question is not kept; the item is drafted "
                "without it.",
            )

    def _answers(self, entry: Mapping[str, Any], link_id: str) -> list[Answer] | None:
        options = entry.get("answerOption")
        if options is None and "answerValueSet" in entry:
            reference = str(entry.get("answerValueSet"))
            value_set = self.value_sets.get(reference) or self.value_sets.get(
                reference.split("|")[0]
            )
            if value_set is None:
                self.skip(
                    link_id,
                    "answerValueSet",
                    f"the answers come from the ValueSet {reference}, which cannot be "
                    "resolved offline.",
                    "list the answers as answerOption, or contain the ValueSet in the "
                    "Questionnaire.",
                )
                return None
            options = value_set_options(value_set)
        if not isinstance(options, list) or not options:
            self.skip(
                link_id, "answerOption", "the question lists no answers.", "add answerOption."
            )
            return None
        return [read_answer(index, option) for index, option in enumerate(options)]

    def _child_displays(self, entry: Mapping[str, Any], link_id: str) -> list[str]:
        children = entry.get("item")
        if not isinstance(children, list):
            return []
        self._skip_children(entry, link_id)
        return [
            str(c["text"])
            for c in children
            if isinstance(c, Mapping) and c.get("type") == "display" and c.get("text")
        ]

    def _item_key(self, entry: Mapping[str, Any], link_id: str, informant: str | None) -> str:
        codes = entry.get("code")
        for coding in codes if isinstance(codes, list) else []:
            if isinstance(coding, Mapping) and OWN_ITEMS_SYSTEM.search(
                str(coding.get("system", ""))
            ):
                return slug(str(coding.get("code") or link_id), "item")
        if informant is not None and link_id.startswith(f"{informant}."):
            return slug(link_id[len(informant) + 1 :], "item")
        return slug(link_id, "item")

    def _domain(self, groups: list[_Group]) -> str:
        if not groups:
            self.domains.setdefault("ungrouped", ("Items outside any group", ["ungrouped"]))
            return "ungrouped"
        group = groups[-1]
        name = group.link_id.split(":", 1)[1] if self.own and ":" in group.link_id else None
        key = slug(name or group.link_id, "domain")
        if key not in self.domains:
            self.domains[key] = (group.title, self._principles(group, key))
        return key

    def _principles(self, group: _Group, key: str) -> list[str]:
        chosen, _ = parse_reference(self.framework)
        found: list[str] = []
        for coding in group.codes:
            match = OWN_PRINCIPLES_SYSTEM.search(str(coding.get("system", "")))
            code = coding.get("code")
            if not match or not isinstance(code, str):
                continue
            framework = match.group("framework")
            version = coding.get("version")
            if self.framework == DRAFT_FRAMEWORK and isinstance(version, str) and version:
                self.framework = f"{framework}@{version}"
                chosen = framework
            if framework == chosen:
                found.append(code)
        if found:
            return found
        self.placeholder_principles = True
        return [key]

    # --- scales --------------------------------------------------------------------------

    def _scale_family(
        self, answers: list[Answer], entry: Mapping[str, Any], anchors: dict[int, str]
    ) -> Any:
        systems = {a.system for a in answers if a.point is not None}
        if len(systems) == 1:
            match = OWN_SCALE_SYSTEM.search(next(iter(systems)))
            if match:
                return ("own", match.group("scale"))
        return ("answers", tuple(anchors.items()))

    def _scale_key(self, family: Any, entry: Mapping[str, Any]) -> str:
        if family[0] == "own":
            key = slug(str(family[1]), "scale")
        elif isinstance(entry.get("answerValueSet"), str):
            name = str(entry["answerValueSet"]).split("|")[0].rstrip("/").split("/")[-1]
            key = slug(name.lstrip("#"), "scale")
        else:
            key = f"scale_{len(self.scales) + 1}"
        while key in {s.key for s in self.scales.values()}:
            key += "_2"
        return key

    def _reverse(self, answers: list[Answer], low: int, high: int, link_id: str) -> bool:
        weighted = [a for a in answers if a.point is not None and a.weight is not None]
        if not weighted or len(weighted) < len([a for a in answers if a.point is not None]):
            return False
        if all(a.weight == a.point for a in weighted):
            return False
        if all(a.weight == low + high - (a.point or 0) for a in weighted):
            return True
        self.notes.append(
            f"'{link_id}': the answer weights differ from the answer codes and are not kept."
        )
        return False

    # --- the document --------------------------------------------------------------------

    def document(self, path_name: str) -> dict[str, Any]:
        resource = self.resource
        scales = []
        item_anchors: dict[str, dict[int, str]] = {}
        for scale in self.scales.values():
            counts = Counter(tuple(sorted(a.items())) for _, a in scale.uses)
            common = dict(counts.most_common(1)[0][0])
            for key, anchors in scale.uses:
                own = {p: t for p, t in anchors.items() if common.get(p) != t}
                if own:
                    item_anchors[key] = own
            scales.append(
                {
                    "key": scale.key,
                    "title": scale.key,
                    "min": min(common),
                    "max": max(common),
                    "anchors": common,
                }
            )
        items = []
        for item in self.items.values():
            entry: dict[str, Any] = {
                "key": item.key,
                "domain": item.domain,
                "scale": item.scale,
                "reverse": item.reverse,
                "required": item.required,
            }
            if item.key in item_anchors:
                entry["anchors"] = item_anchors[item.key]
            entry["informants"] = item.informants
            items.append(entry)
        name = next(
            (
                str(resource[k])
                for k in ("name", "id", "title")
                if isinstance(resource.get(k), str) and resource[k]
            ),
            path_name,
        )
        key = slug(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name), "form").replace("_", "-")
        version = resource.get("version")
        if not isinstance(version, str) or not re.fullmatch(r"[A-Za-z0-9._-]+", version):
            given = f"'{version}'" if version else "none"
            self.notes.append(
                f"the Questionnaire's version is {given}, not a plain version; the draft has "
                "version 'draft'."
            )
            version = "draft"
        title = resource.get("title") or resource.get("name") or key
        language = resource.get("language")
        data: dict[str, Any] = {
            "key": key,
            "version": version,
            "title": str(title),
            "framework": self.framework,
            "language": language if isinstance(language, str) and language else "en",
            "description": f"Drafted from the FHIR Questionnaire {path_name}; review every part.",
            "informants": [{"key": k, "title": t} for k, t in self.informants.items()],
            "scales": scales,
            "codes": [
                {"code": c, "label": label, "missing": True} for c, label in self.codes.items()
            ],
            "domains": [
                {"key": k, "title": t, "principles": p} for k, (t, p) in self.domains.items()
            ],
            "items": items,
        }
        if self.placeholder_principles:
            self.notes.append(
                "domains without principle codes of the framework are linked to a placeholder "
                "principle named like the domain; link them to the principles of your framework."
            )
        if not self.own:
            self.notes.append(
                "items are marked reverse-keyed only where the answer weights run against the "
                "codes; check the others."
            )
        if self.translated:
            self.notes.append(
                f"translations ({TRANSLATION_URL.rsplit('/', 1)[-1]} extensions) are not kept."
            )
        if self.framework == DRAFT_FRAMEWORK:
            self.notes.append(
                f"the draft is pinned to the placeholder framework {DRAFT_FRAMEWORK}; name the "
                "framework it rates (key@version)."
            )
        return data


def read_fhir_instrument(
    source: Path | str | Mapping[str, Any],
    *,
    framework: str = DRAFT_FRAMEWORK,
    name: str = "questionnaire",
) -> FhirDraft:
    """Draft an instrument from any FHIR R4 Questionnaire, listing what cannot be carried over.

    Parameters
    ----------
    source
        A JSON file holding a Questionnaire, or a Bundle holding one (its ValueSets are used
        to resolve answerValueSet), or the resource itself as a dict.
    framework
        The framework the draft is pinned to, as ``key@version``. A Questionnaire written by
        this project carries its framework's principle codes: they are kept when they are of
        this framework, or of any framework while this is the placeholder.
    name
        How to name a resource passed as a dict in problems.

    Returns
    -------
    FhirDraft
        The draft document; every item (or part of one) that could not be carried over is in
        ``unmapped`` with its linkId and the reason, and losses are in ``notes``.

    Raises
    ------
    DocumentError
        When the file is not JSON, holds no Questionnaire, or no question could become an
        item (the problems then list every item that was tried). Never another exception.
    """
    if isinstance(source, Mapping):
        label, data, path_name = name, source, name
    else:
        path = Path(source)
        label, data, path_name = str(path), load_json(path), path.name
    resource, value_sets, notes = find_questionnaire(data, label)
    drafter = _Drafter(resource, value_sets, label, framework)
    drafter.notes += notes
    items = resource.get("item")
    if not isinstance(items, list) or not items:
        raise fail(
            label,
            "the Questionnaire has no items." if items is None else "'item' is not a list.",
            "give a Questionnaire whose 'item' array holds its questions.",
            "item",
        )
    drafter.walk(items, [], None, "item")
    if not drafter.items:
        problem = QuestionnaireProblem(
            label,
            ("", "item"),
            "no question of the Questionnaire can become a rated item: an item needs a choice "
            "question whose answers are whole numbers (or carry ordinalValue or itemWeight).",
            "see the items listed for what each one is.",
        )
        raise DocumentError([problem, *drafter.unmapped])
    data_out = drafter.document(path_name)
    return FhirDraft(label, data_out, tuple(drafter.unmapped), tuple(drafter.notes))
