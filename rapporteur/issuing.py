"""Issuing a round: one questionnaire workbook per agency, recorded in the archive.

Each workbook is written atomically and recorded in `archive/<round>/round.toml` as soon
as it exists, with its SHA-256 and layout fingerprint. Re-issuing an agency needs `force`;
the questionnaire it replaces is kept under `superseded/` and the record keeps both.
"""

import datetime
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapporteur.archive import (
    Archive,
    IssuedQuestionnaire,
    RoundRecord,
    current_user,
    sha256_of,
    utc_now,
)
from rapporteur.definition import kind_code, load_definition
from rapporteur.lineage import return_in_terms_of
from rapporteur.messages import Language
from rapporteur.problems import UsageError, WorkspaceError
from rapporteur.registry import Agency
from rapporteur.rounds import ReportingPeriod, Round
from rapporteur.workbook.stamping import write_stamped
from rapporteur.workbook.writer import Questionnaire
from rapporteur.workspace import Workspace


@dataclass(frozen=True)
class IssueRequest:
    round: Round
    agency_ids: Sequence[str] = ()
    kinds: Sequence[str] = ()
    language: Language | None = None
    deadline: datetime.date | None = None
    out: Path | None = None
    force: bool = False


@dataclass
class IssuedFile:
    agency: Agency
    path: Path
    language: Language
    reissued: bool


@dataclass
class IssueReport:
    round: Round
    deadline: datetime.date
    folder: Path
    issued: list[IssuedFile] = field(default_factory=list)
    deadline_passed: bool = False
    period: ReportingPeriod | None = None
    """What the round asks about."""
    version: int = 1
    """The questionnaire version the round is issued with."""
    left_out: list[str] = field(default_factory=list)
    """Agencies of a kind the version has no questionnaire for."""


def select_agencies(
    workspace: Workspace, request: IssueRequest, version: int | None = None
) -> tuple[tuple[Agency, ...], list[str]]:
    """The agencies to issue to, and those of the selection left out because the version
    has no questionnaire for their kind (a kind a later version added)."""
    registry = workspace.registry()
    definition = load_definition(version)
    kinds = [kind_code(definition, kind) for kind in request.kinds]
    selected = registry.select(ids=request.agency_ids, kinds=kinds)
    unasked = [agency for agency in selected if agency.kind not in definition.kinds]
    if unasked and (request.agency_ids or request.kinds):
        raise UsageError(
            "issue.kind_not_in_version",
            agencies=", ".join(agency.id for agency in unasked),
            version=definition.version,
        )
    selected = tuple(agency for agency in selected if agency.kind in definition.kinds)
    if not selected:
        raise UsageError("issue.nothing_selected")
    offered = workspace.settings.office.languages
    for agency in selected:
        language = request.language or agency.language
        if language not in offered:
            raise UsageError(
                "issue.language_not_offered",
                agency=agency.id,
                language=language,
                offered=", ".join(offered),
            )
    return selected, [agency.id for agency in unasked]


def version_of(workspace: Workspace, round_: Round) -> int:
    """The version a round is issued with: the one it was first issued with, else the
    workspace's setting."""
    recorded = workspace.archive().read_round(round_)
    if recorded is not None:
        return recorded.questionnaire_version
    return workspace.settings.questionnaire.version_for(round_)


