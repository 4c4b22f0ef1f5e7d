"""Where every figure of a summary comes from, and what a return says about its items.

A summary's figures are sums of items: one agency's value of one question, or of one cell
of a breakdown, in one round. Such an item in a round is an `Atom`. Two printed figures
built from the same atoms are the same figure wherever they appear; two figures that
share atoms, or whose atoms are tied by something every archived return obeys, constrain
each other: a breakdown never adds up to more than its total (and to exactly the total
when it is complete), and the definition's error rules hold (persons with signs of
trafficking never exceed persons reached). A reader who knows how the summary is made
knows all of that, so the disclosure control reasons about atoms and `Relation`s, not
about the rows and columns of one table at a time.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from rapporteur.definition import MINORS, TOTAL, Definition, QuestionField
from rapporteur.rules import NOT_ASKED, Evaluation, breakdown_cells

Item = tuple[str, ...]
"""A path into one return: ("s2_victims_assisted",) is the field's figure (its total);
("s2_victims_assisted", "sex_age", "F", "Y18_25") one cell of its breakdown;
("s2_resources_by_region", "ES-AN", "places") one cell of a table (rows named by their
code, or by their number from 0); ("s3_campaigns", "audience", "YOUTH") how many rows of
a table name a code in a column of several choices."""


class Atom(NamedTuple):
    round: str
    agency: str
    item: Item


def field_item(field_id: str) -> Item:
    return (field_id,)


def cell_item(field_id: str, breakdown_id: str, row: str, column: str) -> Item:
    return (field_id, breakdown_id, row, column)


@dataclass(frozen=True)
class Relation:
    """Σ coefficient × item ≤ 0, or = 0 when `equal`: true of one agency's return."""

    terms: tuple[tuple[Item, float], ...]
    equal: bool


@dataclass(frozen=True)
class ReturnFacts:
    values: dict[Item, float]
    """Every numeric item of the return that is known (blank items are unknown, absent)."""
    relations: tuple[Relation, ...]


def indicator(definition: Definition, field: QuestionField, data: dict[str, Any]) -> Any:
    """One agency's figure for a question; None when unknown."""
    if field.computed:
        operation, _, argument = field.computed.partition("(")
        argument = argument.rstrip(")")
        if operation == "count":
            rows = data.get(argument)
            return len(rows) if rows is not None else None
        table, _, column = argument.partition(".")
        values = [row.get(column) for row in data.get(table) or [] if row.get(column) is not None]
        return sum(values) if values else None
    value = data.get(field.id)
    return value.get(TOTAL) if isinstance(value, dict) else value


def table_items(field: QuestionField, rows: Any) -> Iterator[tuple[Item, float]]:
    """The numeric items of a table answer: each figure of each row, and per code of a
    column of several choices, the number of rows that name it."""
    keyed = rows.items() if isinstance(rows, dict) else enumerate(rows or [])
    chosen: dict[tuple[str, str], int] = {}
    for key, row in keyed:
        for column in field.columns:
            value = row.get(column.id)
            if column.type == "multichoice":
                for code in value or []:
                    chosen[(column.id, code)] = chosen.get((column.id, code), 0) + 1
            elif _is_number(value):
                yield (field.id, str(key), column.id), value
    for (column, code), count in chosen.items():
        yield (field.id, column, code), count


def return_facts(definition: Definition, kind: str, data: dict[str, Any]) -> ReturnFacts:
    """The items of one return and the relations between them."""
    values: dict[Item, float] = {}
    for field in definition.fields:
        if field.type in ("count", "eur", "number") or field.computed:
            value = indicator(definition, field, data)
            if _is_number(value):
                values[field_item(field.id)] = value
        elif field.type == "table":
            values.update(table_items(field, data.get(field.id)))
    evaluation = Evaluation(definition, kind, data, None)
    relations = [
        *_breakdown_relations(evaluation, values),
        *_minors_relations(evaluation, values),
        *_rule_relations(evaluation, values),
    ]
    return ReturnFacts(values, tuple(relations))


