"""Reading a returned questionnaire back into a return, by defined name.

Values are read with openpyxl's `data_only` semantics (the typed value stored in each
cell; a formula is never evaluated here) and converted to the types of the definition.
Rows of repeating tables that are entirely blank are left out; every value kept remembers
the sheet and cell it came from, so that a problem can be pointed at.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from openpyxl.utils.cell import get_column_letter

from rapporteur.definition import ROW_CODE, Definition, Input, load_definition
from rapporteur.workbook.metadata import METADATA_SHEET, Metadata
from rapporteur.workbook.writer import MARK, choice_labels

Position = tuple[str, str]
"""(sheet title, cell coordinate)"""


@dataclass
class ReadReturn:
    metadata: Metadata
    signature: str
    value: dict[str, Any]
    positions: dict[str, Position] = field(default_factory=dict)
    missing_names: list[str] = field(default_factory=list)


def read_metadata(workbook) -> tuple[Metadata, str] | None:
    if METADATA_SHEET not in workbook.sheetnames:
        return None
    sheet = workbook[METADATA_SHEET]
    values = {
        str(row[0]): row[1]
        for row in sheet.iter_rows(min_row=1, max_row=20, max_col=2, values_only=True)
        if row[0] is not None
    }
    try:
        metadata = Metadata(
            agency=str(values["agency"]),
            kind=str(values["kind"]),
            round=str(values["round"]),
            version=int(values["version"]),
            language=str(values["language"]),
            fingerprint=str(values["fingerprint"]),
            format=int(values["format"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
    return metadata, str(values.get("signature") or "")


def read_questionnaire(path: Path) -> ReadReturn | None:
    """The return in a questionnaire file, or None if it carries no metadata of ours."""
    workbook = load_workbook(path, data_only=True)
    found = read_metadata(workbook)
    if found is None:
        return None
    metadata, signature = found
    definition = load_definition(metadata.version)
    reader = _Reader(definition, metadata)
    for item in definition.inputs(metadata.kind):
        defined = workbook.defined_names.get(item.name)
        destinations = list(defined.destinations) if defined is not None else []
        if len(destinations) != 1 or destinations[0][0] not in workbook.sheetnames:
            reader.missing_names.append(item.name)
            continue
        sheet_title, reference = destinations[0]
        sheet = workbook[sheet_title]
        min_col, min_row, _, max_row = range_boundaries(reference.replace("$", ""))
        for index, row in enumerate(range(min_row, max_row + 1)):
            raw = sheet.cell(row, min_col).value
            reader.take(item, index, raw, (sheet_title, f"{get_column_letter(min_col)}{row}"))
    return ReadReturn(metadata, signature, reader.result(), reader.positions, reader.missing_names)


class _Reader:
    def __init__(self, definition: Definition, metadata: Metadata):
        self.definition = definition
        self.language = metadata.language if metadata.language in ("es", "en") else "es"
        self.value: dict[str, Any] = {}
        self.rows: dict[tuple[str, ...], dict[int, dict[str, Any]]] = {}
        self.row_positions: dict[tuple[str, ...], dict[int, dict[str, Position]]] = {}
        self.positions: dict[str, Position] = {}
        self.missing_names: list[str] = []
        self.labels: dict[str, dict[str, str]] = {}

    def take(self, item: Input, index: int, raw: Any, position: Position) -> None:
        value = self.convert(item, raw)
        location = item.location
        if "*" in location:
            star = location.index("*")
            table, keys = location[:star], location[star + 1 :]
            cells = self.rows.setdefault(table, {}).setdefault(index, {})
            places = self.row_positions.setdefault(table, {}).setdefault(index, {})
            _set_marked(cells, keys, value)
            places[".".join(keys)] = position
            return
        if value is None:
            return
        if item.type == "mark":
            codes = self.value.setdefault(location[0], [])
            codes.append(location[1])
            self.positions[f"{location[0]}.{location[1]}"] = position
            return
        _set_nested(self.value, location, value)
        self.positions[".".join(location)] = position

    def convert(self, item: Input, raw: Any) -> Any:
        if isinstance(raw, str):
            raw = raw.strip()
            if raw == "":
                return None
        if raw is None:
            return None
        match item.type:
            case "count" | "eur" | "number" | "pct":
                if isinstance(raw, float) and raw.is_integer() and item.type == "count":
                    return int(raw)
                return raw
            case "date":
                if isinstance(raw, datetime.datetime) and raw.time() == datetime.time(0):
                    return raw.date()
                return raw
            case "text":
                if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                    return str(int(raw)) if float(raw).is_integer() else str(raw)
                return raw
            case "choice":
                return self.code_for(item.codelist or "", raw)
            case "mark":
                return True if str(raw).upper() == MARK else raw
        return raw

    def code_for(self, codelist_id: str, raw: Any) -> Any:
        if codelist_id not in self.labels:
            labels = choice_labels(self.definition, codelist_id, self.language)
            self.labels[codelist_id] = {label: code for code, label in labels.items()}
        text = str(raw)
        if text in self.labels[codelist_id]:
            return self.labels[codelist_id][text]
        return text

    def result(self) -> dict[str, Any]:
        for table, rows in self.rows.items():
            kept = []
            for index in sorted(rows):
                row = rows[index]
                if all(value is None for value in _leaves(row)):
                    continue
                row_number = len(kept)
                kept.append(_compact(row))
                path = _path(table) + f"[{row_number}]"
                for key, position in self.row_positions[table][index].items():
                    self.positions[f"{path}.{key}"] = position
            if kept:
                _set_nested(self.value, table, kept)
        return self.value


def _set_marked(cells: dict, keys: tuple[str, ...], value: Any) -> None:
    if len(keys) == 2:  # a multiple-choice column of a table: (column, code)
        codes = cells.setdefault(keys[0], {})
        codes[keys[1]] = value
    else:
        cells[keys[0]] = value


def _compact(row: dict[str, Any]) -> dict[str, Any]:
    compacted: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            marked = [code for code, mark in value.items() if mark is True]
            if marked:
                compacted[key] = marked
        elif value is not None:
            compacted[key] = value
    return compacted


def _leaves(row: dict[str, Any]):
    for value in row.values():
        if isinstance(value, dict):
            yield from value.values()
        else:
            yield value


def _set_nested(target: dict, location: tuple[str, ...], value: Any) -> None:
    for key in location[:-1]:
        target = target.setdefault(key, {})
    target[location[-1]] = value


def _path(location: tuple[str, ...]) -> str:
    return ".".join(location)


__all__ = ["ROW_CODE", "ReadReturn", "read_metadata", "read_questionnaire"]
