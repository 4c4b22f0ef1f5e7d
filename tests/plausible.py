"""A plausible, consistent return for any kind of agency, built from the definition.

Every count is N, every breakdown puts all N in one cell (women aged 16–17, sexual
exploitation, Nigerian), so that every consistency rule holds; the tests then break one
thing at a time.
"""

import datetime
from typing import Any

from rapporteur.definition import MINORS, ROW_CODE, TOTAL, Definition, QuestionField

N = 10
PERIOD = (datetime.date(2018, 1, 1), datetime.date(2018, 6, 30))


def plausible_return(definition: Definition, kind: str, region: str = "ES") -> dict[str, Any]:
    value: dict[str, Any] = {}
    for field in definition.asked_fields(kind):
        value[field.id] = _field_value(definition, field, region)
    if "s1_persons_at_risk" in value:
        value["s1_persons_at_risk"] = _field_value(
            definition, definition.field("s1_persons_at_risk"), region, 100
        )
    return value


def _field_value(definition: Definition, field: QuestionField, region: str, n: int = N) -> Any:
    match field.type:
        case "count" if field.breakdowns:
            result: dict[str, Any] = {TOTAL: n}
            for breakdown_id in field.breakdowns:
                result[breakdown_id] = _breakdown(definition, breakdown_id, n)
            return result
        case "count":
            return n
        case "eur":
            return 1234.5
        case "choice":
            return definition.code_values(field.codelist)[0]
        case "multichoice":
            return list(definition.code_values(field.codelist)[:2])
        case "date":
            return datetime.date(2018, 3, 1)
        case "text":
            if field.pattern and "@" in field.pattern:
                return "contacto@organismo.es"
            if field.pattern:
                return "https://www.ejemplo.es/documento.pdf"
            return "Texto de la respuesta."
        case "table":
            return _table(definition, field, region)
    raise AssertionError(field.type)


def _breakdown(definition: Definition, breakdown_id: str, n: int) -> Any:
    breakdown = definition.breakdown(breakdown_id)
    columns = definition.code_values(breakdown.columns) if breakdown.columns else ()
    first_column = "Y16_17" if breakdown.columns == "age_band" else "F"

    def row(filled: bool) -> dict[str, int]:
        cells = {column: (n if filled and column == first_column else 0) for column in columns}
        if breakdown.minors:
            cells[MINORS] = n if filled else 0
        return cells

    if breakdown.repeat:
        return [{ROW_CODE: "NG", **row(True)}]
    if breakdown.rows is None:
        return row(True)
    first_row = "F" if breakdown.rows == "sex" else "SEX"
    if not columns and not breakdown.minors:
        return {
            code: (n if code == first_row else 0) for code in definition.code_values(breakdown.rows)
        }
    return {code: row(code == first_row) for code in definition.code_values(breakdown.rows)}


def _table(definition: Definition, field: QuestionField, region: str) -> Any:
    if field.id == "s3_trainings":
        return [
            {"title": "Curso de identificación", "target_group": "POLICE", "modality": "IN_PERSON",
             "hours": 20, "participants": 10, "participants_f": 6, "participants_m": 4},
            {"title": "Jornada en línea", "target_group": "SOCIAL_SERVICES", "modality": "ONLINE",
             "hours": 4, "participants": 25, "participants_f": 20, "participants_m": 5},
        ]  # fmt: skip
    if field.id == "s3_campaigns":
        return [
            {"name": "Campaña contra la trata", "start": datetime.date(2018, 2, 1),
             "end": datetime.date(2018, 5, 31), "channel": ["ONLINE_SOCIAL", "PRINTED"],
             "audience": ["GENERAL_PUBLIC"], "languages": "es, en", "scope": region,
             "reach": 5000, "budget_eur": 12000.5},
        ]  # fmt: skip
    if field.rows:
        codes = definition.code_values(field.rows)
        return {
            code: {column.id: (N if index == 0 else 0) for column in field.columns}
            for index, code in enumerate(codes)
        }
    row = {}
    for column in field.columns:
        match column.type:
            case "count":
                row[column.id] = 2018 if column.id == "year" else 1
            case "number":
                row[column.id] = 1.5
            case "eur":
                row[column.id] = 10.0
            case "choice":
                row[column.id] = (
                    "NG"
                    if column.codelist == "citizenship"
                    else definition.code_values(column.codelist)[0]
                )
            case "text":
                row[column.id] = "https://www.ejemplo.es/estudio.pdf" if column.pattern else "Texto"
            case _:
                raise AssertionError(column.type)
    return [row]
