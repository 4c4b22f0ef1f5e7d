"""The archive: the office's record of every round, as plain TOML that a person can read.

    archive/<round>/round.toml                 the round: period, deadline, questionnaire
                                               version, every questionnaire issued
    archive/<round>/returns/<agency>/vN.toml   each accepted version of a return
    archive/<round>/receipts/<agency>/vN.toml  each file refused for an agency, and why
    archive/<round>/consolidated/vN.toml       the merged round after each change

Nothing is ever rewritten or deleted but round.toml, which grows as questionnaires are
issued. Each return version and each receipt records the SHA-256 of the one it follows;
each consolidated view records the SHA-256 of every file it names, of the view before it
and of round.toml as it stood, so `verify` can prove that nothing was altered or lost.
The latest view, which nothing after it hashes, is signed with the workspace's secret
key instead: an edit by hand anywhere is found.

Writes are serialised by an operating-system lock on `archive/.lock` (released by the
system when its holder dies, so a lock left by a crashed process is simply taken over)
and grouped in transactions: every file of a change is first written to a staging folder
and fsynced, then a journal naming them is written atomically, then the files are moved
into place. A crash before the journal leaves the archive as it was; a crash after it is
completed by the next command that opens the archive. Either way, never a mixture.
"""

import contextlib
import datetime
import getpass
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli
import tomli_w

from rapporteur.problems import UsageError, WorkspaceError
from rapporteur.rounds import ReportingPeriod, Round

FORMAT = 1
ROUND_FILE = "round.toml"
RETURNS = "returns"
RECEIPTS = "receipts"
CONSOLIDATED = "consolidated"
LOCK_FILE = ".lock"
LOCK_INFO = ".lock.info"
JOURNAL = ".journal"
STAGING = ".staging"
CACHE = ".cache"
VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.toml$")
ROUND_FOLDER = re.compile(r"^\d{4}-(06|12)$")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_of_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


# The round record --------------------------------------------------------------------------


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
    issue: int = 0
    """The agency's questionnaire number in the round, signed into the workbook."""


@dataclass(frozen=True)
class RoundRecord:
    round: Round
    questionnaire_version: int
    period: ReportingPeriod
    deadline: datetime.date
    issued: tuple[IssuedQuestionnaire, ...] = ()
    source: str | None = None
    """For a historical round (figures published before the tool, imported by `archive
    import`): where they come from. None for a round whose questionnaires were issued."""

    @property
    def historical(self) -> bool:
        return self.source is not None

    def current_issue(self, agency_id: str) -> IssuedQuestionnaire | None:
        """The questionnaire last issued to an agency in this round."""
        found = [entry for entry in self.issued if entry.agency == agency_id]
        return found[-1] if found else None

    def issue_of(self, agency_id: str, number: int) -> IssuedQuestionnaire | None:
        """The agency's questionnaire with that number in this round."""
        return next((e for e in self.issued if e.agency == agency_id and e.issue == number), None)

    def issued_agencies(self) -> list[str]:
        return list(dict.fromkeys(entry.agency for entry in self.issued))

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
        if self.source is not None:
            data["source"] = self.source
        return tomli_w.dumps(data)

    @classmethod
    def from_toml(cls, text: str) -> "RoundRecord":
        return cls.from_document(tomli.loads(text))

    @classmethod
    def from_document(cls, data: dict[str, Any]) -> "RoundRecord":
        _check_format(data.get("format"))
        return cls(
            round=Round.parse(data["round"]),
            questionnaire_version=data["questionnaire_version"],
            period=ReportingPeriod(
                data["period_start"], data["period_end"], data["period_code"], data["period_status"]
            ),
            deadline=data["deadline"],
            issued=_numbered_issues(data.get("issued", [])),
            source=data.get("source"),
        )


def _numbered_issues(entries: list[dict[str, Any]]) -> tuple[IssuedQuestionnaire, ...]:
    """The issued questionnaires, numbered per agency in the order issued where a record
    written before they were numbered does not say."""
    counts: dict[str, int] = {}
    issued = []
    for entry in entries:
        counts[entry["agency"]] = counts.get(entry["agency"], 0) + 1
        issued.append(IssuedQuestionnaire(**{"issue": counts[entry["agency"]], **entry}))
    return tuple(issued)


# Return versions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredFile:
    """One TOML file of the archive, as read: its number, header and data."""

    path: Path
    number: int
    header: dict[str, Any]
    body: dict[str, Any]
    sha256: str


