"""Where each agency's return stands in a round, from what the archive records.

An agency issued a questionnaire is `issued` until a file comes back. A file refused is
kept as a receipt (archive/<round>/receipts/): the agency is then `rejected` (the file had
errors), `empty` (nothing but the contact block was answered), or `superseded` (it
filled in a questionnaire that was replaced). A file accepted is a version of its return:
`accepted`, or `warnings` when it was accepted with warnings. A refusal after an accepted
version (a correction with errors, or an older version sent again) leaves the accepted
version standing, and is shown beside it.

The order of events is not read from clocks (a return may be dated by the e-mail that
brought it): a receipt records the accepted version it came after, so a later version
supersedes it and a receipt at least as late as the latest version is the latest event.
"""

import datetime
from dataclasses import dataclass
from typing import Any, Literal

State = Literal["issued", "rejected", "empty", "superseded", "accepted", "warnings"]
ANSWERED: tuple[State, ...] = ("accepted", "warnings")
REFUSALS = {"rejected": "rejected", "stale": "rejected", "empty": "empty",
            "superseded": "superseded"}  # fmt: skip


@dataclass(frozen=True)
class ReturnState:
    state: State
    version: int
    """The latest accepted version, 0 when none."""
    warnings: int
    received: datetime.datetime | None
    """When the latest accepted version, or else the latest refused file, came in."""
    refused: dict[str, Any] | None
    """The latest refused file (its entry in the consolidated view) when nothing was
    accepted after it."""

    @property
    def answered(self) -> bool:
        return self.state in ANSWERED


def return_state(accepted: dict[str, Any] | None, refused: dict[str, Any] | None) -> ReturnState:
    """The state of one agency, from its entries in the latest consolidated view: under
    `returns` (its latest version) and under `refused` (its latest receipt)."""
    version = accepted["version"] if accepted else 0
    if refused is not None and refused["after_version"] < version:
        refused = None  # a later version was accepted
    if accepted:
        warnings = accepted.get("warnings", 0)
        state: State = "warnings" if warnings else "accepted"
        return ReturnState(state, version, warnings, accepted["received"], refused)
    if refused is not None:
        return ReturnState(REFUSALS[refused["decision"]], 0, 0, refused["received"], refused)
    return ReturnState("issued", 0, 0, None, None)


def round_states(view_body: dict[str, Any], agencies: list[str]) -> dict[str, ReturnState]:
    """The state of each agency issued a round, from its latest consolidated view."""
    returns, refused = view_body.get("returns", {}), view_body.get("refused", {})
    return {agency: return_state(returns.get(agency), refused.get(agency)) for agency in agencies}
