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
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries

from rapporteur.messages import Language, Message, message
from rapporteur.workbook.layout import PREVIOUS_COLUMN, layout_of
from rapporteur.workbook.metadata import METADATA_SHEET
from rapporteur.workbook.sources import CalamineSource, Grid

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
class _Skipped:
    """The cells of a sheet not compared: by position, and as runs of columns by row."""

    cells: frozenset[tuple[int, int]]
    runs: dict[int, tuple[tuple[int, int], ...]]
    """By row, each run of skipped columns as a slice of the row's values."""


_NOTHING_SKIPPED = _Skipped(frozenset(), {})


def differences(
    returned: Path | dict[str, Grid],
    issued: Path,
    version: int,
    kind: str,
    fingerprint: str,
    language: Language,
    extra_sheets_allowed: tuple[str, ...] = (),
) -> list[Difference]:
    """Everything in `returned` (a file, or its sheets as the reader read them) that is
    not in `issued`, outside the input cells."""
    reference = _read(issued)
    found = returned if isinstance(returned, dict) else _read(returned)
    skipped = _skipped_cells(version, kind, fingerprint, language)
    problems: list[Difference] = []
    for sheet, expected in reference.items():
        if sheet == METADATA_SHEET or sheet not in found:
            continue  # the metadata is signed; a missing sheet is reported as such
        problems += _sheet_differences(
            sheet, expected, found[sheet], skipped.get(sheet, _NOTHING_SKIPPED)
        )
    for sheet, contents in found.items():
        if sheet not in reference and sheet not in extra_sheets_allowed:
            texts = [_quoted(value) for value in _filled(_values(contents))][:3]
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


def _sheet_differences(sheet: str, expected: Grid, found: Grid, skipped: _Skipped):
    """Row by row: a row equal to the sheet sent once its inputs are set aside (almost
    every row) is compared in one step; only the others, cell by cell."""
    problems = []
    before_rows, after_rows = _values(expected), _values(found)
    for index in range(max(len(before_rows), len(after_rows))):
        before = before_rows[index] if index < len(before_rows) else []
        after = after_rows[index] if index < len(after_rows) else []
        runs = skipped.runs.get(index + 1, ())
        if len(before) == len(after) and all(end <= len(before) for _, end in runs):
            masked = after.copy() if runs else after
            for start, end in runs:
                masked[start:end] = before[start:end]
            if masked == before:
                continue
        for column in range(max(len(before), len(after))):
            position = (index + 1, column + 1)
            if position in skipped.cells:
                continue
            old = before[column] if column < len(before) else None
            new = after[column] if column < len(after) else None
            old, new = (None if value == "" else value for value in (old, new))
            if _same(old, new):
                continue
            where = f"{get_column_letter(column + 1)}{index + 1}"
            if old is None:
                problems.append(
                    Difference("collect.note_typed", "warning", sheet, where,
                               {"text": _quoted(new)})
                )  # fmt: skip
            else:
                problems.append(
                    Difference("collect.label_changed", "error", sheet, where,
                               {"expected": _quoted(old),
                                "found": _quoted(new) if new is not None else "—"})
                )  # fmt: skip
    inputs = skipped.cells
    reference_merged = set(_merged(expected.xml))
    for area in _merged(found.xml):
        if area in reference_merged:
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


def _values(grid: Grid) -> list[list[Any]]:
    """The sheet's values by row, with each formula's text and each error's code in its
    cell: the rows calamine gave, copied only where one is put."""
    special = {**grid.errors, **grid.formulas}
    if not special:
        return grid.rows
    rows = list(grid.rows)
    for (row, column), text in sorted(special.items()):
        while len(rows) < row:
            rows.append([])
        values = rows[row - 1] = list(rows[row - 1])
        values.extend([""] * (column - len(values)))
        values[column - 1] = text
    return rows


def _filled(rows: list[list[Any]]):
    for row in rows:
        yield from (value for value in row if value not in ("", None))


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


def _read(path: Path) -> dict[str, Grid]:
    source = CalamineSource(path)
    try:
        return source.grids()
    finally:
        source.close()


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
) -> dict[str, _Skipped]:
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
    return {title: _Skipped(frozenset(cells), _runs(cells)) for title, cells in skipped.items()}


def _runs(cells: set[tuple[int, int]]) -> dict[int, tuple[tuple[int, int], ...]]:
    by_row: dict[int, list[int]] = {}
    for row, column in sorted(cells):
        by_row.setdefault(row, []).append(column)
    runs = {}
    for row, columns in by_row.items():
        spans: list[list[int]] = []
        for column in columns:
            if spans and spans[-1][1] == column - 1:
                spans[-1][1] = column
            else:
                spans.append([column - 1, column])
        runs[row] = tuple((start, end) for start, end in spans)
    return runs


def as_message(difference: Difference, file: str) -> Message:
    return message(difference.key, file=file, **difference.params)
