"""Projects exported by QDA packages themselves (MAXQDA 24, ATLAS.ti 23) import with every
category, code, description and source.

The files are shared data, not part of the repository: they are looked for in the folder
``PEERPRINCIPLES_SHARED_DATA`` names, by default ``../shared/data`` beside the repository,
under ``refi-qda/``. Without them these tests are skipped.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from peerprinciples.core.coproduction.refiqda import read_qdc, read_qdpx, write_qdc

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("PEERPRINCIPLES_SHARED_DATA", ROOT.parent / "shared" / "data"))
FOLDER = SHARED / "refi-qda"
NS = {"q": "urn:QDA-XML:project:1.0"}

FILES = {
    # file: (categories, codes, sources), counted by hand in each project.qde
    "maxqda24_learning-sciences-themes-10-papers.qdpx": (18, 289, 10),
    "atlasti_target-atlas-project.qdpx": (1, 2, 0),
}

pytestmark = pytest.mark.skipif(
    not FOLDER.is_dir(),
    reason=f"the shared REFI-QDA files are not at {FOLDER} (set PEERPRINCIPLES_SHARED_DATA)",
)


def project_tree(name: str) -> etree._Element:
    with zipfile.ZipFile(FOLDER / name) as archive:
        return etree.fromstring(archive.read("project.qde"))


def description(code: etree._Element) -> str:
    return str(code.findtext("q:Description", default="", namespaces=NS)).strip()


@pytest.mark.parametrize(("name", "numbers"), FILES.items())
def test_an_exported_project_imports_with_its_counts(
    name: str, numbers: tuple[int, int, int]
) -> None:
    evidence = read_qdpx(FOLDER / name)
    assert (len(evidence.categories), len(evidence.codes), len(evidence.sources)) == numbers


@pytest.mark.parametrize("name", FILES)
def test_every_category_code_description_and_source_is_imported(name: str) -> None:
    tree = project_tree(name)
    tops = tree.xpath("q:CodeBook/q:Codes/q:Code", namespaces=NS)
    parents = [code for code in tops if code.xpath("q:Code", namespaces=NS)]
    below = [code for top in parents for code in top.xpath(".//q:Code", namespaces=NS)]
    alone = [code for code in tops if not code.xpath("q:Code", namespaces=NS)]
    evidence = read_qdpx(FOLDER / name)

    assert [(c.label, c.description) for c in evidence.categories] == [
        (code.get("name"), description(code)) for code in parents
    ]
    assert sorted((c.label.rsplit(" › ", 1)[-1], c.definition) for c in evidence.codes) == sorted(
        (code.get("name"), description(code)) for code in below + alone
    )
    sources = tree.xpath("q:Sources/*", namespaces=NS)
    assert [s.citation for s in evidence.sources] == [source.get("name") for source in sources]


@pytest.mark.parametrize("name", FILES)
def test_every_code_keeps_the_category_it_sits_in(name: str) -> None:
    tree = project_tree(name)
    evidence = read_qdpx(FOLDER / name)
    homes = {
        str(code.get("guid")).upper(): str(top.get("guid")).upper()
        for top in tree.xpath("q:CodeBook/q:Codes/q:Code", namespaces=NS)
        for code in top.xpath(".//q:Code", namespaces=NS)
    }
    assert {code.key: code.category for code in evidence.codes} == homes


@pytest.mark.parametrize("name", FILES)
def test_an_exported_codebook_goes_back_as_a_codebook_with_the_same_codes(name: str) -> None:
    evidence = read_qdpx(FOLDER / name)
    again = read_qdc(write_qdc(evidence))
    assert again.categories == evidence.categories
    assert again.codes == evidence.codes
