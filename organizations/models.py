from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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

    history = HistoricalRecords(verbose_name=_("用户变更记录"), excluded_fields=["password", "last_login"])

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
