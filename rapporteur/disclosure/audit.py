"""The audit: attack a publication as printed, and say whether every hidden figure holds.

The audit reads what the publication prints, not what the protection meant to print: a
number is known, "<N" is 1 to N−1, "c" is at least the threshold, "x" is anything, and a
figure printed in several places is known by all of them. It then asks, for every figure
not printed, the narrowest interval a reader can derive in whole persons (the attacker),
and compares it with what the rules require of that figure. It also checks what needs no
solver: that every printed number is the archived figure, that no sensitive figure is
printed, that a figure reads the same everywhere, that no percentage stands beside a
hidden figure or base, and that nothing confidential is left in.
"""

import math
from dataclasses import dataclass, field
from typing import Any

from rapporteur.disclosure.attacker import Attack, Contradiction, Known
from rapporteur.disclosure.model import (
    PERCENT,
    Facts,
    Figure,
    Model,
    Rules,
    build_model,
    components,
)
from rapporteur.disclosure.publication import HIDDEN_MARK, WITHHELD_MARK, small_mark
from rapporteur.disclosure.suppression import sensitivity, targets
from rapporteur.messages import Language, Message, Number, message
from rapporteur.summary import Summary

SECONDARY = "secondary"


@dataclass(frozen=True)
class Finding:
    """One figure that is not printed, as the attacker sees it."""

    figure: int
    shown: str
    reasons: tuple[str, ...]
    """Why it is hidden: "small", "contributors", or "secondary" (to protect others)."""
    low: float
    high: float
    """The attacker's interval, in whole persons (high may be infinite)."""
    need_low: float | None
    need_high: float | None
    """The interval must reach at least down to need_low and up to need_high."""
    ok: bool


@dataclass
class Audit:
    model: Model
    views: dict[str, Summary]
    findings: list[Finding] = field(default_factory=list)
    problems: list[Message] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(finding.ok for finding in self.findings)

    @property
    def short(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.ok]

    def records(self, language: Language) -> list[dict[str, Any]]:
        """One record per hidden figure: where, how printed, why, what a reader derives
        and what the rules require; for people and for programs alike."""
        found = []
        for finding in self.findings:
            place = self.model.figures[finding.figure].places[0]
            table = self.views[place.view].tables[place.table]
            needed = []
            if finding.need_low is not None:
                needed.append(f"≤ {_number(finding.need_low, language)}")
            if finding.need_high is not None:
                needed.append(f"≥ {_number(finding.need_high, language)}")
            found.append(
                {
                    "where": self.where(finding.figure, language),
                    "title": table.title[language],
                    "cell": self.where(finding.figure, language, with_table=False),
                    "view": place.view,
                    "table": table.id,
                    "row": table.rows[place.row].key,
                    "column": place.column,
                    "previous": place.previous,
                    "places": len(self.model.figures[finding.figure].places),
                    "shown": finding.shown,
                    "reasons": list(finding.reasons),
                    "why": ", ".join(
                        message(f"audit.reason.{reason}").render(language)
                        for reason in finding.reasons
                    ),
                    "low": finding.low,
                    "high": finding.high if math.isfinite(finding.high) else None,
                    "reader": f"{_number(finding.low, language)} … "
                    f"{_number(finding.high, language)}",
                    "need_low": finding.need_low,
                    "need_high": finding.need_high,
                    "needed": message("audit.and").render(language).join(needed)
                    or message("audit.not_exact").render(language),
                    "ok": finding.ok,
                    "verdict": "✓" if finding.ok else "✗",
                }
            )
        return found

    def where(self, figure: int, language, with_table: bool = True) -> str:
        """The first place a figure is printed, for people: table, row and column."""
        place = self.model.figures[figure].places[0]
        table = self.views[place.view].tables[place.table]
        row = table.rows[place.row]
        column = next(c for c in table.columns if c.key == place.column)
        label = column.label[language]
        if place.previous:
            label += f" ({self.views[place.view].compare})"
        cell = f"{row.label[language]} · {label}"
        return f"{table.title[language]} · {cell}" if with_table else cell


def audit(views: dict[str, Summary], rules: Rules, facts: Facts) -> Audit:
    model = build_model(views, rules, facts)
    report = Audit(model, views)
    printed = _printed(model, views, rules, report)
    _check_structure(views, rules, report)
    zeros = {index for index, text in printed.items() if text == 0}
    for component in components(model, zeros):
        try:
            _attack(model, component, printed, rules, report)
        except Contradiction:
            where = (
                report.where(component.figures[0], "es"),
                report.where(component.figures[0], "en"),
            )
            texts = {"es": where[0], "en": where[1]}
            report.problems.append(message("audit.contradiction", where=Message("", texts=texts)))
    return report


