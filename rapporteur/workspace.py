"""Finding, opening and creating a workspace, and reading its settings.

A workspace is found the way git finds a repository: an explicit folder, else the
RAPPORTEUR_WORKSPACE variable, else the nearest folder upward holding `rapporteur.toml`.
"""

import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from rapporteur.discovery import SETTINGS_FILE
from rapporteur.messages import Language, Message, message
from rapporteur.problems import Problem, UsageError, WorkspaceError, setting_detail
from rapporteur.registry import Registry, load_registry
from rapporteur.rounds import Coverage, PeriodRule, PeriodRules, Round, Status
from rapporteur.tomlfile import line_of_text, parse_toml, read_text, write_text_atomically

REGISTRY_FILE = "agencies.toml"
SECRET_FILE = "secret.key"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OfficeSettings(_Section):
    name: str = "Oficina del Relator Nacional sobre Trata de Seres Humanos"
    language: Language = "es"
    languages: tuple[Language, ...] = ("es", "en", "ca")
    contact_name: str = ""
    contact_email: str = ""

    @model_validator(mode="after")
    def _default_language_is_offered(self) -> "OfficeSettings":
        if self.language not in self.languages:
            raise PydanticCustomError(
                "settings.language_not_offered",
                "language not offered",
                {"language": self.language, "languages": ", ".join(self.languages)},
            )
        return self


class DeadlineSettings(_Section):
    days_after_round_start: int = Field(30, ge=1, le=180)


class PeriodRuleSettings(_Section):
    covers: Coverage
    status: Status


class PeriodSettings(_Section):
    june: PeriodRuleSettings = PeriodRuleSettings(covers="previous-year", status="final")
    december: PeriodRuleSettings = PeriodRuleSettings(covers="first-half", status="provisional")


class PublicationSettings(_Section):
    # "<2" would say the figure is 1: a threshold of at least 3 leaves a reader a range.
    threshold: int = Field(5, ge=3, le=100)
    threshold_detailed: int = Field(10, ge=3, le=100)
    minimum_agencies: int = Field(2, ge=1, le=20)
    confidential_kinds: tuple[str, ...] = ("NGO",)
    protection_percent: int = Field(30, ge=1, le=100)
    minimum_percentage_base: int = Field(10, ge=1)
    time_limit_seconds: float = Field(30, gt=0, le=3600)

    @field_validator("confidential_kinds")
    @classmethod
    def _kinds_are_known(cls, kinds: tuple[str, ...]) -> tuple[str, ...]:
        from rapporteur.definition import load_definition

        known = load_definition().code_values("agency_kind")
        unknown = [kind for kind in kinds if kind not in known]
        if unknown:
            raise PydanticCustomError(
                "settings.unknown_kinds",
                "unknown kinds",
                {"unknown": ", ".join(unknown), "known": ", ".join(known)},
            )
        return kinds

    @model_validator(mode="after")
    def _detailed_is_not_lower(self) -> "PublicationSettings":
        if self.threshold_detailed < self.threshold:
            raise PydanticCustomError(
                "settings.threshold_order",
                "threshold order",
                {"detailed": self.threshold_detailed, "threshold": self.threshold},
            )
        return self


class QuestionnaireSettings(_Section):
    version: int | None = None
    """The version new rounds are issued with; None: the latest the tool knows."""
    rounds: dict[str, int] = {}
    """Versions for particular rounds, by round name: "2019-06" = 2."""

    @field_validator("version")
    @classmethod
    def _version_is_known(cls, version: int | None) -> int | None:
        if version is not None:
            _known_version(version)
        return version

    @field_validator("rounds")
    @classmethod
    def _rounds_are_rounds(cls, rounds: dict[str, int]) -> dict[str, int]:
        for name, version in rounds.items():
            try:
                Round.parse(name)
            except UsageError:
                raise PydanticCustomError(
                    "settings.not_a_round", "not a round", {"text": name}
                ) from None
            _known_version(version)
        return rounds

    def version_for(self, round_: Round | None) -> int:
        """The version a round not yet issued is issued with (new rounds', for None)."""
        from rapporteur.definition import latest_version

        for name, version in self.rounds.items():
            if round_ is not None and Round.parse(name) == round_:
                return version
        return self.version or latest_version()


def _known_version(version: int) -> None:
    from rapporteur.definition import available_versions

    known = available_versions()
    if version not in known:
        raise PydanticCustomError(
            "settings.unknown_version",
            "unknown version",
            {"version": version, "known": ", ".join(str(v) for v in known)},
        )


class LimitSettings(_Section):
    max_file_mb: int = Field(20, ge=1, le=2000)
    max_expanded_mb: int = Field(200, ge=1, le=20000)
    max_rows: int = Field(10000, ge=100, le=1_048_576)


