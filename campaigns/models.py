from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
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
    # Section 三（一）: frugality. 5,000 yuan is a default for the bureau to change (verify).
    cost_flag_threshold = models.DecimalField(
        _("经费提示线（元）"),
        max_digits=10,
        decimal_places=2,
        default=Decimal(5000),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("单项活动经费超过此数额时在看板和计划页标出，供审核"),
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
    # A stable name for a task the seed or a clone made, so that renaming it never makes it "missing".
    key = models.CharField(_("标识"), max_length=60, blank=True, editable=False)
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
            ),
            models.UniqueConstraint(
                fields=["campaign", "key"], condition=~Q(key=""), name="task_key_unique_per_campaign"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PartyGroup(models.Model):
    """A group the notice names ("各市场监管所", "各相关科所队"): every active unit of some kinds, less the
    units taken out, plus the units added. A unit created later, or changing kind, joins at once."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="party_groups"
    )
    label = models.CharField(_("名称（按通知）"), max_length=100)
    unit_kinds = models.JSONField(_("单位类型"), default=list, blank=True)
    excluded_units = models.ManyToManyField(
        Unit,
        verbose_name=_("不含单位"),
        blank=True,
        related_name="+",
        help_text=_("属于上述类型但不参加的单位"),
    )
    added_units = models.ManyToManyField(
        Unit,
        verbose_name=_("另含单位"),
        blank=True,
        related_name="+",
        help_text=_("不属于上述类型但参加的单位"),
    )

    history = HistoricalRecords(verbose_name=_("单位组变更记录"), m2m_fields=[excluded_units, added_units])

    class Meta:
        verbose_name = _("单位组")
        verbose_name_plural = _("单位组")
        ordering = ["campaign", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "label"], name="party_group_label_unique_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        unknown = set(self.unit_kinds) - set(Unit.Kind.values)
        if unknown:
            raise ValidationError({"unit_kinds": _("未知的单位类型：%s") % "、".join(sorted(unknown))})

    def _ids(self, name: str) -> set[int]:
        # Prefetched (planning pages, syncs) or read once per instance.
        cache = self.__dict__.setdefault("_member_cache", {})
        if name not in cache:
            cache[name] = {unit.pk for unit in getattr(self, name).all()}
        return cache[name]

    def includes(self, unit: Unit) -> bool:
        if unit.pk in self._ids("added_units"):
            return True
        return unit.kind in self.unit_kinds and unit.pk not in self._ids("excluded_units")


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
    group = models.ForeignKey(
        PartyGroup,
        verbose_name=_("单位组"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parties",
        help_text=_("指定一组单位时填写，如“各相关科所队”，其成员可在活动计划中调整"),
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
        if [bool(self.unit_id), bool(self.unit_kinds), bool(self.group_id)].count(True) != 1:
            raise ValidationError(_("请指定一个单位、一类单位或一个单位组（三者选一）。"))
        unknown = set(self.unit_kinds) - set(Unit.Kind.values)
        if unknown:
            raise ValidationError({"unit_kinds": _("未知的单位类型：%s") % "、".join(sorted(unknown))})

    def matches(self, unit: Unit) -> bool:
        if self.unit_id:
            return unit.pk == self.unit_id
        if self.group_id:
            return self.group.includes(unit)  # type: ignore[union-attr]
        return unit.kind in self.unit_kinds


# The deadline that holds for one unit: its own, else the task's. Every query about lateness uses it.
EFFECTIVE_DUE = Coalesce("due_date", "task__due_date")


class AssignmentQuerySet(models.QuerySet["TaskAssignment"]):
    def with_due(self) -> AssignmentQuerySet:
        """Annotates `effective_due`, the deadline that holds for the assignment's unit."""
        return self.annotate(effective_due=EFFECTIVE_DUE)

    def open(self) -> AssignmentQuerySet:
        return self.exclude(status=TaskAssignment.Status.DONE)

    def overdue(self, today: dt.date) -> AssignmentQuerySet:
        return self.open().with_due().filter(effective_due__lt=today)  # type: ignore[misc]  # annotated

    def due_within(self, today: dt.date, days: int) -> AssignmentQuerySet:
        return (
            self.open()
            .with_due()
            .filter(  # type: ignore[misc]  # annotated by with_due
                effective_due__gte=today, effective_due__lte=today + dt.timedelta(days=days)
            )
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
    due_date = models.DateField(
        _("本单位完成时限"), null=True, blank=True, help_text=_("留空则按任务的完成时限")
    )
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
            EFFECTIVE_DUE.asc(nulls_last=True),
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

    @property
    def due(self) -> dt.date | None:
        """The deadline that holds for this unit: its own, else the task's."""
        return self.due_date or self.task.due_date

    def is_overdue(self, today: dt.date) -> bool:
        due = self.due
        return self.status != self.Status.DONE and due is not None and due < today

    def days_left(self, today: dt.date) -> int | None:
        due = self.due
        return None if due is None else (due - today).days


class Milestone(models.Model):
    """A checkpoint within a task: a date and a figure to reach by then (e.g. 9 stations open by 05-20)."""

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("节点"), max_length=200)
    due_date = models.DateField(_("节点日期"))
    metric = models.CharField(
        _("指标代码"),
        max_length=60,
        blank=True,
        help_text=_("由各专项工作模块登记的统计指标；留空则只看日期"),
    )
    goal = models.PositiveIntegerField(_("目标值"), null=True, blank=True)

    history = HistoricalRecords(verbose_name=_("节点变更记录"))

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["task", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(metric="", goal__isnull=True) | (~Q(metric="") & Q(goal__isnull=False)),
                name="milestone_metric_and_goal_together",
                violation_error_message=_("指标和目标值须同时填写或同时留空。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.due_date:%m-%d} {self.title}"


class ReportingWindow(models.Model):
    """A period for which the units of a group must each report records of some types (as DHIS2's
    data-set periods): one report dated within the window, submitted by its due date, is on time."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="reporting_windows"
    )
    label = models.CharField(_("报送期"), max_length=60, help_text=_("如“第3周”“6月”"))
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("截止日期"))
    due_date = models.DateField(_("报送时限"))
    group = models.ForeignKey(
        PartyGroup,
        verbose_name=_("报送单位"),
        on_delete=models.PROTECT,
        related_name="reporting_windows",
    )
    # "app_label.model_name" of submitted-record models (campaigns.reporting lists them).
    record_types = models.JSONField(_("报送内容"), default=list)

    history = HistoricalRecords(verbose_name=_("报送期变更记录"))

    class Meta:
        verbose_name = _("报送期")
        verbose_name_plural = _("报送期")
        ordering = ["campaign", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")) & Q(due_date__gte=models.F("end_date")),
                name="reporting_window_dates_in_order",
                violation_error_message=_("截止日期不能早于起始日期，报送时限不能早于截止日期。"),
            ),
            models.UniqueConstraint(
                fields=["campaign", "group", "start_date"], name="one_reporting_window_per_group_and_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}（{self.start_date:%m-%d}—{self.end_date:%m-%d}）"


class WorkRequirement(models.Model):
    """A 工作要求 of the notice's section 三 (frugality, coordination, 长效机制) as a checklist item:
    who answers for it, how far it is, and the evidence (text and photos) that it was met. The owning
    unit's staff report on it; who may see it and its photos follows the owner (`unit_scope_field`)."""

    unit_scope_field: ClassVar[str] = "owner"

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("未开始")
        IN_PROGRESS = "in_progress", _("推进中")
        MET = "met", _("已落实")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="requirements"
    )
    notice_ref = models.CharField(_("通知条目"), max_length=20)
    title = models.CharField(_("工作要求"), max_length=200)
    description = models.TextField(_("要求"), blank=True)
    owner = models.ForeignKey(
        Unit, verbose_name=_("负责单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.TextField(
        _("落实情况"), blank=True, help_text=_("做了什么、凭什么可证（文件、链接、照片所在记录）")
    )
    progress = models.CharField(
        _("进展"), max_length=20, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    # When it was marked 已落实 (cleared if it is taken back): set with `progress`, never on its own.
    met_at = models.DateTimeField(_("确认落实时间"), null=True, blank=True)
    # The seed's stable name for the item (as Task.key).
    key = models.CharField(_("标识"), max_length=60, blank=True, editable=False)

    history = HistoricalRecords(verbose_name=_("工作要求变更记录"))

    class Meta:
        verbose_name = _("工作要求")
        verbose_name_plural = _("工作要求")
        # In the notice's order, as seeded: "三（二）" sorts after "三（三）" by code point.
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "key"], condition=~Q(key=""), name="requirement_key_unique_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_ref} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:requirement", args=[self.pk])

    @property
    def is_met(self) -> bool:
        return self.progress == self.Progress.MET


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
    # The receipt of an Excel round trip: rows that registered something new, changed an existing
    # record, or named one without changing it (an edited export re-imported).
    created_count = models.PositiveIntegerField(_("新增条数"), default=0)
    updated_count = models.PositiveIntegerField(_("更新条数"), default=0)
    unchanged_count = models.PositiveIntegerField(_("无变化条数"), default=0)
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
