"""Forms for starting a programme, its settings, its members and its areas.

The services check what comes back (which services the person may link, the last lead, an
area that still has writing in it); these forms only parse the fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from peerprinciples.web.evaluations.forms import ProblemsMixin
from peerprinciples.web.evaluations.models import Service
from peerprinciples.web.library.models import SYNTHETIC_CHOICE, StoredFramework, synthetic_last
from peerprinciples.web.practice.models import LEVEL_CHOICES, Programme, ProgrammeMember

SHARING_HELP = (
    "Another programme that also shares its matrix may then show yours beside its own, on "
    "the principles and areas both have: each cell's status, text, examples and the role "
    "holding it. Never its members, its history or its prompts, and never as a ranking. "
    "Untick this at any time to stop."
)


class FrameworkChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Stored framework versions, a synthetic one labelled as such."""

    def label_from_instance(self, obj: StoredFramework) -> str:
        label = f"{obj.title} — {obj.ref}"
        return f"{label} [{SYNTHETIC_CHOICE}]" if obj.synthetic else label


class ServiceChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Evaluation services, each with the evaluation it belongs to."""

    def label_from_instance(self, obj: Service) -> str:
        return f"{obj} — in {obj.evaluation.name}"


def frameworks() -> QuerySet[StoredFramework]:
    """Every stored framework version, synthetic ones last."""
    return synthetic_last(StoredFramework.objects.all())


class ProgrammeFields(ProblemsMixin, forms.Form):
    name = forms.CharField(
        label="Name of the programme",
        max_length=200,
        help_text="For example: Peer support in the community teams.",
        error_messages={"required": "Give the programme a name."},
    )
    description = forms.CharField(
        label="What it is",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The services and teams it covers, and what the peer workers do there.",
    )
    services = ServiceChoiceField(
        queryset=Service.objects.none(),
        label="Evaluation services it covers",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their fidelity results and reflection actions are shown beside the matrix. "
        "Only services of evaluations you lead are listed.",
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["services"]
        field.queryset = services
        if not services.exists():
            field.help_text = (
                "You lead no evaluation, so there is no service to link yet. A lead of an "
                "evaluation can link its services later."
            )


class CreateProgrammeForm(ProgrammeFields):
    """Start a programme, following one framework version."""

    framework = FrameworkChoiceField(
        queryset=StoredFramework.objects.none(),
        label="Framework version it follows",
        empty_label="Choose a framework version",
        error_messages={"required": "Choose the framework version the programme follows."},
        help_text="Its principles and themes become the rows of the matrix.",
    )
    field_order = ["name", "description", "framework", "services"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["framework"]
        field.queryset = frameworks()


class SettingsForm(ProgrammeFields):
    """The lead's settings of a programme, at the version the page showed."""

    shares_matrix = forms.BooleanField(
        label="Share this matrix for side-by-side comparison",
        required=False,
        help_text=SHARING_HELP,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @staticmethod
    def fields_of(programme: Programme) -> dict[str, Any]:
        return {
            "name": programme.name,
            "description": programme.description,
            "services": list(programme.services.all()),
            "shares_matrix": programme.shares_matrix,
            "version": programme.version,
        }


ROLE_CHOICES = ProgrammeMember.Role.choices


class AddMemberForm(ProblemsMixin, forms.Form):
    username = forms.CharField(
        label="User name",
        max_length=150,
        help_text="The name they sign in with. They need an account first.",
        error_messages={"required": "Give the user name of the person's account."},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        initial=ProgrammeMember.Role.CONTRIBUTOR,
        widget=forms.RadioSelect,
        help_text="A lead looks after the settings, members and areas; a contributor writes "
        "the matrix; a reader reads it and downloads the handbook.",
    )


class MemberRoleForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=ROLE_CHOICES)


class MemberForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)


class AreaFields(ProblemsMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Give the area a title, for example: Lone working and safety."},
    )
    description = forms.CharField(
        label="What it covers", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    level = forms.ChoiceField(
        label="Level it is looked after at",
        choices=LEVEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose individual, team or organisation."},
    )


class EditAreaForm(AreaFields):
    area = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AreaVersionForm(forms.Form):
    area = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
