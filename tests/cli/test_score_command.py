"""demo-data, then score: the four outputs, a readable report, and no output on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from peerprinciples.cli.main import main
from peerprinciples.core.library import Library

OUTPUTS = {
    "scores.csv",
    "aggregates.csv",
    "informant_gaps.csv",
    "psychometrics.json",
    "report.html",
}


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scored")
    assert main(["demo-data", "--out", str(folder / "demo.csv")]) == 0
    assert (
        main(
            [
                "score",
                str(folder / "demo.csv"),
                "--instrument",
                "enrich-example-index",
                "--out",
                str(folder / "out"),
                "--quiet",
            ]
        )
        == 0
    )
    return folder


def test_score_writes_every_output(scored: Path) -> None:
    assert {p.name for p in (scored / "out").iterdir()} == OUTPUTS


def test_scores_csv_has_a_final_score_per_interview_and_domain(scored: Path) -> None:
    ratings = pd.read_csv(scored / "demo.csv")
    scores = pd.read_csv(scored / "out" / "scores.csv")
    instrument = Library().instrument("enrich-example-index")
    final = scores[scores["final"]]
    assert final["interview"].nunique() == ratings["interview"].nunique()
    domains = {d.key for d in instrument.domains} | {"total"}
    assert set(final["domain"]) == domains
    assert final.groupby(["interview", "domain"]).size().max() == 1
    rated = final["score"].dropna()
    assert rated.between(1, 5).all()


def test_psychometrics_json_follows_its_documented_schema(scored: Path) -> None:
    document = json.loads((scored / "out" / "psychometrics.json").read_text(encoding="utf-8"))
    assert document["schema_version"] == "1.0"
    assert document["instrument"] == "enrich-example-index@0.1"
    assert document["n_interviews"] == 128
    assert document["n_double_rated"] > 10
    domains = document["quality"]["domains"]
    assert [d["domain"] for d in domains] == [
        "relationships",
        "mutuality",
        "experiential-knowledge",
        "leadership-choice-control",
        "strengths-connections",
    ]
    for domain in domains:
        assert 0 < domain["alpha"]["alpha"] < 1
        assert domain["alpha"]["ci"]["method"]
        assert domain["icc"]["form"] == "ICC1"


def test_the_report_reads_principle_by_principle(scored: Path) -> None:
    html = (scored / "out" / "report.html").read_text(encoding="utf-8")
    framework = Library().framework("enrich@2017")
    for principle in framework.principles:
        assert f"Principle: {principle.title}." in html
    assert "How to read this report" in html
    assert "Synthetic demonstration data" in html
    assert html.count("<svg") >= 5 * 4
    # Self-contained: nothing is fetched from elsewhere when the report opens.
    for outside in ("<link", "<script", "src=", "@import", "url(http"):
        assert outside not in html


def test_bad_input_fails_without_writing_any_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ratings = tmp_path / "bad.csv"
    ratings.write_text(
        "interview,informant,item,rating,rater\n"
        "I1,peer_worker,rel_1,7,R1\n"
        "I1,peer_worker,rel_9,3,R1\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code = main(
        [
            "score",
            str(ratings),
            "--instrument",
            "enrich-example-index",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "row 2" in err
    assert "row 3" in err
    assert "rel_9" in err
    assert not out.exists() or not any(out.iterdir())


def test_a_failed_run_leaves_earlier_results_untouched(scored: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "scores.csv").write_text("earlier results\n", encoding="utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    code = main(
        ["score", str(empty), "--instrument", "enrich-example-index", "--out", str(out), "--quiet"]
    )
    assert code == 1
    assert [p.name for p in out.iterdir()] == ["scores.csv"]
    assert (out / "scores.csv").read_text(encoding="utf-8") == "earlier results\n"


def test_an_unknown_instrument_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["score", str(tmp_path / "x.csv"), "--instrument", "nope", "--out", str(tmp_path / "o")]
    )
    assert code == 1
    assert "no instrument 'nope'" in capsys.readouterr().err


def test_chart_labels_with_quotes_and_dollars_are_escaped_not_parsed() -> None:
    from peerprinciples.core.charts import group_means_chart

    svg = group_means_chart(['Team "North"', "$5 fund"], [2.0, 3.5], 'By "team"', low=1, high=5)
    label = svg.split('aria-label="', 1)[1].split('"', 1)[0]
    assert label == "By &quot;team&quot;: Team &quot;North&quot; 2.00, $5 fund 3.50"
    assert "$5 fund" in svg


@pytest.fixture(scope="module")
def many_services(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report of 45 services (more than a chart can show), coded S1 … S45."""
    folder = tmp_path_factory.mktemp("many")
    assert main(["demo-data", "--services", "45", "--out", str(folder / "demo.csv")]) == 0
    frame = pd.read_csv(folder / "demo.csv", dtype=str, keep_default_na=False)
    # Codes without leading zeros, so text order (S1, S10, S11, …) differs from natural order.
    frame["service"] = "S" + frame["service"].str.lstrip("S").str.lstrip("0")
    frame.to_csv(folder / "demo.csv", index=False)
    arguments = ["--instrument", "enrich-example-index", "--out", str(folder / "out"), "--quiet"]
    assert main(["score", str(folder / "demo.csv"), *arguments]) == 0
    return folder / "out" / "report.html"


