"""Excel exports of publicity activities and news items with their adoptions: the admin's export
actions (any review status, with a status column) and the summary workbook's "宣传活动" and "信息报送"
sheets (approved records only, as every official figure).

Rows stream from the database in chunks into write-only sheets; core.spreadsheets makes user
text safe (never a formula) and datetimes naive Shanghai time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from django.db.models import Prefetch, QuerySet

from core import spreadsheets as xl
from core.exporters import SheetContext, SheetExporter, register
from core.periods import period_q
from publicity.models import Adoption, NewsItem, PublicityActivity
from records.models import RecordQuerySet, SubmittedRecord

R = TypeVar("R", bound=SubmittedRecord)
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"

ACTIVITY_HEADERS = [
    "活动日期",
    "填报单位",
    "活动名称",
    "宣传渠道",
    "活动形式",
    "场所类型",
    "活动地点",
    "依托微站",
    "配合单位",
    "参加宣传员（人）",
    "参与群众（人次）",
    "发放资料（份）",
    "接受咨询（人次）",
    "海报/横幅",
    "“手机变砝码”标签",
    "免费检定/校准（台件）",
    "诚信计量承诺（家）",
    "发布平台",
    "作品形式",
    "作品链接",
    "阅读/播放量",
    "审核状态",
]


ACTIVITY_FORMATS = {0: DATE}


def activities_export(activities: QuerySet[PublicityActivity]) -> bytes:
    workbook = xl.new_workbook()
    xl.add_sheet(
        workbook, "宣传活动", ACTIVITY_HEADERS, activity_rows(activities), number_formats=ACTIVITY_FORMATS
    )
    return xl.workbook_bytes(workbook)


def activity_rows(activities: QuerySet[PublicityActivity]) -> Iterator[list[object]]:
    """One row per activity, streamed (the admin export and the summary report share it)."""
    return (
        [
            a.date,
            a.unit.name,
            a.title,
            a.get_channel_display(),
            a.get_form_display(),
            a.get_venue_type_display(),
            a.venue,
            a.station.name if a.station else "",
            "、".join([u.name for u in a.partner_units.all()] + ([a.partner_note] if a.partner_note else [])),
            a.volunteers_present,
            a.participants,
            a.materials_distributed,
            a.consultations,
            a.posters,
            a.phone_weight_labels,
            a.free_verifications,
            a.integrity_pledges,
            a.get_platform_display(),
            a.get_post_format_display(),
            a.url,
            a.views,
            a.get_review_status_display(),
        ]
        for a in activities.select_related("unit", "station")
        .prefetch_related("partner_units")
        .iterator(chunk_size=500)
    )


NEWS_HEADERS = ["报送时间", "报送单位", "标题", "审核状态", "采用次数", "最高采用级别", "采用情况"]
LEVEL_ORDER = list(Adoption.Level.values)


NEWS_FORMATS = {0: DATETIME}


def news_export(items: QuerySet[NewsItem]) -> bytes:
    workbook = xl.new_workbook()
    xl.add_sheet(workbook, "信息报送", NEWS_HEADERS, news_rows(items), number_formats=NEWS_FORMATS)
    return xl.workbook_bytes(workbook)


def news_rows(items: QuerySet[NewsItem]) -> Iterator[list[object]]:
    adoptions = Prefetch("adoptions", queryset=Adoption.objects.order_by("adopted_on", "pk"))

    def row(item: NewsItem) -> list[object]:
        adopted = list(item.adoptions.all())
        top = max(adopted, key=lambda a: LEVEL_ORDER.index(a.level), default=None)
        return [
            item.created_at,
            item.unit.name,
            item.title,
            item.get_review_status_display(),
            len(adopted),
            top.get_level_display() if top else "",
            "；".join(
                f"{a.adopted_on:%Y-%m-%d} {a.get_level_display()} {a.outlet} {a.url}".strip() for a in adopted
            ),
        ]

    return (
        row(item)
        for item in items.select_related("unit").prefetch_related(adoptions).iterator(chunk_size=500)
    )


def _in_report(queryset: RecordQuerySet[R], context: SheetContext, day: str) -> RecordQuerySet[R]:
    """The counted (approved) records of the report's campaign, period (by `day`) and unit."""
    records = queryset.counted().filter(
        period_q(day, context.date_from, context.date_to), campaign=context.campaign
    )
    if context.unit is not None:
        records = records.filter(unit=context.unit)
    return records


@register
class ActivitySheet(SheetExporter):
    """The approved activities of the period: the rows behind the report's publicity figures."""

    identifier = "publicity.activities"
    title = "宣传活动"
    order = 60
    headers = ACTIVITY_HEADERS
    number_formats = ACTIVITY_FORMATS

    def rows(self, context: SheetContext) -> Iterator[list[object]]:
        return activity_rows(
            _in_report(PublicityActivity.objects.all(), context, "date").order_by("date", "pk")
        )


@register
class NewsSheet(SheetExporter):
    """The approved news items of the period with their adoptions."""

    identifier = "publicity.news"
    title = "信息报送"
    order = 70
    headers = NEWS_HEADERS
    number_formats = NEWS_FORMATS

    def rows(self, context: SheetContext) -> Iterator[list[object]]:
        # An item is dated by when it was written.
        items = _in_report(NewsItem.objects.all(), context, "created_at__date")
        return news_rows(items.order_by("created_at", "pk"))
