from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Unit


class Campaign(models.Model):
    """One year's 5·20 World Metrology Day campaign, as its notice sets it."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    name = models.CharField(_("活动名称"), max_length=200)
    theme = models.CharField(_("主题"), max_length=200)
    metrology_day = models.DateField(_("世界计量日"))
    # The 2025 notice sets no start or end date: the bureau admin fills them in.
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    notice_title = models.CharField(_("通知标题"), max_length=300)
    notice_issuer = models.CharField(_("发文单位"), max_length=100)
    notice_text = models.TextField(_("通知全文"))
    reminder_days_ahead = models.PositiveSmallIntegerField(
        _("提前提醒天数"), default=3, help_text=_("任务到期前多少天起列入每日提醒")
    )
    escalation_days = models.PositiveSmallIntegerField(
        _("逾期升级天数"), default=3, help_text=_("任务逾期多少天后提醒县局领导")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("活动变更记录"))

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-year"]
        permissions = [("review_submissions", _("可审核各单位提交的记录"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="campaign_ends_after_it_starts",
                violation_error_message=_("结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, day: dt.date) -> bool:
        """Whether `day` lies within the campaign's dates (open ends count as unbounded)."""
        return (self.start_date is None or day >= self.start_date) and (
            self.end_date is None or day <= self.end_date
        )


class Workstream(models.Model):
    """One of the notice's numbered activities (二、(一)–(四))."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="workstreams"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    notice_ref = models.CharField(_("通知条目"), max_length=20, help_text=_("如“二（一）”"))
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("内容"), blank=True)

    history = HistoricalRecords(verbose_name=_("专项工作变更记录"))

    class Meta:
        verbose_name = _("专项工作")
        verbose_name_plural = _("专项工作")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"], name="workstream_number_unique_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_ref} {self.title}"


class Target(models.Model):
    """A figure the notice sets (e.g. 9 micro-stations); the actual is counted by the metric's registered function."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="targets"
    )
    workstream = models.ForeignKey(
        Workstream,
        verbose_name=_("专项工作"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
    )
    metric = models.CharField(_("指标代码"), max_length=60, help_text=_("由各专项工作模块登记的统计指标"))
    label = models.CharField(_("指标名称"), max_length=100)
    goal = models.PositiveIntegerField(_("目标值"))
    unit_label = models.CharField(_("计量单位"), max_length=10, blank=True)

    history = HistoricalRecords(verbose_name=_("目标变更记录"))

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["campaign", "workstream__number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "metric"], name="target_metric_unique_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.goal}{self.unit_label}"


class TaskQuerySet(models.QuerySet["Task"]):
    def for_unit(self, unit_id: int) -> TaskQuerySet:
        return self.filter(assignments__unit_id=unit_id)


class Task(models.Model):
    """A piece of work the notice gives to responsible units; each responsible unit signs for it."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="tasks"
    )
    workstream = models.ForeignKey(
        Workstream,
        verbose_name=_("专项工作"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        help_text=_("通知第三部分（工作保障）的任务不属于某项专项工作"),
    )
    notice_ref = models.CharField(_("通知条目"), max_length=20)
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("要求"), blank=True)
    due_date = models.DateField(_("完成时限"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("任务变更记录"))

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["campaign", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "notice_ref", "title"], name="task_title_unique_per_section"
            )
        ]

    def __str__(self) -> str:
        return self.title


class TaskParty(models.Model):
    """A responsible or cooperating party as the notice names it: one unit, or every unit of some kinds.

    "各市场监管所" is the kind 市场监管所; "价监科" is one unit. Assignments are made from these.
    """

    class Role(models.TextChoices):
        RESPONSIBLE = "responsible", _("责任单位")
        COOPERATING = "cooperating", _("配合单位")

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("职责"), max_length=20, choices=Role.choices)
    label = models.CharField(_("名称（按通知）"), max_length=100)
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, null=True, blank=True)
    unit_kinds = models.JSONField(
        _("单位类型"), default=list, blank=True, help_text=_("指定一类单位时填写，如全部市场监管所")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords(verbose_name=_("责任/配合单位变更记录"))

    class Meta:
        verbose_name = _("责任/配合单位")
        verbose_name_plural = _("责任/配合单位")
        ordering = ["task", "-role", "sort_order", "pk"]  # responsible ("r…") before cooperating

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.label}"

    def clean(self) -> None:
        if bool(self.unit_id) == bool(self.unit_kinds):
            raise ValidationError(_("请指定一个单位，或一类单位（二者选一）。"))
        unknown = set(self.unit_kinds) - set(Unit.Kind.values)
        if unknown:
            raise ValidationError({"unit_kinds": _("未知的单位类型：%s") % "、".join(sorted(unknown))})

    def matches(self, unit: Unit) -> bool:
        return unit.pk == self.unit_id if self.unit_id else unit.kind in self.unit_kinds


class AssignmentQuerySet(models.QuerySet["TaskAssignment"]):
    def open(self) -> AssignmentQuerySet:
        return self.exclude(status=TaskAssignment.Status.DONE)

    def overdue(self, today: dt.date) -> AssignmentQuerySet:
        return self.open().filter(task__due_date__lt=today)

    def due_within(self, today: dt.date, days: int) -> AssignmentQuerySet:
        return self.open().filter(
            task__due_date__gte=today, task__due_date__lte=today + dt.timedelta(days=days)
        )


class TaskAssignment(models.Model):
    """One responsible unit's share of a task: its 签收 and its progress. Overdue is derived, never stored."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待签收")
        ACKNOWLEDGED = "acknowledged", _("已签收")
        IN_PROGRESS = "in_progress", _("进行中")
        DONE = "done", _("已完成")

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("签收人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("开始办理时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    note = models.TextField(_("办理情况"), blank=True)
    created_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("签收办理记录"))

    class Meta:
        verbose_name = _("任务签收")
        verbose_name_plural = _("任务签收")
        # Undated tasks last on every database (SQLite and PostgreSQL disagree by default).
        ordering = [
            models.F("task__due_date").asc(nulls_last=True),
            "task__sort_order",
            "unit__sort_order",
            "pk",
        ]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="one_assignment_per_task_and_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.task}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:assignment_detail", args=[self.pk])

    def is_overdue(self, today: dt.date) -> bool:
        return (
            self.status != self.Status.DONE and self.task.due_date is not None and self.task.due_date < today
        )

    def days_left(self, today: dt.date) -> int | None:
        return None if self.task.due_date is None else (self.task.due_date - today).days


class ImportJob(models.Model):
    """A large .xlsx import, run by a worker: the row is the job (as reports.Report is).

    Written with its file in the request; a task imports it as the requester, all rows or none, and
    a sweep re-queues a job whose lease ran out, so a killed worker or a lost message loses nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.CASCADE, related_name="+"
    )
    # The key an app registered its import function under (campaigns/imports.py), "app_label.model_name".
    importer = models.CharField(_("导入类型"), max_length=100)
    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    imported_count = models.PositiveIntegerField(_("已导入条数"), default=0)
    # [{"row": 12, "messages": ["……"]}]: every failing row, as the inline import shows them.
    row_errors = models.JSONField(_("有误的行"), default=list, blank=True)
    failure_reason = models.CharField(_("失败原因"), max_length=500, blank=True)
    error = models.TextField(_("错误"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    lease_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="import_job_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name or self.importer} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        app_label, model_name = self.importer.split(".", 1)
        return reverse(f"admin:{app_label}_{model_name}_import_job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
