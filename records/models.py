"""What every record an office submits shares, once: the base model, its review states and log, the
one definition of an official figure (`counted()`), and the record-date rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from organizations.models import Unit

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

R = TypeVar("R", bound="SubmittedRecord")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")


class Reviewer(models.TextChoices):
    """Who reviews a submitted record, stored when it is submitted (records.services.reviewer_route)."""

    BUREAU = "bureau", _("县局")
    OFFICE = "office", _("市场监管所")


def review_queue_index(name: str) -> models.Index:
    """The review queue's read of one record type: submitted, by reviewer, oldest submission first.

    The unit (an office's queue is its own unit's) and the id (what the page returns) close it, so the
    queue's count and page are read from the index alone, without a visit to the table (PostgreSQL at
    100k records: 116 ms -> 18 ms for the count, 111 ms -> 38 ms for the page, under load).
    Every concrete record type lists it in its Meta.indexes (an abstract model's indexes are not
    inherited by a child that declares its own Meta).
    """
    return models.Index(fields=["review_status", "reviewer", "submitted_at", "unit", "id"], name=name)


def counted_q(prefix: str = "") -> Q:
    """The one rule of an official figure, as a condition: the bureau approved the record.

    `prefix` reaches a record through a relation (e.g. ``"activities__"``) for conditional aggregates.
    """
    return Q(**{f"{prefix}review_status": ReviewStatus.APPROVED})


def pending_q(prefix: str = "") -> Q:
    """Records shown beside official figures as 待审核: submitted, not yet reviewed."""
    return Q(**{f"{prefix}review_status": ReviewStatus.SUBMITTED})


class RecordQuerySet(models.QuerySet[R]):
    def counted(self) -> RecordQuerySet[R]:
        """What official figures (tables, cards, charts, rankings, targets, reports) count: approved only."""
        return self.filter(counted_q())

    def pending(self) -> RecordQuerySet[R]:
        """What awaits review; shown beside the official figure, never added into it."""
        return self.filter(pending_q())


def record_date_error(campaign: Campaign, day: dt.date) -> _StrPromise | str | None:
    """Why `day` cannot be a record's date, or None: it must fall in the campaign and not in the future."""
    if not campaign.covers(day):
        return _("日期须在活动期间（%(start)s 至 %(end)s）内。") % {
            "start": campaign.start_date or "—",
            "end": campaign.end_date or "—",
        }
    if day > timezone.localdate():
        return _("日期不能晚于今天。")
    return None


