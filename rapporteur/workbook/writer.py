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
from collections.abc import Iterable
from dataclasses import dataclass, field
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
from openpyxl.worksheet.pagebreak import Break

from rapporteur import formats
from rapporteur.definition import Definition, Input, load_definition
from rapporteur.messages import Language, Message, message
from rapporteur.rounds import ReportingPeriod, Round
from rapporteur.workbook.layout import (
    FIRST_INPUT_COLUMN,
    HEADER_ROWS,
    PREVIOUS_COLUMN,
    Placed,
    SheetLayout,
    workbook_layout,
)
from rapporteur.workbook.measure import (
    FONT,
    NORMAL_SIZE,
    PADDING,
    Style,
    column_units,
    fitting,
    height,
    line_height,
    longest_word,
    printed_width,
    text_width,
)
from rapporteur.workbook.metadata import METADATA_SHEET, Metadata

LIST_SHEET = "_lists"
LIST_PREFIX = "list_"
MARK = "X"
DATE_FORMAT = "DD/MM/YYYY"
COUNT_FORMAT = "#,##0"
YEAR_FORMAT = "0"
EURO_FORMAT = '#,##0.00\\ "€"'
# Excel refuses longer validation texts.
TITLE_LIMIT, MESSAGE_LIMIT = 32, 255

# The printed page, in points. Every sheet prints at 100 %: text is never shrunk below
# the 9 pt of its smallest style; what does not fit the width is laid out differently.
A4_SHORT, A4_LONG = 595.3, 841.9
SIDE_MARGIN, TOP_MARGIN, BOTTOM_MARGIN, HEADER_MARGIN = 0.4, 0.55, 0.55, 0.25  # inches
PORTRAIT_WIDTH = A4_SHORT - 2 * 72 * SIDE_MARGIN
LANDSCAPE_WIDTH = A4_LONG - 2 * 72 * SIDE_MARGIN
PAGE_SAFETY = 14.0
"""Points of a page left unplanned, for the rounding of row heights by each program."""
LABEL_MINIMUM, LABEL_MAXIMUM = 190.0, 260.0
COVER_LABEL = 150.0
MINIMUM_ROW = 14.0
PREVIOUS_WIDTH = 72.0
TEXT_BOX_HEIGHT = 64.0
WIDTH_BY_TYPE = {"count": 48.0, "eur": 76.0, "date": 56.0, "number": 56.0, "pct": 40.0,
                 "mark": 15.0, "choice": 100.0, "text": 90.0, "short_text": 60.0}  # fmt: skip
"""Points an answer of each type needs (123.456, 1.234.567,89 €, 31/12/2018, an X); a
choice at most (a longer one wraps), a text at least (it takes what the page leaves)."""
SHORT_TEXT = 60
"""Characters of a text answer, at most, for which a narrow column is enough."""

STYLES = {
    "rp_title": Style(14, bold=True),
    "rp_subtitle": Style(10, italic=True),
    "rp_part": Style(11, bold=True),
    "rp_label": Style(10),
    "rp_label_required": Style(10, bold=True),
    "rp_help": Style(9, italic=True),
    "rp_header": Style(9, bold=True),
    "rp_row_label": Style(10),
    "rp_input": Style(10),
    "rp_input_required": Style(10),
    "rp_formula": Style(10, bold=True),
    "rp_previous": Style(9, italic=True),
    "rp_deadline": Style(12, bold=True),
}
COLOURS = {"rp_subtitle": "404040", "rp_help": "404040", "rp_formula": "1F4E78",
           "rp_previous": "595959"}  # fmt: skip

REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
INPUT_FILL = PatternFill("solid", fgColor="DDEBF7")
PART_FILL = PatternFill("solid", fgColor="D9D9D9")
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# A required answer is told by its thick black border, which survives greyscale printing
# and colour blindness, as well as by its colour and the * of its question.
THICK = Side(style="medium", color="000000")
REQUIRED_BOX = Border(left=THICK, right=THICK, top=THICK, bottom=THICK)


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


