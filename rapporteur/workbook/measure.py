"""How much room a text takes in a cell, with the metrics of the font that prints it.

The workbooks name Calibri. Excel prints with it; LibreOffice with Carlito, which has the
same widths, and with Liberation Sans for a character Carlito lacks. The widths of both
are in `data/font-metrics.json` (written by tools/font_metrics.py), so a questionnaire
is sized the same on any machine, whether or not it has the fonts.

Columns are sized for LibreOffice, whose unit of width is the narrower (the width of a
digit of the Normal font, 5.05 pt for Calibri 10), and pages for Excel, whose unit is a
whole number of pixels (7, or 5.25 pt).
"""

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

FONT = "Calibri"
NORMAL_SIZE = 10
CHARACTER_UNIT = 5.05
"""Points per unit of column width in LibreOffice, for a Normal font of Calibri 10."""
PADDING = 6.0
"""Points of a cell's width that hold no text: the margins either side of it."""
SLACK = 1.05
"""Excel lays text out in whole pixels, which can make a line a little longer than its
exact width: text is measured 5 % wider, so that no program wraps it into a line more than
its row holds."""
ROW_PADDING = 2.0


@dataclass(frozen=True)
class Style:
    size: float = NORMAL_SIZE
    bold: bool = False
    italic: bool = False

    @property
    def face(self) -> str:
        return {
            (False, False): "regular",
            (True, False): "bold",
            (False, True): "italic",
            (True, True): "bold-italic",
        }[(self.bold, self.italic)]


@cache
def _metrics() -> dict:
    text = files("rapporteur.data").joinpath("font-metrics.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def text_width(text: str, style: Style = Style()) -> float:
    """Points the text takes on one line."""
    main = _metrics()["carlito"][style.face]
    fallback = _metrics()["liberation-sans"][style.face]
    units = 0
    for character in text:
        width = main["widths"].get(character)
        if width is None:
            width = fallback["widths"].get(character, main["units_per_em"])
        units += width
    return SLACK * units * style.size / main["units_per_em"]


def line_height(style: Style = Style()) -> float:
    main = _metrics()["carlito"][style.face]
    return main["line"] * style.size / main["units_per_em"]


def longest_word(text: str, style: Style = Style()) -> float:
    return max((text_width(word, style) for word in text.split()), default=0.0)


@cache
def wrapped(text: str, width: float, style: Style = Style()) -> tuple[str, ...]:
    """The lines a cell of `width` points shows, broken between words as the spreadsheet
    breaks them; a word longer than the line is left whole on its own."""
    room = width - PADDING
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, style) > room:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return tuple(lines)


def height(text: str, width: float, style: Style = Style()) -> float:
    """Points of row height the text needs wrapped in a cell `width` points wide."""
    return len(wrapped(text, width, style)) * line_height(style) + ROW_PADDING


def column_units(points: float) -> float:
    """A column width in the spreadsheet's unit, for `points`."""
    return round(points / CHARACTER_UNIT, 2)


def fitting(paper: float) -> float:
    """The points of columns that Excel prints within `paper` points (the inverse of
    `printed_width`)."""
    return (paper / 0.75 - 1) * CHARACTER_UNIT / 7


def printed_width(points: float) -> float:
    """The points Excel prints columns sized for `points` with: it counts 7 pixels, not
    5.05 points, to a unit of width."""
    return (column_units(points) * 7 + 1) * 0.75
