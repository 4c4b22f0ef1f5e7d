"""`archive verify`: prove that nothing in the archive was altered or lost.

Every byte is covered. Every file is re-hashed and checked against what names it: a
return version or a receipt against the next one's `supersedes_sha256` and the
consolidated views that name it; each consolidated view against the one after it. What
the latest view says of each agency (version, kind, received, source file, warnings,
latest receipt) is checked against the files it is derived from, and round.toml against
the hash the latest view took of it, and the issued questionnaires still on disk against
round.toml. Anything the archive does not write (a stray temporary file, a document
dropped in by hand) is reported too.
"""

import hmac
from dataclasses import dataclass, field
from pathlib import Path

from rapporteur.archive import (
    CONSOLIDATED,
    JOURNAL,
    LOCK_FILE,
    LOCK_INFO,
    RECEIPTS,
    RETURNS,
    ROUND_FILE,
    ROUND_FOLDER,
    STAGING,
    VERSION_FILE,
    Archive,
    StoredFile,
    from_sections,
    sha256_of,
    view_signature,
)
from rapporteur.messages import message
from rapporteur.problems import Problem, RapporteurError
from rapporteur.rounds import Round


@dataclass
class Verification:
    rounds: int = 0
    files: int = 0
    recovered: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def add(self, path: Path, key: str, /, **params: object) -> None:
        self.problems.append(
            Problem(
                code=key.replace(".", "-"),
                severity="error",
                message=message(key, file=str(path), **params),
                file=str(path),
            )
        )


def verify_archive(
    archive: Archive, only: Round | None = None, key: bytes | None = None
) -> Verification:
    """`key`, the workspace's secret, checks the signatures of the consolidated views."""
    result = Verification(recovered=archive.recover_if_needed())
    root = archive.root
    if not root.is_dir():
        return result
    for entry in sorted(root.iterdir()):
        if entry.name in (LOCK_FILE, LOCK_INFO):
            continue
        if entry.name in (JOURNAL, STAGING):
            result.add(entry, "verify.interrupted_write")
            continue
        if not (entry.is_dir() and ROUND_FOLDER.match(entry.name)):
            result.add(entry, "verify.unknown_file")
            continue
        round_ = Round.parse(entry.name)
        if only is not None and round_ != only:
            continue
        result.rounds += 1
        _verify_round(archive, round_, result, key)
    return result


def _verify_round(archive: Archive, round_: Round, result: Verification, key) -> None:
    folder = archive.round_folder(round_)
    _unknown_files(folder, result)
    record = None
    if (folder / ROUND_FILE).is_file():
        result.files += 1
        try:
            record = archive.read_round(round_)
        except RapporteurError as error:
            result.add(folder / ROUND_FILE, "verify.unreadable", detail=error.render("en"))
    versions: dict[str, list[StoredFile]] = {}
    for agency in archive.agencies_with_returns(round_):
        stored = _read_all(archive, folder / RETURNS / agency, result)
        versions[agency] = stored
        _verify_chain(stored, result, expected={"agency": agency, "round": str(round_)})
    receipts: dict[str, list[StoredFile]] = {}
    for agency in archive.agencies_with_receipts(round_):
        stored = _read_all(archive, folder / RECEIPTS / agency, result)
        receipts[agency] = stored
        _verify_chain(stored, result, expected={"agency": agency, "round": str(round_)})
    views = _read_all(archive, folder / CONSOLIDATED, result)
    _verify_chain(views, result, expected={"round": str(round_)})
    if key is not None:
        _verify_signatures(views, key, result)
    for view in views:
        _verify_view(view, versions, receipts, result)
    if views:
        _verify_latest_view(views[-1], versions, receipts, record, result)
    elif versions or receipts:
        result.add(folder, "verify.not_consolidated")
    if record is not None:
        _verify_issued_files(archive.root.parent, record, result)


def _unknown_files(folder: Path, result: Verification) -> None:
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if path.is_dir():
            if relative in ((RETURNS,), (RECEIPTS,), (CONSOLIDATED,)) or (
                len(relative) == 2 and relative[0] in (RETURNS, RECEIPTS)
            ):
                continue
            result.add(path, "verify.unknown_file")
            continue
        known = (
            relative == (ROUND_FILE,)
            or (len(relative) == 2 and relative[0] == CONSOLIDATED)
            or (len(relative) == 3 and relative[0] in (RETURNS, RECEIPTS))
        ) and (relative == (ROUND_FILE,) or VERSION_FILE.match(relative[-1]))
        if not known:
            result.add(path, "verify.unknown_file")


def _read_all(archive: Archive, folder: Path, result: Verification) -> list[StoredFile]:
    stored = []
    if not folder.is_dir():
        return stored
    for path in sorted(folder.iterdir()):
        match = VERSION_FILE.match(path.name)
        if not match:
            continue
        result.files += 1
        try:
            stored.append(archive._read(path, int(match.group(1))))
        except RapporteurError as error:
            result.add(path, "verify.unreadable", detail=error.render("en"))
    return sorted(stored, key=lambda item: item.number)


