"""Every return has a state, and nothing steps back: each case of the return lifecycle
through the CLI a clerk's file meets, with the decision, the message, and the archive left
byte-identical wherever a file is refused."""

import email
import email.policy
import json
import os
import shutil
import stat
import tomllib
import unicodedata

import openpyxl
import pytest
from plausible import plausible_return
from returns import (
    DEFINITION,
    cell_at,
    needs_libreoffice,
    resaved_by_libreoffice,
    set_cells,
    set_metadata,
)
from test_cli_collect import (
    ROUND,
    archive_state,
    collect,
    for_people,
    good,
    issued,
    receipts,
    returns_state,
)

from rapporteur.archive import Archive


@pytest.fixture
def office(workspace, run):
    return issued(workspace, run)


@pytest.fixture
def returns(tmp_path):
    return tmp_path / "returns"


def versions(office, agency="ong-01"):
    return [stored.number for stored in Archive(office / "archive").return_versions(ROUND, agency)]


def states(run, office, round_text="2018-12"):
    result = run("-w", office, "status", "--round", round_text, "--format", "json")
    assert result.exit_code == 0, result.output
    return {entry["agency"]: entry for entry in json.loads(result.stdout)["agencies"]}


# 1. A stale resubmission never undoes a correction --------------------------------------


def test_the_first_file_sent_again_after_a_correction_is_refused_naming_both(
    office, returns, run, tmp_path
):
    first = good(office, returns)
    stale_copy = shutil.copy(first, tmp_path / "ong-01-primera.xlsx")
    assert collect(run, office, first).exit_code == 0
    set_cells(first, {"s2_svc_legal": 7})
    assert collect(run, office, first).exit_code == 0
    before = returns_state(office)

    result = collect(run, office, stale_copy)

    assert result.exit_code == 1
    assert (
        "ong-01-primera.xlsx: es la versión 1 de la respuesta de ong-01, ya archivada; "
        "la versión 2 es posterior" in " ".join(result.output.split())
    )
    assert returns_state(office) == before
    assert Archive(office / "archive").current_return(ROUND, "ong-01")["s2_svc_legal"] == 7
    [receipt] = receipts(office)
    assert (receipt["decision"], receipt["source_file"]) == ("stale", "ong-01-primera.xlsx")
    assert states(run, office)["ong-01"]["state"] == "accepted"
    assert run("-w", office, "archive", "verify").exit_code == 0


def test_revert_brings_an_old_version_back_as_a_new_one_on_the_office_word(office, returns, run):
    path = good(office, returns)
    original = plausible_return(DEFINITION, "NGO", "ES")["s2_svc_legal"]
    collect(run, office, path)
    set_cells(path, {"s2_svc_legal": 7})
    collect(run, office, path)

    result = run("-w", office, "archive", "revert", "2018-12", "ong-01", "--to", "1")

    assert result.exit_code == 0, result.output
    assert "la versión 3 repone los datos de la versión 1. La versión 2 sigue archivada" in (
        " ".join(result.output.split())
    )
    assert versions(office) == [1, 2, 3]
    archive = Archive(office / "archive")
    assert archive.current_return(ROUND, "ong-01")["s2_svc_legal"] == original
    history = run("-w", office, "archive", "history", "2018-12", "ong-01")
    assert "3 (repone la 1)" in history.output
    assert run("-w", office, "archive", "verify").exit_code == 0

    before = archive_state(office)
    again = run("-w", office, "archive", "revert", "2018-12", "ong-01", "--to", "3")
    assert again.exit_code != 0
    assert "La versión 3 de ong-01 ya es la vigente" in again.output
    missing = run("-w", office, "archive", "revert", "2018-12", "ong-01", "--to", "9")
    assert missing.exit_code != 0
    assert "No existe la versión 9 de la respuesta de ong-01 en la ronda 2018-12; hay: 1, 2, 3" in (
        " ".join(missing.output.split())
    )
    assert archive_state(office) == before


# 2. An untouched questionnaire is not an answer -----------------------------------------


def test_an_untouched_questionnaire_is_refused_as_empty_and_not_counted(office, run, tmp_path):
    blank = shutil.copy(office / "issued/2018-12/ong-01.xlsx", tmp_path / "ong-01.xlsx")
    before = returns_state(office)

    result = collect(run, office, blank)

    assert result.exit_code == 1
    assert "el cuestionario está sin rellenar" in result.output
    assert returns_state(office) == before
    entry = states(run, office)["ong-01"]
    assert (entry["state"], entry["returned"]) == ("empty", False)
    assert [receipt["decision"] for receipt in receipts(office)] == ["empty"]


