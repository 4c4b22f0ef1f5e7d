"""Writes the template of the `cli` catalogue, rapporteur/locale/cli.pot: every help text
of the command line, and what Typer translates. Run `python -m rapporteur.cli.help_template`
(see "Languages" in the README)."""

from pathlib import Path
from typing import Any

from rapporteur.cli.translation import DOMAIN, HELP, help_texts
from rapporteur.messages import LOCALE_FOLDER


def template() -> Any:
    """The `cli` catalogue's template: every help text, and what Typer translates."""
    import typer
    import typer.main
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    from rapporteur.cli import app

    catalog = Catalog(project="rapporteur", copyright_holder="the rapporteur authors")
    for text in help_texts(typer.main.get_command(app)):
        catalog.add(text, context=HELP)
    for _, _, text, _, context in extract_from_dir(Path(typer.__file__).parent):
        catalog.add(text, context=context)
    return catalog


if __name__ == "__main__":
    from babel.messages.pofile import write_po

    with (LOCALE_FOLDER / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template(), width=0, no_location=True)
