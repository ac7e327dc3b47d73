from __future__ import annotations

from typing import Any

import simple_history
from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from rest_framework.authtoken.models import Token

from core.history import HistoricalRecords


class ChangedOnlyHistoricalRecords(HistoricalRecords):
    """History that skips a save which changed no tracked field.

    A login saves only `last_login`, and beat saves a schedule's run count after every run: neither
    is a change anyone audits, and both would bury the real changes.
    """

    def post_save(self, instance: Any, created: bool, using: str | None = None, **kwargs: Any) -> None:
        if not created and not kwargs.get("raw", False) and not self._tracked_fields_changed(instance, using):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def _tracked_fields_changed(self, instance: Any, using: str | None) -> bool:
        manager = getattr(type(instance), self.manager_name)
        latest = (
            manager.using(using)
            .filter(**{instance._meta.pk.attname: instance.pk})
            .order_by("-history_date", "-history_id")
            .first()
        )
        if latest is None:
            return True
        return any(
            getattr(instance, field.attname) != getattr(latest, field.attname)
            for field in self.fields_included(instance)
        )


class Unit(models.Model):
    """A unit of the bureau (科室, 所, 队) or a cooperating organisation (utility, market, station)."""

    class Kind(models.TextChoices):
        SECTION = "section", _("科室")
        ENFORCEMENT = "enforcement", _("执法大队")
        OFFICE = "office", _("市场监管所")
        UTILITY = "utility", _("公用企业")
        MARKET = "market", _("集贸市场")
        GAS_STATION = "gas_station", _("加油站")
        TESTING = "testing", _("检测机构")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    township = models.CharField(_("乡镇/街道"), max_length=50, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("单位变更记录"))

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["sort_order", "name"]
        permissions = [
            ("view_all_units", _("可查看全部单位的数据")),
            ("view_full_phone", _("可查看完整的个人电话号码")),
            ("scope_as_cooperator", _("按承建微站查看和填报（协办单位）")),
            ("review_supervised_entries", _("可审核本所监管的宣传员和协办单位填报的记录")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A login. Its unit scopes what it sees; its groups are its roles (organizations.roles.Role)."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    history = ChangedOnlyHistoricalRecords(
        verbose_name=_("用户变更记录"), excluded_fields=["password", "last_login"]
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name or self.username


class SecurityEvent(models.Model):
    """One security-relevant event: a login, a failure, a lockout, a refusal, a download. Kept 180 days
    (`SECURITY_EVENT_RETENTION_DAYS`); written only by `organizations.security.security_event_log`."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOCKED_OUT = "locked_out", _("账号锁定")
        LOGOUT = "logout", _("退出登录")
        PERMISSION_DENIED = "permission_denied", _("拒绝访问")
        EXPORT = "export", _("导出数据")
        REPORT_DOWNLOAD = "report_download", _("下载报表")

    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    path = models.CharField(_("地址"), max_length=500, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("安全日志")
        verbose_name_plural = _("安全日志")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username}"


# History of the third-party models whose changes matter (roles and their permissions, API tokens,
# beat schedules); their history tables live in this app so that our migrations create them.
simple_history.register(
    Group, app="organizations", m2m_fields=["permissions"], verbose_name=_("角色变更记录")
)
simple_history.register(Token, app="organizations", verbose_name=_("API 令牌变更记录"))
simple_history.register(
    PeriodicTask,
    app="organizations",
    records_class=ChangedOnlyHistoricalRecords,
    excluded_fields=["last_run_at", "total_run_count", "date_changed"],
    verbose_name=_("定时任务变更记录"),
)
simple_history.register(CrontabSchedule, app="organizations", verbose_name=_("定时计划变更记录"))
