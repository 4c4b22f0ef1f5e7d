"""Statistical disclosure control for `summary --publish`.

Figures about persons from 1 to threshold − 1 are shown as "<threshold" (primary
suppression); the higher threshold applies to tables below national level or with three
or more dimensions. Then, wherever a table has totals, no hidden figure may be the only
one hidden in its row or column, or it could be worked out by subtraction: the smallest
other figure there is hidden too, as "c" (secondary suppression), until none is alone.
Small nationalities are folded into "other", percentages on small bases are dropped,
free text is not published, and NGOs get no per-agency figures.
"""

import copy
from typing import Any

from rapporteur.messages import message
from rapporteur.summary import OTHER, Row, Summary, Table

SECONDARY = "c"


def publish(
    summary: Summary, threshold: int, threshold_detailed: int, minimum_base: int, ngos: set[str]
) -> Summary:
    published = copy.deepcopy(summary)
    published.published = True
    kept = []
    for table in published.tables:
        if table.free_text:
            continue
        if summary.grouping == "agency" and table.id.endswith("_by_agency"):
            before = len(table.rows)
            table.rows = [row for row in table.rows if row.key not in ngos]
            if len(table.rows) != before:
                table.notes.append(message("summary.publish_agencies"))
        limit = threshold_detailed if table.detailed else threshold
        if table.id.endswith("_citizenship"):
            _fold_small_nationalities(table, limit)
        protect_table(table, limit)
        _drop_small_percentages(table, minimum_base)
        table.notes.append(message("summary.publish_percent", base=minimum_base))
        kept.append(table)
    if any(table.free_text for table in summary.tables):
        kept[0].notes.append(message("summary.publish_no_free_text")) if kept else None
    published.tables = kept
    return published


def protect_table(table: Table, limit: int) -> int:
    """Primary and secondary suppression in place; returns how many figures were hidden."""
    columns = [column.key for column in table.columns if column.persons]
    marker = f"<{limit}"
    primary = 0
    for row in table.rows:
        for values in (row.values, row.previous):
            for key in columns:
                value = values.get(key)
                if _is_number(value) and 1 <= value < limit:
                    values[key] = marker
                    primary += 1
    secondary = _secondary(table, columns, marker)
    where = message("summary.publish_detailed") if table.detailed else ""
    table.notes.append(
        message("summary.publish_primary", below=limit - 1, threshold=limit, where=where)
    )
    if secondary:
        table.notes.append(message("summary.publish_secondary", count=secondary))
    return primary + secondary


def _secondary(table: Table, columns: list[str], marker: str) -> int:
    hidden = 0
    changed = True
    while changed:
        changed = False
        for values_of in (lambda row: row.values, lambda row: row.previous):
            if table.total_row is not None:
                body = [row for row in table.rows if row.key != table.total_row]
                for key in columns:
                    if key == table.total_column:
                        continue
                    cells = [(values_of(row), key) for row in body]
                    changed |= _protect_line(cells, marker)
            if table.total_column is not None:
                for row in table.rows:
                    cells = [(values_of(row), key) for key in columns if key != table.total_column]
                    changed |= _protect_line(cells, marker)
        hidden = sum(
            1
            for row in table.rows
            for values in (row.values, row.previous)
            for key in columns
            if values.get(key) == SECONDARY
        )
    return hidden


def _protect_line(cells: list[tuple[dict, str]], marker: str) -> bool:
    """If exactly one figure of a line that adds up to a total is hidden, hide another."""
    hidden = [(values, key) for values, key in cells if values.get(key) in (marker, SECONDARY)]
    if len(hidden) != 1:
        return False
    candidates = [
        (values[key], index)
        for index, (values, key) in enumerate(cells)
        if _is_number(values.get(key)) and values.get(key) > 0
    ]
    if not candidates:
        return False
    _, index = min(candidates)
    values, key = cells[index]
    values[key] = SECONDARY
    return True


def _fold_small_nationalities(table: Table, limit: int) -> None:
    total = next((row for row in table.rows if row.key == "TOTAL"), None)
    small = [
        row
        for row in table.rows
        if row.key not in ("TOTAL", OTHER)
        and _is_number(row.values.get("TOTAL"))
        and row.values["TOTAL"] < limit
    ]
    if not small:
        return
    other = next((row for row in table.rows if row.key == OTHER), None)
    if other is None:
        from rapporteur.definition import Text

        other = Row(OTHER, Text(es="Otras nacionalidades", en="Other nationalities"), {"TOTAL": 0})
        table.rows.insert(len(table.rows) - (1 if total else 0), other)
    other.values["TOTAL"] = other.values.get("TOTAL", 0) + sum(row.values["TOTAL"] for row in small)
    table.rows = [row for row in table.rows if row not in small]
    if total and _is_number(total.values.get("TOTAL")) and total.values["TOTAL"]:
        other.values["PCT"] = round(other.values["TOTAL"] / total.values["TOTAL"] * 100, 1)
    table.notes.append(message("summary.publish_nationalities", threshold=limit))


def _drop_small_percentages(table: Table, minimum_base: int) -> None:
    total = next((row for row in table.rows if row.key == "TOTAL"), None)
    base = total.values.get("TOTAL") if total else None
    for row in table.rows:
        if "PCT" not in row.values:
            continue
        own = row.values.get("TOTAL")
        if not _is_number(base) or base < minimum_base or not _is_number(own):
            row.values["PCT"] = None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
