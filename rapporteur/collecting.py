"""Collecting returns: read, recognise, validate, decide, archive, give feedback.

Each file is decided on its own — accepted (archived as a new version), unchanged
(identical to what the archive holds) or rejected (nothing archived) — and one bad file
never stops the others. Reading and validating run in parallel processes; each accepted
return is staged in the archive's transaction as soon as it is decided, and the whole
collect is committed at the end, as one transaction under the archive's lock.
"""

import contextlib
import datetime
import glob
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from openpyxl.utils import get_column_letter

from rapporteur.archive import (
    Archive,
    NewReceipt,
    NewReturn,
    WriteSession,
    from_sections,
    render_body,
    sha256_of,
)
from rapporteur.lineage import return_in_terms_of
from rapporteur.messages import LANGUAGES, message
from rapporteur.models import Context, validate_return
from rapporteur.problems import Problem, RapporteurError
from rapporteur.rounds import Round
from rapporteur.workbook.layout import layout_of
from rapporteur.workbook.metadata import Metadata
from rapporteur.workbook.outside import as_message, differences
from rapporteur.workbook.package import Refusal, inspect_file
from rapporteur.workspace import (
    REGISTRY_FILE,
    SECRET_FILE,
    SETTINGS_FILE,
    Workspace,
    open_workspace,
)

Decision = Literal["accepted", "unchanged", "rejected"]
# What a folder given to collect is searched for: returns saved in the wrong format too,
# so that they are reported instead of silently skipped.
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
RECEIPT_PROBLEMS = 50
"""The problems a receipt keeps, of a refused file: enough for a reminder, not a dump."""


@dataclass
class FileOutcome:
    """What became of one file, and why."""

    file: Path
    sha256: str | None = None
    agency: str | None = None
    kind: str | None = None
    round: str | None = None
    language: str = "es"
    decision: Decision = "rejected"
    version: int | None = None
    problems: list[Problem] = field(default_factory=list)
    value: dict[str, Any] | None = None
    questionnaire_version: int | None = None
    feedback: Path | None = None
    note: Any = None
    body: Any = None
    """The accepted return rendered for the archive (archive.Body), dropped once staged."""
    recognised: bool = False
    """A signed questionnaire of an agency issued this round: if refused, the archive
    keeps a receipt of it."""
    refusal: str = "rejected"
    """What kind of refusal the receipt records: rejected, empty, superseded or stale."""

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "warning"]

    def reject(self, key: str, /, **params: object) -> "FileOutcome":
        self.decision = "rejected"
        self.problems.append(file_problem(self.file, key, **params))
        return self


@dataclass
class CollectReport:
    outcomes: list[FileOutcome]
    dry_run: bool
    skipped: list[Path] = field(default_factory=list)
    """Files in folders given to collect that are not spreadsheets (a PDF, a note)."""

    @property
    def rejected(self) -> int:
        return sum(outcome.decision == "rejected" for outcome in self.outcomes)


def file_problem(file: Path, key: str, /, **params: object) -> Problem:
    return Problem(
        code=key.replace(".", "-").replace("_", "-"),
        severity="error",
        message=message(key, file=file.name, **params),
        file=str(file),
    )


def expand_inputs(patterns: Iterable[str]) -> tuple[list[Path], list[str], list[Path], list[Path]]:
    """Files, folders (their spreadsheets) and glob patterns, expanded by us: Windows
    shells do not. Also the patterns that matched nothing, the folders holding no
    spreadsheet, and the other files found in folders, so that none goes unmentioned."""
    files: dict[Path, None] = {}
    unmatched, empty_folders, skipped = [], [], []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            contents = sorted(item for item in path.iterdir() if item.is_file())
            found = [item for item in contents if item.suffix.lower() in SPREADSHEETS]
            skipped += [item for item in contents if item not in found]
            if not found:
                empty_folders.append(path)
                continue
        elif path.is_file():
            found = [path]
        else:
            found = sorted(Path(p) for p in glob.glob(pattern, recursive=True) if Path(p).is_file())
        if not found:
            unmatched.append(pattern)
        for item in found:
            files.setdefault(item, None)
    return list(files), unmatched, empty_folders, skipped


