"""Forms for setting up an evaluation; the services validate the domain rules."""

from __future__ import annotations

from typing import Any

from django import forms

from peerprinciples.web.errors import InvalidInput
from peerprinciples.web.evaluations.models import Evaluation, Membership, Service
from peerprinciples.web.library.models import SYNTHETIC_CHOICE, StoredInstrument, synthetic_last


def service_label(service: Service) -> str:
    """A service as people read it: its code, then its name if it has one."""
    return f"{service.code} — {service.name}" if service.name else service.code


class ProblemsMixin:
    """Lets a view put a service's :class:`InvalidInput` problems onto the form's fields."""

    def add_problems(self, error: InvalidInput) -> None:
        """Show each problem beside its field (or above the form when no field matches)."""
        form: Any = self
        for name, message in error.problems.items():
            form.add_error(name if name in form.fields else None, message)


class InstrumentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Stored instrument versions, each shown with the framework version it is pinned to."""

    def label_from_instance(self, obj: StoredInstrument) -> str:
        label = f"{obj.title} — {obj.ref} (framework {obj.framework.ref})"
        return f"{label} [{SYNTHETIC_CHOICE}]" if obj.framework.synthetic else label


class EvaluationForm(ProblemsMixin, forms.Form):
    """Start an evaluation, pinned to one instrument version and its framework version."""

    name = forms.CharField(
        max_length=200,
        label="Name of the evaluation",
        help_text="For example: Peer support fidelity review 2025.",
    )
    kind = forms.ChoiceField(
        choices=Evaluation.Kind.choices,
        widget=forms.RadioSelect,
        label="What kind of evaluation is it?",
        initial=Evaluation.Kind.SERVICE_REVIEW,
    )
    instrument = InstrumentChoiceField(
        queryset=StoredInstrument.objects.select_related("framework").order_by("key", "version"),
        label="Fidelity index (instrument version)",
        # Nothing is chosen for the person (unless a link asks for one): the first of the
        # list is not a safe guess.
        empty_label="Choose a fidelity index",
        error_messages={"required": "Choose the fidelity index the evaluation uses."},
        help_text="The evaluation keeps this version and the framework version it belongs to. "
        "Later versions never change how this evaluation is scored. Indexes from synthetic "
        "demonstrations come last and say so: they are not for use in a service.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["instrument"]
        field.queryset = synthetic_last(field.queryset, through="framework")


class ServiceForm(ProblemsMixin, forms.Form):
    """Add a service (a site or team)."""

    prefix = "service"
    code = forms.CharField(
        max_length=40, label="Service code", help_text="A short code such as NORTH or T2."
    )
    name = forms.CharField(max_length=200, required=False, label="Service name")


class PeerWorkerForm(ProblemsMixin, forms.Form):
    """Add a peer worker by pseudonymous code."""

    prefix = "peer_worker"
    service = forms.TypedChoiceField(coerce=int, label="Service they work in")
    code = forms.CharField(
        max_length=40,
        label="Pseudonymous code",
        help_text="A code such as PW-014. Never use a name.",
    )

    def __init__(self, *args: Any, services: list[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["service"]
        field.choices = [("", "Choose a service"), *((s.pk, service_label(s)) for s in services)]


class RoundForm(ProblemsMixin, forms.Form):
    """Add a round (a timepoint or review cycle)."""

    prefix = "round"
    number = forms.IntegerField(min_value=1, label="Round number")
    label = forms.CharField(
        max_length=100,
        required=False,
        label="Label",
        help_text="For example: Baseline, or Spring 2025 review.",
    )


class MemberForm(ProblemsMixin, forms.Form):
    """Give an existing account a role in the evaluation."""

    prefix = "member"
    username = forms.CharField(
        max_length=150, label="User name", help_text="The person must already have an account."
    )
    role = forms.ChoiceField(
        # A peer worker's account is linked to their code instead (beside the peer worker).
        choices=[c for c in Membership.Role.choices if c[0] != Membership.Role.PEER_WORKER],
        widget=forms.RadioSelect,
        label="Role",
    )
    services = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Services",
        help_text="Service coordinators, raters and reflection facilitators work only with "
        "the services ticked here.",
    )

    def __init__(self, *args: Any, services: list[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["services"]
        field.choices = [(s.pk, service_label(s)) for s in services]


class WithdrawalForm(forms.Form):
    """Record that a peer worker withdrew consent, or rejoined."""

    withdrawn = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", "withdrawn"), ("0", "rejoined")]
    )


class WithdrawalProtocolForm(forms.Form):
    """What the study's protocol allows when someone withdraws an interview."""

    keeps_anonymised = forms.TypedChoiceField(
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        choices=[
            ("0", "Erase it: the interview and all its ratings are deleted"),
            (
                "1",
                "Let the person choose between erasing it and keeping its ratings in the "
                "group results only, with every link to them removed",
            ),
        ],
        label="When someone withdraws their interview, the study's protocol allows us to",
    )


class LinkAccountForm(ProblemsMixin, forms.Form):
    """Link an existing account to a peer worker's code, or unlink the one linked."""

    username = forms.CharField(
        max_length=150,
        required=False,
        label="User name",
        help_text="The peer worker's own account. Their code stays the only identity in the data.",
    )
    unlink = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("unlink") and not (data.get("username") or "").strip():
            self.add_error("username", "Give the user name of the account to link.")
        return data


class SharingForm(forms.Form):
    """Whether peer workers with a linked account may see their own results."""

    own_results = forms.TypedChoiceField(
        coerce=lambda v: v == "on",
        choices=[("on", "on"), ("off", "off")],
        label="Peer workers see their own results",
    )
