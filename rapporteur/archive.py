"""The archive: the office's record of every round, as plain TOML.

    archive/<round>/round.toml                 the round: period, deadline, questionnaire
                                               version, and every questionnaire issued
    archive/<round>/returns/<agency>/vN.toml   each accepted version of a return

Every file is written to a temporary name in its folder, fsynced and renamed, so that a
crash leaves the old or the new file, never half of one.
"""

import datetime
import getpass
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from rapporteur.problems import WorkspaceError
from rapporteur.rounds import ReportingPeriod, Round
from rapporteur.tomlfile import write_text_atomically

FORMAT = 1
ROUND_FILE = "round.toml"
_VERSION_FILE = re.compile(r"^v(\d+)\.toml$")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class IssuedQuestionnaire:
    agency: str
    kind: str
    language: str
    file: str
    sha256: str
    fingerprint: str
    deadline: datetime.date
    issued_at: datetime.datetime
    issued_by: str
    replaces_sha256: str | None = None


@dataclass(frozen=True)
class RoundRecord:
    round: Round
    questionnaire_version: int
    period: ReportingPeriod
    deadline: datetime.date
    issued: tuple[IssuedQuestionnaire, ...] = ()

    def current_issue(self, agency_id: str) -> IssuedQuestionnaire | None:
        """The questionnaire last issued to an agency in this round."""
        found = [entry for entry in self.issued if entry.agency == agency_id]
        return found[-1] if found else None

    def to_toml(self) -> str:
        data: dict[str, Any] = {
            "format": FORMAT,
            "round": str(self.round),
            "questionnaire_version": self.questionnaire_version,
            "period_start": self.period.start,
            "period_end": self.period.end,
            "period_code": self.period.code,
            "period_status": self.period.status,
            "deadline": self.deadline,
            "issued": [_without_none(vars(entry)) for entry in self.issued],
        }
        return tomli_w.dumps(data)

    @classmethod
    def from_toml(cls, text: str) -> "RoundRecord":
        data = tomllib.loads(text)
        return cls(
            round=Round.parse(data["round"]),
            questionnaire_version=data["questionnaire_version"],
            period=ReportingPeriod(
                data["period_start"], data["period_end"], data["period_code"], data["period_status"]
            ),
            deadline=data["deadline"],
            issued=tuple(IssuedQuestionnaire(**entry) for entry in data.get("issued", [])),
        )


class Archive:
    def __init__(self, root: Path):
        self.root = root

    def round_folder(self, round_: Round) -> Path:
        return self.root / str(round_)

    def read_round(self, round_: Round) -> RoundRecord | None:
        path = self.round_folder(round_) / ROUND_FILE
        if not path.is_file():
            return None
        try:
            return RoundRecord.from_toml(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
            raise WorkspaceError("archive.damaged", path=path, detail=str(error)) from None

    def write_round(self, record: RoundRecord) -> None:
        folder = self.round_folder(record.round)
        folder.mkdir(parents=True, exist_ok=True)
        write_text_atomically(folder / ROUND_FILE, record.to_toml())

    def return_versions(self, round_: Round, agency_id: str) -> list[Path]:
        folder = self.round_folder(round_) / "returns" / agency_id
        if not folder.is_dir():
            return []
        numbered = [
            (int(match.group(1)), path)
            for path in folder.iterdir()
            if (match := _VERSION_FILE.match(path.name))
        ]
        return [path for _, path in sorted(numbered)]

    def current_return(self, round_: Round, agency_id: str) -> dict[str, Any] | None:
        """The data of the latest accepted version of an agency's return, if any."""
        versions = self.return_versions(round_, agency_id)
        if not versions:
            return None
        try:
            return tomllib.loads(versions[-1].read_text(encoding="utf-8")).get("data", {})
        except tomllib.TOMLDecodeError as error:
            raise WorkspaceError("archive.damaged", path=versions[-1], detail=str(error)) from None

    def add_return_version(
        self,
        round_: Round,
        agency_id: str,
        data: dict[str, Any],
        header: dict[str, Any],
    ) -> Path:
        """Write the next version of an agency's return; earlier versions stay untouched."""
        versions = self.return_versions(round_, agency_id)
        number = len(versions) + 1
        folder = self.round_folder(round_) / "returns" / agency_id
        folder.mkdir(parents=True, exist_ok=True)
        full_header = {
            "format": FORMAT,
            "agency": agency_id,
            "round": str(round_),
            "version": number,
            **header,
        }
        if versions:
            full_header["supersedes_sha256"] = sha256_of(versions[-1])
        path = folder / f"v{number}.toml"
        write_text_atomically(path, tomli_w.dumps({"header": full_header, "data": data}))
        return path


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
