"""`status`, `remind` and `summary` over an archive built through `collect`."""

import email
import email.policy
import json
import re
import shutil

import openpyxl
import pytest
from plausible import plausible_return
from returns import DEFINITION
from typer.testing import CliRunner

from rapporteur.cli import app

AGENCIES = {
    "ccaa-an": ("CCAA", "ES-AN"),
    "ccaa-ct": ("CCAA", "ES-CT"),
    "ong-01": ("NGO", "ES"),
    "ong-05": ("NGO", "ES-CT"),
    "fiscalia": ("FISC", "ES"),
    "guardia-civil": ("LEA_STATE", "ES"),
}
PLACES = {"2017-12": {"ccaa-an": 25, "ccaa-ct": 35}, "2018-12": {"ccaa-an": 30, "ccaa-ct": 40}}


def invoke(*args):
    return CliRunner().invoke(app, [str(arg) for arg in args])


def value_for(agency: str, round_text: str) -> dict:
    kind, region = AGENCIES[agency]
    value = plausible_return(DEFINITION, kind, region if kind == "CCAA" else "ES")
    if kind == "CCAA":
        value["s2_housing_places"] = PLACES[round_text][agency]
        value["s2_housing_resources"] = 4
    year = int(round_text[:4])
    for campaign in value.get("s3_campaigns", []):
        campaign["start"] = campaign["start"].replace(year=year)
        campaign["end"] = campaign["end"].replace(year=year)
    return value


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """Two comparable rounds, all returned in 2017-12, all but fiscalia in 2018-12."""
    root = tmp_path_factory.mktemp("summary")
    office = root / "office"
    assert invoke("init", office).exit_code == 0
    for round_text, deadline in (("2017-12", "2099-01-31"), ("2018-12", "2099-01-31")):
        arguments = [item for agency in AGENCIES for item in ("--agency", agency)]
        result = invoke(
            "-w", office, "issue", "--round", round_text, "--deadline", deadline, *arguments
        )
        assert result.exit_code == 0, result.output
        folder = root / f"returns-{round_text}"
        for agency in AGENCIES:
            if round_text == "2018-12" and agency == "fiscalia":
                continue
            issued = office / "issued" / round_text / f"{agency}.xlsx"
            from rapporteur.workbook.filling import fill_questionnaire

            folder.mkdir(exist_ok=True)
            fill_questionnaire(issued, value_for(agency, round_text), folder / f"{agency}.xlsx")
        collected = invoke("-w", office, "collect", folder, "--jobs", "1")
        assert collected.exit_code == 0, collected.output
    return office


