"""Forms for interviews, and the rating and consensus forms generated from the instrument.

The rating form is not a Django form: its fields come from the pinned instrument (the items
this informant is asked, grouped by domain and principle) and the services parse and check
what is posted. The structures here only describe what the templates draw.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Domain, Instrument, Item
from peerprinciples.web.evaluations.forms import ProblemsMixin, service_label
from peerprinciples.web.evaluations.models import PeerWorker, Round, Service
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.interviews.services import Answer

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
    choices_html: SafeString = field(default_factory=lambda: mark_safe(""))
    """The radios of :attr:`options`, :attr:`codes` and :attr:`unrated` as HTML (the
    rating form draws them from this: 320 radios through template loops cost more than
    the rest of the page)."""
    html: SafeString = field(default_factory=lambda: mark_safe(""))
    """The whole item of the rating form as HTML: its fieldset, legend, prompts, error and
    radios (see :func:`rating_groups`)."""

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

    @property
    def section_html(self) -> SafeString:
        """The rating form's section for this domain: heading, principles and items (the
        markup :func:`rating_sections` draws for every domain at once)."""
        parts = [_section_opening(self.key, self.title, self.principles)]
        parts.extend(item.html for item in self.items)
        parts.append(_SECTION_TAIL)
        # The opening was built by format_html and the items are safe markup.
        return mark_safe("".join(parts))


_SECTION_TAIL = "</section>\n"


def _section_opening(key: str, title: str, principles: Sequence[str]) -> SafeString:
    """A domain's section up to its items: the heading and the principles it rates."""
    return format_html(
        '<section class="principle-group" aria-labelledby="domain-{}">\n'
        '<h2 id="domain-{}">{}</h2>\n<p class="principles">Principle{}: {}</p>\n',
        key,
        key,
        title,
        "" if len(principles) == 1 else "s",
        "; ".join(principles),
    )


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


@dataclass(frozen=True)
class _Radio:
    """One radio of an item as HTML, split where ``checked`` goes."""

    value: str
    before: str
    after: str

    def html(self, value: str) -> str:
        return self.before + (" checked" if value == self.value else "") + self.after


@dataclass(frozen=True)
class _Marked:
    """An item's radios with one value chosen: the options, and all of them as HTML."""

    options: list[Option]
    codes: list[Option]
    unrated: Option
    html: SafeString


class _Choices:
    """What never changes about an item's radios: the options unchecked, and their HTML.

    An item has a handful of possible values, so each value's radios are put together once
    (a value that is no option, from a wrong form, is put together each time).
    """

    def __init__(
        self,
        options: tuple[Option, ...],
        codes: tuple[Option, ...],
        unrated: Option,
        radios: tuple[_Radio, ...],
    ) -> None:
        self.options = options
        self.codes = codes
        self.unrated = unrated
        self.radios = radios
        """The scale's radios, then the codes', then "not rated yet"."""
        self.values = frozenset(radio.value for radio in radios)
        """Every value one of the radios stands for."""
        self._marked: dict[str, _Marked] = {}

    def marked(self, value: str) -> _Marked:
        """The radios with ``value`` checked."""
        found = self._marked.get(value)
        if found is None:
            found = self._mark(value)
            if value in self.values:
                self._marked[value] = found
        return found

    def _mark(self, value: str) -> _Marked:
        def mark(option: Option) -> Option:
            return replace(option, checked=True) if option.value == value else option

        points = len(self.options)
        parts = [radio.html(value) for radio in self.radios[:points]]
        parts.append('<div class="codes">\n')
        parts.extend(radio.html(value) for radio in self.radios[points:])
        parts.append("</div>")
        return _Marked(
            [mark(o) for o in self.options],
            [mark(c) for c in self.codes],
            mark(self.unrated),
            # Every part was built by format_html, which escaped what it put in.
            mark_safe("".join(parts)),
        )


