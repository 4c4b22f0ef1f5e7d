"""What a returned file really is, judged before any spreadsheet library expands it.

An .xlsx is a zip of XML parts. Its zip directory states how large each part becomes
once expanded, and Python's zipfile never expands a part beyond what is stated (nor
accepts a part whose checksum does not match), so a "zip bomb" is refused from the
directory alone. Each XML part is then streamed once, in small chunks: a document type
declaration (the vehicle of external-entity and billion-laughs attacks, never written by
a spreadsheet program) refuses the file, and rows are counted on every worksheet so that
a sheet of a million rows is refused before openpyxl builds a single cell of it.
"""

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rapporteur.messages import Number
from rapporteur.workbook.sources import PREFIXED_WORKSHEET, sheet_parts

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MEGABYTE = 1_000_000
CHUNK = 1 << 16

_DECLARATIONS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
# A row element, with or without a namespace prefix (some programs write <x:row>).
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_OVERLAP = 64


class Limits(Protocol):
    max_file_mb: int
    max_expanded_mb: int
    max_rows: int


@dataclass(frozen=True)
class Refusal:
    """Why a file is not opened: a message key of the catalogue and its parameters."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


def inspect_file(path: Path, limits: Limits) -> Refusal | None:
    """None if `path` is an .xlsx safe to open within `limits`, else why it is not."""
    size = path.stat().st_size
    if size == 0:
        return Refusal("collect.empty")
    if size > limits.max_file_mb * MEGABYTE:
        return Refusal(
            "collect.too_large", {"size": _megabytes(size), "limit": Number(limits.max_file_mb)}
        )
    with path.open("rb") as stream:
        head = stream.read(1 << 20)
    if head.startswith(OLE_MAGIC):
        # Office keeps a password-protected .xlsx inside an OLE container too.
        if "EncryptedPackage".encode("utf-16-le") in head:
            return Refusal("collect.encrypted")
        return Refusal("collect.xls")
    if not head.startswith(ZIP_MAGIC):
        return Refusal("collect.not_spreadsheet")
    try:
        with zipfile.ZipFile(path) as package:
            return _inspect_package(package, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        return Refusal("collect.damaged")


def _inspect_package(package: zipfile.ZipFile, limits: Limits) -> Refusal | None:
    parts = package.infolist()
    names = {part.filename for part in parts}
    if "xl/workbook.xml" not in names:
        if "content.xml" in names or "mimetype" in names:
            return Refusal("collect.ods")
        return Refusal("collect.not_spreadsheet")
    if any(part.flag_bits & 0x1 for part in parts):
        return Refusal("collect.encrypted")
    expanded = sum(part.file_size for part in parts)
    if expanded > limits.max_expanded_mb * MEGABYTE:
        return Refusal(
            "collect.expands_too_much",
            {"size": _megabytes(expanded), "limit": Number(limits.max_expanded_mb)},
        )
    for part in parts:
        if not part.filename.endswith((".xml", ".rels", ".vml")):
            continue
        worksheet = re.fullmatch(r"xl/worksheets/[^/]+\.xml", part.filename) is not None
        found = _scan(package, part, limits.max_rows if worksheet else None)
        if found == "declarations":
            return Refusal("collect.xml_declarations", {"part": part.filename})
        if found == "rows":
            sheet = _sheet_titles(package).get(part.filename, part.filename)
            limit = Number(limits.max_rows)
            return Refusal("collect.too_many_rows", {"sheet": sheet, "limit": limit})
    return None


def _scan(package: zipfile.ZipFile, part: zipfile.ZipInfo, max_rows: int | None) -> str | None:
    """Stream one XML part once: "declarations" if it declares a document type or an
    entity, "rows" if it has more than `max_rows` rows, else None."""
    rows, tail, prefixed = 0, b"", None
    with package.open(part) as stream:
        while chunk := stream.read(CHUNK):
            if prefixed is None:
                prefixed = PREFIXED_WORKSHEET.match(chunk) is not None
            window = tail + chunk
            if any(marker in window for marker in _DECLARATIONS):
                return "declarations"
            # The last bytes are kept for the next window, so that nothing is split; a
            # row is counted in the window where it starts, unless it starts in them.
            cut = max(len(window) - _OVERLAP, 0)
            tail = window[cut:]
            if max_rows is None:
                continue
            if prefixed:
                rows += sum(1 for match in _ROW.finditer(window) if match.start() < cut)
            else:
                rows += window.count(b"<row ", 0, cut + 4) + window.count(b"<row>", 0, cut + 4)
            if rows > max_rows:
                return "rows"
    if max_rows is None:
        return None
    return "rows" if rows + len(_ROW.findall(tail)) > max_rows else None


def _sheet_titles(package: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's title, to name the sheet at fault as the agency sees it."""
    try:
        parts = sheet_parts(package)
    except (KeyError, SyntaxError, ValueError):
        return {}
    return {part: title for title, part in parts.items()}


def _megabytes(size: int) -> Number:
    return Number(max(1, round(size / MEGABYTE)))
