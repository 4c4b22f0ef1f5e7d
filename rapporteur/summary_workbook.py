"""The summary as a workbook to print and to publish: A4 pages whose text stays readable.

A table wider than a page is not shrunk to fit (88 columns fitted to one page print as
specks): its columns are split into groups that fit an A4 page at full size, each group a
sheet of its own that repeats the row labels, with the header row repeated on every page.
Headings wrap, and their row is as tall as the wrapped text needs. Charts show one measure
each, every category labelled, with axis titles; they start on a page of their own, two to
a page, so that none is cut by a page break. An index sheet names the round, its period,
and links to every sheet. Text from agencies is written as text, never as a formula.
"""

import math
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapporteur.messages import Coded, Language, message
from rapporteur.summary import TOTAL, Summary, Table
from rapporteur.summary_output import (
    change_of,
    empty,
    is_figure,
    is_number,
    narratives,
    neutralised,
    shown,
)

FONT = "Arial"
SIZE = 10
TITLE_SIZE = 12
LABEL_WIDTH = 36
"""Width of the row label column, in characters of the default font."""
FIGURE_WIDTH = 13
TEXT_WIDTH = 34
NARRATIVE_WIDTH = 80
PORTRAIT_WIDTH = 96
LANDSCAPE_WIDTH = 134
"""What fits across an A4 page at full size with 1.5 cm margins, in the same characters."""
LINE_HEIGHT = 13.0
"""Points per line of the default font, with its leading."""
ROW_HEIGHT = 15.0
"""Points: the rows under the charts, whose number decides where pages break."""
POINTS_PER_CM = 72 / 2.54
MARGIN = 0.6
"""Inches, on every side."""
CHART_BASE, CHART_PER_CATEGORY, CHART_WIDTH = 3.2, 0.55, 17.0
"""Centimetres: a chart's title and axes, each bar with its label, the width."""
MAX_CHARTS = 6
NUMBER_FORMATS = {"EUR": '#,##0.00 "€"', "PCT": "0.0"}


@dataclass
class Sheet:
    """One printed sheet: a table, or one group of its columns."""

    table: Table
    columns: list  # the table's columns shown on it
    name: str
    part: int
    parts: int


def write_xlsx(summary: Summary, language: Language, path: Path, title: str) -> None:
    from openpyxl import Workbook

    from rapporteur.workbook.writer import save_atomically

    workbook = Workbook()
    index = workbook.active
    index.title = _unique(message("summary.contents").render(language), set())
    used = {index.title}
    sheets = []
    for number, table in enumerate(summary.tables, start=1):
        groups = _column_groups(table, summary.compare is not None, language)
        for part, columns in enumerate(groups, start=1):
            name = _sheet_name(number, table.title[language], part, len(groups), used)
            sheets.append(Sheet(table, columns, name, part, len(groups)))
    _write_index(index, summary, sheets, language, title)
    for sheet in sheets:
        _write_sheet(workbook.create_sheet(sheet.name), sheet, summary, language, title)
    save_atomically(workbook, path)


def _column_groups(table: Table, compare: bool, language: Language) -> list[list]:
    """The table's columns in groups that each fit across a landscape page."""
    if table.narrative:
        return [table.columns]
    room = LANDSCAPE_WIDTH - LABEL_WIDTH
    groups: list[list] = [[]]
    used = 0
    for column in table.columns:
        width = _width(table, column, language) * (3 if compare and _compared(table, column) else 1)
        if groups[-1] and used + width > room:
            groups.append([])
            used = 0
        groups[-1].append(column)
        used += width
    return groups


def _compared(table: Table, column) -> bool:
    return any(column.key in row.previous for row in table.rows)


def _width(table: Table, column, language: Language) -> int:
    """A column's width: figures as wide as their longest value; texts as their longest
    value up to TEXT_WIDTH, beyond which they wrap."""
    texts = [shown(row.values.get(column.key), language, column.unit) for row in table.rows]
    longest = max((len(text) + 2 for text in texts), default=0)
    if all(is_figure(row.values.get(column.key)) for row in table.rows):
        return max(FIGURE_WIDTH, longest)
    return max(FIGURE_WIDTH, min(TEXT_WIDTH, longest))


