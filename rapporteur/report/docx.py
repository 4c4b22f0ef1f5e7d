"""The report as a Word document (python-docx), for the office to edit in Word or
LibreOffice: the same content as the HTML, with real tables whose header row repeats on
every page, headings in Word's heading styles (so the navigation pane and a table of
contents work), and the charts as pictures.
"""

import io

from rapporteur.report import Chart, Grid, Report

TEXT_WIDTH_CM = 17.4
"""A4 between margins of 18 mm."""
FONT = "Calibri"
"""LibreOffice draws it with Carlito, which has the same metrics."""


def render_docx(report: Report) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    from rapporteur.report import charts

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(18), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10.5)
    document.core_properties.title = report.title
    document.core_properties.author = report.office
    document.core_properties.language = report.language

    _cover(document, report)
    document.add_heading(report.labels["coverage"], 1).paragraph_format.page_break_before = True
    document.add_paragraph(report.coverage_text)
    if report.coverage_map:
        _picture(document, report.coverage_map, charts)
    for grid in report.coverage:
        _table(document, grid)
    if report.missing:
        document.add_heading(report.labels["missing"], 2)
        for name in report.missing:
            document.add_paragraph(name, style="List Bullet")
    if report.headline:
        document.add_heading(report.labels["headline"], 1)
        document.add_paragraph(report.headline_note)
        _table(document, report.headline)
    for chapter in report.chapters:
        heading = document.add_heading(chapter.title, 1)
        heading.paragraph_format.page_break_before = True
        document.add_paragraph(chapter.introduction).runs[0].italic = True
        for block in chapter.blocks:
            if isinstance(block, Grid):
                _table(document, block)
            else:
                _picture(document, block, charts)
        if chapter.texts:
            document.add_heading(report.labels["texts"], 2)
            for name, answers in chapter.texts:
                document.add_heading(name, 3)
                for question, answer in answers:
                    document.add_paragraph().add_run(question).bold = True
                    document.add_paragraph(answer)
    heading = document.add_heading(report.labels["methods"], 1)
    heading.paragraph_format.page_break_before = True
    for title, paragraphs in report.methods:
        document.add_heading(title, 2)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _cover(document, report: Report) -> None:
    from docx.shared import Pt

    document.add_paragraph(report.office.upper()).runs[0].font.size = Pt(13)
    document.add_heading(report.title, 0)
    document.add_paragraph(report.period).runs[0].font.size = Pt(15)
    document.add_paragraph(report.edition)
    document.add_paragraph(report.written)


def _table(document, grid: Grid) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    caption = document.add_paragraph(grid.title, style="Caption")
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(12)
    table = document.add_table(rows=len(grid.rows) + 1, cols=len(grid.headings))
    table.style = "Light List Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    rows = table.rows
    # The heading row repeats on every page a long table runs over.
    header = rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    widths = _widths(grid)
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice lays out by; Word reads the cells'
    for index, (row, texts) in enumerate(zip(rows, [grid.headings, *grid.rows], strict=True)):
        total = index > 0 and bool(grid.totals) and grid.totals[index - 1]
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            cell.width = widths[column]
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(text)
            run.font.size = Pt(9)
            run.bold = index == 0 or total or None
            if grid.right[column]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for note in grid.notes:
        paragraph = document.add_paragraph(note)
        paragraph.runs[0].font.size = Pt(8.5)
        paragraph.paragraph_format.space_after = Pt(2)


def _widths(grid: Grid) -> list:
    """The row names' column as wide as they need, up to 6 cm (a region's name on one
    line), the figures sharing the rest of the 17.4 cm between the margins."""
    from docx.shared import Cm

    longest = max((len(row[0]) for row in grid.rows), default=10)
    first = min(6.0, max(3.0, longest * 0.18))
    rest = (TEXT_WIDTH_CM - first) / max(1, len(grid.headings) - 1)
    return [Cm(first)] + [Cm(min(rest, 3.2))] * (len(grid.headings) - 1)


def _picture(document, chart: Chart, charts) -> None:
    from docx.shared import Cm, Pt

    shape = document.add_picture(io.BytesIO(charts.png(chart, dpi=160)), width=Cm(charts.WIDTH_CM))
    shape._inline.docPr.set("descr", chart.title)  # what a screen reader says for it
    if chart.note:
        document.add_paragraph(chart.note).runs[0].font.size = Pt(8.5)
