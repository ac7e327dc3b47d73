"""django-otp's TOTP device admin, in Chinese, with its device pages answering an unknown id with 404.

django-otp's model fields carry no verbose names and plain-string help (nothing for a catalogue to
translate), so the admin's form, read-only fields, columns, filters and section titles are named here.
Field attributes are left alone: changing them would show up as a migration of django-otp's app.

django-otp's config and QR-code views fetch the device with `TOTPDevice.objects.get(pk=pk)`, so an id
nobody has (a stale link, a typo) is a 500 with a traceback. Here the device is looked up in the
admin's own queryset first; the views themselves (permission check, rendering) stay django-otp's.
This module loads after django-otp's admin: wushan_metrology is last in INSTALLED_APPS.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

# The device's fields, as the form labels them and the help under each.
DEVICE_LABELS = {
    "user": _("用户"),
    "name": _("设备名称"),
    "confirmed": _("已启用"),
    "key": _("密钥"),
    "step": _("时间步长（秒）"),
    "t0": _("计时起点（时间戳，秒）"),
    "digits": _("动态口令位数"),
    "tolerance": _("允许偏差（步）"),
    "drift": _("时钟偏移（步）"),
    "last_t": _("最近验证时间步"),
    "throttling_failure_timestamp": _("最近一次验证失败时间"),
    "throttling_failure_count": _("连续验证失败次数"),
}
DEVICE_HELP = {
    "user": _("使用此设备登录管理后台的用户。"),
    "name": _("便于识别的名称，如“张科长的手机”。"),
    "confirmed": _("已在身份验证器中绑定并验证过动态口令。"),
    "key": _("十六进制密钥，最多 40 字节；一般不需修改。"),
    "step": _("每个动态口令的有效时长。"),
    "t0": _("开始计算时间步的 Unix 时间。"),
    "digits": _("身份验证器显示的数字位数。"),
    "tolerance": _("前后各允许几个时间步的口令，用于容忍手机时间误差。"),
    "drift": _("已知的手机时钟与服务器时钟相差的时间步数。"),
    "last_t": _("最近一次验证通过的时间步；之后只接受更晚的口令。"),
    "throttling_failure_timestamp": _("最近一次验证失败的时间；验证成功后清空。"),
    "throttling_failure_count": _("连续失败的次数；失败越多，下次可验证前等待越久。"),
}
SECTION_TITLES = {
    "Identity": _("设备"),
    "Timestamps": _("时间"),
    "Configuration": _("口令参数"),
    "State": _("状态"),
    "Throttling": _("失败限制"),
}
# django-otp's read-only fields and columns, shown through methods with Chinese names.
READ_ONLY_NAMES = {"created_at": "created", "last_used_at": "last_used"}


class DeviceForm(forms.ModelForm):
    class Meta:
        model = TOTPDevice
        fields = list(DEVICE_LABELS)
        labels = DEVICE_LABELS
        help_texts = DEVICE_HELP


def titled(filter_class: type[admin.FieldListFilter], title: Any) -> type[admin.FieldListFilter]:
    """A list filter headed by `title` (a filter reads its heading from the field's verbose name)."""

    class Titled(filter_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class DeviceAdmin(TOTPDeviceAdmin):
    form = DeviceForm
    list_display = ["owner", "name_column", "created", "last_used", "confirmed_column"]
    list_filter = [
        ("created_at", titled(admin.DateFieldListFilter, _("创建时间"))),
        ("last_used_at", titled(admin.DateFieldListFilter, _("最近使用时间"))),
        ("confirmed", titled(admin.BooleanFieldListFilter, _("已启用"))),
    ]
    readonly_fields = ["created", "last_used", "qrcode_link"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            (
                SECTION_TITLES.get(title, title) if title else title,
                {**options, "fields": [READ_ONLY_NAMES.get(f, f) for f in options["fields"]]},
            )
            for title, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("用户"), ordering="user")
    def owner(self, device: TOTPDevice) -> Any:
        return device.user

    @admin.display(description=_("设备名称"), ordering="name")
    def name_column(self, device: TOTPDevice) -> str:
        return device.name

    @admin.display(description=_("已启用"), boolean=True, ordering="confirmed")
    def confirmed_column(self, device: TOTPDevice) -> bool:
        return device.confirmed

    @admin.display(description=_("创建时间"), ordering="created_at")
    def created(self, device: TOTPDevice) -> Any:
        return device.created_at

    @admin.display(description=_("最近使用时间"), ordering="last_used_at")
    def last_used(self, device: TOTPDevice) -> Any:
        return device.last_used_at

    @admin.display(description=_("二维码"))
    def qrcode_link(self, device: TOTPDevice) -> str:
        if device.pk is None:
            return ""
        url = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', url, _("查看二维码"))

    def config_view(self, request: HttpRequest, pk: Any) -> HttpResponse:
        get_object_or_404(self.get_queryset(request), pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request: HttpRequest, pk: Any) -> HttpResponse:
        get_object_or_404(self.get_queryset(request), pk=pk)
        return super().qrcode_view(request, pk)


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, DeviceAdmin)
