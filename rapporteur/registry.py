"""The agency registry: who receives the questionnaire, kept in `agencies.toml`.

The file is meant to be edited by hand as well as through `rapporteur agencies`, so its
comments are preserved: `add` appends a block and `remove` deletes one, and every check
reports the line at fault. Kinds and region codes come from the questionnaire definition.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from rapporteur.definition import NATIONAL_SCOPE, load_definition
from rapporteur.messages import LANGUAGES, Language, message
from rapporteur.problems import Problem, UsageError, WorkspaceError, setting_detail
from rapporteur.tomlfile import (
    entry_lines,
    parse_toml,
    read_text,
    toml_value_repr,
    write_text_atomically,
)

ENTRY = "agency"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
# Deliberately plain: the registry needs an address a mail client accepts, not RFC 5322.
_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
# Kinds of agency that act within one autonomous community and so need its code.
REGIONAL_KINDS = frozenset({"CCAA", "LEA_REG"})


class Agency(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    kind: str
    region: str
    email: str
    language: Language = "es"
    contact: str | None = None

    @field_validator("id")
    @classmethod
    def _id_is_a_slug(cls, value: str) -> str:
        if not _ID.match(value):
            raise PydanticCustomError("registry.bad_id", "bad id", {"value": value})
        return value

    @field_validator("kind")
    @classmethod
    def _kind_is_known(cls, value: str) -> str:
        kinds = load_definition().code_values("agency_kind")
        if value not in kinds:
            raise PydanticCustomError(
                "registry.unknown_kind", "unknown kind", {"value": value, "known": ", ".join(kinds)}
            )
        return value

    @field_validator("region")
    @classmethod
    def _region_is_known(cls, value: str, info: ValidationInfo) -> str:
        regions = load_definition().code_values("region")
        if value != NATIONAL_SCOPE and value not in regions:
            raise PydanticCustomError(
                "registry.bad_region", "bad region", {"value": value, "known": ", ".join(regions)}
            )
        kind = info.data.get("kind")
        if value == NATIONAL_SCOPE and kind in REGIONAL_KINDS:
            raise PydanticCustomError("registry.region_needed", "region needed", {"kind": kind})
        return value

    @field_validator("email")
    @classmethod
    def _email_is_well_formed(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise PydanticCustomError("registry.bad_email", "bad e-mail", {"value": value})
        return value

    @field_validator("language", mode="before")
    @classmethod
    def _language_is_supported(cls, value: Any) -> Any:
        if value not in LANGUAGES:
            raise PydanticCustomError(
                "registry.bad_language",
                "bad language",
                {"value": value, "known": ", ".join(LANGUAGES)},
            )
        return value

    @property
    def is_national(self) -> bool:
        return self.region == NATIONAL_SCOPE


FIELDS = tuple(Agency.model_fields)


@dataclass(frozen=True)
class Registry:
    agencies: tuple[Agency, ...]

    def __iter__(self):
        return iter(self.agencies)

    def __len__(self) -> int:
        return len(self.agencies)

    def get(self, agency_id: str) -> Agency:
        for agency in self.agencies:
            if agency.id == agency_id:
                return agency
        raise UsageError("registry.unknown_agency", id=agency_id)

    def select(
        self, ids: Iterable[str] = (), kinds: Iterable[str] = (), region: str | None = None
    ) -> tuple[Agency, ...]:
        wanted_ids, wanted_kinds = set(ids), set(kinds)
        for agency_id in wanted_ids:
            self.get(agency_id)
        return tuple(
            agency
            for agency in self.agencies
            if (not wanted_ids or agency.id in wanted_ids)
            and (not wanted_kinds or agency.kind in wanted_kinds)
            and (region is None or agency.region == region)
        )


def check_registry(text: str, file_name: str) -> tuple[list[Agency], list[Problem]]:
    """Every valid agency of the file and every problem, each at its line."""
    data = parse_toml(text, file_name)
    entries = data.get(ENTRY, [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        problem = _problem("registry.not_a_list", file_name, 1)
        return [], [problem]
    locations = entry_lines(text, ENTRY)
    agencies: list[Agency] = []
    problems: list[Problem] = []
    first_line_of_id: dict[str, int] = {}
    for index, entry in enumerate(entries):
        where = locations[index] if index < len(locations) else None
        try:
            agency = Agency.model_validate(entry)
        except ValidationError as error:
            for detail in error.errors():
                key = detail["loc"][0] if detail["loc"] else None
                line = where.line_of(key) if where else 1
                problems.append(_problem_from_pydantic(detail, file_name, line))
            continue
        line = where.line_of("id") if where else 1
        if agency.id in first_line_of_id:
            problems.append(
                _problem(
                    "registry.duplicate_id",
                    file_name,
                    line,
                    id=agency.id,
                    first_line=first_line_of_id[agency.id],
                )
            )
            continue
        first_line_of_id[agency.id] = line
        agencies.append(agency)
    return agencies, problems


def load_registry(path: Path) -> Registry:
    if not path.is_file():
        raise WorkspaceError(
            "workspace.missing_file", path=path, hint=message("workspace.registry_hint")
        )
    agencies, problems = check_registry(read_text(path), path.name)
    if problems:
        raise WorkspaceError(
            "registry.broken", file=path, count=len(problems), problems=tuple(problems)
        )
    return Registry(tuple(agencies))


def add_agency(path: Path, values: dict[str, Any]) -> Agency:
    """Append one agency to the registry, refusing anything that would break it."""
    text = read_text(path)
    block = "\n[[agency]]\n" + "".join(
        f"{key} = {toml_value_repr(values[key])}\n" for key in FIELDS if values.get(key) is not None
    )
    new_text = text.rstrip("\n") + "\n" + block
    _, problems_before = check_registry(text, path.name)
    _, problems_after = check_registry(new_text, path.name)
    if problems_before:
        raise WorkspaceError(
            "registry.broken",
            file=path,
            count=len(problems_before),
            problems=tuple(problems_before),
        )
    if problems_after:
        raise UsageError(
            "registry.rejected_addition",
            id=values.get("id"),
            reason=problems_after[0].message,
            problems=tuple(problems_after),
        )
    write_text_atomically(path, new_text)
    return Agency.model_validate(
        {key: values[key] for key in FIELDS if values.get(key) is not None}
    )


def remove_agency(path: Path, agency_id: str) -> Agency:
    """Delete one agency's block from the registry, keeping every other line as it was."""
    text = read_text(path)
    registry = load_registry(path)
    agency = registry.get(agency_id)
    index = registry.agencies.index(agency)
    where = entry_lines(text, ENTRY)[index]
    lines = text.splitlines(keepends=True)
    # The block ends at its last key: comments after it introduce the next agencies.
    last_line = max(where.keys.values(), default=where.header)
    del lines[where.header - 1 : last_line]
    write_text_atomically(path, "".join(lines))
    return agency


def _problem(key: str, file_name: str, line: int, /, **params: object) -> Problem:
    return Problem(
        code=key.replace(".", "-").replace("_", "-"),
        severity="error",
        message=message(key, file=file_name, line=line, **params),
        file=file_name,
        line=line,
    )


def _problem_from_pydantic(detail: Any, file_name: str, line: int) -> Problem:
    kind = detail["type"]
    key = str(detail["loc"][0]) if detail["loc"] else "?"
    if kind.startswith("registry."):
        return _problem(kind, file_name, line, **detail.get("ctx", {}))
    if kind == "missing":
        return _problem("registry.missing_key", file_name, line, key=key)
    if kind == "extra_forbidden":
        return _problem("registry.unknown_key", file_name, line, key=key, known=", ".join(FIELDS))
    return _problem("registry.bad_value", file_name, line, key=key, detail=setting_detail(detail))
