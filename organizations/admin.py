from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin
from organizations.admin_scoping import UnitScopedAdminMixin
from organizations.models import SecurityEvent, Unit, User

admin.site.site_header = _("巫山县计量宣传活动管理平台")
admin.site.site_title = _("计量宣传活动管理")
admin.site.index_title = _("县局管理")


@admin.register(Unit)
class UnitAdmin(UnitScopedAdminMixin, SimpleHistoryAdmin):
    unit_scope_field = "pk"
    list_display = ["name", "short_name", "kind", "parent", "township", "is_active", "sort_order"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "township"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50


@admin.register(User)
class UserAdmin(UnitScopedAdminMixin, DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "name", "unit", "phone", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "unit__kind", "unit"]
    search_fields = ["username", "name", "phone", "email", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "unit", "phone", "email")}),
        (
            _("角色与权限"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "unit", "password1", "password2")}),
    )


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the log is written by organizations.security.security_event_log alone."""

    list_display = ["at", "kind", "username", "user", "ip", "path", "detail"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "ip", "path", "detail"]
    list_select_related = ["user"]
    date_hierarchy = "at"
    list_per_page = 100


# Roles are groups: their history (with their permissions) is browsable like every other record's.
admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(DjangoGroupAdmin, SimpleHistoryAdmin):
    pass
