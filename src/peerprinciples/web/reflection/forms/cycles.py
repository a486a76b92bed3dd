"""Forms for running a reflection cycle; the services check the domain rules.

Almost nothing is required: a reflection is light by design, and a team should be able to
record one in a few minutes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy

from peerprinciples.core.reflection.model import ReflectionGuide
from peerprinciples.web.evaluations.forms import ProblemsMixin
from peerprinciples.web.evaluations.models import Round, Service
from peerprinciples.web.library.models import StoredGuide
from peerprinciples.web.reflection.models import ConditionCheck, SelfAssessment
from peerprinciples.web.reflection.services.prompts import Topic

NOT_DISCUSSED = ""
SKIPPED = ""


def _date_from_today(days: int) -> str:
    return f"{timezone.localdate() + dt.timedelta(days=days):%Y-%m-%d}"


example_date = lazy(_date_from_today, str)
"""A date ``days`` from today as a date box takes it, worked out each time a page shows it,
so an example in a hint is never a day long gone."""


class DateInput(forms.DateInput):
    """A browser's own date picker (a plain text box where there is none)."""

    input_type = "date"


def pair_label(service: Service, round: Round) -> str:
    """A service in a round as people read it: "A (North team) — Baseline"."""
    name = f"{service.code} ({service.name})" if service.name else service.code
    return f"{name} — {round}"


class PairField(forms.ChoiceField):
    """A choice of service and round that offers the free pairs but takes any pair in
    ``accepted``: a pair whose cycle someone opened a moment ago still reaches the service,
    which says where that cycle is."""

    accepted: frozenset[str] = frozenset()

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.accepted


