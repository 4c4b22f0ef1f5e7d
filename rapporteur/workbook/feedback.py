"""Feedback workbooks: the agency's own file, with every problem marked where it is.

A copy of the returned workbook goes to `feedback/<round>/<agency>.xlsx`: each problem
cell is highlighted (red for errors, yellow for warnings) and carries a comment saying
what is wrong in the questionnaire's language, and a first sheet lists every problem with
a link to its cell. The agency corrects it and sends it back.
"""

from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from rapporteur.messages import message
from rapporteur.workbook.writer import FONT, save_atomically, text_cell
from rapporteur.workspace import Workspace

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")


def write_feedback(workspace: Workspace, outcome) -> Path:
    language = outcome.language
    workbook = load_workbook(outcome.file)
    by_cell: dict[tuple[str, str], list] = defaultdict(list)
    for problem in outcome.problems:
        if problem.sheet in workbook.sheetnames and problem.cell:
            by_cell[(problem.sheet, problem.cell)].append(problem)
    for (sheet, coordinate), problems in by_cell.items():
        cell = workbook[sheet][coordinate]
        cell.fill = ERROR_FILL if any(p.severity == "error" for p in problems) else WARNING_FILL
        # As typed: 12.5 refused in a count must not show as the 13 of its #,##0 format.
        cell.number_format = "General"
        text = "\n".join(_line(problem, language) for problem in problems)
        comment = Comment(text, "rapporteur")
        comment.width, comment.height = 320, 40 + 18 * len(text) // 45
        cell.comment = comment
    _problem_sheet(workbook, outcome, language)
    folder = workspace.feedback_dir / outcome.round
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{outcome.agency}.xlsx"
    save_atomically(workbook, target)
    return target


def _line(problem, language) -> str:
    prefix = message(f"feedback.{problem.severity}").render(language)
    return f"{prefix}: {problem.message.render(language)}"


def _problem_sheet(workbook, outcome, language) -> None:
    title = message("feedback.sheet").render(language)
    sheet = workbook.create_sheet(title, 0)
    workbook.active = 0
    for other in workbook.worksheets[1:]:
        other.sheet_view.tabSelected = False
    bold = Font(name=FONT, bold=True)
    normal = Font(name=FONT)
    summary = message(
        "feedback.summary",
        agency=outcome.agency,
        round=outcome.round,
        errors=len(outcome.errors),
        warnings=len(outcome.warnings),
    ).render(language)
    text_cell(sheet.cell(1, 1), summary).font = Font(name=FONT, bold=True, size=12)
    text_cell(sheet.cell(2, 1), message("feedback.instructions").render(language)).font = normal
    headings = message("feedback.headings").render(language).split("|")
    for column, heading in enumerate(headings, start=1):
        text_cell(sheet.cell(4, column), heading).font = bold
    ordered = sorted(
        outcome.problems, key=lambda p: (p.severity != "error", p.sheet or "", p.cell or "")
    )
    for row, problem in enumerate(ordered, start=5):
        severity = message(f"feedback.{problem.severity}").render(language)
        values = [
            severity,
            problem.sheet or "",
            problem.cell or "",
            problem.label.render(language) if problem.label else "",
            problem.message.render(language),
        ]
        for column, value in enumerate(values, start=1):
            cell = text_cell(sheet.cell(row, column), value)
            cell.font = normal
            cell.alignment = Alignment(vertical="top", wrap_text=column >= 4)
        if problem.sheet in workbook.sheetnames and problem.cell:
            link = sheet.cell(row, 3)
            quoted = problem.sheet.replace("'", "''")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!{problem.cell}")
            link.font = Font(name=FONT, color="0563C1", underline="single")
        sheet.cell(row, 1).fill = ERROR_FILL if problem.severity == "error" else WARNING_FILL
    for column, width in zip("ABCDE", (12, 16, 8, 50, 80), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A5"