@dataclass(frozen=True)
class NewReturn:
    """An accepted return on its way into the archive."""

    agency: str
    kind: str
    questionnaire_version: int
    data: dict[str, Any]
    source_file: str
    source_sha256: str
    warnings: int = 0
    received: datetime.datetime | None = None
    """When the return arrived, if not now (the date of the e-mail that brought it)."""
    body: "Body | None" = None
    """`render_body(data)`, if already rendered (by collect's workers, in parallel)."""


@dataclass(frozen=True)
class NewReceipt:
    """A file refused for an agency: received, but not archived as a return."""

    agency: str
    kind: str
    decision: str
    """Why: "rejected" (errors), "empty", "stale" (an older version sent again) or
    "superseded" (a questionnaire replaced by a later one)."""
    source_file: str
    source_sha256: str
    problems: tuple[dict[str, Any], ...] = ()
    """What the agency is told: code, sheet, cell and the message in each language."""
    received: datetime.datetime | None = None


@dataclass(frozen=True)
class Recorded:
    agency: str
    version: int | None
    """The new version number, or None when nothing was written: the return was identical
    to the current version, or (`stale`) to an older one."""
    path: Path | None
    stale: int | None = None
    """The older version a return is identical to: sent again, it would undo what came
    after it, so nothing is written."""


def to_sections(data: dict[str, Any]) -> dict[str, Any]:
    """A return as the archive keeps it: one table per section (`s1`, `s2`, …)."""
    sections: dict[str, dict[str, Any]] = {}
    for field_id, value in data.items():
        sections.setdefault(field_id.split("_", 1)[0], {})[field_id] = value
    return {section: sections[section] for section in sorted(sections)}


@dataclass(frozen=True)
class Body:
    """A return's data in the three forms the archive writes it in: its TOML (in the
    version file and the consolidated view), the JSON the view's signature is computed
    over, and the JSON of the cache. Rendered once, by collect's workers in parallel, so
    that the view can be written return by return without holding any return's data."""

    toml: str
    """Every section is a table, so a version file is its header's TOML, a blank line,
    then this: exactly what rendering both at once gives."""
    signed: str
    cached: str


def render_body(data: dict[str, Any]) -> Body:
    return _render_sections(to_sections(data))


def _render_sections(sections: dict[str, Any]) -> Body:
    return Body(
        tomli_w.dumps(sections),
        json.dumps(sections, sort_keys=True, default=str, ensure_ascii=False),
        json.dumps(sections, default=_to_json, ensure_ascii=False),
    )


def from_sections(body: dict[str, Any]) -> dict[str, Any]:
    return {
        field_id: value
        for section, fields in body.items()
        if re.match(r"^s\d$", section) and isinstance(fields, dict)
        for field_id, value in fields.items()
    }


# Transactions and the lock -----------------------------------------------------------------


