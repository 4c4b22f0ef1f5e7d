"""Two questionnaire versions in one office: which version a round is issued with, returns
read with their own version, questions followed across versions, `questionnaire diff`."""

import datetime
import json
import tomllib

import openpyxl
from plausible import plausible_return
from returns import cell_at

from rapporteur.archive import Archive, NewReturn, RoundRecord
from rapporteur.definition import load_definition
from rapporteur.rounds import Round
from rapporteur.workbook.filling import fill_questionnaire
from rapporteur.workspace import open_workspace

V1, V2 = load_definition(1), load_definition(2)


def set_questionnaire(workspace, text: str) -> None:
    settings = workspace / "rapporteur.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("[questionnaire]", "[questionnaire]\n" + text),
        encoding="utf-8",
    )


def issue(run, workspace, round_text, *args):
    result = run("-w", workspace, "issue", "--round", round_text, "--deadline", "2099-12-31",
                 *args)  # fmt: skip
    assert result.exit_code == 0, result.output
    return result


def recorded_version(workspace, round_text) -> int:
    text = (workspace / "archive" / round_text / "round.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["questionnaire_version"]


# Which version a round is issued with ----------------------------------------------------


def test_a_round_is_issued_with_the_version_set_and_keeps_it(workspace, run):
    set_questionnaire(workspace, 'version = 1\nrounds = { "2019-06" = 2 }')
    first = issue(run, workspace, "2018-12", "--agency", "ong-01")
    assert "Cuestionario versión 1." in first.output
    second = issue(run, workspace, "2019-06", "--agency", "ong-01")
    assert "Cuestionario versión 2." in second.output
    assert recorded_version(workspace, "2018-12") == 1
    assert recorded_version(workspace, "2019-06") == 2
    v1_workbook = openpyxl.load_workbook(workspace / "issued/2018-12/ong-01.xlsx")
    v2_workbook = openpyxl.load_workbook(workspace / "issued/2019-06/ong-01.xlsx")
    assert "s1_outreach_signs_thb_or_se__total" in v1_workbook.defined_names
    assert "s1_outreach_signs__total" in v2_workbook.defined_names
    assert "s1_outreach_signs__total" not in v1_workbook.defined_names

    # Another setting later never changes a round already issued: it keeps its version.
    set_questionnaire(workspace, "")
    settings = workspace / "rapporteur.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("version = 1\n", "version = 2\n"),
        encoding="utf-8",
    )
    issue(run, workspace, "2018-12", "--agency", "ong-02")
    assert recorded_version(workspace, "2018-12") == 1
    again = openpyxl.load_workbook(workspace / "issued/2018-12/ong-02.xlsx")
    assert "s1_outreach_signs_thb_or_se__total" in again.defined_names


def test_a_version_1_return_collected_after_version_2_became_the_default(workspace, run, tmp_path):
    set_questionnaire(workspace, "version = 1")
    issue(run, workspace, "2018-12", "--agency", "ong-01")
    value = plausible_return(V1, "NGO")
    value["s1_outreach_signs_thb_or_se"]["total"] += 0  # a question only version 1 has
    path = tmp_path / "ong-01.xlsx"
    fill_questionnaire(workspace / "issued/2018-12/ong-01.xlsx", value, path)
    settings = workspace / "rapporteur.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("version = 1\n", ""), encoding="utf-8"
    )
    assert open_workspace(workspace).settings.questionnaire.version_for(Round(2018, 12)) == 2

    result = run("-w", workspace, "collect", path, "--jobs", "1")

    assert result.exit_code == 0, result.output
    archive = Archive(workspace / "archive")
    [stored] = archive.return_versions(Round(2018, 12), "ong-01")
    assert stored.header["questionnaire_version"] == 1
    data = archive.current_return(Round(2018, 12), "ong-01")
    assert data == value
    assert "s1_outreach_signs" not in data


