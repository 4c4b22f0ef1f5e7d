"""`archive verify`: prove that nothing in the archive was altered or lost.

Every file is re-hashed and checked against what names it: a return version against the
next version's `supersedes_sha256` and the consolidated views that include it; each
consolidated view against the one after it; the latest view against the latest version
of every agency and the round's issued list. Anything the archive does not write (a
stray temporary file, a document dropped in by hand) is reported too.
"""

from dataclasses import dataclass, field
from pathlib import Path

from rapporteur.archive import (
    CONSOLIDATED,
    JOURNAL,
    LOCK_FILE,
    LOCK_INFO,
    RETURNS,
    ROUND_FILE,
    ROUND_FOLDER,
    STAGING,
    VERSION_FILE,
    Archive,
    StoredFile,
    from_sections,
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


def verify_archive(archive: Archive, only: Round | None = None) -> Verification:
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
        _verify_round(archive, round_, result)
    return result


def _verify_round(archive: Archive, round_: Round, result: Verification) -> None:
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
    views = _read_all(archive, folder / CONSOLIDATED, result)
    _verify_chain(views, result, expected={"round": str(round_)})
    for view in views:
        _verify_view(view, versions, result)
    if views:
        _verify_latest_view(views[-1], versions, record, result)
    elif versions:
        result.add(folder, "verify.not_consolidated")


def _unknown_files(folder: Path, result: Verification) -> None:
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if path.is_dir():
            if relative in ((RETURNS,), (CONSOLIDATED,)) or (
                len(relative) == 2 and relative[0] == RETURNS
            ):
                continue
            result.add(path, "verify.unknown_file")
            continue
        known = (
            relative == (ROUND_FILE,)
            or (len(relative) == 2 and relative[0] == CONSOLIDATED)
            or (len(relative) == 3 and relative[0] == RETURNS)
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


def _verify_view(
    view: StoredFile, versions: dict[str, list[StoredFile]], result: Verification
) -> None:
    for agency, entry in view.body.get("returns", {}).items():
        stored = {item.number: item for item in versions.get(agency, [])}
        item = stored.get(entry.get("version"))
        if item is None:
            result.add(
                view.path,
                "verify.names_missing_version",
                agency=agency,
                version=entry.get("version"),
            )
            continue
        if item.sha256 != entry.get("sha256"):
            result.add(item.path, "verify.hash_mismatch", view=view.path.name)
        elif from_sections(entry.get("data", {})) != from_sections(item.body):
            result.add(view.path, "verify.view_differs", agency=agency, version=item.number)


def _verify_latest_view(view, versions, record, result: Verification) -> None:
    named = view.body.get("returns", {})
    for agency, stored in versions.items():
        if stored and named.get(agency, {}).get("version") != stored[-1].number:
            result.add(stored[-1].path, "verify.not_in_latest_view", view=view.path.name)
    if record is not None:
        missing = [agency for agency in record.issued_agencies() if agency not in named]
        if view.header.get("missing", []) != missing:
            result.add(view.path, "verify.missing_list_differs")
