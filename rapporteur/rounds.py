"""Rounds: the June and December questionnaires, their reporting periods and deadlines.

A round is named after the month it is sent in, `YYYY-06` or `YYYY-12`. What it asks about
is a separate matter, set by the workspace's period rules: by default the December round
asks for the first half of its own year (provisional figures) and the June round for the
whole previous calendar year (final figures), so that annual data match Eurostat, GRETA and
UNODC and unique persons are never summed across halves.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from rapporteur.messages import Localized, Verbatim, message
from rapporteur.problems import UsageError

Half = Literal["june", "december"]
Coverage = Literal["first-half", "previous-year", "previous-second-half"]
Status = Literal["provisional", "final"]

FIRST_YEAR, LAST_YEAR = 2000, 2100

_ROUND_PATTERN = re.compile(
    r"""^(?P<year>\d{4})\s*(?:
            -?\s*(?P<month>0?6|12)          # 2018-06, 2018-6, 2018-12
          | -?\s*[Ss](?P<semester>[12])     # 2018S1, 2018-S2: a half-year, refused
        )$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class PeriodRule:
    covers: Coverage
    status: Status


@dataclass(frozen=True)
class PeriodRules:
    june: PeriodRule = PeriodRule("previous-year", "final")
    december: PeriodRule = PeriodRule("first-half", "provisional")


@dataclass(frozen=True)
class ReportingPeriod:
    start: date
    end: date
    code: str
    """SDMX style: `2017` for a year, `2018-S1` for a half-year."""
    status: Status


@dataclass(frozen=True, order=True)
class Round:
    year: int
    month: int

    def __post_init__(self) -> None:
        if self.month not in (6, 12):
            raise UsageError("round.invalid", text=f"{self.year}-{self.month:02d}")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise UsageError(
                "round.year_out_of_range", text=str(self), low=FIRST_YEAR, high=LAST_YEAR
            )

    @classmethod
    def parse(cls, text: str) -> "Round":
        match = _ROUND_PATTERN.match(text.strip())
        if match is None:
            raise UsageError("round.invalid", text=text)
        year = int(match["year"])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise UsageError("round.year_out_of_range", text=text, low=FIRST_YEAR, high=LAST_YEAR)
        if match["semester"]:
            # A clerk reads 2018-S1 as the first half of 2018, which the December round
            # reports, not the June one: no guess, the rounds are named by their month.
            raise UsageError("round.half_year", text=text.strip())
        return cls(year, int(match["month"]))

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def half(self) -> Half:
        return "june" if self.month == 6 else "december"

    @property
    def previous_comparable(self) -> "Round":
        """The same half a year earlier: the round whose figures these are compared with."""
        return Round(self.year - 1, self.month)

    @property
    def previous(self) -> "Round":
        return Round(self.year, 6) if self.month == 12 else Round(self.year - 1, 12)

    @property
    def next(self) -> "Round":
        return Round(self.year, 12) if self.month == 6 else Round(self.year + 1, 6)

    @property
    def starts_on(self) -> date:
        return date(self.year, self.month, 1)

    def period(self, rules: PeriodRules = PeriodRules()) -> ReportingPeriod:
        rule = rules.june if self.half == "june" else rules.december
        year = self.year
        match rule.covers:
            case "first-half":
                return ReportingPeriod(
                    date(year, 1, 1), date(year, 6, 30), f"{year}-S1", rule.status
                )
            case "previous-second-half":
                return ReportingPeriod(
                    date(year - 1, 7, 1), date(year - 1, 12, 31), f"{year - 1}-S2", rule.status
                )
            case "previous-year":
                return ReportingPeriod(
                    date(year - 1, 1, 1), date(year - 1, 12, 31), str(year - 1), rule.status
                )

    def deadline(self, days_after_start: int) -> date:
        return self.starts_on + timedelta(days=days_after_start)


def period_label(period: ReportingPeriod, short: bool = False) -> Localized:
    """What a round reports on, as people say it: "primer semestre de 2018, cifras
    provisionales"; `short`: its code, 2017 or 2018-S1."""
    if short:
        return Verbatim(period.code)
    year, _, half = period.code.partition("-S")
    first, _, last = year.partition("-")
    if last:  # whole years, of a historical series: 2013-2016
        said = message("period.years", first=first, last=last)
    elif half:
        said = message("period.first_half" if half == "1" else "period.second_half", year=year)
    else:
        said = message("period.year", year=year)
    return message("period.label", period=said, status=message(f"period.{period.status}"))