def save_atomically(workbook: Workbook | bytes, path: Path) -> None:
    """Save under a temporary name beside `path`, then rename: never a half-written file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".xlsx")
    os.close(handle)
    try:
        if isinstance(workbook, bytes):
            Path(temporary).write_bytes(workbook)
        else:
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


@dataclass
class Printed:
    """A sheet as written: its texts and their room, and the heights and breaks they
    gave. What stamping an agency's own texts onto a built questionnaire needs."""

    title: str
    sizer: "_Sizer"
    widths: dict[int, float]
    heights: dict[int, float]
    landscape: bool
    layout: SheetLayout | None = None
    """The section's layout (None for the cover)."""


@dataclass
class Built:
    workbook: Workbook
    metadata: Metadata
    printed: list[Printed] = field(default_factory=list)


def build_questionnaire(questionnaire: Questionnaire, secret: bytes) -> tuple[Workbook, Metadata]:
    built = build(questionnaire, secret)
    return built.workbook, built.metadata


def build(questionnaire: Questionnaire, secret: bytes) -> Built:
    definition = load_definition(questionnaire.version)
    layout = workbook_layout(questionnaire.version, questionnaire.kind)
    language = questionnaire.language
    workbook = Workbook()
    _register_styles(workbook)
    cover = workbook.active
    cover.title = _text("workbook.cover_sheet", language)
    printed = [_write_cover(cover, questionnaire, definition, layout.sheets)]
    lists = _ListSheet(workbook, definition, language)
    for sheet_layout in layout.sheets:
        worksheet = workbook.create_sheet(sheet_layout.title[language])
        printed.append(_write_section(worksheet, sheet_layout, questionnaire, definition, lists))
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
    return Built(workbook, metadata, printed)


def _text(key: str, language: Language, **params: object) -> str:
    return message(key, **params).render(language)


def _register_styles(workbook: Workbook) -> None:
    normal = workbook._named_styles["Normal"]
    normal.font = Font(name=FONT, size=NORMAL_SIZE)
    for name, style in STYLES.items():
        named = NamedStyle(
            name=name,
            font=Font(
                name=FONT,
                size=style.size,
                bold=style.bold,
                italic=style.italic,
                color=COLOURS.get(name),
            ),
            alignment=Alignment(vertical="top", wrap_text=True),
        )
        if name.startswith("rp_input"):
            named.fill = REQUIRED_FILL if name.endswith("required") else INPUT_FILL
            named.border = REQUIRED_BOX if name.endswith("required") else BOX
            named.protection = Protection(locked=False)
        elif name == "rp_header":
            named.fill = HEADER_FILL
            named.border = BOX
            named.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        elif name == "rp_part":
            named.fill = PART_FILL
            named.alignment = Alignment(vertical="center", wrap_text=True)
        elif name == "rp_deadline":
            named.border = REQUIRED_BOX
            named.alignment = Alignment(vertical="center", wrap_text=True)
        workbook.add_named_style(named)


