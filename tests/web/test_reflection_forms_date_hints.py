"""The example dates in the reflection forms' hints: always counted from today."""

from __future__ import annotations

import datetime as dt

import pytest

from peerprinciples.web.reflection.forms import cycles as cycle_forms
from peerprinciples.web.reflection.forms.actions import NewActionForm
from peerprinciples.web.reflection.forms.cycles import FinishForm, ParticipantsForm


@pytest.fixture(name="today")
def today_fixture(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """A fixed today, as the hints see it."""
    day = dt.date(2031, 3, 5)
    monkeypatch.setattr(cycle_forms.timezone, "localdate", lambda: day)
    return day


def test_the_by_when_hint_of_an_action_gives_a_date_three_months_ahead(today: dt.date) -> None:
    form = NewActionForm(principles=[])
    assert str(form["due"].help_text) == (
        "For example 2031-06-04, three months from today. Leave it empty if there is no date."
    )


def test_a_mistyped_meeting_date_is_explained_with_todays_date(today: dt.date) -> None:
    form = ParticipantsForm({"taking_part-met_on": "last Tuesday", "taking_part-version": "1"})
    assert not form.is_valid()
    assert form.errors["met_on"] == ["Give a date such as 2031-03-05."]


def test_a_mistyped_reply_date_is_explained_with_a_date_two_weeks_ahead(today: dt.date) -> None:
    form = FinishForm({"finish-replies_until": "soon"})
    assert not form.is_valid()
    assert form.errors["replies_until"] == ["Give a date such as 2031-03-19."]


def test_the_example_moves_on_with_the_days(monkeypatch: pytest.MonkeyPatch) -> None:
    form = NewActionForm(principles=[])
    monkeypatch.setattr(cycle_forms.timezone, "localdate", lambda: dt.date(2031, 1, 1))
    first = str(form["due"].help_text)
    monkeypatch.setattr(cycle_forms.timezone, "localdate", lambda: dt.date(2032, 1, 1))
    assert str(form["due"].help_text) != first
