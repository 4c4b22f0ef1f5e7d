"""The questionnaire as a clerk prints it and types into it.

Every kind of agency's questionnaire, in every language the office writes, is issued with
the CLI and printed to PDF by LibreOffice; `pdftotext -bbox-layout` then gives every word
with its box, and the pages are checked as a clerk would look at them: nothing too small
to read, nothing off the paper, no text drawn over another (a label clipped by its cell
runs into its neighbour), the cover on one page in the order a clerk needs it.
"""

import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries
from returns import needs_renderers

from rapporteur.definition import load_definition

DEFINITION = load_definition()
LANGUAGES = ("es", "en", "ca")
SMALLEST = 7.0
"""Points: no printed word may be set smaller."""
LINE = 1.3
"""A word's box, as pdftotext gives it, is 1.3 times its font's size tall (Carlito)."""
SIDE_MARGIN = 0.4 * 72

# Pages of each kind's questionnaire, by language, as LibreOffice prints them: a change
# is a change of what a clerk prints, to be looked at (and this table updated).
PAGES = {
    "CCAA": (20, 20, 19),
    "CGPJ": (16, 16, 15),
    "CITCO": (31, 31, 30),
    "DGVG": (19, 20, 19),
    "FEMP": (18, 18, 17),
    "FISC": (17, 17, 16),
    "LEA_REG": (31, 30, 30),
    "LEA_STATE": (31, 31, 30),
    "MIN_EMP": (18, 18, 17),
    "MIN_EXT": (17, 17, 16),
    "MIN_INT": (19, 19, 18),
    "MIN_JUS": (16, 16, 15),
    "MIN_SOC": (20, 20, 19),
    "NGO": (34, 33, 33),
    "SEM": (15, 15, 14),
}


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    """Points of its font, from its box: the height of a line, or its width if upwards."""
    block: int
    """The text it belongs to: a cell's, whose wrapped lines may touch."""


@dataclass(frozen=True)
class Printed:
    pages: list[tuple[float, float]]
    words: list[Word]

    def on(self, page: int) -> list[Word]:
        return [word for word in self.words if word.page == page]


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def printed(pdf: Path) -> Printed:
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages, words = [], []
    for number, (width, height, body) in enumerate(
        re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', layout, re.S), 1
    ):
        pages.append((float(width), float(height)))
        for block, text_block in enumerate(re.findall(r"<block [^>]*>(.*?)</block>", body, re.S)):
            for line in re.findall(r"<line [^>]*>(.*?)</line>", text_block, re.S):
                boxes = [(*map(float, found[:4]), found[4]) for found in _WORD.findall(line)]
                # Words of a line written upwards share their left edge and climb the page.
                upwards = len(boxes) > 1 and len({round(box[0]) for box in boxes}) == 1
                for x0, y0, x1, y1, text in boxes:
                    if upwards:
                        across = x1 - x0
                    elif len(boxes) > 1:
                        across = y1 - y0
                    elif len(text) >= 4:
                        across = min(y1 - y0, x1 - x0)  # alone, either way round: the narrower
                    else:
                        across = max(y1 - y0, x1 - x0)  # too short to tell: the wider
                    words.append(Word(number, text, x0, y0, x1, y1, across / LINE, block))
    return Printed(pages, words)


def one_agency_per_kind(workspace: Path) -> dict[str, str]:
    registry = tomllib.loads((workspace / "agencies.toml").read_text(encoding="utf-8"))
    chosen: dict[str, str] = {}
    for agency in registry["agency"]:
        chosen.setdefault(agency["kind"], agency["id"])
    return chosen


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every kind's questionnaire in every language, issued by the CLI and printed to PDF."""
    from typer.testing import CliRunner

    from rapporteur.cli import app

    root = tmp_path_factory.mktemp("print")
    runner = CliRunner()
    workspace = root / "office"
    assert runner.invoke(app, ["init", str(workspace)]).exit_code == 0
    agencies = one_agency_per_kind(workspace)
    assert set(agencies) == set(PAGES)
    files: dict[tuple[str, str], Path] = {}
    for language in LANGUAGES:
        folder = root / language
        arguments = ["-w", str(workspace), "issue", "--round", "2018-12", "--deadline",
                     "2099-01-31", "--lang", language, "--out", str(folder), "--force"]  # fmt: skip
        for agency in agencies.values():
            arguments += ["--agency", agency]
        result = runner.invoke(app, arguments)
        assert result.exit_code == 0, result.output
        for kind, agency in agencies.items():
            # Kept aside: issuing again (the next language) sets the earlier file apart.
            kept = root / "flat" / f"{kind}-{language}.xlsx"
            kept.parent.mkdir(exist_ok=True)
            shutil.copy(folder / f"{agency}.xlsx", kept)
            files[(kind, language)] = kept
    return root, workspace, files


