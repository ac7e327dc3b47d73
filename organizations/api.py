from typing import cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_fields import StrictModelSerializer
from organizations.access import scope_to_user
from organizations.models import Unit, User


class UnitSerializer(StrictModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "kind", "kind_display", "parent", "township", "is_active"]


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units: everyone who sees all units reads the whole registry; others read their own unit."""

    serializer_class = UnitSerializer
    filterset_fields = ["kind", "is_active", "parent"]
    search_fields = ["name", "short_name", "township"]
    ordering_fields = ["sort_order", "name"]

    def get_queryset(self) -> QuerySet[Unit]:
        return scope_to_user(Unit.objects.order_by("sort_order", "name"), self.request.user, unit_field="pk")


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.IntegerField(allow_null=True)
    unit_name = serializers.CharField(allow_blank=True)
    roles = serializers.ListField(child=serializers.CharField())
    token = serializers.CharField(
        allow_null=True, help_text="本人的 API 令牌（由县局管理员在后台发放或重置）；未发放时为空"
    )
    token_created = serializers.DateTimeField(allow_null=True)


class MeView(APIView):
    """The signed-in user, their unit and roles, and their own API token (each user sees only theirs)."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)
        token = Token.objects.filter(user=user).first()
        return Response(
            MeSerializer(
                {
                    "id": user.pk,
                    "username": user.get_username(),
                    "name": user.name,
                    "unit": user.unit_id,
                    "unit_name": user.unit.name if user.unit else "",
                    "roles": sorted(user.groups.values_list("name", flat=True)),
                    "token": token.key if token else None,
                    "token_created": token.created if token else None,
                }
            ).data
        )
