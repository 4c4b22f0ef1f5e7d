"""`rapporteur demo` as a newcomer runs it, and the example office it runs on."""

import email
import email.policy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
from conftest import PROJECT, run_subprocess

from rapporteur.definition import kind_label, load_definition
from rapporteur.messages import LANGUAGES
from rapporteur.workbook.reader import read_questionnaire


def summary(office: Path, *args: str) -> dict:
    result = run_subprocess("-w", office, "summary", "--format", "json", *args, cwd=office)
    assert result.returncode == 0, result.stderr
    return {table["id"]: table for table in json.loads(result.stdout)["tables"]}


def rows(table: dict) -> dict:
    return {row["key"]: row["values"] for row in table["rows"]}


def test_the_demo_runs_the_whole_cycle(demo):
    office, result = demo
    assert result.returncode == 0, result.stderr[-2000:]
    output = result.stdout
    for command in (
        "$ rapporteur issue --round 2018-12",
        "$ rapporteur collect",
        "$ rapporteur status",
        "$ rapporteur summary --round 2018-06 --by-region",
        "$ rapporteur archive import",
        "$ rapporteur report --round 2018-06 --publish -o informe-2018-06.html",
        "$ rapporteur report --round 2018-06 -o informe-2018-06.docx",
        "$ rapporteur questionnaire diff v1 v2",
        "$ rapporteur issue --round 2019-06",
        "$ rapporteur archive verify",
    ):
        assert command in output
    assert "44 archivos: 39 aceptados, 0 sin cambios, 5 rechazados" in output
    assert "6 archivos: 6 aceptados" in output
    assert "Archivo histórico íntegro" in output
    assert "Demostración completa" in output and str(office) in output
    assert (office / "resumen-2018-12.xlsx").is_file()
    # The year 2017's report: the edition for publication, and the internal one to edit.
    page = (office / "informe-2018-06.html").read_text(encoding="utf-8")
    assert "Informe sobre la trata de seres humanos: ronda 2018-06" in page
    assert "Edición para publicar" in page
    assert (office / "informe-2018-06.docx").read_bytes()[:2] == b"PK"
    status = json.loads(
        run_subprocess(
            "-w", office, "status", "--round", "2018-12", "--format", "json", cwd=office
        ).stdout
    )
    # A marked copy for every file with a problem: the two refused, those with warnings.
    warned = {agency["agency"] for agency in status["agencies"] if agency["warnings"]}
    assert {path.stem for path in (office / "feedback" / "2018-12").iterdir()} == warned | {
        "ccaa-mc",
        "ong-08",
    }


def test_the_demo_issues_each_round_on_its_day_so_no_deadline_has_passed(demo):
    output = " ".join(demo[1].stdout.split())
    assert "(plazo: 31/12/2018)" in output
    # A warning telling the user to choose another deadline would ask what a demo cannot.
    assert "ya ha pasado" not in output


def test_the_demo_shows_each_kind_of_mistake(demo):
    output = " ".join(demo[1].stdout.split())
    assert "Se encontró el texto «aprox. 20» donde se pide un número" in output
    assert "menos que el total indicado (53)" in output
    assert "es el cuestionario de la ronda 2018-06, no de la ronda 2018-12" in output
    assert "(agency: ong-10 → ong-12)" in output
    assert "ong-11.xls: está guardado en el formato antiguo de Excel (.xls)" in output


def test_the_readme_quotes_the_problem_the_demo_really_reports(demo):
    """The README's example of a refused return names a sheet and cell: the ones the demo
    reports for the same return, whatever the questionnaire's layout."""
    readme = " ".join((PROJECT / "README.md").read_text(encoding="utf-8").split())
    quoted = re.search(r"Error hoja «[^»]+», celda [A-Z]+[0-9]+ \([^)]+\)", readme)
    assert quoted is not None
    assert quoted.group(0) in " ".join(demo[1].stdout.split())