def collect(
    workspace: Workspace,
    patterns: Iterable[str],
    round_filter: Round | None = None,
    dry_run: bool = False,
    feedback: bool = False,
    jobs: int = 1,
    wait: bool = False,
    on_progress: Callable[[FileOutcome], None] = lambda outcome: None,
    received: datetime.datetime | None = None,
    archive: Archive | None = None,
) -> CollectReport:
    """Decide every file and archive what was accepted, in one transaction. `archive` is
    the workspace's unless given (the crash tests give one that stops at a step)."""
    files, unmatched, empty_folders, skipped = expand_inputs(patterns)
    outcomes = [FileOutcome(Path(pattern)).reject("collect.no_such_file") for pattern in unmatched]
    outcomes += [FileOutcome(folder).reject("collect.empty_folder") for folder in empty_folders]
    first_of_content: dict[str, FileOutcome] = {}
    unique: list[FileOutcome] = []
    for path in files:
        outcome = FileOutcome(path)
        try:
            outcome.sha256 = sha256_of(path)
        except OSError as error:
            reason = error.strerror or str(error)
            outcomes.append(outcome.reject("collect.unreadable", detail=reason))
            continue
        if outcome.sha256 in first_of_content:
            first = first_of_content[outcome.sha256]
            outcome.note = message("collect.same_content", first=first.file.name)
            outcome.decision = "unchanged"
            outcome.agency = first.agency
            outcomes.append(outcome)
            continue
        first_of_content[outcome.sha256] = outcome
        unique.append(outcome)
    archiving = _Archiving(archive or workspace.archive(), dry_run, wait, received)
    with archiving:
        examined = _examine_all(
            workspace.root, unique, round_filter, jobs, archiving.decided, on_progress
        )
        archiving.finish(examined)
    # Copies of an examined file take its agency and, if it was rejected, its fate.
    for outcome in outcomes:
        if outcome.note is not None and outcome.sha256 in first_of_content:
            first = next(e for e in examined if e.sha256 == outcome.sha256)
            outcome.agency, outcome.round = first.agency, first.round
            if first.decision == "rejected":
                outcome.decision = "rejected"
    if feedback and not dry_run:
        from rapporteur.workbook.feedback import write_feedback

        for outcome in examined:
            # Only a file recognised as one of our questionnaires can be annotated.
            if outcome.questionnaire_version is not None and outcome.problems:
                outcome.feedback = write_feedback(workspace, outcome)
    return CollectReport(examined + outcomes, dry_run, skipped)


def _examine_all(
    root: Path, outcomes: list[FileOutcome], round_filter, jobs: int, decided, on_progress
) -> list[FileOutcome]:
    """Examine the files, in parallel processes when asked; each is handed to `decided`
    as soon as it is, in order, then reported."""
    if jobs <= 1 or len(outcomes) <= 1:
        results = (examine(root, outcome, round_filter) for outcome in outcomes)
    else:
        pool = ProcessPoolExecutor(max_workers=jobs)
        arguments = ([root] * len(outcomes), outcomes, [round_filter] * len(outcomes))
        results = pool.map(examine, *arguments, chunksize=4)
    examined = []
    try:
        for result in results:  # lazily: each file is archived before the next is read
            decided(result)
            on_progress(result)
            examined.append(result)
    finally:
        if jobs > 1 and len(outcomes) > 1:
            pool.shutdown(cancel_futures=True)
    return examined


def _workspace(root: Path) -> tuple[Workspace, Any, bytes]:
    """The workspace, its registry and key, read once per process while unchanged."""
    stamps = tuple(
        (root / name).stat().st_mtime_ns if (root / name).exists() else None
        for name in (SETTINGS_FILE, REGISTRY_FILE, SECRET_FILE)
    )
    return _opened(root, stamps)


@cache
def _opened(root: Path, stamps: tuple) -> tuple[Workspace, Any, bytes]:
    workspace = open_workspace(root)
    return workspace, workspace.registry(), workspace.secret()


