"""A separate process that writes to the archive, for the crash and concurrency tests.

    python tests/archive_writer.py ARCHIVE ROUND AGENCY[,AGENCY...] VALUE [--hold SECONDS] [--wait]

Records a return for each agency (every count set to VALUE) in one locked write.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from plausible import plausible_return

from rapporteur.archive import Archive, NewReturn
from rapporteur.definition import load_definition
from rapporteur.rounds import Round


def main() -> None:
    archive_root, round_text, agencies, value = sys.argv[1:5]
    hold = float(sys.argv[sys.argv.index("--hold") + 1]) if "--hold" in sys.argv else 0
    data = plausible_return(load_definition(), "NGO")
    data["s2_svc_legal"] = int(value)
    with Archive(Path(archive_root)).writing(wait="--wait" in sys.argv) as session:
        print("locked", flush=True)
        time.sleep(hold)
        for agency in agencies.split(","):
            session.record_return(
                Round.parse(round_text),
                NewReturn(agency, "NGO", 1, data, f"{agency}.xlsx", "0" * 64),
            )


if __name__ == "__main__":
    main()
