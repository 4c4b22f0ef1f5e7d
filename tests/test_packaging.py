"""The installed tool works outside the checkout: entry point, module, package data."""

import os
import subprocess
import sys

from conftest import PROJECT, run_subprocess


def test_python_m_rapporteur_shows_help(tmp_path):
    result = run_subprocess("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("init", "agencies", "demo"):
        assert command in result.stdout


def test_demo_command_exists(tmp_path):
    result = run_subprocess("demo", cwd=tmp_path)
    assert result.returncode == 0
    assert "demo" in result.stdout.lower() or "demostración" in result.stdout.lower()


def test_a_plain_install_carries_the_questionnaire_definitions_and_catalogues(tmp_path):
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", target, PROJECT],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    assert (target / "rapporteur" / "questionnaires" / "v1.toml").is_file()
    assert (target / "rapporteur" / "questionnaires" / "v2.toml").is_file()
    assert (target / "rapporteur" / "data" / "agencies.toml").is_file()
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import rapporteur.definition as d, rapporteur.messages as m; "
            "print(d.__file__); print(d.load_definition().version); "
            "print(m.message('verify.damaged', count=2).render('es'))",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    module_file, version, spanish = probe.stdout.splitlines()
    assert module_file.startswith(str(target))
    assert version == "2"  # the latest
    assert spanish == "El archivo histórico tiene 2 problemas:"


def test_every_subpackage_is_installed():
    import tomllib

    listed = set(
        tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(PROJECT).parts)
        for init in (PROJECT / "rapporteur").rglob("__init__.py")
    }
    assert found <= listed, "add the missing packages to [tool.setuptools] packages"
