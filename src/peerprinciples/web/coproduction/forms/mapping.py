"""Forms of the concept-map pages: running the analysis, choosing how many clusters to
show, and naming and merging clusters.

The forms read what is typed; the services check the rest (the solution exists, the
clusters are in it, nobody changed the map meanwhile).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from peerprinciples.core.coproduction.edits import MAX_NAME
from peerprinciples.core.coproduction.map_defaults import DEFAULT_STARTS
from peerprinciples.web.coproduction.services.mapping import MAX_SEED, MAX_STARTS


class RunForm(forms.Form):
    """Run the analysis: a new random seed unless one is given, and how many starts."""

    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_SEED,
        label="Seed",
        help_text="Leave it empty for a new random seed. Give the seed of an earlier map to "
        "draw it again exactly (with the same sorts).",
    )
    starts = forms.IntegerField(
        min_value=1,
        max_value=MAX_STARTS,
        initial=DEFAULT_STARTS,
        label="Starts",
        help_text="How many times the scaling starts afresh; the best fit is kept. "
        f"{DEFAULT_STARTS} is usual.",
    )


class ShowForm(forms.Form):
    """Which earlier map and which solution to look at (a GET form: changes nothing)."""

    clusters = forms.TypedChoiceField(coerce=int, label="Number of clusters to show")

    def __init__(self, *args: Any, counts: Sequence[int], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "show_%s")
        super().__init__(*args, **kwargs)
        field: Any = self.fields["clusters"]
        field.choices = [(k, str(k)) for k in counts]


class VersionedForm(forms.Form):
    """A change to a map, carrying the version the page was drawn from.

    Several of these forms share a page, so each kind names its fields' ids after itself.
    """

    id_prefix = "map"
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ChooseForm(VersionedForm):
    """The facilitator's choice of the number of clusters."""

    id_prefix = "choose"

    clusters = forms.TypedChoiceField(coerce=int, label="Number of clusters")

    def __init__(self, *args: Any, counts: Sequence[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["clusters"]
        field.choices = [(k, str(k)) for k in counts]


def _region_choices(regions: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    return [(number, f"{number}. {name}") for number, name in regions]


class RenameForm(VersionedForm):
    """A new name for one cluster (or merged clusters) of the chosen solution."""

    id_prefix = "rename"

    cluster = forms.TypedChoiceField(coerce=int, label="Cluster")
    name = forms.CharField(max_length=MAX_NAME, label="New name")

    def __init__(self, *args: Any, regions: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["cluster"]
        field.choices = _region_choices(regions)


class MergeForm(VersionedForm):
    """Two clusters of the chosen solution to show as one, and its name."""

    id_prefix = "merge"

    first = forms.TypedChoiceField(coerce=int, label="Merge this cluster")
    second = forms.TypedChoiceField(coerce=int, label="with this one")
    name = forms.CharField(
        max_length=MAX_NAME,
        required=False,
        label="Name of the merged cluster",
        help_text="Leave it empty to keep the name of the lower-numbered cluster.",
    )

    def __init__(self, *args: Any, regions: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            field: Any = self.fields[name]
            field.choices = _region_choices(regions)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") is not None and data.get("first") == data.get("second"):
            self.add_error("second", "Choose two different clusters to merge.")
        return data
