import re

import pytest
from conftest import run_subprocess


def test_workspace_found_in_a_parent_folder(workspace, run, monkeypatch):
    nested = workspace / "issued" / "deep"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)

    result = run("agencies", "check")

    assert result.exit_code == 0, result.output
    assert str(workspace / "agencies.toml") in result.output


def test_workspace_option_wins_over_the_current_folder(workspace, tmp_path, run, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    result = run("--workspace", workspace, "agencies", "check")

    assert result.exit_code == 0, result.output


def test_environment_variable_names_the_workspace(workspace, tmp_path, run, monkeypatch):
    monkeypatch.setenv("RAPPORTEUR_WORKSPACE", str(workspace))
    result = run("agencies", "check")
    assert result.exit_code == 0, result.output


def test_no_workspace_is_exit_3_with_a_clear_message(tmp_path, run):
    result = run("agencies", "list")

    assert result.exit_code == 3
    assert "No se encuentra ningún espacio de trabajo" in result.output
    assert "rapporteur init" in result.output
    assert "Traceback" not in result.output


def test_a_folder_without_settings_is_not_a_workspace(tmp_path, run):
    (tmp_path / "empty").mkdir()
    result = run("--workspace", tmp_path / "empty", "agencies", "list")
    assert result.exit_code == 3
    assert "no es un espacio de trabajo" in result.output


def test_broken_settings_name_the_line(workspace, run):
    settings = workspace / "rapporteur.toml"
    text = settings.read_text(encoding="utf-8").replace(
        "days_after_round_start = 30", "days_after_round_start = 0"
    )
    settings.write_text(text, encoding="utf-8")
    line = text.splitlines().index("days_after_round_start = 0") + 1

    result = run("--workspace", workspace, "agencies", "list")

    assert result.exit_code == 3
    assert (
        f"rapporteur.toml, línea {line}: «deadline.days_after_round_start»: "
        "debe ser como mínimo 1." in result.output
    )


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ('language = "es"', 'language = "fr"', "«office.language»: debe ser uno de estos "
         "valores: es, en, ca."),
        ("days_after_round_start = 30", 'days_after_round_start = "x"',
         "debe ser un número entero."),
        ("max_rows = 10000", "max_rows = 5", "«limits.max_rows»: debe ser como mínimo 100."),
        ('languages = ["es", "en", "ca"]', 'languages = ["en"]',
         "«office»: el idioma «es» debe ser uno de los idiomas ofrecidos (en)."),
        ('languages = ["es", "en", "ca"]', 'languages = "es"',
         'debe ser una lista entre corchetes, como ["es", "en"].'),
        ("time_limit_seconds = 30", "time_limit_seconds = 0", "debe ser mayor que 0."),
        ("time_limit_seconds = 30", 'time_limit_seconds = "x"', "debe ser un número."),
        ('name = "Oficina', 'colour = 1\nname = "Oficina',
         "«office.colour»: esta versión de rapporteur no tiene ese ajuste."),
        ('name = "Oficina del Relator Nacional sobre Trata de Seres Humanos"', "name = 5",
         "«office.name»: debe ser un texto entre comillas."),
        ("max_rows = 10000", "max_rows = 1.5", "debe ser un número entero."),
    ],
)  # fmt: skip
def test_every_settings_error_is_said_in_the_office_language_at_an_existing_line(
    workspace, run, old, new, said
):
    settings = workspace / "rapporteur.toml"
    text = settings.read_text(encoding="utf-8")
    assert old in text
    settings.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run("--workspace", workspace, "agencies", "list")
    assert result.exit_code == 3
    assert said in result.output
    [cited] = re.findall(r"rapporteur\.toml, línea (\d+):", result.output)
    lines = text.replace(old, new, 1).splitlines()
    assert 0 < int(cited) <= len(lines) and lines[int(cited) - 1].strip()
    assert not re.search(r"\b(Input|should|Value error)\b", result.output)


def test_settings_that_are_not_toml_name_the_line(workspace, run):
    settings = workspace / "rapporteur.toml"
    settings.write_text("[office]\nname = \n", encoding="utf-8")
    result = run("--workspace", workspace, "agencies", "list")
    assert result.exit_code == 3
    assert "rapporteur.toml, línea 2: el archivo no es TOML válido" in result.output


def test_no_workspace_as_a_subprocess_exits_3_without_traceback(tmp_path):
    result = run_subprocess("agencies", "list", cwd=tmp_path, env={"RAPPORTEUR_LANG": "en"})
    assert result.returncode == 3
    assert "No workspace (a folder holding rapporteur.toml) was found" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