class Transaction:
    """Files written together or not at all (see the module's docstring)."""

    def __init__(self, root: Path, steps: Callable[[], None]):
        self.root = root
        self.staging = root / STAGING / uuid.uuid4().hex
        self.moves: dict[str, str] = {}
        """Where each file goes, by its staged name: in the order written."""
        self.staged = 0
        self.steps = steps

    def write(self, path: Path, text: str) -> Path:
        """Stage `text` to be moved to `path` at commit; return the staged file."""
        return self.write_chunks(path, (text,))[0]

    def write_chunks(self, path: Path, chunks: Iterable[str]) -> tuple[Path, str]:
        """Stage a file written piece by piece, never held whole; return the staged file
        and the SHA-256 of what it holds."""
        staged = self.spool_path(".toml")
        digest = hashlib.sha256()
        with open(staged, "w", encoding="utf-8", newline="\n") as stream:
            for chunk in chunks:
                stream.write(chunk)
                digest.update(chunk.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        self.moves[str(staged.relative_to(self.root))] = str(path.relative_to(self.root))
        self.steps()
        return staged, digest.hexdigest()

    def spool_path(self, suffix: str) -> Path:
        """A new file of the staging folder: removed with it, whatever happens."""
        self.staging.mkdir(parents=True, exist_ok=True)
        self.staged += 1
        return self.staging / f"{self.staged:06d}{suffix}"

    def withdraw(self, staged: Path) -> None:
        """Take back a staged file: it will not be moved into the archive."""
        del self.moves[str(staged.relative_to(self.root))]
        staged.unlink()

    def commit(self) -> None:
        if not self.moves:
            return
        _fsync_folder(self.staging)
        journal = self.root / JOURNAL
        # Written inside the staging folder, which recovery removes, so a crash before
        # the rename leaves nothing behind.
        temporary = self.staging / JOURNAL
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump(list(self.moves.items()), stream)
            stream.flush()
            os.fsync(stream.fileno())
        self.steps()
        os.replace(temporary, journal)
        _fsync_folder(self.root)
        self.steps()
        _apply_journal(self.root, self.steps)


def _apply_journal(root: Path, steps=lambda: None) -> None:
    journal = root / JOURNAL
    moves = json.loads(journal.read_text(encoding="utf-8"))
    for staged, final in moves:
        source, target = root / staged, root / final
        if source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            _fsync_folder(target.parent)
            steps()
    journal.unlink()
    _fsync_folder(root)
    steps()
    shutil.rmtree(root / STAGING, ignore_errors=True)


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder to fsync it; rename is durable there.
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


@dataclass
class LockInfo:
    pid: int
    host: str
    user: str
    since: str

    @classmethod
    def read(cls, path: Path) -> "LockInfo | None":
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None


class ArchiveLock:
    """The one writer's lock. The operating system drops it when its holder dies."""

    def __init__(self, root: Path):
        self.root = root
        self.handle: int | None = None
        self.stale: LockInfo | None = None

    def acquire(self, wait: bool) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.handle = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        while not _try_lock(self.handle):
            if not wait:
                holder = LockInfo.read(self.root / LOCK_INFO)
                os.close(self.handle)
                self.handle = None
                raise WorkspaceError(
                    "archive.busy",
                    pid=holder.pid if holder else "?",
                    host=holder.host if holder else "?",
                    since=holder.since if holder else "?",
                )
            time.sleep(0.1)
        # Information left behind by a holder that died: its lock is gone, ours now.
        self.stale = LockInfo.read(self.root / LOCK_INFO)
        info = LockInfo(os.getpid(), socket.gethostname(), current_user(), utc_now().isoformat())
        (self.root / LOCK_INFO).write_text(json.dumps(vars(info)), encoding="utf-8")

    def release(self) -> None:
        if self.handle is None:
            return
        with contextlib.suppress(OSError):
            (self.root / LOCK_INFO).unlink()
        _unlock(self.handle)
        os.close(self.handle)
        self.handle = None


if os.name == "nt":  # pragma: no cover - exercised on the office's Windows machines
    import msvcrt

    def _try_lock(handle: int) -> bool:
        try:
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(handle: int) -> None:
        os.lseek(handle, 0, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)


# The archive -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Latest:
    """An agency's latest return version as a session knows it: header and hash in
    memory, the data on disk (staged by the session, or in the archive) until needed."""

    header: dict[str, Any]
    sha256: str
    stored: StoredFile | None = None
    """The version in the archive, as read."""
    staged: Path | None = None
    """The version the session staged, and beside it its body's JSON forms."""
    sidecar: Path | None = None
    offset: int = 0
    """Where the body's TOML starts in the staged file."""

    def rendered(self) -> Body:
        if self.stored is not None:
            return _render_sections(self.stored.body)
        toml = self.staged.read_text(encoding="utf-8")[self.offset :]
        signed, cached = self.sidecar.read_text(encoding="utf-8").split("\n")
        return Body(toml, signed, cached)

    def sections(self) -> dict[str, Any]:
        if self.stored is not None:
            return self.stored.body
        return tomli.loads(self.rendered().toml)


@dataclass
class WriteSession:
    """What a locked write can do: update a round, add return versions, consolidate."""

    archive: "Archive"
    transaction: Transaction
    rounds: dict[Round, RoundRecord | None] = field(default_factory=dict)
    """Every round the session changed, with its record when the session rewrote it."""
    latest: dict[tuple[Round, str], _Latest] = field(default_factory=dict)
    """The versions the session staged, by round and agency: their data stays on disk."""
    views: dict[Path, Path] = field(default_factory=dict)
    """The consolidated views the session wrote, and the cache entry of each, by file."""
    receipts: dict[tuple[Round, str], tuple[dict, str]] = field(default_factory=dict)
    """The receipts the session wrote: header and SHA-256, by round and agency."""
    round_texts: dict[Round, str] = field(default_factory=dict)
    """round.toml as the session wrote it, by round."""

    def write_round(self, record: RoundRecord) -> None:
        path = self.archive.round_folder(record.round) / ROUND_FILE
        text = record.to_toml()
        self.transaction.write(path, text)
        self.rounds[record.round] = record
        self.round_texts[record.round] = text

    def record_return(self, round_: Round, new: NewReturn, by: str | None = None) -> Recorded:
        """Add a return as the agency's next version, unless identical to the current one
        or to an older one (which nothing may bring back but `revert`)."""
        current = self._current(round_, new.agency)
        if current is not None and from_sections(current.sections()) == new.data:
            return Recorded(new.agency, None, None)
        for older in self.archive.return_versions(round_, new.agency)[:-1]:
            if from_sections(older.body) == new.data:
                return Recorded(new.agency, None, None, stale=older.number)
        return self._write_version(round_, new, current, by)

    def withdraw(self, round_: Round, agency: str) -> None:
        """Take back the one version the session staged for an agency: two files came
        for it, and the office must choose."""
        latest = self.latest.pop((round_, agency))
        self.transaction.withdraw(latest.staged)
        latest.sidecar.unlink()

    def revert(self, round_: Round, agency: str, to: int, by: str | None = None) -> Recorded:
        """A new version of a return with the data of an older one, on the office's word."""
        current = self._current(round_, agency)
        older = self.archive.return_version(round_, agency, to)
        if current is not None and current.header["version"] == to:
            raise UsageError("archive.revert_to_current", agency=agency, version=to)
        new = NewReturn(
            agency=agency,
            kind=older.header["kind"],
            questionnaire_version=older.header["questionnaire_version"],
            data=from_sections(older.body),
            source_file=older.header["source_file"],
            source_sha256=older.header["source_sha256"],
            warnings=older.header.get("warnings", 0),
        )
        return self._write_version(round_, new, current, by, reverted_from=to)

    def record_receipt(self, round_: Round, new: NewReceipt, by: str | None = None) -> Path:
        """Keep the trace of a file refused for an agency: when, which file, and why."""
        receipts = self.archive.receipts(round_, new.agency)
        previous = self.receipts.get((round_, new.agency))
        number = previous[0]["version"] + 1 if previous else len(receipts) + 1
        before = previous[1] if previous else (receipts[-1].sha256 if receipts else None)
        current = self._current(round_, new.agency)
        header = _header(round_, new, number, by)
        header["decision"] = new.decision
        # The accepted version this refusal came after: a later version supersedes it.
        header["after_version"] = current.header["version"] if current else 0
        if before is not None:
            header["supersedes_sha256"] = before
        text = tomli_w.dumps({"header": header, "problems": list(new.problems)})
        path = self.archive.round_folder(round_) / RECEIPTS / new.agency / f"v{number}.toml"
        self.transaction.write(path, text)
        self.receipts[(round_, new.agency)] = (header, sha256_of_text(text))
        self.rounds.setdefault(round_, None)
        return path

    def _write_version(
        self,
        round_: Round,
        new: NewReturn,
        current: _Latest | None,
        by: str | None,
        reverted_from: int | None = None,
    ) -> Recorded:
        number = current.header["version"] + 1 if current else 1
        header = _header(round_, new, number, by)
        header["questionnaire_version"] = new.questionnaire_version
        header["warnings"] = new.warnings
        if reverted_from is not None:
            header["reverted_from"] = reverted_from
        if current is not None:
            header["supersedes_sha256"] = current.sha256
        body = new.body if new.body is not None else render_body(new.data)
        head = tomli_w.dumps({"header": header}) + "\n"
        # The JSON forms wait beside it for the consolidated view; never moved in.
        sidecar = self.transaction.spool_path(".json")
        sidecar.write_text(body.signed + "\n" + body.cached, encoding="utf-8")
        path = self.archive.round_folder(round_) / RETURNS / new.agency / f"v{number}.toml"
        staged = self.transaction.write(path, head + body.toml)
        sha256 = sha256_of_text(head + body.toml)
        latest = _Latest(header, sha256, None, staged, sidecar, len(head))
        self.latest[(round_, new.agency)] = latest
        self.rounds.setdefault(round_, None)
        return Recorded(new.agency, number, path)

    def _current(self, round_: Round, agency: str) -> _Latest | None:
        if (round_, agency) in self.latest:
            return self.latest[(round_, agency)]
        numbered = self.archive._numbers(self.archive.round_folder(round_) / RETURNS / agency)
        if not numbered:
            return None
        stored = self.archive._read(numbered[-1][1], numbered[-1][0])
        return _Latest(stored.header, stored.sha256, stored)

    def consolidate(self) -> None:
        for round_ in sorted(self.rounds):
            self._write_view(round_)

    def _write_view(self, round_: Round) -> None:
        """The merged round as it will be once the session's writes are in place, written
        return by return: a round of 10,000 returns is never held whole. Its cache entry
        is written on the way, to be put in place once the view is."""
        record = self.rounds.get(round_) or self.archive.read_round(round_)
        agencies = set(self.archive.agencies_with_returns(round_))
        agencies |= {agency for (written, agency) in self.latest if written == round_}
        refused: dict[str, Any] = {}
        agencies_refused = set(self.archive.agencies_with_receipts(round_))
        agencies_refused |= {agency for (written, agency) in self.receipts if written == round_}
        for agency in sorted(agencies_refused):
            receipt_header, sha = self._latest_receipt(round_, agency)
            refused[agency] = {
                "version": receipt_header["version"],
                "file": f"{RECEIPTS}/{agency}/v{receipt_header['version']}.toml",
                "sha256": sha,
                "decision": receipt_header["decision"],
                "after_version": receipt_header["after_version"],
                "received": receipt_header["received"],
                "source_file": receipt_header["source_file"],
            }
        refused = _without_none(refused)
        issued = record.issued_agencies() if record else []
        numbered = self.archive._numbers(self.archive.round_folder(round_) / CONSOLIDATED)
        header = {
            "format": FORMAT,
            "round": str(round_),
            "questionnaire_version": record.questionnaire_version if record else None,
            "version": numbered[-1][0] + 1 if numbered else 1,
            "created": utc_now(),
            "created_by": current_user(),
            "issued": len(issued),
            "returned": len(agencies),
            "missing": [agency for agency in issued if agency not in agencies],
            "round_sha256": self._round_sha256(round_),
        }
        if numbered:
            header["supersedes_sha256"] = sha256_of(numbered[-1][1])
        header = _without_none(header)
        path = self.archive.round_folder(round_) / CONSOLIDATED / f"v{header['version']}.toml"
        signature = _ViewSignature(self.archive.key, header, refused)
        part = self.transaction.spool_path(".toml")
        cache = _CacheEntry(self.archive.root.parent / CACHE)
        if cache.path is not None:  # removed by `writing` should the write fail
            self.views[path] = cache.path
        with open(part, "w", encoding="utf-8", newline="\n") as toml_part, cache as cached:
            cached.write('{"body": {"returns": {')
            for index, agency in enumerate(sorted(agencies)):
                latest = self._current(round_, agency)
                entry = _without_none({
                    "version": latest.header["version"],
                    "file": f"{RETURNS}/{agency}/v{latest.header['version']}.toml",
                    "sha256": latest.sha256,
                    "kind": latest.header["kind"],
                    "received": latest.header["received"],
                    "source_file": latest.header["source_file"],
                    "warnings": latest.header.get("warnings", 0),
                })  # fmt: skip
                body = latest.rendered()
                separator = ", " if index else ""
                name = json.dumps(agency, ensure_ascii=False)
                signature.add(f'{separator}{name}: {{"data": {body.signed}, ', entry)
                rest = json.dumps(entry, default=_to_json, ensure_ascii=False)[1:]
                cached.write(f'{separator}{name}: {{"data": {body.cached}, {rest}')
                table = tomli_w.dumps({RETURNS: {agency: entry}})
                data = table[1 : table.index("]\n")] + ".data"
                toml_part.write(("\n" if index else "") + table + "\n")
                toml_part.write(_under(data, body.toml) if body.toml else f"[{data}]\n")
            refused_json = json.dumps(refused, default=_to_json, ensure_ascii=False)
            cached.write(f'}}, "refused": {refused_json}}}')
        if self.archive.key is not None:
            header["signature"] = signature.hexdigest()

        def chunks() -> Iterator[str]:
            yield tomli_w.dumps({"header": header}) + "\n"
            if not agencies:
                yield f"[{RETURNS}]\n"
            with open(part, encoding="utf-8", newline="") as stream:
                yield from iter(lambda: stream.read(1 << 20), "")
            yield "\n"
            if not refused:
                yield f"[{RECEIPTS_TABLE}]\n"
            for index, (agency, entry) in enumerate(refused.items()):
                yield ("\n" if index else "") + tomli_w.dumps({RECEIPTS_TABLE: {agency: entry}})

        self.transaction.steps()
        _, sha256 = self.transaction.write_chunks(path, chunks())
        header_json = json.dumps(header, default=_to_json, ensure_ascii=False)
        with cache as cached:
            cached.write(f', "header": {header_json}, "sha256": "{sha256}"}}')
        if cache.path is None:
            self.views.pop(path, None)

    def _latest_receipt(self, round_: Round, agency: str) -> tuple[dict, str]:
        if (round_, agency) in self.receipts:
            return self.receipts[(round_, agency)]
        latest = self.archive.receipts(round_, agency)[-1]
        return latest.header, latest.sha256

    def _round_sha256(self, round_: Round) -> str | None:
        if round_ in self.round_texts:
            return sha256_of_text(self.round_texts[round_])
        path = self.archive.round_folder(round_) / ROUND_FILE
        return sha256_of(path) if path.is_file() else None


RECEIPTS_TABLE = "refused"


class _CacheEntry:
    """A cache entry written beside a view. The cache is only a copy: where it cannot be
    written, the view is written all the same and the entry is forgotten."""

    def __init__(self, folder: Path):
        self.path: Path | None = folder / f"view-{uuid.uuid4().hex}.tmp"
        self.stream = None
        with contextlib.suppress(OSError):
            folder.mkdir(exist_ok=True)

    def __enter__(self) -> "_CacheEntry":
        """Open for appending: the header, known last, is added in a second pass."""
        if self.path is not None:
            try:
                self.stream = open(self.path, "a", encoding="utf-8")
            except OSError:
                self.path = None
        return self

    def __exit__(self, *exception) -> None:
        if self.stream is not None:
            with contextlib.suppress(OSError):
                self.stream.close()
            self.stream = None

    def write(self, text: str) -> None:
        if self.stream is None:
            return
        try:
            self.stream.write(text)
        except OSError:
            self.stream.close()
            self.stream = None
            if self.path is not None:
                self.path.unlink(missing_ok=True)
            self.path = None


class _ViewSignature:
    """`view_signature` of a view written return by return: the same canonical JSON, fed
    to the HMAC piece by piece."""

    def __init__(self, key: bytes | None, header: dict[str, Any], refused: dict[str, Any]):
        self.mac = hmac.new(key, digestmod=hashlib.sha256) if key is not None else None
        self._update(f'{{"header": {_canonical(header)}, "refused": {_canonical(refused)}, '
                     '"returns": {')  # fmt: skip

    def add(self, opening: str, entry: dict[str, Any]) -> None:
        """One return: the opening of its entry, up to its data, then the rest of it."""
        self._update(opening + _canonical(entry)[1:])

    def hexdigest(self) -> str:
        self._update("}}")
        return self.mac.hexdigest()

    def _update(self, text: str) -> None:
        if self.mac is not None:
            self.mac.update(text.encode("utf-8"))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _under(name: str, toml: str) -> str:
    """Tables of a return's TOML moved under `name`: as tomli_w writes a sub-table. Its
    strings never span lines, so a line opening with [ is always a table's header."""
    lines = toml.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("[["):
            lines[index] = f"[[{name}.{line[2:]}"
        elif line.startswith("["):
            lines[index] = f"[{name}.{line[1:]}"
    return "".join(lines)


def _header(
    round_: Round, new: "NewReturn | NewReceipt", number: int, by: str | None
) -> dict[str, Any]:
    """What a version and a receipt both record of the file that came in."""
    return {
        "format": FORMAT,
        "agency": new.agency,
        "kind": new.kind,
        "round": str(round_),
        "version": number,
        "received": new.received or utc_now(),
        "source_file": new.source_file,
        "source_sha256": new.source_sha256,
        "collected_by": by or current_user(),
    }


def view_signature(document: dict[str, Any], key: bytes) -> str:
    """The HMAC of a consolidated view, over everything in it but the signature itself."""
    header = {name: value for name, value in document["header"].items() if name != "signature"}
    unsigned = {**document, "header": header}
    return hmac.new(key, _canonical(unsigned).encode("utf-8"), hashlib.sha256).hexdigest()


class Archive:
    def __init__(
        self, root: Path, key: bytes | None = None, step: Callable[[], None] = lambda: None
    ):
        """`key` signs the consolidated views written (the workspace's secret key; reading
        needs none). `step` is called after each step of a write: the crash tests stop a
        writer between any two steps with it."""
        self.root = root
        self.key = key
        self.steps = step

    # Writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, wait: bool = False) -> Iterator[WriteSession]:
        """Lock the archive, and write everything done in the block as one transaction."""
        lock = ArchiveLock(self.root)
        lock.acquire(wait)
        try:
            self.recover()
            session = WriteSession(self, Transaction(self.root, self.steps))
            try:
                yield session
                session.consolidate()
                session.transaction.commit()
                self._remember_views(session.views)
            finally:
                for temporary in session.views.values():
                    temporary.unlink(missing_ok=True)
        finally:
            # With a journal written, the staged files are the change: leave them to recover.
            if not (self.root / JOURNAL).exists():
                shutil.rmtree(self.root / STAGING, ignore_errors=True)
            lock.release()

    def recover(self) -> bool:
        """Complete or undo a write interrupted by a crash; say whether there was one."""
        if (self.root / JOURNAL).exists():
            _apply_journal(self.root)
            return True
        if (self.root / STAGING).exists():
            shutil.rmtree(self.root / STAGING)
            return True
        return False

    def recover_if_needed(self) -> bool:
        """For readers: finish an interrupted write first, when no writer is at work."""
        if not ((self.root / JOURNAL).exists() or (self.root / STAGING).exists()):
            return False
        lock = ArchiveLock(self.root)
        try:
            lock.acquire(wait=False)
        except WorkspaceError:
            return False
        try:
            return self.recover()
        finally:
            lock.release()

    # Reading ---------------------------------------------------------------------------

    def round_folder(self, round_: Round) -> Path:
        return self.root / str(round_)

    def rounds(self) -> list[Round]:
        if not self.root.is_dir():
            return []
        return sorted(
            Round.parse(path.name)
            for path in self.root.iterdir()
            if path.is_dir() and ROUND_FOLDER.match(path.name)
        )

    def has_round(self, round_: Round) -> bool:
        return (self.round_folder(round_) / ROUND_FILE).is_file()

    def read_round(self, round_: Round) -> RoundRecord | None:
        path = self.round_folder(round_) / ROUND_FILE
        if not path.is_file():
            return None
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)
        if key in _ROUND_RECORDS:  # collect asks once per file: 10,000 times for a big round
            return _ROUND_RECORDS[key]
        try:
            record = RoundRecord.from_document(self._cached(path, "round", _parsed_toml))
        except (tomli.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
            raise WorkspaceError("archive.damaged", path=path, detail=str(error)) from None
        if len(_ROUND_RECORDS) > 64:
            _ROUND_RECORDS.clear()
        _ROUND_RECORDS[key] = record
        return record

    def derived(self, round_: Round, name: str, compute: Callable[[StoredFile], Any]) -> Any:
        """Something computed from a round's latest consolidated view, through the cache:
        the summary's trend needs a few sums from every round, not every round's data.
        None when the round has no consolidated view."""
        numbered = self._numbers(self.round_folder(round_) / CONSOLIDATED)
        if not numbered:
            return None
        number, path = numbered[-1]
        return self._cached(path, name, lambda _: compute(self._read_cached(path, number)))

    def warm(self, rounds: Iterable[Round], jobs: int | None = None) -> None:
        """Put the latest view of each round into the cache, parsing in parallel processes
        those it lacks: after `.cache/` was deleted, a summary's trend reads every round."""
        missing = []
        for round_ in rounds:
            numbered = self._numbers(self.round_folder(round_) / CONSOLIDATED)
            if numbered and not self.cache_file(numbered[-1][1], "view").is_file():
                missing.append(numbered[-1])
        jobs = min(jobs or os.cpu_count() or 1, len(missing))
        if jobs < 2:
            return
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(_cache_view, [self.root] * len(missing), missing))

    def agencies_with_returns(self, round_: Round) -> list[str]:
        return self._agencies(self.round_folder(round_) / RETURNS)

    def agencies_with_receipts(self, round_: Round) -> list[str]:
        return self._agencies(self.round_folder(round_) / RECEIPTS)

    def receipts(self, round_: Round, agency_id: str) -> list[StoredFile]:
        """Every file refused for an agency in a round, oldest first."""
        return self._numbered(self.round_folder(round_) / RECEIPTS / agency_id)

    @staticmethod
    def _agencies(folder: Path) -> list[str]:
        if not folder.is_dir():
            return []
        return sorted(path.name for path in folder.iterdir() if path.is_dir())

    def return_versions(self, round_: Round, agency_id: str) -> list[StoredFile]:
        return self._numbered(self.round_folder(round_) / RETURNS / agency_id)

    def return_version(self, round_: Round, agency_id: str, number: int | None) -> StoredFile:
        versions = self.return_versions(round_, agency_id)
        if not versions:
            raise WorkspaceError("archive.no_return", round=str(round_), agency=agency_id)
        if number is None:
            return versions[-1]
        for version in versions:
            if version.number == number:
                return version
        raise WorkspaceError(
            "archive.no_version", round=str(round_), agency=agency_id, version=number,
            known=", ".join(str(v.number) for v in versions),
        )  # fmt: skip

    def current_return(self, round_: Round, agency_id: str) -> dict[str, Any] | None:
        """The data of the latest accepted version of an agency's return, if any."""
        versions = self.return_versions(round_, agency_id)
        return from_sections(versions[-1].body) if versions else None

    def consolidated_versions(self, round_: Round) -> list[StoredFile]:
        return self._numbered(self.round_folder(round_) / CONSOLIDATED)

    def consolidated(self, round_: Round, number: int | None = None) -> StoredFile | None:
        """One consolidated view (the latest by default), reading only that file."""
        numbered = self._numbers(self.round_folder(round_) / CONSOLIDATED)
        if not numbered:
            return None
        if number is None:
            return self._read_cached(numbered[-1][1], numbered[-1][0])
        for found, path in numbered:
            if found == number:
                return self._read_cached(path, found)
        raise WorkspaceError(
            "archive.no_consolidated", round=str(round_), version=number,
            known=", ".join(str(found) for found, _ in numbered),
        )  # fmt: skip

    def _numbers(self, folder: Path) -> list[tuple[int, Path]]:
        if not folder.is_dir():
            return []
        return sorted(
            (int(match.group(1)), path)
            for path in folder.iterdir()
            if (match := VERSION_FILE.match(path.name))
        )

    def _numbered(self, folder: Path) -> list[StoredFile]:
        return [self._read(path, number) for number, path in self._numbers(folder)]

    def _remember_views(self, views: dict[Path, Path]) -> None:
        """Put the cache entries of the views just written in place: otherwise the next
        summary parses them again (10 s for a round of 2,000 returns)."""
        for path, temporary in views.items():
            # The write is done; a cache that cannot be written is only a slower summary.
            with contextlib.suppress(OSError):
                cached = self.cache_file(path, "view")
                for stale in cached.parent.glob(f"{cached.name.rsplit('-', 3)[0]}-*.json"):
                    stale.unlink()
                os.replace(temporary, cached)
            self.steps()

    def _read_cached(self, path: Path, number: int) -> StoredFile:
        def read(path: Path) -> dict[str, Any]:
            found = self._read(path, number)
            return {"header": found.header, "body": found.body, "sha256": found.sha256}

        stored = self._cached(path, "view", read)
        return StoredFile(path, number, stored["header"], stored["body"], stored["sha256"])

    def _cached(self, path: Path, name: str, compute: Callable[[Path], Any]) -> Any:
        """What `compute` makes of an archive file, through the cache: parsing TOML is the
        cost of a summary.

        The cache (`.cache/` beside the archive) is only ever a copy: it is keyed by the
        file's name, size, modification time and inode, rebuilt when missing or stale, and never
        read by `verify`, which re-hashes the files themselves.
        """
        cached = self.cache_file(path, name)
        if cached.is_file():
            with contextlib.suppress(OSError, ValueError, KeyError):
                return json.loads(cached.read_text(encoding="utf-8"), object_hook=_from_json)
        found = compute(path)
        with contextlib.suppress(OSError):
            cached.parent.mkdir(exist_ok=True)
            for stale in cached.parent.glob(f"{cached.name.rsplit('-', 3)[0]}-*.json"):
                stale.unlink()
            temporary = cached.with_suffix(f".{uuid.uuid4().hex}.tmp")
            temporary.write_text(json.dumps(found, default=_to_json), encoding="utf-8")
            os.replace(temporary, cached)
        return found

    def cache_file(self, path: Path, name: str) -> Path:
        """The cache entry of what `name` makes of an archive file as it stands."""
        stat = path.stat()
        relative = path.relative_to(self.root).as_posix().replace("/", "_") + f"-{name}"
        # Every write of the archive replaces a file by a new one: a new inode, always.
        stamp = f"{stat.st_size}-{stat.st_mtime_ns}-{stat.st_ino}"
        return self.root.parent / CACHE / f"{relative}-{stamp}.json"

    def _read(self, path: Path, number: int) -> StoredFile:
        raw = path.read_bytes()
        try:
            data = tomli.loads(raw.decode("utf-8"))
            header = data.pop("header")
            _check_format(header.get("format"))
        except (tomli.TOMLDecodeError, UnicodeDecodeError, KeyError, AttributeError) as error:
            raise WorkspaceError("archive.damaged", path=path, detail=str(error)) from None
        return StoredFile(path, number, header, data, hashlib.sha256(raw).hexdigest())


def _cache_view(root: Path, numbered: tuple[int, Path]) -> None:
    number, path = numbered
    # A view that cannot be read is read again by the caller, who reports it properly.
    with contextlib.suppress(Exception):
        Archive(root)._read_cached(path, number)


_ROUND_RECORDS: dict[tuple, RoundRecord] = {}
"""Round records already read by this process, by file and stamp; immutable, so shared."""


def _parsed_toml(path: Path) -> dict[str, Any]:
    return tomli.loads(path.read_text(encoding="utf-8"))


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    raise TypeError(type(value))


def _from_json(value: dict) -> Any:
    if "$datetime" in value and len(value) == 1:
        return datetime.datetime.fromisoformat(value["$datetime"])
    if "$date" in value and len(value) == 1:
        return datetime.date.fromisoformat(value["$date"])
    return value


def _check_format(value: Any) -> None:
    if value != FORMAT:
        raise WorkspaceError("archive.newer_format", found=value, known=FORMAT)


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {}
    for key, value in values.items():
        if isinstance(value, dict):
            value = _without_none(value)
        if value is not None:
            cleaned[key] = value
    return cleaned
