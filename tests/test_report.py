"""`rapporteur report`: the round's report as HTML and Word, read as its readers would.

The HTML is parsed as a browser parses it (html5lib), its figures are compared with the
summary's, it is printed to PDF by headless Chromium and measured word by word; the Word
file is opened with python-docx and converted by LibreOffice. Hostile text in a return
must reach the page as text, never as markup.
"""

import json
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest
from returns import filled, needs_libreoffice
from test_output_injection import typed_as_text
from test_questionnaire_print import LINE as PRINTED_LINE
from test_questionnaire_print import printed
from typer.testing import CliRunner

from rapporteur.cli import app

NS = {"h": "http://www.w3.org/1999/xhtml"}
SMALLEST = 8.0
"""Points: no word of the printed report may be set smaller."""
LINE = 1.0
"""A word's box from pdftotext is as tall as its size in Carlito as Chromium embeds it
(measured on a page of 10- and 20-point text); the charts are set in Carlito too."""
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None or shutil.which("pdftotext") is None,
    reason="headless Chromium and poppler (pdftotext) are needed: see DEVELOPERS.md",
)


def invoke(office, *args):
    return CliRunner().invoke(app, ["-w", str(office), *map(str, args)])


def parsed(path: Path):
    """The page as a browser builds it; a parse error (unclosed or stray tag) fails."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parse(path.read_bytes())


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def tables_of(document) -> dict[str, dict[str, list[str]]]:
    """Each table of the page: per row heading, its cells' texts."""
    found = {}
    for table in document.iterfind(".//h:table", NS):
        rows = {}
        for row in table.iterfind("./h:tbody/h:tr", NS):
            cells = [text_of(cell) for cell in row]
            rows[cells[0]] = cells[1:]
        found[table.get("id")] = rows
    return found


@pytest.fixture(scope="module")
def reports(demo, tmp_path_factory):
    """The demo's year 2017 (round 2018-06) as the internal and the published report."""
    office, _ = demo
    folder = tmp_path_factory.mktemp("report")
    written = {}
    for name, options in (("internal", ()), ("published", ("--publish",))):
        path = folder / "new folder" / f"{name}.html"
        result = invoke(office, "report", "--round", "2018-06", *options, "-o", path)
        assert result.exit_code == 0, result.output
        assert str(path) in " ".join(result.output.split())
        written[name] = path
    return written