def _write_index(sheet, summary: Summary, sheets: list[Sheet], language: Language, title):
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    from rapporteur.workbook.writer import text_cell

    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 80
    heading = text_cell(sheet.cell(1, 1), title)
    heading.font = Font(name=FONT, bold=True, size=TITLE_SIZE)
    heading.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2)
    sheet.row_dimensions[1].height = _height(title, 88, TITLE_SIZE)
    row = 3
    if not summary.received:
        text_cell(sheet.cell(row, 1), empty(summary).render(language)).font = Font(name=FONT)
        row += 2
    for number, entry in enumerate(sheets, start=1):
        text_cell(sheet.cell(row, 1), str(number)).font = Font(name=FONT)
        label = entry.table.title[language]
        if entry.parts > 1:
            label += f" ({entry.part}/{entry.parts})"
        link = text_cell(sheet.cell(row, 2), label)
        # A location, not a "#" address: Excel and LibreOffice both follow it in the file.
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{entry.name}'!A1")
        link.font = Font(name=FONT, color="0563C1", underline="single")
        link.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = _height(label, 80)
        row += 1
    _page_setup(sheet, landscape=False, header_row=None)


def _write_sheet(sheet, entry: Sheet, summary: Summary, language: Language, title: str) -> None:
    from openpyxl.styles import Alignment, Font

    from rapporteur.workbook.writer import text_cell

    table = entry.table
    if table.narrative:
        _write_narrative(sheet, table, language, title)
        return
    compare = summary.compare is not None
    headings: list[tuple[str, Any, str]] = []  # (heading, column, what)
    for column in entry.columns:
        headings.append((column.label[language], column, "value"))
        if compare and _compared(table, column):
            previous = f"{column.label[language]}\n({summary.compare})"
            headings.append((previous, column, "previous"))
            headings.append((message("summary.change").render(language), column, "change"))
    widths = [LABEL_WIDTH] + [
        _width(table, column, language) if what == "value" else FIGURE_WIDTH
        for _, column, what in headings
    ]
    total_width = sum(widths)
    caption = table.title[language]
    if entry.parts > 1:
        caption += f" ({entry.part}/{entry.parts})"
    cell = text_cell(sheet.cell(1, 1), caption)
    cell.font = Font(name=FONT, bold=True, size=TITLE_SIZE)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(widths))
    sheet.row_dimensions[1].height = _height(caption, total_width, TITLE_SIZE)
    cell = text_cell(sheet.cell(2, 1), title)
    cell.font = Font(name=FONT, italic=True, size=SIZE)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(widths))
    sheet.row_dimensions[2].height = _height(title, total_width)
    header = [table.row_heading[language], *(heading for heading, _, _ in headings)]
    for position, (heading, width) in enumerate(zip(header, widths, strict=True), start=1):
        cell = text_cell(sheet.cell(3, position), heading)
        cell.font = Font(name=FONT, bold=True, size=SIZE)
        cell.alignment = Alignment(
            wrap_text=True, vertical="bottom", horizontal="left" if position == 1 else "right"
        )
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.row_dimensions[3].height = max(_height(h, w) for h, w in zip(header, widths, strict=True))
    first = 4
    rows = table.rows
    if entry.part > 1:  # what the first part alone shows (received / expected) is not repeated
        keys = {column.key for column in entry.columns}
        rows = [row for row in rows if keys & set(row.values) or row.key == table.total_row]
    for number, row in enumerate(rows):
        at = first + number
        cell = text_cell(sheet.cell(at, 1), row.label[language])
        cell.font = Font(name=FONT, size=SIZE, bold=row.key == table.total_row)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = [_height(row.label[language], LABEL_WIDTH)]
        for position, (_, column, what) in enumerate(headings, start=2):
            value = row.values.get(column.key)
            previous = row.previous.get(column.key)
            figure = {"value": value, "previous": previous}.get(what, change_of(value, previous))
            if figure is None and table.shape == "trend" and column.key in row.unasked:
                figure = "—"  # the question was not asked in that round: see the note
            cell = sheet.cell(at, position)
            _put(cell, figure, column.unit, language)
            cell.font = Font(name=FONT, size=SIZE, bold=row.key == table.total_row)
            if isinstance(cell.value, str) and not is_figure(figure):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                lines.append(_height(cell.value, widths[position - 1]))
            else:
                cell.alignment = Alignment(vertical="top", horizontal="right")
        sheet.row_dimensions[at].height = max(lines)
    last = first + len(rows) - 1
    at = last + 2
    for note in table.notes:
        text = note.render(language)
        cell = text_cell(sheet.cell(at, 1), text)
        cell.font = Font(name=FONT, italic=True, size=SIZE)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=at, start_column=1, end_row=at, end_column=len(widths))
        sheet.row_dimensions[at].height = _height(text, total_width)
        at += 1
    sheet.freeze_panes = "B4"
    landscape = total_width > PORTRAIT_WIDTH
    _page_setup(sheet, landscape, header_row=3)
    if table.chart:
        _charts(sheet, entry, rows, headings, first, at + 1, language)


