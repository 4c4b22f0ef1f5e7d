"""Time of `summary` over an archive of many rounds of many agencies.

Run by hand:  python benchmarks/bench_summary.py [--rounds 20] [--agencies 200] [--runs 5]

Builds the archive directly through the archive layer (every agency's return recorded and
consolidated, as collect would), then times building the summary, and rendering it to
JSON, as medians of several runs.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bench_issue import workspace_with
from plausible import plausible_return

from rapporteur.archive import Archive, NewReturn, RoundRecord
from rapporteur.definition import load_definition
from rapporteur.summary import build_summary
from rapporteur.summary_output import to_json


def build_archive(rounds: int, agencies: int, folder: Path):
    workspace = workspace_with(agencies, folder / "office")
    registry = workspace.registry()
    definition = load_definition()
    values = {}
    for agency in registry:
        region = agency.region if agency.kind in ("CCAA", "LEA_REG") else "ES"
        values[agency.id] = plausible_return(definition, agency.kind, region)
    archive = Archive(workspace.archive_dir)
    from rapporteur.archive import IssuedQuestionnaire, utc_now
    from rapporteur.rounds import Round

    round_ = Round(2009, 6)
    for _ in range(rounds):
        issued = tuple(
            IssuedQuestionnaire(agency.id, agency.kind, "es", f"issued/{agency.id}.xlsx", "0" * 64,
                                "0" * 64, round_.starts_on, utc_now(), "bench")
            for agency in registry
        )  # fmt: skip
        with archive.writing() as session:
            session.write_round(RoundRecord(round_, 1, round_.period(), round_.starts_on, issued))
            for agency in registry:
                session.record_return(
                    round_,
                    NewReturn(agency.id, agency.kind, 1, values[agency.id], "x.xlsx", "0" * 64),
                )
        round_ = round_.next
    return workspace


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        workspace = build_archive(options.rounds, options.agencies, Path(folder))
        print(f"archive of {options.rounds} rounds x {options.agencies} agencies built in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        archive, registry = Archive(workspace.archive_dir), workspace.registry()
        start = time.perf_counter()
        to_json(build_summary(archive, registry), "es")
        print(f"first summary after the archive was written: {time.perf_counter() - start:.2f} s")
        shutil.rmtree(workspace.root / ".cache", ignore_errors=True)
        start = time.perf_counter()
        to_json(build_summary(archive, registry), "es")
        print(f"first summary with .cache/ deleted: {time.perf_counter() - start:.2f} s")
        times = []
        for _ in range(options.runs):
            start = time.perf_counter()
            summary = build_summary(archive, registry)
            to_json(summary, "es")
            times.append(time.perf_counter() - start)
        print(f"summary (latest round, compared, with the trend over every round), cache "
              f"warm: median {statistics.median(times):.2f} s of {options.runs} runs")  # fmt: skip


if __name__ == "__main__":
    main()
