"""REDCap: an instrument as a data dictionary, its calculated scores, and back again."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange.codebook import code_values
from peerprinciples.core.interchange.redcap import (
    DICTIONARY_COLUMNS,
    data_dictionary,
    read_data_dictionary,
    record_layout,
    write_data_dictionary,
)
from peerprinciples.core.ratings import RatingsTable, read_ratings
from peerprinciples.core.scoring import score

FIXTURES = Path(__file__).parent / "fixtures"


# --- writing the dictionary -------------------------------------------------------------------


def test_the_dictionary_has_redcaps_18_columns_and_the_record_id_first(
    example: Instrument,
) -> None:
    frame = data_dictionary(example)

    assert list(frame.columns) == list(DICTIONARY_COLUMNS)
    assert len(DICTIONARY_COLUMNS) == 18
    assert frame.iloc[0]["Variable / Field Name"] == "record_id"
    assert frame["Variable / Field Name"].is_unique
    assert frame["Variable / Field Name"].str.fullmatch(r"[a-z][a-z0-9_]*").all()


def test_each_informant_has_a_form_and_each_item_a_radio_field(small: Instrument) -> None:
    frame = data_dictionary(small).set_index("Variable / Field Name")

    assert list(dict.fromkeys(frame["Form Name"])) == ["peer_worker", "supervisor"]
    field = frame.loc["pw_trust_1"]
    assert field["Field Type"] == "radio"
    assert field["Form Name"] == "peer_worker"
    assert field["Field Label"] == "How safe does the person feel with you?"
    assert field["Section Header"] == "Trust and safety"
    assert field["Choices, Calculations, OR Slider Labels"] == (
        '1, The person does not feel safe. | 2, Safety comes and goes, "mostly" not. | '
        "3, Safe at some times, not at others. | 4, Safe at most times, with an exception or "
        "two. | 5, Safe, always, and says so. | -8, Not applicable | "
        "-99, Insufficient information | -9, Don't know / unsure"
    )
    assert field["Field Note"] == "What tells you so?\n=1+1, a prompt that looks like a formula"
    assert field["Required Field?"] == "y"
    # the scale's own labels where an item has no anchors of its own
    choices = frame["Choices, Calculations, OR Slider Labels"]
    assert choices["sup_power_1_2"].startswith("1, Not present | 2, Now and then")
    assert choices["sup_power_1"].startswith("0, Not at all | 1, Partly | 2, Fully | -8,")
    assert frame.loc["pw_power_1", "Required Field?"] == ""  # optional item
    assert "pw_power_1_2" not in frame.index  # 'power_1' is asked of the supervisor only
    assert frame.loc["sup_power_1_2", "Field Label"] == "How much say does the person have?"
    assert frame.loc["pw_dom_trust_and_safety", "Field Type"] == "calc"
    assert frame.loc["pw_date", "Text Validation Type OR Show Slider Number"] == "date_ymd"


def test_the_dictionary_file_is_utf8_csv_that_reads_back_unchanged(
    small: Instrument, tmp_path: Path
) -> None:
    path = write_data_dictionary(small, tmp_path / "dictionary.csv")

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))

    assert rows[0] == list(DICTIONARY_COLUMNS)
    assert rows[1:] == data_dictionary(small).to_numpy().tolist()


# --- calculated fields ------------------------------------------------------------------------


def redcap_calc(expression: str, values: Mapping[str, float]) -> float:
    """Evaluate a REDCap calculation the way REDCap documents it.

    A field's value is its code; a blank field or "" is blank; comparisons with a blank are
    false; ``sum()`` and ``mean()`` skip blanks (``mean()`` of nothing is blank).
    """
    python = re.sub(r'\[(\w+)\] <> ""', r'not_blank("\1")', expression)
    python = re.sub(r"\[(\w+)\]", r'v("\1")', python)
    python = re.sub(r'"(-?\d+)"', r"\1", python)
    python = python.replace('""', "BLANK").replace("<>", "!=")
    python = re.sub(r"(?<![<>!=])=(?!=)", "==", python)
    python = re.sub(r"\bif\(", "when(", python)

    def kept(args: tuple[float, ...]) -> list[float]:
        return [a for a in args if not math.isnan(a)]

    names = {
        "when": lambda condition, yes, no: yes if condition else no,
        "sum": lambda *args: float(sum(kept(args))),
        "mean": lambda *args: float(np.mean(kept(args))) if kept(args) else math.nan,
        "v": lambda name: values.get(name, math.nan),
        "not_blank": lambda name: not math.isnan(values.get(name, math.nan)),
        "BLANK": math.nan,
    }
    return float(eval(python, {"__builtins__": {}}, names))


def _check_calculations(table: RatingsTable) -> int:
    """Compare REDCap's calculated scores with peerprinciples' for every rater's own ratings."""
    instrument = table.instrument
    dictionary = data_dictionary(instrument).set_index("Variable / Field Name")
    calcs = dictionary["Choices, Calculations, OR Slider Labels"]
    layout = record_layout(instrument)
    values = code_values(instrument)
    scores = score(table)
    domains = scores.domain_scores.set_index(["interview", "rater", "domain"])["score"]
    totals = scores.total_scores.set_index(["interview", "rater"])["score"]
    checked = 0
    for (interview, rater), rows in table.data.groupby(["interview", "rater"], observed=True):
        if rater == "consensus":
            continue
        form = layout.form(str(rows["informant"].iloc[0]))
        by_item = {key: name for name, key in form.items.items()}
        fields: dict[str, float] = {}
        for item, rating, code in zip(rows["item"], rows["rating"], rows["code"], strict=True):
            fields[by_item[item]] = float(values[code]) if isinstance(code, str) else rating
        for domain, name in form.domain_scores.items():
            fields[name] = redcap_calc(calcs[name], fields)
            expected = domains.get((interview, rater, domain), math.nan)
            assert fields[name] == pytest.approx(expected, nan_ok=True), (interview, domain)
            checked += 1
        assert form.total
        got = redcap_calc(calcs[form.total], fields)
        assert got == pytest.approx(totals[(interview, rater)], nan_ok=True), interview
    return checked


