"""The translators' files: templates and catalogues of every domain, kept up to date.

Three gettext domains, each a template (`rapporteur/locale/<domain>.pot`) and one catalogue
per language (`rapporteur/locale/<language>/LC_MESSAGES/<domain>.po`, compiled to `.mo`):

- `rapporteur`: the sentences of rapporteur/messages.py and the comments of the files
  `init` writes (read through babel.cfg);
- `cli`: the help of every command and option, and what Typer writes;
- `questionnaire`: the texts of the questionnaire definitions, for the languages other
  than the definition's own Spanish and English; the English text is the msgid, the
  Spanish its context.

`python -m rapporteur.catalogues` rewrites the templates from the code, brings every
catalogue up to date (new entries empty, gone entries dropped) and compiles them;
`python -m rapporteur.catalogues --new gl` starts the catalogues of a new language. Run
it at the top of a checkout: it reads and writes the sources there, since an installed
copy carries only the compiled catalogues. Nothing here runs when the tool is used;
Babel is a dependency anyway, for CLDR.
"""

import argparse
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rapporteur.definition import WRITTEN_IN
from rapporteur.messages import LANGUAGES, LOCALE_FOLDER, SOURCE_LANGUAGE

KEYWORDS = {"M": ((1, "c"), 2), "MP": ((1, "c"), 2, 3)}
DOMAINS = ("rapporteur", "cli", "questionnaire")
HEADER = {"project": "rapporteur", "copyright_holder": "the rapporteur authors"}


def templates(project: Path) -> dict[str, Any]:
    """Each domain's template, as the code of the checkout `project` declares it today."""
    from rapporteur.cli.help_template import template as cli_template

    return {
        "rapporteur": _sentences(project),
        "cli": cli_template(),
        "questionnaire": _definitions(project),
    }


def _sentences(project: Path) -> Any:
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (project / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(**HEADER)
    for _, _, text, comments, context in extract_from_dir(
        project, method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(text, context=context, auto_comments=comments)
    return catalog


def _definitions(project: Path) -> Any:
    from babel.messages.catalog import Catalog

    catalog = Catalog(**HEADER)
    for path in sorted((project / "questionnaires").glob("v*.toml")):
        with path.open("rb") as handle:
            document = tomllib.load(handle)
        for where, es, en in definition_texts(document):
            catalog.add(en, context=es, auto_comments=[f"{path.name}: {where}"])
    return catalog


def definition_texts(node: Any, where: str = "") -> Iterator[tuple[str, str, str]]:
    """(where, Spanish, English) of every text of a definition, in the file's order."""
    if isinstance(node, dict):
        if isinstance(node.get("es"), str) and isinstance(node.get("en"), str):
            yield where, node["es"], node["en"]
        name = node.get("id") or node.get("code")
        for key, value in node.items():
            yield from definition_texts(value, f"{where}{'/' + name if name else ''}.{key}")
    elif isinstance(node, list):
        for value in node:
            yield from definition_texts(value, where)


def catalogue_path(project: Path, language: str, domain: str, suffix: str = ".po") -> Path:
    return project / "rapporteur" / "locale" / language / "LC_MESSAGES" / f"{domain}{suffix}"


def refresh(project: Path, new: str | None = None) -> list[Path]:
    """Write the templates, update (or, for `new`, start) each catalogue, compile."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    written = []
    languages = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
    if new:
        languages.append(new)
    for domain, template in templates(project).items():
        pot = project / "rapporteur" / "locale" / f"{domain}.pot"
        if pot.exists():
            with pot.open("rb") as handle:
                before = read_po(handle)
            if _entries(before) == _entries(template):
                # Nothing to translate anew: keep the date, so that no file changes.
                template.creation_date = before.creation_date
        with pot.open("wb") as handle:
            write_po(handle, template, width=0, no_location=True, omit_header=False)
        written.append(pot)
        for language in languages:
            if domain == "questionnaire" and language in WRITTEN_IN:
                continue
            path = catalogue_path(project, language, domain)
            if path.exists():
                with path.open("rb") as handle:
                    catalogue = read_po(handle, locale=language, domain=domain)
            else:
                catalogue = Catalog(locale=language, domain=domain, **HEADER)
            catalogue.update(template, no_fuzzy_matching=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalogue, width=0, no_location=True, ignore_obsolete=True)
            with catalogue_path(project, language, domain, ".mo").open("wb") as handle:
                write_mo(handle, catalogue)
            written.append(path)
    return written


def _entries(catalog: Any) -> set[tuple[Any, Any, tuple[str, ...]]]:
    return {(m.context, m.id, tuple(m.auto_comments)) for m in catalog if m.id}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m rapporteur.catalogues", description=__doc__)
    parser.add_argument("--new", metavar="LANGUAGE", help="start the catalogues of a language")
    arguments = parser.parse_args(argv)
    project = Path.cwd()
    if not (project / "babel.cfg").is_file():
        parser.error("run it at the top of a checkout of rapporteur (no babel.cfg here)")
    for path in refresh(project, arguments.new):
        print(path.relative_to(project))
    if LOCALE_FOLDER.resolve() != (project / "rapporteur" / "locale").resolve():
        print(f"(the installed copy in {LOCALE_FOLDER} is not this checkout's: reinstall it)")


if __name__ == "__main__":
    main()
