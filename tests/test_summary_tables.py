"""The summary's tables, declared in the definition: every answer reaches one, with the
figures the agencies gave, readable on an 80-column terminal, periods kept apart."""

import json
import re
import subprocess
from collections import defaultdict

import openpyxl
import pytest
from conftest import PROJECT
from returns import needs_renderers
from typer.testing import CliRunner

from rapporteur import formats
from rapporteur.archive import Archive, from_sections
from rapporteur.cli import app
from rapporteur.definition import load_definition
from rapporteur.rounds import Round
from rapporteur.workspace import open_workspace

DEFINITION = load_definition()
DEFINITION_TEXT = (PROJECT / "questionnaires" / "v1.toml").read_text(encoding="utf-8")


def invoke(office, *args, env=None):
    return CliRunner().invoke(app, ["-w", str(office), *map(str, args)], env=env)


def tables_of(office, *args) -> dict:
    """The summary's tables; of the demo's round 2018-12 unless another is asked for."""
    if "--round" not in args:
        args = ("--round", "2018-12", *args)
    result = invoke(office, "summary", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {table["id"]: table for table in json.loads(result.stdout)["tables"]}


def rows(table: dict) -> dict:
    return {row["key"]: row["values"] for row in table["rows"]}


def returns(office, round_text: str = "2018-12") -> dict[str, tuple[str, dict]]:
    """The archived returns of a round, read straight from the archive: agency → kind,
    answers."""
    view = Archive(office / "archive").consolidated(Round.parse(round_text))
    return {
        agency: (entry["kind"], from_sections(entry.get("data", {})))
        for agency, entry in view.body["returns"].items()
    }


# The declarations -----------------------------------------------------------------------


def test_every_question_and_breakdown_is_in_a_table_or_says_why_not():
    shown = set()
    broken_down = set()
    for table in DEFINITION.tables:
        if table.shape not in ("headline", "trend"):
            shown.update(table.fields)
        if table.shape == "breakdown":
            broken_down.update((field, table.breakdown) for field in table.fields)
    for field in DEFINITION.fields:
        if field.not_summarised is not None:
            assert field.id not in shown, field.id
            assert field.not_summarised.es and field.not_summarised.en
            continue
        assert field.id in shown, f"{field.id} is in no summary table"
        for breakdown in field.breakdowns:
            assert (field.id, breakdown) in broken_down, (field.id, breakdown)
    assert {f.id for f in DEFINITION.fields if f.not_summarised} == {
        "s0_contact_name",
        "s0_contact_email",
    }


def check(tmp_path, old: str, new: str):
    assert old in DEFINITION_TEXT
    text = DEFINITION_TEXT.replace(old, new, 1)
    path = tmp_path / "v9.toml"
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(app, ["questionnaire", "check", str(path)]), text


def test_check_names_a_question_no_table_shows_at_its_line(tmp_path):
    result, text = check(tmp_path, '"s1_victims_labour_expl_non_thb", "s1_online_recruitment"]',
                         '"s1_victims_labour_expl_non_thb"]')  # fmt: skip
    assert result.exit_code == 3
    line = text.splitlines().index('id = "s1_online_recruitment"') + 1
    assert (
        f"línea {line}: [[field]] s1_online_recruitment: id: «s1_online_recruitment» no figura "
        "en ninguna tabla del resumen" in result.output
    )


def test_a_question_only_in_the_trend_or_the_headline_is_in_no_table(tmp_path):
    # Both are selections of what other tables show in full.
    result, _ = check(tmp_path, '["s3_courses_total", "s3_participants_total", ',
                      '["s3_courses_total", ')  # fmt: skip
    assert result.exit_code == 3
    assert "«s3_participants_total» no figura en ninguna tabla del resumen" in result.output


def test_check_names_a_breakdown_no_table_shows(tmp_path):
    declared = 'id = "cases_form"\nshape = "breakdown"\nfields = ['
    result, _ = check(tmp_path, declared + '"s1_investigations_opened", ', declared)
    assert result.exit_code == 3
    assert (
        "el desglose «form» de «s1_investigations_opened» no figura en ninguna tabla"
        in result.output
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('breakdown = "sex_age"\nrows = "age_band"', 'breakdown = "sex"\nrows = "age_band"',
         "no tiene el desglose «sex»"),
        ('rows = "age_band"\ncolumns = "sex"', 'rows = "age_band"\ncolumns = "region"',
         "«region» no es una lista de códigos del desglose «sex_age», que cruza sex, age_band"),
        ('id = "headline"\nshape = "headline"', 'id = "headline"\nshape = "headlines"',
         "shape: debe ser uno de estos valores"),
        ('{ field = "s1_persons_prosecuted", kind = "FISC" }',
         '{ field = "s1_persons_prosecuted", kind = "NGO" }',
         "«s1_persons_prosecuted» no se pregunta a NGO"),
        ('column = "audience"', 'column = "public"',
         "«s3_campaigns» no tiene la columna «public»"),
        ('rows = "age_band"\ncolumns = "sex"', 'rows = "age_band"\ncolumns = "sex"\ntop = 3',
         "top conserva las filas mayores de una tabla de desglose o de códigos sin columnas"),
        ('fields = ["s1_recruitment_methods", ', 'fields = ["s1_recruitment_method", ',
         "la tabla nombra una pregunta que no existe: «s1_recruitment_method»"),
    ],
)  # fmt: skip
def test_check_refuses_a_table_that_does_not_resolve(tmp_path, old, new, expected):
    result, _ = check(tmp_path, old, new)
    assert result.exit_code == 3
    assert expected in result.output, result.output
    assert "[[table]]" in result.output