def _bars(svg: str) -> int:
    return svg.count("<rect")


def test_no_chart_has_more_than_thirty_bars_however_many_services(many_services: Path) -> None:
    import re

    from peerprinciples.core.charts import MAX_BARS

    html = many_services.read_text(encoding="utf-8")
    charts = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert charts
    assert max(_bars(svg) for svg in charts) <= MAX_BARS
    spreads = [svg for svg in charts if "spread of 45 services" in svg]
    assert spreads  # each principle shows how the 45 services' means spread
    label = spreads[0].split('aria-label="', 1)[1].split('"', 1)[0]
    assert "45 services; means from" in label
    assert "S10" not in spreads[0]  # the spread names no service


def test_many_services_are_in_one_sortable_table_in_natural_order(many_services: Path) -> None:
    import re

    html = many_services.read_text(encoding="utf-8")
    table = html.split('id="by-service-caption"', 1)[1].split("</table>", 1)[0]
    codes = re.findall(r'<th scope="row" data-value="\d+">([^<]+)</th>', table)
    assert codes == [f"S{k}" for k in range(1, 46)]
    assert html.count('<table class="sortable">') == 1
    assert "too many to draw one bar each" in html


def test_svg_charts_are_accessible_and_escape_people_s_text() -> None:
    from peerprinciples.core.charts import distribution_chart, group_means_chart

    svg = group_means_chart(["<b>North</b>", "S & T"], [2.5, 4.0], "By <team>", low=1, high=5)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label=')
    assert "<b>" not in svg
    assert "&lt;b&gt;North&lt;/b&gt;" in svg
    assert "<title>By &lt;team&gt;</title>" in svg
    assert "<desc>By &lt;team&gt;: &lt;b&gt;North&lt;/b&gt; 2.50, S &amp; T 4.00</desc>" in svg
    assert _bars(svg) == 2
    spread = distribution_chart({1: 3, 2: 0, 3: 7}, "How scores spread")
    assert "3 at 1, 0 at 2, 7 at 3" in spread


def test_a_chart_of_too_many_bars_is_refused_with_what_to_use_instead() -> None:
    from peerprinciples.core.charts import group_means_chart, means_chart

    groups = [f"S{k}" for k in range(31)]
    with pytest.raises(ValueError, match=r"31 bars; at most 30 .* means_chart"):
        group_means_chart(groups, [3.0] * 31, "By service", low=1, high=5)
    spread = means_chart(groups, [1.0 + k / 10 for k in range(31)], "By service", low=1, high=5)
    assert "spread of 31 services" in spread
    assert "median 2.50" in spread