def examine(root: Path, outcome: FileOutcome, round_filter: Round | None) -> FileOutcome:
    """Read, recognise and validate one file; never raises."""
    try:
        return _examine(root, outcome, round_filter)
    except RapporteurError as error:
        outcome.problems.append(
            Problem(
                code="collect-failed",
                severity="error",
                message=error.message,
                file=str(outcome.file),
            )
        )
        outcome.decision = "rejected"
        return outcome
    except Exception as error:  # a fault of ours must cost one file, never the whole run
        outcome.value = None
        return outcome.reject("collect.internal_error", detail=type(error).__name__)


def _examine(root: Path, outcome: FileOutcome, round_filter: Round | None) -> FileOutcome:
    from rapporteur.workbook.reader import UnknownVersion, read_questionnaire

    workspace, registry, secret = _workspace(root)
    path = outcome.file
    refusal = inspect_file(path, workspace.settings.limits)
    if refusal is not None:
        return outcome.reject(refusal.key, **refusal.params)
    archive = Archive(workspace.archive_dir)
    try:
        read = read_questionnaire(path)
    except UnknownVersion as unknown:
        _identify(outcome, unknown.metadata)
        if not unknown.metadata.signed_by(secret, unknown.signature):
            return _tampered(outcome, unknown.metadata, unknown.signature, archive, secret)
        return outcome.reject("collect.unknown_version", version=unknown.metadata.version)
    except Exception:  # the readers raise many kinds on a damaged file
        return outcome.reject("collect.damaged")
    if read is None:
        return outcome.reject("collect.not_questionnaire")
    metadata = read.metadata
    _identify(outcome, metadata)
    if not metadata.signed_by(secret, read.signature):
        return _tampered(outcome, metadata, read.signature, archive, secret)
    try:
        agency = registry.get(metadata.agency)
    except RapporteurError:
        return outcome.reject("collect.unknown_agency", agency=metadata.agency)
    round_ = Round.parse(metadata.round)
    if round_filter is not None and round_ != round_filter:
        return outcome.reject("collect.other_round", found=metadata.round, wanted=str(round_filter))
    record = archive.read_round(round_)
    issued = record.current_issue(agency.id) if record else None
    if issued is None:
        return outcome.reject("collect.not_issued", agency=agency.id, round=metadata.round)
    newest = max(r for r in archive.rounds() if archive.has_round(r))
    if round_ < newest:
        if round_filter is None:
            return outcome.reject("collect.old_round", found=metadata.round, newest=str(newest))
        outcome.problems.append(
            _warning(outcome, "collect.late_correction", found=metadata.round, newest=str(newest))
        )
    outcome.recognised = True
    replaced = _superseded(record, agency.id, metadata, issued)
    if replaced is not None:
        outcome.refusal = "superseded"
        return outcome.reject(
            "collect.superseded",
            agency=agency.id,
            round=metadata.round,
            old=replaced.issue,
            new=issued.issue,
            date=issued.issued_at.strftime("%d/%m/%Y"),
        )
    moved = _layout_changes(read, outcome.language)
    if moved is not None:
        return outcome.reject(moved.key, **moved.params)
    known = {entry.fingerprint for entry in record.issued if entry.agency == agency.id}
    if metadata.fingerprint not in known or read.missing_names:
        return outcome.reject(
            "collect.layout_changed", names=", ".join(read.missing_names[:5]) or "—"
        )
    outcome.questionnaire_version = metadata.version
    if not answered(read.value):
        outcome.refusal = "empty"
        return outcome.reject("collect.nothing_answered")
    outcome.problems.extend(_outside_inputs(workspace, outcome, issued, read.grids))
    outcome.problems.extend(_located(read.problems, outcome))
    context = Context(
        half=round_.half,
        period_start=record.period.start,
        period_end=record.period.end,
        region=agency.region,
        previous=_previous(archive, round_, agency.id, metadata.version),
        half_year=_half_year(archive, workspace, round_, agency.id, metadata.version),
    )
    check = validate_return(read.value, agency.kind, metadata.version, context)
    # A cell refused for what was typed in it is not also "left blank".
    unreadable = {problem.field for problem in read.problems if problem.field}
    warnings = [p for p in check.warnings if not (p.code == "R1" and p.field in unreadable)]
    outcome.problems.extend(_located(check.errors + warnings, outcome, read))
    if outcome.errors:
        outcome.decision = "rejected"
        return outcome
    outcome.value = check.value
    outcome.body = render_body(check.value)  # here, in a worker, not in the archiving
    outcome.decision = "accepted"
    return outcome


