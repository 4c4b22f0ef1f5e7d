"""Write rapporteur/data/font-metrics.json: how wide each character is in the fonts the
questionnaire is printed with, so that columns and rows are sized to their text on a
machine that has none of these fonts (the office's Windows, a CI runner).

The workbooks name Calibri; LibreOffice prints them with Carlito, its metric twin, and
with Liberation Sans for a character Carlito lacks. Run by hand when the fonts change:

    pip install fonttools
    python tools/font_metrics.py /usr/share/fonts/truetype
"""

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

FACES = {
    "carlito": {
        "regular": "crosextra/Carlito-Regular.ttf",
        "bold": "crosextra/Carlito-Bold.ttf",
        "italic": "crosextra/Carlito-Italic.ttf",
        "bold-italic": "crosextra/Carlito-BoldItalic.ttf",
    },
    "liberation-sans": {
        "regular": "liberation2/LiberationSans-Regular.ttf",
        "bold": "liberation2/LiberationSans-Bold.ttf",
        "italic": "liberation2/LiberationSans-Italic.ttf",
        "bold-italic": "liberation2/LiberationSans-BoldItalic.ttf",
    },
}
# Latin-1, Latin Extended-A (Catalan, names), general punctuation, the euro and the marks
# the sums print (✓ ✗ ≠).
CHARACTERS = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x180),
    *range(0x2010, 0x2031),
    0x20AC,
    0x2260,
    0x2713,
    0x2717,
]
OUTPUT = Path(__file__).resolve().parent.parent / "rapporteur" / "data" / "font-metrics.json"


def metrics(path: Path) -> dict:
    font = TTFont(path)
    units = font["head"].unitsPerEm
    os2 = font["OS/2"]
    cmap = font.getBestCmap()
    advances = font["hmtx"].metrics
    return {
        "units_per_em": units,
        # The line LibreOffice and Excel draw a wrapped cell's text on.
        "line": os2.usWinAscent + os2.usWinDescent,
        "widths": {chr(code): advances[cmap[code]][0] for code in CHARACTERS if code in cmap},
    }


def main(fonts: Path) -> None:
    data = {
        family: {face: metrics(fonts / file) for face, file in faces.items()}
        for family, faces in FACES.items()
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    OUTPUT.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype"))