def test_a_kind_the_rounds_version_does_not_ask_is_left_out_or_refused(workspace, run):
    set_questionnaire(workspace, "version = 1")
    whole = issue(run, workspace, "2018-12")
    assert "No se emite a cgpj, sem: la versión 1 del cuestionario" in " ".join(
        whole.output.split()
    )
    assert not (workspace / "issued/2018-12/cgpj.xlsx").exists()
    assert (workspace / "issued/2018-12/fiscalia.xlsx").exists()
    asked = run("-w", workspace, "issue", "--round", "2018-12", "--agency", "cgpj", "--force")
    assert asked.exit_code == 2
    assert "La versión 1 del cuestionario, la de esta ronda, no tiene cuestionario" in " ".join(
        asked.output.split()
    )


def test_a_setting_naming_a_version_that_does_not_exist_is_refused_at_its_line(workspace, run):
    set_questionnaire(workspace, 'version = 7\nrounds = { "2019-13" = 1 }')
    result = run("-w", workspace, "status")
    assert result.exit_code == 3
    said = " ".join(result.output.split())
    assert "«questionnaire.version»: no existe la versión 7 del cuestionario" in said
    assert "«2019-13» no es una ronda" in said


# What changed between versions -----------------------------------------------------------


def test_questionnaire_diff_names_each_change_with_its_reason(run):
    result = run("questionnaire", "diff", "v1", "v2", "--format", "json")
    assert result.exit_code == 0, result.output
    changes = {row["question"]: row for row in json.loads(result.stdout)}
    renamed = changes["s1_outreach_signs"]
    assert (renamed["change"], renamed["before"]) == ("renamed", "s1_outreach_signs_thb_or_se")
    assert "antes: «Personas con indicios de trata y/o explotación sexual»" in renamed["detail"]
    assert changes["s1_transit_victims"]["change"] == "added"
    assert changes["s4_plan_budget"]["change"] == "added"
    removed = changes["s2_referrals_made"]
    assert removed["change"] == "removed"
    assert "se pregunta solo a quien la recibe" in removed["detail"]
    trainings = changes["s3_trainings"]
    assert trainings["change"] == "changed"
    assert "«Inspección de trabajo» pasa a «Inspectores de trabajo»" in trainings["detail"]
    assert "desglose nuevo: Por modo de intervención" in changes["s1_outreach_contacts"]["detail"]
    assert "ya no se pregunta a M. Interior" in changes["s2_permits_personal"]["detail"]
    assert "s1_inspections" not in changes  # unchanged questions are not listed
    assert changes["s1_identified_victims_thb"]["label"].startswith(
        "Víctimas de trata identificadas"
    )

    # In Catalan the old and new wording read the same: the Spanish change is said.
    catalan = run("questionnaire", "diff", "v1", "v2", "--format", "json",
                  env={"RAPPORTEUR_LANG": "ca"})  # fmt: skip
    said = {row["question"]: row["detail"] for row in json.loads(catalan.stdout)}
    assert said["s1_identified_victims_thb"] == (
        "nova redacció en castellà; abans: «Víctimas identificadas formalmente de trata "
        "(art. 177 bis CP)»"
    )

    table = run("questionnaire", "diff", "1", "2")
    assert "De la versión 1 a la versión 2: 14 cambios" in table.output
    assert "Tipos de organismo nuevos: CGPJ, SEM." in " ".join(table.output.split())


def test_questionnaire_diff_refuses_versions_in_the_wrong_order_or_unknown(run):
    backwards = run("questionnaire", "diff", "v2", "v1")
    assert backwards.exit_code == 2
    assert "Indique primero la versión anterior" in backwards.output
    unknown = run("questionnaire", "diff", "v1", "v9")
    assert unknown.exit_code == 3
    assert "No existe la versión 9 del cuestionario" in unknown.output
    garbage = run("questionnaire", "diff", "uno", "v2")
    assert garbage.exit_code == 2 and "«uno» no es una versión del cuestionario" in garbage.output


def test_a_new_version_must_say_what_became_of_every_question(tmp_path, run):
    text = (tmp_path.parent / "x").as_posix()  # any path; the draft is written below
    del text
    from conftest import PROJECT

    draft = (PROJECT / "questionnaires" / "v2.toml").read_text(encoding="utf-8")
    draft = draft.replace("version = 2\n", "version = 3\n", 1)
    draft = draft.replace('id = "s1_groups_dismantled"', 'id = "s1_groups_broken_up"', 1)
    draft = draft.replace('"s1_groups_dismantled"', '"s1_groups_broken_up"')
    draft = draft.replace('replaces = "s1_outreach_signs_thb_or_se"', 'replaces = "s1_nothing"')
    path = tmp_path / "v3.toml"
    path.write_text(draft, encoding="utf-8")

    result = run("questionnaire", "check", path)

    assert result.exit_code == 3
    said = " ".join(result.output.split())
    assert "la pregunta «s1_groups_dismantled» de la versión 2 no está en esta versión" in said
    assert (
        "[[field]] s1_outreach_signs: replaces: «s1_nothing» no es una pregunta de la versión 2"
        in said
    )