class _Sizer:
    """The texts of a sheet, where they are, and the room they need: columns as wide as
    their longest word, rows as tall as their wrapped lines."""

    def __init__(self) -> None:
        self.texts: list[tuple[int, int, int, str, str, bool]] = []
        self.heights: dict[int, float] = {}
        self.gaps: dict[int, float] = {}

    def text(self, cell, value: str, style: str, span: int = 1, rotated: bool = False):
        text_cell(cell, value)  # a name from the registry starting with = stays text
        cell.style = style
        self.texts.append((cell.row, cell.column, span, value, style, rotated))
        if rotated:
            cell.alignment = Alignment(
                horizontal="center", vertical="bottom", text_rotation=90, wrap_text=True
            )
        if span > 1:
            cell.parent.merged_cells.add(
                MergedCellRange(
                    cell.parent,
                    f"{cell.coordinate}:{get_column_letter(cell.column + span - 1)}{cell.row}",
                )
            )
        return cell

    def fix_height(self, row: int, points: float) -> None:
        self.heights[row] = max(self.heights.get(row, 0.0), points)

    def gap(self, row: int, points: float) -> None:
        """An empty row of exactly `points`, between blocks of text."""
        self.gaps[row] = points

    def apply(self, worksheet, widths: dict[int, float], last_row: int) -> dict[int, float]:
        """Set every row's height from its texts; return the heights by row."""
        heights = self.row_heights(self.texts, widths, range(1, last_row + 1))
        for row, points in heights.items():
            worksheet.row_dimensions[row].height = round(points, 1)
        return heights

    def row_heights(self, texts, widths: dict[int, float], rows: Iterable[int]):
        """The height of each of `rows` and of every row holding one of `texts`: as tall
        as its tallest text, or as fixed. Stamping (stamping.py) asks it again for the
        rows whose texts are an agency's own."""
        heights = dict.fromkeys(rows, MINIMUM_ROW)
        for row, column, span, value, style, rotated in texts:
            shape = STYLES[style]
            if rotated:
                needed = text_width(value, shape) + 2 * PADDING
            else:
                width = sum(widths[c] for c in range(column, column + span))
                needed = height(value, width, shape)
            heights[row] = max(heights.get(row, MINIMUM_ROW), needed)
        for row in heights:
            if row in self.heights:
                heights[row] = max(heights[row], self.heights[row])
            if row in self.gaps:
                heights[row] = self.gaps[row]
        return heights


def _write_cover(worksheet, questionnaire: Questionnaire, definition: Definition, sheets) -> None:
    """One page, in the order a clerk needs it: for whom, the period, the deadline, how to
    fill, how to return, whom to ask."""
    language = questionnaire.language
    period = questionnaire.period
    sizer = _Sizer()
    widths = {1: COVER_LABEL, 2: fitting(PORTRAIT_WIDTH) - COVER_LABEL - 2}
    row = 0

    def line(first: str, second: str = "", style: str = "rp_label", second_style=None) -> None:
        nonlocal row
        row += 1
        if first and not second and style in ("rp_title", "rp_subtitle", "rp_part"):
            sizer.text(worksheet.cell(row, 1), first, style, span=2)
            return
        if first:
            sizer.text(worksheet.cell(row, 1), first, style)
        if second:
            sizer.text(worksheet.cell(row, 2), second, second_style or "rp_label")

    def bullet(text: str) -> None:
        nonlocal row
        row += 1
        sizer.text(worksheet.cell(row, 1), f"•  {text}", "rp_label", span=2)

    def gap() -> None:
        nonlocal row
        row += 1
        sizer.gap(row, 8)

    line(definition.title[language], style="rp_title")
    line(questionnaire.office_name, style="rp_subtitle")
    gap()
    line(_text("workbook.agency", language), questionnaire.agency_name, "rp_label_required",
         "rp_label_required")  # fmt: skip
    line(_text("workbook.round", language), str(questionnaire.round), "rp_label_required")
    line(
        _text("workbook.period", language),
        _text(
            "workbook.period_value",
            language,
            start=period.start.strftime("%d/%m/%Y"),
            end=period.end.strftime("%d/%m/%Y"),
            status=message(f"workbook.status_{period.status}"),
        ),
        "rp_label_required",
    )
    line(_text("workbook.deadline", language), questionnaire.deadline.strftime("%d/%m/%Y"),
         "rp_deadline", "rp_deadline")  # fmt: skip
    gap()
    line(_text("workbook.how_to_fill", language), style="rp_part")
    for key in ("fill_shaded", "fill_blank", "fill_zero", "fill_required", "fill_lists",
                "fill_sums", "fill_previous"):  # fmt: skip
        bullet(_text(f"workbook.{key}", language))
    for required, key in ((True, "legend_required"), (False, "legend_optional")):
        row += 1
        cell = worksheet.cell(row, 1)
        # Drawn like an answer cell but locked: nothing is typed on the cover.
        cell.fill = REQUIRED_FILL if required else INPUT_FILL
        cell.border = REQUIRED_BOX if required else BOX
        sizer.text(worksheet.cell(row, 2), _text(f"workbook.{key}", language), "rp_label")
    gap()
    line(_text("workbook.sheets", language), style="rp_part")
    for sheet in sheets:
        about = sheet.table.label if sheet.table else sheet.section.help
        line(sheet.title[language], about[language])
    gap()
    line(_text("workbook.how_to_return", language), style="rp_part")
    for key in ("fill_return", "fill_edits"):
        bullet(_text(f"workbook.{key}", language))
    gap()
    line(_text("workbook.whom_to_ask", language), style="rp_part")
    line(
        _text("workbook.contact", language),
        f"{questionnaire.contact_name} <{questionnaire.contact_email}>",
        "rp_label_required",
    )
    for column, points in widths.items():
        worksheet.column_dimensions[get_column_letter(column)].width = column_units(points)
    heights = sizer.apply(worksheet, widths, row)
    _finish_sheet(worksheet, landscape=False, title_rows=None)
    return Printed(worksheet.title, sizer, widths, heights, False, None)


