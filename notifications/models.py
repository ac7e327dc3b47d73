"""The inbox, per-unit webhook channels, and the log of every message sent.

A Digest is one message to one audience for one (kind, day): its unique key is the claim that makes
reminders idempotent, and its lease lets a periodic sweep finish deliveries a killed worker left.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from organizations.models import Unit


class Notification(models.Model):
    """One message in a user's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.subject


class UnitWebhook(models.Model):
    """A unit's 企业微信 or 钉钉 group robot; the secret signs 钉钉 requests."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="webhooks")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(
        _("加签密钥"), max_length=200, blank=True, help_text=_("钉钉机器人“加签”安全设置的密钥")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    # The signing secret is not copied into history rows.
    history = HistoricalRecords(verbose_name=_("推送渠道变更记录"), excluded_fields=["secret"])

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        ordering = ["unit", "kind"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"


class Robot(models.Model):
    """A 企业微信 or 钉钉 group robot outside the bureau's units (e.g. an instrument owner's), that
    notices go to; whoever keeps the contact it belongs to creates and edits it."""

    kind = models.CharField(_("类型"), max_length=20, choices=UnitWebhook.Kind.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(
        _("加签密钥"), max_length=200, blank=True, help_text=_("钉钉机器人“加签”安全设置的密钥")
    )
    label = models.CharField(_("名称"), max_length=150, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords(verbose_name=_("外部群机器人变更记录"), excluded_fields=["secret"])

    class Meta:
        verbose_name = _("外部群机器人")
        verbose_name_plural = _("外部群机器人")
        ordering = ["label", "pk"]

    def __str__(self) -> str:
        return f"{self.label} · {self.get_kind_display()}" if self.label else self.get_kind_display()


class Digest(models.Model):
    """One message for one audience, kind and day; created once, delivered until every channel is done."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        DONE = "done", _("已发送")
        PARTIAL = "partial", _("部分失败")

    kind = models.CharField(_("类型"), max_length=40)
    audience = models.CharField(_("对象"), max_length=60, help_text=_("如 unit:12 或 leadership"))
    day = models.DateField(_("日期"))
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, null=True, blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    url = models.CharField(_("链接"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    lease_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒批次")
        verbose_name_plural = _("提醒批次")
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "audience", "day"], name="one_digest_per_kind_audience_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.subject}"


class Delivery(models.Model):
    """One sending of a digest over one channel to one recipient (a user, or a unit's robot)."""

    class Channel(models.TextChoices):
        INBOX = "inbox", _("站内消息")
        EMAIL = "email", _("电子邮件")
        WECOM = "wecom", _("企业微信")
        DINGTALK = "dingtalk", _("钉钉")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")

    digest = models.ForeignKey(
        Digest, verbose_name=_("提醒批次"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    webhook = models.ForeignKey(
        UnitWebhook, verbose_name=_("群机器人"), on_delete=models.SET_NULL, null=True, blank=True
    )
    robot = models.ForeignKey(
        Robot, verbose_name=_("外部群机器人"), on_delete=models.SET_NULL, null=True, blank=True
    )
    address = models.CharField(_("地址"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "digest"], name="delivery_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address or self.recipient}"