# Questions followed across versions in the summary ---------------------------------------


def _round(session, round_, version):
    session.write_round(RoundRecord(round_, version, round_.period(), round_.starts_on))


def _answer(session, round_, version, data, agency="ong-01", kind="NGO"):
    session.record_return(
        round_, NewReturn(agency, kind, version, data, f"{agency}.xlsx", "0" * 64)
    )


def test_a_renamed_questions_trend_continues_and_a_new_one_is_not_zero(workspace, run, tmp_path):
    earlier, later = Round(2018, 6), Round(2019, 6)
    with open_workspace(workspace).archive().writing() as session:
        _round(session, earlier, 1)
        _answer(session, earlier, 1, {"s1_outreach_signs_thb_or_se": {"total": 100},
                                      "s1_outreach_signs_thb": {"total": 20}})  # fmt: skip
        _answer(session, earlier, 1, {"s1_outreach_signs_thb_or_se": {"total": 90}},
                agency="ong-02")  # fmt: skip
        _round(session, later, 2)
        _answer(session, later, 2, {"s1_outreach_signs": {"total": 130},
                                    "s1_outreach_signs_thb": {"total": 25},
                                    "s1_transit_victims": 3})  # fmt: skip
        _answer(session, later, 2, {"s1_outreach_signs": {"total": 95}}, agency="ong-02")
        session.consolidate()

    document = json.loads(run("-w", workspace, "summary", "--by-kind", "--format", "json").stdout)
    tables = {table["id"]: table for table in document["tables"]}
    trend = {row["key"]: row["values"] for row in tables["trend_year"]["rows"]}
    assert trend["s1_outreach_signs:NGO"] == {"2018-06": 190, "2019-06": 225}
    assert trend["s1_transit_victims:NGO"] == {"2019-06": 3}  # "—" in 2018-06, never 0
    trend_notes = " ".join(tables["trend_year"]["notes"])
    assert "«…de ellas, en tránsito por España hacia otro país» no se preguntaba en 2018-06" in (
        trend_notes
    )
    outreach = tables["s1_outreach_by_kind"]
    [ngo] = outreach["rows"][:-1]
    assert ngo["values"]["s1_outreach_signs:NGO"] == 225
    assert ngo["previous"]["s1_outreach_signs:NGO"] == 190  # compared through the rename
    assert ngo["values"]["s1_transit_victims:NGO"] == 3
    assert "s1_transit_victims:NGO" not in ngo["previous"]
    notes = " ".join(outreach["notes"])
    assert (
        "«…de ellas, en tránsito por España hacia otro país» no se preguntaba en 2018-06" in notes
    )

    shown = run("-w", workspace, "summary", "--by-kind", "--section", "s1", env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    lines = [line for line in shown.output.splitlines() if "tránsito" in line]
    assert lines and lines[0].replace("\xa0", " ").rstrip().endswith("3 (—)")  # not (0; +3)
    assert "225 (190; +35)" in shown.output.replace("\xa0", " ")

    workbook_path = tmp_path / "resumen.xlsx"
    written = run("-w", workspace, "summary", "--by-kind", "--section", "s1", "-o", workbook_path)
    assert written.exit_code == 0, written.output
    dashes = []
    for sheet in openpyxl.load_workbook(workbook_path).worksheets:
        for row in sheet.iter_rows(values_only=True):
            if any("tránsito" in str(value) for value in row) or 3 in row:
                dashes.append([value for value in row if value is not None])
    assert any(values[-2:] == ["—", 3] for values in dashes)  # the trend: not asked, 2019-06

    # The other way round: the 2019-06 figures in the terms of version 1, compared with
    # from 2018-06, and published with every figure traced to the archive.
    older = run("-w", workspace, "summary", "--round", "2018-06", "--compare", "2019-06",
                "--format", "json")  # fmt: skip
    assert older.exit_code == 0, older.output
    published = run("-w", workspace, "summary", "--publish", "--format", "json")
    assert published.exit_code == 0, published.output
    document = json.loads(published.stdout)
    trend = next(table for table in document["tables"] if table["id"] == "trend_year")
    row = next(row for row in trend["rows"] if row["key"] == "s1_outreach_signs:NGO")
    assert row["values"] == {"2018-06": 190, "2019-06": 225}


def test_the_trend_shows_a_historical_series_first_and_says_so(workspace, run, tmp_path):
    template = tmp_path / "plantilla.csv"
    assert run("-w", workspace, "archive", "import", "--template", template,
               "--kind", "CITCO").exit_code == 0  # fmt: skip
    lines = template.read_text(encoding="utf-8-sig").splitlines()
    figures = {"s1_identified_victims_thb__total": "698"}
    filled = [lines[0]] + [
        line + figures[line.split(",")[0]] for line in lines[1:] if line.split(",")[0] in figures
    ]
    template.write_text("\n".join(filled) + "\n", encoding="utf-8")
    imported = run("-w", workspace, "archive", "import", template, "--round", "2017-06",
                   "--period", "2013-2016")  # fmt: skip
    assert imported.exit_code == 0, imported.output
    with open_workspace(workspace).archive().writing() as session:
        for round_, total in ((Round(2018, 6), 700), (Round(2019, 6), 740)):
            _round(session, round_, 2)
            _answer(session, round_, 2, {"s1_identified_victims_thb": {"total": total}},
                    agency="citco", kind="CITCO")  # fmt: skip
        session.consolidate()
    document = json.loads(run("-w", workspace, "summary", "--format", "json").stdout)
    trend = next(table for table in document["tables"] if table["id"] == "trend_year")
    assert [c["label"] for c in trend["columns"]] == ["2013-2016 (histórica)", "2017", "2018"]
    row = next(r for r in trend["rows"] if r["key"] == "s1_identified_victims_thb:CITCO")
    assert row["values"] == {"2017-06": 698, "2018-06": 700, "2019-06": 740}
    assert any("2013-2016 (histórica): cifras publicadas antes" in note for note in trend["notes"])
    # A historical round is never the comparison a year's figures default to.
    year = json.loads(run("-w", workspace, "summary", "--round", "2018-06",
                          "--format", "json").stdout)  # fmt: skip
    assert year["compare"] is None


def test_the_round_record_says_which_version_and_the_round_s_cells_follow_it(workspace, run):
    set_questionnaire(workspace, "version = 1")
    issue(run, workspace, "2018-12", "--agency", "ong-01")
    workbook = openpyxl.load_workbook(workspace / "issued/2018-12/ong-01.xlsx")
    cell = cell_at(workbook, "s1_outreach_contacts")  # no breakdown in version 1
    assert cell.value is None
    record = Archive(workspace / "archive").read_round(Round(2018, 12))
    assert record.questionnaire_version == 1
    assert record.deadline == datetime.date(2099, 12, 31)


def test_a_return_is_checked_against_last_years_answer_to_the_same_question(
    workspace, run, tmp_path
):
    """W4 (a large change on a year earlier) compares a renamed question with itself."""
    set_questionnaire(workspace, 'rounds = { "2018-06" = 1 }')
    earlier = Round(2018, 6)
    with open_workspace(workspace).archive().writing() as session:
        _round(session, earlier, 1)
        _answer(session, earlier, 1, {"s1_outreach_signs_thb_or_se": {"total": 40}})
        session.consolidate()
    issue(run, workspace, "2019-06", "--agency", "ong-01")
    value = plausible_return(V2, "NGO")
    value["s1_outreach_signs"]["total"] = 400
    path = tmp_path / "ong-01.xlsx"
    fill_questionnaire(workspace / "issued/2019-06/ong-01.xlsx", value, path)

    result = run("-w", workspace, "collect", path, "--jobs", "1")

    said = " ".join(result.output.split())
    assert "Cambio grande respecto de la misma ronda del año anterior: 40 → 400" in said