def _write_section(worksheet, layout: SheetLayout, questionnaire: Questionnaire, definition, lists):
    language = questionnaire.language
    sizer = _Sizer()
    widths, landscape = _column_widths(layout, language, lists)
    last = max(widths)
    for decoration in layout.decorations:
        _write_decoration(worksheet, decoration, language, sizer, last)
    validations = _Validations(worksheet, language, lists, definition)
    for placed in layout.inputs:
        style = "rp_input_required" if placed.input.requirement == "required" else "rp_input"
        for index in range(placed.rows):
            worksheet.cell(*placed.cell(index)).style = style
        _format_input(worksheet, placed)
        validations.add(placed)
    validations.attach()
    title = layout.table.label if layout.table else layout.section.label
    sizer.text(worksheet.cell(1, 1), title[language], "rp_title", span=last)
    sizer.text(
        worksheet.cell(2, 1),
        _text(
            "workbook.sheet_subtitle",
            language,
            agency=questionnaire.agency_name,
            round=str(questionnaire.round),
            start=questionnaire.period.start.strftime("%d/%m/%Y"),
            end=questionnaire.period.end.strftime("%d/%m/%Y"),
        ),
        "rp_subtitle",
        span=last,
    )
    third = layout.table.help[language] if layout.table else _text("workbook.legend", language)
    sizer.text(worksheet.cell(3, 1), third, "rp_subtitle", span=last)
    if layout.table is None:
        sizer.text(worksheet.cell(HEADER_ROWS, 1), _text("workbook.question", language),
                   "rp_header")  # fmt: skip
        sizer.text(worksheet.cell(HEADER_ROWS, FIRST_INPUT_COLUMN),
                   _text("workbook.answer", language), "rp_header", span=last - 1)  # fmt: skip
    for row in layout.text_rows:
        # Registered directly: merge_cells() also re-formats the borders of every cell of
        # the range, which costs more than the rest of the sheet.
        worksheet.merged_cells.add(
            MergedCellRange(worksheet, f"B{row}:{get_column_letter(last)}{row}")
        )
        sizer.fix_height(row, TEXT_BOX_HEIGHT)
    # Every cell where last year's figure may go is styled, blank or not: a questionnaire
    # differs from another of its kind only in its texts (stamping.py relies on it).
    for _, row in layout.previous:
        worksheet.cell(row, PREVIOUS_COLUMN).style = "rp_previous"
    for row, text in previous_texts(questionnaire, layout, definition):
        sizer.text(worksheet.cell(row, PREVIOUS_COLUMN), text, "rp_previous")
    for column, points in widths.items():
        worksheet.column_dimensions[get_column_letter(column)].width = column_units(points)
    heights = sizer.apply(worksheet, widths, layout.last_row)
    _finish_sheet(worksheet, landscape=landscape, title_rows=HEADER_ROWS)
    for row in page_breaks(layout, heights, landscape):
        worksheet.row_breaks.append(Break(id=row))
    return Printed(worksheet.title, sizer, widths, heights, landscape, layout)


