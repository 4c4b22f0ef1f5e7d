"""The archive: versions that round-trip exactly, append-only, verifiable, safe under
crashes and concurrent writers."""

import contextlib
import dataclasses
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import tomli_w
from archive_writer import CRASH as CRASH_VARIABLE
from conftest import run_subprocess
from plausible import plausible_return

from rapporteur.archive import Archive, NewReturn, from_sections, render_body
from rapporteur.definition import load_definition
from rapporteur.rounds import Round
from rapporteur.workspace import open_workspace

DEFINITION = load_definition()
ROUND = Round(2018, 12)
WRITER = Path(__file__).parent / "archive_writer.py"


def new_return(agency="ong-01", **changes):
    data = plausible_return(DEFINITION, "NGO")
    data.update(changes)
    return NewReturn(agency, "NGO", DEFINITION.version, data, f"{agency}.xlsx", "a" * 64)


@pytest.fixture
def office(workspace, run):
    result = run("-w", workspace, "issue", "--round", "2018-12", "--deadline", "2099-01-31",
                 "--agency", "ong-01", "--agency", "ong-02", "--agency", "ong-03")  # fmt: skip
    assert result.exit_code == 0, result.output
    return workspace


def signed(office: Path) -> Archive:
    """The office's archive, signing its views with the office's key as the tool does."""
    return open_workspace(office).archive()


def record(archive: Archive, *returns: NewReturn):
    with archive.writing() as session:
        return [session.record_return(ROUND, item) for item in returns]