def issue_round(
    workspace: Workspace,
    request: IssueRequest,
    on_progress: Callable[[Agency], None] = lambda agency: None,
    today: datetime.date | None = None,
    wait: bool = False,
    jobs: int = 1,
) -> IssueReport:
    """Write the questionnaires and record them, all under the archive's lock.

    The round record is written once, after every workbook exists: a crash in between
    leaves workbooks that were never recorded (and so never sent), not a record of files
    that do not exist.
    """
    archive = workspace.archive()
    version = version_of(workspace, request.round)
    agencies, left_out = select_agencies(workspace, request, version)
    secret = workspace.secret()
    folder = request.out or workspace.issued_dir / str(request.round)
    with archive.writing(wait=wait) as session:
        record = archive.read_round(request.round) or RoundRecord(
            round=request.round,
            questionnaire_version=version,
            period=request.round.period(workspace.settings.period_rules),
            deadline=request.deadline or workspace.deadline(request.round),
        )
        if request.deadline is not None and request.deadline != record.deadline:
            record = replace(record, deadline=request.deadline)
        already = [agency.id for agency in agencies if record.current_issue(agency.id)]
        if already and not request.force:
            raise UsageError(
                "issue.already_issued", round=str(request.round), agencies=", ".join(already)
            )
        _prepare_folder(folder)
        report = IssueReport(
            request.round,
            record.deadline,
            folder,
            deadline_passed=record.deadline < (today or datetime.date.today()),
            period=record.period,
            version=record.questionnaire_version,
            left_out=left_out,
        )
        planned = []
        for agency in agencies:
            previous_issue = record.current_issue(agency.id)
            if previous_issue is not None:
                _keep_superseded(workspace, previous_issue, folder)
            language = request.language or agency.language
            number = len([e for e in record.issued if e.agency == agency.id]) + 1
            questionnaire = questionnaire_for(workspace, archive, record, agency, language, number)
            planned.append((agency, questionnaire, folder / f"{agency.id}.xlsx", previous_issue))
        entries = []
        written = _write_all([(q, path, secret) for _, q, path, _ in planned], jobs, on_progress,
                             [agency for agency, *_ in planned])  # fmt: skip
        for (agency, questionnaire, path, previous_issue), fingerprint in zip(
            planned, written, strict=True
        ):
            entries.append(
                IssuedQuestionnaire(
                    agency=agency.id,
                    kind=agency.kind,
                    language=questionnaire.language,
                    file=_relative(path, workspace.root),
                    sha256=sha256_of(path),
                    fingerprint=fingerprint,
                    deadline=record.deadline,
                    issued_at=utc_now(),
                    issued_by=current_user(),
                    replaces_sha256=previous_issue.sha256 if previous_issue else None,
                    issue=questionnaire.issue,
                )
            )
            report.issued.append(
                IssuedFile(agency, path, questionnaire.language, previous_issue is not None)
            )
        session.write_round(replace(record, issued=(*record.issued, *entries)))
    return report


def _write_one(questionnaire: Questionnaire, path: Path, secret: bytes) -> str:
    try:
        return write_stamped(questionnaire, path, secret).fingerprint
    except OSError as error:
        raise WorkspaceError(
            "workspace.cannot_write", path=path, reason=error.strerror or str(error)
        ) from None


def _write_all(work, jobs: int, on_progress, agencies) -> list[str]:
    """Write the workbooks, in parallel processes when asked; their fingerprints in order."""
    if jobs <= 1 or len(work) <= 1:
        fingerprints = []
        for (questionnaire, path, secret), agency in zip(work, agencies, strict=True):
            fingerprints.append(_write_one(questionnaire, path, secret))
            on_progress(agency)
        return fingerprints
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        fingerprints = []
        for fingerprint, agency in zip(
            pool.map(_write_one, *zip(*work, strict=True)), agencies, strict=True
        ):
            fingerprints.append(fingerprint)
            on_progress(agency)
        return fingerprints


def questionnaire_for(
    workspace: Workspace,
    archive: Archive,
    record: RoundRecord,
    agency: Agency,
    language: Language,
    issue: int,
) -> Questionnaire:
    office = workspace.settings.office
    try:
        comparable = record.round.previous_comparable
        # Last year's answers, under this version's questions.
        previous = return_in_terms_of(archive, comparable, agency.id, record.questionnaire_version)
    except UsageError:
        comparable, previous = None, None
    return Questionnaire(
        agency_id=agency.id,
        agency_name=agency.name,
        kind=agency.kind,
        round=record.round,
        period=record.period,
        deadline=record.deadline,
        language=language,
        office_name=office.name,
        contact_name=office.contact_name,
        contact_email=office.contact_email,
        version=record.questionnaire_version,
        previous_round=comparable if previous is not None else None,
        previous=previous,
        issue=issue,
    )


def _prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".rapporteur-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise WorkspaceError(
            "workspace.cannot_write", path=folder, reason=error.strerror or str(error)
        ) from None


def _keep_superseded(workspace: Workspace, issued: IssuedQuestionnaire, folder: Path) -> None:
    """Move the questionnaire being replaced aside: an agency may still return it."""
    old = workspace.root / issued.file
    if not old.is_file():
        return
    superseded = folder / "superseded"
    superseded.mkdir(exist_ok=True)
    shutil.move(old, superseded / f"{issued.agency}-{issued.sha256[:12]}.xlsx")


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())
