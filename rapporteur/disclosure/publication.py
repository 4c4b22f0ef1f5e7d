"""A publication: the views of a round's summary with the rules applied and explained.

Before the figures are protected, what is never published goes (free text, per-agency
rows of the kinds whose agencies are confidential) and small nationalities are folded into
"other". After, each figure is printed as its protection says, in every place it appears,
percentages are kept only where their figure and base are printed and large enough, and
every table says in its notes which rules were applied to it.
"""

import dataclasses
from collections import defaultdict

from rapporteur.definition import kind_labels
from rapporteur.disclosure.model import PERCENT, Model, Rules
from rapporteur.disclosure.suppression import HIDDEN, SHOWN, SMALL, WITHHELD, Protection
from rapporteur.messages import Message, Number, message
from rapporteur.summary import OTHER, Row, Summary, Table, Tally

HIDDEN_MARK = "c"
WITHHELD_MARK = "x"


def small_mark(threshold: int) -> str:
    return f"<{threshold}"


def prepare(views: dict[str, Summary], rules: Rules) -> dict[str, Summary]:
    """Copies of the views without what is never published."""
    prepared = {}
    for view, summary in views.items():
        published = copied(summary)
        published.published = True
        confidential = _confidential_agencies(summary, rules)
        tables = []
        for table in published.tables:
            if table.free_text:
                continue
            if table.rows_by == "agency":
                kept = [row for row in table.rows if row.key not in confidential]
                if len(kept) != len(table.rows):
                    table.rows = kept
                    table.notes.append(
                        message(
                            "publish.no_agency_rows",
                            kinds=kind_labels(sorted(rules.confidential_kinds)),
                        )
                    )
            if table.ranked:
                _fold_small_rows(table, rules.threshold)
            tables.append(table)
        published.tables = tables
        prepared[view] = published
    return prepared


def copied(summary: Summary) -> Summary:
    """A copy whose tables can be changed; the rounds read from the archive are shared."""
    return dataclasses.replace(
        summary,
        tables=[
            dataclasses.replace(
                table,
                columns=list(table.columns),
                notes=list(table.notes),
                rows=[
                    dataclasses.replace(
                        row,
                        values=dict(row.values),
                        previous=dict(row.previous),
                        sources=dict(row.sources),
                        previous_sources=dict(row.previous_sources),
                    )
                    for row in table.rows
                ],
            )
            for table in summary.tables
        ],
    )


def apply(views: dict[str, Summary], model: Model, protection: Protection, rules: Rules) -> None:
    """Print every figure as protected, in place; drop what percentages would reveal; say
    which rules each table follows."""
    marks: dict[tuple[str, int], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for index, figure in enumerate(model.figures):
        state = protection.states[index]
        for place in figure.places:
            table = views[place.view].tables[place.table]
            row = table.rows[place.row]
            values = row.previous if place.previous else row.values
            if state == SMALL:
                values[place.column] = small_mark(figure.threshold)
            elif state == HIDDEN:
                values[place.column] = HIDDEN_MARK
            elif state == WITHHELD:
                values[place.column] = WITHHELD_MARK
            found = marks[(place.view, place.table)]
            if state == SMALL:
                found["small"].add(figure.threshold)
            elif state != SHOWN:
                found["hidden"].add(index)
                reasons = protection.reasons.get(index, set())
                if "contributors" in reasons:
                    found["contributors"].add(index)
            if index in protection.fallback:
                found["fallback_" + protection.fallback[index]].add(index)
    for view, summary in views.items():
        for number, table in enumerate(summary.tables):
            _percentages(table, rules.minimum_percentage_base)
            table.notes.extend(_notes(table, marks.get((view, number), {}), rules))


def _notes(table: Table, found: dict[str, set], rules: Rules) -> list[Message]:
    notes = []
    for threshold in sorted(found.get("small", ())):
        notes.append(message("publish.small", below=threshold - 1, mark=small_mark(threshold)))
    if found.get("contributors"):
        notes.append(
            message(
                "publish.contributors",
                minimum=rules.minimum_agencies,
                kinds=kind_labels(sorted(rules.confidential_kinds)),
            )
        )
    hidden = found.get("hidden", set()) - found.get("fallback_" + WITHHELD, set())
    if hidden:
        notes.append(message("publish.hidden", count=len(hidden)))
    if found.get("fallback_" + HIDDEN):
        notes.append(message("publish.fallback", seconds=rules.time_limit))
    if found.get("fallback_" + WITHHELD):
        notes.append(message("publish.withheld"))
    if any(column.key == PERCENT for column in table.columns):
        notes.append(message("publish.percent", base=Number(rules.minimum_percentage_base)))
    return notes


def _percentages(table: Table, minimum_base: int) -> None:
    """A percentage is printed only beside its printed figure, over a printed base of at
    least `minimum_base`: next to a hidden figure it would give the figure away."""
    if not any(column.key == PERCENT for column in table.columns):
        return
    by_key = {row.key: row for row in table.rows}
    total = by_key.get(table.total_row or "")
    for row in table.rows:
        of = by_key.get(row.base) if row.base else total
        base = of.values.get("TOTAL") if of else None
        value = row.values.get("TOTAL")
        if _is_number(base) and base >= minimum_base and base > 0 and _is_number(value):
            row.values[PERCENT] = round(value / base * 100, 1)
        else:
            row.values.pop(PERCENT, None)


def _fold_small_rows(table: Table, threshold: int) -> None:
    """Fold the rows of a ranked table under the threshold into its "other" row."""
    small = [
        row
        for row in table.rows
        if row.key not in (OTHER, table.total_row)
        and _is_number(row.values.get("TOTAL"))
        and row.values["TOTAL"] < threshold
    ]
    if not small:
        return
    other = next((row for row in table.rows if row.key == OTHER), None)
    if other is None:
        other = Row(OTHER, message("summary.others"))
        position = next(
            (i for i, row in enumerate(table.rows) if row.key == table.total_row), len(table.rows)
        )
        table.rows.insert(position, other)
    tally = Tally()
    for row in [other, *small]:
        if "TOTAL" in row.values:
            tally.values.append(row.values["TOTAL"])
            tally.atoms |= row.sources.get("TOTAL", frozenset())
    other.values.pop("TOTAL", None)
    other.put("TOTAL", tally)
    table.rows = [row for row in table.rows if row not in small]
    table.notes.append(message("publish.nationalities", threshold=threshold))


def _confidential_agencies(summary: Summary, rules: Rules) -> set[str]:
    current = summary.rounds.get(summary.round)
    if current is None:
        return set()
    kinds = dict(current.expected)
    kinds.update({agency: kind for agency, (kind, _) in current.returns.items()})
    return {agency for agency, kind in kinds.items() if kind in rules.confidential_kinds}


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
