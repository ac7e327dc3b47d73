from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from notifications.models import Delivery, Digest, Notification, UnitWebhook
from organizations.admin_scoping import UnitScopedAdminMixin


@admin.register(UnitWebhook)
class UnitWebhookAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["unit__name", "url"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    # A robot address typed without a scheme is https (Django 6's default; 5.2 warns unless told).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "recipient", "address", "status", "attempts", "error", "sent_at"]
    readonly_fields = ["channel", "recipient", "address", "status", "attempts", "error", "sent_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """The log is written by the services only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Digest)
class DigestAdmin(ReadOnlyLogAdmin):
    list_display = ["day", "kind", "audience", "unit", "subject", "status", "attempts", "completed_at"]
    list_filter = ["kind", "status", "day"]
    search_fields = ["subject", "body", "audience", "unit__name"]
    list_select_related = ["unit"]
    date_hierarchy = "day"
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyLogAdmin):
    list_display = [
        "created_at",
        "channel",
        "recipient",
        "address",
        "status",
        "attempts",
        "sent_at",
        "digest",
    ]
    list_filter = ["channel", "status", "created_at"]
    search_fields = ["address", "error", "recipient__username", "recipient__name", "digest__subject"]
    list_select_related = ["recipient", "digest"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyLogAdmin):
    list_display = ["created_at", "recipient", "subject", "read_at"]
    list_filter = ["read_at", "created_at"]
    search_fields = ["subject", "body", "recipient__username", "recipient__name"]
    list_select_related = ["recipient"]