def test_the_contact_block_alone_is_not_an_answer(office, returns, run):
    value = plausible_return(DEFINITION, "NGO", "ES")
    contact = {key: item for key, item in value.items() if key.startswith("s0")}
    path = good(office, returns, value=contact)

    result = collect(run, office, path)

    assert result.exit_code == 1
    assert "no responde nada más que los datos de contacto" in result.output
    assert versions(office) == []


@needs_libreoffice
def test_an_untouched_questionnaire_resaved_by_libreoffice_is_still_empty(office, run, tmp_path):
    blank = shutil.copy(office / "issued/2018-12/ong-02.xlsx", tmp_path / "ong-02.xlsx")
    resaved = resaved_by_libreoffice([blank], tmp_path / "resaved", tmp_path / "profile")

    result = collect(run, office, resaved / "ong-02.xlsx")

    assert result.exit_code == 1
    assert "el cuestionario está sin rellenar" in result.output
    assert states(run, office)["ong-02"]["state"] == "empty"


# 3. An old round's file needs --round, and is then a late correction ---------------------


def test_an_old_round_file_needs_round_and_is_then_a_late_correction(office, returns, run):
    path = good(office, returns)
    assert collect(run, office, path).exit_code == 0
    newer = run("-w", office, "issue", "--round", "2019-06", "--agency", "ong-01",
                "--deadline", "2099-01-31")  # fmt: skip
    assert newer.exit_code == 0, newer.output
    set_cells(path, {"s2_svc_legal": 7})
    before = returns_state(office)

    refused = collect(run, office, path)

    assert refused.exit_code == 1
    assert (
        "es el cuestionario de la ronda 2018-12, anterior a la ronda en curso (2019-06)"
        in refused.output
    )
    assert "recójalo con --round 2018-12" in " ".join(refused.output.split())
    assert returns_state(office) == before
    assert states(run, office, "2019-06")["ong-01"]["state"] == "issued"

    late = collect(run, office, "--round", "2018-12", path)

    assert late.exit_code == 0, late.output
    assert "corrección tardía de la ronda 2018-12" in late.output
    assert versions(office) == [1, 2]


# 4. Rejected is not the same as never received: status and remind ----------------------


@pytest.fixture
def mixed(office, returns, run, tmp_path):
    """ong-01 rejected, ong-02 accepted with a warning, fiscalia empty, guardia-civil
    accepted, ccaa-an never heard from."""
    set_cells(good(office, returns, "ong-01"), {"s2_svc_legal": "aprox. 20"})
    set_cells(good(office, returns, "ong-02"), {"s2_svc_legal": "8"})
    shutil.copy(office / "issued/2018-12/fiscalia.xlsx", returns / "fiscalia.xlsx")
    good(office, returns, "guardia-civil")
    result = collect(run, office, "--feedback", returns)
    assert result.exit_code == 1  # some files were refused
    return office


def test_status_tells_each_state_apart(mixed, run):
    found = states(run, mixed)

    assert {agency: entry["state"] for agency, entry in found.items()} == {
        "ong-01": "rejected",
        "ong-02": "warnings",
        "fiscalia": "empty",
        "guardia-civil": "accepted",
        "ccaa-an": "issued",
    }
    assert [agency for agency, entry in found.items() if entry["returned"]] == [
        agency for agency in found if agency in ("ong-02", "guardia-civil")
    ]
    assert found["ong-01"]["refused"] is not None
    table = run("-w", mixed, "status", "--round", "2018-12").output
    lines = {agency: next(row for row in table.splitlines() if agency in row) for agency in found}
    assert "rechazada" in lines["ong-01"]
    assert "vacía" in lines["fiscalia"]
    assert "aceptada con avisos" in lines["ong-02"]
    assert "sin respuesta" in lines["ccaa-an"]


def drafts_in(folder):
    return {
        path.name: email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*.eml"))
    }