@pytest.fixture(scope="module")
def pdfs(rendered):
    root, _, files = rendered
    out = root / "pdf"
    by_name = {key: out / f"{path.stem}.pdf" for key, path in files.items()}
    profile = root / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(out), *sorted(str(p) for p in (root / "flat").iterdir())],
        capture_output=True, timeout=600, check=True,
    )  # fmt: skip
    return {key: printed(path) for key, path in by_name.items()}


@needs_renderers
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_every_questionnaire_prints_readable_on_its_pages(pdfs, kind):
    for index, language in enumerate(LANGUAGES):
        document = pdfs[(kind, language)]
        where = f"{kind} ({language})"
        small = [(w.page, w.text, round(w.size, 1)) for w in document.words if w.size < SMALLEST]
        assert not small, f"{where}: words printed under {SMALLEST} pt: {small[:10]}"
        outside = [
            (word.page, word.text)
            for word in document.words
            if word.x0 < SIDE_MARGIN - 1
            or word.x1 > document.pages[word.page - 1][0] - SIDE_MARGIN + 1
            or word.y0 < 0
            or word.y1 > document.pages[word.page - 1][1]
        ]
        assert not outside, f"{where}: words outside the printable width: {outside[:10]}"
        overlapping = _overlaps(document)
        assert not overlapping, f"{where}: words drawn over others: {overlapping[:10]}"
        assert len(document.pages) == PAGES[kind][index], (where, len(document.pages))


def _overlaps(document: Printed) -> list[tuple[int, str, str]]:
    found = []
    for page in range(1, len(document.pages) + 1):
        words = sorted(document.on(page), key=lambda word: word.y0)
        for index, word in enumerate(words):
            for other in words[index + 1 :]:
                if other.y0 >= word.y1 - 1:
                    break
                if other.block == word.block:
                    continue
                # Two boxes that share more than a sliver both ways: one text over another.
                across = min(word.x1, other.x1) - max(word.x0, other.x0)
                down = min(word.y1, other.y1) - max(word.y0, other.y0)
                if across > 1.5 and down > 1.5:
                    found.append((page, word.text, other.text))
    return found


@needs_renderers
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cover_is_one_page_in_the_order_a_clerk_needs(pdfs, rendered, language):
    from rapporteur.messages import message

    _, _, files = rendered
    document = pdfs[("NGO", language)]
    cover = document.on(1)
    text = " ".join(word.text for word in cover)
    agency = openpyxl.load_workbook(files[("NGO", language)]).worksheets[0]["B4"].value
    headings = [
        agency,
        message("workbook.period").render(language),
        "31/01/2099",
        message("workbook.how_to_fill").render(language),
        message("workbook.how_to_return").render(language),
        message("workbook.whom_to_ask").render(language),
    ]
    positions = []
    for heading in headings:
        assert heading in text, (language, heading)
        first = heading.split()[0]
        positions.append(next(w.y0 for w in cover if w.text == first))
    assert positions == sorted(positions), (language, headings, positions)
    # The whole cover, the contact included, is on the first page; the second is a section.
    assert "@" in text
    second = " ".join(word.text for word in document.on(2))
    assert DEFINITION.sections[0].label[language] in second


def _inputs(workbook) -> list[tuple[str, object]]:
    """Every input cell of a workbook, with the name it is read by."""
    cells = []
    for name, defined in workbook.defined_names.items():
        if name.startswith("list_"):
            continue
        ((sheet, reference),) = defined.destinations
        first_column, first_row, last_column, last_row = range_boundaries(
            reference.replace("$", "")
        )
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                cells.append((name, workbook[sheet].cell(row, column)))
    return cells


def _validations(workbook) -> dict[tuple[str, str], object]:
    by_cell = {}
    for sheet in workbook.worksheets:
        for validation in sheet.data_validations.dataValidation:
            for area in validation.sqref.ranges:
                for row in sheet.iter_rows(
                    min_row=area.min_row, max_row=area.max_row,
                    min_col=area.min_col, max_col=area.max_col,
                ):  # fmt: skip
                    for cell in row:
                        by_cell[(sheet.title, cell.coordinate)] = validation
    return by_cell


