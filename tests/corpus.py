"""A corpus of broken and hostile returns, generated rather than committed.

Each case starts, where it can, from a real questionnaire issued by the office and filled
at its agency's name, then breaks it the way a clerk, another program or an attacker
would. `write_corpus` writes every case into a folder and says, for each file, what
`collect` must answer: the problem's code and words of its message, and whether that
problem points at a cell.
"""

import datetime
import random
import re
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from msoffcrypto.format.ooxml import OOXMLFile
from returns import filled, set_cells, set_metadata

from rapporteur.registry import load_registry, remove_agency

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

GOOD_AGENCIES = {"fiscalia": "FISC", "guardia-civil": "LEA_STATE", "ccaa-an": "CCAA"}
ZIP_BOMB_BYTES = 2 * 1024**3
MILLION = 1_000_000


@dataclass(frozen=True)
class Case:
    file: str
    code: str
    words: str
    at_cell: bool = False


def write_corpus(office: Path, folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    # One agency per file read as a return: two files for one agency would be rivals.
    registry = load_registry(office / "agencies.toml")
    others = [agency for agency in registry if agency.id not in GOOD_AGENCIES]
    ngos = iter([agency for agency in others if agency.kind == "NGO"])
    rest = iter([agency for agency in others if agency.kind != "NGO"])

    def based(name: str, ngo: bool = False) -> Path:
        agency = next(ngos) if ngo else next(rest)
        return filled(office, agency.id, agency.kind, folder, name=name, region=agency.region)

    cases = []
    for build in BUILDERS:
        case = build(folder, based, office)
        assert (folder / case.file).is_file(), case.file
        cases.append(case)
    return cases


def write_good_returns(office: Path, folder: Path) -> dict[str, str]:
    """Good returns under file names no office would choose; file name → agency."""
    names = {
        "fiscalia": "Fiscalía — informe «final» (copia 2) #1.xlsx",
        "guardia-civil": "guardia civil; 'respuesta' & datos $HOME.xlsx",
        "ccaa-an": "Junta de Andalucía 2018-12 ñandú ✓.xlsx",
    }
    for agency, kind in GOOD_AGENCIES.items():
        region = "ES-AN" if kind == "CCAA" else "ES"
        filled(office, agency, kind, folder, name=names[agency], region=region)
    return {name: agency for agency, name in names.items()}


Builder = Callable[[Path, Callable[[str], Path], Path], Case]
BUILDERS: list[Builder] = []


def case(build: Builder) -> Builder:
    BUILDERS.append(build)
    return build


# Files that are not workbooks at all.


@case
def _empty(folder, based, office):
    (folder / "vacío.xlsx").write_bytes(b"")
    return Case("vacío.xlsx", "collect-empty", "el archivo está vacío")


@case
def _random_bytes(folder, based, office):
    (folder / "ruido.xlsx").write_bytes(random.Random(9).randbytes(50_000))
    return Case("ruido.xlsx", "collect-not-spreadsheet", "no es una hoja de cálculo .xlsx")


@case
def _zip_of_something_else(folder, based, office):
    with zipfile.ZipFile(folder / "comprimido.xlsx", "w") as package:
        package.writestr("informe.txt", "Adjunto los datos.\n")
        package.writestr("fotos/portada.jpg", random.Random(1).randbytes(3000))
    return Case("comprimido.xlsx", "collect-not-spreadsheet", "no es una hoja de cálculo .xlsx")


@case
def _old_excel_renamed(folder, based, office):
    shutil.copy(EXAMPLES / "ong-11.xls", folder / "antiguo.xlsx")
    return Case("antiguo.xlsx", "collect-xls", "formato antiguo de Excel (.xls)")


@case
def _csv_renamed(folder, based, office):
    text = "organismo;víctimas identificadas\nong-01;3\n"
    (folder / "tabla.xlsx").write_text(text, encoding="utf-8")
    return Case("tabla.xlsx", "collect-not-spreadsheet", "no es una hoja de cálculo .xlsx")


@case
def _opendocument(folder, based, office):
    with zipfile.ZipFile(folder / "calc.ods", "w") as package:
        mimetype = zipfile.ZipInfo("mimetype")  # first and stored, as the format requires
        package.writestr(mimetype, "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
        package.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return Case("calc.ods", "collect-ods", "formato OpenDocument (.ods)")


@case
def _password_protected(folder, based, office):
    plain = based("sin-cifrar.tmp")
    with plain.open("rb") as source, (folder / "con-contraseña.xlsx").open("wb") as target:
        OOXMLFile(source).encrypt("clave-del-organismo", target)
    plain.unlink()
    return Case("con-contraseña.xlsx", "collect-encrypted", "protegido con contraseña")


@case
def _truncated(folder, based, office):
    path = based("cortado.xlsx")
    content = path.read_bytes()
    path.write_bytes(content[: len(content) * 3 // 5])
    return Case("cortado.xlsx", "collect-damaged", "está dañado")


# Workbooks built to exhaust or subvert the reader.


@case
def _zip_bomb(folder, based, office):
    """A real questionnaire with an input sheet holding 2 GiB of text in one cell: a 2 MB
    file that a reader expanding it would need gigabytes of memory for."""
    path = based("bomba.xlsx")
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    start = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<sheetData><row r="6"><c r="B6" t="inlineStr"><is><t>')  # fmt: skip
    end = b"</t></is></c></row></sheetData></worksheet>"
    parts["xl/worksheets/sheet3.xml"] = _Repeated(start, b"A" * (1 << 20), 2048, end)
    _write_zip(path, parts)
    return Case("bomba.xlsx", "collect-expands-too-much", "bomba zip")


@case
def _external_entity(folder, based, office):
    path = based("xxe.xlsx")

    def with_entity(xml: bytes) -> bytes:
        declaration = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        return _in_prolog(xml, declaration).replace(b"<t>", b"<t>&xxe;", 1)

    _edit_parts(path, {"xl/worksheets/sheet3.xml": with_entity})
    return Case("xxe.xlsx", "collect-xml-declarations", "DOCTYPE/ENTITY")


@case
def _billion_laughs(folder, based, office):
    path = based("risas.xlsx")
    entities = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (level, b"&lol%s;" % (b"" if level == 1 else b"%d" % (level - 1))
                                   * 10)
        for level in range(1, 10)
    )  # fmt: skip

    def with_laughs(xml: bytes) -> bytes:
        xml = _in_prolog(xml, b"<!DOCTYPE workbook [" + entities + b"]>")
        return xml.replace(b"</workbook>", b"<extLst>&lol9;</extLst></workbook>", 1)

    _edit_parts(path, {"xl/workbook.xml": with_laughs})
    return Case("risas.xlsx", "collect-xml-declarations", "DOCTYPE/ENTITY")


@case
def _million_rows(folder, based, office):
    path = based("un-millón-de-filas.xlsx")

    def with_rows(xml: bytes) -> bytes:
        rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n)
                        for n in range(2000, 2000 + MILLION))  # fmt: skip
        return xml.replace(b"</sheetData>", rows + b"</sheetData>", 1)

    _edit_parts(path, {"xl/worksheets/sheet2.xml": with_rows})
    return Case("un-millón-de-filas.xlsx", "collect-too-many-rows", "tiene más de 10.000 filas")


# Questionnaires edited to pass for another, or restructured.


@case
def _other_agency(folder, based, office):
    path = based("otro-organismo.xlsx")
    issued = _metadata(path)["agency"]
    claimed = "ong-12"
    set_metadata(path, agency=claimed)
    return Case(path.name, "collect-tampered-known", f"agency: {issued} → {claimed}")


@case
def _other_round(folder, based, office):
    path = based("otra-ronda.xlsx")
    set_metadata(path, round="2019-06")
    return Case(path.name, "collect-tampered-known", "round: 2018-12 → 2019-06")


@case
def _signature_removed(folder, based, office):
    path = based("sin-firma.xlsx")
    set_metadata(path, signature=None)
    return Case(path.name, "collect-tampered", "falta su firma")


@case
def _agency_not_in_registry(folder, based, office):
    path = based("dado-de-baja.xlsx")
    remove_agency(office / "agencies.toml", _metadata(path)["agency"])
    return Case(path.name, "collect-unknown-agency", "no está en el registro")


@case
def _sheet_renamed(folder, based, office):
    path = based("hoja-renombrada.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[2]
    old, new = sheet.title, "Mis datos"
    sheet.title = new
    # As Excel does: the names follow the sheet.
    for name in workbook.defined_names.values():
        name.attr_text = name.attr_text.replace(f"'{old}'!", f"'{new}'!")
    workbook.save(path)
    return Case(path.name, "collect-sheets-changed", f"falta la hoja «{old}»")


@case
def _sheet_deleted(folder, based, office):
    path = based("hoja-borrada.xlsx")
    workbook = openpyxl.load_workbook(path)
    old = workbook.worksheets[3].title
    del workbook[old]
    workbook.save(path)
    return Case(path.name, "collect-sheets-changed", f"falta la hoja «{old}»")


@case
def _sheets_reordered(folder, based, office):
    path = based("hojas-movidas.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook.move_sheet(workbook.worksheets[1], offset=2)
    workbook.save(path)
    return Case(path.name, "collect-sheets-changed", "hojas en otro orden")


@case
def _rows_inserted(folder, based, office):
    path = based("filas-insertadas.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[2]
    sheet.insert_rows(5, 2)
    # As Excel does: names below the inserted rows move down with their cells.
    quoted = "'" + sheet.title.replace("'", "''") + "'!"
    for name in workbook.defined_names.values():
        if name.attr_text.startswith(quoted):
            name.attr_text = _moved_down(name.attr_text, quoted, from_row=5, rows=2)
    workbook.save(path)
    return Case(path.name, "collect-cells-moved", "se han insertado o borrado filas")


# Cells holding what a figure or a date cannot be.


def _cell_case(file: str, name: str, value, code: str, words: str) -> Builder:
    def build(folder, based, office):
        path = based(file, ngo=True)
        set_cells(path, {name: value})
        return Case(path.name, code, words, at_cell=True)

    build.__name__ = f"_{code}"
    return case(build)


COUNT = "s1_presumed_victims_thb__total"
_cell_case("fórmula.xlsx", COUNT, "=SUMA(B1:B2)", "cell-formula-without-value", "fórmula")
_cell_case("ref.xlsx", COUNT, "#REF!", "cell-error-value", "#REF!")
_cell_case("booleano.xlsx", COUNT, True, "cell-boolean-number", "VERDADERO")
_cell_case("fecha.xlsx", COUNT, datetime.datetime(2018, 5, 3), "cell-date-in-number", "03/05/2018")
TEN_THOUSAND_CHARACTERS = "víctima " * 1249 + "víctimas"
_cell_case("texto-largo.xlsx", "s1_trends_narrative", TEN_THOUSAND_CHARACTERS, "string-too-long",
           "tiene 10.000 caracteres; el máximo es 4.000")  # fmt: skip


@case
def _name_with_escape_sequences(folder, based, office):
    name = "\x1b[31mROJO\x1b[0m ñ «copia» (2) #;'$`.xlsx"
    (folder / name).write_bytes(b"\x1b]0;title\x07" + random.Random(3).randbytes(2000))
    return Case(name, "collect-not-spreadsheet", "no es una hoja de cálculo .xlsx")


# Helpers to take a workbook apart and put it back together.


def _metadata(path: Path) -> dict:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return {row[0]: row[1] for row in workbook["_rapporteur"].iter_rows(values_only=True)}
    finally:
        workbook.close()


def _moved_down(reference: str, quoted: str, from_row: int, rows: int) -> str:
    def shift(match: re.Match) -> str:
        row = int(match.group(2))
        return f"${match.group(1)}${row + rows if row >= from_row else row}"

    return quoted + re.sub(r"\$([A-Z]+)\$(\d+)", shift, reference[len(quoted) :])


def _in_prolog(xml: bytes, declaration: bytes) -> bytes:
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + declaration + xml[end:]
    return declaration + xml


def _edit_parts(path: Path, edits: dict[str, Callable[[bytes], bytes]]) -> None:
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    for name, edit in edits.items():
        parts[name] = edit(parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, content in parts.items():
            package.writestr(name, content)


@dataclass(frozen=True)
class _Repeated:
    """A part made of `start`, `chunk` times `count`, then `end`, compressed without ever
    being held whole: each chunk compresses to the same bytes after a full flush."""

    start: bytes
    chunk: bytes
    count: int
    end: bytes

    def deflated(self) -> tuple[bytes, int, int]:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        head = compressor.compress(self.start) + compressor.flush(zlib.Z_FULL_FLUSH)
        body = compressor.compress(self.chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
        tail = compressor.compress(self.end) + compressor.flush()
        crc = zlib.crc32(self.start)
        for _ in range(self.count):
            crc = zlib.crc32(self.chunk, crc)
        crc = zlib.crc32(self.end, crc)
        size = len(self.start) + len(self.chunk) * self.count + len(self.end)
        return head + body * self.count + tail, crc, size


def _write_zip(path: Path, parts: dict[str, "bytes | _Repeated"]) -> None:
    """A zip written by hand, since zipfile cannot store data compressed elsewhere."""
    local, central = bytearray(), bytearray()
    for name, content in parts.items():
        if isinstance(content, _Repeated):
            data, crc, size = content.deflated()
        else:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            data = compressor.compress(content) + compressor.flush()
            crc, size = zlib.crc32(content), len(content)
        encoded = name.encode("utf-8")
        common = struct.pack("<HHHHHIIIHH", 20, 0x800, 8, 0, 0x21, crc, len(data), size,
                             len(encoded), 0)  # fmt: skip
        offset = len(local)
        local += b"PK\x03\x04" + common + encoded + data
        central += (b"PK\x01\x02" + struct.pack("<H", 20) + common
                    + struct.pack("<HHHII", 0, 0, 0, 0, offset) + encoded)  # fmt: skip
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central),
                      len(local), 0)  # fmt: skip
    path.write_bytes(bytes(local + central + end))
