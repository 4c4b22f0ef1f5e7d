"""A separate process that writes to the archive, for the crash and concurrency tests.

    python tests/archive_writer.py ARCHIVE ROUND AGENCY[,AGENCY...] VALUE [--hold SECONDS] [--wait]
        [--refuse AGENCY]
    python tests/archive_writer.py ARCHIVE --collect FOLDER

Records a return for each agency (every count set to VALUE) in one locked write, and with
--refuse, the receipt of a file refused for another agency in the same write. With
--collect, collects the returns in FOLDER (two processes reading them) instead. With
RAPPORTEUR_TEST_CRASH_AT_STEP=n in the environment, the process kills itself at the n-th
step of the write.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from plausible import plausible_return

from rapporteur.archive import Archive, NewReceipt, NewReturn
from rapporteur.collecting import collect
from rapporteur.definition import load_definition
from rapporteur.rounds import Round
from rapporteur.workspace import open_workspace

CRASH = "RAPPORTEUR_TEST_CRASH_AT_STEP"


def crash_at(wanted: str | None):
    """A step counter that kills this process at the wanted step of the write."""
    count = 0

    def step() -> None:
        nonlocal count
        count += 1
        if wanted is not None and count >= int(wanted):
            os.kill(os.getpid(), 9)

    return step


def main() -> None:
    if "--collect" in sys.argv:
        root = Path(sys.argv[1])
        workspace = open_workspace(root.parent)
        archive = Archive(root, key=workspace.secret(), step=crash_at(os.environ.get(CRASH)))
        folder = sys.argv[sys.argv.index("--collect") + 1]
        report = collect(workspace, [folder], jobs=2, archive=archive)
        print(*sorted(f"{o.file.name}:{o.decision}" for o in report.outcomes))
        return
    archive_root, round_text, agencies, value = sys.argv[1:5]
    hold = float(sys.argv[sys.argv.index("--hold") + 1]) if "--hold" in sys.argv else 0
    refused = sys.argv[sys.argv.index("--refuse") + 1] if "--refuse" in sys.argv else None
    definition = load_definition()
    data = plausible_return(definition, "NGO")
    data["s2_svc_legal"] = int(value)
    root = Path(archive_root)
    key = open_workspace(root.parent).secret()
    with Archive(root, key=key, step=crash_at(os.environ.get(CRASH))).writing(
        wait="--wait" in sys.argv
    ) as session:
        print("locked", flush=True)
        time.sleep(hold)
        for agency in agencies.split(","):
            session.record_return(
                Round.parse(round_text),
                NewReturn(agency, "NGO", definition.version, data, f"{agency}.xlsx", "0" * 64),
            )
        if refused is not None:
            problem = {"code": "R1", "sheet": "2 Asistencia", "cell": "B67",
                       "es": "Falta un dato.", "en": "A figure is missing."}  # fmt: skip
            session.record_receipt(
                Round.parse(round_text),
                NewReceipt(refused, "NGO", "rejected", f"{refused}.xlsx", "1" * 64, (problem,)),
            )


if __name__ == "__main__":
    main()
