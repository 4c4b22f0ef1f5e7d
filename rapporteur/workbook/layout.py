"""Where everything goes in a questionnaire workbook, independent of its language.

The layout of a (questionnaire version, kind of agency) is computed once: which sheets,
and in each, which cell holds which label, input, sum or previous value. The writer then
renders it in Spanish or English; the reader only needs the defined names. The layout's
fingerprint covers every input's name and position, so two workbooks with the same
fingerprint can be read the same way whatever their language.

A repeating table that has a sheet name of its own (`sheet` in the definition) is laid
out on that sheet, with its header on the rows printed at the top of every page; the
question stays in its section, pointing to it. Each question's rows form a block the
printed page keeps together.

Questionnaires issued with an earlier layout are read with the positions it had, kept in
`data/earlier-layouts.json` by fingerprint: a return is always checked against the
questionnaire it was filled in.
"""

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Literal

from openpyxl.utils import get_column_letter

from rapporteur.definition import (
    MINORS,
    ROW_CODE,
    TOTAL,
    Breakdown,
    Definition,
    Input,
    QuestionField,
    Section,
    load_definition,
)
from rapporteur.messages import Localized, Verbatim, message

FIRST_INPUT_COLUMN = 2  # B
UNIT_COLUMN = 3  # C
PREVIOUS_COLUMN = 4  # D
HEADER_ROWS = 4
"""Title, subtitle, legend and the header of what follows: printed on every page."""
GENERATION = 2
"""The layout's own version: a change of positions is a new generation (see the module)."""

CellRole = Literal[
    "part",
    "label",
    "help",
    "header",
    "row_label",
    "unit",
    "sum_label",
    "sum",
    "check",
    "computed",
    "see_sheet",
]


@dataclass(frozen=True)
class Placed:
    """An input and where it sits: one cell, or `rows` cells down a column."""

    input: Input
    row: int
    column: int
    rows: int = 1

    @property
    def reference(self) -> str:
        first = f"${get_column_letter(self.column)}${self.row}"
        if self.rows == 1:
            return first
        return f"{first}:${get_column_letter(self.column)}${self.row + self.rows - 1}"

    def cell(self, index: int = 0) -> tuple[int, int]:
        return self.row + index, self.column


@dataclass(frozen=True)
class Decoration:
    """Anything written that is not an input: a label, a header, a formula."""

    row: int
    column: int
    role: CellRole
    text: Localized | None = None
    formula: str | None = None
    required: bool = False
    span: int = 1
    rotated: bool = False
    """A header written upwards, over the narrow column of an X mark."""


@dataclass
class SheetLayout:
    section: Section
    title: Localized
    table: QuestionField | None = None
    """The repeating table that has this sheet to itself, if it is one."""
    inputs: list[Placed] = field(default_factory=list)
    decorations: list[Decoration] = field(default_factory=list)
    previous: list[tuple[Placed, int]] = field(default_factory=list)
    """Inputs whose previous-round value is shown, and the row to show it on."""
    text_rows: list[int] = field(default_factory=list)
    last_row: int = HEADER_ROWS
    last_column: int = PREVIOUS_COLUMN
    blocks: list[tuple[int, int]] = field(default_factory=list)
    """First and last row of each question: printed on one page where it fits."""

    def place(self, item: Input, row: int, column: int, rows: int = 1) -> Placed:
        placed = Placed(item, row, column, rows)
        self.inputs.append(placed)
        self.last_column = max(self.last_column, column)
        return placed

    def decorate(self, row: int, column: int, role: CellRole, **values) -> None:
        self.decorations.append(Decoration(row, column, role, **values))
        self.last_column = max(self.last_column, column + values.get("span", 1) - 1)


@dataclass
class WorkbookLayout:
    version: int
    kind: str
    sheets: list[SheetLayout]
    fingerprint: str

    def placed(self) -> dict[str, tuple[int, Placed]]:
        """Every input by defined name, with the index of its sheet among the sections."""
        return {
            placed.input.name: (index, placed)
            for index, sheet in enumerate(self.sheets)
            for placed in sheet.inputs
        }


