"""Issuing by stamping: each questionnaire of a round built once per variant, then copied
for each agency with only its own texts written in.

The questionnaires of one round, version, kind and language are the same workbook but
for the agency's name (on the cover and atop every sheet), its figures of a year earlier
beside the inputs, and the signed metadata. openpyxl builds that workbook once, with
placeholders for the name and identity; each agency's file is then the same parts with
its texts put in their cells, the heights of the rows holding them and the page breaks
computed again by the writer's own code (`_Sizer.row_heights`, `page_breaks`), and its
metadata signed. openpyxl writes every text inline in its cell (no shared-strings
table), so each change stays within one sheet's XML.

Anything the stamper does not find exactly where the variant put it makes it build that
agency's questionnaire from scratch instead: never a half-stamped file.
"""

import io
import re
import zipfile
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.xml.functions import tostring

from rapporteur.definition import load_definition
from rapporteur.workbook.layout import PREVIOUS_COLUMN
from rapporteur.workbook.metadata import METADATA_SHEET, Metadata
from rapporteur.workbook.sources import workbook_names_and_parts
from rapporteur.workbook.writer import (
    Printed,
    Questionnaire,
    build,
    page_breaks,
    previous_texts,
    save_atomically,
    write_questionnaire,
)

NAME = "RAPPORTEUR-AGENCY-NAME-PLACEHOLDER"
IDENTITY = "rapporteur-agency-id-placeholder"
_ROW_BREAKS = re.compile(rb"<rowBreaks\b.*?</rowBreaks>|<rowBreaks\b[^>]*/>", re.S)


def write_stamped(questionnaire: Questionnaire, path: Path, secret: bytes) -> Metadata:
    """Write an agency's questionnaire to `path` atomically, stamped from its variant
    (built the first time this process needs it), or built whole where it cannot be."""
    try:
        variant = _variant(variant_key(questionnaire), secret)
        content, metadata = stamp(variant, questionnaire, secret)
    except CannotStamp:
        return write_questionnaire(questionnaire, path, secret)
    save_atomically(content, path)
    return metadata


# More than every kind in every language (15 × 3), each a few hundred kilobytes: a round
# issued in the registry's order never builds a variant twice.
@lru_cache(maxsize=64)
def _variant(key: Questionnaire, secret: bytes) -> "Variant":
    return build_variant(key, secret)


class CannotStamp(Exception):
    """The variant is not as the stamper expects it: build this one from scratch."""


@dataclass(frozen=True)
class Variant:
    """A questionnaire built for placeholders: its parts, and its sheets as printed."""

    parts: dict[str, bytes]
    sheet_parts: dict[str, str]
    printed: list[Printed]
    placeholder: Metadata
    signature: str


def variant_key(questionnaire: Questionnaire) -> Questionnaire:
    """What every questionnaire of a variant shares: all but the agency's own."""
    return replace(
        questionnaire, agency_id=IDENTITY, agency_name=NAME, previous=None,
        previous_round=None, issue=1,
    )  # fmt: skip


def build_variant(key: Questionnaire, secret: bytes) -> Variant:
    built = build(key, secret)
    stream = io.BytesIO()
    built.workbook.save(stream)
    with zipfile.ZipFile(stream) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
        _, sheet_parts = workbook_names_and_parts(package)
    signature = built.metadata.signature(secret)
    return Variant(parts, sheet_parts, built.printed, built.metadata, signature)


