"""Forms for interviews, and the rating and consensus forms generated from the instrument.

The rating form is not a Django form: its fields come from the pinned instrument (the items
this informant is asked, grouped by domain and principle) and the services parse and check
what is posted. The structures here only describe what the templates draw.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Domain, Instrument, Item
from peerprinciples.web.evaluations.forms import ProblemsMixin, service_label
from peerprinciples.web.evaluations.models import PeerWorker, Round, Service
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.interviews.services import Answer
from peerprinciples.web.library.models import StoredInstrument

ITEM_PREFIX = "item-"
AGREED_PREFIX = "agreed-"
REASON_PREFIX = "reason-"


class DateInput(forms.DateInput):
    """A native date picker; browsers without one still accept YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class InterviewForm(ProblemsMixin, forms.Form):
    """Record an interview: who was interviewed, about whose support, and in which round."""

    service = forms.TypedChoiceField(coerce=int, label="Service")
    peer_worker = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="Peer worker",
        help_text="Choose the peer worker whose support the interview is about, or none if it "
        "is about the service as a whole. Peer workers who have withdrawn are not "
        "listed.",
    )
    round = forms.ModelChoiceField(
        queryset=Round.objects.none(), label="Round", empty_label="Choose a round"
    )
    informant = forms.ChoiceField(widget=forms.RadioSelect, label="Who was interviewed?")
    date = forms.DateField(
        required=False,
        widget=DateInput,
        label="Date of the interview",
        help_text="For example 2025-03-27.",
    )
    code = forms.CharField(
        max_length=60,
        label="Interview reference",
        help_text="A reference such as I-0042. Never use a name.",
    )
    double_rated = forms.BooleanField(
        required=False,
        label="Double-rate this interview",
        help_text="Two raters rate it independently, then agree a consensus rating.",
    )

    def __init__(
        self,
        *args: Any,
        instrument: Instrument,
        services: Sequence[Service],
        workers: Iterable[PeerWorker],
        rounds: Iterable[Round],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        labels = [(s.pk, service_label(s)) for s in services]
        fields["service"].choices = [("", "Choose a service"), *labels]
        by_service: dict[str, list[tuple[int, str]]] = {}
        for worker in workers:
            by_service.setdefault(f"In {worker.service.code}", []).append((worker.pk, worker.code))
        fields["peer_worker"].choices = [
            ("", "None — the interview is about the service"),
            *by_service.items(),
        ]
        fields["round"].queryset = rounds
        fields["informant"].choices = [(i.key, i.title) for i in instrument.informants]

    def clean_date(self) -> Any:
        date = self.cleaned_data.get("date")
        if date and date > timezone.localdate():
            raise forms.ValidationError("The interview date cannot be in the future.")
        return date


class InterviewFilterForm(forms.Form):
    """Narrow the interview list by service, round and status."""

    service = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Service")
    round = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Round")
    status = forms.ChoiceField(
        required=False, label="Status", choices=[("", "Any status"), *Interview.Status.choices]
    )

    def __init__(
        self, *args: Any, services: Iterable[Service], rounds: Iterable[Round], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        labels = [(s.pk, service_label(s)) for s in services]
        fields["service"].choices = [("", "All your services"), *labels]
        fields["round"].choices = [("", "All rounds"), *((r.pk, str(r)) for r in rounds)]


# --- the rating form, generated from the instrument -------------------------------------------

ITEM_TEMPLATE = "interviews/_rating_item.html"
"""The one template that draws an item of the rating form."""


@dataclass(frozen=True)
class Option:
    """One radio option: a point of the scale, a special code, or "not rated yet"."""

    value: str
    id: str
    checked: bool
    label: str
    point: int | None = None
    anchor: str = ""


@dataclass(frozen=True)
class ItemField:
    """One item of a rating or consensus form."""

    number: int
    key: str
    name: str
    id: str
    question: str
    prompts: list[str]
    required: bool
    error: str = ""
    options: list[Option] = field(default_factory=list)
    codes: list[Option] = field(default_factory=list)
    unrated: Option | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def first_input_id(self) -> str:
        """Where an error summary's link should move focus."""
        return (self.options or self.codes or [Option("", self.id, False, "")])[0].id


@dataclass(frozen=True)
class Group:
    """The items of one domain, with the principles it rates fidelity to."""

    key: str
    title: str
    principles: list[str]
    items: list[ItemField]


@dataclass(frozen=True)
class RatedItem:
    """An item of the rating form as a page shows it: its markup, and what the error
    summary needs (its number, its problem and where its first radio is)."""

    number: int
    key: str
    error: str
    first_input_id: str
    html: SafeString


@dataclass(frozen=True)
class Section:
    """A domain of the rating form: its heading, the principles it rates and its items."""

    key: str
    title: str
    principles: list[str]
    items: list[RatedItem]


def answer_text(answer: Answer) -> str:
    """An answer as a form value: ``"3"``, ``"NA"`` or ``""``."""
    return str(answer.value) if answer.value is not None else answer.code


def describe(instrument: Instrument, item: Item, answer: Answer) -> tuple[str, str]:
    """An answer in words: (the point or code with its label, the item's anchor text)."""
    if answer.value is not None:
        scale = instrument.scale(item.scale)
        label = scale.anchors.get(answer.value, "")
        anchor = instrument.anchor(item, answer.value)
        return f"{answer.value} — {label}", anchor if anchor != label else ""
    for code in instrument.codes:
        if code.code == answer.code:
            return f"{code.code} — {code.label}", code.description
    return "Not rated", ""


def _domains(
    instrument: Instrument, framework: Framework, informant: str
) -> list[tuple[Domain, list[str], list[tuple[int, Item]]]]:
    """The domains this informant is asked about, in order: each with the titles of the
    principles it rates and its items, numbered through the whole form."""
    items = instrument.items_for(informant)
    numbered = list(enumerate(items, start=1))
    found = []
    for domain in instrument.domains:
        in_domain = [(n, item) for n, item in numbered if item.domain == domain.key]
        if in_domain:
            principles = [_principle_title(framework, key) for key in domain.principles]
            found.append((domain, principles, in_domain))
    return found


def _grouped(
    instrument: Instrument, framework: Framework, informant: str, build: Any
) -> list[Group]:
    return [
        Group(domain.key, domain.title, principles, [build(n, item) for n, item in in_domain])
        for domain, principles, in_domain in _domains(instrument, framework, informant)
    ]


def _principle_title(framework: Framework, key: str) -> str:
    try:
        return framework.principle(key).title
    except KeyError:
        return key


def _rating_item(instrument: Instrument, informant: str, number: int, item: Item) -> ItemField:
    """What the item template draws for an item, none of its radios chosen."""
    question = item.informants[informant]
    scale = instrument.scale(item.scale)
    base = f"{ITEM_PREFIX}{item.key}"
    options = []
    for point in scale.points:
        anchor = instrument.anchor(item, point)
        label = scale.anchors[point]
        shown = "" if anchor == label else anchor
        options.append(Option(str(point), f"{base}-{point}", False, label, point, shown))
    codes = [
        Option(c.code, f"{base}-{c.code}", False, c.label, None, c.description)
        for c in instrument.codes
    ]
    return ItemField(
        number,
        item.key,
        base,
        base,
        question.question,
        list(question.prompts),
        item.required,
        options=options,
        codes=codes,
        unrated=Option("", f"{base}-unrated", False, "Not rated yet"),
    )


def _first_input_id(instrument: Instrument, item: Item) -> str:
    """The id of an item's first radio (what :attr:`ItemField.first_input_id` gives)."""
    base = f"{ITEM_PREFIX}{item.key}"
    points = instrument.scale(item.scale).points
    if points:
        return f"{base}-{points[0]}"
    return f"{base}-{instrument.codes[0].code}" if instrument.codes else base


def _draw_item(item: ItemField, value: str, error: str) -> SafeString:
    """An item's markup with ``value`` chosen and ``error`` shown (``""``: none)."""
    markup = render_to_string(ITEM_TEMPLATE, {"item": item, "value": value, "error": error})
    # Drawn by a template that escaped what it put in.
    return mark_safe(markup)  # nosec B308 B703


def rating_item_key(stored: StoredInstrument, informant: str, item: str, value: str) -> str:
    """The cache key of one item of an instrument version's rating form, drawn for one
    informant with ``value`` chosen and no problem.

    The stored version's primary key names the version; the time it was stored is part of
    the key too, so that a rebuilt database reusing a key (or a test's) never gets another
    document's items.
    """
    return f"rating-item:{stored.pk}:{stored.stored_at.timestamp():.6f}:{informant}:{item}:{value}"


def blank_form_key(stored: StoredInstrument, informant: str) -> str:
    """What names an instrument version's rating form for one informant with nothing chosen,
    kept drawn whole by ``{% cache %}`` in ``interviews/rate.html`` (in the ``forms`` cache).

    Named like :func:`rating_item_key`: by the stored version and the time it was stored.
    """
    return f"{stored.pk}:{stored.stored_at.timestamp():.6f}:{informant}"


def rating_form(
    stored: StoredInstrument,
    framework: Framework,
    informant: str,
    values: Mapping[str, str],
    problems: Mapping[str, str],
) -> list[Section]:
    """The rating form's sections, each item drawn with its value and any problem.

    ``values`` is what was saved or posted (by item key), ``problems`` what is wrong with
    it. An instrument version never changes once stored, so an item drawn with one of its
    own values and no problem is kept in the ``forms`` cache (see :func:`rating_item_key`)
    and a page takes it from there, all items in one look-up; an item with a problem, or
    with a value that is none of its own, is drawn by the same template each time.
    """
    instrument = stored.model()
    domains = _domains(instrument, framework, informant)
    shared = caches["forms"]
    # Only an item's own values are looked up or kept: a posted value can be anything.
    wanted = {
        item.key: rating_item_key(stored, informant, item.key, values.get(item.key, ""))
        for _, _, in_domain in domains
        for _, item in in_domain
        if not problems.get(item.key) and values.get(item.key, "") in _values(instrument, item)
    }
    kept: dict[str, str] = shared.get_many(wanted.values())
    new: dict[str, str] = {}
    sections = []
    for domain, principles, in_domain in domains:
        items = []
        for number, item in in_domain:
            value = values.get(item.key, "")
            error = problems.get(item.key, "")
            key = wanted.get(item.key)
            html = kept.get(key) if key else None
            if html is None:
                html = _draw_item(_rating_item(instrument, informant, number, item), value, error)
                if key:
                    new[key] = html
            first = _first_input_id(instrument, item)
            # Kept or new, the markup is what _draw_item drew, with everything escaped.
            drawn = mark_safe(html)  # nosec B308 B703
            items.append(RatedItem(number, item.key, error, first, drawn))
        sections.append(Section(domain.key, domain.title, principles, items))
    if new:
        shared.set_many(new, timeout=None)
    return sections


def _values(instrument: Instrument, item: Item) -> set[str]:
    """Every value one of the item's radios stands for (``""``: not rated yet)."""
    points = {str(point) for point in instrument.scale(item.scale).points}
    return points | {code.code for code in instrument.codes} | {""}


def sheet_groups(
    instrument: Instrument, framework: Framework, informant: str, answers: Mapping[str, Answer]
) -> list[Group]:
    """A finished sheet, read only: each item's rating in words."""

    def build(number: int, item: Item) -> ItemField:
        question = item.informants[informant]
        label, anchor = describe(instrument, item, answers.get(item.key, Answer()))
        return ItemField(
            number,
            item.key,
            "",
            f"{ITEM_PREFIX}{item.key}",
            question.question,
            [],
            item.required,
            extra={"label": label, "anchor": anchor},
        )

    return _grouped(instrument, framework, informant, build)


def consensus_groups(
    instrument: Instrument,
    framework: Framework,
    informant: str,
    sheets: Sequence[tuple[str, Mapping[str, Answer]]],
    agreed: Mapping[str, str] | None,
    reasons: Mapping[str, str],
    problems: Mapping[str, str],
) -> list[Group]:
    """The consensus form: both raters' ratings side by side, and an agreed rating per item.

    ``agreed`` is what was posted, or ``None`` on first opening, when items the raters agree
    on are prefilled with their rating.
    """

    def build(number: int, item: Item) -> ItemField:
        question = item.informants[informant]
        given = [answers.get(item.key, Answer()) for _, answers in sheets]
        differs = len(set(given)) > 1
        if agreed is None:
            value = answer_text(given[0]) if given and not differs else ""
        else:
            value = agreed.get(item.key, "")
        scale = instrument.scale(item.scale)
        choices = [(str(p), f"{p} — {scale.anchors[p]}") for p in scale.points]
        choices += [(c.code, f"{c.code} — {c.label}") for c in instrument.codes]
        raters = [
            {"rater": rater, "text": describe(instrument, item, answer)}
            for (rater, _), answer in zip(sheets, given, strict=True)
        ]
        return ItemField(
            number,
            item.key,
            f"{AGREED_PREFIX}{item.key}",
            f"{AGREED_PREFIX}{item.key}",
            question.question,
            [],
            item.required,
            problems.get(item.key, ""),
            extra={
                "differs": differs,
                "raters": raters,
                "value": value,
                "choices": choices,
                "reason": reasons.get(item.key, ""),
                "reason_name": f"{REASON_PREFIX}{item.key}",
            },
        )

    return _grouped(instrument, framework, informant, build)


def flat_items(groups: Iterable[Group]) -> list[ItemField]:
    """Every item of the groups, in order."""
    return [item for group in groups for item in group.items]