@cache
def workbook_layout(version: int, kind: str) -> WorkbookLayout:
    """The layout questionnaires are issued with now."""
    definition = load_definition(version)
    inputs = {item.location: item for item in definition.inputs(kind)}
    sheets = []
    for section in definition.sections_for(kind):
        sheet = SheetLayout(section, section.sheet)
        builder = _SheetBuilder(definition, kind, sheet, inputs)
        for field_ in definition.asked_fields(kind) + _computed(definition, kind):
            if definition.part(field_.part).section == section.id:
                builder.add_field(field_)
        sheets += [sheet, *builder.table_sheets]
    return WorkbookLayout(version, kind, sheets, _fingerprint(version, kind, sheets))


def layout_of(version: int, kind: str, fingerprint: str) -> WorkbookLayout | None:
    """The layout a questionnaire was issued with, by its fingerprint: today's, or an
    earlier one; None for a fingerprint no questionnaire of this version and kind had."""
    current = workbook_layout(version, kind)
    if current.fingerprint == fingerprint:
        return current
    return _earlier_layouts(version, kind).get(fingerprint)


@cache
def _stored_layouts() -> dict[str, dict]:
    text = files("rapporteur.data").joinpath("earlier-layouts.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _earlier_layouts(version: int, kind: str) -> dict[str, WorkbookLayout]:
    stored = _stored_layouts()
    definition = load_definition(version)
    by_name = {item.name: item for item in definition.inputs(kind)}
    sections = {section.id: section for section in definition.sections}
    layouts = {}
    for fingerprint, entry in stored.items():
        if (entry["version"], entry["kind"]) != (version, kind):
            continue
        sheets = []
        for sheet in entry["sheets"]:
            section = sections[sheet["section"]]
            layout = SheetLayout(section, section.sheet)
            placed = {
                name: layout.place(by_name[name], row, column, rows)
                for name, row, column, rows in sheet["inputs"]
            }
            layout.previous = [(placed[name], row) for name, row in sheet["previous"]]
            sheets.append(layout)
        layouts[fingerprint] = WorkbookLayout(version, kind, sheets, fingerprint)
    return layouts


def _computed(definition: Definition, kind: str) -> tuple[QuestionField, ...]:
    return tuple(
        field_
        for field_ in definition.fields
        if field_.computed and definition.part(field_.part).applies.get(kind)
    )


def _fingerprint(version: int, kind: str, sheets: list[SheetLayout]) -> str:
    digest = hashlib.sha256(f"rapporteur-layout/{version}/{kind}/{GENERATION}".encode())
    for index, sheet in enumerate(sheets):
        digest.update(f"|sheet:{sheet.section.id}:{sheet.table.id if sheet.table else ''}".encode())
        for placed in sheet.inputs:
            digest.update(
                f"|{placed.input.name}@{index}:{placed.row}:{placed.column}:{placed.rows}".encode()
            )
    return digest.hexdigest()


class _SheetBuilder:
    def __init__(self, definition: Definition, kind: str, sheet: SheetLayout, inputs: dict):
        self.definition = definition
        self.kind = kind
        self.sheet = sheet
        self.inputs = inputs
        self.row = HEADER_ROWS + 1
        self.part: str | None = None
        self.table_sheets: list[SheetLayout] = []
        self.spans: list[int] = []
        """The first row of each breakdown table of the question being laid out."""

    def next_row(self) -> int:
        self.row += 1
        self.sheet.last_row = self.row
        return self.row

    def add_field(self, field_: QuestionField) -> None:
        first = self.row + 1
        if field_.part != self.part:
            self.part = field_.part
            self.next_row()
            self.sheet.decorate(
                self.next_row(), 1, "part", text=self.definition.part(field_.part).label
            )
        self.spans = []
        self._field(field_)
        # The question with its help and first table; every further table on its own.
        starts = [first, *self.spans[1:]]
        ends = [start - 1 for start in starts[1:]] + [self.row]
        self.sheet.blocks.extend(zip(starts, ends, strict=True))

    def _field(self, field_: QuestionField) -> None:
        requirement = self.definition.requirement(field_, self.kind)
        required = requirement == "required"
        label_row = self.next_row()
        self.sheet.decorate(label_row, 1, "label", text=field_.label, required=required)
        if field_.computed:
            self.sheet.decorate(label_row, FIRST_INPUT_COLUMN, "computed", formula=field_.computed)
        elif field_.type == "table" and field_.sheet is not None:
            self._help(field_)
            self.sheet.decorate(self.next_row(), 1, "see_sheet", text=field_.sheet)
            table_sheet = SheetLayout(self.sheet.section, field_.sheet, table=field_)
            builder = _SheetBuilder(self.definition, self.kind, table_sheet, self.inputs)
            builder.row = HEADER_ROWS - 1
            builder._table(field_)
            self.table_sheets.append(table_sheet)
        elif field_.type == "table":
            self._help(field_)
            self._table(field_)
        elif field_.type == "multichoice":
            self._help(field_)
            for code in self.definition.codelist(field_.codelist or ""):
                row = self.next_row()
                self.sheet.decorate(row, 1, "row_label", text=code.text)
                self.sheet.place(self.inputs[(field_.id, code.code)], row, FIRST_INPUT_COLUMN)
        else:
            location = (field_.id, TOTAL) if field_.breakdowns else (field_.id,)
            placed = self.sheet.place(self.inputs[location], label_row, FIRST_INPUT_COLUMN)
            if field_.type == "text":
                self.sheet.text_rows.append(label_row)
            elif field_.type in ("count", "eur", "number", "pct"):
                units = self.definition.codelist("unit")
                unit = next(c for c in units if c.code == (placed.input.unit or "persons"))
                self.sheet.decorate(label_row, UNIT_COLUMN, "unit", text=unit.text)
                self.sheet.previous.append((placed, label_row))
            elif field_.type == "choice":
                self.sheet.previous.append((placed, label_row))
            self._help(field_)
            for breakdown_id in field_.breakdowns:
                self._breakdown(field_, self.definition.breakdown(breakdown_id), placed)

    def _help(self, field_: QuestionField) -> None:
        self.sheet.decorate(self.next_row(), 1, "help", text=field_.help)

    def _breakdown(self, field_: QuestionField, breakdown: Breakdown, total: Placed) -> None:
        columns = self.definition.breakdown_columns(breakdown)
        header = self.next_row()
        self.spans.append(header)
        self.sheet.decorate(header, 1, "header", text=breakdown.label)
        value_columns: list[int] = []
        first_value_row = header + 1
        if breakdown.repeat:
            codelist = next(c for c in self.definition.codelists if c.id == breakdown.repeat)
            self.sheet.decorate(header, FIRST_INPUT_COLUMN, "header", text=codelist.label)
            rows = breakdown.max_rows or 1
            self.sheet.place(
                self.inputs[(field_.id, breakdown.id, "*", ROW_CODE)],
                first_value_row,
                FIRST_INPUT_COLUMN,
                rows,
            )
            for offset, (column, label) in enumerate(columns, start=FIRST_INPUT_COLUMN + 1):
                self.sheet.decorate(header, offset, "header", text=label)
                self.sheet.place(
                    self.inputs[(field_.id, breakdown.id, "*", column)],
                    first_value_row,
                    offset,
                    rows,
                )
                if column != MINORS:
                    value_columns.append(offset)
            for index in range(rows):
                self.sheet.decorate(
                    first_value_row + index, 1, "row_label", text=_number_text(index + 1)
                )
            self.row += rows
            last_value_row = self.row
        else:
            for offset, (column, label) in enumerate(columns, start=FIRST_INPUT_COLUMN):
                self.sheet.decorate(header, offset, "header", text=label)
                if column != MINORS:
                    value_columns.append(offset)
            if not columns:
                self.sheet.decorate(
                    header, FIRST_INPUT_COLUMN, "header", text=message("label.number")
                )
                value_columns.append(FIRST_INPUT_COLUMN)
            row_codes = self.definition.codelist(breakdown.rows) if breakdown.rows else [None]
            for code in row_codes:
                row = self.next_row()
                label = code.text if code else message("label.number")
                self.sheet.decorate(row, 1, "row_label", text=label)
                keys = (code.code,) if code else ()
                if not columns:
                    self.sheet.place(
                        self.inputs[(field_.id, breakdown.id, *keys)], row, FIRST_INPUT_COLUMN
                    )
                for offset, (column, _) in enumerate(columns, start=FIRST_INPUT_COLUMN):
                    self.sheet.place(
                        self.inputs[(field_.id, breakdown.id, *keys, column)], row, offset
                    )
            last_value_row = self.row
        ranges = ",".join(
            f"{get_column_letter(column)}{first_value_row}:{get_column_letter(column)}{last_value_row}"
            for column in value_columns
        )
        sum_row = self.next_row()
        total_cell = total.reference
        self.sheet.decorate(sum_row, 1, "sum_label")
        self.sheet.decorate(
            sum_row, FIRST_INPUT_COLUMN, "sum", formula=f'=IF(COUNT({ranges})=0,"",SUM({ranges}))'
        )
        sum_cell = f"{get_column_letter(FIRST_INPUT_COLUMN)}{sum_row}"
        self.sheet.decorate(
            sum_row,
            FIRST_INPUT_COLUMN + 1,
            "check",
            formula=(
                f'=IF(OR(ISBLANK({total_cell}),COUNT({ranges})=0),"",'
                f'IF({sum_cell}={total_cell},"✓","✗ ≠ "&{total_cell}))'
            ),
        )

    def _table(self, field_: QuestionField) -> None:
        header = self.next_row()
        columns: list[tuple[tuple[str, ...], Localized, bool]] = []
        for column in field_.columns:
            if column.type == "multichoice":
                for code in self.definition.codelist(column.codelist or ""):
                    label = message("label.column_choice", column=column.label, choice=code.text)
                    columns.append(((column.id, code.code), label, True))
            else:
                columns.append(((column.id,), column.label, False))
        if field_.rows:
            codelist = next(c for c in self.definition.codelists if c.id == field_.rows)
            self.sheet.decorate(header, 1, "header", text=codelist.label)
            for offset, (_, label, rotated) in enumerate(columns, start=FIRST_INPUT_COLUMN):
                self.sheet.decorate(header, offset, "header", text=label, rotated=rotated)
            for code in self.definition.codelist(field_.rows):
                row = self.next_row()
                self.sheet.decorate(row, 1, "row_label", text=code.text)
                for offset, (keys, _, _) in enumerate(columns, start=FIRST_INPUT_COLUMN):
                    self.sheet.place(self.inputs[(field_.id, code.code, *keys)], row, offset)
            return
        rows = field_.max_rows or 1
        self.sheet.decorate(header, 1, "header", text=message("label.row"))
        for offset, (keys, label, rotated) in enumerate(columns, start=FIRST_INPUT_COLUMN):
            self.sheet.decorate(header, offset, "header", text=label, rotated=rotated)
            self.sheet.place(self.inputs[(field_.id, "*", *keys)], header + 1, offset, rows)
        for index in range(rows):
            self.sheet.decorate(header + 1 + index, 1, "row_label", text=_number_text(index + 1))
        self.row += rows
        self.sheet.last_row = self.row


def _number_text(number: int) -> Localized:
    return Verbatim(str(number))
