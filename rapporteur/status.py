"""Who has returned, who is missing, who is late: the office's view of a round."""

import datetime
from dataclasses import dataclass

from rapporteur.archive import Archive, RoundRecord
from rapporteur.lifecycle import State, return_state
from rapporteur.problems import UsageError, WorkspaceError
from rapporteur.registry import Registry
from rapporteur.rounds import ReportingPeriod, Round

NATIONAL = "ES"


@dataclass(frozen=True)
class AgencyStatus:
    agency: str
    name: str
    kind: str
    region: str
    state: State
    received: datetime.datetime | None
    versions: int
    warnings: int
    late: bool
    refused: datetime.datetime | None = None
    """When the latest file refused came in, if nothing was accepted after it."""
    refusal: str | None = None
    """Why it was refused: rejected, empty, superseded or stale (an older version)."""

    @property
    def returned(self) -> bool:
        """An answer counts: rejected, empty or superseded files do not."""
        return self.state in ("accepted", "warnings")


@dataclass(frozen=True)
class GroupTotal:
    group: str
    expected: int
    received: int
    late: int


@dataclass(frozen=True)
class RoundStatus:
    round: Round
    deadline: datetime.date
    agencies: list[AgencyStatus]
    by_region: list[GroupTotal]
    by_kind: list[GroupTotal]
    period: ReportingPeriod | None = None
    """What the round asks about."""

    @property
    def expected(self) -> int:
        return len(self.agencies)

    @property
    def received(self) -> int:
        return sum(agency.returned for agency in self.agencies)


def latest_round(archive: Archive) -> Round:
    """The latest round issued to the agencies; else the latest historical one."""
    rounds = [round_ for round_ in archive.rounds() if archive.has_round(round_)]
    if not rounds:
        raise WorkspaceError("status.no_rounds")
    issued = [round_ for round_ in rounds if not round_record(archive, round_).historical]
    return (issued or rounds)[-1]


def round_record(archive: Archive, round_: Round) -> RoundRecord:
    record = archive.read_round(round_)
    if record is None:
        known = ", ".join(str(r) for r in archive.rounds()) or "—"
        raise UsageError("archive.no_round", round=str(round_), known=known)
    return record


def round_status(
    archive: Archive, registry: Registry, round_: Round, today: datetime.date
) -> RoundStatus:
    archive.recover_if_needed()
    record = round_record(archive, round_)
    if record.historical:
        raise UsageError("status.historical", round=str(round_), source=record.source)
    view = archive.consolidated(round_)
    returns = view.body.get("returns", {}) if view else {}
    refusals = view.body.get("refused", {}) if view else {}
    names = {agency.id: agency for agency in registry}
    statuses = []
    for entry in (record.current_issue(agency) for agency in record.issued_agencies()):
        state = return_state(returns.get(entry.agency), refusals.get(entry.agency))
        received = state.received if state.answered else None
        registered = names.get(entry.agency)
        late = (
            received.date() > record.deadline if received is not None else today > record.deadline
        )
        statuses.append(
            AgencyStatus(
                agency=entry.agency,
                name=registered.name if registered else entry.agency,
                kind=entry.kind,
                region=registered.region if registered else NATIONAL,
                state=state.state,
                received=received,
                versions=state.version,
                warnings=state.warnings,
                late=late,
                refused=state.refused["received"] if state.refused else None,
                refusal=state.refused["decision"] if state.refused else None,
            )
        )
    statuses.sort(key=lambda s: (s.region == NATIONAL, s.region, s.kind, s.agency))
    return RoundStatus(
        round_,
        record.deadline,
        statuses,
        _totals(statuses, lambda s: s.region),
        _totals(statuses, lambda s: s.kind),
        record.period,
    )


def _totals(statuses: list[AgencyStatus], group_of) -> list[GroupTotal]:
    groups: dict[str, list[AgencyStatus]] = {}
    for status in statuses:
        groups.setdefault(group_of(status), []).append(status)
    return [
        GroupTotal(
            group,
            len(members),
            sum(member.returned for member in members),
            sum(member.late for member in members),
        )
        for group, members in sorted(
            groups.items(), key=lambda item: (item[0] == NATIONAL, item[0])
        )
    ]