class Settings(_Section):
    office: OfficeSettings = OfficeSettings()
    deadline: DeadlineSettings = DeadlineSettings()
    periods: PeriodSettings = PeriodSettings()
    publication: PublicationSettings = PublicationSettings()
    limits: LimitSettings = LimitSettings()
    questionnaire: QuestionnaireSettings = QuestionnaireSettings()

    @property
    def period_rules(self) -> PeriodRules:
        return PeriodRules(
            june=PeriodRule(self.periods.june.covers, self.periods.june.status),
            december=PeriodRule(self.periods.december.covers, self.periods.december.status),
        )


@dataclass(frozen=True)
class Workspace:
    root: Path
    settings: Settings

    @property
    def registry_path(self) -> Path:
        return self.root / REGISTRY_FILE

    @property
    def archive_dir(self) -> Path:
        return self.root / "archive"

    @property
    def issued_dir(self) -> Path:
        return self.root / "issued"

    @property
    def feedback_dir(self) -> Path:
        return self.root / "feedback"

    @property
    def language(self) -> Language:
        return self.settings.office.language

    def registry(self) -> Registry:
        return load_registry(self.registry_path)

    def archive(self):
        """The archive, signing what it writes with the workspace's key."""
        from rapporteur.archive import Archive

        return Archive(self.archive_dir, key=self.secret())

    def secret(self) -> bytes:
        path = self.root / SECRET_FILE
        if not path.is_file():
            raise WorkspaceError(
                "workspace.missing_file", path=path, hint=message("workspace.secret_hint")
            )
        return bytes.fromhex(path.read_text(encoding="ascii").strip())

    def secret_exposed(self) -> Message | None:
        """A warning when others than its owner may read the signing key: whoever has it
        can sign a questionnaire or a view that `collect` and `verify` would trust. Only
        where file modes mean that (not on Windows, where the folder's ACL protects it)."""
        if os.name != "posix":
            return None
        path = self.root / SECRET_FILE
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            return None
        if mode & 0o077:
            return message("workspace.secret_exposed", path=path, mode=f"{mode:03o}")
        return None

    def deadline(self, round_: Round):
        return round_.deadline(self.settings.deadline.days_after_round_start)


def open_workspace(root: Path) -> Workspace:
    return Workspace(root=root, settings=load_settings(root / SETTINGS_FILE))


def load_settings(path: Path) -> Settings:
    text = read_text(path)
    data = parse_toml(text, path.name)
    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        problems = tuple(_settings_problem(text, path.name, detail) for detail in error.errors())
        raise WorkspaceError("settings.broken", file=path, problems=problems) from None


def _settings_problem(text: str, file_name: str, detail: Any) -> Problem:
    location = [str(part) for part in detail["loc"]]
    table, key = ".".join(location[:-1]), location[-1] if location else "?"
    start = line_of_text(text, rf"^\s*\[{re.escape(table)}\]") if table else 1
    # A key's line; for a rule across a table's keys, the table's own header.
    line = (
        line_of_text(text, rf"^\s*{key}\s*=", start=start or 1)
        or line_of_text(text, rf"^\s*\[{re.escape('.'.join(location))}\]")
        or start
        or 1
    )
    return Problem(
        code="settings-invalid",
        severity="error",
        message=message(
            "settings.invalid",
            file=file_name,
            line=line,
            key=".".join(location),
            detail=setting_detail(detail),
        ),
        file=file_name,
        line=line,
    )


def init_workspace(folder: Path, language: Language = "es") -> Workspace:
    """Create a workspace in a new or empty folder; never overwrite anything. Its files
    explain themselves in `language`, which becomes the workspace's."""
    from rapporteur.templates import rendered

    if (folder / SETTINGS_FILE).exists():
        raise WorkspaceError("workspace.exists", path=folder)
    ours = [name for name in (REGISTRY_FILE, SECRET_FILE, "archive") if (folder / name).exists()]
    if ours:
        raise WorkspaceError("workspace.not_empty", path=folder, names=", ".join(ours))
    created_folder = not folder.exists()
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in (REGISTRY_FILE, SETTINGS_FILE):
            text = rendered(name, language)
            if name == SETTINGS_FILE:
                text = re.sub(r'^language = "es"$', f'language = "{language}"', text, count=1,
                              flags=re.MULTILINE)  # fmt: skip
            target = folder / name
            write_text_atomically(target, text)
            written.append(target)
        secret = folder / SECRET_FILE
        write_text_atomically(secret, secrets.token_hex(32) + "\n", mode=0o600)
        written.append(secret)
        (folder / "archive").mkdir()
        written.append(folder / "archive")
    except OSError as error:
        for path in reversed(written):
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        if created_folder:
            shutil.rmtree(folder, ignore_errors=True)
        raise WorkspaceError(
            "workspace.cannot_write", path=folder, reason=error.strerror or str(error)
        ) from None
    return open_workspace(folder.resolve())