def test_the_demo_shows_a_rejected_agency_reminded_then_corrected_and_a_stale_file_refused(
    demo,
):
    office, result = demo
    output = " ".join(result.stdout.split())
    assert (
        "ong-02.xlsx: es la versión 1 de la respuesta de ong-02, ya archivada; "
        "la versión 2 es posterior" in output
    )
    assert "│ ccaa-mc │ rechazada │ ccaa-mc@example.org │ ccaa-mc.eml │" in output
    draft = email.message_from_bytes(
        (office / "reminders/2018-12/ccaa-mc.eml").read_bytes(), policy=email.policy.default
    )
    [attachment] = list(draft.iter_attachments())
    assert attachment.get_content() == (office / "feedback/2018-12/ccaa-mc.xlsx").read_bytes()
    status = json.loads(
        run_subprocess(
            "-w", office, "status", "--round", "2018-12", "--format", "json", cwd=office
        ).stdout
    )
    states = {agency["agency"]: agency for agency in status["agencies"]}
    assert states["ccaa-mc"]["state"] == "accepted"
    assert states["ong-02"]["state"] == "accepted" and states["ong-02"]["versions"] == 2


def test_the_archive_left_by_the_demo_is_sound(demo):
    office, _ = demo
    verified = run_subprocess("-w", office, "archive", "verify", cwd=office)
    assert verified.returncode == 0, verified.stderr
    history = run_subprocess(
        "-w", office, "archive", "history", "2018-12", "ccaa-mc", "--format", "json", cwd=office
    )
    assert [v["version"] for v in json.loads(history.stdout)] == [1]
    status = json.loads(
        run_subprocess(
            "-w", office, "status", "--round", "2018-12", "--format", "json", cwd=office
        ).stdout
    )
    late = {agency["agency"]: agency["late"] for agency in status["agencies"]}
    assert late["ccaa-ri"] is True and late["ong-01"] is False
    assert status["received"] == 45


def test_the_national_summary_shows_the_papers_figures(demo):
    """The paper's figures are for the year 2017: the June 2018 round asks for them."""
    office, _ = demo
    tables = summary(office, "--by-kind", "--round", "2018-06")
    assistance = rows(tables["s2_assistance_by_kind"])["MIN_SOC"]
    assert (
        assistance["s2_housing_resources:MIN_SOC"],
        assistance["s2_housing_places:MIN_SOC"],
        assistance["s2_nonresidential_centres:MIN_SOC"],
    ) == (57, 499, 119)
    prevention = rows(tables["s3_prevention_by_kind"])["DGVG"]
    assert (prevention["s3_courses_total:DGVG"], prevention["s3_participants_total:DGVG"]) == (
        3,
        360,
    )
    trends = rows(tables["s1_outreach_by_kind"])["NGO"]
    assert trends["s1_outreach_contacts:NGO"] == 61_165
    assert trends["s1_outreach_signs_thb_or_se:NGO"] == 21_611
    sex_age = rows(tables["s1_outreach_signs_thb_or_se_NGO_sex_age"])["TOTAL"]
    assert sex_age["F"] == 21_611 and sex_age["M"] == 0
    shares = {
        code: values["PCT"]
        for code, values in rows(tables["s1_outreach_signs_thb_or_se_NGO_citizenship"]).items()
    }
    assert {
        code: shares[code] for code in ("NG", "RO", "CO", "PY", "BR", "DO", "CI", "GN", "MA", "BG")
    } == {
        "NG": 29.6,
        "RO": 18.2,
        "CO": 4.7,
        "PY": 4.5,
        "BR": 3.6,
        "DO": 3.6,
        "CI": 2.7,
        "GN": 2.5,
        "MA": 2.3,
        "BG": 2.1,
    }
    protocols = rows(tables["protocols"])
    in_force = sorted(
        code
        for code, values in protocols.items()
        if values["s3_regional_protocol_in_force"] == "YES"
    )
    assert in_force == sorted(
        ["ES-CT", "ES-PV", "ES-GA", "ES-EX", "ES-NC", "ES-MD", "ES-VC", "ES-AR"]
    )