class OpenCycleForm(ProblemsMixin, forms.Form):
    """Open a cycle: which service in which round, and which guide.

    Only the person's services in rounds that have no cycle yet are offered, the newest
    round first chosen.
    """

    pair = PairField(
        label="Service and round",
        help_text="Your services in the rounds that have no reflection cycle yet.",
    )
    guide = forms.TypedChoiceField(
        coerce=int,
        label="Reflection guide",
        help_text="The questions, conditions and self-assessment the cycle follows. "
        "The newest guide for this evaluation's principles comes first.",
    )

    def __init__(
        self,
        *args: Any,
        services: list[Service],
        rounds: list[Round],
        free: list[tuple[Service, Round]],
        guides: list[StoredGuide],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.pairs = {f"{s.pk}-{r.pk}": (s, r) for s in services for r in rounds}
        pair: Any = self.fields["pair"]
        pair.accepted = frozenset(self.pairs)
        pair.choices = [(f"{s.pk}-{r.pk}", pair_label(s, r)) for s, r in free]
        self.fields["guide"].choices = [(g.pk, f"{g.title} ({g.ref})") for g in guides]
        if free:
            newest = max(free, key=lambda p: p[1].number)
            self.initial.setdefault("pair", f"{newest[0].pk}-{newest[1].pk}")
        if guides:
            self.initial.setdefault("guide", guides[0].pk)

    def chosen(self) -> tuple[Service, Round]:
        """The service and round chosen (once the form is valid)."""
        return self.pairs[self.cleaned_data["pair"]]


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        initial=0,
        error_messages={
            "invalid": "Give a whole number, such as 3.",
            "min_value": "Give a whole number: 0 or more.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class ParticipantsForm(ProblemsMixin, forms.Form):
    """When the conversation was held and how many took part, by role (never names)."""

    prefix = "taking_part"
    met_on = forms.DateField(
        label="When the conversation was held",
        required=False,
        widget=DateInput,
        error_messages={"invalid": format_lazy("Give a date such as {}.", example_date(0))},
    )
    peer_workers = _count("Peer workers")
    people_supported = _count("People supported by peer workers")
    supervisors = _count("Supervisors")
    managers = _count("Managers")
    others = _count("Others")
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReflectionForm(ProblemsMixin, forms.Form):
    """The three questions about one principle or theme; every answer is optional."""

    going_well = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    hard = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    try_next = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, topic: Topic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("going_well", "hard", "try_next"):
            self.fields[name].label = getattr(topic.questions, name)


class ConditionsForm(forms.Form):
    """A state and an optional note for every condition of the guide, in one plain form.

    The form also carries every condition as it was when the page was opened (``opened``),
    so that saving writes only what the person changed: two people going through different
    conditions at once do not undo each other's.
    """

    opened = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, guide: ReflectionGuide, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [*ConditionCheck.State.choices, (NOT_DISCUSSED, "Not discussed")]
        for condition in guide.conditions:
            self.fields[f"state_{condition.key}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                label=condition.statement,
                initial=NOT_DISCUSSED,
            )
            self.fields[f"note_{condition.key}"] = forms.CharField(
                required=False,
                label="A note about this",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def pair(self, key: str) -> tuple[forms.BoundField, forms.BoundField]:
        """The state and note fields of one condition."""
        return self[f"state_{key}"], self[f"note_{key}"]

    @staticmethod
    def as_opened(checks: dict[str, tuple[str, str]]) -> str:
        """The ``opened`` value for conditions as they stand: key -> (state, note)."""
        return json.dumps({key: list(pair) for key, pair in checks.items()}, sort_keys=True)

    def checks(self) -> dict[str, tuple[str, str]]:
        """Condition key -> (state, note) for every condition changed since the page was
        opened (every condition, when the form does not say how they were)."""
        data = self.cleaned_data
        try:
            opened = json.loads(data.get("opened") or "null")
        except ValueError:
            opened = None
        found = {}
        for name in self.fields:
            if not name.startswith("state_"):
                continue
            key = name.removeprefix("state_")
            pair = (data[name] or NOT_DISCUSSED, data.get(f"note_{key}", "").strip())
            if not isinstance(opened, dict) or opened.get(key) != list(pair):
                found[key] = pair
        return found


class SelfAssessmentForm(ProblemsMixin, forms.Form):
    """The guide's statements on its described scale, and a free-text box per principle."""

    taken_by = forms.ChoiceField(
        choices=SelfAssessment.Taker.choices,
        widget=forms.RadioSelect,
        initial=SelfAssessment.Taker.TEAM,
        label="Who is filling this in?",
    )
    role = forms.CharField(
        max_length=100,
        required=False,
        label="Their role, for one member",
        help_text="Such as peer worker, supervisor or manager. Never a name.",
    )

    def __init__(
        self, *args: Any, guide: ReflectionGuide, topics: list[Topic], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        assessment = guide.self_assessment
        points = [
            (str(point), assessment.scale.anchors[point].label) for point in assessment.scale.points
        ]
        self.sections: list[tuple[Topic, list[str], str]] = []
        for topic in topics:
            statements = guide.statements_for(topic.key)
            if not statements:
                continue
            names = []
            for statement in statements:
                name = f"answer_{statement.key}"
                self.fields[name] = forms.ChoiceField(
                    choices=[*points, (SKIPPED, "Skip")],
                    required=False,
                    widget=forms.RadioSelect,
                    label=statement.text,
                    initial=SKIPPED,
                )
                names.append(name)
            note = f"note_{topic.key}"
            self.fields[note] = forms.CharField(
                required=False,
                label=assessment.free_text,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.sections.append((topic, names, note))

    def section_fields(self) -> list[tuple[Topic, list[forms.BoundField], forms.BoundField]]:
        """Per principle: its statements' fields and its free-text field."""
        return [
            (topic, [self[name] for name in names], self[note])
            for topic, names, note in self.sections
        ]

    def answers(self) -> dict[str, int | None]:
        """Statement key -> point, or ``None`` when skipped."""
        return {
            name.removeprefix("answer_"): int(value) if value else None
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_")
        }

    def notes(self) -> dict[str, str]:
        """Principle key -> free text."""
        return {
            name.removeprefix("note_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("note_") and value
        }


class FinishForm(ProblemsMixin, forms.Form):
    """Finish the cycle, and say until when peer workers may reply to the draft report."""

    prefix = "finish"
    replies_until = forms.DateField(
        label="Peer workers can reply to the draft report until",
        required=False,
        widget=DateInput,
        help_text="Leave it blank for two weeks from today.",
        error_messages={"invalid": format_lazy("Give a date such as {}.", example_date(14))},
    )
    confirm = forms.BooleanField(
        label="I have read what this cycle recorded and want to finish it now",
        help_text="Once finished, what was written stays as it is.",
        error_messages={
            "required": "Tick the box to say you want to finish the cycle now: what was "
            "written then stays as it is."
        },
    )


class ReleaseForm(ProblemsMixin, forms.Form):
    """Release the cycle's report, once the person has said they mean it."""

    prefix = "release"
    BACK = (("report", "The report"), ("cycle", "The cycle's page"))
    confirm = forms.BooleanField(
        label="I have read the report and the peer workers’ replies and want to release it now",
        help_text="Releasing closes the peer workers’ right of reply: the report is then final.",
        error_messages={
            "required": "Tick the box to say you want to release the report now: it takes no "
            "more replies after that."
        },
    )
    back = forms.ChoiceField(choices=BACK, required=False, widget=forms.HiddenInput)