def previous_texts(
    questionnaire: Questionnaire, layout: SheetLayout, definition: Definition
) -> list[tuple[int, str]]:
    """The agency's figures of the same round a year earlier, by row, as printed beside
    each input they answered."""
    if questionnaire.previous is None or questionnaire.previous_round is None:
        return []
    language = questionnaire.language
    texts = []
    for placed, row in layout.previous:
        value = _value_at(questionnaire.previous, placed.input.location)
        if value is None:
            continue
        if placed.input.codelist:
            value = choice_labels(definition, placed.input.codelist, language).get(value, value)
        texts.append((row, _text(
            "workbook.previous_value",
            language,
            round=str(questionnaire.previous_round),
            value=formats.shown(value, language, placed.input.unit),
        )))  # fmt: skip
    return texts


def _write_decoration(worksheet, decoration, language: Language, sizer: _Sizer, last: int):
    """Write a label, header or formula; parts and help across the sheet's `last` column,
    so that they take the fewest lines."""
    cell = worksheet.cell(decoration.row, decoration.column)
    match decoration.role:
        case "part":
            sizer.text(cell, decoration.text[language], "rp_part", span=last)
        case "label":
            value = decoration.text[language] + (" *" if decoration.required else "")
            sizer.text(cell, value, "rp_label_required" if decoration.required else "rp_label")
        case "help":
            sizer.text(cell, decoration.text[language], "rp_help", span=last)
        case "see_sheet":
            sizer.text(cell, _text("workbook.see_sheet", language, sheet=decoration.text[language]),
                       "rp_help", span=last)  # fmt: skip
        case "header":
            sizer.text(cell, decoration.text[language], "rp_header", rotated=decoration.rotated)
        case "row_label" | "unit":
            sizer.text(cell, decoration.text[language], "rp_row_label")
        case "sum_label":
            sizer.text(cell, _text("workbook.sum_label", language), "rp_formula")
        case "sum" | "check" | "computed":
            cell.value = decoration.formula
            cell.style = "rp_formula"
            cell.number_format = COUNT_FORMAT


def _column_widths(layout: SheetLayout, language: Language, lists) -> tuple[dict[int, float], bool]:
    """Points per column, and whether the sheet prints landscape: the answer columns as
    wide as what they hold, the first as wide as the page leaves (a table's sheet: as its
    row labels), portrait unless the columns need more than its width."""
    needed: dict[int, float] = dict.fromkeys(range(FIRST_INPUT_COLUMN, layout.last_column + 1), 0)
    boxes = set(layout.text_rows)
    for placed in layout.inputs:
        if placed.row in boxes:
            continue  # a text box spans every answer column
        column = placed.column
        needed[column] = max(needed[column], _input_width(placed.input, lists))
    header = STYLES["rp_header"]
    first = STYLES["rp_row_label"]
    label_needed = 0.0
    for decoration in layout.decorations:
        text = decoration.text[language] if decoration.text is not None else ""
        if decoration.column == 1:
            if decoration.role in ("row_label", "header"):
                label_needed = max(label_needed, text_width(text, first) + PADDING)
            continue
        match decoration.role:
            case "header" if decoration.rotated:
                width = line_height(header) + PADDING / 2  # one line, upright, over an X
            case "header":
                width = longest_word(text, header) + PADDING
            case "unit":
                width = text_width(text, first) + PADDING
            case "check":
                width = text_width("✗ ≠ 1.234.567", STYLES["rp_formula"]) + PADDING
            case _:
                width = WIDTH_BY_TYPE["count"]
        needed[decoration.column] = max(needed[decoration.column], width)
    if layout.previous:
        needed[PREVIOUS_COLUMN] = max(needed.get(PREVIOUS_COLUMN, 0), PREVIOUS_WIDTH)
    widths = {column: points or WIDTH_BY_TYPE["count"] for column, points in needed.items()}
    label = label_needed if layout.table is not None else LABEL_MINIMUM
    used_points = sum(widths.values()) + label
    landscape = printed_width(used_points) > PORTRAIT_WIDTH
    spare = fitting(LANDSCAPE_WIDTH if landscape else PORTRAIT_WIDTH) - used_points - 2
    if layout.table is None:
        grown = min(LABEL_MAXIMUM, label + spare)
        spare -= grown - label
        label = grown
    # What the page leaves goes to the columns typed in with words, or the last one.
    wordy = [
        placed.column
        for placed in layout.inputs
        if placed.input.type == "text" and placed.row not in boxes
    ] or [max(widths)]
    for column in set(wordy):
        widths[column] += max(0.0, spare) / len(set(wordy))
    return {1: label, **widths}, landscape