def test_remind_writes_a_draft_for_each_reason_and_attaches_the_feedback(mixed, run, tmp_path):
    out = tmp_path / "drafts"

    result = run("-w", mixed, "remind", "--round", "2018-12", "--out", out)

    assert result.exit_code == 0, result.output
    drafts = drafts_in(out)
    assert sorted(drafts) == ["ccaa-an.eml", "fiscalia.eml", "ong-01.eml"]
    rejected = drafts["ong-01.eml"].get_body(("plain",)).get_content()
    assert "pero no se ha podido archivar. Los principales problemas son" in rejected
    assert "Se encontró el texto «aprox. 20» donde se pide un número" in rejected
    assert "No hemos recibido" not in rejected
    [attachment] = list(drafts["ong-01.eml"].iter_attachments())
    assert attachment.get_content() == (mixed / "feedback/2018-12/ong-01.xlsx").read_bytes()
    assert "Les adjuntamos su propio archivo con las casillas a corregir marcadas" in rejected
    empty = drafts["fiscalia.eml"].get_body(("plain",)).get_content()
    assert "sin rellenar" in empty
    missing = drafts["ccaa-an.eml"].get_body(("plain",)).get_content()
    assert "No hemos recibido todavía su respuesta" in missing
    [blank] = list(drafts["ccaa-an.eml"].iter_attachments())
    assert blank.get_content() == (mixed / "issued/2018-12/ccaa-an.xlsx").read_bytes()
    log = tomllib.loads((out / "log.toml").read_text(encoding="utf-8"))
    assert sorted(entry["agency"] for entry in log["draft"]) == ["ccaa-an", "fiscalia", "ong-01"]


def test_remind_twice_writes_nothing_new_unless_asked_again(mixed, run, tmp_path):
    out = tmp_path / "drafts"
    run("-w", mixed, "remind", "--round", "2018-12", "--out", out)
    written = {path.name: path.read_bytes() for path in out.glob("*.eml")}

    second = run("-w", mixed, "remind", "--round", "2018-12", "--out", out)

    assert second.exit_code == 0, second.output
    assert second.output.count("ya redactado") == 3
    assert {path.name: path.read_bytes() for path in out.glob("*.eml")} == written

    again = run("-w", mixed, "remind", "--round", "2018-12", "--out", out, "--again")

    assert again.exit_code == 0
    assert {"ong-01-2.eml", "fiscalia-2.eml", "ccaa-an-2.eml"} <= set(drafts_in(out))
    assert all(out.joinpath(name).read_bytes() == data for name, data in written.items())


def test_a_corrected_return_takes_the_agency_off_the_reminders(mixed, returns, run, tmp_path):
    set_cells(returns / "ong-01.xlsx", {"s2_svc_legal": 7})
    assert collect(run, mixed, returns / "ong-01.xlsx").exit_code == 0
    assert states(run, mixed)["ong-01"]["state"] == "accepted"

    run("-w", mixed, "remind", "--round", "2018-12", "--out", tmp_path / "drafts")

    assert "ong-01.eml" not in drafts_in(tmp_path / "drafts")


# 5. A breakdown left partly blank below its total ----------------------------------------


def partial_victims(total, cells):
    value = plausible_return(DEFINITION, "LEA_STATE", "ES")
    victims = value["s1_identified_victims_thb"]
    victims["total"] = total
    for sex in victims["sex_age"].values():
        for age in sex:
            sex[age] = None
    for (sex, age), count in cells.items():
        victims["sex_age"][sex][age] = count
    del victims["form_sex"], victims["citizenship_sex"]
    return value


def test_a_breakdown_partly_filled_below_its_total_is_a_warning_naming_it(office, returns, run):
    value = partial_victims(35, {("F", "Y26_35"): 20, ("M", "Y26_35"): 10})
    path = good(office, returns, "guardia-civil", value=value)

    result = collect(run, office, path)

    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "está a medias: sus casillas suman 30 y el total indicado es 35; faltan 5" in text
    assert "sexo y edad" in text.lower()


def test_a_breakdown_above_its_total_is_still_an_error(office, returns, run):
    value = partial_victims(25, {("F", "Y26_35"): 20, ("M", "Y26_35"): 10})
    path = good(office, returns, "guardia-civil", value=value)

    result = collect(run, office, path)

    assert result.exit_code == 1
    assert "suma 30, más que el total indicado (25)" in result.output


# 6. What is typed outside the input cells ------------------------------------------------


def label_beside(path, name):
    workbook = openpyxl.load_workbook(path)
    cell = cell_at(workbook, name)
    return workbook, cell.parent.cell(cell.row, 1)


def test_a_note_typed_beside_a_figure_is_quoted_and_the_return_accepted(office, returns, run):
    path = good(office, returns)
    workbook = openpyxl.load_workbook(path)
    figure = cell_at(workbook, "s2_svc_legal")
    note = figure.parent.cell(figure.row, figure.column + 3)
    note.value = "dato estimado"
    workbook.save(path)

    result = collect(run, office, path)

    assert result.exit_code == 0, result.output
    assert "se ha escrito «dato estimado» fuera de las casillas de respuesta" in result.output
    assert f"celda {note.coordinate}" in result.output


