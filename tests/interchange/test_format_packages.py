"""The XLSForm, FHIR and export packages: their public names, their layout, and the shared seams.

Each package has one module per direction and a shared module. These tests keep the names the
rest of the project imports from the package, keep the directions from importing one
another, and check the functions the directions now share (reading an XLSForm file into rows,
reading a Questionnaire's answer options, keys and cell text) on their own.
"""

from __future__ import annotations

import ast
import importlib
import math
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

import peerprinciples.core.interchange as interchange
from peerprinciples.core.documents import DocumentError
from peerprinciples.core.interchange.fhir.answers import read_answer
from peerprinciples.core.interchange.fhir.common import ITEM_WEIGHT_URL, FhirNames
from peerprinciples.core.interchange.keys import slug
from peerprinciples.core.interchange.xlsform.common import cell_text
from peerprinciples.core.interchange.xlsform.form import SheetProblem, language_of, read_form

INTERCHANGE = Path(interchange.__file__ or "").parent
"""The folder of the interchange packages."""

PUBLIC_NAMES = {
    "peerprinciples.core.interchange.xlsform": [
        "DOCS",
        "DRAFT_FRAMEWORK",
        "DRAFT_INFORMANT",
        "GROUP_SEPARATORS",
        "INFORMANT_GROUP_SUFFIX",
        "META_QUESTIONS",
        "SKIPPED_REVIEW_STATES",
        "Sheet",
        "SheetProblem",
        "XlsformDraft",
        "choice_list",
        "informant_group",
        "language_column",
        "read_xlsform_instrument",
        "read_xlsform_submissions",
        "write_xlsform",
        "xlsform_sheets",
    ],
    "peerprinciples.core.interchange.fhir": [
        "ACCEPTED_STATUSES",
        "CHOICE_TYPES",
        "DISPLAY_CATEGORY_SYSTEM",
        "DISPLAY_CATEGORY_URL",
        "DOCS",
        "FHIR_BASE",
        "ITEM_WEIGHT_URL",
        "META_FIELDS",
        "META_GROUP",
        "ORDINAL_URLS",
        "SKIPPED_STATUSES",
        "TRANSLATION_URL",
        "FhirDraft",
        "FhirNames",
        "QuestionnaireProblem",
        "ResponseProblem",
        "domain_link_id",
        "item_link_id",
        "meta_link_id",
        "questionnaire",
        "read_fhir_instrument",
        "read_questionnaire_responses",
        "write_questionnaire",
    ],
    "peerprinciples.core.interchange.exports": [
        "EXCEL_ROWS",
        "EXPORT_FILES",
        "FORMATS",
        "SHEETS",
        "SPSS_LABEL_BYTES",
        "SPSS_VALUE_LABEL_BYTES",
        "STATA_LABEL_CHARS",
        "STATA_VERSION",
        "Format",
        "LabelledData",
        "Notes",
        "export_evaluation",
        "labelled_data",
        "notes_from_table",
        "ratings_long",
        "ratings_wide",
        "scores_wide",
        "write_csv",
        "write_dta",
        "write_sav",
        "write_xlsx",
    ],
}
"""Every public name of the modules these packages replaced."""

SIBLINGS = {
    "xlsform": {
        "common": set(),
        "export": {"common"},
        "records": {"common"},
        "form": {"common"},
        "draft": {"common", "form"},
    },
    "fhir": {
        "common": set(),
        "export": {"common"},
        "responses": {"common"},
        "records": {"common", "responses"},
        "source": set(),
        "answers": {"common"},
        "draft": {"common", "source", "answers"},
    },
    "exports": {
        "tables": set(),
        "spreadsheets": {"tables"},
        "labelled": {"tables"},
        "evaluation": {"tables", "spreadsheets", "labelled"},
    },
}
"""Which modules of its own package each module may import: the directions stay apart."""


@pytest.mark.parametrize("package", sorted(PUBLIC_NAMES))
def test_the_former_modules_public_names_are_exported_by_the_package(package: str) -> None:
    module = importlib.import_module(package)
    missing = [name for name in PUBLIC_NAMES[package] if not hasattr(module, name)]
    assert missing == []
    assert sorted(module.__all__) == sorted(PUBLIC_NAMES[package])


def test_the_fhir_questionnaire_reader_lives_in_the_fhir_package_only() -> None:
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("peerprinciples.core.interchange.fhir_questionnaire")


