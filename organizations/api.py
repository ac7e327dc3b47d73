from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from organizations.access import scope_to_user
from organizations.models import Unit


class UnitSerializer(serializers.ModelSerializer):
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
