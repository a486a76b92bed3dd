"""Published documents as files: the YAML is accepted by the real ``framework validate`` and
``instrument validate`` commands, and ``framework diff`` shows what an adaptation changed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from peerprinciples.cli.main import main
from peerprinciples.core.coproduction.publishing import (
    AgreedPrinciple,
    AgreedTheme,
    AgreedValue,
    Draft,
    build_adaptation,
    build_framework,
)
from peerprinciples.core.coproduction.publishing_yaml import BLOCK_FROM, to_yaml
from peerprinciples.core.coproduction.starter_index import (
    CarryOverError,
    carry_over,
    starter_index,
)
from peerprinciples.core.frameworks import Adaptation, Framework
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.library import Library
from peerprinciples.core.provenance import Counts, PrincipleProvenance, Provenance

ENRICH = Library().framework("enrich@2017")
LONG = "Peer workers walk alongside people rather than leading them, at the person's own pace."


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def harbour() -> Framework:
    return build_framework(
        Draft(
            key="harbour",
            version="1",
            title="Harbour peer support principles",
            summary="Line one of the story.\nLine two.",
            values=[AgreedValue("estate", "The estate", "Home.", "local", "Harbour estate")],
            principles=[
                AgreedPrinciple(
                    "walking", "Walking alongside", LONG, ["Pace."], "local", ["estate"]
                ),
                AgreedPrinciple("sharing", "Sharing", "Sharing when it helps."),
            ],
            themes=[AgreedTheme("difference", "Difference", "Lives differ.", ["walking"])],
            provenance=Provenance(
                project="Harbour",
                synthetic=True,
                counts=Counts(members=5),
                principles={"sharing": PrincipleProvenance()},
            ),
        )
    )


def test_the_yaml_is_readable_and_reads_back_to_the_same_framework() -> None:
    framework = harbour()
    text = to_yaml(framework)
    assert text.startswith('key: harbour\nversion: "1"\ntitle: Harbour peer support principles\n')
    assert len(LONG) >= BLOCK_FROM
    assert "    definition: >-\n      Peer workers walk alongside" in text
    assert "summary: |-\n  Line one of the story.\n  Line two.\n" in text
    # Empty optional fields are left out; a principle with an empty provenance entry stays.
    assert "notice" not in text
    assert "translations" not in text
    assert "    sharing: {}\n" in text
    assert Framework.model_validate(yaml.safe_load(text)) == framework


def test_a_published_framework_passes_framework_validate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "harbour.yaml"
    path.write_text(to_yaml(harbour()), encoding="utf-8")
    code, out, err = run(capsys, "framework", "validate", str(path))
    assert (code, err) == (0, "")
    assert out == f"{path}: harbour@1 is valid (framework).\n"


def riverside() -> Adaptation:
    principles = [
        AgreedPrinciple(p.key, p.title, p.definition, p.aspects, p.scope, p.values, p.key)
        for p in ENRICH.principles
        if p.key != "strengths-connections"
    ]
    principles[0] = AgreedPrinciple(
        "relationships",
        "Trusting relationships",
        ENRICH.principles[0].definition,
        ["Warmth and time."],
        values=ENRICH.principles[0].values,
        base_key="relationships",
    )
    principles.append(
        AgreedPrinciple(
            "meeting-in-community", "Meeting people where they are", "In the places they choose."
        )
    )
    return build_adaptation(
        ENRICH,
        Draft(
            key="riverside",
            version="2",
            title="Riverside",
            values=[
                AgreedValue(v.key, v.title, v.description, v.scope, base_key=v.key)
                for v in ENRICH.values
            ],
            principles=principles,
            themes=[
                AgreedTheme(t.key, t.title, t.description, t.applies_to, t.key)
                for t in ENRICH.themes
            ],
        ),
    )


def test_an_adaptation_of_enrich_validates_and_diff_shows_its_changes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "riverside.yaml"
    path.write_text(to_yaml(riverside()), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert text.startswith('key: riverside\nversion: "2"\ntitle: Riverside\nextends: enrich@2017\n')
    code, out, err = run(capsys, "framework", "validate", str(path))
    assert (code, out, err) == (0, f"{path}: riverside@2 is valid (adaptation).\n", "")
    code, out, _ = run(capsys, "framework", "diff", "enrich@2017", str(path))
    assert code == 0
    changes = [line for line in out.splitlines() if line.startswith("  ") and line[2] != " "]
    assert changes == [
        "  removed principle 'strengths-connections': Finding strengths and building connections",
        "  renamed principle 'relationships': 'Relationships built on shared lived experience' "
        "-> 'Trusting relationships'",
        "  reworded principle 'relationships': aspects",
        "  added principle 'meeting-in-community': Meeting people where they are",
    ]


# --- instruments for the new framework ---------------------------------------------------


def test_a_starter_index_passes_instrument_validate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    framework = harbour()
    index = starter_index(framework, "harbour-starter", "0.1")
    assert [d.principles for d in index.domains] == [["walking"], ["sharing"]]
    # One item per aspect, or one from the definition where a principle has no aspects.
    assert [i.key for i in index.items] == ["walking-1", "sharing-1"]
    assert "“Sharing when it helps.”" in index.items[1].informants["supervisor"].question
    assert "not yet tested" in index.title
    assert "has not been tested" in index.description
    (tmp_path / "harbour.yaml").write_text(to_yaml(framework), encoding="utf-8")
    path = tmp_path / "starter.yaml"
    path.write_text(to_yaml(index), encoding="utf-8")
    assert Instrument.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))) == index
    code, out, err = run(capsys, "--library", str(tmp_path), "instrument", "validate", str(path))
    assert (code, err) == (0, "")
    assert "harbour-starter@0.1 is valid (instrument)" in out


def test_a_starter_index_for_enrich_has_one_item_per_aspect() -> None:
    index = starter_index(ENRICH, "enrich-starter", "1")
    assert len(index.items) == sum(len(p.aspects) for p in ENRICH.principles)  # 3+3+3+3+2 = 14
    assert len(index.items) == 14
    assert {who for i in index.items for who in i.informants} == {
        "peer_worker",
        "supervisor",
        "supported_person",
    }


def test_the_example_index_carries_over_to_an_adaptation_that_keeps_its_principles(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    kept = build_adaptation(
        ENRICH,
        Draft(
            key="gentle",
            version="1",
            title="Gentle",
            values=[
                AgreedValue(v.key, v.title, v.description, v.scope, base_key=v.key)
                for v in ENRICH.values
            ],
            principles=[
                AgreedPrinciple(
                    p.key, p.title.upper(), p.definition, p.aspects, p.scope, p.values, p.key
                )
                for p in ENRICH.principles
            ],
            themes=[
                AgreedTheme(t.key, t.title, t.description, t.applies_to, t.key)
                for t in ENRICH.themes
            ],
        ),
    )
    (tmp_path / "gentle.yaml").write_text(to_yaml(kept), encoding="utf-8")
    library = Library([tmp_path])
    gentle = library.framework("gentle@1")
    example = library.instrument("enrich-example-index@0.1")
    carried = carry_over(example, gentle, "0.2")
    assert (carried.ref, carried.framework) == ("enrich-example-index@0.2", "gentle@1")
    assert carried.items == example.items
    path = tmp_path / "carried.yaml"
    path.write_text(to_yaml(carried), encoding="utf-8")
    code, out, err = run(capsys, "--library", str(tmp_path), "instrument", "validate", str(path))
    assert (code, err) == (0, ""), err
    assert "enrich-example-index@0.2 is valid (instrument)" in out


def test_carrying_over_to_a_framework_without_the_principles_names_the_domains() -> None:
    example = Library().instrument("enrich-example-index@0.1")
    with pytest.raises(CarryOverError) as caught:
        carry_over(example, harbour(), "0.2")
    message = str(caught.value)
    assert message.startswith("enrich-example-index@0.1 cannot be carried over to harbour@1: ")
    assert (
        "domain 'relationships' (Relationships built on shared lived experience) rests on "
        "'relationships';" in message
    )
    assert message.count("domain '") == 5
    assert "(it has: sharing, walking)" in message
    assert "Draft a starter index" in message


def test_carrying_over_to_the_same_pin_and_version_is_refused() -> None:
    example = Library().instrument("enrich-example-index@0.1")
    with pytest.raises(CarryOverError, match="already pinned to enrich@2017"):
        carry_over(example, ENRICH, "0.1")