def test_the_half_year_rounds_are_plausible_halves_of_their_years(demo):
    office, _ = demo
    year = rows(summary(office, "--by-kind", "--round", "2018-06")["s1_outreach_by_kind"])["NGO"]
    half = rows(summary(office, "--by-kind", "--round", "2017-12")["s1_outreach_by_kind"])["NGO"]
    share = half["s1_outreach_signs_thb_or_se:NGO"] / year["s1_outreach_signs_thb_or_se:NGO"]
    assert 0.5 <= share <= 0.65  # persons met in both halves count once in the year


def test_the_citco_series_is_archived_as_a_historical_round(demo):
    office, result = demo
    assert "Ronda 2017-06 archivada como histórica" in result.stdout
    document = json.loads(
        run_subprocess(
            "-w", office, "summary", "--round", "2017-06", "--by-kind", "--format", "json",
            cwd=office,
        ).stdout
    )  # fmt: skip
    assert "Ronda histórica 2017-06 (años 2013 a 2016" in document["title"]
    tables = {table["id"]: table for table in document["tables"]}
    citco = rows(tables["s1_detection_by_kind"])["CITCO"]
    assert citco["s1_persons_at_risk:CITCO"] == 53_440
    assert citco["s1_identified_victims_thb:CITCO"] == 698
    assert citco["s1_victims_sexual_expl_non_thb:CITCO"] == 2_756
    assert 698 + 2_756 == 3_454
    archived = json.loads(
        run_subprocess(
            "-w", office, "archive", "show", "2017-06", "serie-citco", "--format", "json",
            cwd=office,
        ).stdout
    )["s1"]  # fmt: skip
    minors = [archived[question]["form_sex"]["SEX"]["minors"] for question in
              ("s1_identified_victims_thb", "s1_victims_sexual_expl_non_thb")]  # fmt: skip
    assert minors == [28, 36] and sum(minors) == 64
    status = run_subprocess("-w", office, "status", "--round", "2017-06", cwd=office)
    assert status.returncode == 2 and "es histórica" in status.stderr


def test_the_trend_runs_from_the_series_across_both_versions(demo):
    """2019-06 is asked with version 2, where the NGOs' persons with signs of trafficking
    or sexual exploitation have a new id: its trend still starts in 2017, after the
    historical series, and a question new in version 2 is "—" in a version 1 round."""
    office, _ = demo
    document = json.loads(
        run_subprocess("-w", office, "summary", "--by-kind", "--format", "json", cwd=office).stdout
    )
    tables = {table["id"]: table for table in document["tables"]}
    trend = tables["trend_year"]
    labels = [column["label"] for column in trend["columns"]]
    assert labels[-3:] == ["2013-2016 (histórica)", "2017", "2018"]
    by_key = rows(trend)
    assert by_key["s1_identified_victims_thb:CITCO"]["2017-06"] == 698
    assert by_key["s1_victims_sexual_expl_non_thb:CITCO"]["2017-06"] == 2_756
    signs = by_key["s1_outreach_signs:NGO"]
    assert signs["2018-06"] == 21_611 and signs["2019-06"] > 21_611
    assert "2017-06" not in signs  # shown "—": the series did not give it
    notes = " ".join(trend["notes"])
    assert "2013-2016 (histórica): cifras publicadas antes de la herramienta" in notes
    outreach = tables["s1_outreach_by_kind"]
    [ngo] = [row for row in outreach["rows"] if row["key"] == "NGO"]
    assert ngo["values"]["s1_transit_victims:NGO"] > 0
    assert ngo["previous"]["s1_outreach_signs:NGO"] == 21_611  # 2018-06, asked in version 1
    assert "s1_transit_victims:NGO" not in ngo["previous"]  # never 0
    said = " ".join(outreach["notes"])
    assert "«…de ellas, en tránsito por España hacia otro país» no se preguntaba en 2018-06" in said