def _identify(outcome: FileOutcome, metadata: Metadata) -> None:
    outcome.agency, outcome.kind, outcome.round = metadata.agency, metadata.kind, metadata.round
    outcome.language = metadata.language if metadata.language in LANGUAGES else "es"


def _outside_inputs(workspace: Workspace, outcome: FileOutcome, issued, grids) -> list[Problem]:
    """The return against the questionnaire as it was sent, outside the inputs."""
    reference = workspace.root / issued.file
    if not reference.is_file() or _sha256(reference) != issued.sha256:
        return [_warning(outcome, "collect.no_reference", path=issued.file)]
    allowed = tuple(message("feedback.sheet").render(language) for language in LANGUAGES)
    found = differences(
        grids or outcome.file, reference, outcome.questionnaire_version, outcome.kind,
        issued.fingerprint, outcome.language, allowed,
    )  # fmt: skip
    return [
        Problem(
            code=difference.key.replace(".", "-").replace("_", "-"),
            severity=difference.severity,
            message=as_message(difference, outcome.file.name),
            file=str(outcome.file),
            sheet=difference.sheet,
            cell=difference.cell,
        )
        for difference in found
    ]


@cache
def _sha256_at(path: Path, stamp: tuple) -> str:
    return sha256_of(path)


def _sha256(path: Path) -> str:
    """An issued questionnaire's hash, once per process while the file is unchanged: the
    same file is the reference of every return of its agency."""
    stat = path.stat()
    return _sha256_at(path, (stat.st_size, stat.st_mtime_ns))


def answered(value: dict[str, Any]) -> bool:
    """Whether a return answers anything beyond its contact block (section 0): a
    questionnaire sent back untouched is not a response."""
    return any(field_id[:2] != "s0" and _holds(item) for field_id, item in value.items())


def _holds(item: Any) -> bool:
    if isinstance(item, dict):
        return any(_holds(value) for value in item.values())
    if isinstance(item, list):
        return any(_holds(value) for value in item)
    return item not in (None, "")


def _superseded(record, agency: str, metadata: Metadata, issued):
    """The replaced questionnaire a return was filled in, if it is not the current one:
    by its signed number, or for questionnaires issued before they were numbered, by a
    kind or layout that only an earlier questionnaire of the agency had."""
    if metadata.issue:
        found = record.issue_of(agency, metadata.issue)
        return found if found is not None and found != issued else None
    if (metadata.kind, metadata.fingerprint) == (issued.kind, issued.fingerprint):
        return None
    earlier = [
        entry
        for entry in record.issued
        if entry.agency == agency
        and (entry.kind, entry.fingerprint) == (metadata.kind, metadata.fingerprint)
    ]
    return earlier[-1] if earlier else None


def _warning(outcome: FileOutcome, key: str, /, **params: object) -> Problem:
    return replace(file_problem(outcome.file, key, **params), severity="warning")


def _tampered(
    outcome: FileOutcome, metadata: Metadata, signature: str, archive: Archive, secret: bytes
) -> FileOutcome:
    """Name what was changed in the metadata, by finding the questionnaire it was issued as."""
    for round_ in archive.rounds():
        record = archive.read_round(round_)
        for entry in record.issued if record else ():
            if entry.fingerprint != metadata.fingerprint:
                continue
            # Questionnaires issued before they were numbered carry no issue number.
            for issue in dict.fromkeys((entry.issue, metadata.issue, 0)):
                original = Metadata(
                    agency=entry.agency,
                    kind=entry.kind,
                    round=str(round_),
                    version=record.questionnaire_version,
                    language=entry.language,
                    fingerprint=entry.fingerprint,
                    issue=issue,
                )
                if original.signed_by(secret, signature):
                    changes = [
                        f"{key}: {getattr(original, key)} → {getattr(metadata, key)}"
                        for key in ("agency", "round", "kind", "version", "language", "issue")
                        if getattr(original, key) != getattr(metadata, key)
                    ]
                    return outcome.reject("collect.tampered_known", changes="; ".join(changes))
    return outcome.reject("collect.tampered")


