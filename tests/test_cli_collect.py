"""`rapporteur collect` through the CLI: decisions, messages with their cells, the archive
left untouched by every rejected file, feedback workbooks, machine-readable reports."""

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from plausible import plausible_return
from returns import (
    DEFINITION,
    cell_at,
    filled,
    needs_libreoffice,
    resaved_by_libreoffice,
    set_cells,
    set_metadata,
)

from rapporteur.archive import Archive, NewReturn
from rapporteur.rounds import Round
from rapporteur.workspace import open_workspace

ROUND = Round(2018, 12)
AGENCIES = {"ong-01": "NGO", "ong-02": "NGO", "fiscalia": "FISC", "ccaa-an": "CCAA",
            "guardia-civil": "LEA_STATE"}  # fmt: skip


def issued(workspace, run):
    """The workspace with round 2018-12 issued to AGENCIES."""
    arguments = [item for agency in AGENCIES for item in ("--agency", agency)]
    result = run("-w", workspace, "issue", "--round", "2018-12", "--deadline", "2099-01-31",
                 *arguments)  # fmt: skip
    assert result.exit_code == 0, result.output
    return workspace


@pytest.fixture
def office(workspace, run):
    return issued(workspace, run)


@pytest.fixture
def returns(tmp_path):
    return tmp_path / "returns"


def collect(run, office, *args):
    return run("-w", office, "collect", *map(str, args), "--jobs", "1")


def archive_state(office: Path) -> dict[str, bytes]:
    root = office / "archive"
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith(".lock")
    }


def returns_state(office: Path) -> dict[str, bytes]:
    """The archived return versions alone: what a refused file must never change."""
    return {name: data for name, data in archive_state(office).items() if "/returns/" in name}


def receipts(office: Path, agency: str = "ong-01") -> list[dict]:
    return [
        stored.header | stored.body
        for stored in Archive(office / "archive").receipts(ROUND, agency)
    ]


def as_json(result):
    return {Path(record["file"]).name: record for record in json.loads(result.stdout)}


def good(office, returns, agency="ong-01", **kwargs):
    region = "ES-AN" if AGENCIES[agency] == "CCAA" else "ES"
    return filled(office, agency, AGENCIES[agency], returns, region=region, **kwargs)


def test_good_returns_of_several_kinds_are_archived_exactly_as_typed(office, returns, run):
    for agency in AGENCIES:
        good(office, returns, agency)

    result = collect(run, office, returns)

    assert result.exit_code == 0, result.output
    assert "5 archivos: 5 aceptados, 0 sin cambios, 0 rechazados" in result.output
    archive = Archive(office / "archive")
    for agency, kind in AGENCIES.items():
        region = "ES-AN" if kind == "CCAA" else "ES"
        assert archive.current_return(ROUND, agency) == plausible_return(DEFINITION, kind, region)
    assert run("-w", office, "archive", "verify").exit_code == 0


def test_recollecting_is_unchanged_and_a_correction_becomes_v2(office, returns, run):
    path = good(office, returns)
    collect(run, office, path)
    before = archive_state(office)

    again = collect(run, office, "--format", "json", path)

    assert again.exit_code == 0
    assert as_json(again)["ong-01.xlsx"]["decision"] == "unchanged"
    assert archive_state(office) == before

    where = set_cells(path, {"s2_svc_legal": 7})
    corrected = collect(run, office, "--format", "json", path)
    record = as_json(corrected)["ong-01.xlsx"]
    assert (record["decision"], record["version"]) == ("accepted", 2)
    diff = run("-w", office, "archive", "diff", "2018-12", "ong-01")
    assert "s2_svc_legal" in diff.output and "Personas con asistencia jurídica" in diff.output
    assert where["s2_svc_legal"].startswith("2 Asistencia!")


def for_people(where: str) -> str:
    """'2 Asistencia!B67' as messages write it: the sheet quoted, so 2 reads as a name."""
    sheet, cell = where.split("!")
    return f"hoja «{sheet}», celda {cell}"


