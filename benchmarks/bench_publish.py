"""Time of `summary --publish`: the demo round's whole publication protected and audited.

Run by hand:  python benchmarks/bench_publish.py [--runs 3] [--office DIR]

Without --office, runs `rapporteur demo --keep` in a temporary folder first (about 20 s).
Then times, as medians of several runs, the three stages of a publication of the latest
round (every view, the comparison with a year earlier and the trend): building the views
from the archive, choosing what to hide, and the audit; and prints the total against the
budget of 10 s on the project's 2-core machine.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapporteur.archive import Archive
from rapporteur.disclosure import GROUPINGS, rules_of
from rapporteur.disclosure.audit import audit
from rapporteur.disclosure.model import build_model, facts_of
from rapporteur.disclosure.publication import apply, copied, prepare
from rapporteur.disclosure.suppression import protect
from rapporteur.summary import build_summary
from rapporteur.workspace import open_workspace

BUDGET = 10.0


def once(office: Path) -> dict[str, float]:
    workspace = open_workspace(office)
    archive, rules = Archive(workspace.archive_dir), rules_of(workspace.settings.publication)
    times = {}
    start = time.perf_counter()
    loaded: dict = {}
    views = {
        view: build_summary(
            archive, workspace.registry(), None, view, None, "default", loaded, True
        )
        for view in GROUPINGS
    }
    prepared = prepare(views, rules)
    facts = facts_of(prepared)
    model = build_model(prepared, rules, facts)
    times["views"] = time.perf_counter() - start
    start = time.perf_counter()
    protection = protect(model, rules)
    published = {view: copied(summary) for view, summary in prepared.items()}
    apply(published, model, protection, rules)
    times["protection"] = time.perf_counter() - start
    start = time.perf_counter()
    report = audit(published, rules, facts)
    times["audit"] = time.perf_counter() - start
    assert report.ok, "the publication fails its audit"
    times["figures"] = len(model.figures)
    times["hidden"] = len(report.findings)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--office", type=Path)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        office = options.office
        if office is None:
            office = Path(folder) / "office"
            subprocess.run(
                [sys.executable, "-m", "rapporteur", "demo", "--keep", str(office)],
                check=True,
                capture_output=True,
            )
        runs = [once(office) for _ in range(options.runs)]
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    total = median["views"] + median["protection"] + median["audit"]
    print(f"publication of the demo round: {median['figures']:.0f} figures, "
          f"{median['hidden']:.0f} hidden; medians of {options.runs} runs")  # fmt: skip
    for stage in ("views", "protection", "audit"):
        print(f"  {stage:<11} {median[stage]:6.2f} s")
    print(f"  {'total':<11} {total:6.2f} s = {total / BUDGET:.2f} × the budget of {BUDGET:.0f} s")


if __name__ == "__main__":
    main()