def _breakdown_relations(evaluation: Evaluation, values: dict[Item, float]) -> Iterator[Relation]:
    definition = evaluation.definition
    for field, breakdown, block, total in evaluation.breakdowns_present():
        cells = [
            (cell_item(field.id, breakdown.id, row, column), value)
            for row, column, value in breakdown_cells(definition, breakdown, block)
        ]
        known = [(item, value) for item, value in cells if _is_number(value)]
        values.update(known)
        if total is None or not known:
            continue
        added = sum(value for _, value in known)
        if added > total:
            continue  # rule E2/E3 rejects such a return; never assume what is not true
        yield Relation(
            (*((item, 1.0) for item, _ in known), (field_item(field.id), -1.0)),
            equal=len(known) == len(cells) and added == total,
        )


def _minors_relations(evaluation: Evaluation, values: dict[Item, float]) -> Iterator[Relation]:
    """The minors a rule names (`field.minors`) are the minor age bands of the field's
    breakdown by sex and age (rule E4): tie them, so a rule on minors bounds those cells."""
    definition = evaluation.definition
    bands = {code.code for code in definition.codelist("age_band") if code.group == "minor"}
    for field in evaluation.asked.values():
        for breakdown, minors in evaluation.minors(field):
            if breakdown.columns != "age_band" or minors is None:
                continue
            block = (evaluation.value.get(field.id) or {}).get(breakdown.id)
            cells = [
                cell_item(field.id, breakdown.id, row, column)
                for row, column, _ in breakdown_cells(definition, breakdown, block)
                if column in bands
            ]
            item = (field.id, MINORS)
            values[item] = minors
            yield Relation((*((cell, 1.0) for cell in cells), (item, -1.0)), equal=True)


def _rule_relations(evaluation: Evaluation, values: dict[Item, float]) -> list[Relation]:
    """The definition's error rules that compare figures, as relations: only where the
    rule was checked on this return (every value it needs known), as the rules do."""
    kind = evaluation.kind
    relations = []
    for rule in evaluation.definition.rules:
        if rule.kind != "compare" or rule.severity != "error" or rule.op is None:
            continue
        if rule.kinds is not None and kind not in rule.kinds:
            continue
        left = [_term_items(evaluation, term) for term in rule.left]
        right = [_term_items(evaluation, term) for term in rule.right]
        left = [items for items in left if items is not None]
        right = [items for items in right if items is not None]
        if not left or not right or any(not items for items in right):
            continue
        groups = [[items] for items in left] if rule.each else [left]
        for group in groups:
            if any(not items for items in group):
                continue
            sign = -1.0 if rule.op == ">=" else 1.0
            terms = [(item, sign) for items in group for item, _ in items]
            terms += [(item, -sign * rule.factor) for items in right for item, _ in items]
            for items in (*group, *right):
                values.update(items)
            if _holds(terms, values, rule.op == "=="):
                relations.append(Relation(tuple(terms), equal=rule.op == "=="))
    return relations


def _term_items(evaluation: Evaluation, term: str) -> list[tuple[Item, float]] | None:
    """The known items a rule's term adds up; None when the agency is not asked it, an
    empty list when it is unknown."""
    value = evaluation.term(term)
    if value is NOT_ASKED:
        return None
    if "[*]." in term:
        table, column = term.split("[*].")
        rows = evaluation.value.get(table) or []
        keyed = rows.items() if isinstance(rows, dict) else enumerate(rows)
        return [
            ((table, str(key), column), row[column])
            for key, row in keyed
            if _is_number(row.get(column))
        ]
    if value is None:
        return []
    field_id, _, rest = term.partition(".")
    return [((field_id, rest) if rest else field_item(field_id), value)]


def _holds(terms: list[tuple[Item, float]], values: dict[Item, float], equal: bool) -> bool:
    total = sum(coefficient * values[item] for item, coefficient in terms)
    return abs(total) < 1e-9 if equal else total <= 1e-9


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
