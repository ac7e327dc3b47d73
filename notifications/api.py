"""/api/v1/inbox/: the user's own messages (nobody reads another's inbox), newest first; POST …/{id}/read/
and …/read-all/ mark them read through the service, as the inbox page does."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api_fields import StrictModelSerializer
from notifications import selectors, services
from notifications.models import Notification


class NotificationSerializer(StrictModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class InboxFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False, help_text="只看未读")
    q = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=100, help_text="按标题搜索"
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次标为已读的条数")
    unread = serializers.IntegerField(help_text="剩余未读条数")


class InboxViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's inbox. Another user's message id is 404, as any id out of scope."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema only: reads go through the selector
    filter_backends: list[Any] = []  # the selector filters; no ordering or search over others' fields

    def get_queryset(self) -> QuerySet[Notification]:
        # A plain dict, not the QueryDict: DRF reads an empty form value as "not given", so unread=
        # would silently be false where the schema says a boolean.
        filters = InboxFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        return selectors.inbox_for_user(
            user=self.request.user,
            unread_only=filters.validated_data["unread"],
            search=filters.validated_data["q"],
        )

    @extend_schema(parameters=[InboxFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _marked(self, count: int) -> Response:
        return Response({"marked": count, "unread": selectors.unread_count(user=self.request.user)})

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: Any = None) -> Response:
        notification = self.get_object()
        return self._marked(
            services.notification_mark_read(user=request.user, notification_ids=[notification.pk])
        )

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return self._marked(services.notification_mark_read(user=request.user))
