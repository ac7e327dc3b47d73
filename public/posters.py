"""The printable A4 poster of a station: its name and the QR code of its public page, drawn as vectors
so that it prints sharp at any size."""

from __future__ import annotations

import segno
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core.pdf import CJK_FONT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, a4_pdf, centred, wrapped
from microstations.models import MicroStation

QR_SIZE = 110 * mm


def draw_qr(canvas: Canvas, url: str, *, x: float, y: float, size: float) -> None:
    qr = segno.make(url, error="m")
    matrix = [list(row) for row in qr.matrix_iter(scale=1, border=2)]
    module = size / len(matrix)
    canvas.setFillColorRGB(0, 0, 0)
    for row_number, row in enumerate(matrix):
        top = y + size - (row_number + 1) * module
        for column, dark in enumerate(row):
            if dark:
                canvas.rect(x + column * module, top, module, module, stroke=0, fill=1)


def station_poster_pdf(station: MicroStation, url: str) -> bytes:
    def draw(canvas: Canvas) -> None:
        centred(canvas, _("民生计量科普宣传服务微站"), y=PAGE_HEIGHT - 35 * mm, size=28)
        y = PAGE_HEIGHT - 52 * mm
        for line in wrapped(station.name, size=18, width=PAGE_WIDTH - 2 * MARGIN):
            centred(canvas, line, y=y, size=18)
            y -= 9 * mm
        qr_top = y - 5 * mm
        draw_qr(canvas, url, x=(PAGE_WIDTH - QR_SIZE) / 2, y=qr_top - QR_SIZE, size=QR_SIZE)
        y = qr_top - QR_SIZE - 12 * mm
        centred(canvas, _("微信扫一扫：计量小贴士 · 手机变砝码 · 投诉建议"), y=y, size=16)
        canvas.setFont(CJK_FONT, 12)
        details = [
            _("承建单位：%(host)s") % {"host": station.host_name},
            _("地址：%(address)s") % {"address": f"{station.township}{station.address}"},
        ]
        if station.opening_hours:
            details.append(_("开放时间：%(hours)s") % {"hours": station.opening_hours})
        details.append(_("牌匾编号：%(plaque)s") % {"plaque": station.plaque_no})
        y -= 14 * mm
        for detail in details:
            for line in wrapped(detail, size=12, width=PAGE_WIDTH - 2 * MARGIN):
                canvas.drawString(MARGIN, y, line)
                y -= 7 * mm
        centred(canvas, _("巫山县市场监督管理局 · 投诉举报电话 12315"), y=MARGIN, size=12)

    return a4_pdf(draw, title=station.name)
