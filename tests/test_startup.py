"""`rapporteur --help` must start about as fast as Typer: it may not import the heavy
modules that only some commands need. (The time itself is measured in benchmarks/.)"""

import subprocess
import sys

HEAVY = {
    "openpyxl", "pydantic", "rich", "python_calamine", "defusedxml", "tomli_w", "scipy", "numpy",
    "babel",  # CLDR's data: only where a figure, a date or a country is written
    "jinja2", "matplotlib", "docx", "lxml",  # the report's, imported by `report` alone
}  # fmt: skip

PROBE = """
import sys
from rapporteur.cli import app
try:
    app(sys.argv[1:], prog_name="rapporteur")
except SystemExit:
    pass
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def imported_by(*arguments: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *arguments], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.splitlines()[-1].split())


def test_help_imports_none_of_the_heavy_modules():
    assert imported_by("--help") & HEAVY == set()
    # Typer itself imports pydantic to read a command's parameters, if it is installed.
    assert imported_by("collect", "--help") & HEAVY == {"pydantic"}
    assert imported_by("report", "--help") & HEAVY == {"pydantic"}


def test_the_probe_sees_heavy_modules_where_they_are_used(tmp_path):
    loaded = imported_by("init", str(tmp_path / "office"))
    assert "pydantic" in loaded
    assert "babel" in loaded  # "con 45 organismos": the count is written by CLDR's rules