def _package_imports(package: str, module: str) -> set[str]:
    """The modules of ``package`` that ``module`` imports (``""`` for the package itself)."""
    prefix = f"peerprinciples.core.interchange.{package}"
    tree = ast.parse((INTERCHANGE / package / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] if node.level == 0 else [f"{prefix}.{node.module}"]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            if name == prefix:
                found.add("")
            elif name.startswith(prefix + "."):
                found.add(name[len(prefix) + 1 :])
    return found


@pytest.mark.parametrize(
    ("package", "module"),
    [(package, module) for package, modules in SIBLINGS.items() for module in modules],
)
def test_each_module_imports_only_the_shared_modules_of_its_package(
    package: str, module: str
) -> None:
    assert _package_imports(package, module) == SIBLINGS[package][module]


@pytest.mark.parametrize("package", sorted(SIBLINGS))
def test_every_module_of_the_package_is_listed(package: str) -> None:
    modules = {p.stem for p in (INTERCHANGE / package).glob("*.py") if p.stem != "__init__"}
    assert modules == set(SIBLINGS[package])


def test_a_form_is_read_as_rows_numbered_as_the_spreadsheet_shows_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "Survey"
    survey.append(["Type", "Name", "Label::English (en)", "bind:required"])
    survey.append(["select_one yes_no", "q1", "First", "yes"])
    survey.append([None, None, None, None])
    survey.append(["integer", "q2", 3.0, None])
    choices = book.create_sheet("choices")
    choices.append([None])
    choices.append(["List name", "name", "label"])
    choices.append(["yes_no", 1, "Yes"])
    path = tmp_path / "form.xlsx"
    book.save(path)

    form = read_form(path)

    assert form.columns["survey"] == ["type", "name", "label::English (en)", "required"]
    assert [(row.number, row.cells) for row in form.sheets["survey"]] == [
        (
            2,
            {
                "type": "select_one yes_no",
                "name": "q1",
                "label::English (en)": "First",
                "required": "yes",
            },
        ),
        (4, {"type": "integer", "name": "q2", "label::English (en)": "3"}),
    ]
    assert form.columns["choices"] == ["list_name", "name", "label"]
    assert form.sheets["choices"][0].number == 3
    assert form.sheets["choices"][0].get("name") == "1"
    assert form.sheets["choices"][0].get("hint") == ""
    assert language_of("label::English (en)") == ("en", "English (en)")
    assert language_of("label") == ("", "")


def test_a_file_that_is_no_form_is_refused_with_where_and_how_to_fix(tmp_path: Path) -> None:
    path = tmp_path / "form.ods"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        read_form(path)
    (problem,) = caught.value.problems
    assert isinstance(problem, SheetProblem)
    assert problem.source == str(path)
    assert "'.ods' is not an XLSForm file type" in problem.message
    assert ".xlsx" in problem.fix


def test_answer_options_are_read_as_points_codes_or_reasons() -> None:
    names = FhirNames("forms")
    ordinal = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
    loinc = {
        "extension": [{"url": ordinal, "valueDecimal": 2.0}],
        "valueCoding": {"system": "http://loinc.org", "code": "LA6569-3", "display": "Often"},
    }
    own_code = {"valueCoding": {"system": names.codes_system, "code": "II", "display": "Info"}}
    weighted = {
        "extension": [{"url": ITEM_WEIGHT_URL, "valueDecimal": 1}],
        "valueCoding": {"system": names.scale_system("agree"), "code": "5", "display": "Yes"},
    }

    assert read_answer(0, {"valueInteger": 3}).point == 3
    assert read_answer(1, loinc).point == 2
    assert (read_answer(2, weighted).point, read_answer(2, weighted).weight) == (5, 1)
    assert read_answer(3, own_code).code == "II"
    assert read_answer(4, {"valueString": "Not applicable"}).code == "NA"
    assert read_answer(5, {"valueString": "Don't know"}).code == "DK"
    odd = read_answer(6, {"valueBoolean": True})
    assert (odd.point, odd.code) == (None, None)
    assert "valueBoolean" in odd.reason
    assert "not a JSON object" in read_answer(7, "3").reason


def test_keys_and_cell_text_shared_by_the_drafters() -> None:
    assert slug("Über die Beziehung", "domain") == "uber_die_beziehung"
    assert slug("1. Trust", "item") == "item_1_trust"
    assert slug("???", "scale") == "scale"
    assert cell_text(3.0) == "3"
    assert cell_text(2.5) == "2.5"
    assert cell_text(math.nan) == ""
    assert cell_text(None) == ""
    assert cell_text(datetime(2026, 3, 1, 14, 30)) == "2026-03-01"
    assert cell_text(date(2026, 3, 1)) == "2026-03-01"
    assert cell_text("  peer worker ") == "peer worker"


def test_a_redcap_label_becomes_a_hyphenated_key_cut_at_a_word() -> None:
    label = "Relationships built on shared lived experience and trust over time"
    key = slug(label, "domain", separator="-", keep="", limit=40)
    assert key == "relationships-built-on-shared-lived"
    assert slug("rel_1 (v2)", "item", separator="-", keep="") == "rel-1-v2"
    assert slug("3 months", "form", separator="-", keep="") == "form-3-months"
