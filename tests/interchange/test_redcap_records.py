"""REDCap: records exports as ratings, and the commands from dictionary to ratings."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import pandas as pd
import pytest

from peerprinciples.cli.interchange import register
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange.codebook import code_values
from peerprinciples.core.interchange.redcap import (
    read_data_dictionary,
    read_redcap_records,
    record_layout,
    redcap_ratings,
    write_data_dictionary,
)
from peerprinciples.core.library import Library
from peerprinciples.core.ratings import RatingsError, RatingsTable, read_ratings

FIXTURES = Path(__file__).parent / "fixtures"


# --- records ----------------------------------------------------------------------------------


def write_records(frame: pd.DataFrame, instrument: Instrument, path: Path) -> Path:
    """A records export as REDCap writes it for a project made from our dictionary.

    Every form is a repeating instrument (several raters, several people supported); each
    instance holds one interview by one rater.
    """
    layout = record_layout(instrument)
    values = code_values(instrument)
    header = ["record_id", "redcap_event_name", "redcap_repeat_instrument"]
    header += ["redcap_repeat_instance", "redcap_data_access_group"]
    for form in layout.forms:
        header += [str(form.interview), str(form.rater), str(form.date), *form.items]
        header += [*form.domain_scores.values(), str(form.total), str(form.notes)]
        header.append(f"{form.form}_complete")
    rows = []
    for (interview, rater), group in frame.groupby(["interview", "rater"], sort=False):
        first = group.iloc[0]
        form = layout.form(first["informant"])
        row = dict.fromkeys(header, "")
        row.update(
            {
                "record_id": first["peer_worker"],
                "redcap_event_name": f"round_{first['round']}_arm_1",
                "redcap_repeat_instrument": form.form,
                "redcap_repeat_instance": str(len(rows) + 1),
                "redcap_data_access_group": str(first["service"]).lower(),
                str(form.interview): interview,
                str(form.rater): rater,
                str(form.date): first["date"] if isinstance(first["date"], str) else "",
                f"{form.form}_complete": "2",
            }
        )
        by_item = {key: name for name, key in form.items.items()}
        for item, rating in zip(group["item"], group["rating"], strict=True):
            text = str(rating)
            row[by_item[item]] = str(values[text]) if text in values else text
        rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _ratings(table: RatingsTable) -> list[tuple[str, ...]]:
    data = table.data[["interview", "item", "rater", "rating", "code"]].astype(str)
    return sorted(map(tuple, data.to_numpy().tolist()))


def test_records_read_back_as_the_ratings_they_were_made_from(
    example: Instrument, demo: pd.DataFrame, tmp_path: Path
) -> None:
    path = write_records(demo, example, tmp_path / "records.csv")

    table = redcap_ratings(path, example)

    source = read_ratings(demo, example)
    assert _ratings(table) == _ratings(source)
    assert table.columns == ("service", "peer_worker", "round", "date")
    first = table.data.iloc[0]
    assert (first["service"], first["round"]) == ("s01", "round_1")


def test_records_read_through_an_imported_dictionary(small: Instrument, tmp_path: Path) -> None:
    frame = pd.read_csv(FIXTURES / "small_ratings.csv", dtype=str, keep_default_na=False)
    records = write_records(frame, small, tmp_path / "records.csv")
    imported = read_data_dictionary(write_data_dictionary(small, tmp_path / "dd.csv"))

    table = redcap_ratings(records, small, imported)

    assert _ratings(table) == _ratings(read_ratings(FIXTURES / "small_ratings.csv", small))


def _simple_records(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "records.csv"
    path.write_text(
        "record_id,redcap_event_name,redcap_data_access_group,pw_interview,pw_rater,pw_trust_1,"
        "pw_to,pw_power_1,peer_worker_complete\n" + body,
        encoding="utf-8",
    )
    return path


def test_records_map_record_event_and_group_to_peer_worker_round_and_service(
    small: Instrument, tmp_path: Path
) -> None:
    path = _simple_records(tmp_path, "PW1,baseline_arm_1,site_a,,,4,-8,2,2\n")

    frame = read_redcap_records(path, small)

    assert frame.to_dict("records") == [
        {
            "interview": "PW1/baseline/peer_worker",
            "informant": "peer_worker",
            "item": item,
            "rating": rating,
            "rater": "redcap",
            "peer_worker": "PW1",
            "service": "site_a",
            "round": "baseline",
        }
        for item, rating in (("trust-1", "4"), ("to", "NA"), ("power-1", "2"))
    ]


def test_a_value_that_is_no_choice_is_reported_with_its_row_and_field(
    small: Instrument, tmp_path: Path
) -> None:
    path = _simple_records(tmp_path, "PW1,,,I1,R1,4,3,2,2\nPW2,,,I2,R1,7,3,Fully,2\n")

    with pytest.raises(RatingsError) as caught:
        read_redcap_records(path, small)

    problems = {p.path[0]: p for p in caught.value.problems}
    assert sorted((p.line, field) for field, p in problems.items()) == [
        (3, "pw_power_1"),
        (3, "pw_trust_1"),
    ]
    trust = str(problems["pw_trust_1"])
    assert "'7' is not a choice of the field 'pw_trust_1' (item 'trust-1')" in trust
    assert "1 to 5, or the codes -8 (NA), -99 (II), -9 (DK)" in trust
    assert "raw data (codes), not labels" in problems["pw_power_1"].fix


def test_only_complete_forms_are_read_when_asked(small: Instrument, tmp_path: Path) -> None:
    path = _simple_records(tmp_path, "PW1,,,I1,R1,4,3,2,2\nPW2,,,I2,R1,5,3,1,0\n")

    everything = read_redcap_records(path, small)
    complete = read_redcap_records(path, small, only_complete=True)

    assert set(everything["interview"]) == {"I1", "I2"}
    assert set(complete["interview"]) == {"I1"}
    assert complete.attrs["skipped_incomplete"] == 1


def test_an_export_without_the_item_fields_is_refused_with_a_fix(
    small: Instrument, tmp_path: Path
) -> None:
    path = tmp_path / "records.csv"
    path.write_text("record_id,age\n1,30\n", encoding="utf-8")

    with pytest.raises(RatingsError, match="none of the item fields") as caught:
        read_redcap_records(path, small)

    assert "raw data" in caught.value.problems[0].fix


# --- commands ---------------------------------------------------------------------------------


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    return int(args.handler(args, Library()))


def test_the_redcap_commands_make_a_dictionary_a_draft_and_ratings(
    example: Instrument, demo: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dictionary = tmp_path / "dictionary.csv"
    draft = tmp_path / "draft.yaml"
    ratings = tmp_path / "ratings.csv"
    records = write_records(demo, example, tmp_path / "records.csv")

    assert _run("redcap", "dictionary", "enrich-example-index", "--out", str(dictionary)) == 0
    assert _run("redcap", "import-dictionary", str(dictionary), "--out", str(draft)) == 0
    assert (
        _run(
            "redcap",
            "import-records",
            str(records),
            "--instrument",
            str(draft),
            "--out",
            str(ratings),
        )
        == 0
    )

    assert Library().check_file(draft).raise_for_problems() == example
    assert _ratings(read_ratings(ratings, example)) == _ratings(read_ratings(demo, example))
    err = capsys.readouterr().err
    assert "Read with the records or recomputed, not items: record_id, pw_interview" in err
    assert "not mapped" not in err
