"""The questionnaire definition: load it, check it, look things up in it.

Each version lives in `questionnaires/vN.toml` (installed as package data). The file is
validated by the pydantic models below; any mistake in it is reported with the line at
fault, because a broken definition would otherwise surface much later as a wrong
spreadsheet or a wrong total.
"""

import re
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rapporteur.messages import Language
from rapporteur.problems import DefinitionError, Problem
from rapporteur.tomlfile import EntryLines, entry_lines, parse_toml

_VERSION_FILE = re.compile(r"^v(\d+)\.toml$")
NATIONAL_SCOPE = "ES"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both languages of the product; neither may be missing or empty."""

    es: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __getitem__(self, language: Language) -> str:
        return self.es if language == "es" else self.en


class Code(Strict):
    code: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    es: str = Field(min_length=1)
    en: str = Field(min_length=1)
    # Mappings to other vocabularies, kept for exports; none is required.
    htcds: str | None = None
    ine: str | None = None
    nuts2: str | None = None
    group: str | None = None
    eurostat: str | None = None
    sdg: str | None = None

    def label(self, language: Language) -> str:
        return self.es if language == "es" else self.en


class Codelist(Strict):
    id: str
    label: Text
    codes: tuple[Code, ...] = ()
    extends: str | None = None
    unverified: bool = False

    @field_validator("codes")
    @classmethod
    def _codes_are_unique(cls, codes: tuple[Code, ...]) -> tuple[Code, ...]:
        seen: set[str] = set()
        for code in codes:
            if code.code in seen:
                raise ValueError(f"the code {code.code!r} appears twice")
            seen.add(code.code)
        return codes


class Definition(Strict):
    format: int = Field(ge=1, le=1)
    version: int = Field(ge=1)
    title: Text
    codelists: tuple[Codelist, ...] = Field(alias="codelist")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def codelist(self, codelist_id: str) -> tuple[Code, ...]:
        """The codes of a list, with those of the list it extends first."""
        for codelist in self.codelists:
            if codelist.id == codelist_id:
                inherited = self.codelist(codelist.extends) if codelist.extends else ()
                return inherited + codelist.codes
        raise KeyError(codelist_id)

    def code_values(self, codelist_id: str) -> tuple[str, ...]:
        return tuple(code.code for code in self.codelist(codelist_id))


def _definitions_folder() -> Traversable:
    # An installed package carries the definitions as rapporteur/questionnaires (see
    # pyproject.toml); a checkout keeps them at the top of the project, where they are
    # edited. Importing `rapporteur` from a checkout bypasses the installed mapping.
    installed = resources.files("rapporteur") / "questionnaires"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "questionnaires"


def available_versions() -> tuple[int, ...]:
    folder = _definitions_folder()
    versions = [
        int(match.group(1))
        for entry in folder.iterdir()
        if (match := _VERSION_FILE.match(entry.name))
    ]
    return tuple(sorted(versions))


def latest_version() -> int:
    return available_versions()[-1]


@cache
def load_definition(version: int | None = None) -> Definition:
    """The definition of a questionnaire version (the latest by default)."""
    versions = available_versions()
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise DefinitionError(
            "definition.unknown_version",
            version=chosen,
            known=", ".join(str(v) for v in versions),
        )
    file = _definitions_folder() / f"v{chosen}.toml"
    return parse_definition(file.read_text(encoding="utf-8"), f"questionnaires/v{chosen}.toml")


def parse_definition(text: str, file_name: str) -> Definition:
    data = parse_toml(text, file_name, DefinitionError)
    try:
        return Definition.model_validate(data)
    except ValidationError as error:
        problems = tuple(_problem_at_line(text, file_name, detail) for detail in error.errors())
        raise DefinitionError(
            "definition.broken", file=file_name, count=len(problems), problems=problems
        ) from None


_ENTRY_NAMES = {"codelist"}


def _problem_at_line(text: str, file_name: str, detail: Any) -> Problem:
    location = tuple(detail["loc"])
    line = _line_of_location(text, location)
    where = ".".join(str(part) for part in location)
    return Problem(
        code="definition-invalid",
        severity="error",
        message=message_for_definition(file_name, line, where, detail["msg"]),
        file=file_name,
        line=line,
    )


def _line_of_location(text: str, location: tuple[Any, ...]) -> int:
    if not location or location[0] not in _ENTRY_NAMES or len(location) < 2:
        return 1
    entries: list[EntryLines] = entry_lines(text, str(location[0]))
    index = location[1]
    if not isinstance(index, int) or index >= len(entries):
        return entries[-1].header if entries else 1
    entry = entries[index]
    if len(location) < 3:
        return entry.header
    key_line = entry.line_of(location[2])
    if len(location) >= 4 and isinstance(location[3], int):
        # An item of a multi-line array: the n-th line holding an inline table after the key.
        lines = text.splitlines()
        seen = -1
        for number in range(key_line, entry.end + 1):
            if "{" in lines[number - 1]:
                seen += 1
                if seen == location[3]:
                    return number
    return key_line


def message_for_definition(file_name: str, line: int, where: str, detail: str) -> Any:
    from rapporteur.messages import message

    return message("definition.invalid", file=file_name, line=line, where=where, detail=detail)
