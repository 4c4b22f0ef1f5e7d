"""Broken and hostile returns: each is refused with a message saying what it is and what
the agency should do, the archive is left as it was, and good files in the same run are
still archived, exactly."""

import json
import resource
import shutil
import sys
from pathlib import Path

import pytest
from corpus import BUILDERS, GOOD_AGENCIES, write_corpus, write_good_returns
from plausible import plausible_return
from returns import DEFINITION
from test_cli_collect import archive_state
from typer.testing import CliRunner

from rapporteur.archive import Archive
from rapporteur.cli import app
from rapporteur.rounds import Round

ROUND = Round(2018, 12)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """One office with the round issued, and the corpus written from its questionnaires."""
    root = tmp_path_factory.mktemp("hostile")
    runner = CliRunner()
    office = root / "office"
    assert runner.invoke(app, ["init", str(office)]).exit_code == 0
    result = runner.invoke(app, ["-w", str(office), "issue", "--round", "2018-12",
                                 "--deadline", "2099-01-31", "--jobs", "2"])  # fmt: skip
    assert result.exit_code == 0, result.output
    cases = write_corpus(office, root / "corpus")
    return office, root / "corpus", cases


@pytest.fixture
def office(prepared, tmp_path):
    """A fresh copy of the prepared office for each test, so none sees another's archive."""
    copy = tmp_path / "office"
    shutil.copytree(prepared[0], copy)
    return copy


def collect_json(run, office: Path, *files, jobs: int = 1):
    result = run("-w", office, "collect", *files, "--jobs", str(jobs), "--format", "json")
    assert "Traceback" not in result.output
    return result, {Path(record["file"]).name: record for record in json.loads(result.stdout)}


@pytest.fixture(params=range(len(BUILDERS)), ids=[build.__name__ for build in BUILDERS])
def case(prepared, request):
    return prepared[2][request.param]


def test_each_bad_file_is_rejected_with_its_reason_and_archives_nothing_of_it(
    prepared, office, run, case
):
    before = archive_state(office)

    result, records = collect_json(run, office, prepared[1] / case.file)

    assert result.exit_code == 1, result.output
    record = records[case.file]
    assert record["decision"] == "rejected"
    problems = {problem["code"]: problem for problem in record["problems"]}
    assert case.code in problems, (case.file, list(problems))
    assert case.words in problems[case.code]["message"], problems[case.code]["message"]
    if case.at_cell:
        assert problems[case.code]["sheet"] and problems[case.code]["cell"]
    else:
        assert case.file in problems[case.code]["message"]
    assert "internal-error" not in json.dumps(record)
    after = archive_state(office)
    added = {name for name in after if name not in before}
    # Nothing is archived. A file that is our questionnaire, signed for an agency issued
    # the round, leaves a receipt of its refusal (and a consolidated view naming it).
    assert {name: after[name] for name in before} == before
    assert all("/receipts/" in name or "/consolidated/" in name for name in added)
    for name in added:
        if "/receipts/" in name:
            assert f'source_file = "{case.file}"' in after[name].decode("utf-8")


def test_the_whole_corpus_with_good_returns_archives_exactly_the_good_ones(
    prepared, office, run, tmp_path
):
    folder = tmp_path / "mixed"
    shutil.copytree(prepared[1], folder)
    good = write_good_returns(office, folder)

    result, records = collect_json(run, office, folder, jobs=2)

    assert result.exit_code == 1
    accepted = {name for name, record in records.items() if record["decision"] == "accepted"}
    assert accepted == set(good)
    assert len(records) == len(prepared[2]) + len(good)
    archive = Archive(office / "archive")
    assert set(archive.agencies_with_returns(ROUND)) == set(GOOD_AGENCIES)
    for agency, kind in GOOD_AGENCIES.items():
        region = "ES-AN" if kind == "CCAA" else "ES"
        assert archive.current_return(ROUND, agency) == plausible_return(DEFINITION, kind, region)
    assert run("-w", office, "archive", "verify").exit_code == 0


def test_people_read_every_reason_and_no_escape_sequence_reaches_the_terminal(
    prepared, office, run
):
    result = run("-w", office, "collect", prepared[1], "--jobs", "2")

    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Traceback" not in result.output
    assert "ROJO" in result.output  # the file is still named, its escapes made visible
    for words in (
        "bomba zip",
        "DOCTYPE/ENTITY",
        "más de 10.000 filas",
        "falta su firma",
        "agency: ",
        "hojas en otro orden",
        "se han insertado o borrado filas",
    ):
        assert words in result.output  # fmt: skip


def test_limits_are_settings_of_the_workspace(prepared, office, run):
    settings = office / "rapporteur.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("max_rows = 10000", "max_rows = 100"), encoding="utf-8")
    folder = prepared[1]

    result, records = collect_json(run, office, folder / "fórmula.xlsx")

    codes = [problem["code"] for problem in records["fórmula.xlsx"]["problems"]]
    assert codes == ["collect-too-many-rows"]
    assert "más de 100 filas" in records["fórmula.xlsx"]["problems"][0]["message"]

    settings.write_text(text.replace("max_file_mb = 20", "max_file_mb = 0"), encoding="utf-8")
    result = run("-w", office, "collect", folder / "fórmula.xlsx")
    assert result.exit_code == 3
    assert "limits.max_file_mb" in result.output


@pytest.mark.skipif(sys.platform != "linux", reason="address-space limits are Linux's")
def test_the_zip_bomb_is_refused_within_a_memory_limit_smaller_than_it(prepared, office):
    """Under an address-space limit of 1 GiB, expanding 2 GiB would fail: refusing it from
    its zip directory is the only way to give the specific message."""
    from conftest import run_subprocess

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))

    bomb = prepared[1] / "bomba.xlsx"
    result = run_subprocess("-w", office, "collect", bomb, cwd=office, preexec_fn=limited)

    assert result.returncode == 1, result.stderr
    assert "bomba zip" in result.stdout
