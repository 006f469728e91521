"""Libertinus Serif with TrueType outlines, from Typst's own OpenType (CFF) files.

Usage: python3 converti.py DIR_OTF DIR_OUT   (fontTools 4.x)

DIR_OTF holds LibertinusSerif-{Regular,Bold,Italic,BoldItalic}.otf as the
`typst-assets` crate ships them (its `files/fonts/`). Each cubic outline is
approximated by quadratic splines within 1 font unit (1/1000 em, the error
fontmake uses by default: nothing a printer or a screen can show), and the
font's other tables (metrics, kerning, ligatures, small capitals, the
character map) are kept as they are. The files are written without a new
timestamp, so the same input gives the same bytes.

Why: every PDF lauream writes embeds a subset of the fonts it uses. Subsetting
a CFF font means decompiling and compiling again each glyph's charstring, and
measuring each glyph means interpreting it; a TrueType glyph is copied as it
is. The glyphs and their widths are the same, so the text sets the same.
"""

import sys
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

FACCE = ("Regular", "Bold", "Italic", "BoldItalic")
ERRORE_MASSIMO = 1.0


def in_truetype(font: TTFont) -> None:
    assert font.sfntVersion == "OTTO", "not a CFF-flavoured OpenType font"
    ordine = font.getGlyphOrder()
    glifi = font.getGlyphSet()
    quadratici = {}
    for nome in ordine:
        penna = TTGlyphPen(glifi)
        glifi[nome].draw(Cu2QuPen(penna, ERRORE_MASSIMO, reverse_direction=True))
        quadratici[nome] = penna.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = ordine
    glyf.glyphs = quadratici
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for campo in ("maxZones",):
        setattr(maxp, campo, 1)
    for campo in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, campo, 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = ordine
    # Say in the version string that these are not the upstream files.
    for record in font["name"].names:
        if record.nameID == 5:
            record.string = record.toUnicode() + ";TrueType outlines (cu2qu, 1 unit)"
    font.sfntVersion = "\000\001\000\000"


def main() -> None:
    origine, destinazione = Path(sys.argv[1]), Path(sys.argv[2])
    for faccia in FACCE:
        font = TTFont(origine / f"LibertinusSerif-{faccia}.otf", recalcTimestamp=False)
        in_truetype(font)
        font.save(destinazione / f"LibertinusSerif-{faccia}.ttf")


if __name__ == "__main__":
    main()
