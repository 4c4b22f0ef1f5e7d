"""Questionnaires issued before the printable layout (layout 1: one sheet per section,
fitted to the page width) are still out with agencies when the office upgrades. Their
returns must be collected exactly as before, checked against the positions their own
layout had.

`fixtures/layout1` holds an office made with that layout: round 2018-12 issued to three
agencies, and their returns as filled in (plausible figures, at the defined names).
"""

import shutil
from pathlib import Path

import openpyxl
from openpyxl.workbook.defined_name import DefinedName
from plausible import plausible_return

from rapporteur.archive import Archive
from rapporteur.definition import load_definition
from rapporteur.rounds import Round
from rapporteur.workbook.layout import layout_of, workbook_layout
from rapporteur.workbook.reader import read_questionnaire

FIXTURE = Path(__file__).parent / "fixtures" / "layout1"
DEFINITION = load_definition(1)
ROUND = Round(2018, 12)
AGENCIES = {"ong-01": ("NGO", "ES"), "ccaa-an": ("CCAA", "ES-AN"), "citco": ("CITCO", "ES")}


def office_of_layout_1(tmp_path: Path) -> tuple[Path, Path]:
    office, returns = tmp_path / "office", tmp_path / "returns"
    shutil.copytree(FIXTURE / "office", office)
    shutil.copytree(FIXTURE / "returns", returns)
    (office / "secret.key").chmod(0o600)
    return office, returns


def test_the_fixture_is_of_an_earlier_layout_than_today():
    for agency, (kind, _) in AGENCIES.items():
        metadata = read_questionnaire(FIXTURE / "returns" / f"{agency}.xlsx").metadata
        assert metadata.fingerprint != workbook_layout(1, kind).fingerprint
        earlier = layout_of(1, kind, metadata.fingerprint)
        assert earlier is not None
        assert [sheet.title["es"] for sheet in earlier.sheets] == [
            section.sheet["es"] for section in DEFINITION.sections_for(kind)
        ]
        # Its positions are the ones the issued questionnaire's names point at, and the
        # previous round's figure was printed beside each single figure's input.
        workbook = openpyxl.load_workbook(
            FIXTURE / "office" / "issued" / "2018-12" / f"{agency}.xlsx"
        )
        for sheet in earlier.sheets:
            for placed in sheet.inputs:
                ((title, reference),) = workbook.defined_names[placed.input.name].destinations
                assert (title, reference) == (sheet.title["es"], placed.reference)
            assert all(placed.row == row and placed.rows == 1 for placed, row in sheet.previous)
        assert sum(len(sheet.previous) for sheet in earlier.sheets) > 10


def test_returns_of_the_first_layout_are_collected_as_they_were_typed(tmp_path, run):
    office, returns = office_of_layout_1(tmp_path)

    result = run("-w", office, "collect", returns)

    assert result.exit_code == 0, result.output
    assert "3 archivos: 3 aceptados, 0 sin cambios, 0 rechazados" in result.output
    archive = Archive(office / "archive")
    for agency, (kind, region) in AGENCIES.items():
        assert archive.current_return(ROUND, agency) == plausible_return(DEFINITION, kind, region)
    assert run("-w", office, "archive", "verify").exit_code == 0


def test_a_first_layout_return_is_checked_against_the_positions_it_was_issued_with(tmp_path, run):
    office, returns = office_of_layout_1(tmp_path)
    path = returns / "ong-01.xlsx"
    workbook = openpyxl.load_workbook(path)
    # A campaign's name was in the section's sheet in layout 1 (today it has a sheet of
    # its own): its name now points one column to the right.
    name = "s3_campaigns__name"
    ((sheet, reference),) = workbook.defined_names[name].destinations
    moved = reference.replace("$B$", "$C$")
    workbook.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{moved}")
    workbook.save(path)

    result = run("-w", office, "collect", path)

    assert result.exit_code == 1, result.output
    assert f"{sheet}!{reference.replace('$', '').split(':')[0]}" in result.output
    assert Archive(office / "archive").current_return(ROUND, "ong-01") is None
