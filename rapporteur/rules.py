"""The consistency rules of the questionnaire definition, evaluated on one return.

Each rule of the definition has a kind (see the comment above the rules in
questionnaires/v1.toml); this module implements the kinds. A rule never guesses: it is
skipped while a value it needs is blank (unknown), and terms naming fields the agency is
not asked are left out. Errors and warnings come back as Problems carrying the path of
the field at fault and its label.
"""

import datetime
import itertools
import operator
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel, ValidationInfo
from pydantic_core import PydanticCustomError

from rapporteur.definition import (
    MINORS,
    ROW_CODE,
    TOTAL,
    Breakdown,
    Definition,
    Joined,
    QuestionField,
    Rule,
)
from rapporteur.messages import Amount, Localized, Message, Number, Share, message
from rapporteur.problems import Problem

UNKNOWN_CODES = frozenset({"UNK", "ZZ"})
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
}
NOT_ASKED = object()


def check_consistency(
    model: BaseModel, info: ValidationInfo, definition: Definition, kind: str
) -> BaseModel:
    """The after-validator of every return model: run the rules, keep warnings apart."""
    from rapporteur.models import Context, dump_return

    context = info.context or {}
    rules_context = context.get("rules") or Context()
    evaluation = Evaluation(definition, kind, dump_return(model), rules_context)
    errors, warnings = [], []
    for problem in evaluation.problems():
        (errors if problem.severity == "error" else warnings).append(problem)
    context.get("warnings", []).extend(warnings) if "warnings" in context else None
    context.get("errors", []).extend(errors) if "errors" in context else None
    if errors:
        raise PydanticCustomError(
            "consistency",
            "{count} consistency error(s), first: {first}",
            {"count": len(errors), "first": errors[0].message.render("en")},
        )
    return model