def _input_width(item: Input, lists) -> float:
    if item.type == "choice":
        labels = lists.labels(item.codelist or "")
        widest = max(text_width(label, STYLES["rp_input"]) for label in labels) + PADDING
        return min(widest, WIDTH_BY_TYPE["choice"])
    if item.type == "count" and item.unit == "year":
        return WIDTH_BY_TYPE["date"]
    if item.type == "text" and item.max_length and item.max_length <= SHORT_TEXT:
        return WIDTH_BY_TYPE["short_text"]
    return WIDTH_BY_TYPE.get(item.type, WIDTH_BY_TYPE["count"])


def page_breaks(layout: SheetLayout, heights: dict[int, float], landscape: bool) -> list[int]:
    """The rows after which a page breaks, between questions: one that does not fit what
    is left of a page starts the next, so that a question is never printed apart from its
    help or its table."""
    page_height = A4_SHORT if landscape else A4_LONG
    usable = page_height - 72 * (TOP_MARGIN + BOTTOM_MARGIN) - PAGE_SAFETY
    usable -= sum(heights[row] for row in range(1, HEADER_ROWS + 1))
    filled = 0.0
    breaks = []
    for first, last in layout.blocks:
        block = sum(heights[row] for row in range(first, last + 1))
        if filled and filled + block > usable:
            breaks.append(first - 1)
            filled = 0.0
        filled = (filled + block) % usable if block > usable else filled + block
    return breaks


