"""Text from agencies on the way out: never a formula in the CSV and xlsx files the tool
writes, never an escape sequence in the terminal."""

import csv
import zipfile

import openpyxl
import pytest
from returns import cell_at, filled

from rapporteur.archive import Archive
from rapporteur.rounds import Round

HOSTILE_NAME = '=HYPERLINK("x","clic")\x1b[2J\x07.xlsx'
FORMULAS = ["=1+2", "+34 600 000 000", "-2+3", "@SUM(A1)"]


@pytest.fixture
def office(workspace, run):
    result = run("-w", workspace, "issue", "--round", "2018-12", "--deadline", "2099-01-31",
                 "--agency", "ong-01", "--agency", "ong-02")  # fmt: skip
    assert result.exit_code == 0, result.output
    return workspace


def typed_as_text(path, values: dict[str, str]) -> None:
    """As a clerk types '=1+2 in Excel: text that only looks like a formula."""
    workbook = openpyxl.load_workbook(path)
    for name, value in values.items():
        cell = cell_at(workbook, name)
        cell.value = value
        cell.data_type = "s"
    workbook.save(path)


def test_a_hostile_file_name_and_cell_text_stay_inert_in_reports_feedback_and_terminal(
    office, run, tmp_path, monkeypatch
):
    path = filled(office, "ong-01", "NGO", tmp_path / "returns", name=HOSTILE_NAME)
    typed_as_text(path, {"s1_presumed_victims_thb__total": "@SUM(A1)"})
    report = tmp_path / "report.csv"
    monkeypatch.chdir(path.parent)

    result = run("-w", office, "collect", HOSTILE_NAME, "--feedback", "--report", report)

    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Traceback" not in result.output
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert rows and all(row["file"].startswith("'=HYPERLINK") for row in rows)
    assert all("\x1b" not in value for row in rows for value in row.values())
    (feedback,) = (office / "feedback" / "2018-12").glob("*.xlsx")
    workbook = openpyxl.load_workbook(feedback)
    problems = workbook.worksheets[0]
    texts = [cell for row in problems.iter_rows() for cell in row if cell.value]
    assert any("@SUM(A1)" in cell.value for cell in texts)
    assert all(cell.data_type == "s" for cell in texts if isinstance(cell.value, str))
    assert not any("\x1b" in str(cell.value) for cell in texts)
    with zipfile.ZipFile(feedback) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_text_that_looks_like_a_formula_is_archived_as_typed(office, run, tmp_path):
    path = filled(office, "ong-02", "NGO", tmp_path / "returns", name="=cmd|' -C calc'!A0.xlsx")
    typed_as_text(path, {"s0_contact_name": FORMULAS[0], "s1_trends_narrative": FORMULAS[3]})

    collected = run("-w", office, "collect", path)

    assert collected.exit_code == 0, collected.output
    archived = Archive(office / "archive").current_return(Round(2018, 12), "ong-02")
    assert archived["s0_contact_name"] == "=1+2"  # archived exactly, never altered
    assert archived["s1_trends_narrative"] == "@SUM(A1)"


@pytest.mark.parametrize("name", FORMULAS)
def test_names_that_look_like_formulas_are_text_in_every_csv_and_xlsx_written(
    workspace, run, tmp_path, name
):
    assert run("-w", workspace, "agencies", "add", "ong-99", "--name", f"{name} Fundación",
               "--kind", "NGO", "--region", "ES", "--email", "a@b.es").exit_code == 0  # fmt: skip
    run("-w", workspace, "issue", "--round", "2018-12", "--agency", "ong-99")
    path = filled(workspace, "ong-99", "NGO", tmp_path / "returns")
    assert run("-w", workspace, "collect", path).exit_code == 0
    table = tmp_path / "summary.xlsx"

    listed = run("-w", workspace, "agencies", "list", "--format", "csv")
    summary = run("-w", workspace, "summary", "--by-agency", "--format", "csv")
    written = run("-w", workspace, "summary", "--by-agency", "--format", "xlsx", "-o", table)

    assert f"'{name} Fundación" in listed.stdout
    assert f"'{name} Fundación" in summary.stdout
    assert written.exit_code == 0, written.output
    cells = [
        cell
        for sheet in openpyxl.load_workbook(table)
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "Fundación" in cell.value
    ]
    assert cells and all(cell.data_type == "s" for cell in cells)
