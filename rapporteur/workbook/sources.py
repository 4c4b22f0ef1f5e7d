"""Two ways to read the cells of a returned workbook, giving the same values.

`CalamineSource` is the fast one: python-calamine (Rust) reads every value of a sheet at
once, about twenty times faster than openpyxl. Calamine knows neither defined names nor
formulas, and reads an error cell (#REF!) or a formula without a computed value as an
empty cell: so the defined names are taken from xl/workbook.xml, parsed with defusedxml,
and formulas and error cells from the sheet's own XML, which is small once the file has
passed `package.inspect_file`. Anything left blank where the file holds something
would be data silently lost.

`OpenpyxlSource` reads the same through openpyxl, read-only: the fallback for a file
calamine cannot open, and the reference the fast reader is tested against.

Both give cell values as openpyxl's read-only mode gives them: a formula as its text
("=B6+B7") with its computed value apart, an error as its code ("#REF!"), whole numbers
as int, dates as datetime.
"""

import datetime
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring, iterparse

Cell = tuple[str, int, int]
"""(sheet title, row, column), 1-based."""

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_FORMULA_CELL = re.compile(
    rb"<" + _PREFIX + rb"c\s([^>]*[^/>])>\s*<" + _PREFIX + rb"f(?:\s[^>]*?)?(?:/>|>(.*?)</"
    + _PREFIX + rb"f>)",
    re.S,
)  # fmt: skip
_ERROR_CELL = re.compile(rb"<" + _PREFIX + rb'c\s([^>]*\bt="e"[^>/]*)>')
_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
# A worksheet written with a namespace prefix (<x:worksheet>), as some programs do.
PREFIXED_WORKSHEET = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:<\?[^>]*\?>)?\s*<[A-Za-z_][\w.-]*:worksheet[\s>]"
)
_CELL_END = re.compile(rb"</" + _PREFIX + rb"c>")
_VALUE = re.compile(rb"<" + _PREFIX + rb"v>(.*?)</" + _PREFIX + rb"v>", re.S)
_LARGEST_EXACT_INTEGER = 2**53
_DEFINED_NAME = re.compile(
    rb"<" + _PREFIX + rb"definedName\b([^>]*?)(?:/>|>(.*?)</" + _PREFIX + rb"definedName>)", re.S
)
_NAME_ATTRIBUTE = re.compile(rb'\bname\s*=\s*"([^"]*)"')
_LOCAL_SHEET = re.compile(rb"\blocalSheetId\s*=")
# One area of one sheet, as every name of ours is: 'Sheet name'!$B$6:$B$9 or Sheet!$B$6.
_SIMPLE_DESTINATION = re.compile(
    r"(?:'((?:[^']|'')+)'|([^'!,\s]+))!(\$?[A-Z]{1,3}\$?[0-9]{1,7}(?::\$?[A-Z]{1,3}\$?[0-9]{1,7})?)"
)


class Source(Protocol):
    sheetnames: list[str]
    formulas: set[Cell]
    """The cells read so far that hold a formula (not text that starts with =)."""

    def destinations(self, name: str) -> list[tuple[str, str]]: ...

    def cells(self, sheet: str, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], Any]: ...

    def computed(self, formulas: set[Cell]) -> dict[Cell, Any]: ...

    def close(self) -> None: ...


class OpenpyxlSource:
    def __init__(self, path: Path):
        from openpyxl import load_workbook

        self.path = path
        self.workbook = load_workbook(path, read_only=True, data_only=False, keep_links=False)
        self.sheetnames = list(self.workbook.sheetnames)
        self.formulas: set[Cell] = set()

    def destinations(self, name: str) -> list[tuple[str, str]]:
        defined = self.workbook.defined_names.get(name)
        try:
            return list(defined.destinations) if defined is not None else []
        except (AttributeError, ValueError):
            return []

    def cells(self, sheet: str, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], Any]:
        values = {}
        for (row, column), cell in _wanted_cells(self.workbook[sheet], wanted).items():
            values[(row, column)] = cell.value
            if cell.data_type == "f":
                self.formulas.add((sheet, row, column))
        return values

    def computed(self, formulas: set[Cell]) -> dict[Cell, Any]:
        from openpyxl import load_workbook

        workbook = load_workbook(self.path, read_only=True, data_only=True, keep_links=False)
        try:
            values = {}
            for sheet in {sheet for sheet, _, _ in formulas}:
                wanted = {(row, column) for title, row, column in formulas if title == sheet}
                for (row, column), cell in _wanted_cells(workbook[sheet], wanted).items():
                    values[(sheet, row, column)] = cell.value
            return values
        finally:
            workbook.close()

    def close(self) -> None:
        self.workbook.close()


