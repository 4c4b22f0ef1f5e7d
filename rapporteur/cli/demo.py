"""`rapporteur demo`: the whole cycle on the bundled example office, as a user would run it.

Every step is the real command, run on a workspace made from `examples/office`, and
printed with the command line that produced it, so a newcomer can repeat any of them.
"""

import shutil
import tempfile
import time
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated

import typer

from rapporteur.cli.common import State, out, reports_errors, say, state_of
from rapporteur.messages import message
from rapporteur.rounds import Round

RECEIVED = {
    "2017-12": "2017-12-20",
    "2018-06": "2018-06-25",
    "2018-12": "2018-12-20",
    "2018-12-late": "2019-01-21",
    "2018-12-corrections": "2019-01-10",
    "2019-06": "2019-06-25",
}
HISTORY = (
    "archive", "import", "returns/historico/citco-2013-2016.csv", "--round", "2017-06",
    "--period", "2013-2016", "--source", "CITCO, serie 2013-2016",
)  # fmt: skip


def examples_folder() -> Traversable:
    # Installed: rapporteur/examples (see pyproject.toml); in a checkout: examples/.
    installed = resources.files("rapporteur") / "examples"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "examples"


def _copy(source: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir():
            _copy(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


@reports_errors
def demo(
    ctx: typer.Context,
    keep: Annotated[
        Path | None,
        typer.Option(help="Build the demo workspace in this folder and keep it.", file_okay=False),
    ] = None,
) -> None:
    """Run the whole cycle on the bundled example office: issue, collect, status, summary.

    Example: rapporteur demo --keep demo-office/
    """
    from rapporteur.cli import app
    from rapporteur.workspace import SECRET_FILE, SETTINGS_FILE

    state = state_of(ctx)
    language = state.language
    started = time.monotonic()
    temporary = None
    if keep is None:
        temporary = tempfile.mkdtemp(prefix="rapporteur-demo-")
        root = Path(temporary) / "office"
    else:
        root = keep
        if (root / SETTINGS_FILE).exists():
            from rapporteur.problems import WorkspaceError

            raise WorkspaceError("workspace.exists", path=root)
    try:
        examples = examples_folder()
        _copy(examples / "office", root)
        (root / SECRET_FILE).chmod(0o600)  # as `init` writes it: the example's key is no secret,
        # but a workspace built from it should not teach a readable one.
        (root / "archive").mkdir(exist_ok=True)
        returns = root / "returns"
        _copy(examples / "returns", returns)
        say(message("demo.intro", path=root), language, style="bold")
        # Each round is issued, then collected, as the office works: a file of an earlier
        # round collected once a later one is out needs --round (a late correction).
        # The figures published before the tool come first, so that trends start there.
        steps: list[list[str]] = [["agencies", "check"], list(HISTORY)]
        for round_text, folders in (
            ("2017-12", ("2017-12",)),
            ("2018-06", ("2018-06",)),
            ("2018-12", ("2018-12", "2018-12-late", "2018-12-corrections")),
        ):
            steps.append(["issue", "--round", round_text])
            for folder in folders:
                steps.append(
                    ["collect", f"returns/{folder}", "--received", RECEIVED[folder]]
                    + (["--round", "2018-12", "--feedback"] if folder.startswith("2018-12") else [])
                )
                if folder == "2018-12":
                    # Drafts for the agencies refused (their marked files attached) and for
                    # those not heard from, before the corrections and late returns come in.
                    steps.append(["remind"])
        steps += [
            # ong-02's first file, sent again after its correction: refused, not undone.
            ["collect", "returns/2018-12/ong-02.xlsx", "--received", "2019-01-14"],
            ["status"],
            # The paper's figures: the year 2017, asked in June 2018.
            ["summary", "--round", "2018-06", "--by-region", "--section", "s2"],
            ["summary", "--round", "2018-12", "--format", "xlsx", "-o", "resumen-2018-12.xlsx"],
            # The report of the year 2017: the edition for publication, to read and print,
            # and the internal edition, with the agencies' own words, to edit in Word.
            ["report", "--round", "2018-06", "--publish", "-o", "informe-2018-06.html"],
            ["report", "--round", "2018-06", "-o", "informe-2018-06.docx"],
            # June 2019: the first round of questionnaire version 2, and what changed.
            ["questionnaire", "diff", "v1", "v2"],
            ["issue", "--round", "2019-06"],
            ["collect", "returns/2019-06", "--received", RECEIVED["2019-06"]],
            ["summary", "--by-kind", "--section", "s1"],
            ["archive", "verify"],
        ]
        command = typer.main.get_command(app)
        for step in steps:
            out().print()
            out().print("$ rapporteur " + " ".join(step), style="bold cyan", markup=False)
            # A round is issued on its first day, as the office would have, not years later.
            state = State(language=language)
            if step[0] == "issue":
                state.today = Round.parse(step[step.index("--round") + 1]).starts_on
            _run(command, ["--workspace", str(root), *_absolute(step, root)], state)
        elapsed = time.monotonic() - started
        out().print()
        say(message("demo.done", seconds=f"{elapsed:.0f}", path=root), language, style="bold green")
        if keep is None:
            say(message("demo.removed"), language)
        else:
            say(message("demo.next", path=root), language)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


_FILES = (".xlsx", ".html", ".docx")


def _absolute(step: list[str], root: Path) -> list[str]:
    return [
        str(root / part) if part.startswith("returns/") or part.endswith(_FILES) else part
        for part in step
    ]


def _run(command, arguments: list[str], state: State) -> None:
    """Run one of our commands; a rejected return (exit 1) is part of the demonstration."""
    try:
        command.main(args=arguments, prog_name="rapporteur", standalone_mode=False, obj=state)
    except SystemExit as exit_:
        if exit_.code not in (0, 1, None):
            raise
    except typer.Exit as exit_:
        if exit_.exit_code not in (0, 1):
            raise