@pytest.mark.parametrize(
    ("name", "typed", "expected"),
    [
        ("s2_svc_legal", "aprox. 20", "Se encontró el texto «aprox. 20» donde se pide un número"),
        ("s2_svc_legal", "n/d", "Se encontró el texto «n/d» donde se pide un número"),
        ("s2_svc_legal", "12,5", "Se encontró el texto «12,5»: un número con coma decimal"),
        ("s2_svc_legal", "1,200",
         "Se encontró el texto «1,200»: con ese separador puede ser 1.200 o 1,2."),
        ("s2_svc_legal", "1.200",
         "Se encontró el texto «1.200»: con ese separador puede ser 1.200 o 1,2."),
        ("s2_svc_legal", "-1,200",
         "Se encontró el texto «-1,200»: con ese separador puede ser -1.200 o -1,2."),
        ("s2_svc_legal", "1 234", "una cifra escrita como texto con separador de miles. "
         "Escríbala como número, sin el separador: 1234."),
        ("s4_budget_planned_eur", "1.234,50", "sin el separador: 1234,50."),
        ("s2_svc_legal", 12.5, "Se esperaba un número entero y se encontró 12,5"),
        ("s2_svc_legal", True, "Se encontró un valor lógico (VERDADERO)"),
        ("s2_svc_legal", 100_001, "100.001 está fuera del intervalo permitido (0 a 100.000)"),
        ("s2_svc_legal", "#REF!", "La celda muestra un error (#REF!)"),
        ("s2_svc_legal", "=B5*2", "La celda tiene una fórmula (=B5*2) sin valor calculado"),
        ("s1_recruitment_methods__AtWork", "sí",
         "Se encontró «sí»; para marcar esta opción escriba X"),
        ("s3_campaigns__start", "01/03/2018",
         "Se encontró el texto «01/03/2018» donde se pide una fecha"),
        ("s4_data_quality", "Regular",
         "«Regular» no es uno de los valores de la lista «Calidad de los datos»"),
        ("s0_contact_email", "maria arroba ong", "«maria arroba ong» no tiene el formato esperado"),
    ],
)  # fmt: skip
def test_each_cell_problem_rejects_with_its_cell_label_and_message(
    office, returns, run, name, typed, expected
):
    path = good(office, returns)
    where = set_cells(path, {name: typed})
    before = returns_state(office)

    result = collect(run, office, path)

    assert result.exit_code == 1
    assert "rechazada" in result.output
    # Problems wrap between words at the terminal's width.
    words = " ".join(result.output.split())
    assert f"Error {for_people(where[name])}" in words
    assert " ".join(expected.split()) in words
    assert returns_state(office) == before
    [receipt] = receipts(office)
    assert receipt["decision"] == "rejected"
    assert any(expected in problem["message"]["es"] for problem in receipt["problems"])


def test_a_whole_number_stored_as_text_is_accepted_with_a_warning(office, returns, run):
    path = good(office, returns)
    where = set_cells(path, {"s2_svc_legal": " 7 "})
    result = collect(run, office, path)
    assert result.exit_code == 0, result.output
    assert f"Aviso {for_people(where['s2_svc_legal'])}" in result.output
    assert "El número 7 estaba guardado como texto" in result.output
    assert Archive(office / "archive").current_return(ROUND, "ong-01")["s2_svc_legal"] == 7


def test_stray_spaces_in_text_are_trimmed(office, returns, run):
    path = good(office, returns)
    set_cells(path, {"s0_contact_name": "  María López  "})
    assert collect(run, office, path).exit_code == 0
    stored = Archive(office / "archive").current_return(ROUND, "ong-01")
    assert stored["s0_contact_name"] == "María López"


