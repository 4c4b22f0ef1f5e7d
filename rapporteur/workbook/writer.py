"""Writing a questionnaire workbook for one agency and round, in Spanish or English.

What a clerk gets: a cover with the agency, round, period, deadline, how to fill and whom
to contact; one sheet per section asked of the agency's kind; every input unlocked and
shaded with a data validation whose error message is on (Gnumeric drops validations whose
message is off) and a workbook-level defined name; sums beside every breakdown; sheets
protected without password; A4 printing; one named font throughout (a bold font without a
name renders in a serif fallback in LibreOffice).
"""

import datetime
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange

from rapporteur import formats
from rapporteur.definition import Definition, Input, load_definition
from rapporteur.messages import Language, Message, message
from rapporteur.rounds import ReportingPeriod, Round
from rapporteur.workbook.layout import (
    FIRST_INPUT_COLUMN,
    HEADER_ROWS,
    PREVIOUS_COLUMN,
    TEXT_INPUT_SPAN,
    Placed,
    SheetLayout,
    workbook_layout,
)
from rapporteur.workbook.metadata import METADATA_SHEET, Metadata

FONT = "Arial"
LIST_SHEET = "_lists"
LIST_PREFIX = "list_"
MARK = "X"
DATE_FORMAT = "DD/MM/YYYY"
LABEL_WIDTH = 58
INPUT_WIDTH = 14
# Excel refuses longer validation texts.
TITLE_LIMIT, MESSAGE_LIMIT = 32, 255

REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
INPUT_FILL = PatternFill("solid", fgColor="DDEBF7")
PART_FILL = PatternFill("solid", fgColor="D9D9D9")
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class Questionnaire:
    """Everything printed on one agency's questionnaire."""

    agency_id: str
    agency_name: str
    kind: str
    round: Round
    period: ReportingPeriod
    deadline: datetime.date
    language: Language
    office_name: str
    contact_name: str
    contact_email: str
    version: int
    previous_round: Round | None = None
    previous: dict[str, Any] | None = None
    issue: int = 1
    """The agency's questionnaire number in the round: 2 replaces 1 (`issue --force`)."""


def write_questionnaire(questionnaire: Questionnaire, path: Path, secret: bytes) -> Metadata:
    """Write the workbook to `path` atomically; return its signed metadata."""
    workbook, metadata = build_questionnaire(questionnaire, secret)
    save_atomically(workbook, path)
    return metadata


def save_atomically(workbook: Workbook, path: Path) -> None:
    """Save under a temporary name beside `path`, then rename: never a half-written file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(temporary)
        with open(temporary, "rb+") as stream:
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def text_cell(cell, value: str):
    """Text stays text: words from agencies starting with = never become a formula, and a
    control character (which a workbook cannot hold) is shown as a replacement mark."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    cell.data_type = "s"
    return cell


def build_questionnaire(questionnaire: Questionnaire, secret: bytes) -> tuple[Workbook, Metadata]:
    definition = load_definition(questionnaire.version)
    layout = workbook_layout(questionnaire.version, questionnaire.kind)
    language = questionnaire.language
    workbook = Workbook()
    _register_styles(workbook)
    cover = workbook.active
    cover.title = _text("workbook.cover_sheet", language)
    _write_cover(cover, questionnaire, definition, layout.sheets)
    lists = _ListSheet(workbook, definition, language)
    for sheet_layout in layout.sheets:
        worksheet = workbook.create_sheet(sheet_layout.section.sheet[language])
        _write_section(worksheet, sheet_layout, questionnaire, definition, lists)
        _name_inputs(workbook, worksheet.title, sheet_layout)
    if lists.worksheet is not None:
        workbook.move_sheet(
            lists.worksheet, len(workbook.sheetnames) - 1 - workbook.index(lists.worksheet)
        )
    metadata = Metadata(
        agency=questionnaire.agency_id,
        kind=questionnaire.kind,
        round=str(questionnaire.round),
        version=questionnaire.version,
        language=language,
        fingerprint=layout.fingerprint,
        issue=questionnaire.issue,
    )
    _write_metadata(workbook, metadata, secret)
    workbook.security.lockStructure = True
    return workbook, metadata


def _text(key: str, language: Language, **params: object) -> str:
    return message(key, **params).render(language)


