"""Small A4 PDF documents (station posters, volunteer certificates) drawn with ReportLab.

Chinese text uses ReportLab's built-in CID font STSong-Light: the PDF names the font and the reader
supplies its glyphs, so no font file is shipped or embedded.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

CJK_FONT = "STSong-Light"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm


def _register_font() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def a4_pdf(draw: Callable[[Canvas], None], *, title: str) -> bytes:
    """One A4 page drawn by `draw`, as PDF bytes."""
    _register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("巫山县市场监督管理局")
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def centred(canvas: Canvas, text: str, *, y: float, size: float) -> None:
    canvas.setFont(CJK_FONT, size)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, text)


def wrapped(text: str, *, size: float, width: float) -> list[str]:
    """`text` cut into lines no wider than `width` points (character by character: Chinese has no spaces)."""
    lines, current = [], ""
    for character in text:
        if pdfmetrics.stringWidth(current + character, CJK_FONT, size) > width:
            lines.append(current)
            current = character
        else:
            current += character
    if current:
        lines.append(current)
    return lines