def snapshot(root: Path) -> dict[str, object]:
    """The archive's files and, for returns, their data: what must be old or new."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".lock"):
            relative = path.relative_to(root).as_posix()
            data = tomllib.loads(path.read_text()) if path.suffix == ".toml" else None
            files[relative] = from_sections(data) if "returns/" in relative else relative
    return files


def test_a_version_reads_back_exactly_with_blanks_and_zeros(office):
    archive = signed(office)
    item = new_return(s2_svc_legal=0, s2_svc_health=None)
    del item.data["s2_svc_health"]
    [recorded] = record(archive, item)

    assert recorded.version == 1
    stored = archive.current_return(ROUND, "ong-01")
    assert stored == item.data
    assert stored["s2_svc_legal"] == 0
    assert "s2_svc_health" not in stored
    text = recorded.path.read_text()
    assert "s2_svc_legal = 0" in text and "s2_svc_health" not in text
    header = tomllib.loads(text)["header"]
    assert header["format"] == 1 and header["questionnaire_version"] == DEFINITION.version
    assert header["agency"] == "ong-01" and header["round"] == "2018-12"
    assert header["source_file"] == "ong-01.xlsx" and header["source_sha256"] == "a" * 64
    assert header["received"].tzinfo is not None
    assert header["collected_by"]
    assert "supersedes_sha256" not in header


def test_versions_are_appended_and_chained(office):
    archive = signed(office)
    record(archive, new_return())
    first = (office / "archive/2018-12/returns/ong-01/v1.toml").read_bytes()
    record(archive, new_return(s2_svc_legal=7))

    versions = archive.return_versions(ROUND, "ong-01")
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].path.read_bytes() == first
    assert versions[1].header["supersedes_sha256"] == versions[0].sha256
    assert archive.current_return(ROUND, "ong-01")["s2_svc_legal"] == 7


def test_an_identical_return_creates_nothing(office):
    archive = signed(office)
    record(archive, new_return())
    before = snapshot(office / "archive")
    [again] = record(archive, new_return())
    assert again.version is None
    assert snapshot(office / "archive") == before


def test_each_change_writes_a_new_consolidated_view(office):
    archive = signed(office)
    record(archive, new_return())
    record(archive, new_return("ong-02"))
    views = archive.consolidated_versions(ROUND)
    assert [view.number for view in views] == [1, 2, 3]
    latest = views[-1]
    assert latest.header["missing"] == ["ong-03"]
    assert latest.header["issued"] == 3 and latest.header["returned"] == 2
    assert latest.header["supersedes_sha256"] == views[-2].sha256
    entry = latest.body["returns"]["ong-01"]
    assert entry["version"] == 1 and entry["kind"] == "NGO"
    assert entry["sha256"] == archive.return_versions(ROUND, "ong-01")[0].sha256
    assert from_sections(entry["data"]) == new_return().data


def test_history_diff_and_show_through_the_cli(office, run):
    archive = signed(office)
    record(archive, new_return())
    before = new_return().data["s2_svc_psychological"]
    record(archive, new_return(s2_svc_legal=7, s2_svc_psychological=before + 2))

    history = run("-w", office, "archive", "history", "2018-12", "ong-01", "--format", "json")
    assert history.exit_code == 0, history.output
    import json

    versions = json.loads(history.stdout)
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["source_file"] == "ong-01.xlsx"
    assert versions[0]["source_sha256"] == "a" * 64

    diff = run("-w", office, "archive", "diff", "2018-12", "ong-01")
    assert diff.exit_code == 0, diff.output
    assert "de la versión 1 a la 2, 2 cambios" in diff.output
    assert "Personas con asistencia jurídica" in diff.output
    rows = json.loads(run("-w", office, "archive", "diff", "2018-12", "ong-01", "--from", "1",
                          "--to", "2", "--format", "json").stdout)  # fmt: skip
    assert rows == [
        {"path": "s2_svc_legal", "label": "Personas con asistencia jurídica",
         "before": "10", "after": "7"},
        {"path": "s2_svc_psychological", "label": "Personas con atención psicológica",
         "before": str(before), "after": str(before + 2)},
    ]  # fmt: skip

    shown = run("-w", office, "archive", "show", "2018-12", "ong-01", "--version", "1")
    assert shown.exit_code == 0
    assert "[header]" in shown.stdout and "s2_svc_legal = 10" in shown.stdout
    as_json = json.loads(run("-w", office, "archive", "show", "2018-12", "--format", "json").stdout)
    assert as_json["header"]["missing"] == ["ong-02", "ong-03"]
    assert as_json["returns"]["ong-01"]["version"] == 2

    listed = json.loads(run("-w", office, "archive", "list", "--format", "json").stdout)
    assert listed == [{"round": "2018-12", "issued": 3, "returned": 1, "versions": 2,
                       "consolidated": 3, "source": None}]  # fmt: skip


def test_history_shows_when_a_version_arrived_in_the_office_s_own_time(office, run, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Madrid")
    time.tzset()
    try:
        arrived = datetime.datetime(2018, 12, 20, 10, 0, tzinfo=datetime.UTC)
        record(signed(office), dataclasses.replace(new_return(), received=arrived))
        result = run("-w", office, "archive", "history", "2018-12", "ong-01")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert result.exit_code == 0, result.output
    assert "20/12/2018 11:00" in result.output  # 10:00 UTC is 11:00 in Madrid in winter
    assert "+00:00" not in result.output and "UTC" not in result.output
    as_json = run("-w", office, "archive", "history", "2018-12", "ong-01", "--format", "json")
    # For programs, the moment stays exact, with its offset.
    assert json.loads(as_json.stdout)[0]["received"] == "2018-12-20 10:00:00+00:00"


def test_show_and_history_of_what_does_not_exist(office, run):
    result = run("-w", office, "archive", "history", "2018-12", "ong-02")
    assert result.exit_code == 3
    assert "No hay ninguna respuesta archivada de ong-02 en la ronda 2018-12" in result.output
    result = run("-w", office, "archive", "show", "2017-12")
    assert result.exit_code == 3
    assert "La ronda 2017-12 no está en el archivo histórico; hay: 2018-12" in result.output
    record(signed(office), new_return())
    result = run("-w", office, "archive", "show", "2018-12", "ong-01", "--version", "4")
    assert "No existe la versión 4 de la respuesta de ong-01" in result.output
    single = run("-w", office, "archive", "diff", "2018-12", "ong-01")
    assert single.exit_code == 0
    assert "tiene una sola versión: no hay nada que comparar" in single.output
    assert "de la versión 1 a la 1" not in single.output


def test_verify_passes_on_a_sound_archive(office, run):
    record(signed(office), new_return(), new_return("ong-02"))
    result = run("-w", office, "archive", "verify")
    assert result.exit_code == 0, result.output
    assert "Archivo histórico íntegro: 1 ronda, 5 archivos comprobados" in result.output


def tamper(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_verify_reports_a_changed_value(office, run):
    archive = signed(office)
    record(archive, new_return())
    record(archive, new_return(s2_svc_legal=7))
    tamper(
        office / "archive/2018-12/returns/ong-01/v1.toml", "s2_svc_legal = 10", "s2_svc_legal = 11"
    )

    result = run("-w", office, "archive", "verify")

    assert result.exit_code == 3
    assert (
        "returns/ong-01/v2.toml: la huella de la versión anterior (v1.toml) no coincide"
        in result.output
    )
    assert (
        "returns/ong-01/v1.toml: su contenido ha cambiado desde que se consolidó en v2.toml"
        in result.output
    )


def test_verify_reports_a_changed_latest_version(office, run):
    record(signed(office), new_return())
    tamper(
        office / "archive/2018-12/returns/ong-01/v1.toml", "s2_svc_legal = 10", "s2_svc_legal = 1"
    )
    result = run("-w", office, "archive", "verify")
    assert result.exit_code == 3
    assert "returns/ong-01/v1.toml: su contenido ha cambiado" in result.output


def test_verify_reports_a_changed_consolidated_view(office, run):
    record(signed(office), new_return())
    tamper(office / "archive/2018-12/consolidated/v2.toml", "s2_svc_legal = 10", "s2_svc_legal = 3")
    result = run("-w", office, "archive", "verify")
    assert result.exit_code == 3
    assert (
        "consolidated/v2.toml: los datos de ong-01 no coinciden con su versión 1" in result.output
    )


def test_verify_reports_a_consolidated_view_whose_missing_agencies_were_edited(office, run):
    record(signed(office), new_return())
    view = office / "archive/2018-12/consolidated/v2.toml"
    tamper(view, '"ong-02",\n', "")  # ong-02 no longer listed as not returned
    result = run("-w", office, "archive", "verify")
    assert result.exit_code == 3
    assert (
        "consolidated/v2.toml: la lista de organismos que faltan no coincide con los "
        "cuestionarios emitidos" in " ".join(result.output.split())
    )


def test_verify_reports_a_deleted_version(office, run):
    archive = signed(office)
    record(archive, new_return())
    record(archive, new_return(s2_svc_legal=7))
    record(archive, new_return(s2_svc_legal=8))
    (office / "archive/2018-12/returns/ong-01/v2.toml").unlink()
    result = run("-w", office, "archive", "verify")
    assert result.exit_code == 3
    assert "returns/ong-01/v2.toml: falta esta versión" in result.output


def test_verify_reports_a_deleted_latest_version(office, run):
    archive = signed(office)
    record(archive, new_return())
    record(archive, new_return(s2_svc_legal=7))
    (office / "archive/2018-12/returns/ong-01/v2.toml").unlink()
    result = run("-w", office, "archive", "verify")
    assert result.exit_code == 3
    assert "incluye la versión 2 de ong-01, que no existe" in result.output


def test_verify_reports_files_added_by_hand(office, run):
    record(signed(office), new_return())
    (office / "archive/2018-12/returns/ong-01/notes.txt").write_text("call them")
    (office / "archive/2018-12/returns/ong-01/.v2.toml.tmp").write_text("")
    forged = office / "archive/2018-12/returns/ong-01/v2.toml"
    forged.write_text((office / "archive/2018-12/returns/ong-01/v1.toml").read_text())
    result = run("-w", office, "archive", "verify", "2018-12")
    assert result.exit_code == 3
    output = result.output
    assert "ong-01/notes.txt: archivo o carpeta que el archivo histórico no ha escrito" in output
    assert "ong-01/.v2.toml.tmp: archivo o carpeta" in output
    assert "v2.toml: la cabecera dice version = 1" in output
    assert "v2.toml: esta versión no figura en la última vista consolidada" in output


def test_an_archive_of_a_newer_format_is_refused_clearly(office, run):
    record(signed(office), new_return())
    tamper(office / "archive/2018-12/returns/ong-01/v1.toml", "format = 1", "format = 2")
    result = run("-w", office, "archive", "history", "2018-12", "ong-01")
    assert result.exit_code == 3
    assert "usa el formato 2, que esta versión de rapporteur no conoce" in result.output


def run_writer(archive: Path, agencies: str, value: int, *extra: str, env=None):
    return subprocess.run(
        [sys.executable, str(WRITER), str(archive), "2018-12", agencies, str(value), *extra],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("writes", "steps"),
    [
        # Two versions staged, the view's returns and cache entry, the view staged, the
        # journal written and installed, three moves, the journal removed, the cache
        # entry put in place.
        (("ong-01,ong-02",), 11),
        # A version, a receipt of a refused file and the view: the state records too.
        (("ong-01", "--refuse", "ong-03"), 11),
    ],
)
def test_a_writer_killed_at_any_step_leaves_the_old_or_the_new_state(
    office, tmp_path, writes, steps
):
    archive = office / "archive"
    record(signed(office), new_return())
    pristine = tmp_path / "pristine"
    shutil.copytree(archive, pristine)
    old = snapshot(archive)
    agencies, *options = writes
    assert run_writer(archive, agencies, 5, *options).returncode == 0
    new = snapshot(archive)
    assert new != old

    killed_at = []
    for step in range(1, 40):
        shutil.rmtree(archive)
        shutil.copytree(pristine, archive)
        result = run_writer(archive, agencies, 5, *options, env={CRASH_VARIABLE: str(step)})
        if result.returncode == 0:
            break
        killed_at.append(step)
        assert result.returncode == -9, result.stderr
        verified = run_subprocess("-w", office, "archive", "verify", cwd=tmp_path)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert snapshot(archive) in (old, new), f"a mixture after a kill at step {step}"
    assert killed_at == list(range(1, steps + 1))


def collect_killed_at(archive: Path, folder: Path, step: int, errors: Path) -> int:
    """Run a collect that kills itself at `step`. Its reading processes, left orphaned
    by the kill as they would be by a power cut, are killed with it."""
    with errors.open("w") as stderr:
        writer = subprocess.Popen(
            [sys.executable, str(WRITER), str(archive), "--collect", str(folder)],
            env={**os.environ, CRASH_VARIABLE: str(step)}, stdout=subprocess.DEVNULL,
            stderr=stderr, start_new_session=True,
        )  # fmt: skip
        returncode = writer.wait(timeout=120)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(writer.pid, signal.SIGKILL)
    return returncode


def test_a_collect_killed_at_any_step_leaves_the_old_or_the_new_state(office, tmp_path):
    """collect stages each return as it is decided, withdraws a return when a second
    file comes for its agency, then writes receipts and the view: a kill anywhere."""
    from returns import filled

    archive = office / "archive"
    first = filled(office, "ong-01", "NGO", tmp_path / "first")
    run_subprocess("-w", office, "collect", first, "--jobs", "1", cwd=tmp_path)
    folder = tmp_path / "returns"
    filled(office, "ong-01", "NGO", folder, value=plausible_return(DEFINITION, "NGO") | {
        "s2_svc_legal": 4})  # fmt: skip
    filled(office, "ong-02", "NGO", folder)
    filled(office, "ong-02", "NGO", folder, name="ong-02-bis.xlsx",
           value=plausible_return(DEFINITION, "NGO") | {"s2_svc_legal": 3})  # fmt: skip
    filled(office, "ong-03", "NGO", folder)
    pristine = tmp_path / "pristine"
    shutil.copytree(archive, pristine)
    old = snapshot(archive)
    done = subprocess.run([sys.executable, str(WRITER), str(archive), "--collect", str(folder)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ong-01.xlsx:accepted", "ong-02-bis.xlsx:rejected",
                                   "ong-02.xlsx:rejected", "ong-03.xlsx:accepted"]  # fmt: skip
    new = snapshot(archive)
    assert sorted(set(new) - set(old)) == [
        "2018-12/consolidated/v3.toml", "2018-12/receipts/ong-02/v1.toml",
        "2018-12/receipts/ong-02/v2.toml", "2018-12/returns/ong-01/v2.toml",
        "2018-12/returns/ong-03/v1.toml",
    ]  # fmt: skip

    killed_at = []
    for step in range(1, 40):
        shutil.rmtree(archive)
        shutil.copytree(pristine, archive)
        returncode = collect_killed_at(archive, folder, step, tmp_path / "stderr.txt")
        if returncode == 0:
            break
        killed_at.append(step)
        assert returncode == -9, (tmp_path / "stderr.txt").read_text()
        verified = run_subprocess("-w", office, "archive", "verify", cwd=tmp_path)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert snapshot(archive) in (old, new), f"a mixture after a kill at step {step}"
        # Whatever was left half-done, the summary reads the archive as it stands.
        summary = run_subprocess("-w", office, "summary", "--round", "2018-12", "--format",
                                 "json", cwd=tmp_path)  # fmt: skip
        assert summary.returncode == 0, summary.stderr
    # Three returns staged (one withdrawn), two receipts, the view's returns and cache,
    # the view, the journal written and installed, five moves, the journal removed, the
    # cache entry put in place.
    assert killed_at == list(range(1, 17))


def test_a_second_writer_is_told_the_archive_is_busy_or_waits(office, run, tmp_path):
    archive = office / "archive"
    holder = subprocess.Popen(
        [sys.executable, str(WRITER), str(archive), "2018-12", "ong-01", "5", "--hold", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        busy = run("-w", office, "issue", "--round", "2019-06", "--agency", "ong-02")
        assert busy.exit_code == 3
        assert f"El archivo histórico está ocupado (lo tiene el proceso {holder.pid}" in busy.output
        assert "--wait" in busy.output
        assert not (archive / "2019-06").exists()
        started = time.monotonic()
        waited = run_writer(archive, "ong-02", 6, "--wait")
        assert waited.returncode == 0, waited.stderr
        assert time.monotonic() - started > 0.5
    finally:
        holder.wait(timeout=60)
    assert holder.returncode == 0
    stored = Archive(archive)
    assert stored.current_return(ROUND, "ong-01")["s2_svc_legal"] == 5
    assert stored.current_return(ROUND, "ong-02")["s2_svc_legal"] == 6
    assert run("-w", office, "archive", "verify").exit_code == 0


def test_two_writers_at_once_both_land_with_wait(office, run):
    archive = office / "archive"
    refusing = ("--wait", "--refuse", "ong-03")
    writers = [
        subprocess.Popen(
            [sys.executable, str(WRITER), str(archive), "2018-12", agency, str(value), *refusing],
            stdout=subprocess.PIPE,
        )
        for agency, value in (("ong-01", 3), ("ong-02", 4))
    ]
    for writer in writers:
        assert writer.wait(timeout=60) == 0
    stored = Archive(archive)
    assert stored.current_return(ROUND, "ong-01")["s2_svc_legal"] == 3
    assert stored.current_return(ROUND, "ong-02")["s2_svc_legal"] == 4
    assert len(stored.consolidated_versions(ROUND)) == 3
    # Both refusals of ong-03 are kept, numbered and chained, whichever wrote first.
    receipts = stored.receipts(ROUND, "ong-03")
    assert [receipt.number for receipt in receipts] == [1, 2]
    assert receipts[1].header["supersedes_sha256"] == receipts[0].sha256
    assert run("-w", office, "archive", "verify").exit_code == 0
    status = run("-w", office, "status", "--round", "2018-12", "--format", "json")
    states = {entry["agency"]: entry["state"] for entry in json.loads(status.stdout)["agencies"]}
    assert states == {"ong-01": "accepted", "ong-02": "accepted", "ong-03": "rejected"}


def test_a_lock_left_by_a_dead_writer_is_taken_over(office, run):
    archive = office / "archive"
    killed = run_writer(archive, "ong-01", 5, env={CRASH_VARIABLE: "1"})
    assert killed.returncode == -9
    assert (archive / ".lock.info").exists()

    result = run("-w", office, "issue", "--round", "2019-06", "--agency", "ong-02")

    assert result.exit_code == 0, result.output
    assert run("-w", office, "archive", "verify").exit_code == 0


def test_a_body_rendered_by_a_worker_makes_the_same_file_as_one_rendered_here(office):
    archive = signed(office)
    received = datetime.datetime(2018, 12, 20, 10, 0, tzinfo=datetime.UTC)
    plain = dataclasses.replace(new_return("ong-01"), received=received)
    prerendered = dataclasses.replace(
        new_return("ong-02"), received=received, body=render_body(plain.data)
    )
    first, second = record(archive, plain, prerendered)
    texts = [recorded.path.read_text(encoding="utf-8") for recorded in (first, second)]
    assert texts[0].replace("ong-01", "ong-02") == texts[1]
    document = tomllib.loads(texts[1])
    assert tomli_w.dumps(document) == texts[1]  # as if rendered all at once


def test_the_cache_written_with_a_view_is_what_reading_the_view_gives(office):
    archive = signed(office)
    record(archive, new_return("ong-01"), new_return("ong-02", s2_svc_legal=3))
    assert any((office / ".cache").glob("*consolidated*-view-*.json"))  # by the write
    cached = archive.consolidated(ROUND)

    shutil.rmtree(office / ".cache")
    parsed = archive.consolidated(ROUND)

    assert (cached.header, cached.body, cached.sha256) == (
        parsed.header, parsed.body, parsed.sha256
    )  # fmt: skip


def test_a_view_written_return_by_return_is_the_view_rendered_at_once(office):
    """The view is streamed (never held whole); it must be the very file, and carry the
    very signature, that rendering the whole view at once gives."""
    from rapporteur.archive import NewReceipt, view_signature

    workspace = open_workspace(office)
    archive, key = workspace.archive(), workspace.secret()
    refusal = NewReceipt("ong-03", "NGO", "rejected", "ong-03 «ñ».xlsx", "b" * 64,
                         ({"code": "R1", "message": {"es": "Falta \"un\" dato."}},))  # fmt: skip
    with archive.writing() as session:  # a round with a refusal and no return yet
        session.record_receipt(ROUND, refusal)
    record(archive, new_return("ong-01", s0_contact_name='Ana "Ñ" \\ Pérez\n2ª'))
    record(archive, new_return("ong-02", s2_svc_legal=7))  # ong-01's read from the archive
    views = archive.consolidated_versions(ROUND)
    assert [view.number for view in views] == [1, 2, 3, 4]  # the first by `issue`
    for view in views:
        text = view.path.read_text(encoding="utf-8")
        document = tomllib.loads(text)
        assert tomli_w.dumps(document) == text
        assert document["header"]["signature"] == view_signature(document, key)
    assert sorted(views[-1].body["returns"]) == ["ong-01", "ong-02"]
    assert views[1].body["returns"] == {} and views[0].body["refused"] == {}
