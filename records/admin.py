"""The admin side of the record kit: every admin save, delete and bulk review goes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.access import sees_all_units
from records import services
from records.models import ReviewLog


class ReviewedRecordAdminMixin:
    """Admin behaviour of every submitted record: saved and deleted through the services (the same
    scope, permission, lock, allow-list, record-date rule and history as the workbench and the API),
    locked once approved, bulk approval, review fields read-only.

    Returning a record needs a reason, so it is done in the review queue or on the record's page.
    """

    review_readonly_fields = [
        "review_status",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
        "return_reason",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), *self.review_readonly_fields]  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool) -> None:
        model = type(obj)
        data = {name: value for name, value in form.cleaned_data.items() if name in model.record_fields}
        saved = services.record_save(
            actor=request.user,  # type: ignore[arg-type]
            model=model,
            record=obj if change else None,
            data=data,
            **self.record_owner(request, form, change),
        )
        # The admin saves inlines (photos) and m2m against `obj`: make it the saved row.
        obj.pk = saved.pk
        obj.refresh_from_db()

    def record_owner(self, request: HttpRequest, form: ModelForm[Any], change: bool) -> dict[str, Any]:
        """record_save's `unit` and `campaign`: the bureau may file or correct a record for any unit (an
        office's own unit is implied); a record type that derives them itself extends this."""
        if not sees_all_units(request.user):
            return {}
        return {key: form.cleaned_data[key] for key in ("unit", "campaign") if form.cleaned_data.get(key)}

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Many-to-many fields were set by the service; only inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)  # type: ignore[attr-defined]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.record_delete(actor=request.user, record=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for record in queryset:
            services.record_delete(actor=request.user, record=record)

    @admin.action(description=gettext_lazy("审核通过所选的已提交记录"), permissions=["review"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        result = services.records_review_bulk(actor=request.user, records=queryset, action="approve")
        message = _("已审核通过 %(done)d 条。") % {"done": result.done}
        if result.skipped:
            message += _("另有 %(skipped)d 条不是“已提交”状态，未处理。") % {"skipped": result.skipped}
        self.message_user(request, message, messages.SUCCESS)  # type: ignore[attr-defined]

    def has_review_permission(self, request: HttpRequest) -> bool:
        return services.may_review(request.user)


@admin.register(ReviewLog)
class ReviewLogAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor", "content_type", "object_id", "reason"]
    list_filter = ["action", "content_type", "at"]
    search_fields = ["reason", "actor__username", "actor__name"]
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # written by the review services only

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