def _format_input(worksheet, placed: Placed) -> None:
    item = placed.input
    number_format = {
        "count": YEAR_FORMAT if item.unit == "year" else COUNT_FORMAT,
        "eur": EURO_FORMAT,
        "date": DATE_FORMAT,
        "number": "General",
    }.get(item.type)
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

    def labels(self, codelist_id: str) -> list[str]:
        return list(choice_labels(self.definition, codelist_id, self.language).values())


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
    """One data validation per distinct rule on a sheet, covering all its cells: a prompt
    that says what to type when the cell is selected, and an error only on a wrong entry."""

    def __init__(self, worksheet, language: Language, lists: _ListSheet, definition: Definition):
        self.worksheet = worksheet
        self.language = language
        self.lists = lists
        self.units = {code.code: code for code in definition.codelist("unit")}
        self.by_rule: dict[tuple, tuple[DataValidation, list[str]]] = {}

    def add(self, placed: Placed) -> None:
        rule = self._rule(placed.input)
        if rule not in self.by_rule:
            self.by_rule[rule] = (self._validation(placed.input), [])
        self.by_rule[rule][1].append(placed.reference.replace("$", ""))

    def attach(self) -> None:
        # Ranges are set once: DataValidation.add checks overlaps cell by cell, which is
        # quadratic in the number of inputs.
        for validation, references in self.by_rule.values():
            validation.sqref = MultiCellRange(" ".join(references))
            self.worksheet.add_data_validation(validation)

    def _rule(self, item: Input) -> tuple:
        return (item.type, item.minimum, item.maximum, item.codelist, item.max_length, item.unit)

    def _validation(self, item: Input) -> DataValidation:
        arguments, error, prompt = self._arguments_and_texts(item)
        language = self.language
        return DataValidation(
            **arguments,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=_text("validation.title", language)[:TITLE_LIMIT],
            error=error.render(language)[:MESSAGE_LIMIT],
            showInputMessage=True,
            promptTitle=_text("validation.prompt_title", language)[:TITLE_LIMIT],
            prompt=prompt.render(language)[:MESSAGE_LIMIT],
        )

    def _arguments_and_texts(self, item: Input) -> tuple[dict[str, Any], Message, Message]:
        language = self.language
        match item.type:
            case "count" if item.unit == "year":
                low, high = _number(item.minimum), _number(item.maximum)
                arguments = _between("whole", low, high)
                error = message("validation.year", minimum=low, maximum=high)
                prompt = message("validation.prompt_year", minimum=low, maximum=high)
            case "count":
                low, high = item.minimum or 0, item.maximum
                arguments = _between("whole", _number(low), _number(high))
                error = message(
                    "validation.count",
                    minimum=formats.shown(low, language, item.unit),
                    maximum=formats.shown(high, language, item.unit),
                )
                unit = self.units[item.unit or "persons"].text
                prompt = message("validation.prompt_count", unit=unit)
            case "eur" | "number" | "pct":
                low = item.minimum if item.minimum is not None else -1e12
                high = item.maximum if item.maximum is not None else 1e12
                arguments = _between("decimal", _number(low), _number(high))
                error = message(
                    "validation.eur" if item.type == "eur" else "validation.number",
                    minimum=formats.shown(low, language),
                    maximum=formats.shown(high, language),
                )
                prompt = message(f"validation.prompt_{item.type}")
            case "date":
                arguments = _between("date", "DATE(2000,1,1)", "DATE(2100,12,31)")
                error = prompt = message("validation.date")
            case "text":
                maximum = item.max_length or 4000
                arguments = {
                    "type": "textLength",
                    "operator": "lessThanOrEqual",
                    "formula1": str(maximum),
                }
                error = message("validation.text", maximum=maximum)
                prompt = message("validation.prompt_text", maximum=maximum)
            case "choice":
                arguments = {"type": "list", "formula1": self.lists.name_for(item.codelist or "")}
                error = message("validation.choice")
                prompt = message("validation.prompt_choice")
            case "mark":
                arguments = {"type": "list", "formula1": f'"{MARK}"'}
                error = message("validation.mark", mark=MARK)
                prompt = message("validation.prompt_mark", mark=MARK)
            case _:
                raise ValueError(item.type)
        return arguments, error, prompt


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


def _finish_sheet(worksheet, landscape: bool, title_rows: int | None) -> None:
    worksheet.protection.sheet = True
    worksheet.protection.formatColumns = False
    worksheet.protection.formatRows = False
    setup = worksheet.page_setup
    setup.paperSize = worksheet.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.scale = 100
    worksheet.sheet_properties.pageSetUpPr.fitToPage = False
    margins = worksheet.page_margins
    margins.left = margins.right = SIDE_MARGIN
    margins.top, margins.bottom = TOP_MARGIN, BOTTOM_MARGIN
    margins.header = margins.footer = HEADER_MARGIN
    worksheet.oddFooter.center.text = "&A · &P / &N"
    worksheet.oddFooter.center.size = 9
    worksheet.oddFooter.center.font = FONT
    if title_rows:
        worksheet.freeze_panes = f"B{title_rows + 1}"
        worksheet.print_title_rows = f"1:{title_rows}"


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
