"""Which workspace a command works in, found the way git finds a repository.

Kept apart from rapporteur.workspace, which reads settings with pydantic: the command line
needs the workspace's language before it prints its help, and must start fast.
"""

import os
from collections.abc import Mapping
from pathlib import Path

from rapporteur.problems import WorkspaceError

SETTINGS_FILE = "rapporteur.toml"
ENVIRONMENT_VARIABLE = "RAPPORTEUR_WORKSPACE"


def find_workspace(
    explicit: Path | None = None,
    environ: Mapping[str, str] = os.environ,
    start: Path | None = None,
) -> Path:
    """The workspace folder to use; raises WorkspaceError when there is none."""
    chosen = explicit or (
        Path(environ[ENVIRONMENT_VARIABLE]) if environ.get(ENVIRONMENT_VARIABLE) else None
    )
    if chosen is not None:
        if not (chosen / SETTINGS_FILE).is_file():
            raise WorkspaceError("workspace.not_a_workspace", path=chosen)
        return chosen.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise WorkspaceError("workspace.not_found", start=here)