class Evaluation:
    def __init__(self, definition: Definition, kind: str, value: dict[str, Any], context: Any):
        self.definition = definition
        self.kind = kind
        self.value = value
        self.context = context
        self.asked = {field.id: field for field in definition.asked_fields(kind)}

    def problems(self) -> Iterator[Problem]:
        for rule in self.definition.rules:
            if rule.kinds is not None and self.kind not in rule.kinds:
                continue
            yield from getattr(self, f"_{rule.kind}")(rule)

    # Helpers ---------------------------------------------------------------------------

    def _problem(
        self, rule: Rule, location: tuple[Any, ...], label: Localized | None = None, **params: Any
    ) -> Problem:
        from rapporteur.models import label_for, path_of

        label = label or label_for(self.definition, self.kind, location)
        return Problem(
            code=rule.id,
            severity=rule.severity,
            message=Message(rule.id, params, texts=rule.message),
            field=path_of(location),
            label=label,
        )

    def term(self, term: str) -> Any:
        """The value of a term, None when unknown, NOT_ASKED when the kind is not asked."""
        field_id, _, rest = term.partition(".")
        if "[*]" in field_id or "[*]" in term:
            field_id, column = term.split("[*].")
            if field_id not in self.asked:
                return NOT_ASKED
            return _sum_known(row.get(column) for row in _rows(self.value.get(field_id)))
        if field_id not in self.asked:
            return NOT_ASKED
        if rest == MINORS:
            known = [value for _, value in self.minors(self.asked[field_id]) if value is not None]
            return known[0] if known else None
        return _scalar(self.value.get(field_id))

    def minors(self, field: QuestionField) -> list[tuple[Breakdown, int | None]]:
        """The minors each breakdown of the field gives (None where not fully known)."""
        found = []
        field_value = self.value.get(field.id) or {}
        for breakdown_id in field.breakdowns:
            breakdown = self.definition.breakdown(breakdown_id)
            block = field_value.get(breakdown_id)
            if block is None:
                continue
            if breakdown.minors:
                cells = [
                    row.get(MINORS) for _, row in breakdown_rows(self.definition, breakdown, block)
                ]
                found.append((breakdown, _sum_all(cells)))
            elif breakdown.columns == "age_band":
                minor_bands = [
                    code.code
                    for code in self.definition.codelist("age_band")
                    if code.group == "minor"
                ]
                cells = [
                    row.get(band)
                    for _, row in breakdown_rows(self.definition, breakdown, block)
                    for band in minor_bands
                ]
                found.append((breakdown, _sum_all(cells)))
        return found

    def breakdowns_present(self) -> Iterator[tuple[QuestionField, Breakdown, Any, int | None]]:
        for field in self.asked.values():
            field_value = self.value.get(field.id)
            if not isinstance(field_value, dict) or not field.breakdowns:
                continue
            for breakdown_id in field.breakdowns:
                block = field_value.get(breakdown_id)
                if block:
                    yield (
                        field,
                        self.definition.breakdown(breakdown_id),
                        block,
                        field_value.get(TOTAL),
                    )

    # Rule kinds ------------------------------------------------------------------------

    def _compare(self, rule: Rule) -> Iterator[Problem]:
        left = [(term, self.term(term)) for term in rule.left]
        right = [self.term(term) for term in rule.right]
        left = [(term, value) for term, value in left if value is not NOT_ASKED]
        right = [value for value in right if value is not NOT_ASKED]
        if not left or not right or any(value is None for value in right):
            return
        right_value = sum(right) * rule.factor
        groups = [[item] for item in left] if rule.each else [left]
        for group in groups:
            if any(value is None for _, value in group):
                continue
            left_value = sum(value for _, value in group)
            if not _OPERATORS[rule.op or "=="](left_value, right_value):
                location = tuple(_location_of_term(group[0][0]))
                figure = _figure(self.definition.field(_location_of_term(group[0][0])[0]))
                yield self._problem(
                    rule, location, left=figure(left_value), right=figure(sum(right))
                )

    def _each_row(self, rule: Rule) -> Iterator[Problem]:
        if rule.table not in self.asked:
            return
        for index, row in enumerate(self.value.get(rule.table) or []):
            left = [row.get(column) for column in rule.left]
            right = [row.get(column) for column in rule.right]
            if any(value is None for value in left + right):
                continue
            left_value = left[0] if len(left) == 1 else sum(left)
            right_value = right[0] if len(right) == 1 else sum(right)
            if not _OPERATORS[rule.op or "=="](left_value, right_value):
                yield self._problem(
                    rule,
                    (rule.table, index, rule.left[0]),
                    row=index + 1,
                    left=_number(left_value),
                    right=_number(right_value),
                )

    def _breakdown_sums(self, rule: Rule) -> Iterator[tuple[Any, Any, Any, list[Any], Any]]:
        """Each breakdown the rule checks that has a total: its cells and their known sum."""
        for field, breakdown, block, total in self.breakdowns_present():
            if breakdown.id not in rule.breakdowns or total is None:
                continue
            cells = [
                value
                for _, row in breakdown_rows(self.definition, breakdown, block)
                for _, value in value_cells(self.definition, breakdown, row)
            ]
            yield field, breakdown, total, cells, _sum_known(cells)

    def _breakdown_total(self, rule: Rule) -> Iterator[Problem]:
        for field, breakdown, total, cells, known in self._breakdown_sums(rule):
            if known is None:
                continue
            complete = all(value is not None for value in cells)
            if known > total or (complete and known != total):
                relation = message("relation.more" if known > total else "relation.less")
                yield self._problem(
                    rule,
                    (field.id, breakdown.id),
                    breakdown=self._label(field, breakdown),
                    sum=known,
                    total=total,
                    relation=relation,
                )

    def _breakdown_partial(self, rule: Rule) -> Iterator[Problem]:
        """A breakdown left partly blank below its total: accepted (blank is unknown), but
        the workbook's own check shows ✗, so the office is told what is missing."""
        for field, breakdown, total, cells, known in self._breakdown_sums(rule):
            if known is not None and known < total and any(value is None for value in cells):
                yield self._problem(
                    rule,
                    (field.id, breakdown.id),
                    breakdown=self._label(field, breakdown),
                    sum=_number(known),
                    total=_number(total),
                    missing=_number(total - known),
                )

    def _minors_agree(self, rule: Rule) -> Iterator[Problem]:
        for field in self.asked.values():
            known = [(b, value) for b, value in self.minors(field) if value is not None]
            total = _scalar(self.value.get(field.id))
            for (first, first_value), (second, second_value) in itertools.pairwise(known):
                if first_value != second_value:
                    yield self._problem(
                        rule,
                        (field.id, second.id),
                        first=self._label(field, first),
                        first_value=first_value,
                        second=self._label(field, second),
                        second_value=second_value,
                    )
            if total is not None:
                for breakdown, value in known:
                    if value > total:
                        yield self._problem(
                            rule,
                            (field.id, breakdown.id),
                            first=self._label(field, breakdown),
                            first_value=value,
                            second=message("relation.total"),
                            second_value=total,
                        )

    def _row_minors(self, rule: Rule) -> Iterator[Problem]:
        for field, breakdown, block, _ in self.breakdowns_present():
            if not breakdown.minors:
                continue
            for row_key, row in breakdown_rows(self.definition, breakdown, block):
                minors = row.get(MINORS)
                sexes = [value for _, value in value_cells(self.definition, breakdown, row)]
                if minors is None or any(value is None for value in sexes):
                    continue
                if minors > sum(sexes):
                    row_name = self._row_name(breakdown, row_key, row)
                    yield self._problem(
                        rule,
                        (field.id, breakdown.id, *_row_location(row_key), MINORS),
                        row=row_name,
                        minors=minors,
                        sum=sum(sexes),
                    )

    def _unique_key(self, rule: Rule) -> Iterator[Problem]:
        for field, breakdown, block, _ in self.breakdowns_present():
            if breakdown.repeat:
                yield from self._duplicates(rule, (field.id, breakdown.id), block, ROW_CODE)
        for field in self.asked.values():
            key = next((column.id for column in field.columns if column.key), None)
            if field.type == "table" and field.rows is None and key:
                yield from self._duplicates(rule, (field.id,), self.value.get(field.id) or [], key)

    def _duplicates(self, rule: Rule, location: tuple, rows: list, key: str) -> Iterator[Problem]:
        seen: dict[str, list[int]] = {}
        for index, row in enumerate(rows):
            if row.get(key) is not None:
                seen.setdefault(row[key], []).append(index)
        for code, indexes in seen.items():
            if len(indexes) > 1:
                yield self._problem(
                    rule,
                    (*location, indexes[1], key),
                    code=code,
                    rows=", ".join(str(index + 1) for index in indexes),
                )

    def _own_region(self, rule: Rule) -> Iterator[Problem]:
        region = self.context.region
        if region is None:
            return
        for column_path in rule.columns:
            table, _, column = column_path.partition(".")
            if table not in self.asked:
                continue
            for index, row in enumerate(self.value.get(table) or []):
                value = row.get(column)
                if value is not None and value != region:
                    yield self._problem(
                        rule, (table, index, column), row=index + 1, value=value, region=region
                    )

    def _within_period(self, rule: Rule) -> Iterator[Problem]:
        start, end = self.context.period_start, self.context.period_end
        if start is None or end is None or rule.table not in self.asked:
            return
        for index, row in enumerate(self.value.get(rule.table) or []):
            row_start, row_end = row.get("start"), row.get("end")
            if row_start is None and row_end is None:
                continue
            if (row_start is not None and row_start > end) or (
                row_end is not None and row_end < start
            ):
                yield self._problem(
                    rule,
                    (rule.table, index, "start" if row_start is not None else "end"),
                    row=index + 1,
                    start=_date(row_start),
                    end=_date(row_end),
                    period_start=_date(start),
                    period_end=_date(end),
                )

    def _unknown_share(self, rule: Rule) -> Iterator[Problem]:
        share = rule.share or 1
        for field, breakdown, block, total in self.breakdowns_present():
            if not total:
                continue
            unknown = 0
            for row_key, row in breakdown_rows(self.definition, breakdown, block):
                row_unknown = row_key in UNKNOWN_CODES or row.get(ROW_CODE) in UNKNOWN_CODES
                for key, value in value_cells(self.definition, breakdown, row):
                    if value and (row_unknown or key in UNKNOWN_CODES):
                        unknown += value
            if unknown > share * total:
                yield self._problem(
                    rule,
                    (field.id, breakdown.id),
                    breakdown=self._label(field, breakdown),
                    unknown=unknown,
                    total=total,
                )

    def _change(self, rule: Rule) -> Iterator[Problem]:
        previous = self.context.previous
        if previous is None:
            return
        for field, current, before in self._paired_figures(previous):
            difference = current - before
            if abs(difference) < (rule.minimum or 0):
                continue
            if before == 0 or abs(difference) / before * 100 > (rule.percent or 0):
                change = (
                    message("relation.from_zero")
                    if before == 0
                    else Share(difference / before * 100, signed=True)
                )
                figure = _figure(field)
                yield self._problem(
                    rule,
                    (field.id,),
                    previous=figure(before),
                    current=figure(current),
                    change=change,
                )

    def _annual_vs_half(self, rule: Rule) -> Iterator[Problem]:
        half_year = self.context.half_year
        if half_year is None or self.context.half != "june":
            return
        for field, annual, half in self._paired_figures(half_year):
            if not field.stock and annual < half:
                yield self._problem(rule, (field.id,), annual=_number(annual), half=_number(half))

    def _required_answer(self, rule: Rule) -> Iterator[Problem]:
        for field in self.asked.values():
            requirement = self.definition.requirement(field, self.kind)
            needed = requirement == "required" or (
                requirement == "june" and self.context.half == "june"
            )
            if not needed or field.type in ("table", "multichoice"):
                continue
            if _scalar(self.value.get(field.id)) is None:
                location = (field.id, TOTAL) if field.breakdowns else (field.id,)
                yield self._problem(rule, location)

    # Small helpers ---------------------------------------------------------------------

    def _paired_figures(
        self, other: dict[str, Any]
    ) -> Iterator[tuple[QuestionField, float, float]]:
        for field in self.asked.values():
            if field.type not in ("count", "eur"):
                continue
            current, before = _scalar(self.value.get(field.id)), _scalar(other.get(field.id))
            if current is not None and before is not None:
                yield field, current, before

    def _label(self, field: QuestionField, breakdown: Breakdown) -> Localized:
        return Joined(field.label, breakdown.label)

    def _row_name(self, breakdown: Breakdown, row_key: Any, row: dict) -> Localized | str:
        if breakdown.repeat:
            return str(row.get(ROW_CODE, row_key + 1))
        if breakdown.rows and isinstance(row_key, str):
            code = next(c for c in self.definition.codelist(breakdown.rows) if c.code == row_key)
            return code.text
        return message("label.total_row")