def _verify_chain(stored: list[StoredFile], result: Verification, expected: dict) -> None:
    for position, item in enumerate(stored, start=1):
        if item.number != position:
            result.add(item.path.parent / f"v{position}.toml", "verify.missing_version")
            return
        if item.header.get("version") != item.number:
            result.add(
                item.path, "verify.header_mismatch", key="version", found=item.header.get("version")
            )
        for key, value in expected.items():
            if item.header.get(key) != value:
                result.add(item.path, "verify.header_mismatch", key=key, found=item.header.get(key))
        before = stored[position - 2].sha256 if position > 1 else None
        if item.header.get("supersedes_sha256") != before:
            result.add(item.path, "verify.chain_broken", previous=f"v{position - 1}.toml")


# What a view says of a return, and the version header it must agree with.
_RETURN_FIELDS = (("kind", "kind"), ("received", "received"), ("source_file", "source_file"),
                  ("warnings", "warnings"))  # fmt: skip
_RECEIPT_FIELDS = (("decision", "decision"), ("after_version", "after_version"),
                   ("received", "received"), ("source_file", "source_file"))  # fmt: skip


def _verify_view(
    view: StoredFile,
    versions: dict[str, list[StoredFile]],
    receipts: dict[str, list[StoredFile]],
    result: Verification,
) -> None:
    for agency, entry in view.body.get("returns", {}).items():
        item = _named(view, agency, entry, versions, result)
        if item is None:
            continue
        if from_sections(entry.get("data", {})) != from_sections(item.body):
            result.add(view.path, "verify.view_differs", agency=agency, version=item.number)
        _same_fields(view, agency, entry, item, _RETURN_FIELDS, result)
    for agency, entry in view.body.get("refused", {}).items():
        item = _named(view, agency, entry, receipts, result)
        if item is not None:
            _same_fields(view, agency, entry, item, _RECEIPT_FIELDS, result)


def _verify_signatures(views: list[StoredFile], key: bytes, result: Verification) -> None:
    """Each view signed with the workspace's key, from the first that was on (views
    written before views were signed are covered by the hash chain alone)."""
    signed = False
    for view in views:
        signature = view.header.get("signature")
        if signature is None:
            if signed:
                result.add(view.path, "verify.unsigned_view")
            continue
        signed = True
        if not hmac.compare_digest(
            signature, view_signature({"header": view.header, **view.body}, key)
        ):
            result.add(view.path, "verify.bad_signature")


def _named(view, agency, entry, stored_by_agency, result) -> StoredFile | None:
    """The file a view's entry names, if it exists and is the file the view hashed."""
    stored = {item.number: item for item in stored_by_agency.get(agency, [])}
    item = stored.get(entry.get("version"))
    if item is None:
        result.add(
            view.path, "verify.names_missing_version", agency=agency, version=entry.get("version")
        )
        return None
    if item.sha256 != entry.get("sha256"):
        result.add(item.path, "verify.hash_mismatch", view=view.path.name)
        return None
    return item


def _same_fields(view, agency, entry, item, fields, result) -> None:
    for in_view, in_header in fields:
        expected = item.header.get(in_header, 0 if in_header == "warnings" else None)
        if entry.get(in_view, 0 if in_view == "warnings" else None) != expected:
            result.add(
                view.path,
                "verify.entry_differs",
                agency=agency,
                key=in_view,
                found=entry.get(in_view),
                expected=expected,
                source=item.path.name,
            )


def _verify_latest_view(view, versions, receipts, record, result: Verification) -> None:
    named = view.body.get("returns", {})
    for agency, stored in versions.items():
        if stored and named.get(agency, {}).get("version") != stored[-1].number:
            result.add(stored[-1].path, "verify.not_in_latest_view", view=view.path.name)
    refused = view.body.get("refused", {})
    for agency, stored in receipts.items():
        if stored and refused.get(agency, {}).get("version") != stored[-1].number:
            result.add(stored[-1].path, "verify.not_in_latest_view", view=view.path.name)
    header = view.header
    if record is not None:
        issued = record.issued_agencies()
        missing = [agency for agency in issued if agency not in named]
        if header.get("missing", []) != missing:
            result.add(view.path, "verify.missing_list_differs")
        for key, value in (("issued", len(issued)), ("returned", len(named))):
            if header.get(key) != value:
                result.add(view.path, "verify.header_mismatch", key=key, found=header.get(key))
    # Views written before round.toml was hashed carry no round_sha256.
    round_file = view.path.parent.parent / ROUND_FILE
    hashed = header.get("round_sha256")
    if hashed is not None and round_file.is_file() and sha256_of(round_file) != hashed:
        result.add(round_file, "verify.round_changed", view=view.path.name)


def _verify_issued_files(root: Path, record, result: Verification) -> None:
    """Each questionnaire still on disk (in issued/, or in superseded/ once replaced) is
    the one round.toml records."""
    for entry in record.issued:
        path = root / entry.file
        if record.current_issue(entry.agency) != entry:
            path = path.parent / "superseded" / f"{entry.agency}-{entry.sha256[:12]}.xlsx"
        if path.is_file() and sha256_of(path) != entry.sha256:
            result.add(path, "verify.issued_differs", agency=entry.agency)
