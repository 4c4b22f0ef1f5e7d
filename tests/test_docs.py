"""Documentation that cannot go stale: every command has help with an example and is in
the README."""

import re

import pytest
from conftest import PROJECT

from rapporteur.cli import app


def all_commands(typer_app, prefix=()):
    for command in typer_app.registered_commands:
        name = command.name or command.callback.__name__
        yield (*prefix, name), command.callback
    for group in typer_app.registered_groups:
        yield from all_commands(group.typer_instance, (*prefix, group.name))


COMMANDS = sorted(all_commands(app))


@pytest.mark.parametrize(("path", "callback"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_with_an_example(path, callback, run):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Ejemplo: rapporteur " + " ".join(path) in " ".join(result.output.split())
    assert callback.__doc__ and "Example: rapporteur " + " ".join(path) in callback.__doc__


GROUPS = [group.name for group in app.registered_groups]


@pytest.mark.parametrize("group", GROUPS)
def test_every_group_of_commands_has_help_with_an_example(group, run):
    result = run(group, "--help")
    assert result.exit_code == 0
    assert f"Ejemplo: rapporteur {group} " in " ".join(result.output.split())


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_is_in_the_readme(path):
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert f"rapporteur {' '.join(path)}" in readme


def test_ci_runs_exactly_the_readme_test_command():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- test-command -->\n```\n(.+?)\n```", readme, re.DOTALL)
    assert block is not None
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci
    assert "pytest" in block.group(1) and "ruff check" in block.group(1)
    assert "python3 -m venv" in block.group(1)


def test_readme_demo_command_runs_the_demo():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- demo-command -->\n```\n(.+?)\n```", readme, re.DOTALL)
    assert block is not None
    assert block.group(1).endswith("rapporteur demo")
