"""Printable QR labels: an A4 sheet (or several) of labels for one owner's registered instruments, each
with the QR code of its scan page /i/<code>/, the code typed out, the owner and the instrument."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core.pdf import CJK_FONT, PAGE_HEIGHT, PAGE_WIDTH, a4_pdf, wrapped
from instruments.models import RegisteredInstrument
from public.posters import draw_qr

# 3 × 7 labels of 70 × 42.4 mm fill an A4 page edge to edge (the common 21-up label stock).
COLUMNS, ROWS = 3, 7
LABEL_WIDTH, LABEL_HEIGHT = PAGE_WIDTH / COLUMNS, PAGE_HEIGHT / ROWS
PER_PAGE = COLUMNS * ROWS
QR_SIZE = 34 * mm
PAD = 4 * mm


def _draw_label(canvas: Canvas, instrument: RegisteredInstrument, url: str, *, x: float, y: float) -> None:
    """One label with its bottom-left corner at (x, y)."""
    draw_qr(canvas, url, x=x + PAD / 2, y=y + (LABEL_HEIGHT - QR_SIZE) / 2, size=QR_SIZE)
    text_x = x + PAD / 2 + QR_SIZE + 1 * mm
    width = LABEL_WIDTH - (text_x - x) - PAD / 2
    line_y = y + LABEL_HEIGHT - PAD - 3 * mm
    canvas.setFont(CJK_FONT, 10)
    canvas.drawString(text_x, line_y, instrument.code)
    line_y -= 5 * mm
    for text, size, max_lines in (
        (instrument.owner.name, 7, 3),
        (instrument.name, 7, 2),
        (_("扫码查检定状态、评价、反映问题"), 6, 2),
    ):
        canvas.setFont(CJK_FONT, size)
        for line in wrapped(text, size=size, width=width)[:max_lines]:
            canvas.drawString(text_x, line_y, line)
            line_y -= size * 0.45 * mm + 1.2 * mm
        line_y -= 1 * mm


def labels_pdf(
    instruments: Sequence[RegisteredInstrument], url_of: Callable[[RegisteredInstrument], str], *, title: str
) -> bytes:
    """Sheets of labels, 21 to a page, in the order given."""

    def draw(canvas: Canvas) -> None:
        for index, instrument in enumerate(instruments):
            if index and index % PER_PAGE == 0:
                canvas.showPage()
            slot = index % PER_PAGE
            row, column = divmod(slot, COLUMNS)
            x = column * LABEL_WIDTH
            y = PAGE_HEIGHT - (row + 1) * LABEL_HEIGHT
            _draw_label(canvas, instrument, url_of(instrument), x=x, y=y)

    return a4_pdf(draw, title=title)
