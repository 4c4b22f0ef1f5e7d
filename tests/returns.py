"""Returns as agencies send them: issued questionnaires filled at their names, then
edited cell by cell the way clerks really do."""

import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import range_boundaries
from plausible import plausible_return

from rapporteur.definition import load_definition
from rapporteur.workbook.filling import fill_questionnaire

DEFINITION = load_definition()


def filled(workspace: Path, agency: str, kind: str, folder: Path, name: str | None = None,
           value: dict | None = None, region: str = "ES",
           round_: str = "2018-12") -> Path:  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or f"{agency}.xlsx")
    data = value if value is not None else plausible_return(DEFINITION, kind, region)
    fill_questionnaire(workspace / "issued" / round_ / f"{agency}.xlsx", data, target)
    return target


def cell_at(workbook, name: str, offset: int = 0):
    ((sheet, reference),) = workbook.defined_names[name].destinations
    column, row, _, _ = range_boundaries(reference.replace("$", ""))
    return workbook[sheet].cell(row + offset, column)


def set_cells(path: Path, values: dict[str, Any], offset: int = 0) -> dict[str, str]:
    """Type raw values into named cells; return each cell's 'Sheet!A1'."""
    workbook = openpyxl.load_workbook(path)
    where = {}
    for name, value in values.items():
        cell = cell_at(workbook, name, offset)
        cell.value = value
        where[name] = f"{cell.parent.title}!{cell.coordinate}"
    workbook.save(path)
    return where


def set_metadata(path: Path, **values: Any) -> None:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["_rapporteur"]
    for row in sheet.iter_rows():
        if row[0].value in values:
            row[1].value = values[row[0].value]
    workbook.save(path)


needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed"
)
needs_renderers = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler (pdftotext) are needed: see DEVELOPERS.md",
)


needs_gnumeric = pytest.mark.skipif(
    shutil.which("ssconvert") is None, reason="Gnumeric (ssconvert) not installed"
)


def resaved_by_gnumeric(source: Path, target: Path) -> Path:
    """Open and save a file in Gnumeric, as xlsx (its Office Open XML writer)."""
    subprocess.run(
        ["ssconvert", "--export-type=Gnumeric_Excel:xlsx2", str(source), str(target)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return target


def resaved_by_libreoffice(files: list[Path], folder: Path, profile: Path) -> Path:
    """Open and save each file in LibreOffice, headless, into `folder` (same names)."""
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
         "--convert-to", "xlsx", "--outdir", str(folder), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return folder
