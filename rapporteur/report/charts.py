"""The report's charts, drawn with matplotlib: SVG for the HTML, PNG for Word.

Every chart is drawn at the width it is printed (16 cm), so that its text keeps the size
set here (never under 8 points on A4). Text stays text in the SVG (`svg.fonttype` none):
small files that a screen reader and a search can read. Labels are never read as
matplotlib's mathematics (`text.parse_math`): a "$" in a label is a dollar sign.
"""

import io
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager

from rapporteur.report import TILES, Chart

WIDTH_CM = 16.0
CM = 1 / 2.54
TEXT_PT = 9
SMALL_PT = 8.5
COLOURS = ["#1f4e79", "#c55a11", "#7f7f7f", "#548235", "#7030a0", "#bf9000"]
"""Blue, orange, grey first: told apart in greyscale and by the colour-blind."""

_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "rapporteur",
    "font.family": "sans-serif",
    # The report's own font (Carlito is Calibri's metric twin), else matplotlib's own.
    "font.sans-serif": ["Carlito", "Calibri", "DejaVu Sans"],
    "font.size": TEXT_PT,
    "axes.titlesize": TEXT_PT + 1,
    "axes.labelsize": TEXT_PT,
    "xtick.labelsize": SMALL_PT,
    "ytick.labelsize": SMALL_PT,
    "legend.fontsize": SMALL_PT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.parse_math": False,
}


@contextmanager
def _style() -> Iterator[None]:
    import logging

    import matplotlib

    # A machine without Carlito or Calibri draws in DejaVu Sans: not worth a warning.
    fonts = logging.getLogger("matplotlib.font_manager")
    level = fonts.level
    fonts.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context(_STYLE):
            yield
    finally:
        fonts.setLevel(level)


def svg(chart: Chart) -> str:
    """The chart as an SVG element to put inside an HTML page."""
    with _style():
        figure = draw(chart)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def png(chart: Chart, dpi: int = 200) -> bytes:
    with _style():
        figure = draw(chart)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def draw(chart: Chart):
    from matplotlib.figure import Figure

    drawers = {"bars": _bars, "stacked": _bars, "lines": _lines, "tiles": _tiles}
    height = _height(chart)
    figure = Figure(figsize=(WIDTH_CM * CM, height * CM), layout="constrained")
    drawers[chart.shape](figure, chart)
    return figure


def _height(chart: Chart) -> float:
    if chart.shape == "tiles":
        return 11.5
    if chart.shape == "lines":
        rows = (len(chart.series) + 1) // 2
        return 1.2 + 3.6 * rows
    legend = 1.0 if chart.shape == "stacked" else 0
    return 1.6 + legend + 0.62 * len(chart.categories)


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _bars(figure, chart: Chart) -> None:
    """Horizontal bars, every category's name beside its bar, the largest on top; the
    series of a stacked chart side by side in one bar, each labelled with its figure."""
    said = _said(chart)
    axes = figure.add_subplot()
    positions = list(range(len(chart.categories)))[::-1]
    left = [0.0] * len(chart.categories)
    for index, (name, values) in enumerate(chart.series):
        widths = [value or 0 for value in values]
        bars = axes.barh(
            positions,
            widths,
            left=left,
            color=COLOURS[index % len(COLOURS)],
            label=name,
            height=0.7,
        )
        if chart.shape == "bars":
            axes.bar_label(bars, labels=[said(v) for v in values], padding=3,
                           fontsize=SMALL_PT)  # fmt: skip
        left = [a + b for a, b in zip(left, widths, strict=True)]
    if chart.shape == "stacked":
        totals = chart.printed or [said(value) if value else "" for value in left]
        for position, total, text in zip(positions, left, totals, strict=True):
            axes.annotate(text, (total, position), xytext=(3, 0), textcoords="offset points",
                          va="center", fontsize=SMALL_PT)  # fmt: skip
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(chart.series),
                    frameon=False)  # fmt: skip
    axes.set_yticks(positions, [_wrapped(c, 34) for c in chart.categories])
    axes.set_xlabel(_wrapped(chart.axis, 90))
    axes.margins(x=0.12)
    figure.suptitle(_wrapped(chart.title, 80), fontsize=TEXT_PT + 1, x=0.01, ha="left")