def test_the_demo_leaves_nothing_behind_without_keep(tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = run_subprocess(
        "demo", cwd=tmp_path, env={"TMPDIR": str(temporary), "RAPPORTEUR_LANG": "en"}
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert list(temporary.iterdir()) == []
    assert (
        "It was removed at the end" in result.stdout or "Se ha borrado al terminar" in result.stdout
    )


def test_the_example_returns_are_regenerated_to_the_same_values(tmp_path):
    generated = tmp_path / "returns"
    result = subprocess.run(
        [sys.executable, str(PROJECT / "examples" / "generate.py"), str(generated)],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    committed = PROJECT / "examples" / "returns"
    names = sorted(p.relative_to(committed).as_posix() for p in committed.rglob("*.xlsx"))
    assert names == sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*.xlsx"))
    for name in names:
        ours, theirs = read_questionnaire(committed / name), read_questionnaire(generated / name)
        assert (ours.metadata, ours.value) == (theirs.metadata, theirs.value), name


# Spanish throughout: words, not English or codes -----------------------------------------

# English words, and Click's own prefix at the start of a line (the office's problem lists
# are indented: "  Error: ong-09.xlsx: ...", which is Spanish too).
GIVEAWAYS = re.compile(
    r"\b(the|of|Missing|Invalid|True|False|None|Usage|Options|Try)\b|^Error:|Traceback",
    re.MULTILINE,
)
PATHS = re.compile(r"\S*/\S*")  # folder names are the machine's, not the tool's words


def raw_codes() -> set[str]:
    """The codes of the definition's lists that people never read as a name: NGO,
    LEA_STATE, ES-AN, YES, IN_PREPARATION, MA (Marruecos)."""
    definition = load_definition()
    codes = set()
    for codelist in definition.codelists:
        for code in definition.codelist(codelist.id):
            names = {code.label(language) for language in LANGUAGES}
            if codelist.id == "agency_kind":
                names |= {kind_label(definition, code.code)[language] for language in LANGUAGES}
            if code.code not in names:
                codes.add(code.code)
    return codes


def table_cells(text: str) -> list[str]:
    """The cells of the terminal's and of markdown's tables."""
    cells = []
    for line in text.splitlines():
        for border in ("│", "┃", "|"):
            if line.lstrip().startswith(border):
                cells += [cell.strip() for cell in line.strip().strip(border).split(border)]
    return cells


def test_a_spanish_office_reads_spanish_words_and_no_codes(demo, tmp_path):
    office, result = demo
    outputs = {"demo": result.stdout + result.stderr}
    for args in (
        ["summary"],
        ["summary", "--by-kind"],
        ["summary", "--by-agency", "--section", "s3"],
        ["summary", "--format", "markdown"],
        ["summary", "--publish", "--format", "markdown"],
        ["status"],
        ["agencies", "list"],
        ["archive", "list"],
        ["archive", "history", "2018-12", "ong-02"],
        ["collect", "--dry-run", "--round", "2018-12", office.parent / "no-such.xlsx"],
        ["issue", "--round", "2018-13"],
    ):
        run = run_subprocess("-w", office, *args, cwd=tmp_path, env={"COLUMNS": "200"})
        outputs[" ".join(map(str, args))] = run.stdout + run.stderr
    created = run_subprocess("init", tmp_path / "new-office", cwd=tmp_path)
    outputs["init"] = created.stdout + created.stderr
    codes = raw_codes()
    for command, text in outputs.items():
        words = PATHS.sub(" ", text)
        assert not GIVEAWAYS.search(words), (command, GIVEAWAYS.search(words))
        leaked = {cell for cell in table_cells(text) if cell in codes}
        assert not leaked, (command, leaked)
    workbook = openpyxl.load_workbook(office / "resumen-2018-12.xlsx", read_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            leaked = {cell for cell in row if isinstance(cell, str) and cell in codes}
            assert not leaked, (sheet.title, leaked)
