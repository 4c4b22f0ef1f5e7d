"""The command line speaks the workspace's language from its first word: help texts,
headings, usage errors; before there is a workspace, $RAPPORTEUR_LANG, then the system's."""

import os
import re
import subprocess
import sys

import pytest
import typer.main

from rapporteur.cli import app
from rapporteur.cli.translation import invocation_language, system_language

# Words that give English away in Spanish output, and Click's prefixes.
GIVEAWAYS = re.compile(
    r"\b(the|of|Missing|Invalid|True|False|Usage|Options|Commands|Arguments|Try)\b"
    r"|Error:|Show this message"
)
PLACEHOLDERS = re.compile(r"<(str|int|dir|path|file|list\[)|\{\w+\}|%[YmdHM]")


def command_paths():
    """Every command of the command line, as a user types it: ('archive', 'verify')."""
    root = typer.main.get_command(app)
    found = []

    def walk(command, path):
        found.append(path)
        for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
            walk(sub, (*path, name))

    walk(root, ())
    return found


def set_language(workspace, language):
    settings = workspace / "rapporteur.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace('language = "es"', f'language = "{language}"', 1))


@pytest.mark.parametrize("path", command_paths(), ids=lambda path: " ".join(path) or "root")
def test_every_help_is_in_the_workspace_language(workspace, run, path):
    result = run("-w", workspace, *path, "--help")

    assert result.exit_code == 0, result.output
    assert result.output.startswith("Uso: rapporteur")
    assert "Opciones:" in result.output and "Muestra esta ayuda y termina." in result.output
    assert not GIVEAWAYS.search(result.output), GIVEAWAYS.search(result.output)
    # Values are named as a manual page names them (RONDA, ARCHIVO...), not by the types
    # or the format strings of the code.
    assert not PLACEHOLDERS.search(result.output), PLACEHOLDERS.search(result.output)


def test_values_are_named_in_the_words_of_the_reader(workspace, run):
    issue = run("-w", workspace, "issue", "--help").output
    assert "--round RONDA" in issue and "--deadline AAAA-MM-DD" in issue
    assert "--out CARPETA" in issue and "--jobs N" in issue
    collect = run("-w", workspace, "collect", "--help").output
    assert collect.startswith("Uso: rapporteur collect [OPCIONES] ARCHIVO...")
    history = run("-w", workspace, "archive", "show", "--help").output
    assert history.startswith("Uso: rapporteur archive show [OPCIONES] RONDA [ORGANISMO]")
    set_language(workspace, "ca")
    catalan = run("-w", workspace, "collect", "--help").output
    assert catalan.startswith("Ús: rapporteur collect [OPCIONS] FITXER...")


def test_an_english_workspace_gets_english_help(workspace, run):
    set_language(workspace, "en")
    result = run("-w", workspace, "collect", "--help")
    assert result.output.startswith("Usage: rapporteur collect [OPTIONS]")
    assert "Validate returned questionnaires" in result.output
    assert "Show this help and exit." in result.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["collect"], "Falta el argumento ARCHIVO."),
        (["summary", "--format", "pdf"],
         "Valor no válido para --format: «pdf» no es uno de los valores posibles: table,"),
        (["status", "--bogus"], "No existe la opción --bogus."),
        (["collect", "x.xlsx", "--received", "mañana"],
         "Valor no válido para --received: «mañana» no es una fecha; escríbala como 2019-01-15,"
         " 15/01/2019"),
        (["archive", "list", "sobrante"], "Sobra: sobrante."),
        (["issue", "--round"], "La opción --round necesita un valor."),
        (["archive", "diff", "2018-12", "ong-01", "--from", "uno"],
         "Valor no válido para --from: se espera un número entero."),
        (["publicar"], "No existe la orden 'publicar'."),
        (["colect"], "No existe la orden 'colect'. ¿Quería decir 'collect'?"),
    ],
)  # fmt: skip
def test_usage_errors_are_told_in_the_workspace_language(workspace, run, args, says):
    result = run("-w", workspace, *args)

    assert result.exit_code == 2
    assert says in " ".join(result.output.split())
    if args != ["issue", "--round"]:  # the parser gives no context for a missing value
        assert "Para ver la ayuda: rapporteur" in result.output
        assert result.output.startswith("Uso: rapporteur")
    assert not GIVEAWAYS.search(result.output), GIVEAWAYS.search(result.output)


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "es"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LANG": "C.UTF-8"}, "es"),
        ({"LANG": "de_DE.UTF-8"}, "es"),
        ({"LC_ALL": "es_ES.UTF-8", "LANG": "en_GB.UTF-8"}, "es"),
        ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "es_ES.UTF-8"}, "en"),
        ({"RAPPORTEUR_LANG": "en", "LANG": "es_ES.UTF-8"}, "en"),
        ({"RAPPORTEUR_LANG": "es", "LC_ALL": "en_US.UTF-8"}, "es"),
    ],
)
def test_without_a_workspace_the_tool_speaks_the_chosen_or_the_system_language(
    environ, language, tmp_path
):
    assert system_language(environ) == language
    assert invocation_language([], environ, start=tmp_path) == language


def test_the_workspace_language_outranks_the_system(workspace, tmp_path):
    set_language(workspace, "en")
    spanish = {"RAPPORTEUR_LANG": "es", "LANG": "es_ES.UTF-8"}
    assert invocation_language(["-w", str(workspace), "status"], spanish) == "en"
    assert invocation_language([f"--workspace={workspace}"], spanish) == "en"
    assert invocation_language([], {**spanish, "RAPPORTEUR_WORKSPACE": str(workspace)}) == "en"
    assert invocation_language([], spanish, start=workspace / "archive") == "en"
    assert invocation_language([], spanish, start=tmp_path / "elsewhere") == "es"


def test_the_installed_command_tells_a_usage_error_in_the_system_language(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("RAPPORTEUR", "LC_"))}
    for language, says in (("es_ES.UTF-8", "Falta el argumento ARCHIVO."),
                           ("en_GB.UTF-8", "Missing argument FILE.")):  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "rapporteur", "collect"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**environ, "LANG": language},
            timeout=120,
        )
        assert result.returncode == 2
        assert says in result.stderr
        assert "Traceback" not in result.stderr
