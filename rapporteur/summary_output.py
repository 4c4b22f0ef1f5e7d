"""The summary written out: CSV, JSON, Markdown and an xlsx workbook with native charts.

Anything that a spreadsheet program could run as a formula (text starting with =, +, -,
@) is written as plain text, whatever its source.
"""

import csv
import io
import json
from pathlib import Path
from typing import Any

from rapporteur import formats
from rapporteur.messages import Coded, Language, message
from rapporteur.summary import Summary, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Thousands grouped, euros with cents and the sign, percentages with one decimal; the
# spreadsheet program writes them with the reader's separators.
_XLSX_FORMATS = {"EUR": '#,##0.00 "€"', "PCT": "0.0"}


def change_of(value: Any, previous: Any) -> Any:
    if _number(value) and _number(previous):
        change = value - previous
        return round(change, 2) if isinstance(change, float) else change
    return None


def shown(value: Any, language: Language, unit: str | None = None) -> str:
    if value is None:
        return "—"
    if isinstance(value, Coded):
        return value.render(language)
    if unit == "EUR" and _number(value):
        return formats.euros(value, language)
    if unit == "PCT" and _number(value):
        return formats.number(value, language, decimals=1)
    if isinstance(value, float) and not value.is_integer():
        return formats.number(value, language, decimals=1)
    return formats.shown(value, language)


def records(summary: Summary, language: Language) -> list[dict[str, Any]]:
    """One record per figure: the long form that CSV and JSON share."""
    found = []
    for table in summary.tables:
        for row in table.rows:
            for column in table.columns:
                value = row.values.get(column.key)
                previous = row.previous.get(column.key)
                if value is None and previous is None:
                    continue
                found.append(
                    {
                        "table": table.id,
                        "row": row.key,
                        "row_label": row.label[language],
                        "column": column.key,
                        "column_label": column.label[language],
                        "value": _code(value),
                        "value_label": _label(value, language),
                        "previous": _code(previous),
                        "change": change_of(value, previous),
                    }
                )
    return found


def to_csv(summary: Summary, language: Language) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = (
        "table",
        "row",
        "row_label",
        "column",
        "column_label",
        "value",
        "value_label",
        "previous",
        "change",
    )
    writer.writerow(columns)
    for record in records(summary, language):
        writer.writerow([neutralised(record[column]) for column in columns])
    return buffer.getvalue()