# The figures of the new tables, on the demo ----------------------------------------------


def added(office, field: str, kind: str) -> int:
    """What the agencies of a kind gave for a question (its total, if broken down)."""
    found = 0
    for agency_kind, answers in returns(office).values():
        value = answers.get(field)
        value = value.get("total") if isinstance(value, dict) else value
        if agency_kind == kind and isinstance(value, int):
            found += value
    return found


def test_services_compensation_and_inspections_add_up_the_agencies_figures(demo):
    office, _ = demo
    tables = tables_of(office, "--by-kind")
    services = rows(tables["s2_services_by_kind"])
    for field in ("s2_svc_legal", "s2_svc_psychological", "s2_svc_interpretation"):
        for kind in ("NGO", "CCAA"):
            assert services[kind][f"{field}:{kind}"] == added(office, field, kind) > 0
    judicial = rows(tables["s2_judicial_by_kind"])
    assert judicial["FISC"]["s2_compensation_awarded:FISC"] == added(
        office, "s2_compensation_awarded", "FISC"
    )
    prevention = rows(tables["s3_prevention_by_kind"])
    assert prevention["MIN_EMP"]["s3_labour_inspections_risk:MIN_EMP"] == added(
        office, "s3_labour_inspections_risk", "MIN_EMP"
    )
    sectors = defaultdict(int)
    for _, answers in returns(office).values():
        for code, row in (answers.get("s3_labour_inspections_by_sector") or {}).items():
            sectors[code] += row.get("inspections") or 0
    by_sector = rows(tables["s3_labour_inspections_by_sector_MIN_EMP"])
    assert {code: values["TOTAL"] for code, values in by_sector.items() if code != "TOTAL"} == {
        code: count for code, count in sectors.items() if count
    } | {code: 0 for code, count in sectors.items() if not count}
    assert by_sector["TOTAL"]["TOTAL"] == sum(sectors.values())


def test_recruitment_methods_count_the_agencies_that_mark_each(demo):
    office, _ = demo
    table = tables_of(office)["s1_recruitment_methods"]
    marked = defaultdict(int)
    answering = defaultdict(int)
    for kind, answers in returns(office).values():
        chosen = answers.get("s1_recruitment_methods") or []
        answering[kind] += bool(chosen)
        for code in chosen:
            marked[(code, kind)] += 1
    found = rows(table)
    for (code, kind), count in marked.items():
        assert found[code][kind] == count
    assert {kind: count for kind, count in found["TOTAL"].items()} == {
        kind: count for kind, count in answering.items() if count
    }
    assert "un organismo puede marcar varias" in " ".join(table["notes"])


