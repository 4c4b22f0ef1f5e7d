"""Return models derived from the questionnaire definition.

For a questionnaire version and a kind of agency, `return_model` builds the pydantic
model of one agency's return: every field the kind is asked, blank (None) meaning
unknown and 0 meaning none, with ranges and codes from the definition. The consistency
rules run as the model's after-validator (see rules.py): errors fail validation,
warnings are collected apart. `validate_return` gives both as Problems that carry the
field path and label, in the shape the reports and feedback workbooks render.

A return's value mirrors the definition:

    {"s1_inspections": 12,
     "s1_presumed_victims_thb": {"total": 30,
                                 "sex_age": {"F": {"Y18_25": 10, ...}, ...},
                                 "citizenship_sex": [{"code": "NG", "F": 9}, ...]},
     "s1_recruitment_methods": ["ThroughOnlineSocialNetworks"],
     "s3_campaigns": [{"name": "...", "start": date(2018, 3, 1), ...}],
     "s2_resources_by_region": {"ES-AN": {"resources": 3, "places": 20}, ...}}
"""

import datetime
import math
import re
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from rapporteur.definition import (
    MINORS,
    ROW_CODE,
    TOTAL,
    Breakdown,
    Column,
    Definition,
    Input,
    QuestionField,
    load_definition,
)
from rapporteur.messages import Localized, Message, Number, Verbatim, message
from rapporteur.problems import Problem

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, use_enum_values=True
    )


@cache
def codelist_enum(version: int, codelist_id: str) -> type[Enum]:
    """A code list as an Enum, so the JSON Schema states each list once in $defs."""
    definition = load_definition(version)
    codes = definition.code_values(codelist_id)
    name = "".join(part.title() for part in codelist_id.split("_"))
    return Enum(name, {f"c{index}": code for index, code in enumerate(codes)}, type=str)


def _no_text_or_bool(value: Any) -> Any:
    # A spreadsheet gives typed values; text or a tick box where a figure is expected is a
    # mistake to report, not something to convert silently.
    if isinstance(value, (bool, str)):
        raise PydanticCustomError("number_type", "a number is expected")
    return value


def _whole(value: Any) -> Any:
    if isinstance(value, float):
        if not value.is_integer():
            raise PydanticCustomError("int_from_float", "a whole number is expected")
        return int(value)
    return value


def _two_decimals(value: float) -> float:
    if not math.isfinite(value) or round(value, 2) != value:
        raise PydanticCustomError("too_many_decimals", "at most two decimals")
    return value


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise PydanticCustomError("number_type", "a finite number is expected")
    return value