def _register_styles(workbook: Workbook) -> None:
    normal = workbook._named_styles["Normal"]
    normal.font = Font(name=FONT, size=10)
    styles = {
        "rp_title": Font(name=FONT, size=14, bold=True),
        "rp_subtitle": Font(name=FONT, size=10, italic=True, color="404040"),
        "rp_part": Font(name=FONT, size=11, bold=True),
        "rp_label": Font(name=FONT, size=10),
        "rp_label_required": Font(name=FONT, size=10, bold=True),
        "rp_help": Font(name=FONT, size=8, italic=True, color="595959"),
        "rp_header": Font(name=FONT, size=9, bold=True),
        "rp_row_label": Font(name=FONT, size=9),
        "rp_input": Font(name=FONT, size=10),
        "rp_input_required": Font(name=FONT, size=10),
        "rp_formula": Font(name=FONT, size=9, bold=True, color="1F4E78"),
        "rp_previous": Font(name=FONT, size=9, italic=True, color="7F7F7F"),
    }
    for name, font in styles.items():
        style = NamedStyle(name=name, font=font)
        if name.startswith("rp_input"):
            style.fill = REQUIRED_FILL if name.endswith("required") else INPUT_FILL
            style.border = BOX
            style.protection = Protection(locked=False)
            style.alignment = Alignment(vertical="top", wrap_text=True)
        elif name in ("rp_help", "rp_label", "rp_label_required"):
            style.alignment = Alignment(vertical="top", wrap_text=True)
        elif name == "rp_header":
            style.fill = HEADER_FILL
            style.border = BOX
            style.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        elif name == "rp_part":
            style.fill = PART_FILL
        workbook.add_named_style(style)


