"""Writes the template of the `cli` catalogue, rapporteur/locale/cli.pot: every help text
of the command line, the words that stand for values, and what Typer translates.
`python -m rapporteur.catalogues` writes it with the other templates."""

from pathlib import Path
from typing import Any

from rapporteur.cli.translation import HELP, METAVAR, commands, help_texts, metavar


def template() -> Any:
    """The `cli` catalogue's template: every help text, every word for a value, and what
    Typer translates."""
    import typer
    import typer.main
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    from rapporteur.cli import app

    catalog = Catalog(project="rapporteur", copyright_holder="the rapporteur authors")
    root = typer.main.get_command(app)
    for text in help_texts(root):
        catalog.add(text, context=HELP)
    for command in commands(root):
        for param in command.params:
            word = metavar(param)
            if word is not None:
                catalog.add(word, context=METAVAR)
    for _, _, text, _, context in extract_from_dir(Path(typer.__file__).parent):
        catalog.add(text, context=context)
    return catalog