def test_country_of_recruitment_keeps_the_ten_largest_and_adds_up_the_rest(demo):
    office, _ = demo
    tables = tables_of(office)
    by_country = defaultdict(int)
    for kind, answers in returns(office).values():
        if kind == "LEA_STATE":
            for row in answers.get("s1_country_of_recruitment") or []:
                by_country[row["country"]] += row.get("victims") or 0
    table = rows(tables["s1_country_of_recruitment_LEA_STATE"])
    ranked = sorted(by_country.items(), key=lambda item: (-item[1], item[0]))
    for code, count in ranked[:10]:
        assert table[code]["TOTAL"] == count
    if len(ranked) > 10:
        assert table["OTHER"]["TOTAL"] == sum(count for _, count in ranked[10:])
    assert table["TOTAL"]["TOTAL"] == sum(by_country.values())


def test_victims_of_sexual_exploitation_without_trafficking_have_their_breakdowns(demo):
    office, _ = demo
    tables = tables_of(office)
    for suffix in ("sex_age", "form", "citizenship"):
        table = tables[f"s1_victims_sexual_expl_non_thb_CITCO_{suffix}"]
        assert (
            rows(table)["TOTAL"]["TOTAL"]
            == added(office, "s1_victims_sexual_expl_non_thb", "CITCO")
            or suffix == "citizenship"
        )
    ages = rows(tables["s1_victims_sexual_expl_non_thb_CITCO_sex_age"])
    assert set(ages["TOTAL"]) >= {"F", "M", "UNK", "TOTAL", "PCT"}


def test_the_headline_takes_each_figure_from_its_reference_source(demo):
    office, _ = demo
    headline = tables_of(office)["headline"]
    found = {row["key"]: row for row in headline["rows"]}
    identified = found["s1_identified_victims_thb:CITCO"]["values"]
    assert identified["source"] == "CITCO"
    assert identified["TOTAL"] == added(office, "s1_identified_victims_thb", "CITCO")
    women = found["s1_identified_victims_thb:CITCO:F"]["values"]
    assert women["PCT"] == round(women["TOTAL"] / identified["TOTAL"] * 100, 1)
    minors = 0
    for kind, answers in returns(office).values():
        if kind == "CITCO":
            block = answers["s1_identified_victims_thb"]["sex_age"]
            for sex in block.values():
                minors += sum(sex.get(band) or 0
                              for band in ("Y0_11", "Y12_15", "Y16_17", "Y_LT18_NSP"))  # fmt: skip
    assert found["s1_identified_victims_thb:CITCO:minor"]["values"]["TOTAL"] == minors
    assert found["s1_persons_prosecuted:FISC"]["values"]["source"] == "FISC"
    assert "el CITCO para los datos policiales" in " ".join(headline["notes"])


def test_the_regional_protocols_show_each_regions_answer_with_its_date(demo):
    office, _ = demo
    table = tables_of(office, "--section", "s3")["protocols"]
    for row in table["rows"]:
        assert row["key"].startswith("ES-")
        assert row["values"]["s3_regional_protocol_in_force"] in DEFINITION.code_values(
            "protocol_status"
        )
        adopted = row["values"].get("s3_regional_protocol_adopted_on")
        assert adopted is None or re.fullmatch(r"\d{4}-\d\d-\d\d", adopted)


