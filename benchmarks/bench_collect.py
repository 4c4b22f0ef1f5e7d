"""Returns collected per second, against two floors of merely reading the same files.

Run by hand:  python benchmarks/bench_collect.py [--returns 200 2000 10000] [--runs 3]
                                                 [--jobs 1 2] [--memory]

For each size: builds an office with that many agencies and one return per agency, then
times `collect` (a fresh archive each run) and, in the same run, two floors over the same
files: openpyxl read-only touching every cell once, and python-calamine reading every
cell of every sheet (the fastest reader there is), on a sample of 200 files scaled to
all. Prints medians and the ratios.

Returns are real questionnaires: one per kind of agency is issued and filled through the
library; every other agency's is a copy of it re-signed for that agency (its metadata
sheet rewritten, exactly as `issue` would have written it), and the round record lists
every agency as issued. This makes 10,000 returns in about a minute instead of hours.

`--memory` also runs collect of each size in a child process and prints its peak
resident memory, which must not grow with the number of files.
"""

import argparse
import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bench_issue import workspace_with
from openpyxl import load_workbook
from plausible import plausible_return
from python_calamine import CalamineWorkbook

from rapporteur.archive import Archive
from rapporteur.collecting import collect
from rapporteur.definition import load_definition
from rapporteur.issuing import IssueRequest, issue_round
from rapporteur.rounds import Round
from rapporteur.workbook.filling import fill_questionnaire
from rapporteur.workbook.metadata import METADATA_SHEET
from rapporteur.workbook.reader import read_questionnaire
from rapporteur.workbook.sources import workbook_names_and_parts
from rapporteur.workspace import open_workspace

ROUND = Round(2018, 12)


def prepare(count: int, folder: Path):
    workspace = workspace_with(count, folder / "office")
    registry = list(workspace.registry())
    secret = workspace.secret()
    models = {}
    for agency in registry:
        models.setdefault((agency.kind, agency.region, agency.language), agency)
    issue_round(
        workspace,
        IssueRequest(ROUND, agency_ids=[agency.id for agency in models.values()]),
        today=ROUND.starts_on,
    )
    definition = load_definition()
    returns = folder / "returns"
    returns.mkdir()
    filled = {}
    for key, agency in models.items():
        region = agency.region if agency.kind in ("CCAA", "LEA_REG") else "ES"
        issued = workspace.issued_dir / str(ROUND) / f"{agency.id}.xlsx"
        filled[key] = returns / f"{agency.id}.xlsx"
        fill_questionnaire(issued, plausible_return(definition, agency.kind, region), filled[key])
    archive = Archive(workspace.archive_dir)
    record = archive.read_round(ROUND)
    entries = {entry.agency: entry for entry in record.issued}
    issued = []
    for agency in registry:
        key = (agency.kind, agency.region, agency.language)
        model = models[key]
        issued.append(dataclasses.replace(entries[model.id], agency=agency.id))
        if agency.id != model.id:
            resigned(filled[key], returns / f"{agency.id}.xlsx", model.id, agency.id, secret)
    with archive.writing() as session:
        session.write_round(dataclasses.replace(record, issued=tuple(issued)))
    return workspace, returns


def resigned(source: Path, target: Path, old: str, new: str, secret: bytes) -> None:
    """The return of `old` as if issued to `new`: its metadata sheet names `new`, signed."""
    read = read_questionnaire(source)
    metadata = dataclasses.replace(read.metadata, agency=new)
    with zipfile.ZipFile(source) as package:
        _, parts = workbook_names_and_parts(package)
        sheet = parts[METADATA_SHEET]
        contents = {info.filename: package.read(info) for info in package.infolist()}
    text = contents[sheet]
    text = text.replace(f">{old}<".encode(), f">{new}<".encode())
    text = text.replace(read.signature.encode(), metadata.signature(secret).encode())
    contents[sheet] = text
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in contents.items():
            package.writestr(name, content)


def openpyxl_floor(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        workbook = load_workbook(path, read_only=True)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for _ in row:
                    pass
        workbook.close()
    return time.perf_counter() - start


def calamine_floor(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=False):
                for _ in row:
                    pass
        workbook.close()
    return time.perf_counter() - start


def fresh_archive(workspace) -> None:
    for part in ("returns", "consolidated"):
        shutil.rmtree(workspace.archive_dir / str(ROUND) / part, ignore_errors=True)
    shutil.rmtree(workspace.root / ".cache", ignore_errors=True)


def peak_memory(office: Path, returns: Path, jobs: int) -> tuple[float, float]:
    """Peak resident memory of a collect in its own process, and of its largest worker
    (with --jobs above 1), in MB. Linux only (/proc)."""
    code = (
        "import resource, sys\n"
        "from rapporteur.collecting import collect\n"
        "from rapporteur.workspace import open_workspace\n"
        "from pathlib import Path\n"
        "workspace = open_workspace(Path(sys.argv[1]))\n"
        "report = collect(workspace, [sys.argv[2]], jobs=int(sys.argv[3]))\n"
        "assert report.rejected == 0\n"
        # VmHWM, not RUSAGE_SELF: Linux carries a parent's peak into a child it starts.
        "status = open('/proc/self/status').read()\n"
        "own = int(status.split('VmHWM:')[1].split()[0])\n"
        "workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(own, workers)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(office), str(returns), str(jobs)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    own, workers = (int(value) / 1024 for value in done.stdout.split())
    return own, workers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--returns", type=int, nargs="+", default=[200, 2000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    parser.add_argument("--memory", action="store_true")
    options = parser.parse_args()
    for count in options.returns:
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            workspace, returns = prepare(count, Path(folder))
            files = sorted(returns.glob("*.xlsx"))
            print(f"{count} returns prepared in {time.perf_counter() - started:.0f} s")
            # The floors are per file: measured on at most 200 of them, then scaled, since
            # openpyxl alone would take minutes at 10,000.
            sample = files[:: max(1, len(files) // 200)]
            scale = len(files) / len(sample)
            openpyxl_time = scale * statistics.median(
                openpyxl_floor(sample) for _ in range(options.runs)
            )
            calamine_time = scale * statistics.median(
                calamine_floor(sample) for _ in range(options.runs)
            )
            print(f"  floor, openpyxl read-only, every cell: {count / openpyxl_time:.0f} files/s "
                  f"({openpyxl_time / count * 1000:.1f} ms per file)")  # fmt: skip
            print(f"  floor, python-calamine, every cell:    {count / calamine_time:.0f} files/s "
                  f"({calamine_time / count * 1000:.1f} ms per file)")  # fmt: skip
            for jobs in options.jobs:
                times = []
                for _ in range(options.runs):
                    fresh_archive(workspace)
                    start = time.perf_counter()
                    report = collect(open_workspace(workspace.root), [str(returns)], jobs=jobs)
                    times.append(time.perf_counter() - start)
                    assert report.rejected == 0, [
                        o.problems for o in report.outcomes if o.problems
                    ][:1]
                median = statistics.median(times)
                print(f"  collect --jobs {jobs}: {count / median:.0f} files/s ({median:.1f} s; "
                      f"{median / openpyxl_time:.2f} x the openpyxl floor, "
                      f"{median / calamine_time:.1f} x the calamine floor)")  # fmt: skip
            if options.memory:
                for jobs in options.jobs:
                    fresh_archive(workspace)
                    own, workers = peak_memory(workspace.root, returns, jobs)
                    largest = f", largest worker {workers:.0f} MB" if jobs > 1 else ""
                    print(f"  peak memory of collect --jobs {jobs}: {own:.0f} MB{largest}")


if __name__ == "__main__":
    main()
