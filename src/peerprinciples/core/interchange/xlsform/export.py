"""An instrument written as an XLSForm, the form ODK and KoboToolbox fill in.

:func:`xlsform_sheets` gives the three sheets (``survey``, ``choices``, ``settings``) and
:func:`write_xlsform` saves them as a workbook. The interview details come first
(``interview``, ``informant``, ``rater``, ``service``, ``peer_worker``, ``round``, ``date``),
named like the columns of the ratings table. Then one group per informant
(``{informant}_items``, shown when that informant is chosen), holding one group per domain
(named by the domain key), holding one ``select_one`` question per item (named by the item
key) with the item's prompts as hint. Each scale has a choice list ``scale_{key}``; an item
with its own anchors has ``item_{key}``, so raters see the item's descriptions. The special
codes end every list. Labels and hints have a ``label::Language (code)`` column per language.

openpyxl is imported only when a workbook is written.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from peerprinciples.core.instruments import Instrument, Item
from peerprinciples.core.interchange import atomic_write
from peerprinciples.core.interchange.xlsform.common import META_QUESTIONS, informant_group
from peerprinciples.core.translation import localise

Sheet = list[dict[str, str]]
"""A sheet as rows, each a mapping of column to text."""

_LANGUAGE_NAMES = {
    "ar": "Arabic",
    "bn": "Bengali",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "gd": "Scottish Gaelic",
    "gu": "Gujarati",
    "hi": "Hindi",
    "it": "Italian",
    "ja": "Japanese",
    "nb": "Norwegian Bokmal",
    "nl": "Dutch",
    "no": "Norwegian",
    "pa": "Punjabi",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "so": "Somali",
    "sv": "Swedish",
    "sw": "Swahili",
    "tr": "Turkish",
    "ur": "Urdu",
    "zh": "Chinese",
}


def language_column(language: str) -> str:
    """The XLSForm name of a language, as in ``label::English (en)``."""
    name = _LANGUAGE_NAMES.get(language.split("-")[0].lower(), language)
    return f"{name} ({language})"


def choice_list(item: Item) -> str:
    """The name of the choice list an item is rated with."""
    return f"item_{item.key}" if item.anchors else f"scale_{item.scale}"


def xlsform_sheets(instrument: Instrument) -> dict[str, Sheet]:
    """The instrument as the three sheets of an XLSForm, each a list of rows (column -> text).

    Parameters
    ----------
    instrument
        The instrument to export.

    Returns
    -------
    dict
        ``survey``, ``choices`` and ``settings``; every row has the same columns, in order.
        The texts of each further language come from the instrument's translations, falling
        back to the original wording where a translation is missing.
    """
    others = sorted(lang for lang in instrument.translations if lang != instrument.language)
    languages = [instrument.language, *others]
    versions = {lang: localise(instrument, lang).document for lang in languages}
    return {
        "survey": _survey(instrument, versions),
        "choices": _choices(instrument, versions),
        "settings": [
            {
                "form_title": instrument.title,
                "form_id": instrument.key,
                "version": instrument.version,
                "default_language": language_column(instrument.language),
            }
        ],
    }


def _texts(column: str, versions: Mapping[str, Instrument], text: Any) -> dict[str, str]:
    """``{column::Language (code): text}`` for every language; ``text`` maps a version to text."""
    return {f"{column}::{language_column(lang)}": text(doc) for lang, doc in versions.items()}


def _survey(instrument: Instrument, versions: Mapping[str, Instrument]) -> Sheet:
    def row(
        kind: str, name: str, label: Any, hint: Any = lambda d: "", **more: str
    ) -> dict[str, str]:
        return {
            "type": kind,
            "name": name,
            **_texts("label", versions, label),
            **_texts("hint", versions, hint),
            "required": more.get("required", ""),
            "relevant": more.get("relevant", ""),
        }

    rows = [
        row(kind, name, lambda d, text=text: text, required="yes" if required else "")
        for name, (kind, text, required) in META_QUESTIONS.items()
    ]
    for informant in instrument.informants:
        if not instrument.items_for(informant.key):
            continue
        rows.append(
            row(
                "begin_group",
                informant_group(informant.key),
                lambda d, key=informant.key: d.informant(key).title,
                relevant=f"${{informant}} = '{informant.key}'",
            )
        )
        for domain in instrument.domains:
            items = [i for i in instrument.items_in(domain.key) if informant.key in i.informants]
            if not items:
                continue
            rows.append(
                row("begin_group", domain.key, lambda d, key=domain.key: d.domain(key).title)
            )
            for item in items:
                rows.append(
                    row(
                        f"select_one {choice_list(item)}",
                        item.key,
                        lambda d, i=item.key, who=informant.key: d.item(i).informants[who].question,
                        lambda d, i=item.key, who=informant.key: "\n".join(
                            d.item(i).informants[who].prompts
                        ),
                        required="yes" if item.required else "",
                    )
                )
            rows.append(row("end_group", "", lambda d: ""))
        rows.append(row("end_group", "", lambda d: ""))
    return rows


def _choices(instrument: Instrument, versions: Mapping[str, Instrument]) -> Sheet:
    rows: Sheet = [
        {"list_name": "informants", "name": informant.key}
        | _texts("label", versions, lambda d, key=informant.key: d.informant(key).title)
        for informant in instrument.informants
    ]
    done: set[str] = set()
    for item in instrument.items:
        name = choice_list(item)
        if name in done:
            continue
        done.add(name)
        for point in instrument.scale(item.scale).points:
            rows.append(
                {"list_name": name, "name": str(point)}
                | _texts("label", versions, lambda d, i=item.key, p=point: d.anchor(d.item(i), p))
            )
        for index, code in enumerate(instrument.codes):
            rows.append(
                {"list_name": name, "name": code.code}
                | _texts("label", versions, lambda d, i=index: d.codes[i].label)
            )
    return rows


def write_xlsform(instrument: Instrument, path: Path | str) -> Path:
    """Write :func:`xlsform_sheets` as an ``.xlsx`` workbook (all or nothing); return the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = True
    for title, rows in xlsform_sheets(instrument).items():
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        columns = list(rows[0]) if rows else []
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in rows:
            sheet.append([values.get(column, "") for column in columns])
        for index, column in enumerate(columns, start=1):
            widest = max([len(column), *(len(r.get(column, "")) for r in rows)])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(
                max(10, widest + 2), 60
            )
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    return atomic_write(path, lambda temporary: temporary.write_bytes(data))
