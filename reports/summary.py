"""The narrative 工作总结 as .docx (python-docx), from the same figures as the workbook's 总览.

Its structure is the bureau's usual one: 基本情况, 主要做法和成效 by workstream, 存在问题, 下一步打算,
each a SummaryTemplate row whose sentences are filled with reports.figures values (the bureau edits
the wording in the admin); then the best photos of approved records with their captions, and a table
of the figures (本期 / 累计), exactly the 总览 sheet's. The page header carries the bureau's name and
the date.

Templates are filled by name only ({key} or {key:format}): no attribute or index lookups, so an edited
template can reach nothing but the figures.
"""

from __future__ import annotations

import string
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from core.exporters import SheetContext
from reports.builders import Period, Progress, report_context
from reports.figures import FLOWS, STOCKS, Summary, report_summary
from reports.models import SummaryTemplate
from reports.selectors import report_photos
from reports.summary_defaults import DEFAULT_TEMPLATES

FONT = "仿宋"
CONTEXT_KEYS = ("campaign", "theme", "period", "unit", "today")
FIGURE_KEYS = [key for key, *_rest in FLOWS] + [key for key, *_rest in STOCKS]
TEMPLATE_KEYS = frozenset([*CONTEXT_KEYS, *FIGURE_KEYS, *(f"{key}_total" for key in FIGURE_KEYS)])
PHOTO_WIDTH = Cm(14)


def _fields(text: str) -> list[tuple[str, str]]:
    """(field name, format spec) of every placeholder; ValueError for a malformed template."""
    return [
        (name, spec or "")
        for _literal, name, spec, _conversion in string.Formatter().parse(text)
        if name is not None
    ]


def template_error(text: str) -> str | None:
    """Why a template cannot be filled, in the editor's words; None when it can."""
    try:
        fields = _fields(text)
    except ValueError:
        return _("花括号不成对：插入数字请写 {名称}，花括号本身请写 {{ 或 }}。")
    unknown = sorted({name for name, _spec in fields if name not in TEMPLATE_KEYS})
    if unknown:
        return _("不认识的名称：%(names)s。") % {"names": "、".join(unknown)}
    for name, spec in fields:
        try:
            format(Decimal(0) if name not in CONTEXT_KEYS else "", spec)
        except ValueError:
            return _("“%(name)s”的格式“%(spec)s”无效。") % {"name": name, "spec": spec}
    return None


def fill(text: str, values: dict[str, Any]) -> str:
    """The template with each {name} replaced by its value (names outside `values` stay as written)."""
    parts: list[str] = []
    for literal, name, spec, _conversion in string.Formatter().parse(text):
        parts.append(literal)
        if name is None:
            continue
        if name in values:
            parts.append(format(values[name], spec or ""))
        else:
            parts.append("{" + name + "}")
    return "".join(parts)


def templates() -> list[tuple[str, str]]:
    """(heading, text) of each section: the admin's rows, or the shipped wording when there are none."""
    rows = list(SummaryTemplate.objects.order_by("sort_order", "pk").values_list("heading", "text"))
    return rows or [(heading, text) for _key, heading, text in DEFAULT_TEMPLATES]


def summary_values(context: SheetContext, summary: Summary) -> dict[str, Any]:
    return {
        **summary.values(),
        "campaign": context.campaign.name,
        "theme": context.campaign.theme,
        "period": context.period_text,
        "unit": context.unit.name if context.unit is not None else context.reporting_unit,
        "today": context.today.strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月"),
    }


def _font(run: Any, *, size: int, bold: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes the Chinese font from eastAsia, which python-docx does not set by itself.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _heading(document: Any, text: str) -> None:
    level = 2 if text.startswith("（") else 1
    paragraph = document.add_heading(level=level)
    _font(paragraph.add_run(text), size=16 if level == 1 else 14, bold=True)


def _paragraph(document: Any, text: str, *, size: int = 14, center: bool = False) -> Any:
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), size=size)
    return paragraph


def figure_table_title(context: SheetContext) -> list[str]:
    period = _("本周新增") if context.week_from is not None else _("本期")
    return [_("工作"), _("指标"), period, _("累计")]


def write_summary(
    campaign: Any,
    out: IO[bytes],
    *,
    period: Period | None = None,
    unit: Any = None,
    preparer: str = "",
    progress: Progress | None = None,
) -> None:
    """Write the 工作总结 of the report's campaign, period and unit to `out`."""
    report = progress or (lambda percent: None)
    context = report_context(campaign, period=period, unit=unit, preparer=preparer)
    summary = report_summary(context)
    values = summary_values(context, summary)
    report(40)

    document = Document()
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(header.add_run(f"{campaign.notice_issuer}　　{values['today']}"), size=10)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    kind = _("工作周报") if context.week_from is not None else _("工作总结")
    _font(title.add_run(f"{campaign.name}{kind}"), size=22, bold=True)
    _paragraph(document, values["unit"] + "　" + context.period_text, size=12, center=True)

    for heading, text in templates():
        _heading(document, fill(heading, values))
        if text.strip():
            for line in fill(text, values).splitlines():
                if line.strip():
                    _paragraph(document, line.strip())
    report(60)

    photos = report_photos(
        campaign=campaign,
        date_from=context.week_from or context.date_from,
        date_to=context.date_to,
        unit_id=unit.pk if unit is not None else None,
    )
    if photos:
        _heading(document, _("附：活动照片"))
        for photo in photos:
            with photo.image.open("rb") as image:
                document.add_picture(image, width=PHOTO_WIDTH)
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _paragraph(document, photo.caption or str(photo.record or ""), size=12, center=True)
    report(80)

    _heading(document, _("附表：主要数据"))
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, figure_table_title(context), strict=True):
        cell.text = text
    for figure in summary.figures:
        cells = table.add_row().cells
        shown = "—" if figure.period is None else figure.period
        for cell, value in zip(cells, [figure.section, figure.label, shown, figure.total], strict=True):
            cell.text = str(value)
    document.save(out)
    report(100)
