"""Start-up time of the command line, against Python itself and Typer alone.

Run by hand:  python benchmarks/bench_startup.py [--runs 20]

Times, as medians of several runs of fresh processes, `python -c pass`, `python -c
"import typer"`, `rapporteur --help` and `rapporteur status` in a small workspace, and
prints each as a ratio to importing Typer alone. The target is `--help` within 1.5 x.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapporteur.issuing import IssueRequest, issue_round
from rapporteur.rounds import Round
from rapporteur.workspace import init_workspace


def wall(command: list[str], runs: int, cwd: Path) -> float:
    environment = {**os.environ, "NO_COLOR": "1"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=environment, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    rapporteur = [sys.executable, "-m", "rapporteur"]
    with tempfile.TemporaryDirectory() as folder:
        office = Path(folder) / "office"
        workspace = init_workspace(office)
        issue_round(workspace, IssueRequest(Round(2018, 12), agency_ids=["ong-01"]))
        measured = {
            "python -c pass": wall([sys.executable, "-c", "pass"], options.runs, office),
            "import typer": wall([sys.executable, "-c", "import typer"], options.runs, office),
            "rapporteur --help": wall([*rapporteur, "--help"], options.runs, office),
            "rapporteur status": wall([*rapporteur, "status"], options.runs, office),
        }
    typer_alone = measured["import typer"]
    for name, seconds in measured.items():
        print(f"{name:20} {seconds * 1000:6.0f} ms   {seconds / typer_alone:4.2f} x import typer")


if __name__ == "__main__":
    main()