def breakdown_rows(
    definition: Definition, breakdown: Breakdown, block: Any
) -> Iterator[tuple[Any, dict]]:
    """(row key, row) for every row of a breakdown, whatever its shape; a blank row of
    a fixed list comes as an empty row, since blanks are left out of a return."""
    if breakdown.repeat:
        yield from enumerate(block)
    elif breakdown.rows is None:
        yield None, block
    elif breakdown.columns is None and not breakdown.minors:
        for code in definition.code_values(breakdown.rows):
            yield code, {"n": block.get(code)}
    else:
        for code in definition.code_values(breakdown.rows):
            yield code, block.get(code) or {}


def value_cells(
    definition: Definition, breakdown: Breakdown, row: dict
) -> Iterator[tuple[str, Any]]:
    """The cells of a row that add up to the total: every column but code and minors."""
    if breakdown.columns is None:
        yield "n", row.get("n")
        return
    for code in definition.code_values(breakdown.columns):
        yield code, row.get(code)


def breakdown_cells(
    definition: Definition, breakdown: Breakdown, block: Any
) -> Iterator[tuple[str, str, Any]]:
    """(row, column, value) of every cell that adds up to the total. A row of a repeating
    breakdown is named by its code, which is unique in a valid return (rule E6)."""
    for row_key, row in breakdown_rows(definition, breakdown, block):
        name = str(row.get(ROW_CODE)) if breakdown.repeat else (row_key or "")
        for column, value in value_cells(definition, breakdown, row):
            yield name, column, value


def _row_location(row_key: Any) -> tuple:
    return () if row_key is None else (row_key,)


def _rows(table: Any) -> list[dict]:
    if isinstance(table, list):
        return table
    if isinstance(table, dict):
        return list(table.values())
    return []


def _scalar(value: Any) -> Any:
    return value.get(TOTAL) if isinstance(value, dict) else value


def _sum_known(values: Any) -> Any:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _sum_all(values: list) -> Any:
    if not values or any(value is None for value in values):
        return None
    return sum(values)


def _location_of_term(term: str) -> list[str]:
    if "[*]." in term:
        field_id, column = term.split("[*].")
        return [field_id, column]
    return term.split(".")


def _figure(field: QuestionField) -> Callable[[Any], Any]:
    """How a rule writes a field's figure: euros for amounts, else a number."""
    return Amount if field.type == "eur" else _number


def _number(value: Any) -> "Number | str":
    # Rules compare dates too (E13a: a campaign's start before its end).
    if isinstance(value, datetime.date):
        return _date(value)
    return Number(value)


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else "…"
