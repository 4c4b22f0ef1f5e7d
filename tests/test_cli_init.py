import stat
import tomllib
from importlib import resources

import pytest

from rapporteur.workspace import open_workspace


def test_init_creates_settings_registry_archive_and_secret(tmp_path, run):
    result = run("init", tmp_path / "office")

    assert result.exit_code == 0, result.output
    office = tmp_path / "office"
    assert "Espacio de trabajo creado" in result.output
    assert "47 organismos" in result.output
    settings = tomllib.loads((office / "rapporteur.toml").read_text(encoding="utf-8"))
    assert settings["office"]["language"] == "es"
    assert settings["deadline"]["days_after_round_start"] == 30
    assert settings["periods"]["december"] == {"covers": "first-half", "status": "provisional"}
    assert settings["publication"]["threshold"] == 5
    assert (office / "archive").is_dir()
    assert list((office / "archive").iterdir()) == []
    secret = (office / "secret.key").read_text().strip()
    assert len(bytes.fromhex(secret)) == 32
    assert stat.S_IMODE((office / "secret.key").stat().st_mode) == 0o600


def test_settings_file_is_commented_for_the_analyst(workspace):
    text = (workspace / "rapporteur.toml").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 20
    assert "secret.key" in text


def test_registry_holds_the_spanish_agencies(workspace):
    agencies = tomllib.loads((workspace / "agencies.toml").read_text(encoding="utf-8"))["agency"]
    regions = {agency["region"] for agency in agencies if agency["kind"] == "CCAA"}
    assert len(regions) == 19
    assert {"ES-CE", "ES-ML", "ES-AN", "ES-PV"} <= regions
    kinds = {agency["kind"] for agency in agencies}
    assert kinds == {
        "MIN_JUS",
        "MIN_INT",
        "MIN_EMP",
        "MIN_SOC",
        "MIN_EXT",
        "DGVG",
        "LEA_STATE",
        "LEA_REG",
        "CITCO",
        "FISC",
        "CGPJ",
        "SEM",
        "CCAA",
        "FEMP",
        "NGO",
    }
    names = {agency["name"] for agency in agencies}
    assert {"Policía Nacional", "Guardia Civil", "Fiscalía General del Estado"} <= names


def test_secret_is_never_in_the_settings_or_registry(workspace):
    secret = (workspace / "secret.key").read_text().strip()
    for name in ("rapporteur.toml", "agencies.toml"):
        assert secret not in (workspace / name).read_text(encoding="utf-8")


def test_each_workspace_gets_its_own_secret(tmp_path, run):
    run("init", tmp_path / "a")
    run("init", tmp_path / "b")
    assert (tmp_path / "a" / "secret.key").read_text() != (
        tmp_path / "b" / "secret.key"
    ).read_text()


def test_init_refuses_an_existing_workspace_and_changes_nothing(workspace, run):
    registry_before = (workspace / "agencies.toml").read_text(encoding="utf-8")
    secret_before = (workspace / "secret.key").read_text()

    result = run("init", workspace)

    assert result.exit_code == 3
    assert "ya es un espacio de trabajo" in result.output
    assert "no se sobrescribe nada" in result.output
    assert (workspace / "agencies.toml").read_text(encoding="utf-8") == registry_before
    assert (workspace / "secret.key").read_text() == secret_before


def test_init_refuses_a_folder_holding_a_registry(tmp_path, run):
    folder = tmp_path / "half"
    folder.mkdir()
    (folder / "agencies.toml").write_text("# mine\n", encoding="utf-8")

    result = run("init", folder)

    assert result.exit_code == 3
    assert "agencies.toml" in result.output
    assert (folder / "agencies.toml").read_text(encoding="utf-8") == "# mine\n"
    assert not (folder / "rapporteur.toml").exists()


def test_init_in_the_current_folder_by_default(tmp_path, run, monkeypatch):
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    result = run("init")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "here" / "rapporteur.toml").is_file()


def test_init_into_an_unwritable_place_fails_cleanly(tmp_path, run):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")

    result = run("init", blocker / "office")

    assert result.exit_code == 3
    assert "No se puede escribir" in result.output
    assert "Traceback" not in result.output


def test_init_messages_in_english_when_asked(tmp_path, run, monkeypatch):
    monkeypatch.setenv("RAPPORTEUR_LANG", "en")
    run("init", tmp_path / "office")
    result = run("init", tmp_path / "office")
    assert "is already a workspace" in result.output


def test_the_new_workspace_opens_with_its_defaults(workspace):
    opened = open_workspace(workspace)
    assert opened.language == "es"
    assert opened.settings.publication.threshold_detailed == 10
    assert len(opened.registry()) == 47


@pytest.mark.parametrize(
    ("language", "comment", "registry_comment"),
    [
        ("es", "# Nombre de la oficina, que se imprime en cada cuestionario.",
         "# Ministerios y Delegación del Gobierno"),
        ("en", "# Name of the office, printed on every questionnaire.",
         "# Ministries and the Government Delegation"),
    ],
)  # fmt: skip
def test_init_explains_the_files_in_the_language_it_records(
    tmp_path, run, monkeypatch, language, comment, registry_comment
):
    monkeypatch.setenv("RAPPORTEUR_LANG", language)
    result = run("init", tmp_path / "office")
    assert result.exit_code == 0, result.output

    settings = (tmp_path / "office" / "rapporteur.toml").read_text(encoding="utf-8")
    registry = (tmp_path / "office" / "agencies.toml").read_text(encoding="utf-8")
    assert comment in settings.splitlines()
    assert registry_comment in registry.splitlines()
    assert open_workspace(tmp_path / "office").language == language
    templates = resources.files("rapporteur.data")
    for name, written in (("rapporteur.toml", settings), ("agencies.toml", registry)):
        expected = tomllib.loads(templates.joinpath(name).read_text(encoding="utf-8"))
        if name == "rapporteur.toml":
            expected["office"]["language"] = language
        assert tomllib.loads(written) == expected  # only the comments differ
    monkeypatch.delenv("RAPPORTEUR_LANG")
    help_text = run("-w", tmp_path / "office", "--help").output
    assert ("Uso:" if language == "es" else "Usage:") in help_text
