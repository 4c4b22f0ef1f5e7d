"""Reading a returned questionnaire back into a return, by defined name, never by position.

Cells are read through a `Source` (sources.py): python-calamine by default, openpyxl
where asked or where calamine cannot open the file; both give the same values. Each
input's cells are found through the workbook's defined names and read as the typed values
stored in them. A formula is never evaluated nor trusted: the value the spreadsheet
program computed and saved is read, and a formula without one is reported. Every value is
converted to the type the definition asks for; what cannot be is reported with its cell,
and left out of the return rather than guessed.
"""

import datetime
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from openpyxl.utils import get_column_letter, range_boundaries

from rapporteur.definition import Definition, Input, available_versions, load_definition
from rapporteur.messages import LANGUAGES, Number, message
from rapporteur.problems import Problem
from rapporteur.workbook.metadata import METADATA_SHEET, Metadata
from rapporteur.workbook.sources import CalamineSource, Grid, OpenpyxlSource, Source
from rapporteur.workbook.writer import MARK, choice_labels

Engine = Literal["calamine", "openpyxl"]
Position = tuple[str, str]
"""(sheet title, cell coordinate)"""

_WHOLE_NUMBER_TEXT = re.compile(r"^[+]?[0-9]{1,9}$")
_DECIMAL_COMMA_TEXT = re.compile(r"^[+-]?[0-9]+,[0-9]+$")
# "1,200" or "1.200": a thousands separator or a decimal sign, no one can tell which.
_AMBIGUOUS_TEXT = re.compile(r"^[+-]?[0-9]{1,3}[.,][0-9]{3}$")
# "1.234,5", "1 234", "12.345.678": digits grouped by thousands, typed as text.
_GROUPED_TEXT = re.compile(r"^[+-]?[0-9]{1,3}([.,\s])[0-9]{3}(?:\1[0-9]{3})*(?:[.,][0-9]+)?$")
_DATE_TEXT = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$|^\d{4}-\d{2}-\d{2}$")
_ERROR_VALUES = {"#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#N/A", "#NUM!", "#NULL!"}


class UnknownVersion(Exception):
    """A questionnaire whose metadata names a version this tool does not define: either
    the metadata was edited or the file comes from a newer tool."""

    def __init__(self, metadata: Metadata, signature: str):
        super().__init__(metadata.version)
        self.metadata = metadata
        self.signature = signature