def _put(cell, figure: Any, unit: str | None, language: Language) -> None:
    from rapporteur.workbook.writer import text_cell

    if isinstance(figure, Coded):
        text_cell(cell, figure.render(language))
    elif isinstance(figure, str):
        text_cell(cell, neutralised(figure) if figure.startswith(("=", "+", "@")) else figure)
    elif is_number(figure):
        cell.value = figure
        shape = NUMBER_FORMATS.get(unit or "")
        if shape is None and isinstance(figure, int):
            shape = "#,##0"
        elif shape is None:
            shape = "#,##0.0"
        cell.number_format = shape
    elif figure is not None:
        text_cell(cell, shown(figure, language, unit))


def _write_narrative(sheet, table: Table, language: Language, title: str) -> None:
    """Narrative answers one under another: agency, question, answer."""
    from openpyxl.styles import Alignment, Font

    from rapporteur.workbook.writer import text_cell

    widths = [28, 26, NARRATIVE_WIDTH]
    cell = text_cell(sheet.cell(1, 1), table.title[language])
    cell.font = Font(name=FONT, bold=True, size=TITLE_SIZE)
    text_cell(sheet.cell(2, 1), title).font = Font(name=FONT, italic=True, size=SIZE)
    header = [
        message("summary.agency").render(language),
        message("summary.question").render(language),
        message("summary.answer").render(language),
    ]
    for position, (heading, width) in enumerate(zip(header, widths, strict=True), start=1):
        cell = text_cell(sheet.cell(3, position), heading)
        cell.font = Font(name=FONT, bold=True, size=SIZE)
        sheet.column_dimensions[cell.column_letter].width = width
    at = 4
    for agency, answers in narratives(table, language):
        for question, answer in answers:
            texts = [agency, question, answer]
            for position, text in enumerate(texts, start=1):
                cell = text_cell(sheet.cell(at, position), text)
                cell.font = Font(name=FONT, size=SIZE)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.row_dimensions[at].height = max(
                _height(text, width) for text, width in zip(texts, widths, strict=True)
            )
            at += 1
    _page_setup(sheet, landscape=True, header_row=3)


def _charts(sheet, entry: Sheet, rows, headings, first: int, start: int, language) -> None:
    """One chart per measure, below the table from a new page on, two to a page: the
    totals of a breakdown, each figure about persons (or euros) of a table by region, each
    series of a trend."""
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.worksheet.pagebreak import Break

    table = entry.table
    shown = [at for at, row in enumerate(rows, start=first) if row.key != table.total_row]
    if not shown:
        return
    charts = []
    if table.shape == "trend":
        for at in shown[:MAX_CHARTS]:
            chart = LineChart()
            data = Reference(sheet, min_col=1, max_col=1 + len(headings), min_row=at, max_row=at)
            chart.add_data(data, from_rows=True, titles_from_data=True)
            chart.set_categories(
                Reference(sheet, min_col=2, max_col=1 + len(headings), min_row=3, max_row=3)
            )
            label = rows[at - first].label[language]
            charts.append((chart, label, table.row_heading[language], label))
    else:
        crossed = table.total_column is not None
        for position, (_, column, what) in enumerate(headings, start=2):
            if what != "value" or (crossed and column.key != TOTAL):
                continue
            if not column.persons and column.unit != "EUR":
                continue
            values = [rows[at - first].values.get(column.key) for at in shown]
            if not any(is_number(value) and value for value in values):
                continue
            chart = BarChart()
            chart.type = "bar"  # horizontal: every region's name fits beside its bar
            data = Reference(sheet, min_col=position, min_row=shown[0], max_row=shown[-1])
            chart.add_data(data, titles_from_data=False)
            chart.set_categories(Reference(sheet, min_col=1, min_row=shown[0], max_row=shown[-1]))
            measure = column.label[language]
            if crossed:
                measure = (table.measure or column.label)[language]
                title = table.title[language]
            else:
                rows_are = table.row_heading[language].lower()
                title = message("summary.chart_by", measure=measure, rows=rows_are)
                title = title.render(language)
            charts.append((chart, title, table.row_heading[language], measure))
            if len(charts) == MAX_CHARTS:
                break
    # Each chart is as tall as its categories need, every label shown; charts go below the
    # table from a new page on, as many to a page as fit whole.
    page = _page_rows(sheet.page_setup.orientation == "landscape", sheet.row_dimensions[3].height)
    at, left = start, 0
    for chart, chart_title, categories, measure in charts:
        count = len(shown) if table.shape != "trend" else 1
        height = CHART_BASE + CHART_PER_CATEGORY * count
        needed = math.ceil(height * POINTS_PER_CM / ROW_HEIGHT) + 1
        if needed > left:
            sheet.row_breaks.append(Break(id=at - 1))
            left = page
        for row in range(at, at + needed):
            sheet.row_dimensions[row].height = ROW_HEIGHT
        chart.title = _title(chart_title, TITLE_SIZE)
        chart.legend = None
        chart.height, chart.width = height, CHART_WIDTH
        if table.shape != "trend":
            chart.x_axis.scaling.orientation = "maxMin"  # top to bottom, as in the table
        chart.x_axis.title = _title(categories, SIZE)
        chart.y_axis.title = _title(measure, SIZE)
        for axis in (chart.x_axis, chart.y_axis):
            axis.txPr = _text(SIZE)
            axis.delete = False
        chart.x_axis.tickLblSkip = 1
        sheet.add_chart(chart, f"A{at}")
        at += needed
        left -= needed