def test_a_changed_label_is_refused_quoting_both_texts(office, returns, run):
    path = good(office, returns)
    workbook, label = label_beside(path, "s2_svc_legal")
    old = label.value
    label.value = "Personas con asistencia jurídica (incluye consultas telefónicas)"
    workbook.save(path)
    before = returns_state(office)

    result = collect(run, office, path)

    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert f"decía «{old}» y ahora dice «{label.value}»" in text
    assert f"celda {label.coordinate}" in text
    assert returns_state(office) == before


def test_an_extra_sheet_is_named_with_what_it_holds(office, returns, run):
    path = good(office, returns)
    workbook = openpyxl.load_workbook(path)
    workbook.create_sheet("Notas")["A1"] = "Las cifras de junio son provisionales"
    workbook.save(path)

    result = collect(run, office, path)

    assert result.exit_code == 0, result.output
    assert "se ha añadido la hoja «Notas» (Las cifras de junio son provisionales)" in (
        " ".join(result.output.split())
    )


def test_a_merged_range_over_an_input_is_refused_at_the_cell(office, returns, run):
    path = good(office, returns)
    workbook = openpyxl.load_workbook(path)
    figure = cell_at(workbook, "s2_svc_legal")
    figure.parent.merge_cells(
        start_row=figure.row, start_column=figure.column - 1, end_row=figure.row,
        end_column=figure.column,
    )  # fmt: skip
    workbook.save(path)

    result = collect(run, office, path)

    assert result.exit_code == 1
    assert "se han combinado celdas sobre una casilla de respuesta" in result.output
    assert f"celda {figure.coordinate}" in result.output


# 7. Rows moved by a program that leaves the names behind ---------------------------------


def test_rows_inserted_without_the_names_following_are_refused_not_misread(office, returns, run):
    path = good(office, returns)
    workbook = openpyxl.load_workbook(path)
    figure = cell_at(workbook, "s2_svc_legal")
    figure.parent.insert_rows(figure.row - 2)  # openpyxl moves the cells, not the names
    workbook.save(path)
    before = returns_state(office)

    result = collect(run, office, path)

    assert result.exit_code == 1
    assert "se ha cambiado el texto del cuestionario" in result.output
    assert returns_state(office) == before


# 8. A questionnaire replaced, or issued for the agency's former kind ---------------------


def test_a_questionnaire_replaced_with_force_is_named_as_superseded(office, returns, run, tmp_path):
    old = good(office, returns)
    reissued = run("-w", office, "issue", "--round", "2018-12", "--agency", "ong-01", "--force")
    assert reissued.exit_code == 0, reissued.output
    row = next(line for line in reissued.output.splitlines() if "ong-01.xlsx" in line)
    assert row.split("│")[-2].strip() == "sí"  # the Reemisión column, in Spanish
    before = returns_state(office)

    result = collect(run, office, old)

    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "es el cuestionario nº 1 de ong-01 para la ronda 2018-12, sustituido el" in text
    assert "por el nº 2" in text
    assert returns_state(office) == before
    assert states(run, office)["ong-01"]["state"] == "superseded"
    new = good(office, returns, name="nuevo.xlsx")
    assert collect(run, office, new).exit_code == 0


def test_a_questionnaire_of_the_agency_former_kind_is_named_as_superseded(office, returns, run):
    old = good(office, returns)
    registry = office / "agencies.toml"
    text = registry.read_text(encoding="utf-8")
    start = text.index('id = "ong-01"')
    end = text.index("[[agency]]", start) if "[[agency]]" in text[start:] else len(text)
    registry.write_text(
        text[:start] + text[start:end].replace('kind = "NGO"', 'kind = "FISC"') + text[end:],
        encoding="utf-8",
    )
    reissued = run("-w", office, "issue", "--round", "2018-12", "--agency", "ong-01", "--force")
    assert reissued.exit_code == 0, reissued.output

    result = collect(run, office, old)

    assert result.exit_code == 1
    assert "sustituido el" in result.output and "por el nº 2" in result.output


# 9. Smaller ------------------------------------------------------------------------------


def test_an_edited_version_is_named_as_an_edit_not_as_damage(office, returns, run):
    path = good(office, returns)
    set_metadata(path, version=7)

    result = collect(run, office, path)

    assert result.exit_code == 1
    assert f"(version: {DEFINITION.version} → 7)" in result.output
    assert "dañado" not in result.output