def _layout_changes(read, language: str) -> Refusal | None:
    """Sheets renamed, deleted or reordered, or cells moved by inserted rows, against the
    layout the questionnaire was issued with. Reading by name would still find the cells,
    but the agency no longer filled in the questionnaire it was sent."""
    metadata = read.metadata
    layout = layout_of(metadata.version, metadata.kind, metadata.fingerprint)
    if layout is None:
        return None  # a layout no questionnaire had: refused as such by the caller
    titles = [message("workbook.cover_sheet").render(language)]
    titles += [sheet.title[language] for sheet in layout.sheets]
    missing = [title for title in titles if title not in read.sheetnames]
    if len(missing) == 1:
        change = message("collect.sheet_missing", sheet=missing[0])
        return Refusal("collect.sheets_changed", {"changes": change})
    if missing:
        sheets = ", ".join(f"«{title}»" for title in missing)
        change = message("collect.sheets_missing", count=len(missing), sheets=sheets)
        return Refusal("collect.sheets_changed", {"changes": change})
    found = [title for title in read.sheetnames if title in titles]
    if found != titles:
        change = message("collect.sheets_reordered", found=", ".join(found))
        return Refusal("collect.sheets_changed", {"changes": change})
    for name, (index, placed) in layout.placed().items():
        if name not in read.found_at:
            continue  # a missing name is reported as such
        expected = (layout.sheets[index].title[language], placed.row, placed.column)
        if read.found_at[name] != expected:
            return Refusal("collect.cells_moved", {
                "label": placed.input.label,
                "expected": _reference(*expected),
                "found": _reference(*read.found_at[name]),
            })  # fmt: skip
    return None


def _reference(sheet: str, row: int, column: int) -> str:
    return f"{sheet}!{get_column_letter(column)}{row}"


def _located(problems: list[Problem], outcome: FileOutcome, read=None) -> list[Problem]:
    located = []
    for problem in problems:
        position = (problem.sheet, problem.cell) if problem.cell else None
        if position is None and read is not None and problem.field:
            position = read.position_of(problem.field)
        located.append(
            replace(
                problem,
                file=str(outcome.file),
                sheet=position[0] if position else None,
                cell=position[1] if position else None,
            )
        )
    return located


def _previous(archive: Archive, round_: Round, agency: str, version: int) -> dict | None:
    try:
        return return_in_terms_of(archive, round_.previous_comparable, agency, version)
    except RapporteurError:
        return None


def _half_year(
    archive: Archive, workspace: Workspace, round_: Round, agency: str, version: int
) -> dict | None:
    """For a round asking for a whole year, the return that gave its first half, if any."""
    period = round_.period(workspace.settings.period_rules)
    if period.code.isdigit():
        for candidate in (Round(int(period.code), 12), Round(int(period.code) + 1, 6)):
            candidate_period = candidate.period(workspace.settings.period_rules)
            if candidate_period.code == f"{period.code}-S1":
                return return_in_terms_of(archive, candidate, agency, version)
    return None