def _page_rows(landscape: bool, header: float | None) -> int:
    """The rows of ROW_HEIGHT that fit on a page under the repeated header row."""
    height = (21.0 if landscape else 29.7) * POINTS_PER_CM - 2 * MARGIN * 72
    return int((height - (header or LINE_HEIGHT) - 2 * LINE_HEIGHT) // ROW_HEIGHT)


def _text(size: int, horizontal: bool = False):
    """Chart text at `size` points; `horizontal` keeps a vertical axis's title level, so
    that it reads like the rest."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import (
        CharacterProperties,
        Paragraph,
        ParagraphProperties,
        RichTextProperties,
    )

    properties = CharacterProperties(sz=size * 100, latin=None)
    body = RichTextProperties(rot=0, vert="horz") if horizontal else RichTextProperties()
    return RichText(
        bodyPr=body,
        p=[Paragraph(pPr=ParagraphProperties(defRPr=properties), endParaRPr=properties)],
    )


def _title(text: str, size: int):
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import (
        CharacterProperties,
        Paragraph,
        ParagraphProperties,
        RegularTextRun,
        RichTextProperties,
    )

    properties = CharacterProperties(sz=size * 100, b=size > SIZE)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=properties), r=[RegularTextRun(rPr=properties, t=text[:250])]
    )
    rich = RichText(bodyPr=RichTextProperties(rot=0, vert="horz"), p=[paragraph])
    return Title(tx=Text(rich=rich), overlay=False)


def _page_setup(sheet, landscape: bool, header_row: int | None) -> None:
    """A4 at full size: never shrunk below what the column groups were made to fit."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    # Full size, never "fit to page": the column groups are made to fit, and spreadsheet
    # programs ignore the manual page breaks that keep charts whole when fitting.
    sheet.page_setup.scale = 100
    sheet.page_margins.left = sheet.page_margins.right = MARGIN
    sheet.page_margins.top = sheet.page_margins.bottom = MARGIN
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.print_title_cols = "A:A"


def _height(text: str, width: float, size: float = SIZE) -> float:
    """The height of a cell holding `text` wrapped in a column `width` wide. A column's
    width counts the font's digits; a line of text holds a tenth more letters, which are
    narrower on average."""
    lines = 0
    for paragraph in str(text).splitlines() or [""]:
        letters = max(1, int(width * 1.1 * SIZE / size) - 1)
        lines += max(1, len(textwrap.wrap(paragraph, letters)))
    return math.ceil(lines * LINE_HEIGHT * size / SIZE + 4)


def _sheet_name(number: int, title: str, part: int, parts: int, used: set[str]) -> str:
    """A readable name: its number, its title cut at a word, and its part."""
    suffix = f" ({part})" if parts > 1 else ""
    prefix = f"{number:02d} "
    room = 31 - len(prefix) - len(suffix)
    main, _, breakdown = title.partition(" — ")
    kind = ""
    if main.endswith("]") and " [" in main:  # the kind of agency, which tells tables apart
        main, _, kind = main.rpartition(" [")
        kind = " (" + kind[:-1] + ")"
        if breakdown:  # the sheets of one question differ by their breakdown and kind
            main = breakdown
    else:
        main = title
    room -= len(kind)
    cleaned = "".join(" " if c in ":\\/?*[]'" else c for c in main).strip()
    if len(cleaned) > room:
        cut = cleaned[: room - 1].rsplit(" ", 1)[0] if " " in cleaned[: room - 1] else ""
        cleaned = (cut or cleaned[: room - 1]).rstrip(" ,.;—-(") + "…"
    return _unique((prefix + cleaned + kind)[: 31 - len(suffix)] + suffix, used)


def _unique(name: str, used: set[str]) -> str:
    candidate = name
    number = 2
    while candidate.casefold() in {u.casefold() for u in used}:
        candidate = f"{name[:28]}~{number}"
        number += 1
    used.add(candidate)
    return candidate
