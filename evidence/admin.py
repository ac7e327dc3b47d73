"""The photo changelist (for those who see every unit) and the inline that workstream admins embed.

Photos are added only through the workstream forms (which check and re-encode them), never here.
The changelist is for users who see all units: scoping each photo through its parent's unit would
take a query per parent model, and offices reach their photos through their own records anyway.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from evidence.models import Photo
from evidence.services import photo_delete
from organizations.access import sees_all_units


def thumbnail_tag(photo: Photo, *, height: int = 60) -> SafeString:
    """The thumbnail as a link to the full image, both through the permission-checked views."""
    return format_html(
        '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" height="{}" loading="lazy"'
        ' class="evidence-admin-thumb"></a>',
        photo.get_absolute_url(),
        photo.thumbnail_url,
        photo.caption or photo.original_name,
        height,
    )


class PhotoDisplayMixin:
    @admin.display(description=_("缩略图"))
    def thumbnail_preview(self, obj: Photo) -> SafeString | str:
        return thumbnail_tag(obj) if obj.pk else "—"

    @admin.display(description=_("含位置"), boolean=True)
    def has_location(self, obj: Photo) -> bool:
        return obj.has_location


@admin.register(Photo)
class PhotoAdmin(PhotoDisplayMixin, SimpleHistoryAdmin):
    list_display = [
        "thumbnail_preview",
        "original_name",
        "content_type",
        "object_id",
        "taken_at",
        "has_location",
        "uploaded_by",
        "uploaded_at",
    ]
    list_display_links = ["original_name"]
    list_filter = [("content_type", admin.RelatedOnlyFieldListFilter), "uploaded_at"]
    search_fields = ["original_name", "sha256", "caption"]
    list_select_related = ["content_type", "uploaded_by"]
    ordering = ["-uploaded_at", "-pk"]
    list_per_page = 50
    fields = [
        "thumbnail_preview",
        "record_link",
        "caption",
        "original_name",
        "original_bytes",
        "sha256",
        "width",
        "height",
        "taken_at",
        "latitude",
        "longitude",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = [name for name in fields if name != "caption"]

    @admin.display(description=_("所属记录"))
    def record_link(self, obj: Photo) -> SafeString | str:
        record = obj.record
        if record is None:
            return str(_("（记录已删除）"))
        opts = record._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        except NoReverseMatch:
            return f"{opts.verbose_name}：{record}"
        return format_html('<a href="{}">{}：{}</a>', url, opts.verbose_name, record)

    def _sees_all(self, request: HttpRequest) -> bool:
        return sees_all_units(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Photo]:
        queryset = super().get_queryset(request)
        return queryset if self._sees_all(request) else queryset.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._sees_all(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._sees_all(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._sees_all(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._sees_all(request) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    # Deleting goes through the service so that the files go too, after the commit.
    def delete_model(self, request: HttpRequest, obj: Photo) -> None:
        photo_delete(actor=request.user, photo=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Photo]) -> None:
        for photo in queryset.select_related("content_type"):
            photo_delete(actor=request.user, photo=photo)


INLINE_FIELDS = (
    "thumbnail_preview",
    "original_name",
    "caption",
    "taken_at",
    "has_location",
    "uploaded_by",
    "uploaded_at",
)


class PhotoInline(PhotoDisplayMixin, GenericTabularInline):
    """Read-only photos of the record on its admin page: `inlines = [PhotoInline]` in a workstream admin.

    Seeing them follows the parent: whoever may view or change the record (its admin has already
    scoped it to their unit) sees its photos, whatever their permissions on Photo itself.
    """

    model = Photo
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    max_num = 0
    can_delete = False
    fields = INLINE_FIELDS
    readonly_fields = INLINE_FIELDS
    verbose_name = _("照片")
    verbose_name_plural = _("照片佐证")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Photo]:
        return super().get_queryset(request).select_related("uploaded_by")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        opts = self.parent_model._meta
        return any(
            request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
            for action in ("view", "change")
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
