"""Saving a questionnaire with openpyxl against writing the same content with xlsxwriter.

Run by hand:  python benchmarks/bench_writers.py [--runs 20]

Builds one real questionnaire in memory (openpyxl, as `issue` does), then times saving it
with openpyxl and, in the same run, writing its content with xlsxwriter: every cell value
and formula, number format, bold and fill, merged range, data validation, defined name,
frozen pane, print titles, hidden sheet and sheet protection with unlocked inputs.
What xlsxwriter cannot write is listed at the end, because that decides as much as speed.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import xlsxwriter

from rapporteur.rounds import Round
from rapporteur.workbook.writer import Questionnaire, build_questionnaire
from rapporteur.workspace import init_workspace

CANNOT = [
    "workbook structure protection (lockStructure), which stops sheets being renamed, "
    "moved or deleted",
    "named cell styles, which the questionnaire's look is defined with",
]


OPERATORS = {"lessThanOrEqual": "<=", "greaterThanOrEqual": ">=", "lessThan": "<",
             "greaterThan": ">", "equal": "==", "notEqual": "!="}  # fmt: skip


def extract(workbook) -> list[dict]:
    """The questionnaire's content as plain data, so that only xlsxwriter's part is timed."""
    sheets = []
    for sheet in workbook.worksheets:
        cells = []
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None and cell.protection.locked:
                    continue
                fill = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type else None
                bold = bool(cell.font and cell.font.b)
                fill = fill if isinstance(fill, str) else None
                style = (cell.number_format, bold, fill, cell.protection.locked)
                cells.append((cell.row - 1, cell.column - 1, cell.value, style))
        validations = []
        for validation in sheet.data_validations.dataValidation:
            kinds = {"whole": "integer", "textLength": "length"}
            options = {"validate": kinds.get(validation.type, validation.type),
                       "error_message": validation.error or ""}  # fmt: skip
            if validation.type == "list":
                options["source"] = validation.formula1
            elif validation.formula2 is None:
                operator = OPERATORS.get(validation.operator or "", ">=")
                options.update(criteria=operator, value=_limit(validation.formula1))
            else:
                options.update(criteria="between", minimum=_limit(validation.formula1),
                               maximum=_limit(validation.formula2))  # fmt: skip
            for area in validation.sqref.ranges:
                validations.append(((area.min_row - 1, area.min_col - 1, area.max_row - 1,
                                     area.max_col - 1), options))  # fmt: skip
        sheets.append({
            "title": sheet.title, "cells": cells, "validations": validations,
            "merged": [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                       for m in sheet.merged_cells.ranges],
            "freeze": sheet.freeze_panes, "titles": bool(sheet.print_title_rows),
            "widths": {c: d.width for c, d in sheet.column_dimensions.items() if d.width},
            "state": sheet.sheet_state,
        })  # fmt: skip
    names = {name: "=" + defined.attr_text for name, defined in workbook.defined_names.items()}
    return [{"names": names}, *sheets]


def write_with_xlsxwriter(content: list[dict], path: Path) -> None:
    target = xlsxwriter.Workbook(str(path))
    formats: dict[tuple, object] = {}
    for sheet in content[1:]:
        out = target.add_worksheet(sheet["title"])
        for row, column, value, style in sheet["cells"]:
            if style not in formats:
                options = {"num_format": style[0], "bold": style[1], "locked": style[3]}
                if style[2]:
                    options.update(pattern=1, bg_color="#" + style[2][-6:])
                formats[style] = target.add_format(options)
            if isinstance(value, str) and value.startswith("="):
                out.write_formula(row, column, value, formats[style])
            elif value is None:
                out.write_blank(row, column, None, formats[style])
            else:
                out.write(row, column, value, formats[style])
        for merged in sheet["merged"]:
            out.merge_range(*merged, None)
        for area, options in sheet["validations"]:
            out.data_validation(*area, options)
        if sheet["freeze"]:
            out.freeze_panes(sheet["freeze"])
        if sheet["titles"]:
            out.repeat_rows(0, 3)
        for column, width in sheet["widths"].items():
            out.set_column(f"{column}:{column}", width)
        if sheet["state"] == "hidden":
            out.hide()
        elif sheet["state"] == "veryHidden":
            out.very_hidden()
        out.protect()
    for name, formula in content[0]["names"].items():
        target.define_name(name, formula)
    target.close()


def _limit(formula: str | None):
    try:
        return float(formula)
    except (TypeError, ValueError):
        return f"={formula}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workspace = init_workspace(Path(folder) / "office")
        agency = workspace.registry().get("ong-01")
        round_ = Round(2018, 12)
        questionnaire = Questionnaire(
            agency_id=agency.id, agency_name=agency.name, kind=agency.kind, round=round_,
            period=round_.period(), deadline=round_.starts_on, language="es",
            office_name="Oficina", contact_name="", contact_email="", version=1,
        )  # fmt: skip
        workbook, _ = build_questionnaire(questionnaire, workspace.secret())
        content = extract(workbook)
        openpyxl_times, xlsxwriter_times = [], []
        for number in range(options.runs):
            start = time.perf_counter()
            workbook.save(Path(folder) / f"openpyxl-{number}.xlsx")
            openpyxl_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            write_with_xlsxwriter(content, Path(folder) / f"xlsxwriter-{number}.xlsx")
            xlsxwriter_times.append(time.perf_counter() - start)
    saved, written = statistics.median(openpyxl_times), statistics.median(xlsxwriter_times)
    print(f"openpyxl save:      {saved * 1000:.0f} ms per questionnaire")
    print(f"xlsxwriter writing: {written * 1000:.0f} ms per questionnaire "
          f"({saved / written:.1f} x faster)")  # fmt: skip
    print("xlsxwriter cannot write: " + "; ".join(CANNOT) + ".")


if __name__ == "__main__":
    main()