class SubmittedRecord(models.Model):
    """What every record an office submits shares: its unit, its campaign and the review state machine.

    草稿 → 已提交 → 已通过 (locked) | 已退回 (with a reason; the office edits and resubmits). Every write
    goes through records.services (record_save, record_submit / record_approve / record_return), whatever
    the door; each step is logged in ReviewLog and every change in the concrete model's history.

    A concrete record declares `record_fields`, the fields a form, the API or an import may set (the
    save service refuses any other), and `record_date_field`, the date the record-date rule checks.
    """

    # The lookup organizations.access scopes by (evidence and the admin read it too).
    unit_scope_field = "unit"
    record_fields: ClassVar[tuple[str, ...]] = ()
    record_date_field: ClassVar[str | None] = "date"
    # Numeric fields each approved record adds to the precomputed figures (Fact), beside its count.
    fact_fields: ClassVar[tuple[str, ...]] = ()
    # Relations `counted_facts()` reads, prefetched when a campaign's figures are recounted.
    fact_prefetch: ClassVar[tuple[str, ...]] = ()

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        "organizations.User", verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    review_status = models.CharField(
        _("审核状态"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # Who reviews it, decided by the routing rule (records.services.office_reviewed_q) when it is
    # submitted; the review queue reads it through `review_queue_index`. Empty until submitted.
    reviewer = models.CharField(
        _("审核方"), max_length=10, choices=Reviewer.choices, blank=True, default="", editable=False
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "organizations.User",
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; a record past its draft that no service routed (a fixture, a demo builder, an import
        of reviewed rows) gets its reviewer from the routing rule right after (two queries)."""
        super().save(*args, **kwargs)
        if self.review_status != ReviewStatus.DRAFT and not self.reviewer:
            from records.services import reviewer_route  # the rule lives with the services

            self.reviewer = reviewer_route(self)
            type(self)._default_manager.filter(pk=self.pk).update(reviewer=self.reviewer)

    @property
    def is_locked(self) -> bool:
        return self.review_status == ReviewStatus.APPROVED

    @property
    def can_submit(self) -> bool:
        return self.review_status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED)

    @property
    def awaiting_review(self) -> bool:
        return self.review_status == ReviewStatus.SUBMITTED

    def derive_owner(self) -> None:
        """Set fields that follow from others (e.g. an activity's unit from its station); a hook."""

    def fact_day(self) -> dt.date:
        """The day the record's figures fall on: its record date, else the day it was written."""
        day = getattr(self, self.record_date_field, None) if self.record_date_field else None
        if isinstance(day, dt.date):
            return day
        return timezone.localdate(self.created_at) if self.created_at else timezone.localdate()

    def fact_key(self) -> str:
        """What splits the record type's figures (e.g. a channel or a domain); a hook."""
        return ""

    def counted_facts(self) -> dict[tuple[str, str], Decimal]:
        """What this record adds to the official figures when counted: {(metric, key): value}.

        A record type with figures that are not plain sums (e.g. an inspection's listed instruments)
        extends it.
        """
        key = self.fact_key()
        facts = {("count", key): Decimal(1)}
        for name in self.fact_fields:
            facts[(name, key)] = Decimal(getattr(self, name) or 0)
        return facts

    def clean(self) -> None:
        super().clean()
        name = self.record_date_field
        day = getattr(self, name, None) if name else None
        if name and isinstance(day, dt.date) and self.campaign_id is not None:
            error = record_date_error(self.campaign, day)
            if error:
                raise ValidationError({name: error})


class ReviewLog(models.Model):
    """Who submitted, approved or returned which record, when, and why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("提交")
        APPROVED = "approved", _("通过")
        RETURNED = "returned", _("退回")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("记录类型"))
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    record = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        "organizations.User", verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        # The table predates this app (it was campaigns.ReviewLog).
        db_table = "campaigns_reviewlog"
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="reviewlog_record_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.actor} · {self.at:%Y-%m-%d %H:%M}"


class SubmissionKey(models.Model):
    """A form render's idempotency key: a second POST with the same key finds the record the first made."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey("organizations.User", on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提交防重令牌")
        verbose_name_plural = _("提交防重令牌")

    def __str__(self) -> str:
        return self.key


def record_types() -> list[type[SubmittedRecord]]:
    """Every concrete submitted-record model, in INSTALLED_APPS order."""
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, SubmittedRecord)]


def content_type_of(record: Any) -> ContentType:
    return ContentType.objects.get_for_model(record, for_concrete_model=False)


class Fact(models.Model):
    """A precomputed official figure: what one unit's approved records of one type and day add up to.

    Kept in step by records.facts in the same transaction as every counted change (an approval, a
    follow-up on an approved record), so the dashboard sums a few hundred rows instead of every record.
    `metric` is "count" or a summed field of the record type; `key` splits it (a channel, a domain,
    an inspected party) or is "".
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    record_type = models.CharField(max_length=60)
    metric = models.CharField(max_length=60)
    key = models.CharField(max_length=60, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("统计事实")
        verbose_name_plural = _("统计事实")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "record_type", "metric", "key", "unit", "day"], name="fact_cell_unique"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "updated_at"], name="fact_campaign_updated"),
            # A list's figures line reads one record type's cells (records.lists), whatever the campaign.
            models.Index(fields=["record_type", "campaign", "day"], name="fact_type_campaign_day"),
            # One key's cells of a record type in any campaign (a station's activities on the station list).
            models.Index(fields=["record_type", "key", "metric"], name="fact_type_key"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type}.{self.metric}[{self.key}] {self.day} = {self.value}"
