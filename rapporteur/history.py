"""What the archive holds, for people: rounds, an agency's versions, what changed."""

from dataclasses import dataclass
from typing import Any

from rapporteur.archive import Archive, Recorded, from_sections
from rapporteur.definition import Text, load_definition
from rapporteur.models import label_for, path_of
from rapporteur.problems import WorkspaceError
from rapporteur.rounds import Round


@dataclass(frozen=True)
class RoundSummary:
    round: Round
    issued: int
    returned: int
    versions: int
    consolidated: int
    source: str | None = None
    """Where a historical round's figures come from."""


@dataclass(frozen=True)
class Change:
    path: str
    label: Text
    before: Any
    after: Any


def list_rounds(archive: Archive) -> list[RoundSummary]:
    archive.recover_if_needed()
    summaries = []
    for round_ in archive.rounds():
        record = archive.read_round(round_)
        agencies = archive.agencies_with_returns(round_)
        summaries.append(
            RoundSummary(
                round=round_,
                issued=len(record.issued_agencies()) if record else 0,
                returned=len(agencies),
                versions=sum(len(archive.return_versions(round_, a)) for a in agencies),
                consolidated=len(archive.consolidated_versions(round_)),
                source=record.source if record else None,
            )
        )
    return summaries


def require_round(archive: Archive, round_: Round) -> None:
    rounds = archive.rounds()
    if round_ not in rounds:
        raise WorkspaceError(
            "archive.no_round", round=str(round_), known=", ".join(map(str, rounds)) or "—"
        )


def revert_return(archive: Archive, round_: Round, agency: str, to: int) -> Recorded:
    """Make the data of an older version the agency's current return again, as a new
    version that names the one it restores: nothing archived is overwritten, and
    `history` shows that the office, not the agency, brought it back."""
    archive.recover_if_needed()
    require_round(archive, round_)
    archive.return_version(round_, agency, to)  # names the versions there are
    with archive.writing() as session:
        return session.revert(round_, agency, to)


def diff_versions(
    archive: Archive, round_: Round, agency: str, first: int | None, second: int | None
) -> tuple[int, int, list[Change]]:
    """Field by field, what changed between two versions (default: the last two)."""
    versions = archive.return_versions(round_, agency)
    if not versions:
        raise WorkspaceError("archive.no_return", round=str(round_), agency=agency)
    after = archive.return_version(round_, agency, second)
    if first is None:
        first = after.number - 1 if after.number > 1 else after.number
    before = archive.return_version(round_, agency, first)
    definition = load_definition(after.header.get("questionnaire_version"))
    kind = after.header.get("kind", "")
    old = dict(_flatten(from_sections(before.body)))
    new = dict(_flatten(from_sections(after.body)))
    changes = []
    for location in sorted(set(old) | set(new), key=_order(definition)):
        if old.get(location) != new.get(location):
            changes.append(
                Change(
                    path=path_of(location),
                    label=label_for(definition, kind, location),
                    before=old.get(location),
                    after=new.get(location),
                )
            )
    return before.number, after.number, changes


def _flatten(value: Any, location: tuple = ()):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _flatten(inner, (*location, key))
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for index, inner in enumerate(value):
            yield from _flatten(inner, (*location, index))
    else:
        yield location, value


def _order(definition):
    order = {field.id: index for index, field in enumerate(definition.fields)}

    def key(location: tuple) -> tuple:
        return (order.get(location[0], len(order)), tuple(str(part) for part in location[1:]))

    return key