def _radio(name: str, option: Option, point: object) -> _Radio:
    before = format_html(
        '<div class="option">\n<input type="radio" name="{}" id="{}" value="{}"',
        name,
        option.id,
        option.value,
    )
    if point is None:
        label = format_html('<label for="{}">{}</label>', option.id, option.label)
    elif option.anchor:
        label = format_html(
            '<label for="{}"><span class="point">{}</span> — <span class="scale-label">{}'
            '</span><span class="visually-hidden">:</span> <span class="anchor">{}</span>'
            "</label>",
            option.id,
            point,
            option.label,
            option.anchor,
        )
    else:
        label = format_html(
            '<label for="{}"><span class="point">{}</span> — <span class="scale-label">{}'
            "</span></label>",
            option.id,
            point,
            option.label,
        )
    return _Radio(option.value, before, format_html(">\n{}\n</div>\n", label))


def _build_choices(instrument: Instrument, item: Item) -> _Choices:
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
    unrated = Option("", f"{base}-unrated", False, "Not rated yet")
    return _Choices(
        tuple(options),
        tuple(codes),
        unrated,
        (
            *(_radio(base, o, o.point) for o in options),
            *(_radio(base, c, c.value) for c in codes),
            _radio(base, unrated, None),
        ),
    )


def _item_head(
    id_: str, number: int, question: str, prompts: Sequence[str], required: bool, error: str
) -> str:
    """An item's fieldset up to its radios: the legend, any prompts and any error."""
    parts = [
        format_html(
            '<fieldset class="item{}" id="{}"{}>\n<legend>\n<span class="item-number">Item {}{}'
            "</span>\n{}\n</legend>\n",
            " field-error" if error else "",
            id_,
            format_html(' aria-describedby="{}-error"', id_) if error else "",
            number,
            mark_safe(' <span class="optional">(optional)</span>') if not required else "",
            question,
        )
    ]
    if prompts:
        parts.append('<p class="hint">Follow-up prompts:</p>\n<ul class="prompts hint">')
        parts.extend(format_html("<li>{}</li>", prompt) for prompt in prompts)
        parts.append("</ul>\n")
    if error:
        parts.append(
            format_html(
                '<p class="error-message" id="{}-error"><span class="visually-hidden">Error:'
                "</span> {}</p>\n",
                id_,
                error,
            )
        )
    parts.append('<div class="choices">\n')
    return "".join(parts)


_ITEM_TAIL = "\n</div>\n</fieldset>\n"

_Layout = tuple[tuple[SafeString, tuple[tuple[int, Item], ...]], ...]
"""The rating form's shape for one informant: each domain's opening markup, with its items
and their numbers."""


class _Kept:
    """What is kept for one instrument: its items' radios (by item), their fieldsets' heads
    (by informant, item and number), whole items (the same, and the chosen value) and the
    form's layout (by informant and framework, kept with the framework it was drawn from)."""

    __slots__ = ("choices", "heads", "instrument", "items", "layouts")

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.choices: dict[str, _Choices] = {}
        self.heads: dict[tuple[str, str, int], str] = {}
        self.items: dict[tuple[str, str, int, str], SafeString] = {}
        self.layouts: dict[tuple[str, int], tuple[Framework, _Layout]] = {}


