"""/api/v1/reports/: ask for a workbook, poll its progress, download it, retry a failed one. The row is
the job (reports.services); who may see reports is reports.selectors (all units' figures: bureau and
leadership only)."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns.models import Campaign
from core.api_errors import Conflict, raise_as_api_error
from core.api_fields import StrictModelSerializer
from organizations.models import SecurityEvent
from organizations.security import security_event_log
from reports import selectors, services
from reports.models import Report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReportSerializer(StrictModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.order_by("-year"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    download_url = serializers.SerializerMethodField(help_text="生成完成后可下载；否则为空")

    class Meta:
        model = Report
        fields = [
            "id",
            "campaign",
            "kind",
            "kind_display",
            "date_from",
            "date_to",
            "status",
            "status_display",
            "progress",
            "failure_reason",
            "download_url",
            "created_at",
            "finished_at",
        ]
        read_only_fields = ["kind", "status", "progress", "failure_reason", "created_at", "finished_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise serializers.ValidationError({"date_to": [_("截止日期不能早于起始日期。")]})
        return attrs

    def get_download_url(self, obj: Report) -> str:
        if obj.status != Report.Status.DONE:
            return ""
        return reverse("api:report-download", args=[obj.pk])


class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Reports, newest first. POST asks for one (202: poll GET …/{id}/ until `status` is done), then
    GET …/{id}/download/. A report not built yet answers 409 on download."""

    serializer_class = ReportSerializer
    queryset = Report.objects.none()  # for the schema only: reads go through the selector
    filterset_fields = ["campaign", "kind", "status"]
    ordering_fields = ["created_at"]
    conflict_on_write = True
    conflict_actions = ("download",)

    def get_queryset(self) -> QuerySet[Report]:
        return selectors.report_list_for_user(user=self.request.user)  # 403 without view permission

    @extend_schema(responses={202: ReportSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not request.user.has_perm(services.REQUEST_PERMISSION):
            raise PermissionDenied(_("您没有生成报表的权限。"))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report = services.report_request(actor=request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise_as_api_error(exc)
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="Excel 工作簿"),
            (200, DOCX): OpenApiResponse(OpenApiTypes.BINARY, description="Word 文档"),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: Any = None) -> FileResponse:
        report = self.get_object()
        if report.status != Report.Status.DONE or not report.file:
            raise Conflict(
                _("报表尚未生成完成（当前为“%(status)s”）。") % {"status": report.get_status_display()}
            )
        security_event_log(kind=SecurityEvent.Kind.REPORT_DOWNLOAD, request=request, detail=report.filename)
        content_type = mimetypes.guess_type(report.file.name)[0] or XLSX
        return FileResponse(
            report.file.open("rb"), as_attachment=True, filename=report.filename, content_type=content_type
        )

    @extend_schema(request=None, responses={202: ReportSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: Any = None) -> Response:
        """Queue a failed report again (409 unless it failed)."""
        try:
            report = services.report_retry(actor=request.user, pk=self.get_object().pk)
        except DjangoValidationError as exc:
            raise_as_api_error(exc, conflict=True)
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)
