"""`rapporteur init` and `rapporteur demo`."""

from pathlib import Path
from typing import Annotated

import typer

from rapporteur.cli.common import reports_errors, say, state_of
from rapporteur.messages import message


def register_workspace_commands(app: typer.Typer) -> None:
    from rapporteur.cli.demo import demo

    app.command("init")(init)
    app.command("demo")(demo)


@reports_errors
def init(
    ctx: typer.Context,
    folder: Annotated[
        Path, typer.Argument(help="Folder of the new workspace; created if it does not exist.")
    ] = Path("."),
) -> None:
    """Create a workspace: settings, the Spanish agency registry, an empty archive, a secret key.

    Example: rapporteur init office/
    """
    from rapporteur.workspace import init_workspace

    state = state_of(ctx)
    workspace = init_workspace(folder, state.language)
    registry = workspace.registry()
    say(
        message("init.created", path=workspace.root, agencies=len(registry)),
        state.language,
        style="green",
    )
    say(message("init.next", path=folder), state.language)