class _ChoicesCache:
    """The pieces of the rating form's markup that never change for an instrument.

    Instrument and framework models are immutable and shared by a process's requests (see
    ``StoredInstrument.model``). Entries hold the objects they are found by, so an identity
    cannot pass to another object while they are kept.
    """

    kept = 16

    def __init__(self) -> None:
        self._entries: dict[int, _Kept] = {}
        self._lock = threading.Lock()

    def _entry(self, instrument: Instrument) -> _Kept:
        entry = self._entries.get(id(instrument))
        if entry is None or entry.instrument is not instrument:
            with self._lock:
                if len(self._entries) >= self.kept:
                    self._entries.clear()
                entry = self._entries[id(instrument)] = _Kept(instrument)
        return entry

    def get(self, instrument: Instrument, item: Item) -> _Choices:
        choices = self._entry(instrument).choices
        found = choices.get(item.key)
        if found is None:
            found = choices[item.key] = _build_choices(instrument, item)
        return found

    def head(
        self, instrument: Instrument, informant: str, item: Item, number: int, error: str
    ) -> str:
        """:func:`_item_head`, kept for items without an error (their head never changes)."""
        question = item.informants[informant]
        base = f"{ITEM_PREFIX}{item.key}"
        if error:
            return _item_head(
                base, number, question.question, question.prompts, item.required, error
            )
        heads = self._entry(instrument).heads
        key = (informant, item.key, number)
        found = heads.get(key)
        if found is None:
            found = heads[key] = _item_head(
                base, number, question.question, question.prompts, item.required, ""
            )
        return found

    def item_html(
        self,
        instrument: Instrument,
        informant: str,
        item: Item,
        number: int,
        value: str,
        error: str,
    ) -> SafeString:
        """The whole item (fieldset, head and radios), kept per value for items without an
        error: a page then reuses each item's markup instead of copying it together again."""
        key = (informant, item.key, number, value)
        items = self._entry(instrument).items
        found = None if error else items.get(key)
        if found is None:
            choices = self.get(instrument, item)
            head = self.head(instrument, informant, item, number, error)
            # Every part was built by format_html, which escaped what it put in.
            found = mark_safe(head + choices.marked(value).html + _ITEM_TAIL)
            if not error and value in choices.values:
                items[key] = found
        return found

    def layout(self, instrument: Instrument, framework: Framework, informant: str) -> _Layout:
        """Each domain's opening markup with its numbered items (see :func:`_domains`)."""
        layouts = self._entry(instrument).layouts
        kept = layouts.get((informant, id(framework)))
        if kept is not None and kept[0] is framework:
            return kept[1]
        layout = tuple(
            (_section_opening(domain.key, domain.title, principles), tuple(in_domain))
            for domain, principles, in_domain in _domains(instrument, framework, informant)
        )
        layouts[(informant, id(framework))] = (framework, layout)
        return layout


_choices = _ChoicesCache()


def rating_groups(
    instrument: Instrument,
    framework: Framework,
    informant: str,
    values: Mapping[str, str],
    problems: Mapping[str, str],
) -> list[Group]:
    """The rating form: every anchor of every item as a labelled radio, plus the codes."""

    def build(number: int, item: Item) -> ItemField:
        question = item.informants[informant]
        value = values.get(item.key, "")
        base = f"{ITEM_PREFIX}{item.key}"
        marked = _choices.get(instrument, item).marked(value)
        error = problems.get(item.key, "")
        return ItemField(
            number,
            item.key,
            base,
            base,
            question.question,
            list(question.prompts),
            item.required,
            error,
            list(marked.options),
            list(marked.codes),
            marked.unrated,
            choices_html=marked.html,
            html=_choices.item_html(instrument, informant, item, number, value, error),
        )

    return _grouped(instrument, framework, informant, build)


def rating_sections(
    instrument: Instrument,
    framework: Framework,
    informant: str,
    values: Mapping[str, str],
    problems: Mapping[str, str],
) -> SafeString:
    """The rating form's sections as one piece of markup: what joining the
    :attr:`Group.section_html` of :func:`rating_groups` gives, drawn without building the
    items' descriptions (the form shows them, and needs nothing else from them)."""
    parts: list[str] = []
    for opening, items in _choices.layout(instrument, framework, informant):
        parts.append(opening)
        for number, item in items:
            parts.append(
                _choices.item_html(
                    instrument,
                    informant,
                    item,
                    number,
                    values.get(item.key, ""),
                    problems.get(item.key, ""),
                )
            )
        parts.append(_SECTION_TAIL)
    # Every part is markup built by format_html, which escaped what it put in.
    return mark_safe("".join(parts))


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
