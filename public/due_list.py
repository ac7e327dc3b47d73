"""The quarterly public list of 强检 instruments due or overdue (the 安吉 practice): a page and an .xlsx
of the same rows, for a quarter picked by year and number. Public fields only: owner, type, instrument
name, the date it runs out and whether that is within the quarter or already past."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import exporters
from core import spreadsheets as xl
from instruments.models import RegisteredInstrument
from instruments.selectors import instruments_due_or_overdue


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        following = (
            dt.date(self.year + 1, 1, 1) if self.number == 4 else dt.date(self.year, 3 * self.number + 1, 1)
        )
        return following - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return _("%(year)d 年第 %(n)d 季度") % {"year": self.year, "n": self.number}


class DueListForm(forms.Form):
    """The quarter (this one by default) and a search of the owner's name or the place."""

    year = forms.IntegerField(label=gettext_lazy("年份"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("季度"),
        choices=[("", gettext_lazy("本季度")), *[(n, f"Q{n}") for n in range(1, 5)]],
        coerce=int,
        required=False,
        empty_value=None,
    )
    q = forms.CharField(
        label=gettext_lazy("搜索"), required=False, max_length=100, help_text=gettext_lazy("使用单位名称")
    )

    def quarter_asked(self) -> Quarter:
        current = Quarter.of(timezone.localdate())
        if not self.is_valid():
            return current
        data = self.cleaned_data
        return Quarter(data.get("year") or current.year, data.get("quarter") or current.number)


def due_rows(quarter: Quarter, search: str = "") -> QuerySet[RegisteredInstrument]:
    """The quarter's list (one query): what runs out within it, and what had already run out before it."""
    rows = instruments_due_or_overdue(start=quarter.start, end=quarter.end)
    if search.strip():
        rows = rows.filter(Q(owner__name__icontains=search.strip()))
    # By the day each runs out (a meter has only its service-life end), the same on every database.
    return rows.order_by(Coalesce("valid_until", "service_life_end"), "owner__name", "pk")


def runs_out_on(instrument: RegisteredInstrument) -> dt.date | None:
    """The date the instrument needs verifying (periodic) or replacing (first verification only)."""
    if instrument.instrument_type.first_verification_only:
        return instrument.service_life_end
    dates = [d for d in (instrument.valid_until, instrument.service_life_end) if d is not None]
    return min(dates) if dates else None


def state_label(instrument: RegisteredInstrument, quarter: Quarter) -> str:
    day = runs_out_on(instrument)
    replace = instrument.instrument_type.first_verification_only or (
        instrument.service_life_end is not None and day == instrument.service_life_end
    )
    if day is not None and day < quarter.start:
        return _("已超期未轮换") if replace else _("已超期未检")
    return _("本季度到期轮换") if replace else _("本季度到期检定")


HEADERS = ["序号", "使用单位", "器具类型", "器具名称", "到期日期", "状态", "器具码"]


def table_rows(
    instruments: Iterable[RegisteredInstrument], quarter: Quarter, *, start: int = 1
) -> Iterable[Sequence[Any]]:
    for number, instrument in enumerate(instruments, start=start):
        yield [
            number,
            instrument.owner.name,
            instrument.instrument_type.name,
            instrument.name,
            runs_out_on(instrument),
            state_label(instrument, quarter),
            instrument.code,
        ]


def due_list_xlsx(quarter: Quarter, search: str = "") -> bytes:
    workbook = xl.new_workbook()
    styles = exporters.Styles(workbook)
    title = _("强检计量器具到期及超期名单")
    exporters.write_table(
        workbook,
        styles,
        title=title,
        heading=f"{quarter.label} {title}",
        lines=[
            [
                _("发布单位：巫山县市场监督管理局"),
                _("统计期间：%(start)s 至 %(end)s") % {"start": quarter.start, "end": quarter.end},
            ],
            # Two lines, as every official table has, so that the header stands on row 4.
            [_("发布日期：%(day)s") % {"day": timezone.localdate()}],
        ],
        headers=HEADERS,
        rows=table_rows(due_rows(quarter, search).iterator(chunk_size=500), quarter),
        number_formats={4: exporters.DATE},
        widths=[6, 30, 16, 16, 12, 14, 14],
    )
    return xl.workbook_bytes(workbook)
