"""The fast reader (calamine, with names and formulas from the workbook's XML) and the
openpyxl reader give the same return, the same problems at the same cells, for every
file: the example corpus, files re-saved by LibreOffice, and cells of every kind."""

import datetime
from pathlib import Path

import openpyxl
import pytest
from returns import filled, needs_libreoffice, resaved_by_libreoffice, set_cells
from typer.testing import CliRunner

from rapporteur.cli import app
from rapporteur.workbook.reader import read_questionnaire

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "returns"
COUNT = "s1_presumed_victims_thb__total"
TEXT = "s1_trends_narrative"


def read_by_both(path: Path):
    fast, reference = read_questionnaire(path, "calamine"), read_questionnaire(path, "openpyxl")
    assert fast is not None and reference is not None
    return fast, reference


def assert_identical(fast, reference) -> None:
    assert fast.metadata == reference.metadata
    assert fast.signature == reference.signature
    assert fast.value == reference.value
    assert [(p.code, p.sheet, p.cell, p.message) for p in fast.problems] == [
        (p.code, p.sheet, p.cell, p.message) for p in reference.problems
    ]
    assert fast.positions == reference.positions
    assert fast.missing_names == reference.missing_names
    assert fast.sheetnames == reference.sheetnames
    assert fast.found_at == reference.found_at


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*/*.xlsx")), ids=lambda path: path.name)
def test_both_readers_agree_on_every_example_return(path):
    assert_identical(*read_by_both(path))


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    office = tmp_path_factory.mktemp("readers") / "office"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(office)]).exit_code == 0
    result = runner.invoke(app, ["-w", str(office), "issue", "--round", "2018-12",
                                 "--agency", "ong-01", "--agency", "fiscalia"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return office


CELLS = {
    "whole number": 7,
    "decimal": 2.5,
    "huge": 1e300,
    "negative": -4,
    "logical": True,
    "date": datetime.datetime(2018, 5, 3),
    "date and time": datetime.datetime(2018, 5, 3, 10, 30),
    "time": datetime.time(10, 30),
    "error": "#REF!",
    "formula without value": "=SUM(B1:B2)",
    "number as text": " 12 ",
    "decimal comma": "12,5",
    "formula-looking text": "@SUM(A1)",
    "blank text": "   ",
}


@pytest.mark.parametrize("typed", CELLS.values(), ids=CELLS.keys())
def test_both_readers_agree_on_every_kind_of_cell(office, tmp_path, typed):
    path = filled(office, "ong-01", "NGO", tmp_path)
    set_cells(path, {COUNT: typed, TEXT: typed})
    assert_identical(*read_by_both(path))


def test_an_error_cell_is_never_read_as_blank(office, tmp_path):
    path = filled(office, "ong-01", "NGO", tmp_path)
    where = set_cells(path, {COUNT: "#DIV/0!"})[COUNT]
    fast, _ = read_by_both(path)
    assert [(p.code, f"{p.sheet}!{p.cell}") for p in fast.problems] == [("cell-error-value", where)]


def test_a_formula_typed_as_text_is_text_and_not_a_formula(office, tmp_path):
    path = filled(office, "ong-01", "NGO", tmp_path)
    workbook = openpyxl.load_workbook(path)
    cell = workbook.defined_names[TEXT]
    ((sheet, reference),) = cell.destinations
    target = workbook[sheet][reference.replace("$", "").split(":")[0]]
    target.value, target.data_type = "=1+2", "s"
    workbook.save(path)
    fast, reference = read_by_both(path)
    assert_identical(fast, reference)
    assert fast.value[TEXT] == "=1+2"


@needs_libreoffice
def test_both_readers_agree_on_files_resaved_by_libreoffice(office, tmp_path):
    """LibreOffice writes shared strings, computed formula values and its own names."""
    returns = tmp_path / "returns"
    filled(office, "ong-01", "NGO", returns)
    edited = filled(office, "fiscalia", "FISC", returns)
    set_cells(
        edited,
        {"s1_proceedings_opened__total": "=2+3", "s1_proceedings_opened__form__LAB": "#REF!"},
    )
    resaved = resaved_by_libreoffice(
        sorted(returns.iterdir()), tmp_path / "resaved", tmp_path / "profile"
    )
    for path in sorted(resaved.glob("*.xlsx")):
        fast, reference = read_by_both(path)
        assert_identical(fast, reference)
    fast, _ = read_by_both(resaved / "fiscalia.xlsx")
    assert fast.value["s1_proceedings_opened"]["total"] == 5  # the value LibreOffice computed


def test_a_formula_written_with_character_references_is_the_same_formula(office, tmp_path):
    """XML may write "✓" as "&#10003;" (openpyxl does with lxml, other programs too): the
    return's formulas are compared with the issued ones as characters, not as bytes."""
    import zipfile

    path = filled(office, "ong-01", "NGO", tmp_path / "returns")
    rewritten = tmp_path / "ong-01.xlsx"
    flipped = 0
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                before = data
                if b"&#10003;" in data:
                    data = data.replace(b"&#10003;", "✓".encode())
                else:
                    data = data.replace("✓".encode(), b"&#10003;")
                flipped += before != data
            target.writestr(item.filename, data, zipfile.ZIP_DEFLATED)
    assert flipped  # the questionnaire has checks that print ✓

    result = CliRunner().invoke(app, ["-w", str(office), "collect", str(rewritten)])

    assert result.exit_code == 0, result.output
    assert "aceptada" in result.output


def test_defined_names_are_found_as_a_parser_finds_them(tmp_path):
    """Names are searched for in xl/workbook.xml, not parsed: every way programs write
    them must give what the XML parser gives."""
    import zipfile
    from xml.etree.ElementTree import fromstring

    from rapporteur.workbook.sources import workbook_names

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="{main}"><x:sheets/>'
        "<x:definedNames>"
        "<x:definedName name=\"s1_a\">'1 Tendencias'!$B$6</x:definedName>"
        '<x:definedName function="false" hidden="false" name="s1_b" vbProcedure="false">'
        "&apos;1 Tend&#233;ncias&apos;!$B$7:$B$9</x:definedName>"
        '<x:definedName localSheetId="0" name="_xlnm.Print_Titles">$1:$4</x:definedName>'
        '<x:definedName name="s1_c"/>'
        '<x:definedName name="s1_d">\n  #REF!  \n</x:definedName>'
        '<x:definedName name="s1_&amp;e">A&amp;B!$C$1</x:definedName>'
        "</x:definedNames></x:workbook>"
    )
    path = tmp_path / "names.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("xl/workbook.xml", xml)
    parsed = {
        element.get("name"): (element.text or "").strip()
        for element in fromstring(xml.split("?>", 1)[1]).iter(f"{{{main}}}definedName")
        if element.get("localSheetId") is None
    }
    with zipfile.ZipFile(path) as package:
        assert workbook_names(package) == parsed
    assert parsed["s1_b"] == "'1 Tendéncias'!$B$7:$B$9" and "_xlnm.Print_Titles" not in parsed