def _attack(model: Model, component, printed: dict, rules: Rules, report: Audit) -> None:
    """The findings of every figure of one component that is not printed."""
    known = {index: _known(model.figures[index], printed[index]) for index in component.figures}
    attack = Attack(component, known)
    ceiling: Attack | None = None
    for index in component.figures:
        figure, text = model.figures[index], printed[index]
        if _is_number(text):
            continue
        reasons = sensitivity(figure, rules)
        wanted = targets(figure, reasons, rules) if reasons else {}
        low, high = attack.interval(index)
        short = [
            upward
            for upward, target in wanted.items()
            if (high < target if upward else low > target)
        ]
        if short:
            # As wide as the marks allow: what hiding every other figure would leave.
            if ceiling is None:
                ceiling = Attack(component, _at_best(model, component, printed))
            for upward in short:
                limit = ceiling.bound(index, upward)
                wanted[upward] = (
                    min(wanted[upward], limit) if upward else max(wanted[upward], limit)
                )
        ok = low < high and all(
            (high >= target if upward else low <= target) for upward, target in wanted.items()
        )
        reasons_shown = tuple(sorted(reasons)) or (SECONDARY,)
        report.findings.append(
            Finding(
                index, str(text), reasons_shown, low, high, wanted.get(False), wanted.get(True), ok
            )
        )


def _printed(
    model: Model, views: dict[str, Summary], rules: Rules, report: Audit
) -> dict[int, object]:
    """How each figure is printed. A figure printed two ways, a number that is not the
    archived figure, a sensitive figure printed, or a mark that says something untrue of
    its figure, are problems."""
    printed = {}
    for index, figure in enumerate(model.figures):
        texts = []
        for place in figure.places:
            row = views[place.view].tables[place.table].rows[place.row]
            text = (row.previous if place.previous else row.values)[place.column]
            if text not in texts:
                texts.append(text)
        where = Message(
            "", texts={"es": report.where(index, "es"), "en": report.where(index, "en")}
        )
        if len(texts) > 1:
            report.problems.append(
                message("audit.inconsistent", where=where, texts=" / ".join(map(str, texts)))
            )
        text = printed[index] = texts[0]
        value = figure.value
        if _is_number(text):
            if abs(text - value) > 1e-6:
                report.problems.append(
                    message("audit.changed", where=where, printed=text, value=value)
                )
            elif sensitivity(figure, rules):
                report.problems.append(message("audit.sensitive_printed", where=where))
        elif text == small_mark(figure.threshold):
            if not 0 < value < figure.threshold:
                report.problems.append(message("audit.untrue_mark", where=where, mark=text))
        elif text == HIDDEN_MARK:
            if value < figure.floor:
                report.problems.append(message("audit.untrue_mark", where=where, mark=text))
        elif text != WITHHELD_MARK:
            report.problems.append(message("audit.untrue_mark", where=where, mark=text))
    return printed


def _known(figure: Figure, text: object) -> Known:
    """What the reader learns from how a figure is printed."""
    if _is_number(text):
        return Known(text, text)
    if text == small_mark(figure.threshold):
        return Known(1, figure.threshold - 1)
    if text == HIDDEN_MARK:
        return Known(figure.floor, None)
    return Known(0, None)


def _at_best(model: Model, component, printed: dict) -> dict[int, Known]:
    """The reader's knowledge if every figure that is not 0 were hidden: the widest
    interval the publication's marks could ever leave."""
    known = {}
    for index in component.figures:
        figure = model.figures[index]
        if printed[index] == WITHHELD_MARK:
            known[index] = Known(0, None)
        elif figure.persons and figure.value < figure.threshold:
            known[index] = Known(1, figure.threshold - 1)
        else:
            known[index] = Known(figure.floor, None)
    return known


def _check_structure(views: dict[str, Summary], rules: Rules, report: Audit) -> None:
    """What needs no solver: no free text, no row of a confidential agency, no percentage
    beside a figure or base that is not printed."""
    for summary in views.values():
        current = summary.rounds.get(summary.round)
        kinds = dict(current.expected) if current else {}
        for table in summary.tables:
            if table.free_text:
                report.problems.append(message("audit.free_text", table=table.title))
            if table.rows_by == "agency":
                for row in table.rows:
                    if kinds.get(row.key) in rules.confidential_kinds:
                        report.problems.append(
                            message(
                                "audit.agency_row",
                                table=table.title,
                                row=row.label,
                            )
                        )
            by_key = {row.key: row for row in table.rows}
            for row in table.rows:
                if row.values.get(PERCENT) is None:
                    continue
                of = by_key.get(row.base or table.total_row or "")
                base = of.values.get("TOTAL") if of else None
                figure = row.values.get("TOTAL")
                if not (
                    _is_number(figure)
                    and _is_number(base)
                    and base >= rules.minimum_percentage_base
                ):
                    report.problems.append(
                        message(
                            "audit.percentage",
                            table=table.title,
                            row=row.label,
                        )
                    )


def _number(value: float, language: Language) -> str:
    if not math.isfinite(value):
        return "∞"
    return Number(int(value) if float(value).is_integer() else value).render(language)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
