"""What a return holds outside its input cells, against the questionnaire as it was sent.

The issued workbook (issued/<round>/<agency>.xlsx, checked against the SHA-256 the round
recorded) is the reference. Every cell of every sheet is compared, but the inputs (read
by name) and the previous round's figures (printed for reference). A label or formula
changed, or deleted, changes what a figure means: an error that quotes both texts. Text
typed where no answer goes ("dato estimado" beside a figure) is a warning that quotes it,
so that nothing typed is lost without the office seeing it. A sheet added is named, with
what it holds. A merged range drawn over an input is an error at that cell. Rows moved
by a program that leaves the defined names behind show up here too: the labels beside
the cells the names point at are not the labels they had.
"""

import unicodedata
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries

from rapporteur.messages import Language, Message, message
from rapporteur.workbook.layout import PREVIOUS_COLUMN, layout_of
from rapporteur.workbook.metadata import METADATA_SHEET
from rapporteur.workbook.sources import _special_cells, workbook_names_and_parts

SHOWN_DIFFERENCES = 20
"""Differences reported one by one; beyond, they are counted (moved rows make hundreds)."""
QUOTED = 120
"""Characters of a text quoted in a message."""


@dataclass(frozen=True)
class Difference:
    key: str
    severity: str
    sheet: str | None
    cell: str | None
    params: dict[str, Any]


@dataclass(frozen=True)
class _Sheet:
    values: dict[tuple[int, int], Any]
    """Every cell holding something: text, number, or a formula ("=…")."""
    merged: tuple[tuple[int, int, int, int], ...]


def differences(
    returned: Path,
    issued: Path,
    version: int,
    kind: str,
    fingerprint: str,
    language: Language,
    extra_sheets_allowed: tuple[str, ...] = (),
) -> list[Difference]:
    """Everything in `returned` that is not in `issued`, outside the input cells."""
    reference, found = _read(issued), _read(returned)
    skipped = _skipped_cells(version, kind, fingerprint, language)
    problems: list[Difference] = []
    for sheet, expected in reference.items():
        if sheet == METADATA_SHEET or sheet not in found:
            continue  # the metadata is signed; a missing sheet is reported as such
        problems += _sheet_differences(sheet, expected, found[sheet], skipped.get(sheet, {}))
    for sheet, contents in found.items():
        if sheet not in reference and sheet not in extra_sheets_allowed:
            texts = [_quoted(value) for value in list(contents.values.values())[:3]]
            problems.append(
                Difference("collect.extra_sheet", "warning", None, None,
                           {"sheet": sheet, "contents": " · ".join(texts) or "—"})
            )  # fmt: skip
    shown = problems[:SHOWN_DIFFERENCES]
    if len(problems) > SHOWN_DIFFERENCES:
        shown.append(
            Difference("collect.more_differences", "warning", None, None,
                       {"count": len(problems) - SHOWN_DIFFERENCES})
        )  # fmt: skip
    return shown


def _sheet_differences(
    sheet: str, expected: _Sheet, found: _Sheet, inputs: frozenset[tuple[int, int]]
) -> list[Difference]:
    problems = []
    for position in sorted(set(expected.values) | set(found.values)):
        if position in inputs:
            continue
        before, after = expected.values.get(position), found.values.get(position)
        if _same(before, after):
            continue
        where = f"{get_column_letter(position[1])}{position[0]}"
        if before is None:
            problems.append(
                Difference("collect.note_typed", "warning", sheet, where, {"text": _quoted(after)})
            )
        else:
            problems.append(
                Difference("collect.label_changed", "error", sheet, where,
                           {"expected": _quoted(before),
                            "found": _quoted(after) if after is not None else "—"})
            )  # fmt: skip
    for area in found.merged:
        if area in expected.merged:
            continue
        first_row, first_column, last_row, last_column = area
        covered = sorted(
            (row, column)
            for row, column in inputs
            if first_row <= row <= last_row and first_column <= column <= last_column
        )
        if covered:
            row, column = covered[0]
            where = f"{get_column_letter(column)}{row}"
            problems.append(Difference("collect.merged_input", "error", sheet, where, {}))
    return problems


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, str) and isinstance(after, str):
        if before.startswith("=") and after == "=…":
            return True  # a shared formula, written once for a range, as LibreOffice does
        return _normal(before) == _normal(after)
    return before == after


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip()
    if text.startswith("="):
        text = text.replace("$", "").replace(" ", "").replace("_xlfn.", "").upper()
    return text


def _quoted(value: Any) -> str:
    text = str(value)
    return text if len(text) <= QUOTED else text[: QUOTED - 1] + "…"


def _read(path: Path) -> dict[str, _Sheet]:
    from python_calamine import CalamineWorkbook

    with zipfile.ZipFile(path) as package:
        _, parts = workbook_names_and_parts(package)
        workbook = CalamineWorkbook.from_path(str(path))
        try:
            sheets = {}
            for sheet in workbook.sheet_names:
                xml = package.read(parts[sheet]) if sheet in parts else b""
                formulas, errors = _special_cells(xml)
                values: dict[tuple[int, int], Any] = {}
                rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
                for row_number, row in enumerate(rows, start=1):
                    for column_number, value in enumerate(row, start=1):
                        if value not in ("", None):
                            values[(row_number, column_number)] = value
                values.update(errors)
                values.update(formulas)
                sheets[sheet] = _Sheet(values, _merged(xml))
            return sheets
        finally:
            workbook.close()


def _merged(xml: bytes) -> tuple[tuple[int, int, int, int], ...]:
    """The merged ranges of a sheet: (first row, first column, last row, last column)."""
    areas = []
    start = xml.find(b"<mergeCell ")
    while start != -1:
        reference_start = xml.find(b'ref="', start) + 5
        reference = xml[reference_start : xml.find(b'"', reference_start)].decode()
        first_column, first_row, last_column, last_row = range_boundaries(reference)
        areas.append((first_row, first_column, last_row, last_column))
        start = xml.find(b"<mergeCell ", reference_start)
    return tuple(areas)


@cache
def _skipped_cells(
    version: int, kind: str, fingerprint: str, language: Language
) -> dict[str, frozenset]:
    """By sheet title, the cells not compared: every input, and the previous round's
    figure printed beside an input, where the questionnaire's layout put them."""
    layout = layout_of(version, kind, fingerprint)
    skipped: dict[str, set[tuple[int, int]]] = {}
    for sheet in layout.sheets if layout else ():
        cells = skipped.setdefault(sheet.title[language], set())
        for placed in sheet.inputs:
            cells.update(placed.cell(index) for index in range(placed.rows))
        for _, row in sheet.previous:
            cells.add((row, PREVIOUS_COLUMN))
    return {title: frozenset(cells) for title, cells in skipped.items()}


def as_message(difference: Difference, file: str) -> Message:
    return message(difference.key, file=file, **difference.params)