def test_narrative_answers_are_gathered_by_section_and_agency_and_never_published(demo, tmp_path):
    office, _ = demo
    narratives = [
        (agency, answers["s1_trends_narrative"])
        for agency, (_, answers) in returns(office).items()
        if answers.get("s1_trends_narrative")
    ]
    assert narratives
    table = tables_of(office, "--text")["s1_text"]
    assert {row["key"]: row["values"]["s1_trends_narrative"] for row in table["rows"]} == {
        agency: text.strip() for agency, text in narratives
    }
    assert "s1_detection_by_region" not in tables_of(office, "--text")
    assert "s1_text" not in tables_of(office)
    markdown = invoke(office, "summary", "--text", "-o", tmp_path / "textos.md")
    assert markdown.exit_code == 0
    written = (tmp_path / "textos.md").read_text(encoding="utf-8")
    section = next(s for s in DEFINITION.sections if s.id == "s1")
    names = {agency.id: agency.name for agency in open_workspace(office).registry()}
    assert f"## {section.label.es}" in written
    for agency, text in narratives:
        assert f"### {names[agency]} (" in written
        assert max(text.split(), key=len).strip(".,;:") in written
    refused = invoke(office, "summary", "--text", "--publish")
    assert refused.exit_code == 2
    assert "--text no se puede publicar" in refused.output


# At 80 columns --------------------------------------------------------------------------


def figures_of(document: dict) -> set[str]:
    """Every figure of a summary's json as the terminal writes it."""
    found = set()
    for table in document["tables"]:
        units = {column["key"]: column["unit"] for column in table["columns"]}
        for row in table["rows"]:
            for key, value in row["values"].items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    if units.get(key) == "EUR":
                        found.add(formats.euros(value, "es").replace("\u00a0", " ").split()[0])
                    elif units.get(key) == "PCT" or not float(value).is_integer():
                        found.add(formats.number(value, "es", decimals=1))
                    else:
                        found.add(formats.shown(value, "es"))
                elif isinstance(value, str) and re.fullmatch(r"\d+/\d+", value):
                    found.add(value)
    return found