def _lines(figure, chart: Chart) -> None:
    """One small chart per series, two abreast: figures of different sizes and kinds of
    agency are never drawn on one scale."""
    said = _said(chart)
    count = len(chart.series)
    rows = (count + 1) // 2
    grid = figure.subplots(rows, 2, squeeze=False)
    for index, axes in enumerate(grid.flat):
        if index >= count:
            axes.set_visible(False)
            continue
        name, values = chart.series[index]
        points = [(x, v) for x, v in enumerate(values) if v is not None]
        axes.plot([x for x, _ in points], [v for _, v in points], marker="o",
                  color=COLOURS[0])  # fmt: skip
        for x, value in points:
            axes.annotate(said(value), (x, value), xytext=(0, 5), textcoords="offset points",
                          ha="center", fontsize=SMALL_PT)  # fmt: skip
        axes.set_xticks(range(len(chart.categories)), chart.categories)
        axes.set_ylim(bottom=0, top=max(v for _, v in points) * 1.3 or 1)
        axes.set_title(_wrapped(name, 44), fontsize=SMALL_PT, loc="left")
        axes.margins(x=0.15)
    figure.suptitle(_wrapped(chart.title, 80), fontsize=TEXT_PT + 1, x=0.01, ha="left")


def _tiles(figure, chart: Chart) -> None:
    """The 19 regions as squares placed like Spain, shaded by their figure; a region
    whose figure is hidden or missing is white, with what the tables print for it."""
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    axes = figure.add_subplot()
    values = chart.series[0][1]
    known = [value for value in values if value is not None]
    scale = Normalize(vmin=0, vmax=max(known) if known and max(known) > 0 else 1)
    palette = colormaps["Blues"]
    for code, label, value, printed in zip(
        chart.categories, chart.labels, values, chart.printed, strict=True
    ):
        column, row = TILES[code]
        if value is None:
            face, ink, hatch = "white", "#333333", "///"
        else:
            face = palette(0.15 + 0.85 * scale(value))
            ink = "white" if scale(value) > 0.55 else "black"
            hatch = None
        axes.add_patch(
            Rectangle(
                (column, -row),
                0.94,
                0.94,
                facecolor=face,
                edgecolor="#555555",
                hatch=hatch,
                linewidth=0.6,
            )
        )
        axes.text(column + 0.47, -row + 0.62, label, ha="center", va="center", color=ink,
                  fontsize=TEXT_PT, fontweight="bold")  # fmt: skip
        # On a hatched square the figure (a mark, or "—") sits on white, to be read.
        behind = {"facecolor": "white", "edgecolor": "none", "pad": 1} if hatch else None
        axes.text(column + 0.47, -row + 0.3, printed, ha="center", va="center", color=ink,
                  fontsize=TEXT_PT, bbox=behind)  # fmt: skip
    columns = max(column for column, _ in TILES.values()) + 1
    rows = max(row for _, row in TILES.values()) + 1
    axes.set_xlim(-0.1, columns + 0.1)
    axes.set_ylim(-rows + 0.85, 1.05)
    axes.set_aspect("equal")
    axes.axis("off")
    from matplotlib.cm import ScalarMappable

    bar = figure.colorbar(ScalarMappable(scale, palette), ax=axes, shrink=0.6, pad=0.02)
    bar.set_label(_wrapped(chart.axis, 40), fontsize=SMALL_PT)
    figure.suptitle(_wrapped(chart.title, 80), fontsize=TEXT_PT + 1, x=0.01, ha="left")


def _said(chart: Chart):
    """How the chart's language writes a figure: 1.234 in Spanish, 1,234 in English."""
    from rapporteur import formats

    def said(value) -> str:
        if value is None:
            return ""
        number = float(value)
        if number.is_integer():
            return formats.shown(int(number), chart.language)
        return formats.number(number, chart.language, decimals=1)

    return said