def _unique(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise PydanticCustomError("duplicate_choice", "a choice is marked twice")
    return values


def _not_a_datetime(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0):
            raise PydanticCustomError("date_type", "a date without time is expected")
        return value.date()
    return value


def _scalar_type(
    definition: Definition,
    type_: str,
    *,
    minimum: float | None,
    maximum: float | None,
    codelist: str | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
) -> Any:
    bounds = {"ge": minimum, "le": maximum}
    match type_:
        case "count":
            # Constraints before validators, so that the JSON Schema states them.
            return Annotated[
                int, Field(**bounds), BeforeValidator(_whole), BeforeValidator(_no_text_or_bool)
            ]
        case "eur":
            return Annotated[
                float,
                Field(**bounds),
                BeforeValidator(_no_text_or_bool),
                AfterValidator(_two_decimals),
            ]
        case "pct" | "number":
            return Annotated[
                float, Field(**bounds), BeforeValidator(_no_text_or_bool), AfterValidator(_finite)
            ]
        case "choice":
            return codelist_enum(definition.version, codelist or "")
        case "multichoice":
            codes = codelist_enum(definition.version, codelist or "")
            return Annotated[list[codes], AfterValidator(_unique)]  # type: ignore[valid-type]
        case "date":
            return Annotated[datetime.date, BeforeValidator(_not_a_datetime)]
        case "text":
            return Annotated[
                str,
                Field(strict=True),
                StringConstraints(min_length=1, max_length=max_length, pattern=pattern),
            ]
    raise ValueError(f"no model for type {type_!r}")


def _optional(
    annotation: Any,
    label: Localized,
    help_text: Localized | None = None,
    alias: str | None = None,
):
    extra = {"x-label-es": label["es"]}
    if help_text is not None:
        extra["x-help-es"] = help_text["es"]
    return (
        annotation | None,
        Field(
            None,
            title=label["en"],
            description=help_text["en"] if help_text else None,
            alias=alias,
            json_schema_extra=extra,
        ),
    )


def _python_name(code: str) -> tuple[str, str | None]:
    """A model attribute for a code, with the code as alias when it is not an identifier."""
    if _IDENTIFIER.match(code) and not code.startswith("model_"):
        return code, None
    return "c_" + re.sub(r"\W", "_", code), code


def _model(name: str, fields: dict[str, Any], **kwargs: Any) -> type[BaseModel]:
    return create_model(name, __base__=_Model, **fields, **kwargs)


def _column_type(definition: Definition, column: Column) -> Any:
    return _scalar_type(
        definition,
        column.type,
        minimum=column.min if column.min is not None else (None if column.type == "number" else 0),
        maximum=column.max,
        codelist=column.codelist,
        max_length=column.max_length,
        pattern=column.pattern,
    )


def _breakdown_model(definition: Definition, field_: QuestionField, breakdown: Breakdown) -> Any:
    count = _scalar_type(definition, "count", minimum=0, maximum=field_.max)
    stem = f"{field_.id}__{breakdown.id}"
    cells: dict[str, Any] = {}
    for code in definition.codelist(breakdown.columns) if breakdown.columns else ():
        attribute, alias = _python_name(code.code)
        cells[attribute] = _optional(count, code.text, alias=alias)
    if breakdown.minors:
        cells[MINORS] = _optional(count, message("label.of_whom_minors"))
    if breakdown.repeat:
        key = codelist_enum(definition.version, breakdown.repeat)
        row = _model(f"{stem}__row", {ROW_CODE: (key, ...), **cells})
        return Annotated[list[row], Field(max_length=breakdown.max_rows)]  # type: ignore[valid-type]
    if breakdown.rows is None:
        return _model(stem, cells)
    rows: dict[str, Any] = {}
    for code in definition.codelist(breakdown.rows):
        attribute, alias = _python_name(code.code)
        label = code.text
        row_type = _model(f"{stem}__{attribute}", cells) if cells else count
        rows[attribute] = _optional(row_type, label, alias=alias)
    return _model(stem, rows)


def _field_type(definition: Definition, field_: QuestionField) -> Any:
    if field_.type == "table":
        columns = {
            column.id: _optional(_column_type(definition, column), column.label)
            for column in field_.columns
        }
        row = _model(f"{field_.id}__row", columns)
        if field_.rows is None:
            return Annotated[list[row], Field(max_length=field_.max_rows)]  # type: ignore[valid-type]
        rows = {}
        for code in definition.codelist(field_.rows):
            attribute, alias = _python_name(code.code)
            rows[attribute] = _optional(row, code.text, alias=alias)
        return _model(field_.id, rows)
    scalar = _scalar_type(
        definition,
        field_.type,
        minimum=field_.min if field_.min is not None else (None if field_.type == "number" else 0),
        maximum=field_.max if field_.max is not None else (100 if field_.type == "pct" else None),
        codelist=field_.codelist,
        max_length=field_.max_length,
        pattern=field_.pattern,
    )
    if not field_.breakdowns:
        return scalar
    parts: dict[str, Any] = {TOTAL: _optional(scalar, message("label.total"))}
    for breakdown_id in field_.breakdowns:
        breakdown = definition.breakdown(breakdown_id)
        parts[breakdown_id] = _optional(
            _breakdown_model(definition, field_, breakdown), breakdown.label
        )
    return _model(field_.id, parts)


@cache
def return_model(version: int, kind: str) -> type[BaseModel]:
    """The model of one return of an agency of `kind` to questionnaire `version`."""
    from rapporteur.rules import check_consistency

    definition = load_definition(version)
    if kind not in definition.kinds:
        raise KeyError(kind)
    fields = {
        field_.id: _optional(_field_type(definition, field_), field_.label, field_.help)
        for field_ in definition.asked_fields(kind)
    }

    def consistency(model: BaseModel, info: ValidationInfo) -> BaseModel:
        return check_consistency(model, info, definition, kind)

    return _model(
        f"ReturnV{version}{kind.title().replace('_', '')}",
        fields,
        __validators__={"consistency": model_validator(mode="after")(consistency)},
        __doc__=f"A return of an agency of kind {kind} to questionnaire version {version}.",
    )


def json_schema(version: int, kind: str) -> dict[str, Any]:
    definition = load_definition(version)
    schema = return_model(version, kind).model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"{definition.title.en} — v{version}, {kind}"
    schema["x-questionnaire-version"] = version
    schema["x-agency-kind"] = kind
    return schema


# Validation ----------------------------------------------------------------------------


@dataclass
class ReturnCheck:
    """What validating one return found: the value when valid, errors and warnings apart."""

    value: dict[str, Any] | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Context:
    """What some rules need beyond the return itself; a rule whose need is absent is skipped."""

    half: Literal["june", "december"] | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    region: str | None = None
    previous: dict[str, Any] | None = None
    half_year: dict[str, Any] | None = None


def validate_return(
    data: dict[str, Any], kind: str, version: int | None = None, context: Context = Context()
) -> ReturnCheck:
    definition = load_definition(version)
    model = return_model(definition.version, kind)
    collected: dict[str, list[Problem]] = {"errors": [], "warnings": []}
    try:
        instance = model.model_validate(data, context={"rules": context, **collected})
    except ValidationError as error:
        typed = [
            _problem_from_pydantic(definition, kind, detail)
            for detail in error.errors()
            if detail["type"] != "consistency"
        ]
        return ReturnCheck(None, typed + collected["errors"], collected["warnings"])
    return ReturnCheck(dump_return(instance), [], collected["warnings"])


def dump_return(instance: BaseModel) -> dict[str, Any]:
    """The return as plain values, blanks left out, codes as written in the definition."""
    return instance.model_dump(by_alias=True, exclude_none=True)


@cache
def inputs_by_location(version: int, kind: str) -> dict[tuple[str, ...], Input]:
    return {item.location: item for item in load_definition(version).inputs(kind)}


def label_for(definition: Definition, kind: str, location: tuple[str, ...]) -> Localized:
    """The most precise label known for a location in a return."""
    known = inputs_by_location(definition.version, kind)
    generic = tuple("*" if isinstance(part, int) else part for part in location)
    for length in range(len(generic), 0, -1):
        if generic[:length] in known:
            return known[generic[:length]].label
    try:
        return definition.field(str(location[0])).label
    except KeyError:
        return Verbatim(str(location[0]))


def path_of(location: tuple[Any, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else ("." if path else "") + str(part)
    return path


def _problem_from_pydantic(definition: Definition, kind: str, detail: Any) -> Problem:
    location = tuple(detail["loc"])
    label = label_for(definition, kind, location)
    item = inputs_by_location(definition.version, kind).get(
        tuple("*" if isinstance(p, int) else p for p in location)
    )
    year = item is not None and item.unit == "year"
    found = _shown(detail.get("input"), year)
    context = detail.get("ctx") or {}
    match detail["type"]:
        case "less_than_equal" | "greater_than_equal":
            minimum = item.minimum if item and item.minimum is not None else context.get("ge", "")
            maximum = item.maximum if item and item.maximum is not None else context.get("le", "")
            text = message(
                "value.out_of_range",
                found=found,
                minimum=_shown(minimum, year),
                maximum=_shown(maximum, year),
            )
        case "int_from_float" | "int_type" | "int_parsing":
            text = message("value.not_whole_number", found=found)
        case "number_type" | "float_type" | "float_parsing" | "finite_number":
            text = message("value.not_number", found=found)
        case "too_many_decimals":
            text = message("value.too_many_decimals", found=found)
        case "literal_error" | "enum":
            codelist = _codelist_of(definition, location)
            text = message("value.unknown_code", found=detail.get("input"), codelist=codelist)
        case "string_too_long":
            text = message(
                "value.too_long",
                length=Number(len(str(detail.get("input")))),
                maximum=Number(context.get("max_length") or 0),
            )
        case "string_pattern_mismatch":
            item = inputs_by_location(definition.version, kind).get(
                tuple("*" if isinstance(p, int) else p for p in location)
            )
            expected = item.example if item and item.example else context.get("pattern")
            text = message("value.bad_format", found=detail.get("input"), expected=expected)
        case kind_of_error if kind_of_error.startswith("date"):
            text = message("value.not_date", found=found)
        case "string_type" | "string_too_short":
            text = message("value.not_text", found=found)
        case "too_long":
            text = message(
                "value.too_many_rows",
                count=context.get("actual_length"),
                maximum=context.get("max_length"),
            )
        case "extra_forbidden":
            text = message("value.not_asked", kind=kind)
        case "missing":
            text = message("value.missing_code")
        case _:
            text = message("value.invalid", detail=detail["msg"])
    return Problem(
        code=detail["type"].replace("_", "-"),
        severity="error",
        message=text,
        field=path_of(location),
        label=label,
    )


def _codelist_of(definition: Definition, location: tuple[Any, ...]) -> Message | str:
    try:
        field_ = definition.field(str(location[0]))
    except KeyError:
        return "?"
    codelist_id = field_.codelist
    if field_.type == "table":
        column = next((c for c in field_.columns if c.id in location), None)
        codelist_id = column.codelist if column else None
    elif field_.breakdowns and len(location) > 1:
        codelist_id = definition.breakdown(str(location[1])).repeat
    if codelist_id is None:
        return "?"
    return next(c.label for c in definition.codelists if c.id == codelist_id)


def _shown(value: Any, year: bool = False) -> "str | Number":
    if isinstance(value, str):
        return f"«{value}»" if value else "«»"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and year:
        return str(value)  # nobody writes 2.018
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Number(value)  # 100.000 and 12,5 in Spanish
    return str(value)


def schema_file_name(version: int, kind: str) -> str:
    return f"questionnaire-v{version}-{kind.lower().replace('_', '-')}.schema.json"


def render_schema(version: int, kind: str) -> str:
    import json

    return json.dumps(json_schema(version, kind), ensure_ascii=False, indent=2) + "\n"


def export_schemas(folder: Path, version: int | None = None) -> list[Path]:
    """Write one JSON Schema per agency kind of a questionnaire version into `folder`."""
    from rapporteur.tomlfile import write_text_atomically

    definition = load_definition(version)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in definition.kinds:
        path = folder / schema_file_name(definition.version, kind)
        write_text_atomically(path, render_schema(definition.version, kind))
        written.append(path)
    return written
