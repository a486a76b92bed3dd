"""Forms for starting a project, its settings, its members and what members say about
themselves. The forms read what is typed; the services check the project's rules."""

from __future__ import annotations

from typing import Any

from django import forms

from peerprinciples.web.coproduction.models import Member, Project
from peerprinciples.web.coproduction.services.members import (
    CODE_LENGTH,
    GROUP_LENGTH,
    PERSPECTIVE_LENGTH,
)
from peerprinciples.web.coproduction.services.projects import CARDS_PER_MEMBER, STAGES
from peerprinciples.web.evaluations.forms import ProblemsMixin
from peerprinciples.web.library.models import SYNTHETIC_CHOICE, StoredFramework

CODE_REQUIRED = {"required": "Give a pseudonymous code, for example P07."}
CODE_HELP = (
    "A pseudonymous code such as P07 — never a name. It needs at least one digit, and may not "
    "contain the account's user name or names."
)


class ProjectForm(ProblemsMixin, forms.Form):
    """A project's name, framing question, description and cards per member."""

    name = forms.CharField(
        max_length=200,
        label="Name of the project",
        help_text="For example: What matters in peer support here.",
    )
    framing_question = forms.CharField(
        label="Framing question",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The one question every panel member answers on their cards, for example: "
        "What principles should guide peer support in our service?",
    )
    description = forms.CharField(
        required=False,
        label="Description",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the project is for and who takes part, in a few sentences.",
    )
    cards_per_member = forms.IntegerField(
        min_value=CARDS_PER_MEMBER[0],
        max_value=CARDS_PER_MEMBER[1],
        initial=5,
        label="Cards each member writes",
        help_text="The most cards each member may write; the founding study gave each panel "
        "member five.",
    )


class BaseFrameworkField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A stored framework version, shown by its title and reference; needed only for a
    local adaptation, which the label says instead of "(optional)"."""

    required_when = "needed for a local adaptation"

    def label_from_instance(self, obj: StoredFramework) -> str:
        label = f"{obj.title} ({obj.ref})"
        return f"{label} [{SYNTHETIC_CHOICE}]" if obj.synthetic else label


class CreateProjectForm(ProjectForm):
    """A new project, the code its facilitator is known by, and what it will publish."""

    code = forms.CharField(
        max_length=CODE_LENGTH,
        initial="F01",
        label="Your code in this project",
        error_messages=CODE_REQUIRED,
        help_text="You facilitate the project. Other members see you by this code. " + CODE_HELP,
    )
    kind = forms.ChoiceField(
        choices=Project.Kind.choices,
        initial=Project.Kind.NEW,
        required=False,
        widget=forms.RadioSelect,
        label="What will you publish?",
        help_text="A new framework is built from the evidence and the panel's cards. A local "
        "adaptation starts from the wording of a published framework, which your team "
        "rewords, adds to or takes from, and agrees in drafting rounds.",
    )
    base_framework = BaseFrameworkField(
        queryset=StoredFramework.objects.none(),
        required=False,
        empty_label="(none: a new framework)",
        label="The framework version a local adaptation starts from",
        help_text="Choose one when you publish a local adaptation: its values, principles, "
        "aspects and themes become your drafts. Leave it at “none” for a new framework.",
    )
    language = forms.CharField(
        required=False,
        max_length=20,
        label="For a translation: the language of its wording",
        help_text="Only to translate the base framework: a language code such as cy (Welsh) "
        "or pl (Polish). The panel then agrees the translated wording in drafting rounds, and "
        "it is published as the base framework's translation. Leave it empty to reword in the "
        "base framework's own language.",
    )
    framework_key = forms.CharField(
        required=False,
        max_length=80,
        label="Key the framework will be published under",
        help_text="Lowercase letters, digits and hyphens, for example our-principles. Leave "
        "it empty to have one made from the project's name.",
    )

    def clean_kind(self) -> str:
        """A new framework unless an adaptation is chosen."""
        return self.cleaned_data.get("kind") or Project.Kind.NEW

    def __init__(self, *args: Any, frameworks: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if frameworks is not None:
            self.fields["base_framework"].queryset = frameworks  # type: ignore[attr-defined]


class SettingsForm(ProjectForm):
    """The settings and the stage, carrying the version they were opened at."""

    stage = forms.ChoiceField(
        choices=[(guide.stage, guide.label) for guide in STAGES],
        widget=forms.RadioSelect,
        label="Stage",
        help_text="Move the project forward when its members are ready, or back if something "
        "needs doing again. Each move is kept in the audit trail.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    field_order = ["stage", "name", "framing_question", "description", "cards_per_member"]

    @staticmethod
    def fields_of(project: Project) -> dict[str, Any]:
        """The form's starting values for ``project``."""
        return {
            "name": project.name,
            "framing_question": project.framing_question,
            "description": project.description,
            "cards_per_member": project.cards_per_member,
            "stage": project.stage,
            "version": project.version,
        }


class MembershipForm(ProblemsMixin, forms.Form):
    """What the facilitator decides about a member: account, role, decisions, group."""

    username = forms.CharField(
        required=False,
        max_length=150,
        label="User name of their account",
        help_text="Leave it empty for someone taking part on paper, without an account.",
    )
    role = forms.ChoiceField(choices=Member.Role.choices, initial=Member.Role.PANEL, label="Role")
    decides = forms.BooleanField(
        required=False,
        label="Takes part in the project's decisions",
        help_text="People who decide agree each stage's outcome with the facilitator.",
    )
    group = forms.CharField(
        required=False,
        max_length=GROUP_LENGTH,
        label="Group",
        help_text="The group results are compared by, for example peer worker, person who "
        "uses services, carer or researcher. Never a name or a diagnosis.",
    )


class AddMemberForm(MembershipForm):
    """A new member, by code."""

    prefix = "member"
    code = forms.CharField(
        max_length=CODE_LENGTH, label="Code", help_text=CODE_HELP, error_messages=CODE_REQUIRED
    )
    field_order = ["code", "username", "role", "decides", "group"]


class EditMemberForm(MembershipForm):
    """A change to a member, carrying the version it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @staticmethod
    def fields_of(member: Member) -> dict[str, Any]:
        """The form's starting values for ``member``."""
        return {
            "username": member.user.get_username() if member.user else "",
            "role": member.role,
            "decides": member.decides,
            "group": member.group,
            "version": member.version,
        }


class RemoveMemberForm(forms.Form):
    """Taking a member out, at the version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PerspectiveForm(ProblemsMixin, forms.Form):
    """A member's own words about what they bring, and whether they say they bring lived
    experience."""

    perspective = forms.CharField(
        required=False,
        max_length=PERSPECTIVE_LENGTH,
        label="The perspective you bring",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In your own words — never a diagnosis. For example: I have used crisis "
        "services and now volunteer with a peer support group. Every member of the project "
        "sees this.",
    )
    lived_experience = forms.ChoiceField(
        required=False,
        choices=[("yes", "Yes"), ("no", "No"), ("", "Prefer not to say")],
        widget=forms.RadioSelect,
        label="Do you bring lived experience of mental distress or of using mental health "
        "services?",
        help_text="If you say yes, members see that you bring lived experience, and the "
        "overview shows it among the people who lead the project. Nothing more is asked.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
