"""The files `init` writes (rapporteur/data/), with their comments in the office's language.

The templates are written in English; each block of comment lines is a sentence of the
message catalogue, with the file's name as its context, so that a Spanish workspace opens
with Spanish explanations and adding a language stays a matter of .po files. Babel's
extraction (`python -m rapporteur.catalogues`) reads the blocks through `extract_comments`.
"""

from collections.abc import Iterator
from importlib import resources
from typing import IO, Any

from rapporteur.messages import Language, translations


def rendered(name: str, language: Language) -> str:
    """The template `name` with its comments in `language`."""
    text = (resources.files("rapporteur.data") / name).read_text(encoding="utf-8")
    catalogue = translations(language)
    lines: list[str] = []
    for comment, block in _blocks(text.splitlines()):
        if not comment:
            lines.extend(block)
            continue
        said = catalogue.pgettext(name, "\n".join(_uncommented(block)))
        lines.extend(f"# {line}".rstrip() for line in said.split("\n"))
    return "\n".join(lines) + "\n"


def extract_comments(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel's extraction method for the templates: each comment block, in context."""
    name = options.get("name") or getattr(fileobj, "name", "").replace("\\", "/").split("/")[-1]
    number = 1
    for comment, block in _blocks(fileobj.read().decode("utf-8").splitlines()):
        if comment:
            yield number, "M", (name, "\n".join(_uncommented(block))), []
        number += len(block)


def _blocks(lines: list[str]) -> Iterator[tuple[bool, list[str]]]:
    block: list[str] = []
    for line in lines:
        comment = line.startswith("#")
        if block and block[0].startswith("#") != comment:
            yield block[0].startswith("#"), block
            block = []
        block.append(line)
    if block:
        yield block[0].startswith("#"), block


def _uncommented(block: list[str]) -> list[str]:
    return [line[2:] if line.startswith("# ") else line[1:] for line in block]