def stamp(variant: Variant, questionnaire: Questionnaire, secret: bytes) -> tuple[bytes, Metadata]:
    """The agency's questionnaire: the variant's workbook with its texts, as a file's
    bytes, and its signed metadata. Raises CannotStamp."""
    name = ILLEGAL_CHARACTERS_RE.sub("\ufffd", questionnaire.agency_name)
    if name != name.strip() or not name or NAME in name:
        raise CannotStamp("a name a cell would keep differently")
    parts = dict(variant.parts)
    definition = load_definition(questionnaire.version)
    for printed in variant.printed:
        part = variant.sheet_parts[printed.title]
        layout = printed.layout
        added = previous_texts(questionnaire, layout, definition) if layout else []
        parts[part] = _stamped_sheet(parts[part], printed, name, added)
    metadata = replace(variant.placeholder, agency=questionnaire.agency_id,
                       issue=questionnaire.issue)  # fmt: skip
    part = variant.sheet_parts[METADATA_SHEET]
    xml = _replaced(parts[part], _text(IDENTITY), _text(questionnaire.agency_id))
    xml = _replaced(xml, variant.signature.encode(), metadata.signature(secret).encode())
    issue = b'<c r="B8" t="n"><v>1</v></c>'
    parts[part] = _replaced(xml, issue, issue.replace(b">1<", f">{metadata.issue}<".encode()))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as package:
        for part_name, content in parts.items():
            package.writestr(part_name, content)
    return stream.getvalue(), metadata


def _stamped_sheet(xml: bytes, printed: Printed, name: str, added: list[tuple[int, str]]):
    sizer = printed.sizer
    texts = [
        (row, column, span, value.replace(NAME, name), style, rotated)
        for row, column, span, value, style, rotated in sizer.texts
    ]
    changed = {entry[0] for entry, old in zip(texts, sizer.texts, strict=True) if entry != old}
    if xml.count(_text(NAME)) != sum(NAME in text[3] for text in sizer.texts):
        raise CannotStamp("the agency's name outside the texts that hold it")
    xml = xml.replace(_text(NAME), _text(name))
    for row, text in added:
        cell = f"{get_column_letter(PREVIOUS_COLUMN)}{row}"
        # Blank, as openpyxl writes it with lxml or without.
        empty = re.search(rf'<c r="{cell}" s="(\d+)"(?: t="n")?(?:/>|></c>)'.encode(), xml)
        if empty is None:
            raise CannotStamp(f"no cell {cell} for last year's figure")
        filled = f'<c r="{cell}" s="{empty.group(1).decode()}" t="inlineStr"><is><t>'
        xml = xml.replace(empty.group(0), filled.encode() + _text(text) + b"</t></is></c>")
        texts.append((row, PREVIOUS_COLUMN, 1, text, "rp_previous", False))
        changed.add(row)
    if not changed:
        return xml
    rows = [text for text in texts if text[0] in changed]
    heights = dict(printed.heights)
    heights.update(sizer.row_heights(rows, printed.widths, sorted(changed)))
    for row in sorted(changed):
        old, new = round(printed.heights[row], 1), round(heights[row], 1)
        if new != old:
            xml = _replaced(
                xml,
                f'<row r="{row}" ht="{safe_string(old)}"'.encode(),
                f'<row r="{row}" ht="{safe_string(new)}"'.encode(),
            )
    layout = printed.layout
    if layout is not None:
        before = page_breaks(layout, printed.heights, printed.landscape)
        after = page_breaks(layout, heights, printed.landscape)
        if after != before:
            xml = _with_breaks(xml, after)
    return xml


def _with_breaks(xml: bytes, rows: list[int]) -> bytes:
    breaks = RowBreak()
    for row in rows:
        breaks.append(Break(id=row))
    element = tostring(breaks.to_tree()) if rows else b""
    found = _ROW_BREAKS.search(xml)
    if found is not None:
        return xml[: found.start()] + element + xml[found.end() :]
    # The breaks follow the page's header and footer, as the schema orders them.
    return _replaced(xml, b"</headerFooter>", b"</headerFooter>" + element)


def _text(value: str) -> bytes:
    """A text as the cell's XML holds it: escaped, characters outside ASCII as references
    (as openpyxl writes them with lxml; any reader takes both)."""
    return escape(value).encode("ascii", "xmlcharrefreplace")


def _replaced(xml: bytes, old: bytes, new: bytes) -> bytes:
    if xml.count(old) != 1:
        raise CannotStamp(f"{old[:60]!r} found {xml.count(old)} times")
    return xml.replace(old, new)