def test_a_country_picked_from_an_older_list_is_read_by_its_code(office, returns, run):
    path = good(office, returns)
    set_cells(path, {"s1_country_of_recruitment__country": "MA – Morocco",  # before CLDR
                     "s1_country_of_recruitment__victims": 3})  # fmt: skip
    set_cells(path, {"s1_country_of_recruitment__country": "XQ – Marruecos"}, offset=1)
    set_cells(path, {"s1_country_of_recruitment__victims": 1}, offset=1)

    result = collect(run, office, path)

    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "«XQ – Marruecos» no es uno de los valores de la lista" in said
    set_cells(path, {"s1_country_of_recruitment__country": None,
                     "s1_country_of_recruitment__victims": None}, offset=1)  # fmt: skip
    assert collect(run, office, path).exit_code == 0
    rows = Archive(office / "archive").current_return(Round(2018, 12), "ong-01")
    assert rows["s1_country_of_recruitment"][0] == {"country": "MA", "victims": 3}


def test_a_breakdown_not_adding_up_points_at_its_block(office, returns, run):
    path = good(office, returns, "guardia-civil")
    where = set_cells(path, {"s1_identified_victims_thb__sex_age__M__Y26_35": 3})
    result = collect(run, office, path)
    assert result.exit_code == 1
    assert "suma 13, más que el total indicado (10)" in result.output
    assert "Error hoja «1 Tendencias», celda B" in result.output
    workbook = openpyxl.load_workbook(path)
    first = cell_at(workbook, "s1_identified_victims_thb__sex_age__F__Y0_11")
    assert f"hoja «1 Tendencias», celda {first.coordinate}" in result.output
    # The problem is the block's, not the cell typed into: it points at the block's start.
    assert for_people(where["s1_identified_victims_thb__sex_age__M__Y26_35"]) not in result.output


def test_a_large_change_against_last_year_is_a_warning(office, returns, run):
    previous = plausible_return(DEFINITION, "NGO")
    previous["s2_svc_legal"] = 40
    with open_workspace(office).archive().writing() as session:
        session.record_return(
            Round(2017, 12), NewReturn("ong-01", "NGO", 1, previous, "x.xlsx", "0" * 64)
        )
    result = collect(run, office, good(office, returns))
    assert result.exit_code == 0
    assert (
        "Cambio grande respecto de la misma ronda del año anterior: 40 → 10 (-75,0\u00a0%)"
        in result.output
    )
    assert "aceptada" in result.output


def test_a_return_for_another_round_is_rejected_when_a_round_is_given(office, returns, run):
    path = good(office, returns)
    result = collect(run, office, "--round", "2019-06", path)
    assert result.exit_code == 1
    assert "es el cuestionario de la ronda 2018-12, no de la ronda 2019-06" in result.output


def test_edited_metadata_is_rejected_naming_what_changed(office, returns, run):
    path = good(office, returns)
    set_metadata(path, agency="ong-02")
    before = archive_state(office)
    result = collect(run, office, path)
    assert result.exit_code == 1
    assert (
        "los datos de identificación del cuestionario se han modificado (agency: ong-01 → ong-02)"
        in result.output
    )
    assert archive_state(office) == before

    other = good(office, returns, "ong-02", name="round.xlsx")
    set_metadata(other, round="2017-12")
    result = collect(run, office, other)
    assert "(round: 2018-12 → 2017-12)" in result.output


def test_a_removed_signature_is_rejected(office, returns, run):
    path = good(office, returns)
    set_metadata(path, signature="")
    result = collect(run, office, path)
    assert result.exit_code == 1
    assert "se han modificado o falta su firma" in result.output


def test_an_agency_removed_from_the_registry_is_rejected(office, returns, run):
    path = good(office, returns, "ong-02")
    run("-w", office, "agencies", "remove", "ong-02")
    result = collect(run, office, path)
    assert result.exit_code == 1
    assert "el organismo «ong-02» no está en el registro" in result.output


