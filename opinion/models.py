"""The 舆情 desk: levels with their clocks (data the bureau edits) and the incidents offices handle.

Split out of publicity with its tables kept (migrations 0001 moved the state and the content types).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.history import HistoricalRecords
from organizations.models import Unit
from publicity.fields import WebLinkField


class OpinionLevel(models.Model):
    """A 舆情 level and its clocks, as data the bureau edits (seeded by a data migration).

    The seeded hours follow the national rule for 政务舆情 (国办发〔2016〕61号 and its follow-ups):
    answer within 48 h in general; for 重大/特别重大 events publish authoritative information within
    5 h and hold a press conference within 24 h. The report-to-county windows are the bureau's own
    (the notice asks for major events to be reported "及时"); all of them are editable in the admin.
    """

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("级别"), max_length=20, unique=True)
    rank = models.PositiveSmallIntegerField(_("严重程度排序"), default=0, help_text=_("数字越大越严重"))
    report_deadline_hours = models.PositiveIntegerField(
        _("向县局报告时限（小时）"), help_text=_("自发现时起，须在此时限内向县局报告")
    )
    response_deadline_hours = models.PositiveIntegerField(
        _("回应时限（小时）"), help_text=_("自发现时起，须在此时限内发布权威信息或回应")
    )
    press_conference_hours = models.PositiveIntegerField(
        _("新闻发布时限（小时）"), null=True, blank=True, help_text=_("需要举行新闻发布会的级别填写")
    )
    alert_leadership = models.BooleanField(
        _("逾期提醒县局领导"), default=False, help_text=_("逾期未报告时，除县局管理员外同时提醒县局领导")
    )
    guidance = models.TextField(_("处置要求"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    # The tables predate this app (they were publicity's).
    history = HistoricalRecords(
        verbose_name=_("舆情级别变更记录"), table_name="publicity_historicalopinionlevel"
    )

    class Meta:
        db_table = "publicity_opinionlevel"
        verbose_name = _("舆情级别")
        verbose_name_plural = _("舆情级别")
        ordering = ["rank", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report_deadline_hours__gt=0) & Q(response_deadline_hours__gt=0),
                name="opinion_level_hours_positive",
                violation_error_message=_("报告和回应时限须大于 0 小时。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeadlineState(models.TextChoices):
    MET = "met", _("按时")
    LATE = "late", _("超时完成")
    PENDING = "pending", _("未到时限")
    OVERDUE = "overdue", _("已逾期")


def deadline_state(*, deadline: dt.datetime, done_at: dt.datetime | None, now: dt.datetime) -> str:
    if done_at is not None:
        return DeadlineState.MET if done_at <= deadline else DeadlineState.LATE
    return DeadlineState.OVERDUE if now > deadline else DeadlineState.PENDING


class OpinionIncident(models.Model):
    """A 舆情 event the handling unit found or was given: its assessment, handling and response.

    已发现 → 研判 → 处置中 → 已办结, moved only by opinion.services. The deadlines are derived from the
    discovery time and the level's hours, never stored, so editing a level's hours moves them.
    """

    # The unit handling the incident (the user's unit, set server-side) owns it.
    unit_scope_field = "handling_unit"
    # What a form or the API may set when logging or editing an incident; the status and the closing
    # fields move only through opinion.services.incident_transition, the owner and campaign never.
    record_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "discovered_at",
        "discovered_by",
        "source",
        "platform",
        "url",
        "summary",
        "domain",
        "involved_party",
        "reach",
        "sentiment",
        "level",
        "assessment",
        "actions",
        "reported_to_county_at",
        "response",
        "responded_at",
    )

    class Source(models.TextChoices):
        ONLINE_MEDIA = "online_media", _("网络媒体")
        SELF_MEDIA = "self_media", _("微博/微信/抖音/快手等自媒体")
        FORUM = "forum", _("论坛贴吧")
        TRADITIONAL = "traditional", _("传统媒体")
        HOTLINE = "hotline", _("12345/12315 转办")
        SUPERIOR = "superior", _("上级交办")
        OTHER = "other", _("其他")

    class Domain(models.TextChoices):
        SCALES = "scales", _("电子计价秤")
        FUEL = "fuel", _("加油机")
        METERS = "meters", _("民用“三表”")
        TAXI = "taxi", _("出租车计价器")
        CHARGING = "charging", _("电动汽车充电桩")
        GLASSES = "glasses", _("眼镜制配")
        OTHER = "other", _("其他计量问题")

    class Sentiment(models.TextChoices):
        NEGATIVE = "negative", _("负面")
        NEUTRAL = "neutral", _("中性")
        POSITIVE = "positive", _("正面")

    class Status(models.TextChoices):
        DISCOVERED = "discovered", _("已发现")
        ASSESSING = "assessing", _("研判")
        HANDLING = "handling", _("处置中")
        CLOSED = "closed", _("已办结")

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("舆情标题"), max_length=150)
    discovered_at = models.DateTimeField(_("发现时间"), db_index=True)
    discovered_by = models.CharField(_("发现人"), max_length=50)
    source = models.CharField(_("舆情来源"), max_length=20, choices=Source.choices)
    platform = models.CharField(_("发布平台"), max_length=50, blank=True, help_text=_("如：抖音、本地论坛"))
    url = WebLinkField(_("原帖链接"), blank=True)
    summary = models.TextField(_("舆情摘要"))
    domain = models.CharField(_("涉及领域"), max_length=20, choices=Domain.choices)
    involved_party = models.CharField(_("涉事主体"), max_length=150, blank=True)
    reach = models.PositiveIntegerField(
        _("传播量"), null=True, blank=True, help_text=_("阅读、转发、评论的大致数量")
    )
    sentiment = models.CharField(
        _("情感倾向"), max_length=10, choices=Sentiment.choices, default=Sentiment.NEGATIVE
    )
    level = models.ForeignKey(
        OpinionLevel, verbose_name=_("舆情级别"), on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.TextField(_("研判意见"), blank=True)
    handling_unit = models.ForeignKey(
        Unit, verbose_name=_("处置单位"), on_delete=models.PROTECT, related_name="+"
    )
    actions = models.TextField(_("处置措施"), blank=True)
    reported_to_county_at = models.DateTimeField(_("向县局报告时间"), null=True, blank=True)
    response = models.TextField(_("回应内容"), blank=True)
    responded_at = models.DateTimeField(_("回应时间"), null=True, blank=True)
    handling_summary = models.TextField(_("办结情况"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    status = models.CharField(
        _("处置状态"), max_length=20, choices=Status.choices, default=Status.DISCOVERED, db_index=True
    )
    created_by = models.ForeignKey(
        "organizations.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(
        verbose_name=_("舆情变更记录"), table_name="publicity_historicalopinionincident"
    )

    class Meta:
        db_table = "publicity_opinionincident"
        verbose_name = _("舆情")
        verbose_name_plural = _("舆情")
        ordering = ["-discovered_at", "-pk"]
        indexes = [models.Index(fields=["handling_unit", "status"], name="opinionincident_unit_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed")
                | (Q(closed_on__isnull=False) & ~Q(response="") & ~Q(handling_summary="")),
                name="closed_incident_has_response_and_summary",
                violation_error_message=_("办结的舆情须填写回应内容、办结情况和办结日期。"),
            ),
            models.CheckConstraint(
                condition=Q(reported_to_county_at__isnull=True)
                | Q(reported_to_county_at__gte=models.F("discovered_at")),
                name="incident_reported_after_discovery",
                violation_error_message=_("向县局报告时间不能早于发现时间。"),
            ),
            models.CheckConstraint(
                condition=Q(responded_at__isnull=True) | Q(responded_at__gte=models.F("discovered_at")),
                name="incident_responded_after_discovery",
                violation_error_message=_("回应时间不能早于发现时间。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opinion:incident_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def report_deadline(self) -> dt.datetime:
        return self.discovered_at + dt.timedelta(hours=self.level.report_deadline_hours)

    @property
    def response_deadline(self) -> dt.datetime:
        return self.discovered_at + dt.timedelta(hours=self.level.response_deadline_hours)

    def report_state(self, now: dt.datetime | None = None) -> str:
        return deadline_state(
            deadline=self.report_deadline, done_at=self.reported_to_county_at, now=now or timezone.now()
        )

    def response_state(self, now: dt.datetime | None = None) -> str:
        return deadline_state(
            deadline=self.response_deadline, done_at=self.responded_at, now=now or timezone.now()
        )

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        now = timezone.now()
        if self.discovered_at and self.discovered_at > now:
            errors["discovered_at"] = _("发现时间不能晚于现在。")
        for name, label in (("reported_to_county_at", _("向县局报告时间")), ("responded_at", _("回应时间"))):
            value = getattr(self, name)
            if value is None:
                continue
            if value > now:
                errors[name] = _("%(field)s不能晚于现在。") % {"field": label}
            elif self.discovered_at and value < self.discovered_at:
                errors[name] = _("%(field)s不能早于发现时间。") % {"field": label}
        if errors:
            raise ValidationError(errors)
