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
from django.utils import timezone

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument, Item
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


def _grouped(
    instrument: Instrument, framework: Framework, informant: str, build: Any
) -> list[Group]:
    items = instrument.items_for(informant)
    numbers = {item.key: n for n, item in enumerate(items, start=1)}
    groups = []
    for domain in instrument.domains:
        in_domain = [item for item in items if item.domain == domain.key]
        if not in_domain:
            continue
        principles = [_principle_title(framework, key) for key in domain.principles]
        groups.append(
            Group(
                domain.key,
                domain.title,
                principles,
                [build(numbers[item.key], item) for item in in_domain],
            )
        )
    return groups


def _principle_title(framework: Framework, key: str) -> str:
    try:
        return framework.principle(key).title
    except KeyError:
        return key


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
        scale = instrument.scale(item.scale)
        value = values.get(item.key, "")
        base = f"{ITEM_PREFIX}{item.key}"
        options = []
        for point in scale.points:
            anchor = instrument.anchor(item, point)
            options.append(
                Option(
                    str(point),
                    f"{base}-{point}",
                    value == str(point),
                    scale.anchors[point],
                    point,
                    anchor if anchor != scale.anchors[point] else "",
                )
            )
        codes = [
            Option(c.code, f"{base}-{c.code}", value == c.code, c.label, None, c.description)
            for c in instrument.codes
        ]
        unrated = Option("", f"{base}-unrated", value == "", "Not rated yet")
        return ItemField(
            number,
            item.key,
            base,
            base,
            question.question,
            list(question.prompts),
            item.required,
            problems.get(item.key, ""),
            options,
            codes,
            unrated,
        )

    return _grouped(instrument, framework, informant, build)


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