class _Archiving:
    """The archiving of a collect. Each accepted return is staged in the archive's
    transaction as soon as it is decided, and only its name and version kept: memory
    stays flat however many files come. The lock is taken at the first file that changes
    the archive; everything is committed at the end, as one transaction, or nothing is."""

    def __init__(self, archive: Archive, dry_run: bool, wait: bool, received):
        self.archive = archive
        self.dry_run = dry_run
        self.wait = wait
        self.received = received
        self.stack = contextlib.ExitStack()
        self.session: WriteSession | None = None
        self.recognised: dict[tuple[str, str], list[FileOutcome]] = defaultdict(list)

    def __enter__(self) -> "_Archiving":
        return self

    def __exit__(self, *exception) -> None:
        self.stack.__exit__(*exception)

    def _session(self) -> WriteSession:
        if self.session is None:
            self.session = self.stack.enter_context(self.archive.writing(wait=self.wait))
        return self.session

    def decided(self, outcome: FileOutcome) -> None:
        if outcome.questionnaire_version is not None:  # recognised as an agency's return
            rivals = self.recognised[(outcome.agency, outcome.round)]
            rivals.append(outcome)
            if len(rivals) > 1:  # all rejected at the end, naming every file
                for rival in rivals:
                    if rival.version is not None:
                        self.session.withdraw(Round.parse(rival.round), rival.agency)
                        rival.version = None
                outcome.value = outcome.body = None
                return
        if outcome.decision == "accepted":
            self._stage(outcome, Round.parse(outcome.round))
        outcome.value = outcome.body = None

    def _stage(self, outcome: FileOutcome, round_: Round) -> None:
        if self.dry_run:
            if self.archive.current_return(round_, outcome.agency) == outcome.value:
                outcome.decision = "unchanged"
            else:
                _refuse_if_stale(outcome, self.archive, round_)
            return
        recorded = self._session().record_return(
            round_,
            NewReturn(
                agency=outcome.agency,
                kind=outcome.kind,
                questionnaire_version=outcome.questionnaire_version,
                data=outcome.value,
                source_file=outcome.file.name,
                source_sha256=outcome.sha256,
                warnings=len(outcome.warnings),
                received=self.received,
                body=outcome.body,
            ),
        )
        if recorded.stale is not None:
            _stale(outcome, recorded.stale, self.archive, round_)
        elif recorded.version is None:
            outcome.decision = "unchanged"
        else:
            outcome.version = recorded.version

    def finish(self, outcomes: list[FileOutcome]) -> None:
        """Two different files for the same agency and round: the office must choose, not
        us. Then a receipt of every refused return of an agency."""
        for (agency, round_text), rivals in self.recognised.items():
            if len(rivals) < 2:
                continue
            names = ", ".join(rival.file.name for rival in rivals)
            for rival in rivals:
                rival.reject("collect.rival_files", agency=agency, round=round_text, files=names)
        refused = [o for o in outcomes if o.decision == "rejected" and o.recognised]
        if self.dry_run or not refused:
            return
        session = self._session()
        for outcome in refused:
            session.record_receipt(Round.parse(outcome.round), _receipt(outcome, self.received))


def _refuse_if_stale(outcome: FileOutcome, archive: Archive, round_: Round) -> None:
    versions = archive.return_versions(round_, outcome.agency)
    for older in versions[:-1]:
        if from_sections(older.body) == outcome.value:
            _stale(outcome, older.number, archive, round_)
            return


def _stale(outcome: FileOutcome, older: int, archive: Archive, round_: Round) -> None:
    latest = archive.return_versions(round_, outcome.agency)[-1].number
    outcome.value = None
    outcome.refusal = "stale"
    outcome.reject("collect.stale", agency=outcome.agency, older=older, latest=latest)


def _receipt(outcome: FileOutcome, received: datetime.datetime | None) -> NewReceipt:
    problems = tuple(
        {
            key: value
            for key, value in {
                "code": problem.code,
                "severity": problem.severity,
                "sheet": problem.sheet,
                "cell": problem.cell,
                "field": problem.field,
                "message": {language: problem.render(language) for language in LANGUAGES},
            }.items()
            if value is not None
        }
        for problem in outcome.problems[:RECEIPT_PROBLEMS]
    )
    return NewReceipt(
        agency=outcome.agency,
        kind=outcome.kind,
        decision=outcome.refusal,
        source_file=outcome.file.name,
        source_sha256=outcome.sha256,
        problems=problems,
        received=received,
    )


def default_jobs() -> int:
    return os.cpu_count() or 1
