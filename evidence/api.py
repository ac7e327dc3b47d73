"""Evidence photos over the API: how a photo is shown, and a multipart upload checked exactly as the
forms' PhotoField checks it (size, pixels, real image, re-encoding). Saving is the record's service's."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework import serializers

from core.api_fields import StrictModelSerializer
from evidence.forms import PhotoField
from evidence.models import Photo
from evidence.processing import ProcessedPhoto


class PhotoSerializer(StrictModelSerializer):
    image_url = serializers.SerializerMethodField(help_text="照片（需登录，按记录所属单位限定）")
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = [
            "id",
            "image_url",
            "thumbnail_url",
            "sha256",
            "original_name",
            "original_bytes",
            "width",
            "height",
            "taken_at",
            "latitude",
            "longitude",
            "caption",
            "uploaded_at",
        ]
        read_only_fields = fields

    def get_image_url(self, obj: Photo) -> str:
        return reverse("evidence:image", args=[obj.pk])

    def get_thumbnail_url(self, obj: Photo) -> str:
        return reverse("evidence:thumbnail", args=[obj.pk])


class PhotoUploadSerializer(serializers.Serializer):
    """multipart/form-data with one or more `photos` files."""

    photos = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False, use_url=False),
        allow_empty=False,
        help_text="一张或多张照片（JPEG/PNG/HEIC 等），与表单相同的大小与像素限制",
    )

    def validate_photos(self, files: list[Any]) -> list[ProcessedPhoto]:
        try:
            return PhotoField(required=True).clean(files)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
