"""Time to issue the questionnaires of one round for 200 agencies.

Run by hand:  python benchmarks/bench_issue.py [--agencies 200] [--runs 3]

Prints the median wall time of several runs (each in a fresh workspace), per workbook,
and the share spent by openpyxl saving the workbooks, measured in the same run.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from rapporteur.issuing import IssueRequest, issue_round
from rapporteur.rounds import Round
from rapporteur.workbook import writer
from rapporteur.workspace import REGISTRY_FILE, init_workspace

KINDS = ["NGO", "CCAA", "LEA_STATE", "FISC", "MIN_SOC", "FEMP"]


def workspace_with(agencies: int, folder: Path):
    workspace = init_workspace(folder)
    blocks = []
    for number in range(agencies - len(workspace.registry())):
        kind = KINDS[number % len(KINDS)]
        region = "ES-AN" if kind == "CCAA" else "ES"
        blocks.append(
            f'\n[[agency]]\nid = "bench-{number:04d}"\nname = "Organismo {number}"\n'
            f'kind = "{kind}"\nregion = "{region}"\nemail = "b{number}@example.org"\n'
        )
    registry = workspace.root / REGISTRY_FILE
    registry.write_text(registry.read_text(encoding="utf-8") + "".join(blocks), encoding="utf-8")
    return workspace


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    saving: list[float] = []
    original_save = writer.Workbook.save

    def timed_save(self, filename):
        start = time.perf_counter()
        original_save(self, filename)
        saving.append(time.perf_counter() - start)

    writer.Workbook.save = timed_save
    totals, save_totals = [], []
    for _ in range(options.runs):
        with tempfile.TemporaryDirectory() as folder:
            workspace = workspace_with(options.agencies, Path(folder) / "office")
            saving.clear()
            start = time.perf_counter()
            report = issue_round(
                workspace, IssueRequest(Round(2018, 12)), today=Round(2018, 12).starts_on
            )
            totals.append(time.perf_counter() - start)
            save_totals.append(sum(saving))
            assert len(report.issued) == options.agencies
    total = statistics.median(totals)
    saved = statistics.median(save_totals)
    print(f"issue {options.agencies} questionnaires: median {total:.2f} s of {options.runs} runs")
    print(f"  {options.agencies / total:.1f} workbooks/s, "
          f"{total / options.agencies * 1000:.0f} ms per workbook")  # fmt: skip
    print(f"  openpyxl saving: {saved:.2f} s ({saved / total:.0%} of the total)")


if __name__ == "__main__":
    main()
