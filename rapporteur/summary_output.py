"""The summary written out: CSV, JSON and Markdown (the workbook: summary_workbook.py).

Anything that a spreadsheet program could run as a formula (text starting with =, +, -,
@) is written as plain text, whatever its source.
"""

import csv
import datetime
import io
import json
from typing import Any

from rapporteur import formats
from rapporteur.messages import Coded, Language, message
from rapporteur.summary import Summary, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def change_of(value: Any, previous: Any) -> Any:
    if is_number(value) and is_number(previous):
        change = value - previous
        return round(change, 2) if isinstance(change, float) else change
    return None


def shown(value: Any, language: Language, unit: str | None = None) -> str:
    if value is None:
        return "—"
    if isinstance(value, Coded):
        return value.render(language)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if unit == "EUR" and is_number(value):
        return formats.euros(value, language)
    if unit == "PCT" and is_number(value):
        return formats.number(value, language, decimals=1)
    if isinstance(value, float) and not value.is_integer():
        return formats.number(value, language, decimals=1)
    return formats.shown(value, language)


def records(summary: Summary, language: Language) -> list[dict[str, Any]]:
    """One record per figure: the long form that CSV and JSON share."""
    found = []
    for table in summary.tables:
        for row in table.rows:
            for column in table.columns:
                value = row.values.get(column.key)
                previous = row.previous.get(column.key)
                if value is None and previous is None:
                    continue
                found.append(
                    {
                        "table": table.id,
                        "row": row.key,
                        "row_label": row.label[language],
                        "column": column.key,
                        "column_label": column.label[language],
                        "value": _code(value),
                        "value_label": _label(value, language),
                        "previous": _code(previous),
                        "change": change_of(value, previous),
                    }
                )
    return found


def to_csv(summary: Summary, language: Language) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = (
        "table",
        "row",
        "row_label",
        "column",
        "column_label",
        "value",
        "value_label",
        "previous",
        "change",
    )
    writer.writerow(columns)
    for record in records(summary, language):
        writer.writerow([neutralised(record[column]) for column in columns])
    return buffer.getvalue()


def to_json(summary: Summary, language: Language) -> str:
    document = {
        "round": str(summary.round),
        "period": _period(summary.period),
        "compare": str(summary.compare) if summary.compare else None,
        "compare_period": _period(summary.compare_period),
        "comparable": summary.comparable,
        "grouping": summary.grouping,
        "published": summary.published,
        "received": summary.received,
        "expected": summary.expected,
        "title": summary.heading.render(language),
        "historical_source": summary.source,
        "tables": [
            {
                "id": table.id,
                "title": table.title[language],
                "notes": [note.render(language) for note in table.notes],
                "columns": [
                    {"key": c.key, "label": c.label[language], "unit": c.unit}
                    for c in table.columns
                ],
                "rows": [
                    {
                        "key": row.key,
                        "label": row.label[language],
                        "values": {key: _code(value) for key, value in row.values.items()},
                        "value_labels": {
                            key: value.render(language)
                            for key, value in row.values.items()
                            if isinstance(value, Coded)
                        }
                        or None,
                        "previous": {k: _code(v) for k, v in row.previous.items()} or None,
                    }
                    for row in table.rows
                ],
            }
            for table in summary.tables
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"


def _period(period) -> dict[str, Any] | None:
    if period is None:
        return None
    return {
        "code": period.code,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "status": period.status,
    }


def to_markdown(summary: Summary, language: Language) -> str:
    lines = [f"# {_markdown_text(summary.heading.render(language))}", ""]
    if not summary.received:
        lines += [_markdown_text(empty(summary).render(language)), ""]
    for table in summary.tables:
        lines += [f"## {_markdown_text(table.title[language])}", ""]
        if table.narrative:
            lines += _markdown_narrative(table, language)
            continue
        headings = [table.row_heading[language], *(c.label[language] for c in table.columns)]
        lines.append("| " + " | ".join(_markdown_text(h) for h in headings) + " |")
        lines.append("|" + "---|" * len(headings))
        for row in table.rows:
            cells = [row.label[language]]
            for column in table.columns:
                cells.append(cell_text(row, column, language, summary.compare is not None))
            lines.append("| " + " | ".join(_markdown_text(c) for c in cells) + " |")
        lines.append("")
        lines.extend(f"*{_markdown_text(note.render(language))}*" for note in table.notes)
        lines.append("")
    return "\n".join(lines)


def empty(summary: Summary):
    return message(
        "summary.empty",
        round=str(summary.round),
        received=summary.received,
        expected=summary.expected,
    )


def narratives(table: Table, language: Language) -> list[tuple[str, list[tuple[str, str]]]]:
    """A narrative table as it is read: per agency, "name (kind)" and its answers, each
    with its question."""
    found = []
    for row in table.rows:
        kind = row.values.get("kind")
        name = row.label[language] + (f" ({kind.render(language)})" if kind else "")
        answers = [
            (column.label[language], str(row.values[column.key]))
            for column in table.columns
            if column.key != "kind" and column.key in row.values
        ]
        found.append((name, answers))
    return found


def _markdown_narrative(table: Table, language: Language) -> list[str]:
    lines = []
    for name, answers in narratives(table, language):
        lines += [f"### {_markdown_text(name)}", ""]
        for question, answer in answers:
            lines += [f"**{_markdown_text(question)}**", "", _markdown_paragraph(answer), ""]
    return lines


def _markdown_paragraph(text: str) -> str:
    """An agency's text as a paragraph that cannot turn into markdown structure."""
    escaped = "".join("\\" + c if c in "\\`*_{}[]<>#|" else c for c in text)
    return "  \n".join(line.strip() for line in escaped.splitlines() if line.strip())


def indicator_parts(table: Table) -> list[tuple[Any, list]]:
    """An indicators table one measure at a time: twenty figures side by side fit no page
    and no terminal. Each part's columns are the kinds of agency that give the measure."""
    groups: dict[str, list] = {}
    for column in table.columns:
        if column.key != "completeness":
            groups.setdefault(column.key.split(":")[0], []).append(column)
    return [(columns[0].measure, columns) for columns in groups.values()]


def signed(change: Any, language: Language, unit: str | None = None) -> str:
    """A change as printed beside its figure: +153, −12 as shown, 0, or "—" when there is
    none to compute."""
    if change is None:
        return "—"
    return ("+" if is_number(change) and change > 0 else "") + shown(change, language, unit)


def cell_text(row, column, language: Language, compare: bool) -> str:
    value = row.values.get(column.key)
    text = shown(value, language, column.unit)
    if compare and column.key in row.previous:
        previous = row.previous[column.key]
        change = signed(change_of(value, previous), language, column.unit)
        text += f" ({shown(previous, language, column.unit)}; {change})"
    elif compare and column.key in row.unasked and column.key in row.values:
        text += " (—)"  # the compared round did not ask it: see the table's note
    return text


def _code(value: Any) -> Any:
    """What programs read: the code of a coded value, any other value as it is."""
    return value.code if isinstance(value, Coded) else value


def _label(value: Any, language: Language) -> str:
    return value.render(language) if isinstance(value, Coded) else ""


def _markdown_text(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def neutralised(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def is_figure(value: Any) -> bool:
    """Figures, and the short texts that stand for them: "2/3" received of expected, the
    marks of a publication ("c", "<5"). They are aligned right and never wrapped."""
    if isinstance(value, str):
        return len(value) <= 7 and " " not in value
    return value is None or is_number(value)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
