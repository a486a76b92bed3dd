"""``peerprinciples practice handbook``: a matrix file in, a whole handbook file out."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from peerprinciples.cli.main import main

MATRIX = """\
programme: Peer support on the wards
framework: enrich@2017
version: 1
areas:
  - {key: supervision, title: Supervision, level: individual}
  - {key: recruitment, title: Recruitment, level: organisation}
cells:
  - area: supervision
    principle: mutuality
    text: Supervisor and peer worker both bring something.
    status: in_place
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_writes_the_handbook_in_the_format_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    matrix = tmp_path / "matrix.yaml"
    matrix.write_text(MATRIX, encoding="utf-8")
    out = tmp_path / "handbook.docx"
    code, said, _ = run(
        capsys, "practice", "handbook", str(matrix), "--framework", "enrich@2017",
        "--format", "docx", "--out", str(out),
    )  # fmt: skip
    assert code == 0
    assert f"wrote {out} (version 1, following enrich@2017)" in said
    text = " ".join(p.text for p in docx.Document(io.BytesIO(out.read_bytes())).paragraphs)
    assert "Supervisor and peer worker both bring something." in text


def test_a_framework_the_matrix_does_not_follow_is_refused_and_nothing_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    matrix = tmp_path / "matrix.yaml"
    matrix.write_text(MATRIX.replace("enrich@2017", "enrich@1999"), encoding="utf-8")
    out = tmp_path / "handbook.pdf"
    code, _, err = run(
        capsys, "practice", "handbook", str(matrix), "--framework", "enrich", "--out", str(out)
    )
    assert code == 1
    assert "follows enrich@1999, but the framework given is enrich@2017" in err
    assert not out.exists()


def test_a_broken_matrix_file_names_each_problem_and_where(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    matrix = tmp_path / "matrix.yaml"
    matrix.write_text(MATRIX.replace("level: individual", "level: everyone"), encoding="utf-8")
    code, _, err = run(capsys, "practice", "handbook", str(matrix), "--out", str(tmp_path / "h"))
    assert code == 1
    assert "matrix.yaml:5: areas[0].level: input should be 'individual'" in err
    assert list(tmp_path.iterdir()) == [matrix]


def test_a_missing_matrix_file_is_said_plainly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "practice", "handbook", str(tmp_path / "nowhere.yaml"))
    assert code == 1
    assert "nowhere.yaml: there is no such file. Fix: check the path" in err