@dataclass
class ReadReturn:
    metadata: Metadata
    signature: str
    value: dict[str, Any]
    positions: dict[str, Position] = field(default_factory=dict)
    missing_names: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheetnames: list[str] = field(default_factory=list)
    found_at: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    """Where each defined name points: (sheet title, row, column) of its first cell."""
    grids: dict[str, Grid] | None = None
    """Every sheet as read (by the fast reader), for the check outside the inputs."""

    def position_of(self, path: str) -> Position | None:
        """The cell a problem at `path` points to: its own, else the first of its block."""
        while path:
            if path in self.positions:
                return self.positions[path]
            for known, position in self.positions.items():
                if known.startswith((path + ".", path + "[")):
                    return position
            path = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", path) if re.search(r"[.\[]", path) else ""
        return None


def read_metadata(workbook) -> tuple[Metadata, str] | None:
    """The metadata of a questionnaire opened with openpyxl, or None."""
    if METADATA_SHEET not in workbook.sheetnames:
        return None
    rows = workbook[METADATA_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True)
    return _metadata({str(row[0]): row[1] for row in rows if row and row[0] is not None})


def _metadata(values: dict[str, Any]) -> tuple[Metadata, str] | None:
    try:
        metadata = Metadata(
            agency=str(values["agency"]),
            kind=str(values["kind"]),
            round=str(values["round"]),
            version=int(values["version"]),
            language=str(values["language"]),
            fingerprint=str(values["fingerprint"]),
            format=int(values["format"]),
            issue=int(values.get("issue") or 0),
        )
    except (KeyError, TypeError, ValueError):
        return None
    return metadata, str(values.get("signature") or "")


def open_source(path: Path, engine: Engine = "calamine") -> Source:
    """The fast reader, or openpyxl's where asked or where calamine cannot read the file."""
    if engine == "calamine":
        try:
            return CalamineSource(path)
        except Exception:  # calamine and the XML parser raise their own kinds
            pass
    return OpenpyxlSource(path)


def read_questionnaire(path: Path, engine: Engine = "calamine") -> ReadReturn | None:
    """The return in a questionnaire file, or None if it carries no metadata of ours."""
    source = open_source(path, engine)
    try:
        if METADATA_SHEET not in source.sheetnames:
            return None
        rows = source.cells(
            METADATA_SHEET, {(row, column) for row in range(1, 21) for column in (1, 2)}
        )
        found = _metadata(
            {str(rows[(row, 1)]): rows.get((row, 2)) for row in range(1, 21) if (row, 1) in rows}
        )
        if found is None:
            return None
        metadata, signature = found
        if metadata.version not in available_versions():
            raise UnknownVersion(metadata, signature)
        definition = load_definition(metadata.version)
        inputs = _inputs(metadata.version, metadata.kind)
        places, missing = _locate(source, inputs)
        raw = _read_cells(source, places)
        formulas = source.formulas
        computed = source.computed(formulas) if formulas else {}
        grids = source.grids() if isinstance(source, CalamineSource) else None
    finally:
        source.close()
    reader = CellReader(definition, metadata.language, places)
    for item, sheet, column, first_row, rows in places:
        for index in range(rows):
            cell = (sheet, first_row + index, column)
            value = raw.get(cell)
            if value is None and rows > 1:
                continue  # a blank cell of a table: nothing to read, nothing to point at
            position = (sheet, f"{get_column_letter(column)}{first_row + index}")
            if cell in formulas:
                value = computed.get(cell)
                if value is None:
                    reader.problem(item, position, "cell.formula_without_value", formula=raw[cell])
                    continue
                # The saved result is read, but the office must know it was not typed.
                reader.problem(
                    item, position, "cell.formula_in_input", severity="warning", formula=raw[cell]
                )
            reader.take(item, index, value, position)
    return ReadReturn(
        metadata,
        signature,
        reader.result(),
        reader.positions,
        missing,
        reader.problems,
        source.sheetnames,
        {item.name: (sheet, row, column) for item, sheet, column, row, _ in places},
        grids,
    )


@cache
def _inputs(version: int, kind: str) -> tuple[Input, ...]:
    return load_definition(version).inputs(kind)


def _locate(source: Source, inputs: tuple[Input, ...]):
    places, missing = [], []
    for item in inputs:
        destinations = source.destinations(item.name)
        if len(destinations) != 1 or destinations[0][0] not in source.sheetnames:
            missing.append(item.name)
            continue
        sheet, reference = destinations[0]
        bounds = _bounds(reference)
        if bounds is None:
            missing.append(item.name)
            continue
        min_col, min_row, max_col, max_row = bounds
        if min_col != max_col or (max_row - min_row + 1) != (item.rows or 1):
            missing.append(item.name)
            continue
        places.append((item, sheet, min_col, min_row, max_row - min_row + 1))
    return places, missing


@lru_cache(maxsize=8192)
def _bounds(reference: str) -> tuple[int, int, int, int] | None:
    try:
        bounds = range_boundaries(reference.replace("$", ""))
    except (TypeError, ValueError):
        return None
    return bounds if None not in bounds else None  # a whole row or column is no input


def _read_cells(source: Source, places) -> dict[tuple[str, int, int], Any]:
    wanted: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for _, sheet, column, first_row, rows in places:
        for row in range(first_row, first_row + rows):
            wanted[sheet].add((row, column))
    values: dict[tuple[str, int, int], Any] = {}
    for sheet, cells in wanted.items():
        for (row, column), value in source.cells(sheet, cells).items():
            values[(sheet, row, column)] = value
    return values


class CellReader:
    """Typed cells into a return: each value converted and checked as its input asks, and
    a problem at its cell for every value that cannot be taken as typed. `archive import`
    reads a table of figures with it too."""

    def __init__(self, definition: Definition, language: str, places: list | None = None):
        self.definition = definition
        self.places = places or []
        self.language = language if language in LANGUAGES else "es"
        self.value: dict[str, Any] = {}
        self.rows: dict[tuple[str, ...], dict[int, dict[str, Any]]] = {}
        self.positions: dict[str, Position] = {}
        self.problems: list[Problem] = []
        self.labels: dict[str, dict[str, str]] = {}

    def problem(self, item: Input, position: Position, key: str, severity="error", **params):
        self.problems.append(
            Problem(
                code=key.replace(".", "-").replace("_", "-"),
                severity=severity,
                message=message(key, **params),
                sheet=position[0],
                cell=position[1],
                field=item.path,
                label=item.label,
            )
        )

    def take(self, item: Input, index: int, raw: Any, position: Position) -> None:
        value = self.convert(item, raw, position)
        location = item.location
        if "*" in location:
            star = location.index("*")
            table, keys = location[:star], location[star + 1 :]
            if value is not None:  # where blank cells of a kept row are is known from places
                _set_marked(self.rows.setdefault(table, {}).setdefault(index, {}), keys, value)
            return
        # Blank cells are placed too: a required answer left blank is pointed at.
        if item.type == "mark":
            self.positions.setdefault(location[0], position)
            if value is not None:
                self.value.setdefault(location[0], []).append(location[1])
            return
        self.positions[".".join(location)] = position
        if value is not None:
            _set_nested(self.value, location, value)

    def convert(self, item: Input, raw: Any, position: Position) -> Any:
        if isinstance(raw, str):
            text = raw.strip()
            if text == "":
                return None
            if text.upper() in _ERROR_VALUES:
                self.problem(item, position, "cell.error_value", found=text)
                return None
        if raw is None:
            return None
        match item.type:
            case "count" | "eur" | "number" | "pct":
                return self._number(item, raw, position)
            case "date":
                return self._date(item, raw, position)
            case "text":
                if isinstance(raw, bool):
                    self.problem(item, position, "cell.boolean", found=_logical(raw))
                    return None
                if isinstance(raw, (int, float)):
                    return _as_shown(raw, self.language)
                if isinstance(raw, (datetime.datetime, datetime.date, datetime.time)):
                    return _shown(raw)
                return str(raw).strip()
            case "choice":
                return self._code(item, raw)
            case "mark":
                if str(raw).strip().upper() == MARK:
                    return True
                self.problem(item, position, "cell.bad_mark", found=_shown(raw), mark=MARK)
                return None
        return raw

    def _number(self, item: Input, raw: Any, position: Position) -> Any:
        if isinstance(raw, bool):
            self.problem(item, position, "cell.boolean_number", found=_logical(raw))
            return None
        if isinstance(raw, (datetime.datetime, datetime.date, datetime.time)):
            self.problem(item, position, "cell.date_in_number", found=_shown(raw))
            return None
        if isinstance(raw, str):
            text = raw.strip()
            if _WHOLE_NUMBER_TEXT.match(text):
                self.problem(item, position, "cell.number_as_text", severity="warning", found=text)
                return int(text)
            if _AMBIGUOUS_TEXT.match(text):
                self.problem(
                    item,
                    position,
                    "cell.ambiguous_separator",
                    found=text,
                    thousands=Number(int(text[:-4] + text[-3:])),
                    decimal=Number(float(text.replace(",", "."))),
                )
                return None
            grouped = _GROUPED_TEXT.match(text)
            if grouped:
                separator = grouped.group(1)
                plain = text.replace(separator, "")
                self.problem(item, position, "cell.thousands_separator", found=text, plain=plain)
                return None
            if _DECIMAL_COMMA_TEXT.match(text):
                self.problem(item, position, "cell.decimal_comma", found=text)
                return None
            self.problem(item, position, "cell.text_in_number", found=text)
            return None
        if isinstance(raw, float) and raw.is_integer() and item.type == "count":
            return int(raw)
        return raw

    def _date(self, item: Input, raw: Any, position: Position) -> Any:
        if isinstance(raw, datetime.datetime):
            if raw.time() == datetime.time(0):
                return raw.date()
            self.problem(item, position, "cell.date_with_time", found=_shown(raw))
            return None
        if isinstance(raw, datetime.date):
            return raw
        if isinstance(raw, str) and _DATE_TEXT.match(raw.strip()):
            self.problem(item, position, "cell.date_as_text", found=raw.strip())
            return None
        self.problem(item, position, "cell.not_a_date", found=_shown(raw))
        return None

    def _code(self, item: Input, raw: Any) -> Any:
        codelist_id = item.codelist or ""
        if codelist_id not in self.labels:
            labels = choice_labels(self.definition, codelist_id, self.language)
            self.labels[codelist_id] = {
                unicodedata.normalize("NFC", label): code for code, label in labels.items()
            }
        # Pasted text, or a Mac's keyboard, may spell "á" as "a" and a combining accent.
        text = unicodedata.normalize("NFC", str(raw).strip())
        if text in self.labels[codelist_id]:
            return self.labels[codelist_id][text]
        # A country is picked as "MA – Marruecos": the code is what counts, so a list
        # named before CLDR's names were used ("MA – Morocco") still reads.
        code, dash, _ = text.partition(" – ")
        if dash and code in self.labels[codelist_id].values():
            return code
        return text

    def result(self) -> dict[str, Any]:
        for table, rows in self.rows.items():
            kept = []
            for index in sorted(rows):
                row = rows[index]
                if all(value is None for value in _leaves(row)):
                    continue
                path = ".".join(table) + f"[{len(kept)}]"
                kept.append(_compact(row))
                for item, sheet, column, first_row, _ in self.places:
                    location = item.location
                    if "*" in location and location[: location.index("*")] == table:
                        key = location[location.index("*") + 1]
                        position = (sheet, f"{get_column_letter(column)}{first_row + index}")
                        self.positions.setdefault(path, position)
                        self.positions.setdefault(f"{path}.{key}", position)
            if kept:
                _set_nested(self.value, table, kept)
        return self.value


def _logical(value: bool):
    """As the spreadsheet shows it, in the questionnaire's language."""
    return message("cell.true" if value else "cell.false")


def _as_shown(number: int | float, language: str) -> str:
    """A number as a spreadsheet's general format shows it to the clerk: at most 15
    significant digits, the language's decimal sign, never digits nobody typed
    (1,23456789012346E+19, not 12345678901234599936)."""
    from rapporteur import formats

    return format(number, ".15g").upper().replace(".", formats.decimal_sign(language))


def _shown(value: Any) -> str:
    """A value as the office reads it: dates as dd/mm/yyyy, times without zero seconds."""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y ") + _clock(value.time())
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return _clock(value)
    return f"«{value}»" if isinstance(value, str) else str(value)


def _clock(time: datetime.time) -> str:
    return time.strftime("%H:%M:%S" if time.second else "%H:%M")


def _set_marked(cells: dict, keys: tuple[str, ...], value: Any) -> None:
    if len(keys) == 2:  # a multiple-choice column of a table: (column, code)
        cells.setdefault(keys[0], {})[keys[1]] = value
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
