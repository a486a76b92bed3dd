"""Forms of the literature review's pages; the services check the rest (keys, DOIs, years)."""

from __future__ import annotations

from typing import Any

from django import forms

from peerprinciples.web.coproduction.models import Category, Project, Source
from peerprinciples.web.evaluations.forms import ProblemsMixin

KEY_HINT = (
    "Leave it empty to have one made for you. It never changes once given: a later import "
    "of the same review matches items by their key."
)


class SourceForm(ProblemsMixin, forms.Form):
    """A source's reference, kind, year and DOI."""

    citation = forms.CharField(
        label="Reference",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="As you would cite it: authors, year, title, where it was published.",
    )
    kind = forms.ChoiceField(
        choices=Source.Kind.choices,
        initial=Source.Kind.PEER_REVIEWED,
        widget=forms.RadioSelect,
        label="Kind of source",
        help_text="Grey literature is anything not published through peer review: reports, "
        "guidance, theses, web pages.",
    )
    year = forms.IntegerField(
        required=False,
        label="Year published",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    doi = forms.CharField(
        required=False,
        max_length=300,
        label="DOI",
        help_text="For example 10.1108/MHSI-03-2017-0016 (a doi.org link works too).",
    )


class NewSourceForm(SourceForm):
    """A source added by hand, with the key it may be given."""

    prefix = "source"
    key = forms.CharField(required=False, max_length=100, label="Key", help_text=KEY_HINT)


class EditSourceForm(SourceForm):
    """A change to a source, carrying the version it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CategoryForm(ProblemsMixin, forms.Form):
    """A category's name and what it gathers."""

    label = forms.CharField(max_length=300, label="Name of the category")
    description = forms.CharField(
        required=False,
        label="What it gathers",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NewCategoryForm(CategoryForm):
    prefix = "category"
    key = forms.CharField(required=False, max_length=100, label="Key", help_text=KEY_HINT)


class EditCategoryForm(CategoryForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CodeForm(ProblemsMixin, forms.Form):
    """A code's name, its definition and the category it is in."""

    label = forms.CharField(max_length=300, label="Name of the code")
    definition = forms.CharField(
        required=False,
        label="Definition",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="When to apply the code, so that two coders apply it alike.",
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        required=False,
        label="Category",
        empty_label="No category",
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["category"]
        field.queryset = Category.objects.filter(project=project).order_by("label", "pk")


class NewCodeForm(CodeForm):
    prefix = "code"
    key = forms.CharField(required=False, max_length=100, label="Key", help_text=KEY_HINT)


class EditCodeForm(CodeForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ImportForm(forms.Form):
    """The file (or the two CSV files) to check before importing."""

    file = forms.FileField(
        label="File to import",
        help_text="A REFI-QDA project (.qdpx) or codebook (.qdc) exported from a QDA package, "
        "or the codebook file of the CSV layout (.csv).",
    )
    sources_file = forms.FileField(
        required=False,
        label="Coded sources (CSV layout only)",
        help_text="With a CSV codebook: the file listing each source and the codes it was "
        "given. Leave it empty to import the codebook alone.",
    )
