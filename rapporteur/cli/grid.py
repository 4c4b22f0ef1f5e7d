"""Tables for a terminal of any width, 80 columns included, that never break a figure.

Rich shrinks a table wider than the terminal by cutting cells anywhere: "LEA_STAT/E",
"1.1/83", a date over four lines. Here each column gets at least the width of its longest
word (a number, a date, a code is one word), headings and labels wrap between words, and
a table with more columns than fit is folded into groups of columns, each repeating the
row labels. A word longer than the whole terminal (a web address) is the only thing
shortened, with "…".
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

_BREAKS = re.compile(r"[ \n]+")
LABEL_WIDTH = 28
"""The widest a row label column grows before its labels wrap."""
NARROW_LABEL = 18
"""How narrow row labels may wrap to keep a table in one piece."""
COMPACT = 12
"""The width a column takes when room is short, unless a word of it is longer."""
GAP = 3
"""What separates two columns: Rich's padding of 1 on each side and its divider."""
FRAME = 4
"""What a frame adds: the outer lines and their padding."""
ELLIPSIS = "…"


@dataclass
class GridColumn:
    heading: str
    right: bool = False
    """Figures are aligned right."""


def print_grid(
    console,
    title: str | None,
    columns: Sequence[GridColumn],
    rows: Sequence[Sequence[str]],
    width: int | None = None,
    framed: bool = False,
) -> None:
    """Print rows under `columns`, the first column labelling each row, folded into as
    many tables as the width needs; `framed`, with lines around and between cells, as
    lists of agencies and returns are printed."""
    from rich import box
    from rich.table import Table

    width = width or console.width
    texts = [list(row) for row in rows]
    needed = [_needed(column, [row[i] for row in texts]) for i, column in enumerate(columns)]
    frame = FRAME if framed else 0
    label_min, label_wanted = needed[0]
    label_min = min(label_min, width // 2)
    label = max(label_min, min(label_wanted, LABEL_WIDTH, width // 2))
    # A word wider than the room left beside the labels (a web address) is the one thing
    # shortened, when its cell is wrapped.
    room = width - label - frame - GAP
    needed[1:] = [(min(least, room), min(wanted, room)) for least, wanted in needed[1:]]
    groups = _groups(needed[1:], width - label - frame)
    narrow = max(label_min, NARROW_LABEL)
    if len(groups) > 1 and narrow < label:  # labels wrap more rather than fold the table
        fewer = _groups(needed[1:], width - narrow - frame)
        if len(fewer) == 1:
            label, groups = narrow, fewer
    if title:
        console.print(title, style="bold", markup=False, soft_wrap=False)
    for number, group in enumerate(groups):
        if number:
            console.print()
        if framed:
            table = Table(box=box.HEAVY_HEAD, expand=False)
        else:
            table = Table(
                box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), expand=False
            )
        table.add_column(columns[0].heading, width=label, overflow="fold")
        for index, column_width in group:
            column = columns[index + 1]
            table.add_column(
                column.heading,
                width=column_width,
                justify="right" if column.right else "left",
                overflow="fold",
            )
        for row in texts:
            table.add_row(
                _wrapped(row[0], label),
                *(_wrapped(row[index + 1], column_width) for index, column_width in group),
            )
        console.print(table, width=width)


def _needed(column: GridColumn, cells: list[str]) -> tuple[int, int]:
    """The least width a column can have without breaking a word, and the width it would
    like: its longest cell on one line."""
    # Only plain spaces part words: a no-break space holds a figure and its comparison.
    words = [word for text in [column.heading, *cells] for word in _BREAKS.split(text)]
    least = max((len(word) for word in words), default=1)
    wanted = max([len(column.heading), *(len(cell) for cell in cells)], default=1)
    return least, max(least, wanted)


def _groups(needed: list[tuple[int, int]], room: int) -> list[list[tuple[int, int]]]:
    """The columns (index, width) of each table: as many as fit in `room` at a compact
    width (headings wrap, figures do not), then widened with what room is left."""
    compact = [min(wanted, max(least, COMPACT)) for least, wanted in needed]
    groups: list[list[tuple[int, int]]] = []
    index = 0
    while index < len(needed):
        group: list[int] = []
        used = 0
        while index < len(needed) and (not group or used + GAP + compact[index] <= room):
            group.append(index)
            used += GAP + compact[index]
            index += 1
        widths = {i: min(compact[i], max(room - GAP, 1)) for i in group}
        for i in group:
            extra = min(needed[i][1] - widths[i], room - used)
            if extra > 0:
                widths[i] += extra
                used += extra
        groups.append([(i, widths[i]) for i in group])
    return groups


def _wrapped(text: str, width: int) -> str:
    """A cell's lines, broken at plain spaces only: Rich would also break at the no-break
    space between a figure and its "€". A word wider than the column is shortened."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            if len(word) > width:
                word = word[: max(width - 1, 1)] + ELLIPSIS
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "\n".join(lines)
