"""A report is a row first: written in the same transaction that asks for it, built by a task, and
re-queued by a sweep when its lease runs out, so a killed worker or a lost message loses nothing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.history import HistoricalRecords


class Report(models.Model):
    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("周报")
        FINAL = "final", _("总结报表")
        ON_DEMAND = "on_demand", _("即时报表")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel 汇总报表（.xlsx）")
        DOCX = "docx", _("Word 工作总结（.docx）")

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    # Scheduled reports carry a key ("weekly:2025-05-23", "final") so that a double beat makes one row.
    key = models.CharField(_("计划标识"), max_length=40, blank=True)
    date_from = models.DateField(_("统计起始日期"), null=True, blank=True)
    date_to = models.DateField(_("统计截止日期"), null=True, blank=True)
    # A report for one unit covers that unit's records only; none covers every unit.
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("统计单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    format = models.CharField(_("格式"), max_length=10, choices=Format.choices, default=Format.XLSX)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    file = models.FileField(_("文件"), upload_to="reports/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    lease_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    # What went wrong, in words the requester can act on (shown on the report list); `error` keeps the
    # exception text for the administrator.
    failure_reason = models.CharField(_("失败原因"), max_length=500, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("汇总报表")
        verbose_name_plural = _("汇总报表")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "key"], condition=~Q(key=""), name="one_scheduled_report_per_key"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.campaign} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("reports:download", args=[self.pk])

    def clean(self) -> None:
        # The request form checks this too; the admin's form and the service reach the row only here.
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValidationError({"date_to": _("截止日期不能早于起始日期。")})

    @property
    def filename(self) -> str:
        stamp = (self.finished_at or self.created_at).strftime("%Y%m%d-%H%M")
        name = "工作总结" if self.format == Report.Format.DOCX else self.get_kind_display()
        return f"{self.campaign.name}-{name}-{stamp}.{self.format}"

    @property
    def week_from(self) -> dt.date | None:
        """A weekly report's first day: its figures are 本周新增 beside 累计."""
        return self.date_from if self.kind == Report.Kind.WEEKLY else None


class SummaryTemplate(models.Model):
    """One section of the .docx 工作总结: a heading and sentences with {figure} placeholders.

    The builder fills them with the report's figures (reports.figures); the bureau edits the wording
    in the admin. A missing row falls back to the wording shipped in reports.summary_defaults.
    """

    key = models.SlugField(_("段落标识"), max_length=40, unique=True)
    heading = models.CharField(_("标题"), max_length=100)
    text = models.TextField(
        _("内容模板"),
        blank=True,
        help_text=_(
            "用 {名称} 插入数字，如 {station_activities} 为本期微站活动场次，{station_activities_total} 为累计。"
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    # Every edit is audited: who changed the wording and when (saved only through reports.services).
    history = HistoricalRecords(verbose_name=_("工作总结模板变更记录"))

    editable_fields = ("key", "heading", "text", "sort_order")

    class Meta:
        verbose_name = _("工作总结模板")
        verbose_name_plural = _("工作总结模板")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.heading

    def clean(self) -> None:
        from reports.summary import template_error

        error = template_error(self.text) or template_error(self.heading)
        if error:
            raise ValidationError({"text": error})
