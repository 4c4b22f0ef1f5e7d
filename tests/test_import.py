"""`rapporteur archive import`: figures published before the tool, as a historical round,
with the same checks and the same all-or-nothing archive as `collect`."""

import csv
import json

import openpyxl
import pytest

from rapporteur.definition import load_definition
from rapporteur.importing import importable_inputs

CITCO = {
    "s1_persons_at_risk__total": 53_440,
    "s1_identified_victims_thb__total": 698,
    "s1_victims_sexual_expl_non_thb__total": 2_756,
    "s1_identified_victims_thb__form_sex__SEX__minors": 28,
    "s1_victims_sexual_expl_non_thb__form_sex__SEX__minors": 36,
}


def template(run, workspace, path, *args):
    result = run("-w", workspace, "archive", "import", "--template", path, *args)
    assert result.exit_code == 0, result.output
    return result


def filled_xlsx(run, workspace, tmp_path, figures: dict, extra_rows=()) -> tuple:
    path = tmp_path / "serie.xlsx"
    template(run, workspace, path, "--kind", "CITCO")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    rows = {}
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in figures:
            row[3].value = figures[row[0].value]
            rows[row[0].value] = row[3].coordinate
    for extra in extra_rows:
        sheet.append(list(extra))
        rows[extra[0] + "@" + str(sheet.max_row)] = f"A{sheet.max_row}"
    workbook.save(path)
    return path, rows


