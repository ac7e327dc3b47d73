"""The certificate of service a volunteer downloads at the campaign's end (approved acts only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core.pdf import CJK_FONT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, a4_pdf, centred, wrapped
from volunteers.models import Volunteer


def certificate_available(volunteer: Volunteer, totals: dict[str, Any], today: dt.date | None = None) -> bool:
    """After the campaign's last day, for a volunteer with at least one approved act."""
    end = volunteer.campaign.end_date
    today = today or timezone.localdate()
    return end is not None and today > end and totals["acts"] > 0


def certificate_pdf(volunteer: Volunteer, totals: dict[str, Any]) -> bytes:
    campaign, station = volunteer.campaign, volunteer.station
    body = _(
        "%(name)s同志在%(campaign)s中，作为“%(station)s”的%(kind)s，"
        "经审核开展计量科普宣传 %(acts)s 次，服务 %(hours)s 小时，覆盖群众 %(people)s 人次。"
        "特发此证，以资鼓励。"
    ) % {
        "name": volunteer.name,
        "campaign": campaign.name,
        "station": station.name,
        "kind": volunteer.get_kind_display(),
        "acts": totals["acts"],
        "hours": totals["hours"],
        "people": totals["people"],
    }
    issuer = station.supervising_unit.name
    issued_on = timezone.localdate()

    def draw(canvas: Canvas) -> None:
        canvas.setLineWidth(2)
        canvas.rect(MARGIN / 2, MARGIN / 2, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN)
        centred(canvas, _("志愿服务证明"), y=PAGE_HEIGHT - 60 * mm, size=32)
        centred(canvas, campaign.theme or "", y=PAGE_HEIGHT - 75 * mm, size=14)
        canvas.setFont(CJK_FONT, 16)
        y = PAGE_HEIGHT - 105 * mm
        for line in wrapped(body, size=16, width=PAGE_WIDTH - 2 * MARGIN - 20 * mm):
            canvas.drawString(MARGIN + 10 * mm, y, line)
            y -= 10 * mm
        canvas.setFont(CJK_FONT, 14)
        if volunteer.number:
            canvas.drawString(
                MARGIN + 10 * mm, 95 * mm, _("志愿者编号：%(number)s") % {"number": volunteer.number}
            )
        canvas.drawRightString(PAGE_WIDTH - MARGIN - 10 * mm, 80 * mm, issuer)
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN - 10 * mm, 70 * mm, f"{issued_on.year}年{issued_on.month}月{issued_on.day}日"
        )

    return a4_pdf(draw, title=_("志愿服务证明 · %(name)s") % {"name": volunteer.name})