def _wanted_cells(worksheet, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """Every wanted cell of a sheet holding something, read row by row (fast in read-only
    mode); cells rather than values, whose type tells a formula from text starting with =."""
    max_row = max(row for row, _ in wanted)
    max_col = max(column for _, column in wanted)
    cells = {}
    rows = worksheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col)
    for row_number, row in enumerate(rows, start=1):
        for column_number, cell in enumerate(row, start=1):
            if cell.value is not None and (row_number, column_number) in wanted:
                cells[(row_number, column_number)] = cell
    return cells


@dataclass(frozen=True)
class Grid:
    """One sheet read in bulk, once: every value by row as calamine gives it ("" for a
    blank cell), its formulas and error cells from the sheet's XML, and that XML."""

    rows: list[list[Any]]
    formulas: dict[tuple[int, int], str]
    errors: dict[tuple[int, int], str]
    xml: bytes


class CalamineSource:
    def __init__(self, path: Path):
        from python_calamine import CalamineWorkbook

        self.path = path
        self.package = zipfile.ZipFile(path)
        try:
            self._parts = sheet_parts(self.package)
            self.workbook = CalamineWorkbook.from_path(str(path))
        except BaseException:
            self.package.close()
            raise
        self.sheetnames = list(self.workbook.sheet_names)
        self.formulas: set[Cell] = set()
        self._computed: dict[Cell, Any] = {}
        self._grids: dict[str, Grid] = {}
        self._names: dict[str, str] | None = None

    def destinations(self, name: str) -> list[tuple[str, str]]:
        if self._names is None:  # only a return's names are read, not a reference's
            self._names = workbook_names(self.package)
        text = self._names.get(name)
        return list(_parse_destinations(text)) if text else []

    def grid(self, sheet: str) -> Grid:
        """The sheet, parsed the first time it is asked for: the reader and the check
        outside the inputs share one reading of each sheet."""
        if sheet not in self._grids:
            xml = self.package.read(self._parts[sheet]) if sheet in self._parts else b""
            rows = self.workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            self._grids[sheet] = Grid(rows, *_special_cells(xml), xml)
        return self._grids[sheet]

    def grids(self) -> dict[str, Grid]:
        return {sheet: self.grid(sheet) for sheet in self.sheetnames}

    def cells(self, sheet: str, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], Any]:
        grid = self.grid(sheet)
        rows, formulas, errors = grid.rows, grid.formulas, grid.errors
        values = {}
        height, width = len(rows), len(rows[0]) if rows else 0
        for row, column in wanted:
            value = rows[row - 1][column - 1] if row <= height and column <= width else ""
            if value == "" or value is None:
                value = errors.get((row, column))
                if value is None and (row, column) not in formulas:
                    continue  # blank: by far the most common cell of a return
            elif type(value) is not str:
                value = _as_openpyxl_gives(value)
            if (row, column) in formulas:
                self.formulas.add((sheet, row, column))
                self._computed[(sheet, row, column)] = value
                value = formulas[(row, column)]
            if value is not None:
                values[(row, column)] = value
        return values

    def computed(self, formulas: set[Cell]) -> dict[Cell, Any]:
        return {cell: self._computed[cell] for cell in formulas if cell in self._computed}

    def close(self) -> None:
        self.workbook.close()
        self.package.close()


def _as_openpyxl_gives(value: Any) -> Any:
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < _LARGEST_EXACT_INTEGER:
        return int(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time())
    return value


