import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapporteur.cli import app

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No test may find a workspace or a language from the machine it runs on."""
    monkeypatch.delenv("RAPPORTEUR_WORKSPACE", raising=False)
    for variable in ("RAPPORTEUR_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def run():
    """Invoke the CLI in-process, as a user would type it."""
    runner = CliRunner()

    def invoke(*args: str, **kwargs):
        return runner.invoke(app, [str(arg) for arg in args], **kwargs)

    return invoke


@pytest.fixture
def workspace(tmp_path, run) -> Path:
    folder = tmp_path / "office"
    result = run("init", folder)
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def english_workspace(workspace) -> Path:
    settings = workspace / "rapporteur.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('language = "es"', 'language = "en"'),
        encoding="utf-8",
    )
    return workspace


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The demo's office, left in place (`demo --keep`), and what the demo printed."""
    folder = tmp_path_factory.mktemp("demo")
    result = run_subprocess("demo", "--keep", folder / "office", cwd=folder)
    return folder / "office", result


def run_subprocess(
    *args: str, cwd: Path, env: dict | None = None, **options
) -> subprocess.CompletedProcess:
    """Run `python -m rapporteur` in a separate process, outside the checkout."""
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environment.pop("RAPPORTEUR_WORKSPACE", None)
    return subprocess.run(
        [sys.executable, "-m", "rapporteur", *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        **options,
    )