def test_every_deleted_sheet_is_named_in_one_message(office, returns, run):
    path = good(office, returns)
    workbook = openpyxl.load_workbook(path)
    gone = [workbook.sheetnames[2], workbook.sheetnames[4]]
    for title in gone:
        del workbook[title]
    workbook.save(path)

    result = collect(run, office, path)

    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert f"faltan 2 hojas: «{gone[0]}», «{gone[1]}»" in text


@needs_libreoffice
def test_a_formula_in_an_input_is_read_with_a_warning_naming_it(office, returns, run, tmp_path):
    path = good(office, returns)
    where = set_cells(path, {"s2_svc_legal": "=2+3"})
    resaved = resaved_by_libreoffice([path], tmp_path / "resaved", tmp_path / "profile")

    result = collect(run, office, resaved / "ong-01.xlsx")

    assert result.exit_code == 0, result.output
    assert "La celda tiene una fórmula (=2+3) en lugar de un dato escrito" in (
        " ".join(result.output.split())
    )
    assert for_people(where["s2_svc_legal"]) in result.output
    assert Archive(office / "archive").current_return(ROUND, "ong-01")["s2_svc_legal"] == 5


def test_numbers_and_dates_in_a_text_field_are_archived_as_the_clerk_sees_them(
    office, returns, run
):
    import datetime

    path = good(office, returns)
    set_cells(path, {"s0_contact_name": 12345678901234567890.0})
    result = collect(run, office, path)
    assert result.exit_code == 0, result.output
    archived = Archive(office / "archive").current_return(ROUND, "ong-01")
    assert archived["s0_contact_name"] == "1,23456789012346E+19"

    set_cells(path, {"s0_contact_name": datetime.datetime(2018, 3, 1)})
    collect(run, office, path)
    assert Archive(office / "archive").current_return(ROUND, "ong-01")["s0_contact_name"] == (
        "01/03/2018"
    )


def test_a_choice_label_in_decomposed_unicode_is_recognised(office, returns, run):
    path = good(office, returns)
    workbook = openpyxl.load_workbook(path)
    code = plausible_return(DEFINITION, "NGO", "ES")["s4_data_quality"]
    typed = cell_at(workbook, "s4_data_quality").value
    workbook.close()
    decomposed = unicodedata.normalize("NFD", typed)
    set_cells(path, {"s4_data_quality": decomposed})

    result = collect(run, office, path)

    assert result.exit_code == 0, result.output
    assert Archive(office / "archive").current_return(ROUND, "ong-01")["s4_data_quality"] == code


def test_a_folder_without_workbooks_and_other_files_are_named(office, returns, run, tmp_path):
    empty = tmp_path / "vacía"
    empty.mkdir()
    (empty / "carta.pdf").write_bytes(b"%PDF-1.4")
    mixed = tmp_path / "correo"
    good(office, mixed)
    (mixed / "notas.txt").write_text("hola", encoding="utf-8")
    (mixed / "oficio.docx").write_bytes(b"PK")

    nothing = collect(run, office, empty)
    assert nothing.exit_code != 0
    assert "la carpeta no contiene ninguna hoja de cálculo (.xlsx)" in nothing.output
    assert "no existe ningún archivo" not in nothing.output

    some = collect(run, office, mixed)
    assert some.exit_code == 0, some.output
    text = " ".join(some.output.split())
    assert "No se han leído 2 archivos" in text
    assert "notas.txt" in text and "oficio.docx" in text


# The signing key -------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_key_is_private_and_a_readable_key_is_warned_about(office, run):
    key = office / "secret.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    quiet = run("-w", office, "status")
    assert "chmod 600" not in quiet.output

    key.chmod(0o644)
    warned = run("-w", office, "status")

    assert warned.exit_code == 0
    assert "otros usuarios de este equipo pueden leer la clave" in warned.output
    assert f"chmod 600 {key}" in " ".join(warned.output.split())


def test_an_edited_agency_name_on_the_cover_is_refused(office, returns, run):
    path = good(office, returns)
    workbook = openpyxl.load_workbook(path)
    cover = workbook.worksheets[0]
    [name] = [row[1] for row in cover.iter_rows(max_col=2) if row[0].value == "Organismo"]
    original = name.value
    name.value = "Entidad especializada 02 (de ámbito estatal)"
    workbook.save(path)

    result = collect(run, office, path)

    assert result.exit_code == 1
    assert f"decía «{original}» y ahora dice «{name.value}»" in " ".join(result.output.split())
    assert f"celda {name.coordinate}" in result.output