def workbook_names_and_parts(package: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    """The workbook's global defined names (name → reference text), and each sheet's part."""
    return workbook_names(package), sheet_parts(package)


def workbook_names(package: zipfile.ZipFile) -> dict[str, str]:
    """The global defined names, found by a search of xl/workbook.xml rather than parsed:
    hundreds of them, read for every return. `package.inspect_file` has refused any file
    with a DTD or an entity declaration by then, and the workbook parses (sheet_parts):
    each name is an element's attributes and escaped text, nothing else can hide in it."""
    names = {}
    for match in _DEFINED_NAME.finditer(package.read("xl/workbook.xml")):
        attributes, text = match.group(1), match.group(2) or b""
        name = _NAME_ATTRIBUTE.search(attributes)
        if name is not None and _LOCAL_SHEET.search(attributes) is None:
            names[_characters(name.group(1))] = _characters(text).strip()
    return names


def _characters(text: bytes) -> str:
    return _unescaped(text) if b"&" in text else text.decode("utf-8", "replace")


def sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's part. The sheets come before the defined names in xl/workbook.xml,
    hundreds in a questionnaire: the file is read no further than its sheets."""
    relationships = _parsed(package, "xl/_rels/workbook.xml.rels")
    targets = {
        element.get("Id"): element.get("Target", "")
        for element in relationships.iter(f"{_PACKAGE_RELATIONSHIP}Relationship")
    }
    parts = {}
    with package.open("xl/workbook.xml") as stream:
        for _, element in iterparse(stream, events=("end",), forbid_dtd=True):
            if element.tag == f"{_MAIN}sheet":
                target = targets.get(element.get(_RELATIONSHIP_ID), "")
                if target:
                    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                    parts[element.get("name", "")] = part
            elif element.tag == f"{_MAIN}sheets":
                break
    return parts


def _parsed(package: zipfile.ZipFile, name: str) -> Element:
    return fromstring(package.read(name), forbid_dtd=True)


@lru_cache(maxsize=8192)  # the same few hundred names, in every file of a round
def _parse_destinations(text: str) -> tuple[tuple[str, str], ...]:
    """'1 Tendencias'!$B$6:$B$9 → [("1 Tendencias", "$B$6:$B$9")]; several areas, or
    none (#REF!), give as many or no destinations."""
    simple = _SIMPLE_DESTINATION.fullmatch(text)
    if simple is not None:
        sheet = simple.group(1) if simple.group(1) is not None else simple.group(2)
        return ((sheet.replace("''", "'"), simple.group(3)),)
    destinations = []
    for area in _areas(text):
        sheet, bang, reference = area.rpartition("!")
        if not bang or not sheet:
            return ()
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        destinations.append((sheet, reference))
    return tuple(destinations)


def _areas(text: str) -> Iterable[str]:
    """Split on commas outside quoted sheet names."""
    area, quoted = "", False
    for char in text:
        if char == "'":
            quoted = not quoted
        if char == "," and not quoted:
            yield area
            area = ""
        else:
            area += char
    yield area


def _special_cells(xml: bytes) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]:
    """The formula cells (their formula, as "=…") and the error cells (their code)."""
    formulas: dict[tuple[int, int], str] = {}
    errors: dict[tuple[int, int], str] = {}
    if PREFIXED_WORKSHEET.match(xml) is not None:
        for match in _FORMULA_CELL.finditer(xml):
            position = _position(match.group(1))
            if position is not None:
                text = match.group(2)
                formulas[position] = "=" + _unescaped(text) if text else "=…"
    else:
        formulas = _unprefixed_formulas(xml)
    if b't="e"' in xml:
        for match in _ERROR_CELL.finditer(xml):
            position = _position(match.group(1))
            if position is not None:
                end = _CELL_END.search(xml, match.end())
                value = _VALUE.search(xml, match.end(), end.start() if end else len(xml))
                errors[position] = _unescaped(value.group(1)) if value else "#N/A"
    return formulas, errors


def _unprefixed_formulas(xml: bytes) -> dict[tuple[int, int], str]:
    """The same as the _FORMULA_CELL search, from each <f> back to its cell: a sheet has
    thousands of cells and a few formulas, so this is many times faster."""
    formulas: dict[tuple[int, int], str] = {}
    start = xml.find(b"<f")
    while start != -1:
        if xml[start + 2 : start + 3] in (b">", b" ", b"/"):
            tag = xml.rfind(b"<c ", 0, start)
            tag_end = xml.find(b">", tag) if tag != -1 else -1
            opened = tag_end != -1 and xml[tag_end - 1 : tag_end] != b"/"
            position = _position(xml[tag + 3 : tag_end]) if opened else None
            if position is not None and not xml[tag_end + 1 : start].strip():
                element_end = xml.find(b">", start)
                if xml[element_end - 1 : element_end] == b"/":
                    formulas[position] = "=…"
                else:
                    text = xml[element_end + 1 : xml.find(b"</f>", element_end)]
                    formulas[position] = "=" + _unescaped(text) if text else "=…"
        start = xml.find(b"<f", start + 2)
    return formulas


def _position(attributes: bytes) -> tuple[int, int] | None:
    reference = _REFERENCE.search(attributes)
    if reference is None:
        return None
    return int(reference.group(2)), _column_number(reference.group(1).decode())


_ENTITY = re.compile(r"&(?:(lt|gt|quot|apos|amp)|#([0-9]+)|#[xX]([0-9a-fA-F]+));")
_NAMED = {"lt": "<", "gt": ">", "quot": '"', "apos": "'", "amp": "&"}


def _unescaped(text: bytes) -> str:
    """XML text as its characters: the five named references and the numeric ones, which
    some writers use for every character outside ASCII ("&#10003;" for "✓"; openpyxl does
    when lxml is installed). One pass, so that "&amp;#38;" stays "&#38;"."""
    return _ENTITY.sub(_character, text.decode("utf-8", "replace"))


def _character(match: re.Match) -> str:
    named, decimal, hexadecimal = match.groups()
    if named:
        return _NAMED[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    return chr(code) if 0 < code <= 0x10FFFF else match.group(0)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
