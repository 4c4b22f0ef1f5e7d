"""`rapporteur issue`: the workbooks it writes, opened with openpyxl as a clerk's program
would, and what it records in the archive."""

import datetime
import hashlib
import json
import os
import tomllib

import openpyxl
import pytest
from openpyxl.utils import range_boundaries
from plausible import plausible_return
from returns import needs_gnumeric, needs_libreoffice, resaved_by_gnumeric, resaved_by_libreoffice

from rapporteur.archive import Archive, NewReturn, RoundRecord
from rapporteur.definition import load_definition
from rapporteur.rounds import Round
from rapporteur.workbook.filling import fill_questionnaire
from rapporteur.workbook.metadata import METADATA_SHEET, Metadata
from rapporteur.workbook.reader import read_questionnaire
from rapporteur.workspace import open_workspace

DEFINITION = load_definition()
FUTURE = "2099-01-31"
VALIDATION_TYPE = {"count": "whole", "eur": "decimal", "number": "decimal", "date": "date",
                   "text": "textLength", "choice": "list", "mark": "list"}  # fmt: skip
SOME_AGENCIES = {
    "NGO": "ong-01",
    "FISC": "fiscalia",
    "CCAA": "ccaa-an",
    "LEA_STATE": "guardia-civil",
    "MIN_EXT": "min-ext",
}


def issue(run, workspace, *args, deadline=FUTURE):
    return run("-w", workspace, "issue", "--round", "2018-12", "--deadline", deadline, *args)


def cell_of(workbook, name):
    ((sheet, reference),) = workbook.defined_names[name].destinations
    min_col, min_row, _, _ = range_boundaries(reference.replace("$", ""))
    return workbook[sheet].cell(min_row, min_col)