def archive_files(workspace) -> dict:
    root = workspace / "archive"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_template_lists_every_figure_a_kind_gives_with_its_code(workspace, run, tmp_path):
    path = tmp_path / "plantilla.xlsx"
    said = template(run, workspace, path, "--kind", "CITCO")
    assert "cifras de la versión 2 del cuestionario" in " ".join(said.output.split())
    sheet = openpyxl.load_workbook(path)["Cifras"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Código (cuestionario v2)", "Tipo de organismo", "Pregunta", "Cifra")
    expected = importable_inputs(load_definition(2), "CITCO")
    assert [row[0] for row in rows[1:]] == [item.name for item in expected]
    assert {row[1] for row in rows[1:]} == {"CITCO"}
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["s1_persons_at_risk__total"][2] == "Personas detectadas en situación de riesgo"
    assert all(row[3] is None for row in rows[1:])
    assert not any("*" in item.location for item in expected)  # no repeating-table rows

    older = tmp_path / "v1.csv"
    template(run, workspace, older, "--version", "1")
    with older.open(encoding="utf-8-sig") as stream:
        header, *lines = list(csv.reader(stream))
    assert header[0] == "Código (cuestionario v1)"
    assert {line[1] for line in lines} == set(load_definition(1).kinds)


def test_a_file_with_wrong_figures_is_refused_cell_by_cell_and_nothing_is_archived(
    workspace, run, tmp_path
):
    figures = {**CITCO, "s1_persons_at_risk__total": -3,
               "s1_identified_victims_thb__total": "unos 700",
               "s1_victims_sexual_expl_non_thb__total": "2.756"}  # fmt: skip
    path, cells = filled_xlsx(
        run, workspace, tmp_path, figures,
        extra_rows=[("s1_no_such_figure", "CITCO", "", 4), ("s1_inspections", "POLICIA", "", 4),
                    ("s1_persons_at_risk__total", "CITCO", "", 5),
                    ("s3_municipal_measures", "CITCO", "", 1)],
    )  # fmt: skip
    before = archive_files(workspace)

    result = run("-w", workspace, "archive", "import", path, "--round", "2017-06",
                 "--period", "2013-2016")  # fmt: skip

    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "serie.xlsx: 7 cifras son incorrectas; no se ha archivado nada." in said
    at = "serie.xlsx, hoja «Cifras», celda"
    assert f"{at} {cells['s1_persons_at_risk__total']}: -3 está fuera del intervalo" in said
    assert (
        f"{at} {cells['s1_identified_victims_thb__total']}: Se encontró el texto «unos 700»" in said
    )
    assert (
        f"{at} {cells['s1_victims_sexual_expl_non_thb__total']}: Se encontró el texto «2.756»"
        in said
    )
    rows = [int(key.split("@")[1]) for key in cells if "@" in key]
    assert f"{at} A{rows[0]}: «s1_no_such_figure» no es el código de una cifra" in said
    assert f"{at} B{rows[1]}: «POLICIA» no es un tipo de organismo" in said
    assert (
        f"{at} A{rows[2]}: la cifra «s1_persons_at_risk__total» de CITCO ya figura en la fila"
        in said
    )
    assert f"{at} A{rows[3]}: la cifra «s3_municipal_measures» no se pide a CITCO" in said
    assert archive_files(workspace) == before


def test_a_published_series_is_archived_as_a_historical_round(workspace, run, tmp_path):
    # As Excel saves a CSV on a Spanish Windows: semicolons.
    path = tmp_path / "serie.csv"
    template(run, workspace, path, "--kind", "CITCO")
    with path.open(encoding="utf-8-sig") as stream:
        rows = list(csv.reader(stream))
    for row in rows[1:]:
        row[3] = str(CITCO.get(row[0], ""))
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, delimiter=";").writerows(rows)

    result = run("-w", workspace, "archive", "import", path, "--round", "2017-06",
                 "--period", "2013-2016", "--source", "CITCO, serie 2013-2016")  # fmt: skip

    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Ronda 2017-06 archivada como histórica: cifras de 2013-2016" in said
    assert "│ CITCO │ 5 │ 1 │" in said.replace("\xa0", " ").replace(
        "  ", " "
    )  # 5 figures, not every row
    assert run("-w", workspace, "archive", "verify").exit_code == 0
    shown = json.loads(run("-w", workspace, "archive", "show", "2017-06", "serie-citco",
                           "--format", "json").stdout)  # fmt: skip
    assert shown["s1"]["s1_persons_at_risk"] == {"total": 53_440}
    assert shown["s1"]["s1_identified_victims_thb"]["form_sex"]["SEX"]["minors"] == 28
    record = (workspace / "archive/2017-06/round.toml").read_text(encoding="utf-8")
    assert 'source = "CITCO, serie 2013-2016"' in record
    assert 'period_code = "2013-2016"' in record and "period_start = 2013-01-01" in record
    listed = json.loads(run("-w", workspace, "archive", "list", "--format", "json").stdout)
    assert listed[0]["source"] == "CITCO, serie 2013-2016"
    shown = " ".join(run("-w", workspace, "archive", "list").output.split())
    assert "2017-06 (histórica)" in shown
    assert "2017-06: cifras publicadas antes de la herramienta, importadas de «CITCO" in shown
    status = run("-w", workspace, "status", "--round", "2017-06")
    assert status.exit_code == 2 and "La ronda 2017-06 es histórica" in status.output
    summary = run("-w", workspace, "summary", "--round", "2017-06")
    assert "Ronda histórica 2017-06 (años 2013 a 2016" in " ".join(summary.output.split())

    # The same file again changes nothing; a corrected figure is a new version of the series.
    again = run("-w", workspace, "archive", "import", path, "--round", "2017-06",
                "--period", "2013-2016")  # fmt: skip
    assert again.exit_code == 0
    rows[1 + [r[0] for r in rows[1:]].index("s1_persons_at_risk__total")][3] = "53441"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, delimiter=";").writerows(rows)
    corrected = run("-w", workspace, "archive", "import", path, "--round", "2017-06",
                    "--period", "2013-2016")  # fmt: skip
    assert corrected.exit_code == 0
    history = json.loads(run("-w", workspace, "archive", "history", "2017-06", "serie-citco",
                             "--format", "json").stdout)  # fmt: skip
    assert [entry["version"] for entry in history] == [1, 2]


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--round", "2018-12"], "La ronda 2018-12 se emitió a los organismos"),
        (["--round", "2017-06", "--period", "2017"], "El periodo 2017 no termina antes"),
        (["--round", "2017-06", "--period", "2013-20"], "«2013-20» no es un periodo"),
        (["--round", "2017-06", "--version", "1"], "la plantilla es de la versión 2"),
    ],
)
def test_an_import_that_cannot_be_is_refused_before_anything_is_written(
    workspace, run, tmp_path, arguments, said
):
    issued = run("-w", workspace, "issue", "--round", "2018-12", "--agency", "ong-01",
                 "--deadline", "2099-01-01")  # fmt: skip
    assert issued.exit_code == 0
    path, _ = filled_xlsx(run, workspace, tmp_path, CITCO)
    before = archive_files(workspace)

    result = run("-w", workspace, "archive", "import", path, *arguments)

    assert result.exit_code in (1, 2)
    assert said in " ".join(result.output.split())
    assert archive_files(workspace) == before


def test_a_file_that_is_no_spreadsheet_is_not_opened(workspace, run, tmp_path):
    path = tmp_path / "serie.xlsx"
    path.write_bytes(b"<html>not a workbook</html>")
    result = run("-w", workspace, "archive", "import", path, "--round", "2017-06")
    assert result.exit_code == 1
    assert "serie.xlsx" in result.output and "Traceback" not in result.output
    assert not (workspace / "archive" / "2017-06").exists()


def test_a_figure_typed_as_text_is_taken_with_a_warning_as_collect_does(workspace, run, tmp_path):
    path, cells = filled_xlsx(
        run, workspace, tmp_path, {**CITCO, "s1_persons_at_risk__total": "53440"}
    )
    result = run("-w", workspace, "archive", "import", path, "--round", "2017-06",
                 "--period", "2013-2016")  # fmt: skip
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert f"celda {cells['s1_persons_at_risk__total']}:" in said and "53440" in said
    shown = json.loads(run("-w", workspace, "archive", "show", "2017-06", "serie-citco",
                           "--format", "json").stdout)  # fmt: skip
    assert shown["s1"]["s1_persons_at_risk"] == {"total": 53_440}
    assert shown["header"]["warnings"] == 1
