"""Checking RCMap's Statements and SortedCards files: the cards, and the sorters' piles."""

from __future__ import annotations

from collections.abc import Mapping

from peerprinciples.core.coproduction.cardsort import Pile, Sort
from peerprinciples.core.coproduction.csv_text import Row, column_name, named_column
from peerprinciples.core.coproduction.rcmap.checks import FileCheck
from peerprinciples.core.coproduction.rcmap.project import STATEMENTS, whole_number

_HEADER_WORDS = frozenset({"sorterid", "sorter", "raterid", "userid", "id", "participant"})
"""First cells that mark a row of SortedCards as a header someone added."""


def check_statements(check: FileCheck) -> tuple[dict[str, str], dict[str, str]]:
    """The statements (id as written -> text) and, for each statement number in canonical
    form (see :func:`whole_number`), the id as written."""
    texts: dict[str, str] = {}
    index: dict[str, str] = {}
    expected = "StatementID,Statement"
    rows = check.rows()
    if not rows:
        if rows is not None:
            check.add(
                "the file has no statements.",
                f"write a header row {expected} and one row per statement.",
            )
        return texts, index
    header = check.header(rows, expected, 2, numbered=0)
    if header is None:
        return texts, index
    id_column = named_column(header.cell(0))
    text_column = named_column(header.cell(1))
    first_row: dict[str, int] = {}
    for row in rows[1:]:
        if check.too_long(
            row,
            2,
            "put a statement that contains commas in double quotes "
            "(a spreadsheet does this when it saves as CSV).",
        ):
            continue
        sid, text = row.cell(0), row.cell(1)
        number = whole_number(sid)
        if not sid:
            check.add(
                "the statement has no id.",
                "give it a number that no other statement has.",
                row.number,
                id_column,
            )
        elif number is None:
            check.add(
                f"the statement id '{sid}' is not a whole number.",
                "RCMap numbers statements 1, 2, 3 …: give it a whole number, and use "
                "that number in SortedCards.csv and Ratings.csv.",
                row.number,
                id_column,
            )
        elif number in first_row:
            check.add(
                f"the statement id {sid} is used already, on row {first_row[number]}.",
                "give each statement its own number.",
                row.number,
                id_column,
            )
        else:
            first_row[number] = row.number
            index[number] = sid
            texts[sid] = text
        if sid and not text:
            check.add(
                f"the statement {sid} has no text.",
                "write the statement, or delete the row (and its card from every pile and rating).",
                row.number,
                text_column,
            )
    if not first_row and len(rows) == 1:
        check.add(
            "the file has no statements, only a header.",
            "write one row per statement under the header.",
        )
    return texts, index


def check_sorts(check: FileCheck, index: Mapping[str, str]) -> tuple[Sort, ...]:
    """Every sorter's piles, sorters in the order they first appear.

    ``index`` maps statement numbers to ids (from :func:`check_statements`); when it is
    empty (the Statements file could not be read) cards are not looked up.
    """
    rows = check.rows()
    if not rows:
        if rows is not None:
            check.add(
                "the file has no piles.",
                "write one row per pile: sorter id, pile label, then its card numbers.",
            )
        return ()
    if _looks_like_header(rows[0]):
        check.add(
            "the first row looks like a header, but SortedCards.csv has none: every row is a pile.",
            "delete the first row.",
            rows[0].number,
        )
        rows = rows[1:]
    piles: dict[str, list[Pile]] = {}
    placed: dict[tuple[str, str], int] = {}
    for row in rows:
        sorter = row.cell(0)
        if not sorter:
            check.add(
                "the pile has no sorter id.",
                "write the code of the sorter who made the pile in column 1.",
                row.number,
                column_name(0),
            )
            continue
        cards = _pile_cards(check, row, sorter, index, placed)
        if cards is not None:
            piles.setdefault(sorter, []).append(Pile(row.cell(1), cards))
    return tuple(Sort(sorter, tuple(made)) for sorter, made in piles.items())


def _looks_like_header(row: Row) -> bool:
    if row.cell(0).lower().replace(" ", "").replace("_", "") in _HEADER_WORDS:
        return True
    cards = [row.cell(i) for i in range(2, len(row.cells)) if row.cell(i)]
    return bool(cards) and all(whole_number(card) is None for card in cards)


def _pile_cards(
    check: FileCheck,
    row: Row,
    sorter: str,
    index: Mapping[str, str],
    placed: dict[tuple[str, str], int],
) -> tuple[str, ...] | None:
    """The statement ids in one pile, or ``None`` when the row lists no cards at all.

    ``placed`` holds the row on which each sorter placed each card so far.
    """
    cards: list[str] = []
    listed = False
    for position in range(2, len(row.cells)):
        card = row.cell(position)
        if not card:
            continue
        listed = True
        column = column_name(position)
        number = whole_number(card)
        if number is None:
            check.add(
                f"'{card}' is not a statement number.",
                "list the cards by their StatementID from column 3 on; the pile's "
                "label goes in column 2 (in double quotes if it has commas).",
                row.number,
                column,
            )
        elif index and number not in index:
            check.add(
                f"there is no statement {card} in {STATEMENTS}.",
                f"correct the card number, or add the statement to {STATEMENTS}.",
                row.number,
                column,
            )
        elif (sorter, number) in placed:
            earlier = placed[sorter, number]
            pile = "this pile" if earlier == row.number else f"the pile on row {earlier}"
            check.add(
                f"sorter {sorter} placed card {card} twice: it is in {pile} too.",
                "keep the card in one pile of this sorter only.",
                row.number,
                column,
            )
        else:
            placed[sorter, number] = row.number
            cards.append(index.get(number, card))
    if not listed:
        check.add(
            "the pile has no cards.",
            "list the pile's card numbers from column 3 on, or delete the row.",
            row.number,
        )
        return None
    return tuple(cards)
