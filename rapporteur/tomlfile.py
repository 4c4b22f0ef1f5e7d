"""Reading TOML files people edit, and pointing at the line at fault.

tomllib returns plain values without positions, so line numbers are recovered from the
text: every `[[name]]` entry of an array of tables is located by its header, and each of
its keys by the line that assigns it. That is enough for the flat files we keep
(agencies.toml, the questionnaire definitions), where every entry starts with a header.
"""

import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapporteur.problems import RapporteurError, WorkspaceError

_TOMLLIB_POSITION = re.compile(r"\(at line (\d+), column \d+\)|\(at end of document\)")
_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]\s*(#.*)?$")
_TABLE_HEADER = re.compile(r"^\s*\[")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


@dataclass
class EntryLines:
    """Where one `[[name]]` entry of a file sits: its header line and each key's line."""

    header: int
    end: int
    keys: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: object = None) -> int:
        return self.keys.get(str(key), self.header) if key is not None else self.header


def parse_toml(text: str, file_name: str, error: type[RapporteurError] = WorkspaceError) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as decode_error:
        detail = str(decode_error)
        position = _TOMLLIB_POSITION.search(detail)
        line: int | str = "?"
        if position and position.group(1):
            line = int(position.group(1))
        elif position:
            line = text.count("\n") + 1
        detail = _TOMLLIB_POSITION.sub("", detail).strip()
        raise error("toml.syntax", file=file_name, line=line, detail=detail) from None


def read_text(path: Path) -> str:
    # utf-8-sig: Notepad on Windows may save a byte-order mark, which TOML forbids.
    return path.read_text(encoding="utf-8-sig")


def entry_lines(text: str, name: str) -> list[EntryLines]:
    entries: list[EntryLines] = []
    current: EntryLines | None = None
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header:
            if current is not None:
                current.end = number - 1
                current = None
            if header.group(1) == name:
                current = EntryLines(header=number, end=len(lines))
                entries.append(current)
            continue
        if _TABLE_HEADER.match(line):
            if current is not None:
                current.end = number - 1
            current = None
            continue
        key = _KEY.match(line)
        if current is not None and key:
            current.keys.setdefault(key.group(1), number)
    return entries


def line_of_text(text: str, pattern: str, start: int = 1, end: int | None = None) -> int | None:
    """The first line within [start, end] matching a regular expression."""
    compiled = re.compile(pattern)
    for number, line in enumerate(text.splitlines(), start=1):
        if number < start or (end is not None and number > end):
            continue
        if compiled.search(line):
            return number
    return None


def write_text_atomically(path: Path, text: str, mode: int | None = None) -> None:
    """Write a file so that a crash leaves either the old or the new content, never half."""
    write_bytes_atomically(path, text.encode("utf-8"), mode)


def write_bytes_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private; give it the mode it had, or an ordinary one.
        if mode is None:
            mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def toml_value_repr(value: Any) -> str:
    """A TOML literal for one scalar value, for files we append to by hand."""
    import tomli_w

    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()
