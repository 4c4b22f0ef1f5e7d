"""The `rapporteur` command line: parse arguments, call the library, render the result.

Heavy modules (pydantic models, openpyxl, Rich tables) are imported inside the commands
that need them, and help is plain text, so that `rapporteur --help` starts about as fast
as Typer itself.
"""

from pathlib import Path
from typing import Annotated

import typer

from rapporteur import __version__
from rapporteur.cli.agencies import agencies_app
from rapporteur.cli.archive import archive_app
from rapporteur.cli.collect import register_collect_command
from rapporteur.cli.common import state_of
from rapporteur.cli.documents import register_document_commands
from rapporteur.cli.issue import register_issue_command
from rapporteur.cli.questionnaire import questionnaire_app, schema_app
from rapporteur.cli.report import register_report_commands
from rapporteur.cli.translation import RapporteurGroup
from rapporteur.cli.workspace import register_workspace_commands

app = typer.Typer(
    name="rapporteur",
    cls=RapporteurGroup,
    help=(
        "Issue, collect, archive and summarise the biannual questionnaire of the National "
        "Rapporteur on trafficking in human beings.\n\n"
        "Example: rapporteur init office/ && cd office && rapporteur agencies list"
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    # Plain help: Rich's help renderer alone takes longer to import than Typer itself,
    # and `rapporteur --help` must start about as fast as Typer (benchmarks/).
    rich_markup_mode=None,
)
app.add_typer(agencies_app, name="agencies")
app.add_typer(questionnaire_app, name="questionnaire")
app.add_typer(schema_app, name="schema")
app.add_typer(archive_app, name="archive")
register_workspace_commands(app)
register_issue_command(app)
register_collect_command(app)
register_report_commands(app)
register_document_commands(app)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"rapporteur {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace folder. Default: $RAPPORTEUR_WORKSPACE, else the nearest folder "
            "upward holding rapporteur.toml.",
            file_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    state_of(ctx).workspace_option = workspace


def main() -> None:
    app(prog_name="rapporteur")