def validation_of(worksheet, coordinate):
    found = [dv for dv in worksheet.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(found) == 1, coordinate
    return found[0]


def sheet_text(worksheet):
    return "\n".join(
        str(value) for row in worksheet.iter_rows(values_only=True) for value in row if value
    )


@pytest.fixture
def issued(workspace, run):
    """The questionnaires of 2018-12 for one agency of several kinds."""
    arguments = [item for agency in SOME_AGENCIES.values() for item in ("--agency", agency)]
    result = issue(run, workspace, *arguments)
    assert result.exit_code == 0, result.output
    return workspace / "issued" / "2018-12"


def test_issue_writes_a_workbook_per_agency_and_records_the_round(workspace, run):
    result = issue(run, workspace)

    assert result.exit_code == 0, result.output
    # The round is named with the period it asks about: 2018-12 is not the second half.
    assert (
        "47 cuestionarios de la ronda 2018-12 (primer semestre de 2018, cifras provisionales) "
        "escritos" in " ".join(result.output.split())
    )
    folder = workspace / "issued" / "2018-12"
    assert len(list(folder.glob("*.xlsx"))) == 47
    record = tomllib.loads((workspace / "archive" / "2018-12" / "round.toml").read_text())
    assert record["round"] == "2018-12"
    assert record["questionnaire_version"] == DEFINITION.version  # the latest, by default
    assert (record["period_start"], record["period_end"]) == (
        datetime.date(2018, 1, 1),
        datetime.date(2018, 6, 30),
    )
    assert record["period_status"] == "provisional"
    assert record["deadline"] == datetime.date(2099, 1, 31)
    assert len(record["issued"]) == 47
    for entry in record["issued"]:
        path = workspace / entry["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert len(entry["fingerprint"]) == 64


@pytest.mark.parametrize("kind", sorted(SOME_AGENCIES))
def test_every_input_is_a_named_unlocked_validated_cell(issued, run, kind):
    workbook = openpyxl.load_workbook(issued / f"{SOME_AGENCIES[kind]}.xlsx")
    fields = json.loads(run("questionnaire", "fields", "--kind", kind, "--format", "json").stdout)
    names = {item["name"] for item in fields}
    ours = {name for name in workbook.defined_names if not name.startswith("list_")}
    assert ours == names
    for item in fields:
        cell = cell_of(workbook, item["name"])
        assert cell.protection.locked is False, item["name"]
        assert cell.fill.fgColor.rgb in ("00FFF2CC", "00DDEBF7"), item["name"]
        validation = validation_of(cell.parent, cell.coordinate)
        assert validation.type == VALIDATION_TYPE[item["type"]], item["name"]
        assert validation.showErrorMessage is True
        assert validation.error and validation.errorTitle
        if item["type"] == "count":
            assert validation.formula2 == str(int(item["maximum"]))
            if item["unit"] == "year":  # a year is never grouped: not "entre 1.990 y 2.100"
                assert "entre 1990 y 2100" in validation.error, item["name"]
            elif item["maximum"] >= 1000:
                spanish = f"{int(item['maximum']):,}".replace(",", ".")
                assert f"y {spanish}." in validation.error, item["name"]
        if item["rows"]:
            ((_, reference),) = workbook.defined_names[item["name"]].destinations
            min_col, min_row, max_col, max_row = range_boundaries(reference.replace("$", ""))
            assert (max_col, max_row - min_row + 1) == (min_col, item["rows"])


def test_parts_not_asked_are_left_out(issued):
    prosecutor = openpyxl.load_workbook(issued / "fiscalia.xlsx")
    text = "\n".join(sheet_text(sheet) for sheet in prosecutor.worksheets)
    assert "Investigación y justicia penal" in text
    assert "Protección judicial" in text
    assert "Asistencia a víctimas" not in text
    assert "Intervención social" not in text
    region = openpyxl.load_workbook(issued / "ccaa-an.xlsx")
    text = "\n".join(sheet_text(sheet) for sheet in region.worksheets)
    assert "Protocolo autonómico contra la trata vigente *" in text
    assert "Investigación y justicia penal" not in text
    sections = ["Datos", "1 Tendencias", "2 Asistencia", "3 Prevención", "3 Campañas",
                "3 Formación", "3 Estudios", "4 Evaluación", "4 Indicadores"]  # fmt: skip
    assert region.sheetnames == ["Portada", *sections, "_lists", METADATA_SHEET]


def test_required_inputs_are_marked(issued):
    workbook = openpyxl.load_workbook(issued / "fiscalia.xlsx")
    total = cell_of(workbook, "s1_persons_prosecuted__total")
    label = total.parent.cell(total.row, 1)
    assert label.value.endswith(" *")
    assert label.font.bold
    assert total.fill.fgColor.rgb == "00FFF2CC"
    optional = cell_of(workbook, "s1_persons_prosecuted__form_sex_lite__SEX__F")
    assert optional.fill.fgColor.rgb == "00DDEBF7"


def test_breakdowns_have_a_sum_formula_beside_their_total(issued):
    workbook = openpyxl.load_workbook(issued / "guardia-civil.xlsx")
    first = cell_of(workbook, "s1_identified_victims_thb__sex_age__F__Y0_11")
    last = cell_of(workbook, "s1_identified_victims_thb__sex_age__UNK__UNK")
    total = cell_of(workbook, "s1_identified_victims_thb__total")
    sheet = first.parent
    sum_cell = sheet.cell(last.row + 1, 2)
    check_cell = sheet.cell(last.row + 1, 3)
    block = f"{first.column_letter}{first.row}:{first.column_letter}{last.row}"
    assert block in sum_cell.value and sum_cell.value.startswith("=IF(COUNT(")
    assert f"${total.column_letter}${total.row}" in check_cell.value
    assert "✓" in check_cell.value
    assert sheet.cell(last.row + 1, 1).value == "Suma del desglose (debe coincidir con el total)"


def test_repeating_tables_have_the_reference_maximum_of_rows(issued):
    workbook = openpyxl.load_workbook(issued / "ong-01.xlsx")
    for name, rows in (("s3_trainings__title", 200), ("s3_campaigns__name", 50),
                       ("s4_indicators__achieved", 30)):  # fmt: skip
        ((_, reference),) = workbook.defined_names[name].destinations
        _, min_row, _, max_row = range_boundaries(reference.replace("$", ""))
        assert max_row - min_row + 1 == rows


def test_sheets_are_protected_printable_and_use_one_named_font(issued):
    workbook = openpyxl.load_workbook(issued / "ong-01.xlsx")
    assert workbook.security.lockStructure
    for sheet in workbook.worksheets:
        assert sheet.protection.sheet, sheet.title
        assert sheet.protection.password is None
    for sheet in workbook.worksheets[1:-2]:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        # Printed at 100 %, never shrunk to fit: a wide table has a landscape sheet.
        assert sheet.page_setup.scale == 100
        assert not sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.freeze_panes == "B5"
        assert sheet.print_title_rows == "$1:$4"
        fonts = {cell.font.name for row in sheet.iter_rows() for cell in row if cell.value}
        assert fonts == {"Calibri"}, sheet.title
    assert workbook["3 Prevención"].page_setup.orientation == "portrait"
    assert workbook["3 Campañas"].page_setup.orientation == "landscape"


def test_metadata_is_hidden_and_signed_with_the_workspace_secret(issued, workspace):
    workbook = openpyxl.load_workbook(issued / "fiscalia.xlsx")
    sheet = workbook[METADATA_SHEET]
    assert sheet.sheet_state == "veryHidden"
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert values["agency"] == "fiscalia" and values["kind"] == "FISC"
    assert values["round"] == "2018-12" and values["version"] == DEFINITION.version
    assert values["language"] == "es" and values["issue"] == 1
    record = Archive(workspace / "archive").read_round(Round(2018, 12))
    assert values["fingerprint"] == record.current_issue("fiscalia").fingerprint
    assert record.current_issue("fiscalia").issue == 1
    secret = bytes.fromhex((workspace / "secret.key").read_text().strip())
    metadata = Metadata(agency="fiscalia", kind="FISC", round="2018-12", version=DEFINITION.version,
                        language="es", fingerprint=values["fingerprint"], issue=1)  # fmt: skip
    assert metadata.signed_by(secret, values["signature"])
    for changed in ({"agency": "ong-01"}, {"round": "2017-12"}, {"issue": 2}, {"issue": 0}):
        tampered = Metadata(**{**metadata.__dict__, **changed})
        assert not tampered.signed_by(secret, values["signature"])
    assert secret.hex() not in "".join(str(v) for v in values.values())


def test_cover_in_spanish_and_in_english(workspace, run):
    issue(run, workspace, "--agency", "ong-01")
    issue(run, workspace, "--agency", "ong-02", "--lang", "en")
    spanish = sheet_text(
        openpyxl.load_workbook(workspace / "issued/2018-12/ong-01.xlsx")["Portada"]
    )
    english = sheet_text(openpyxl.load_workbook(workspace / "issued/2018-12/ong-02.xlsx")["Cover"])
    for expected in (
        "Entidad especializada 01 (de ámbito estatal)",
        "2018-12",
        "del 01/01/2018 al 30/06/2018 (cifras provisionales)",
        "31/01/2099",
        "Fecha límite de respuesta",
        "Deje la celda en blanco si no conoce el dato",
        "Escriba 0 cuando sepa que no hubo ninguno",
        "relator@example.org",
    ):
        assert expected in spanish
    for expected in ("Reporting period", "01/01/2018 to 30/06/2018 (provisional figures)",
                     "Reply by", "Leave a cell blank when you do not know the figure",
                     "Type 0 when you know there were none", "Contact for questions"):  # fmt: skip
        assert expected in english


def test_an_agency_name_that_looks_like_a_formula_is_printed_as_text(workspace, run):
    registry = workspace / "agencies.toml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text.replace('"Entidad especializada 01 (de ámbito estatal)"', '"=1+1 Entidad"', 1),
        encoding="utf-8",
    )
    assert issue(run, workspace, "--agency", "ong-01").exit_code == 0
    workbook = openpyxl.load_workbook(workspace / "issued/2018-12/ong-01.xlsx")
    names = [
        cell
        for sheet in workbook.worksheets[:3]
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "=1+1 Entidad" in cell.value
    ]
    assert names and all(cell.data_type == "s" for cell in names)
    assert workbook["Portada"]["B4"].value == "=1+1 Entidad"


def test_english_workbook_has_the_same_names_and_fingerprint(workspace, run):
    issue(run, workspace, "--agency", "ong-01")
    issue(run, workspace, "--agency", "ong-02", "--lang", "en")
    spanish = openpyxl.load_workbook(workspace / "issued/2018-12/ong-01.xlsx")
    english = openpyxl.load_workbook(workspace / "issued/2018-12/ong-02.xlsx")
    spanish_names = {name: cell_of(spanish, name).coordinate for name in spanish.defined_names}
    english_names = {name: cell_of(english, name).coordinate for name in english.defined_names}
    assert spanish_names == english_names
    record = Archive(workspace / "archive").read_round(Round(2018, 12))
    fingerprints = {record.current_issue(agency).fingerprint for agency in ("ong-01", "ong-02")}
    assert len(fingerprints) == 1
    assert record.current_issue("ong-02").language == "en"
    validation = validation_of(*_sheet_and_cell(english, "s2_svc_legal"))
    assert validation.error.startswith("Type a whole number from 0 to 100,000")


def _sheet_and_cell(workbook, name):
    cell = cell_of(workbook, name)
    return cell.parent, cell.coordinate


def test_previous_comparable_round_values_are_shown_read_only(workspace, run):
    # Last year's round was asked with questionnaire version 1; this one is issued with
    # the latest, where the outreach contacts have a breakdown and the persons with signs
    # of trafficking or sexual exploitation a new id: last year's answers follow them.
    earlier = Round(2017, 12)
    with open_workspace(workspace).archive().writing() as session:
        session.write_round(RoundRecord(earlier, 1, earlier.period(), datetime.date(2017, 12, 31)))
        session.record_return(
            earlier,
            NewReturn(
                agency="ong-01",
                kind="NGO",
                questionnaire_version=1,
                data={"s1_outreach_contacts": 45, "s4_data_quality": "PARTIAL", "s2_svc_legal": 0,
                      "s1_outreach_signs_thb_or_se": {"total": 30}},
                source_file="ong-01.xlsx",
                source_sha256="0" * 64,
            ),
        )  # fmt: skip
    issue(run, workspace, "--agency", "ong-01", "--agency", "ong-02")

    workbook = openpyxl.load_workbook(workspace / "issued/2018-12/ong-01.xlsx")
    contacts = cell_of(workbook, "s1_outreach_contacts__total")
    previous = contacts.parent.cell(contacts.row, 4)
    assert previous.value == "Ronda 2017-12: 45"
    assert previous.protection.locked is True
    signs = cell_of(workbook, "s1_outreach_signs__total")
    assert signs.parent.cell(signs.row, 4).value == "Ronda 2017-12: 30"
    quality = cell_of(workbook, "s4_data_quality")
    assert quality.parent.cell(quality.row, 4).value == "Ronda 2017-12: Parciales"
    legal = cell_of(workbook, "s2_svc_legal")
    assert legal.parent.cell(legal.row, 4).value == "Ronda 2017-12: 0"
    health = cell_of(workbook, "s2_svc_health")
    assert health.parent.cell(health.row, 4).value is None
    other = openpyxl.load_workbook(workspace / "issued/2018-12/ong-02.xlsx")
    contacts = cell_of(other, "s1_outreach_contacts__total")
    assert contacts.parent.cell(contacts.row, 4).value is None


@pytest.mark.parametrize("kind", sorted(SOME_AGENCIES))
def test_a_workbook_filled_at_its_names_reads_back_exactly(issued, tmp_path, kind):
    region = "ES-AN" if kind == "CCAA" else "ES"
    value = plausible_return(DEFINITION, kind, region)
    filled = tmp_path / "filled.xlsx"
    fill_questionnaire(issued / f"{SOME_AGENCIES[kind]}.xlsx", value, filled)

    read = read_questionnaire(filled)

    assert read.missing_names == []
    assert read.value == value
    assert read.metadata.agency == SOME_AGENCIES[kind]


def test_values_read_back_remember_their_cell(issued, tmp_path):
    value = plausible_return(DEFINITION, "NGO")
    fill_questionnaire(issued / "ong-01.xlsx", value, tmp_path / "filled.xlsx")
    read = read_questionnaire(tmp_path / "filled.xlsx")
    workbook = openpyxl.load_workbook(issued / "ong-01.xlsx")
    cell = cell_of(workbook, "s3_trainings__participants_m")
    assert read.positions["s3_trainings[1].participants_m"] == (
        cell.parent.title,
        f"{cell.column_letter}{cell.row + 1}",
    )


@needs_libreoffice
def test_a_workbook_resaved_by_libreoffice_reads_back_exactly(issued, tmp_path):
    value = plausible_return(DEFINITION, "NGO")
    fill_questionnaire(issued / "ong-01.xlsx", value, tmp_path / "filled.xlsx")
    converted = resaved_by_libreoffice(
        [tmp_path / "filled.xlsx"], tmp_path / "libreoffice", tmp_path / "profile"
    )

    read = read_questionnaire(converted / "filled.xlsx")

    assert read.value == value
    assert read.missing_names == []


@needs_gnumeric
@pytest.mark.parametrize("kind", ["NGO", "CCAA", "LEA_STATE"])
def test_a_workbook_resaved_by_gnumeric_reads_back_exactly(issued, tmp_path, kind):
    region = "ES-AN" if kind == "CCAA" else "ES"
    value = plausible_return(DEFINITION, kind, region)
    fill_questionnaire(issued / f"{SOME_AGENCIES[kind]}.xlsx", value, tmp_path / "filled.xlsx")

    read = read_questionnaire(resaved_by_gnumeric(tmp_path / "filled.xlsx", tmp_path / "g.xlsx"))

    assert read.value == value
    assert read.missing_names == []
    assert read.problems == []


def test_reissuing_needs_force_and_keeps_the_earlier_questionnaire(issued, workspace, run):
    path = issued / "ong-01.xlsx"
    before = path.read_bytes()

    refused = issue(run, workspace, "--agency", "ong-01")

    assert refused.exit_code == 2
    assert "Ya se emitió el cuestionario de la ronda 2018-12 a: ong-01" in refused.output
    assert path.read_bytes() == before

    forced = issue(run, workspace, "--agency", "ong-01", "--force")

    assert forced.exit_code == 0, forced.output
    assert "sustituyen a uno emitido antes" in forced.output
    old_hash = hashlib.sha256(before).hexdigest()
    assert (issued / "superseded" / f"ong-01-{old_hash[:12]}.xlsx").read_bytes() == before
    record = tomllib.loads((workspace / "archive/2018-12/round.toml").read_text())
    entries = [entry for entry in record["issued"] if entry["agency"] == "ong-01"]
    assert len(entries) == 2
    assert entries[1]["replaces_sha256"] == old_hash
    assert entries[1]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_unknown_agency_and_kind_are_wrong_usage(workspace, run):
    result = issue(run, workspace, "--agency", "nobody")
    assert result.exit_code == 2
    assert "No hay ningún organismo con el identificador «nobody»" in result.output
    result = issue(run, workspace, "--kind", "CHARITY")
    assert result.exit_code == 2
    assert "Tipo de organismo desconocido «CHARITY»" in result.output
    assert not (workspace / "issued").exists()
    assert not (workspace / "archive" / "2018-12").exists()


def test_a_kind_is_chosen_by_its_short_name_too(workspace, run):
    result = issue(run, workspace, "--kind", "policía autonómica", "--format", "json")
    assert result.exit_code == 0, result.output
    issued = json.loads(result.stdout)
    assert {entry["kind"] for entry in issued} == {"LEA_REG"}
    assert {entry["kind_label"] for entry in issued} == {"Policía autonómica"}
    assert {entry["language_label"] for entry in issued} == {"español"}


def test_a_language_the_office_does_not_offer_is_refused_before_anything_is_written(workspace, run):
    settings = workspace / "rapporteur.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace('languages = ["es", "en", "ca"]', 'languages = ["es", "en"]'))
    result = issue(run, workspace, "--agency", "mossos", "--lang", "ca")
    assert result.exit_code == 2
    assert "El cuestionario de mossos iría en «ca», que la oficina no ofrece" in result.output
    assert not (workspace / "issued").exists()
    assert not (workspace / "archive" / "2018-12").exists()
    unknown = issue(run, workspace, "--agency", "mossos", "--lang", "fr")
    assert "--lang fr: no existe ese idioma; los idiomas son: es, en, ca." in unknown.output


def test_a_bad_round_is_wrong_usage(workspace, run):
    result = run("-w", workspace, "issue", "--round", "2018-13")
    assert result.exit_code == 2
    assert "no es una ronda" in result.output


def test_a_past_deadline_is_a_warning_not_a_refusal(workspace, run):
    result = issue(run, workspace, "--agency", "ong-01", deadline="2018-12-31")
    assert result.exit_code == 0
    assert "la fecha límite 31/12/2018 ya ha pasado" in result.output
    assert (workspace / "issued/2018-12/ong-01.xlsx").is_file()
    quiet = issue(run, workspace, "--agency", "ong-02")
    assert "ya ha pasado" not in quiet.output


def test_the_deadline_rule_of_the_workspace_applies_by_default(workspace, run):
    run("-w", workspace, "issue", "--round", "2030-06", "--agency", "ong-01")
    record = tomllib.loads((workspace / "archive/2030-06/round.toml").read_text())
    assert record["deadline"] == datetime.date(2030, 7, 1)
    assert record["period_code"] == "2029"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_an_unwritable_output_folder_fails_cleanly(workspace, run, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    result = issue(run, workspace, "--agency", "ong-01", "--out", locked)
    assert result.exit_code == 3
    assert list(locked.iterdir()) == []


def test_an_output_folder_that_cannot_be_created_fails_cleanly(workspace, run, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    result = issue(run, workspace, "--agency", "ong-01", "--out", blocker / "out")
    assert result.exit_code == 3
    assert "No se puede escribir en" in result.output
    assert not (workspace / "archive" / "2018-12").exists()


def test_out_writes_elsewhere_and_records_it(workspace, run, tmp_path):
    result = issue(run, workspace, "--agency", "ong-01", "--out", tmp_path / "envío")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "envío" / "ong-01.xlsx").is_file()
    record = tomllib.loads((workspace / "archive/2018-12/round.toml").read_text())
    assert record["issued"][0]["file"] == str((tmp_path / "envío" / "ong-01.xlsx").resolve())


def test_a_workspace_without_registry_fails_clearly(workspace, run):
    (workspace / "agencies.toml").unlink()
    result = issue(run, workspace)
    assert result.exit_code == 3
    assert "agencies.toml en el espacio de trabajo" in result.output


def test_no_half_written_workbook_is_left_behind(issued):
    leftovers = [path.name for path in issued.iterdir() if path.name.startswith(".")]
    assert leftovers == []


def test_a_redirected_output_starts_with_what_it_reports(tmp_path):
    """The progress bar is for a terminal: piped or saved to a file, the output of issue
    and collect begins with their report, not with a blank line left by the bar."""
    from conftest import run_subprocess

    from rapporteur.messages import message

    assert run_subprocess("init", "office", cwd=tmp_path).returncode == 0
    issued = run_subprocess("-w", "office", "issue", "--round", "2018-12", "--deadline",
                            "2099-01-31", "--agency", "ong-01", cwd=tmp_path)  # fmt: skip
    assert issued.returncode == 0, issued.stderr
    assert issued.stdout.startswith(message("issue.title").render("es") + "\n")
    assert issued.stderr == ""
    collected = run_subprocess("-w", "office", "collect", "office/issued/2018-12/ong-01.xlsx",
                               "--dry-run", cwd=tmp_path)  # fmt: skip
    assert collected.stdout.startswith(message("collect.title").render("es") + "\n")