def test_a_changed_layout_is_rejected(office, returns, run):
    path = good(office, returns)
    workbook = openpyxl.load_workbook(path)
    del workbook.defined_names["s2_svc_legal"]
    workbook.save(path)
    result = collect(run, office, path)
    assert result.exit_code == 1
    assert "se ha cambiado la estructura del cuestionario" in result.output
    assert "s2_svc_legal" in result.output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "el archivo está vacío"),
        (b"\x00\x01garbage" * 100, "no es una hoja de cálculo .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "formato antiguo de Excel (.xls)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
         "está protegido con contraseña"),
        (b"agency;victims\nong-01;3\n", "no es una hoja de cálculo .xlsx"),
        (b"PK\x03\x04 truncated zip", "está dañado"),
    ],
)  # fmt: skip
def test_files_that_are_not_workbooks_are_rejected_clearly(office, returns, run, content, expected):
    returns.mkdir()
    (returns / "return.xlsx").write_bytes(content)
    result = collect(run, office, returns / "return.xlsx")
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output


def test_an_ods_and_a_foreign_spreadsheet_are_rejected(office, returns, run, tmp_path):
    returns.mkdir()
    with zipfile.ZipFile(returns / "return.ods", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    openpyxl.Workbook().save(returns / "plain.xlsx")
    result = collect(run, office, returns)
    assert "formato OpenDocument (.ods)" in result.output
    assert "no uno de nuestros cuestionarios" in result.output


def test_one_bad_file_never_stops_the_others(office, returns, run):
    good(office, returns, "ong-01")
    (returns / "broken.xlsx").write_bytes(b"not a workbook")
    good(office, returns, "fiscalia")
    result = collect(run, office, "--format", "json", returns)
    records = as_json(result)
    assert result.exit_code == 1
    assert records["ong-01.xlsx"]["decision"] == "accepted"
    assert records["fiscalia.xlsx"]["decision"] == "accepted"
    assert records["broken.xlsx"]["decision"] == "rejected"


def test_the_same_file_twice_is_processed_once(office, returns, run):
    path = good(office, returns)
    shutil.copy(path, returns / "copy of ong-01.xlsx")
    result = collect(run, office, "--format", "json", returns)
    records = as_json(result)
    decisions = sorted(record["decision"] for record in records.values())
    assert decisions == ["accepted", "unchanged"]
    # Folders are read in name order: the copy comes first and is the one processed.
    assert {name: record["note"] for name, record in records.items()} == {
        "copy of ong-01.xlsx": None,
        "ong-01.xlsx": "mismo contenido que copy of ong-01.xlsx; se ha tratado una sola vez",
    }
    assert len(Archive(office / "archive").return_versions(ROUND, "ong-01")) == 1


def test_two_different_files_for_one_agency_are_both_rejected(office, returns, run):
    good(office, returns, name="ong-01 a.xlsx")
    second = good(office, returns, name="ong-01 b.xlsx")
    set_cells(second, {"s2_svc_legal": 9})
    before = archive_state(office)
    result = collect(run, office, returns)
    assert result.exit_code == 1
    rivals = "hay más de un archivo distinto de ong-01 para la ronda 2018-12"
    assert result.output.count(f"{rivals} (ong-01 a.xlsx, ong-01 b.xlsx)") == 2
    assert returns_state(office) == {k: v for k, v in before.items() if "/returns/" in k}
    assert [receipt["source_file"] for receipt in receipts(office)] == [
        "ong-01 a.xlsx", "ong-01 b.xlsx"
    ]  # fmt: skip


def test_dry_run_writes_nothing(office, returns, run):
    good(office, returns)
    before = archive_state(office)
    result = collect(run, office, "--dry-run", "--feedback", returns)
    assert result.exit_code == 0
    assert "no se ha escrito nada en el archivo histórico" in result.output
    assert archive_state(office) == before
    assert not (office / "feedback").exists()


def test_patterns_and_folders_are_expanded_by_the_tool(office, returns, run, monkeypatch):
    good(office, returns, "ong-01")
    good(office, returns, "ong-02")
    monkeypatch.chdir(returns.parent)
    result = collect(run, office, "returns/ong-*.xlsx", "--format", "json")
    assert sorted(as_json(result)) == ["ong-01.xlsx", "ong-02.xlsx"]
    missing = collect(run, office, "nothing/*.xlsx")
    assert missing.exit_code == 1
    assert "no existe ningún archivo con ese nombre o patrón" in missing.output


def test_feedback_marks_each_problem_cell_with_a_comment(office, returns, run):
    path = good(office, returns)
    where = set_cells(path, {"s2_svc_legal": "aprox. 20", "s2_svc_health": " 7 "})
    result = collect(run, office, "--feedback", path)
    assert result.exit_code == 1
    feedback = office / "feedback" / "2018-12" / "ong-01.xlsx"
    assert str(feedback) in result.output
    workbook = openpyxl.load_workbook(feedback)
    assert workbook.sheetnames[0] == "Problemas"
    listing = [
        row for row in workbook["Problemas"].iter_rows(min_row=5, values_only=True) if row[0]
    ]
    assert ("Error", *where["s2_svc_legal"].split("!")) == listing[0][:3]
    assert listing[0][3] == "Personas con asistencia jurídica"
    sheet, cell = where["s2_svc_legal"].split("!")
    marked = workbook[sheet][cell]
    assert marked.fill.fgColor.rgb == "00FFC7CE"
    assert "Se encontró el texto «aprox. 20»" in marked.comment.text
    sheet, cell = where["s2_svc_health"].split("!")
    assert workbook[sheet][cell].fill.fgColor.rgb == "00FFEB9C"
    assert "guardado como texto" in workbook[sheet][cell].comment.text
    link = workbook["Problemas"]["C5"].hyperlink
    assert link.location == f"'{sheet}'!{where['s2_svc_legal'].split('!')[1]}"


def test_feedback_shows_a_refused_figure_as_it_was_typed(office, returns, run):
    path = good(office, returns)
    where = set_cells(path, {"s2_svc_legal": 12.5})
    result = collect(run, office, "--feedback", path)
    assert result.exit_code == 1, result.output
    workbook = openpyxl.load_workbook(office / "feedback" / "2018-12" / "ong-01.xlsx")
    sheet, cell = where["s2_svc_legal"].split("!")
    marked = workbook[sheet][cell]
    assert marked.value == 12.5
    assert marked.number_format == "General"  # not #,##0, which would show 13
    assert "12,5" in marked.comment.text


def test_a_corrected_feedback_workbook_is_accepted(office, returns, run):
    path = good(office, returns)
    set_cells(path, {"s2_svc_legal": "aprox. 20"})
    collect(run, office, "--feedback", path)
    corrected = office / "feedback" / "2018-12" / "ong-01.xlsx"
    set_cells(corrected, {"s2_svc_legal": 8})
    result = collect(run, office, corrected)
    assert result.exit_code == 0, result.output
    assert Archive(office / "archive").current_return(ROUND, "ong-01")["s2_svc_legal"] == 8


def test_feedback_for_an_english_questionnaire_is_in_english(office, returns, run):
    run(
        "-w", office, "issue", "--round", "2018-12", "--agency", "ong-02", "--lang", "en", "--force"
    )
    path = good(office, returns, "ong-02")
    set_cells(path, {"s2_svc_legal": "about 20"})
    collect(run, office, "--feedback", path)
    workbook = openpyxl.load_workbook(office / "feedback" / "2018-12" / "ong-02.xlsx")
    assert workbook.sheetnames[0] == "Problems"


def test_json_csv_and_report_file(office, returns, run, tmp_path):
    path = good(office, returns)
    set_cells(path, {"s2_svc_legal": "aprox. 20"})
    as_csv = collect(run, office, "--format", "csv", "--report", tmp_path / "report.json", path)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert rows[0]["decision"] == "rejected" and rows[0]["field"] == "s2_svc_legal"
    assert rows[0]["code"] == "cell-text-in-number"
    report = json.loads((tmp_path / "report.json").read_text())
    assert report[0]["problems"][0]["cell"] == rows[0]["cell"]
    assert report[0]["sha256"]


def test_jobs_2_and_jobs_1_give_identical_archives(workspace, tmp_path, run):
    from rapporteur.archive import from_sections

    contents = []
    for jobs in ("1", "2"):
        office = tmp_path / f"office-{jobs}"
        shutil.copytree(workspace, office)
        arguments = [item for agency in AGENCIES for item in ("--agency", agency)]
        run("-w", office, "issue", "--round", "2018-12", "--deadline", "2099-01-31", *arguments)
        folder = tmp_path / f"returns-{jobs}"
        for agency in AGENCIES:
            good(office, folder, agency)
        # Two files for one agency (both refused), and a file with an error.
        good(office, folder, "ong-02", name="ong-02 otra.xlsx", value=plausible_return(
            DEFINITION, "NGO") | {"s2_svc_legal": 9})  # fmt: skip
        set_cells(good(office, folder, "ong-01", name="z.xlsx"), {"s2_svc_legal": "n/d"})
        result = run("-w", office, "collect", str(folder), "--jobs", jobs)
        assert result.exit_code == 1, result.output
        archive = Archive(office / "archive")
        view = archive.consolidated(ROUND).body
        contents.append({
            "returns": {agency: (entry["version"], from_sections(entry["data"]))
                        for agency, entry in view["returns"].items()},
            "refused": {agency: (entry["version"], entry["decision"])
                        for agency, entry in view["refused"].items()},
            "versions": {agency: from_sections(archive.return_versions(ROUND, agency)[-1].body)
                         for agency in view["returns"]},
        })  # fmt: skip
    assert contents[0] == contents[1]
    assert "ong-02" not in contents[0]["returns"] and "ong-01" not in contents[0]["returns"]
    assert contents[0]["refused"] == {"ong-02": (2, "rejected"), "ong-01": (2, "rejected")}
    assert len(contents[0]["returns"]) == len(AGENCIES) - 2


@needs_libreoffice
def test_returns_resaved_by_libreoffice_are_collected_with_identical_values(
    office, returns, run, tmp_path
):
    for agency in ("ong-01", "fiscalia", "ccaa-an"):
        good(office, returns, agency)
    resaved = resaved_by_libreoffice(
        sorted(returns.iterdir()), tmp_path / "resaved", tmp_path / "profile"
    )
    result = collect(run, office, resaved)
    assert result.exit_code == 0, result.output
    archive = Archive(office / "archive")
    for agency in ("ong-01", "fiscalia", "ccaa-an"):
        region = "ES-AN" if agency == "ccaa-an" else "ES"
        assert archive.current_return(ROUND, agency) == plausible_return(
            DEFINITION, AGENCIES[agency], region
        )


@needs_libreoffice
def test_a_formula_typed_by_the_clerk_is_read_as_its_computed_value(office, returns, run, tmp_path):
    path = good(office, returns)
    set_cells(path, {"s2_svc_legal": "=2+3"})
    resaved = resaved_by_libreoffice([path], tmp_path / "resaved", tmp_path / "profile")
    result = collect(run, office, resaved)
    assert result.exit_code == 0, result.output
    assert Archive(office / "archive").current_return(ROUND, "ong-01")["s2_svc_legal"] == 5


def test_a_registry_changed_between_two_collects_is_read_again(office, returns, run):
    first = good(office, returns, "ong-01")
    assert collect(run, office, first).exit_code == 0
    run("-w", office, "agencies", "remove", "ong-02")
    result = collect(run, office, good(office, returns, "ong-02"))
    assert result.exit_code == 1
    assert "el organismo «ong-02» no está en el registro" in result.output
