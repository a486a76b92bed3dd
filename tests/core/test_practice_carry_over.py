"""A matrix brought to another framework version: every written cell is kept."""

from __future__ import annotations

import pytest

from peerprinciples.core.frameworks import Framework, Principle
from peerprinciples.core.library import Library
from peerprinciples.core.practice.carry_over import MoveError, carry_over
from peerprinciples.core.practice.matrix import Area, Cell, Level, Matrix


@pytest.fixture(scope="module")
def enrich() -> Framework:
    return Library().framework("enrich@2017")


def _next(old: Framework, *, drop: str = "", rename: str = "", add: bool = False) -> Framework:
    """The next version: one principle renamed, one dropped, one new principle."""
    principles = []
    for principle in old.principles:
        if principle.key == drop:
            continue
        if principle.key == rename:
            principle = principle.model_copy(update={"title": "Learning from each other"})
        principles.append(principle)
    if add:
        principles.append(
            Principle(key="hope", title="Hope", definition="Peer workers hold hope with people.")
        )
    return old.model_copy(update={"version": "2026", "principles": principles})


def _matrix(framework: Framework) -> Matrix:
    """A cell for every principle in two areas, plus one left empty."""
    areas = [
        Area(key="recruitment", title="Recruitment", level=Level.ORGANISATION),
        Area(key="supervision", title="Supervision", level=Level.INDIVIDUAL),
    ]
    cells = [
        Cell(area=area.key, principle=p.key, text=f"{p.title} in {area.title}")
        for area in areas
        for p in framework.principles
    ]
    cells.append(Cell(area="recruitment", principle="orphan-empty"))
    return Matrix(programme="P", framework=framework.ref, areas=areas, cells=cells)


def test_a_renamed_principle_keeps_every_cell_and_says_its_name_changed(
    enrich: Framework,
) -> None:
    matrix = _matrix(enrich)
    plan = carry_over(matrix, enrich, _next(enrich, rename="mutuality"))
    assert [c.key for c in plan.reworded] == ["mutuality"]
    [renamed] = plan.reworded
    assert renamed.changed == ("title",)
    assert renamed.changed_words == ["name"]
    assert renamed.old is not None
    assert renamed.new is not None
    assert (renamed.old.title, renamed.new.title) == (
        "Mutuality and reciprocity",
        "Learning from each other",
    )
    assert len(renamed.cells) == 2
    assert len(plan.kept) == len(enrich.principles) - 1
    assert plan.apart == []
    assert plan.added == []
    assert plan.conflicts == []
    assert plan.cell_count() == 2 * len(enrich.principles)


def test_a_reworded_definition_and_aspects_are_named(enrich: Framework) -> None:
    principles = [
        p.model_copy(update={"definition": "New words.", "aspects": ["One"]})
        if p.key == "relationships"
        else p
        for p in enrich.principles
    ]
    new = enrich.model_copy(update={"version": "2026", "principles": principles})
    [reworded] = carry_over(_matrix(enrich), enrich, new).reworded
    assert reworded.changed == ("definition", "aspects")


def test_a_removed_principle_keeps_its_cells_apart_and_a_new_one_starts_empty(
    enrich: Framework,
) -> None:
    new = _next(enrich, drop="strengths-connections", add=True)
    plan = carry_over(_matrix(enrich), enrich, new)
    [apart] = plan.apart
    assert apart.key == "strengths-connections"
    assert apart.target is None
    assert [c.area for c in apart.cells] == ["recruitment", "supervision"]
    assert [p.key for p in plan.added] == ["hope"]
    assert plan.cell_count() == 2 * len(enrich.principles)


def test_a_chosen_move_takes_the_cells_to_the_new_principle(enrich: Framework) -> None:
    new = _next(enrich, drop="strengths-connections", add=True)
    plan = carry_over(_matrix(enrich), enrich, new, moves={"strengths-connections": "hope"})
    [moved] = plan.moved
    assert (moved.key, moved.target) == ("strengths-connections", "hope")
    assert plan.moves == {"strengths-connections": "hope"}
    assert plan.conflicts == []


def test_a_move_onto_a_written_cell_is_a_conflict_naming_it(enrich: Framework) -> None:
    new = _next(enrich, drop="strengths-connections")
    plan = carry_over(
        _matrix(enrich), enrich, new, moves={"strengths-connections": "relationships"}
    )
    assert [(c.area, c.source, c.target) for c in plan.conflicts] == [
        ("recruitment", "strengths-connections", "relationships"),
        ("supervision", "strengths-connections", "relationships"),
    ]
    assert "already has something written" in str(plan.conflicts[0])


def test_cells_kept_apart_earlier_are_still_listed(enrich: Framework) -> None:
    matrix = _matrix(enrich)
    matrix.cells.append(Cell(area="supervision", principle="old-local", text="Kept apart"))
    plan = carry_over(matrix, enrich, _next(enrich))
    [apart] = plan.apart
    assert apart.key == "old-local"
    assert apart.old is None
    assert apart.title == "old-local"


@pytest.mark.parametrize(
    ("moves", "says"),
    [
        ({"nothing-here": "hope"}, "There is no principle 'nothing-here'"),
        ({"mutuality": "hope"}, "is still in enrich@2026"),
        ({"strengths-connections": "nowhere"}, "has no such principle"),
    ],
)
def test_a_move_that_cannot_be_made_is_refused_with_a_reason(
    enrich: Framework, moves: dict[str, str], says: str
) -> None:
    new = _next(enrich, drop="strengths-connections", add=True)
    with pytest.raises(MoveError, match=says):
        carry_over(_matrix(enrich), enrich, new, moves=moves)