@pytest.mark.parametrize(
    "arguments",
    [
        ("summary",),
        ("summary", "--by-kind"),
        ("summary", "--by-agency", "--section", "s2"),
        ("summary", "--publish", "--section", "s1"),
        ("summary", "--text", "--section", "s4"),
    ],
)
def test_every_summary_view_fits_80_columns_and_breaks_no_figure(demo, arguments):
    office, _ = demo
    result = invoke(office, *arguments, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    document = json.loads(invoke(office, *arguments, "--format", "json").stdout)
    tokens = set()
    for line in lines:
        for token in line.replace("\u00a0", " ").split():
            tokens.add(token.strip("();"))
    missing = {figure for figure in figures_of(document) if figure not in tokens}
    assert not missing, sorted(missing)[:20]


def test_status_and_collect_fit_80_columns_with_dates_whole(demo, tmp_path):
    office, _ = demo
    result = invoke(office, "status", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    status = json.loads(invoke(office, "status", "--format", "json").stdout)
    for agency in status["agencies"]:
        if agency["received"]:
            day = agency["received"][:10]
            shown = f"{day[8:10]}/{day[5:7]}/{day[:4]}"
            assert shown in result.stdout
        assert agency["agency"] in {token for line in lines for token in line.split()}
    collected = invoke(office, "collect", "--dry-run", office / "returns" / "2018-12",
                       "--round", "2018-12", env={"COLUMNS": "80"})  # fmt: skip
    lines = collected.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    words = " ".join(collected.stdout.split())
    assert "Se encontró el texto «aprox. 20» donde se pide un número" in words
    assert "ccaa-mc.xlsx" in {token for line in lines for token in line.split()}


# Periods ---------------------------------------------------------------------------------


def test_the_header_names_the_period_and_whether_figures_are_final(demo):
    office, _ = demo
    result = invoke(office, "summary", "--round", "2018-12", "--section", "s4", "--format",
                    "markdown")  # fmt: skip
    first = result.stdout.splitlines()[0]
    assert first == (
        "# Resumen de la ronda 2018-12 (primer semestre de 2018, cifras provisionales), "
        "comparada con 2017-12 (primer semestre de 2017, cifras provisionales)"
    )
    june = invoke(office, "summary", "--round", "2018-06", "--format", "json")
    document = json.loads(june.stdout)
    assert document["period"] == {
        "code": "2017", "start": "2017-01-01", "end": "2017-12-31", "status": "final"
    }  # fmt: skip


def test_a_whole_year_and_a_half_year_are_compared_only_when_forced_and_then_labelled(demo):
    office, _ = demo
    refused = invoke(office, "summary", "--round", "2018-12", "--compare", "2018-06")
    assert refused.exit_code == 2
    assert (
        "La ronda 2018-12 informa de primer semestre de 2018, cifras provisionales y la ronda "
        "2018-06 de año 2017, cifras definitivas" in " ".join(refused.output.split())
    )
    forced = invoke(office, "summary", "--round", "2018-12", "--compare", "2018-06", "--force",
                    "--format", "json")  # fmt: skip
    assert forced.exit_code == 0
    document = json.loads(forced.stdout)
    assert document["comparable"] is False
    assert all(
        any("no son una tendencia" in note for note in table["notes"])
        for table in document["tables"]
    )


def test_the_trend_keeps_whole_years_and_half_years_apart(demo):
    office, _ = demo
    tables = tables_of(office)
    half = tables["trend_half"]
    assert [column["key"] for column in half["columns"]] == ["2017-12", "2018-12"]
    assert [column["label"] for column in half["columns"]] == ["2017-S1", "2018-S1"]
    # The whole years apart: the historical series, then 2017; never among half-years.
    year = tables["trend_year"]
    assert [column["key"] for column in year["columns"]] == ["2017-06", "2018-06"]
    assert [column["label"] for column in year["columns"]] == ["2013-2016 (histórica)", "2017"]
    series = rows(half)["s1_outreach_signs_thb_or_se:NGO"]
    assert series == {
        "2017-12": sum(a["s1_outreach_signs_thb_or_se"]["total"]
                       for k, a in returns(office, "2017-12").values() if k == "NGO"),
        "2018-12": sum(a["s1_outreach_signs_thb_or_se"]["total"]
                       for k, a in returns(office).values() if k == "NGO"),
    }  # fmt: skip


@pytest.mark.parametrize("spelling", ["2018-S1", "2018S2"])
def test_a_half_year_named_as_a_round_is_refused(demo, spelling):
    office, _ = demo
    result = invoke(office, "summary", "--round", spelling)
    assert result.exit_code == 2
    assert "es un semestre, no una ronda" in result.output


def test_a_round_not_in_the_archive_is_a_usage_error(demo):
    office, _ = demo
    for arguments in (("summary", "--round", "2016-12"), ("status", "--round", "2016-12"),
                      ("summary", "--compare", "2016-12")):  # fmt: skip
        result = invoke(office, *arguments)
        assert result.exit_code == 2, arguments
        assert "2016-12" in result.output and "2017-12, 2018-06, 2018-12" in result.output


# Output files ----------------------------------------------------------------------------


def test_the_output_file_says_the_format_and_an_unknown_extension_is_refused(demo, tmp_path):
    office, _ = demo
    target = tmp_path / "y.md"
    result = invoke(office, "summary", "--round", "2018-12", "--section", "s4", "-o", target)
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Resumen de la ronda 2018-12")
    assert "| Región |" in target.read_text(encoding="utf-8")
    assert "Resumen escrito en" in result.stdout and "| Región |" not in result.stdout
    for suffix, check in ((".csv", lambda t: t.startswith("table,row,")),
                          (".json", lambda t: json.loads(t)["round"] == "2018-12")):  # fmt: skip
        path = tmp_path / f"y{suffix}"
        assert invoke(office, "summary", "--round", "2018-12", "--section", "s4", "-o",
                      path).exit_code == 0  # fmt: skip
        assert check(path.read_text(encoding="utf-8"))
    unknown = invoke(office, "summary", "-o", tmp_path / "y.txt")
    assert unknown.exit_code == 2
    assert "y.txt" in unknown.output and ".md, .markdown, .csv, .json, .xlsx" in unknown.output
    assert not (tmp_path / "y.txt").exists()
    mismatch = invoke(office, "summary", "--format", "csv", "-o", tmp_path / "z.json")
    assert mismatch.exit_code == 2
    table = invoke(
        office, "summary", "--section", "s4", "--format", "table", "-o", tmp_path / "t.md"
    )
    assert table.exit_code == 0
    assert (tmp_path / "t.md").read_text(encoding="utf-8").startswith("# Resumen")


def test_a_round_without_returns_says_so_once(workspace):
    issued = invoke(workspace, "issue", "--round", "2019-06", "--agency", "ong-01",
                    "--agency", "ong-02", "--deadline", "2019-07-31")  # fmt: skip
    assert issued.exit_code == 0, issued.output
    result = invoke(workspace, "summary")
    assert result.exit_code == 0
    assert "No hay respuestas archivadas de la ronda 2019-06 (0 de 2)." in result.stdout
    assert result.stdout.count("No hay respuestas") == 1
    assert "Cada columna cuenta" not in result.stdout


# On paper ----------------------------------------------------------------------------------


@needs_renderers
def test_the_printed_summary_is_legible_and_no_chart_crosses_a_page(demo, tmp_path):
    office, _ = demo
    target = tmp_path / "informe.xlsx"
    assert invoke(office, "summary", "--section", "s4", "-o", target).exit_code == 0
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(target)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(tmp_path / "informe.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    pages = boxes.split("<page ")[1:]
    assert len(pages) > 5
    words = [
        (number, float(y_max) - float(y_min), word)
        for number, page in enumerate(pages, start=1)
        for y_min, y_max, word in re.findall(
            r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page
        )
    ]
    # Liberation Sans at 8 pt gives words 10.4 pt high: nothing printed is smaller.
    small = [(page, round(height, 1), word) for page, height, word in words if height < 10.3]
    assert not small, small[:10]
    # A chart cut by a page break leaves some of its bars' labels on the next page: every
    # chart's page has its title, then every label of its categories.
    per_page = [" ".join(page.split()) for page in _pages(tmp_path / "informe.pdf")]
    workbook = openpyxl.load_workbook(target)
    checked = 0
    for sheet in workbook.worksheets:
        for chart in sheet._charts:
            title = " ".join(chart.title.tx.rich.p[0].r[0].t.split())
            categories = chart.series[0].cat
            reference = (categories.numRef or categories.strRef).f
            cells = sheet[reference.split("!")[1].replace("$", "")]
            cells = cells if isinstance(cells, tuple) else ((cells,),)
            labels = [" ".join(str(row[0].value).split()) for row in cells]
            whole = [page for page in per_page if title in page and _in_order(page, title, labels)]
            assert whole, (title, labels)
            checked += 1
    assert checked >= 3


def _pages(pdf) -> list[str]:
    """The text of each page of a PDF."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    count = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def _in_order(page: str, title: str, labels: list[str]) -> bool:
    """Whether the page has, after the title, every label in this order."""
    rest = page.split(title, 1)[1]
    for label in labels:
        if label not in rest:
            return False
        rest = rest.split(label, 1)[1]
    return True


def test_a_word_longer_than_the_terminal_is_the_only_thing_shortened():
    # A web address of 120 characters cannot fit 80 columns; everything else wraps whole.
    import io

    from rich.console import Console

    from rapporteur.cli.grid import GridColumn, print_grid

    address = "https://www.example.es/" + "protocolo-" * 10 + ".pdf"
    console = Console(file=io.StringIO(), width=80, color_system=None)
    print_grid(
        console,
        "Protocolos autonómicos contra la trata",
        [GridColumn("Región"), GridColumn("Dirección web"), GridColumn("Plazas", right=True)],
        [["Comunidad Foral de Navarra", address, "12.480"]],
    )
    lines = console.file.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 80
    words = console.file.getvalue().split()
    assert "12.480" in words and "Navarra" in words
    shortened = [word for word in words if word.startswith("https://")]
    assert len(shortened) == 1 and shortened[0].endswith("…")
    assert address.startswith(shortened[0][:-1])