def to_json(summary: Summary, language: Language) -> str:
    document = {
        "round": str(summary.round),
        "compare": str(summary.compare) if summary.compare else None,
        "grouping": summary.grouping,
        "published": summary.published,
        "tables": [
            {
                "id": table.id,
                "title": table.title[language],
                "notes": [note.render(language) for note in table.notes],
                "columns": [{"key": c.key, "label": c.label[language]} for c in table.columns],
                "rows": [
                    {
                        "key": row.key,
                        "label": row.label[language],
                        "values": {key: _code(value) for key, value in row.values.items()},
                        "value_labels": {
                            key: value.render(language)
                            for key, value in row.values.items()
                            if isinstance(value, Coded)
                        }
                        or None,
                        "previous": {k: _code(v) for k, v in row.previous.items()} or None,
                    }
                    for row in table.rows
                ],
            }
            for table in summary.tables
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"


def to_markdown(summary: Summary, language: Language, title: str) -> str:
    lines = [f"# {_markdown_text(title)}", ""]
    for table in summary.tables:
        lines += [f"## {_markdown_text(table.title[language])}", ""]
        headings = [table.row_heading[language], *(c.label[language] for c in table.columns)]
        lines.append("| " + " | ".join(_markdown_text(h) for h in headings) + " |")
        lines.append("|" + "---|" * len(headings))
        for row in table.rows:
            cells = [row.label[language]]
            for column in table.columns:
                cells.append(cell_text(row, column, language, summary.compare is not None))
            lines.append("| " + " | ".join(_markdown_text(c) for c in cells) + " |")
        lines.append("")
        lines.extend(f"*{_markdown_text(note.render(language))}*" for note in table.notes)
        lines.append("")
    return "\n".join(lines)


def cell_text(row, column, language: Language, compare: bool) -> str:
    value = row.values.get(column.key)
    text = shown(value, language, column.unit)
    if compare and column.key in row.previous:
        previous = row.previous[column.key]
        change = change_of(value, previous)
        signed = ("+" if _number(change) and change > 0 else "") + shown(
            change, language, column.unit
        )
        text += f" ({shown(previous, language, column.unit)}; "
        text += f"{signed if change is not None else '—'})"
    return text


def _code(value: Any) -> Any:
    """What programs read: the code of a coded value, any other value as it is."""
    return value.code if isinstance(value, Coded) else value


def _label(value: Any, language: Language) -> str:
    return value.render(language) if isinstance(value, Coded) else ""


def _markdown_text(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def neutralised(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def write_xlsx(summary: Summary, language: Language, path: Path, title: str) -> None:
    """One sheet per table, native charts for the trends, formatted for A4."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.styles import Alignment, Font

    from rapporteur.workbook.writer import save_atomically, text_cell

    font = "Arial"
    workbook = Workbook()
    contents = workbook.active
    contents.title = message("summary.contents").render(language)
    text_cell(contents.cell(1, 1), title).font = Font(name=font, bold=True, size=14)
    used: set[str] = {contents.title}
    compare = summary.compare is not None
    for number, table in enumerate(summary.tables, start=1):
        name = _sheet_name(table, number, used)
        sheet = workbook.create_sheet(name)
        link = contents.cell(number + 2, 1)
        text_cell(link, table.title[language]).font = Font(
            name=font, color="0563C1", underline="single"
        )
        link.hyperlink = f"#'{name}'!A1"
        text_cell(sheet.cell(1, 1), table.title[language]).font = Font(
            name=font, bold=True, size=12
        )
        headings = [table.row_heading[language]]
        for column in table.columns:
            headings.append(column.label[language])
            if compare:
                headings += [f"{column.label[language]} ({summary.compare})", "Δ"]
        for position, heading in enumerate(headings, start=1):
            cell = text_cell(sheet.cell(3, position), heading)
            cell.font = Font(name=font, bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row_number, row in enumerate(table.rows, start=4):
            text_cell(sheet.cell(row_number, 1), row.label[language]).font = Font(name=font)
            position = 2
            for column in table.columns:
                figures = [row.values.get(column.key)]
                if compare:
                    previous = row.previous.get(column.key)
                    figures += [previous, change_of(row.values.get(column.key), previous)]
                for figure in figures:
                    cell = sheet.cell(row_number, position)
                    if isinstance(figure, Coded):
                        text_cell(cell, figure.render(language))
                    elif isinstance(figure, str):
                        text_cell(cell, figure)
                    else:
                        cell.value = figure
                    cell.font = Font(name=font)
                    shape = _XLSX_FORMATS.get(column.unit or "")
                    if shape is None and isinstance(figure, int) and not isinstance(figure, bool):
                        shape = "#,##0"
                    if shape:
                        cell.number_format = shape
                    position += 1
        last_row = 3 + len(table.rows)
        for offset, note in enumerate(table.notes, start=2):
            text_cell(sheet.cell(last_row + offset, 1), note.render(language)).font = Font(
                name=font, italic=True, size=8
            )
        sheet.column_dimensions["A"].width = 40
        for position in range(2, len(headings) + 1):
            sheet.column_dimensions[sheet.cell(3, position).column_letter].width = 16
        sheet.freeze_panes = "B4"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape" if len(headings) > 6 else "portrait"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        if table.chart and table.rows:
            chart_rows = [r for r in table.rows if r.key != table.total_row]
            step = 3 if compare else 1
            numeric = [
                position
                for position, column in enumerate(table.columns)
                if column.key != "PCT"
                and any(_number(r.values.get(column.key)) for r in chart_rows)
            ][:6]
            if not numeric or not chart_rows:
                continue
            chart = LineChart() if table.chart == "line" else BarChart()
            chart.title = table.title[language][:250]
            chart.height, chart.width = 9, 18
            for position in numeric:
                column_number = 2 + position * step
                data = Reference(
                    sheet, min_col=column_number, min_row=3, max_row=3 + len(chart_rows)
                )
                chart.add_data(data, titles_from_data=True)
            categories = Reference(sheet, min_col=1, min_row=4, max_row=3 + len(chart_rows))
            chart.set_categories(categories)
            sheet.add_chart(chart, f"A{last_row + len(table.notes) + 3}")
    contents.column_dimensions["A"].width = 90
    save_atomically(workbook, path)


def _sheet_name(table: Table, number: int, used: set[str]) -> str:
    base = f"{number:02d} {table.id}"[:31]
    for character in ":\\/?*[]":
        base = base.replace(character, "_")
    name = base
    while name in used:
        name = f"{base[:28]}~{len(used)}"
    used.add(name)
    return name
