"""The word-level difference between a statement's wordings in two rounds."""

from __future__ import annotations

import itertools

import pytest

from peerprinciples.core.coproduction.word_diff import (
    Segment,
    as_text,
    new_text,
    old_text,
    tokens,
    word_counts,
    word_diff,
)

WORDINGS = [
    "",
    " ",
    "Peer workers share their lived experience.",
    "Peer workers share their own lived experience when it helps.",
    "Peer workers share their lived experience!",
    "Peer workers share their lived experience",
    "Peer  workers\tshare their lived\nexperience.",
    "Support is offered between equals; power is shared.",
    "Support is offered as between equals, and power is shared.",
    "Die Unterstützung erfolgt auf Augenhöhe – Macht wird geteilt.",
    "Die Unterstützung erfolgt auf Augenhöhe — Macht wird geteilt…",
    "La personne soutenue choisit le soutien.",
    "La personne soutenue choisit le soutien. 🙂",
    "ピアサポートは対等な関係です。",
    "ピアサポートは対等な関係である。",
    "Cafe\u0301 and café are spelt two ways.",
    "...",
    "?!",
    "a b a b a b",
    "b a b a b a",
]


@pytest.mark.parametrize(("old", "new"), list(itertools.product(WORDINGS, repeat=2)))
def test_the_segments_give_back_both_wordings_exactly(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert new_text(segments) == new
    assert old_text(segments) == old
    assert all(segment.text for segment in segments)
    # no two neighbours of one kind: they would have been merged
    assert all(a.kind != b.kind for a, b in itertools.pairwise(segments))


def test_tokens_cover_every_character() -> None:
    text = "Peers, not\u00a0patients: 2 ways\u0301!"
    assert "".join(tokens(text)) == text
    assert tokens("Peer-led, 10 ways.") == ["Peer", "-", "led", ",", " ", "10", " ", "ways", "."]


def test_an_added_word_is_shown_as_added() -> None:
    segments = word_diff("Peers share power.", "Peers share some power.")
    assert segments == [
        Segment("same", "Peers share "),
        Segment("added", "some "),
        Segment("same", "power."),
    ]
    assert as_text(segments) == "Peers share {+some +}power."
    counts = word_counts(segments)
    assert (counts.added, counts.removed) == (1, 0)


def test_a_replaced_word_is_removed_then_added() -> None:
    segments = word_diff("Peer workers are equals.", "Peer supporters are equals.")
    assert as_text(segments) == "Peer [-workers-]{+supporters+} are equals."
    counts = word_counts(segments)
    assert (counts.added, counts.removed) == (1, 1)


def test_a_punctuation_only_change_changes_no_word() -> None:
    segments = word_diff("Power is shared.", "Power is shared!")
    assert as_text(segments) == "Power is shared[-.-]{+!+}"
    counts = word_counts(segments)
    assert (counts.added, counts.removed) == (0, 0)


def test_a_change_of_accent_is_a_changed_word() -> None:
    segments = word_diff("Le soutien est deja la.", "Le soutien est déjà là.")
    # the space between the two words is the same in both, as git diff --word-diff shows it
    assert as_text(segments) == "Le soutien est [-deja-]{+déjà+} [-la-]{+là+}."
    counts = word_counts(segments)
    assert (counts.added, counts.removed) == (2, 2)


def test_empty_wordings() -> None:
    assert word_diff("", "") == []
    assert word_diff("", "New principle.") == [Segment("added", "New principle.")]
    assert word_diff("Old principle.", "") == [Segment("removed", "Old principle.")]
    assert as_text(word_diff("Old principle.", "")) == "[-Old principle.-]"
    counts = word_counts(word_diff("", "Brand new principle."))
    assert (counts.added, counts.removed) == (3, 0)


def test_the_same_wording_is_one_same_segment() -> None:
    text = "Peer workers draw on their own experience."
    assert word_diff(text, text) == [Segment("same", text)]
    assert as_text(word_diff(text, text)) == text