def summary_json(office, *options) -> dict:
    result = invoke(office, "summary", "--round", "2018-06", "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def expected_text(value, unit=None) -> str:
    """A figure as the Spanish report prints it: 5.028, 84,1, 95.224,10 €, or a mark ("c",
    "<5")."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if unit == "EUR":
        whole, cents = f"{value:,.2f}".split(".")
        return f"{whole.replace(',', '.')},{cents} €"
    if unit == "PCT" or (isinstance(value, float) and not value.is_integer()):
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def assert_holds_every_figure(path: Path, summary: dict) -> int:
    """Every figure of every table of the summary is in the report's table of the same
    id (or, for a table split one measure at a time, in one of its parts), in its row."""
    tables = tables_of(parsed(path))
    checked = 0
    for table in summary["tables"]:
        if table["id"] in ("headline",):
            continue
        parts = [t for key, t in tables.items() if key == table["id"] or
                 key.startswith(table["id"] + ":")]  # fmt: skip
        assert parts, f"table {table['id']} is not in the report"
        units = {column["key"]: column["unit"] for column in table["columns"]}
        for row in table["rows"]:
            cells = [cell for part in parts for cell in part.get(row["label"], [])]
            for key, value in row["values"].items():
                mark = isinstance(value, str) and (value == "c" or value.startswith("<"))
                if key == "completeness" or (isinstance(value, str) and not mark):
                    continue  # received / expected, and answers' codes (printed as names)
                assert expected_text(value, units.get(key)) in cells, (
                    table["id"],
                    row["label"],
                    key,
                    value,
                    cells,
                )
                checked += 1
    return checked


def test_the_internal_report_holds_every_figure_of_the_summary_and_no_script(demo, reports):
    office, _ = demo
    document = parsed(reports["internal"])

    assert document.find(".//h:script", NS) is None
    assert not [e for e in document.iter() if any(a.startswith("on") for a in e.attrib)]
    links = [a.get("href") for a in document.iterfind(".//h:a", NS)]
    assert links and all(link.startswith("#") for link in links)  # within the page only
    checked = assert_holds_every_figure(reports["internal"], summary_json(office))
    assert checked > 1000
    title = text_of(document.find(".//h:h1", NS))
    assert title == "Informe sobre la trata de seres humanos: ronda 2018-06"
    page = text_of(document.find(".//h:body", NS))
    assert "año 2017, cifras definitivas" in page
    assert "Edición interna" in page
    assert "45 de 45 organismos devolvieron el cuestionario (100,0 %)." in page
    # The agencies' own words, by section, in the internal report only.
    assert "Lo que escribieron los organismos" in page
    # Each chapter is a section of the questionnaire, each with its charts.
    chapters = [text_of(h) for h in document.iterfind(".//h:section[@class='chapter']/h:h2", NS)]
    assert chapters[:4] == [
        "1. Tendencias de la trata",
        "2. Asistencia, apoyo y protección",
        "3. Prevención",
        "4. Evaluación de las actuaciones",
    ]
    figures = document.findall(".//h:figure", NS)
    assert len(figures) >= 10
    assert all(figure.find(".//{http://www.w3.org/2000/svg}svg") is not None for figure in figures)
    # The map of the 19 regions: one square each, labelled with its code.
    (coverage_map,) = [f for f in figures if f.get("id") == "coverage_map"]
    labels = {text_of(t) for t in coverage_map.iter("{http://www.w3.org/2000/svg}text")}
    assert {"AN", "CT", "MD", "CN", "CE", "ML", "IB", "PV"} <= labels


def test_the_published_report_prints_what_summary_publish_prints_and_no_free_text(demo, reports):
    office, _ = demo
    published = summary_json(office, "--publish")
    checked = assert_holds_every_figure(reports["published"], published)
    assert checked > 1000
    page = text_of(parsed(reports["published"]).find(".//h:body", NS))
    assert "Edición para publicar" in page
    assert "Lo que escribieron los organismos" not in page
    assert "Organismos cuya respuesta no ha llegado" not in page
    internal = parsed(reports["internal"])
    narrative = [
        text_of(p) for p in internal.iterfind(".//h:p[@class='answer']", NS) if len(text_of(p)) > 20
    ]
    assert narrative and not any(text in page for text in narrative)
    # A hidden figure is printed as its mark, never as the number behind it.
    identified = tables_of(parsed(reports["published"]))["s1_identified_victims_thb_CITCO_sex_age"]
    assert "c" in identified["18–25 años"]
    internal_tables = tables_of(internal)["s1_identified_victims_thb_CITCO_sex_age"]
    assert internal_tables["18–25 años"] != identified["18–25 años"]
    # Its chart ends each bar with the row's total as printed, not the sum of what is
    # drawn (the visible parts, short where one is hidden).
    document = parsed(reports["published"])
    (chart,) = [f for f in document.iterfind(".//h:figure", NS)
                if f.get("id") == "s1_identified_victims_thb_CITCO_sex_age_chart"]  # fmt: skip
    labels = [text_of(t) for t in chart.iter("{http://www.w3.org/2000/svg}text")]
    totals = [cells[-2] for label, cells in identified.items() if label != "Total"]
    assert all(total in labels for total in totals), (totals, labels)


def test_text_from_a_return_reaches_the_html_as_text_never_as_markup(workspace, run, tmp_path):
    assert run("-w", workspace, "issue", "--round", "2018-12", "--deadline", "2099-01-31",
               "--agency", "ong-01").exit_code == 0  # fmt: skip
    path = filled(workspace, "ong-01", "NGO", tmp_path / "returns")
    hostile = '<script>alert(1)</script><a href="https://example.org/x">clic</a> & <b>negrita'
    typed_as_text(
        path, {"s1_trends_narrative": hostile, "s0_contact_name": "<img src=x onerror=alert(1)>"}
    )
    assert run("-w", workspace, "collect", path).exit_code == 0

    output = tmp_path / "informe.html"
    result = run("-w", workspace, "report", "-o", output)

    assert result.exit_code == 0, result.output
    document = parsed(output)
    assert document.find(".//h:script", NS) is None
    assert document.find(".//h:img", NS) is None and document.find(".//h:b", NS) is None
    assert all(a.get("href").startswith("#") for a in document.iterfind(".//h:a", NS))
    answers = [text_of(p) for p in document.iterfind(".//h:p[@class='answer']", NS)]
    assert " ".join(hostile.split()) in answers  # shown as the agency typed it
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in output.read_text(encoding="utf-8")


def test_a_round_without_returns_and_a_wrong_extension_write_nothing(workspace, run, tmp_path):
    assert run("-w", workspace, "issue", "--round", "2018-12", "--deadline",
               "2099-01-31").exit_code == 0  # fmt: skip
    output = tmp_path / "out" / "informe.html"

    empty = run("-w", workspace, "report", "-o", output)
    wrong = run("-w", workspace, "report", "-o", tmp_path / "informe.pdf")

    assert empty.exit_code == 1
    assert "La ronda 2018-12 aún no tiene respuestas (47 esperadas)" in " ".join(
        empty.output.split()
    )
    assert wrong.exit_code == 2
    assert "informe.pdf" in wrong.output and ".html" in wrong.output and ".docx" in wrong.output
    assert "Traceback" not in empty.output + wrong.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "informe.pdf").exists()


def test_an_existing_report_is_replaced_whole(demo, reports, tmp_path):
    office, _ = demo
    target = tmp_path / "informe.html"
    target.write_text("old", encoding="utf-8")

    result = invoke(office, "report", "--round", "2018-06", "-o", target)

    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["informe.html"]  # no temporary left


def test_the_word_report_has_real_tables_headings_and_charts(demo, tmp_path):
    from docx import Document

    office, _ = demo
    output = tmp_path / "informe-2018-06.docx"

    result = invoke(office, "report", "--round", "2018-06", "--publish", "-o", output)

    assert result.exit_code == 0, result.output
    document = Document(output)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == [
        "Quién ha respondido",
        "Cifras principales",
        "1. Tendencias de la trata",
    ]
    assert headings[-1] == "Metodología"
    assert len(document.tables) > 100
    headline = document.tables[2]  # after the returns by kind and by region
    assert headline.rows[0].cells[0].text == "Cifra"
    assert headline.rows[1].cells[2].text == "696"  # the identified victims CITCO gave
    header = headline.rows[0]._tr.trPr
    assert header is not None and header.xpath("./w:tblHeader")  # repeated on every page
    pictures = document.inline_shapes
    assert len(pictures) >= 10
    assert all(shape._inline.docPr.get("descr") for shape in pictures)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


@needs_libreoffice
def test_libreoffice_opens_the_word_report(demo, tmp_path):
    office, _ = demo
    output = tmp_path / "informe.docx"
    assert invoke(office, "report", "--round", "2018-06", "-o", output).exit_code == 0

    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(output)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip

    pdf = tmp_path / "informe.pdf"
    pages = printed(pdf).pages
    assert len(pages) > 20
    assert all((round(w), round(h)) == (595, 842) for w, h in pages)


@needs_chromium
def test_chromium_prints_the_report_on_a4_and_no_word_is_below_8_points(reports, tmp_path):
    pdf = tmp_path / "informe.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}",
         reports["published"].as_uri()],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip

    layout = printed(pdf)
    assert 30 <= len(layout.pages) <= 150
    assert all((round(w), round(h)) == (595, 842) for w, h in layout.pages)
    # The cover is a page of its own.
    cover = " ".join(word.text for word in layout.on(1))
    assert "Informe sobre la trata de seres humanos: ronda 2018-06" in cover
    assert "Tendencias" not in cover
    # `printed` measures each word across its line, upright or written upwards, for
    # LibreOffice's boxes: brought back to Chromium's.
    sizes = [(word, word.size * PRINTED_LINE / LINE) for word in layout.words]
    assert min(size for _, size in sizes) >= 4  # measured, not all zero
    too_small = [(word.page, word.text, round(size, 1)) for word, size in sizes
                 if len(word.text) > 1 and size < SMALLEST]  # fmt: skip
    assert not too_small, too_small[:10]
