"""Returns collected per second, against the floor of merely opening the same files.

Run by hand:  python benchmarks/bench_collect.py [--returns 200 2000] [--runs 3] [--jobs 1 2]
(2,000 returns take a while to prepare: every one is issued and filled first.)

For each size: issues a round to that many agencies, fills every questionnaire, then
times `collect` (a fresh archive each run) and, in the same run, the floor: opening each
file with openpyxl read-only and touching every cell once. Prints medians and the ratio.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bench_issue import workspace_with
from openpyxl import load_workbook
from plausible import plausible_return

from rapporteur.collecting import collect
from rapporteur.definition import load_definition
from rapporteur.issuing import IssueRequest, issue_round
from rapporteur.rounds import Round
from rapporteur.workbook.filling import fill_questionnaire

ROUND = Round(2018, 12)


def prepare(count: int, folder: Path):
    workspace = workspace_with(count, folder / "office")
    issue_round(workspace, IssueRequest(ROUND), today=ROUND.starts_on)
    definition = load_definition()
    returns = folder / "returns"
    returns.mkdir()
    for agency in workspace.registry():
        region = agency.region if agency.kind in ("CCAA", "LEA_REG") else "ES"
        value = plausible_return(definition, agency.kind, region)
        issued = workspace.issued_dir / str(ROUND) / f"{agency.id}.xlsx"
        fill_questionnaire(issued, value, returns / f"{agency.id}.xlsx")
    return workspace, returns


def floor(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        workbook = load_workbook(path, read_only=True)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for _ in row:
                    pass
        workbook.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--returns", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    options = parser.parse_args()
    for count in options.returns:
        with tempfile.TemporaryDirectory() as folder:
            workspace, returns = prepare(count, Path(folder))
            files = sorted(returns.glob("*.xlsx"))
            floors = [floor(files) for _ in range(options.runs)]
            floor_median = statistics.median(floors)
            print(f"{count} returns; floor (openpyxl read-only, every cell): "
                  f"{count / floor_median:.1f} files/s")  # fmt: skip
            for jobs in options.jobs:
                times = []
                for _ in range(options.runs):
                    shutil.rmtree(
                        workspace.archive_dir / str(ROUND) / "returns", ignore_errors=True
                    )
                    shutil.rmtree(
                        workspace.archive_dir / str(ROUND) / "consolidated", ignore_errors=True
                    )
                    start = time.perf_counter()
                    report = collect(workspace, [str(returns)], jobs=jobs)
                    times.append(time.perf_counter() - start)
                    assert report.rejected == 0, [
                        o.problems for o in report.outcomes if o.problems
                    ][:1]
                median = statistics.median(times)
                print(f"  collect --jobs {jobs}: {count / median:.1f} files/s "
                      f"({median:.1f} s; {median / floor_median:.2f} x the floor)")  # fmt: skip


if __name__ == "__main__":
    main()