def _write_cover(worksheet, questionnaire: Questionnaire, definition: Definition, sheets) -> None:
    language = questionnaire.language
    period = questionnaire.period
    worksheet.column_dimensions["A"].width = 30
    worksheet.column_dimensions["B"].width = 90
    rows: list[tuple[str, str, str]] = [
        ("rp_title", definition.title[language], ""),
        ("rp_subtitle", questionnaire.office_name, ""),
        ("rp_label", "", ""),
        ("rp_label_required", _text("workbook.agency", language), questionnaire.agency_name),
        ("rp_label_required", _text("workbook.round", language), str(questionnaire.round)),
        (
            "rp_label_required",
            _text("workbook.period", language),
            _text(
                "workbook.period_value",
                language,
                start=period.start.strftime("%d/%m/%Y"),
                end=period.end.strftime("%d/%m/%Y"),
                status=message(f"workbook.status_{period.status}"),
            ),
        ),
        (
            "rp_label_required",
            _text("workbook.deadline", language),
            questionnaire.deadline.strftime("%d/%m/%Y"),
        ),
        (
            "rp_label_required",
            _text("workbook.contact", language),
            f"{questionnaire.contact_name} <{questionnaire.contact_email}>",
        ),
        ("rp_label", "", ""),
        ("rp_part", _text("workbook.how_to_fill", language), ""),
    ]
    for key in ("fill_shaded", "fill_blank", "fill_zero", "fill_required", "fill_lists",
                "fill_sums", "fill_previous", "fill_return"):  # fmt: skip
        rows.append(("rp_label", "•", _text(f"workbook.{key}", language)))
    rows.append(("rp_label", "", ""))
    rows.append(("rp_part", _text("workbook.sheets", language), ""))
    for sheet in sheets:
        rows.append(("rp_label", sheet.section.label[language], sheet.section.help[language]))
    for number, (style, first, second) in enumerate(rows, start=1):
        worksheet.cell(number, 1, first).style = style
        cell = worksheet.cell(number, 2, second)
        cell.style = "rp_label" if style != "rp_title" else style
        if len(second) > 90:
            worksheet.row_dimensions[number].height = 13 * (len(second) // 85 + 1)
    _finish_sheet(worksheet, landscape=False, freeze=None)


def _write_section(worksheet, layout: SheetLayout, questionnaire: Questionnaire, definition, lists):
    language = questionnaire.language
    worksheet.column_dimensions["A"].width = LABEL_WIDTH
    for column in range(FIRST_INPUT_COLUMN, layout.last_column + 1):
        worksheet.column_dimensions[get_column_letter(column)].width = INPUT_WIDTH
    worksheet.cell(1, 1, layout.section.label[language]).style = "rp_title"
    worksheet.cell(
        2,
        1,
        _text(
            "workbook.sheet_subtitle",
            language,
            agency=questionnaire.agency_name,
            round=str(questionnaire.round),
            start=questionnaire.period.start.strftime("%d/%m/%Y"),
            end=questionnaire.period.end.strftime("%d/%m/%Y"),
        ),
    ).style = "rp_subtitle"
    worksheet.cell(3, 1, _text("workbook.legend", language)).style = "rp_subtitle"
    worksheet.cell(HEADER_ROWS, 1, _text("workbook.question", language)).style = "rp_header"
    worksheet.cell(
        HEADER_ROWS, FIRST_INPUT_COLUMN, _text("workbook.answer", language)
    ).style = "rp_header"
    for decoration in layout.decorations:
        _write_decoration(worksheet, decoration, language)
    validations = _Validations(worksheet, language, lists)
    for placed in layout.inputs:
        style = "rp_input_required" if placed.input.requirement == "required" else "rp_input"
        for index in range(placed.rows):
            worksheet.cell(*placed.cell(index)).style = style
        _format_input(worksheet, placed)
        validations.add(placed)
    validations.attach()
    for row in layout.text_rows:
        last = get_column_letter(FIRST_INPUT_COLUMN + TEXT_INPUT_SPAN - 1)
        # Registered directly: merge_cells() also re-formats the borders of every cell of
        # the range, which costs more than the rest of the sheet.
        worksheet.merged_cells.add(MergedCellRange(worksheet, f"B{row}:{last}{row}"))
        worksheet.row_dimensions[row].height = 64
    if questionnaire.previous is not None and questionnaire.previous_round is not None:
        for placed, row in layout.previous:
            value = _value_at(questionnaire.previous, placed.input.location)
            if value is None:
                continue
            shown = lists.label_of(placed.input, value) if placed.input.codelist else value
            cell = worksheet.cell(
                row,
                PREVIOUS_COLUMN,
                _text(
                    "workbook.previous_value",
                    language,
                    round=str(questionnaire.previous_round),
                    value=formats.shown(shown, language, placed.input.unit),
                ),
            )
            cell.style = "rp_previous"
    _finish_sheet(worksheet, landscape=layout.last_column > 6, freeze="B5")


def _write_decoration(worksheet, decoration, language: Language) -> None:
    cell = worksheet.cell(decoration.row, decoration.column)
    match decoration.role:
        case "part":
            cell.value = decoration.text[language]
            cell.style = "rp_part"
        case "label":
            cell.value = decoration.text[language] + (" *" if decoration.required else "")
            cell.style = "rp_label_required" if decoration.required else "rp_label"
            if len(cell.value) > LABEL_WIDTH:
                worksheet.row_dimensions[decoration.row].height = 13 * (
                    len(cell.value) // (LABEL_WIDTH - 4) + 1
                )
        case "help":
            cell.value = decoration.text[language]
            cell.style = "rp_help"
            worksheet.row_dimensions[decoration.row].height = 11 * (
                len(cell.value) // (LABEL_WIDTH + 10) + 1
            )
        case "header" | "row_label" | "unit":
            cell.value = decoration.text[language]
            cell.style = "rp_header" if decoration.role == "header" else "rp_row_label"
        case "sum_label":
            cell.value = _text("workbook.sum_label", language)
            cell.style = "rp_formula"
        case "sum" | "check":
            cell.value = decoration.formula
            cell.style = "rp_formula"
        case "computed":
            cell.value = decoration.formula
            cell.style = "rp_formula"


def _format_input(worksheet, placed: Placed) -> None:
    number_format = {
        "count": "0",
        "eur": "#,##0.00",
        "date": DATE_FORMAT,
        "number": "General",
    }.get(placed.input.type)
    if number_format is None:
        return
    for index in range(placed.rows):
        worksheet.cell(*placed.cell(index)).number_format = number_format


class _ListSheet:
    """A hidden sheet holding the labels of every code list a choice cell offers."""

    def __init__(self, workbook: Workbook, definition: Definition, language: Language):
        self.workbook = workbook
        self.definition = definition
        self.language = language
        self.worksheet = None
        self.columns: dict[str, int] = {}

    def name_for(self, codelist_id: str) -> str:
        if codelist_id not in self.columns:
            if self.worksheet is None:
                self.worksheet = self.workbook.create_sheet(LIST_SHEET)
                self.worksheet.sheet_state = "hidden"
                self.worksheet.protection.sheet = True
            column = len(self.columns) + 1
            self.columns[codelist_id] = column
            labels = choice_labels(self.definition, codelist_id, self.language)
            self.worksheet.cell(1, column, codelist_id)
            for row, label in enumerate(labels.values(), start=2):
                self.worksheet.cell(row, column, label)
            letter = get_column_letter(column)
            name = LIST_PREFIX + codelist_id
            self.workbook.defined_names[name] = DefinedName(
                name, attr_text=f"{LIST_SHEET}!${letter}$2:${letter}${len(labels) + 1}"
            )
        return LIST_PREFIX + codelist_id

    def label_of(self, item: Input, code: Any) -> str:
        return choice_labels(self.definition, item.codelist or "", self.language).get(code, code)


def choice_labels(definition: Definition, codelist_id: str, language: Language) -> dict[str, str]:
    """What a clerk picks from a list, by code: our labels, or for countries 'NG – Nigeria'."""
    codelist = next(c for c in definition.codelists if c.id == codelist_id)
    if codelist.source:
        return {
            code.code: f"{code.code} – {code.label(language)}"
            for code in definition.codelist(codelist_id)
        }
    return {code.code: code.label(language) for code in definition.codelist(codelist_id)}


class _Validations:
    """One data validation per distinct rule on a sheet, covering all its cells."""

    def __init__(self, worksheet, language: Language, lists: _ListSheet):
        self.worksheet = worksheet
        self.language = language
        self.lists = lists
        self.by_rule: dict[tuple, tuple[DataValidation, list[str]]] = {}

    def add(self, placed: Placed) -> None:
        rule = self._rule(placed.input)
        if rule not in self.by_rule:
            self.by_rule[rule] = (self._validation(placed.input, rule), [])
        self.by_rule[rule][1].append(placed.reference.replace("$", ""))

    def attach(self) -> None:
        # Ranges are set once: DataValidation.add checks overlaps cell by cell, which is
        # quadratic in the number of inputs.
        for validation, references in self.by_rule.values():
            validation.sqref = MultiCellRange(" ".join(references))
            self.worksheet.add_data_validation(validation)

    def _rule(self, item: Input) -> tuple:
        return (item.type, item.minimum, item.maximum, item.codelist, item.max_length)

    def _validation(self, item: Input, rule: tuple) -> DataValidation:
        arguments, text = self._arguments_and_text(item)
        title = _text("validation.title", self.language)[:TITLE_LIMIT]
        body = text.render(self.language)[:MESSAGE_LIMIT]
        return DataValidation(
            **arguments,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=title,
            error=body,
            showInputMessage=True,
            promptTitle=title,
            prompt=body,
        )

    def _arguments_and_text(self, item: Input) -> tuple[dict[str, Any], Message]:
        language = self.language
        match item.type:
            case "count":
                low, high = item.minimum or 0, item.maximum
                arguments = _between("whole", _number(low), _number(high))
                text = message(
                    "validation.count",
                    minimum=formats.shown(low, language, item.unit),
                    maximum=formats.shown(high, language, item.unit),
                )
            case "eur" | "number" | "pct":
                low = item.minimum if item.minimum is not None else -1e12
                high = item.maximum if item.maximum is not None else 1e12
                arguments = _between("decimal", _number(low), _number(high))
                text = message(
                    "validation.eur" if item.type == "eur" else "validation.number",
                    minimum=formats.shown(low, language),
                    maximum=formats.shown(high, language),
                )
            case "date":
                arguments = _between("date", "DATE(2000,1,1)", "DATE(2100,12,31)")
                text = message("validation.date")
            case "text":
                maximum = item.max_length or 4000
                arguments = {
                    "type": "textLength",
                    "operator": "lessThanOrEqual",
                    "formula1": str(maximum),
                }
                text = message("validation.text", maximum=maximum)
            case "choice":
                arguments = {"type": "list", "formula1": self.lists.name_for(item.codelist or "")}
                text = message("validation.choice")
            case "mark":
                arguments = {"type": "list", "formula1": f'"{MARK}"'}
                text = message("validation.mark", mark=MARK)
            case _:
                raise ValueError(item.type)
        return arguments, text


def _between(kind: str, low: str, high: str) -> dict[str, Any]:
    return {"type": kind, "operator": "between", "formula1": low, "formula2": high}


def _name_inputs(workbook: Workbook, sheet_title: str, layout: SheetLayout) -> None:
    quoted = "'" + sheet_title.replace("'", "''") + "'"
    for placed in layout.inputs:
        workbook.defined_names[placed.input.name] = DefinedName(
            placed.input.name, attr_text=f"{quoted}!{placed.reference}"
        )


def _write_metadata(workbook: Workbook, metadata: Metadata, secret: bytes) -> None:
    worksheet = workbook.create_sheet(METADATA_SHEET)
    rows = [
        ("format", metadata.format),
        ("agency", metadata.agency),
        ("kind", metadata.kind),
        ("round", metadata.round),
        ("version", metadata.version),
        ("language", metadata.language),
        ("fingerprint", metadata.fingerprint),
        ("issue", metadata.issue),
        ("signature", metadata.signature(secret)),
    ]
    for row, (key, value) in enumerate(rows, start=1):
        worksheet.cell(row, 1, key)
        worksheet.cell(row, 2, value)
    worksheet.sheet_state = "veryHidden"
    worksheet.protection.sheet = True


def _finish_sheet(worksheet, landscape: bool, freeze: str | None) -> None:
    worksheet.protection.sheet = True
    worksheet.protection.formatColumns = False
    worksheet.protection.formatRows = False
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.orientation = "landscape" if landscape else "portrait"
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_options.horizontalCentered = True
    worksheet.page_margins.left = worksheet.page_margins.right = 0.5
    if freeze:
        worksheet.freeze_panes = freeze
        worksheet.print_title_rows = f"1:{HEADER_ROWS}"


def _value_at(value: Any, location: tuple[str, ...]) -> Any:
    for key in location:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _number(value: float | None) -> str:
    if value is None:
        return "0"
    return str(int(value)) if float(value).is_integer() else repr(value)