def test_redcaps_domain_and_total_scores_follow_the_scoring_rules(
    example: Instrument, demo: pd.DataFrame
) -> None:
    checked = _check_calculations(read_ratings(demo, example))

    assert checked > 100


def test_redcaps_scores_count_answered_codes_and_reverse_keyed_items(small: Instrument) -> None:
    table = read_ratings(FIXTURES / "small_ratings.csv", small)

    assert _check_calculations(table) >= 8


def test_a_special_code_never_enters_redcaps_mean(small: Instrument) -> None:
    calc = (
        data_dictionary(small)
        .set_index("Variable / Field Name")
        .loc["pw_dom_trust_and_safety", "Choices, Calculations, OR Slider Labels"]
    )

    assert redcap_calc(calc, {"pw_trust_1": 4, "pw_to": -8}) == 4.0
    assert redcap_calc(calc, {"pw_trust_1": 4, "pw_to": 1}) == 4.5  # 'to' reversed: 6 - 1
    assert math.isnan(redcap_calc(calc, {"pw_trust_1": -8, "pw_to": -99}))


# --- the round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["example", "small"])
def test_instrument_to_dictionary_and_back_keeps_everything(
    which: str, example: Instrument, small: Instrument, tmp_path: Path
) -> None:
    instrument = example if which == "example" else small
    path = write_data_dictionary(instrument, tmp_path / "dictionary.csv")

    result = read_data_dictionary(path)

    assert result.problems == ()
    assert result.instrument == instrument
    assert result.not_mapped == ()
    kept = {p.field_name for p in result.record_fields}
    assert kept == {
        name
        for name in data_dictionary(instrument)["Variable / Field Name"]
        if not any(name in form.items for form in record_layout(instrument).forms)
    }


def test_without_annotations_every_question_and_anchor_still_comes_back(
    small: Instrument, tmp_path: Path
) -> None:
    frame = data_dictionary(small)
    frame["Field Annotation"] = ""
    path = tmp_path / "plain.csv"
    frame.to_csv(path, index=False)

    result = read_data_dictionary(path, framework="enrich@2017")

    draft = result.instrument
    assert draft is not None
    assert len(draft.items) == sum(len(i.informants) for i in small.items)
    fields = {form.informant: form.items for form in record_layout(small).forms}
    for item in small.items:
        for informant, question in item.informants.items():
            name = next(f for f, key in fields[informant].items() if key == item.key)
            got = draft.item(name)
            assert got.informants[informant].question == question.question
            scale = small.scale(item.scale)
            assert [draft.anchor(got, p) for p in draft.scale(got.scale).points] == [
                small.anchor(item, p) for p in scale.points
            ]
    assert {c.value for c in draft.codes} == {-8, -99, -9}
    assert {(s.min, s.max) for s in draft.scales} == {(1, 5), (0, 2)}
    assert {d.title for d in draft.domains} == {"Trust and safety", "Shared power"}
