from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import ListView

from notifications import selectors, services
from notifications.forms import InboxFilterForm


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    context_object_name = "notifications"
    paginate_by = 20

    def get_queryset(self) -> Any:
        self.filter_form = InboxFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.inbox_for_user(
            user=self.request.user, unread_only=bool(filters.get("unread")), search=filters.get("q", "")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=self.filter_form,
            querystring=query.urlencode(),
            unread=selectors.unread_count(user=self.request.user),
        )
        return context


@login_required
@require_GET
def unread_count(request: HttpRequest) -> JsonResponse:
    """The header's badge asks for this after the page has loaded, so no page pays for it."""
    response = JsonResponse({"unread": selectors.unread_count(user=request.user)})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's message is out of scope like any other id: 404, nothing marked.
    if not selectors.inbox_for_user(user=request.user).filter(pk=pk).exists():
        raise Http404
    services.notification_mark_read(user=request.user, notification_ids=[pk])
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_read(user=request.user)
    messages.success(request, _("已将 %(count)d 条消息标为已读。") % {"count": count})
    return redirect("notifications:inbox")