def summary_json(office, *args):
    result = invoke("-w", office, "summary", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    return document, {table["id"]: table for table in document["tables"]}


def rows_of(table):
    return {row["key"]: row for row in table["rows"]}


def test_summary_by_region_keeps_kinds_apart_and_shows_completeness(office):
    document, tables = summary_json(office, "--by-region")
    assert document["round"] == "2018-12" and document["compare"] == "2017-12"
    assistance = rows_of(tables["s2_assistance_by_region"])
    assert assistance["ES-AN"]["values"]["s2_housing_places:CCAA"] == 30
    assert assistance["ES-CT"]["values"]["s2_housing_places:CCAA"] == 40
    assert assistance["TOTAL"]["values"]["s2_housing_places:CCAA"] == 70
    assert assistance["ES-CT"]["values"]["s2_victims_assisted:NGO"] == 10
    assert assistance["ES-CT"]["values"]["s2_victims_assisted:CCAA"] == 10
    assert assistance["TOTAL"]["values"]["s2_victims_assisted:NGO"] == 20
    assert assistance["ES-CT"]["values"]["completeness"] == "2/2"
    assert assistance["ES"]["values"]["completeness"] == "2/3"
    assert assistance["TOTAL"]["values"]["completeness"] == "5/6"
    labels = {
        column["key"]: column["label"] for column in tables["s2_assistance_by_region"]["columns"]
    }
    assert labels["s2_victims_assisted:NGO"].endswith("[ONG]")
    assert "no se suman" in tables["s2_assistance_by_region"]["notes"][0]


def test_summary_compares_with_the_same_round_a_year_earlier(office):
    _, tables = summary_json(office, "--by-kind")
    kinds = rows_of(tables["s2_assistance_by_kind"])
    assert kinds["CCAA"]["values"]["s2_housing_places:CCAA"] == 70
    assert kinds["CCAA"]["previous"]["s2_housing_places:CCAA"] == 60
    result = invoke("-w", office, "summary", "--by-kind", "--format", "csv", "--section", "s2")
    lines = [
        line
        for line in result.stdout.splitlines()
        if "s2_housing_places:CCAA" in line and line.startswith("s2_assistance_by_kind,CCAA")
    ]
    label = "Plazas disponibles (a fin de periodo) [CCAA]"
    assert lines == [f"s2_assistance_by_kind,CCAA,CCAA,s2_housing_places:CCAA,{label},70,,60,10"]


def test_breakdown_tables_give_counts_and_percentages_with_their_base(office):
    _, tables = summary_json(office)
    sex_age = rows_of(tables["s2_victims_assisted_NGO_sex_age"])
    assert sex_age["Y16_17"]["values"] == {"F": 20, "M": 0, "UNK": 0, "TOTAL": 20, "PCT": 100.0}
    assert (
        "Porcentajes calculados sobre 20 personas"
        in tables["s2_victims_assisted_NGO_sex_age"]["notes"][0]
    )
    nationalities = rows_of(tables["s1_identified_victims_thb_LEA_STATE_citizenship"])
    assert nationalities["NG"]["values"]["TOTAL"] == 10
    assert "s3_trainings" in tables
    trainings = tables["s3_trainings"]["rows"]
    assert {row["values"]["agency"] for row in trainings} >= {"ong-01", "ccaa-an"}
    # Both rounds report a first half-year: one series, each figure a row, rounds as columns.
    assert "trend_year" not in tables
    assert [column["key"] for column in tables["trend_half"]["columns"]] == ["2017-12", "2018-12"]


def test_summary_markdown_and_table(office):
    markdown = invoke("-w", office, "summary", "--section", "s2", "--format", "markdown")
    assert markdown.exit_code == 0
    assert (
        "# Resumen de la ronda 2018-12 (primer semestre de 2018, cifras provisionales), "
        "comparada con 2017-12 (primer semestre de 2017, cifras provisionales)"
    ) in markdown.stdout
    assert "| Región | Recibidas / esperadas |" in markdown.stdout
    assert "| Andalucía | 1/1 |" in markdown.stdout
    table = invoke("-w", office, "summary", "--section", "s2")
    assert table.exit_code == 0 and "Andalucía" in table.output


def test_amounts_are_euros_and_shares_have_one_decimal(office):
    budgets = invoke(
        "-w", office, "summary", "--format", "markdown", "--by-kind", "--section", "s4"
    )
    budget = next(line for line in budgets.stdout.splitlines() if line.startswith("| ONG |"))
    assert re.search(r"\| \d{1,3}(\.\d{3})*,\d\d\u00a0€ \(", budget), budget
    markdown = invoke("-w", office, "summary", "--format", "markdown").stdout
    shares = [line for line in markdown.splitlines() if line.startswith("| Total |")]
    assert any(line.endswith("| 100,0 |") for line in shares), shares


def test_summary_xlsx_has_readable_sheets_an_index_and_charts_of_one_measure(office, tmp_path):
    target = tmp_path / "informe.xlsx"
    result = invoke("-w", office, "summary", "-o", target)
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(target)
    names = workbook.sheetnames
    assert names[0] == "Índice"
    assert len(set(name.casefold() for name in names)) == len(names)
    assert all(len(name) <= 31 and not re.search(r"s[0-9]_[a-z]", name) for name in names)
    index = workbook["Índice"]
    assert index["A1"].value.startswith("Resumen de la ronda 2018-12 (primer semestre de 2018")
    links = [cell.hyperlink.location for cell in index["B"] if cell.hyperlink]
    assert links and all(link.strip("'").rsplit("'", 1)[0] in names for link in links)
    # A wide table is split into sheets of the columns that fit a page, each with the
    # row labels.
    parts = [workbook[name] for name in names if " Asistencia a víctimas" in name]
    assert len(parts) > 1
    assert all(
        part["A1"].value.startswith("Asistencia a víctimas — por región (") for part in parts
    )
    heading = "Plazas disponibles (a fin de periodo) [CCAA]"
    sheet = next(part for part in parts if heading in [cell.value for cell in part[3]])
    rows = {sheet.cell(row, 1).value: row for row in range(4, sheet.max_row + 1)}
    headings = [sheet.cell(3, column).value for column in range(1, sheet.max_column + 1)]
    column = headings.index(heading) + 1
    assert sheet.cell(rows["Andalucía"], column).value == 30
    assert headings[column] == "Plazas disponibles (a fin de periodo) [CCAA]\n(2017-12)"
    assert sheet.cell(rows["Andalucía"], column + 1).value == 25
    assert sheet.cell(rows["Andalucía"], column + 2).value == 5
    for name in names[1:]:
        page = workbook[name]
        assert int(page.page_setup.paperSize) == int(page.PAPERSIZE_A4)
        assert page.page_setup.scale == 100 and not page.sheet_properties.pageSetUpPr.fitToPage
        assert page.print_title_rows == "$3:$3" and page.print_title_cols == "$A:$A"
        # Wrapped headings get the height their lines need.
        assert page.row_dimensions[3].height >= 13 * max(
            len(str(cell.value or "").splitlines()) for cell in page[3]
        )
    charted = [workbook[name] for name in names if workbook[name]._charts]
    assert charted
    for page in charted:
        for chart in page._charts:
            assert len(chart.series) == 1
            assert chart.x_axis.title is not None and chart.y_axis.title is not None
            assert chart.x_axis.tickLblSkip == 1
            anchor = chart.anchor._from.row + 1
            assert any(brk.id == anchor - 1 for brk in page.row_breaks.brk) or anchor > 1


def test_status_shows_received_missing_and_late(office):
    result = invoke("-w", office, "status", "--format", "json")
    document = json.loads(result.stdout)
    assert (document["expected"], document["received"]) == (6, 5)
    agencies = {agency["agency"]: agency for agency in document["agencies"]}
    assert agencies["fiscalia"]["returned"] is False and agencies["fiscalia"]["late"] is False
    assert agencies["ong-01"]["returned"] is True and agencies["ong-01"]["versions"] == 1
    kinds = {total["group"]: total for total in document["by_kind"]}
    assert kinds["CCAA"] == {"group": "CCAA", "expected": 2, "received": 2, "late": 0}
    table = invoke("-w", office, "status")
    assert (
        "Ronda 2018-12 (primer semestre de 2018, cifras provisionales; plazo 31/01/2099): "
        "5 de 6 respuestas recibidas" in " ".join(table.output.split())
    )


def test_status_marks_missing_returns_late_after_the_deadline(workspace):
    late = invoke(
        "-w",
        workspace,
        "issue",
        "--round",
        "2019-06",
        "--agency",
        "ong-01",
        "--deadline",
        "2019-07-01",
    )
    assert late.exit_code == 0
    document = json.loads(invoke("-w", workspace, "status", "--format", "json").stdout)
    assert document["round"] == "2019-06"
    assert document["agencies"][0]["late"] is True


def test_remind_writes_one_draft_per_missing_agency_with_its_questionnaire(office, tmp_path):
    result = invoke("-w", office, "remind", "--round", "2018-12", "--out", tmp_path / "drafts")
    assert result.exit_code == 0, result.output
    drafts = sorted((tmp_path / "drafts").glob("*.eml"))
    assert [draft.name for draft in drafts] == ["fiscalia.eml"]
    mail = email.message_from_bytes(drafts[0].read_bytes(), policy=email.policy.default)
    assert mail["To"] == "Fiscalía General del Estado <fiscalia@example.org>"
    assert "ronda 2018-12" in mail["Subject"]
    assert mail["X-Unsent"] == "1"
    body = mail.get_body(("plain",)).get_content()
    assert (
        "No hemos recibido todavía su respuesta" in body
        and "El plazo de respuesta es el 31 de enero de 2099." in body
    )
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "fiscalia.xlsx"
    assert attachment.get_content() == (office / "issued/2018-12/fiscalia.xlsx").read_bytes()


def test_publish_suppresses_small_figures_and_says_so(office):
    _, tables = summary_json(office, "--publish", "--by-region")
    assistance = rows_of(tables["s2_assistance_by_region"])
    assert assistance["ES-CT"]["values"]["s2_housing_resources:CCAA"] == 4  # not about persons
    assert "s3_trainings" not in tables and "s3_campaigns" not in tables


def test_publish_gives_no_per_agency_figures_of_ngos(office):
    _, plain = summary_json(office, "--by-agency", "--section", "s2")
    assert "ong-01" in rows_of(plain["s2_assistance_by_agency"])
    _, published = summary_json(office, "--by-agency", "--section", "s2", "--publish")
    rows = rows_of(published["s2_assistance_by_agency"])
    assert "ong-01" not in rows and "ong-05" not in rows and "ccaa-an" in rows
    assert "Sin cifras por organismo de los tipos ONG" in " ".join(
        published["s2_assistance_by_agency"]["notes"]
    )


def test_the_trend_follows_a_correction_and_is_the_same_without_the_cache(office, tmp_path):
    copy = tmp_path / "office"
    shutil.copytree(office, copy)
    _, before = summary_json(copy)  # fills the cache
    key = "s3_participants_total:NGO"
    earlier = rows_of(before["trend_half"])[key]["values"]["2017-12"]
    corrected = value_for("ong-01", "2017-12")
    corrected["s3_trainings"][0]["participants"] += 7
    from rapporteur.workbook.filling import fill_questionnaire

    fill_questionnaire(copy / "issued" / "2017-12" / "ong-01.xlsx", corrected,
                       tmp_path / "ong-01.xlsx")  # fmt: skip
    # An old round's file is a late correction: it takes --round, and says so.
    late = invoke("-w", copy, "collect", tmp_path / "ong-01.xlsx", "--round", "2017-12")
    assert late.exit_code == 0 and "corrección tardía de la ronda 2017-12" in late.output

    _, after = summary_json(copy)
    shutil.rmtree(copy / ".cache")
    _, rebuilt = summary_json(copy)

    assert rows_of(after["trend_half"])[key]["values"]["2017-12"] == earlier + 7
    assert rebuilt == after
    # Both rounds' views parsed again and kept: the next summary reads JSON.
    assert len(list((copy / ".cache").glob("*_consolidated_v*-view-*.json"))) == 2


def test_every_figure_adds_up_the_archived_items_it_names(office):
    # What disclosure control reasons about: each figure of every table is the sum of
    # the atoms it records, each atom one agency's archived value.
    from rapporteur.archive import Archive
    from rapporteur.figures import return_facts
    from rapporteur.summary import build_summary
    from rapporteur.workspace import open_workspace

    workspace = open_workspace(office)
    archive = Archive(workspace.archive_dir)
    values = {}
    loaded: dict = {}
    checked = 0
    for grouping in ("region", "kind", "agency"):
        summary = build_summary(archive, workspace.registry(), None, grouping, None, "default",
                                loaded, whole_trend=True)  # fmt: skip
        for round_, data in summary.rounds.items():
            for agency, (kind, answers) in data.returns.items():
                for item, value in return_facts(data.definition, kind, answers).values.items():
                    values[(str(round_), agency, item)] = value
        for table in summary.tables:
            for row in table.rows:
                for figures, sources in ((row.values, row.sources),
                                         (row.previous, row.previous_sources)):  # fmt: skip
                    for key, atoms in sources.items():
                        assert figures[key] == pytest.approx(sum(values[a] for a in atoms))
                        checked += 1
    assert checked > 300