FORMATS = {"count": "#,##0", "eur": '#,##0.00\\ "€"', "date": "DD/MM/YYYY"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_input_says_what_to_type_and_refuses_only_a_wrong_entry(rendered, language):
    from rapporteur.messages import message

    _, _, files = rendered
    units = {code.code: code for code in DEFINITION.codelist("unit")}
    error_title = message("validation.title").render(language)
    prompt_title = message("validation.prompt_title").render(language)
    for kind in PAGES:
        workbook = openpyxl.load_workbook(files[(kind, language)])
        inputs = {item.name: item for item in DEFINITION.inputs(kind)}
        validations = _validations(workbook)
        for name, cell in _inputs(workbook):
            item = inputs[name]
            where = f"{kind} {language} {cell.parent.title}!{cell.coordinate} ({name})"
            validation = validations[(cell.parent.title, cell.coordinate)]
            assert validation.showInputMessage and validation.showErrorMessage, where
            assert validation.promptTitle == prompt_title, where
            assert validation.errorTitle == error_title, where
            assert validation.prompt and validation.error, where
            assert validation.prompt != validation.error or item.type == "date", where
            if item.type == "count" and item.unit == "year":
                assert cell.number_format == "0", where
                low, high = int(item.minimum), int(item.maximum)
                assert validation.prompt == message(
                    "validation.prompt_year", minimum=low, maximum=high
                ).render(language), where
                assert f"{low}" in validation.error and f"{high}" in validation.error, where
            elif item.type == "count":
                assert cell.number_format == FORMATS["count"], where
                unit = units[item.unit or "persons"].text
                assert validation.prompt == message("validation.prompt_count", unit=unit).render(
                    language
                ), where
            elif item.type in FORMATS:
                assert cell.number_format == FORMATS[item.type], where
            if item.type == "choice":
                assert validation.type == "list" and validation.formula1.startswith("list_")
            required = item.requirement == "required"
            assert (cell.border.left.style == "medium") is required, where
            assert cell.protection.locked is False, where


def test_prompts_name_the_unit_and_years_are_written_without_a_separator(rendered):
    _, _, files = rendered
    workbook = openpyxl.load_workbook(files[("NGO", "es")])
    prompts = {
        v.prompt for sheet in workbook.worksheets for v in sheet.data_validations.dataValidation
    }
    errors = {
        v.error for sheet in workbook.worksheets for v in sheet.data_validations.dataValidation
    }
    assert "Número entero de personas: 0 si no hubo ninguno; en blanco si no lo sabe." in prompts
    assert "Número entero de contactos: 0 si no hubo ninguno; en blanco si no lo sabe." in prompts
    assert "Un año, entre 1990 y 2100." in prompts
    assert "Escriba un año entre 1990 y 2100, con sus cuatro cifras." in errors
    assert "Dato no válido" not in prompts
    assert not any("1.990" in text for text in prompts | errors)


def test_required_answers_are_told_apart_without_colour(rendered):
    from rapporteur.messages import message

    _, _, files = rendered
    workbook = openpyxl.load_workbook(files[("NGO", "es")])
    cover = [str(cell.value) for row in workbook.worksheets[0].iter_rows() for cell in row]
    assert message("workbook.legend_required").render("es") in cover
    assert any("borde grueso" in text for text in cover)
    legend = workbook["1 Tendencias"]["A3"].value
    assert legend.startswith("Borde grueso y *: obligatoria")


@needs_renderers
def test_a_table_longer_than_a_page_repeats_its_header_on_every_page(pdfs):
    document = pdfs[("NGO", "es")]
    training = [
        page
        for page in range(1, len(document.pages) + 1)
        if re.search(r"3 Formación · \d+ /", " ".join(word.text for word in document.on(page)))
    ]
    assert len(training) >= 3
    for page in training:
        words = {word.text for word in document.on(page)}
        assert {"Título", "Modalidad", "Horas"} <= words, page


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sheet_is_no_wider_than_its_paper_in_excel_or_libreoffice(rendered, language):
    _, _, files = rendered
    for kind in PAGES:
        workbook = openpyxl.load_workbook(files[(kind, language)])
        for sheet in workbook.worksheets[:-2]:
            landscape = sheet.page_setup.orientation == "landscape"
            paper = (841.9 if landscape else 595.3) - 2 * SIDE_MARGIN
            units = sum(dimension.width for dimension in sheet.column_dimensions.values())
            # A unit of width is 5.05 pt in LibreOffice and 7 pixels (5.25 pt) in Excel.
            assert units * 5.25 <= paper, (kind, language, sheet.title, units)
            assert sheet.page_margins.left == sheet.page_margins.right == 0.4


@needs_renderers
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_a_question_is_printed_on_the_page_of_its_help(pdfs, kind):
    document = pdfs[(kind, "es")]
    pages = [
        " ".join(word.text for word in document.on(page))
        for page in range(1, len(document.pages) + 1)
    ]
    for field in DEFINITION.asked_fields(kind):
        label = " ".join(field.label["es"].split())
        help_ = " ".join(field.help["es"].split())
        # Page 1 is the cover, which names the tables that have a sheet of their own.
        found = [number for number, text in enumerate(pages[1:], 2) if label in text]
        assert found, (kind, label)
        assert help_ in pages[found[0] - 1], (kind, field.id, found[0])
