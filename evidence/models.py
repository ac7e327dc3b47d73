from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords


def photo_upload_to(instance: Any, filename: str) -> str:
    """A fresh random name: the uploader's file name never reaches the file system or a URL."""
    return f"evidence/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}.jpg"


def thumbnail_upload_to(instance: Any, filename: str) -> str:
    return f"evidence/{timezone.localdate():%Y/%m}/thumbs/{secrets.token_hex(16)}.jpg"


class Photo(models.Model):
    """One evidence photo attached to any record; who may see it follows the record's unit.

    The stored image is a metadata-free re-encoding; `sha256` is of the bytes as uploaded, so an
    original kept by the uploader can be shown to be the one this photo came from.
    """

    content_type = models.ForeignKey(ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    record = GenericForeignKey("content_type", "object_id")

    image = models.ImageField(_("照片"), upload_to=photo_upload_to, max_length=200)
    thumbnail = models.ImageField(_("缩略图"), upload_to=thumbnail_upload_to, max_length=200)
    sha256 = models.CharField(
        _("原始文件SHA-256"),
        max_length=64,
        db_index=True,
        validators=[RegexValidator(r"^[0-9a-f]{64}\Z", _("SHA-256 应为 64 位小写十六进制数。"))],
        help_text=_("上传原始文件的哈希值，用于证明照片未被篡改"),
    )
    original_name = models.CharField(_("原始文件名"), max_length=255)
    original_bytes = models.PositiveIntegerField(_("原始文件大小（字节）"))
    width = models.PositiveIntegerField(_("宽度（像素）"))
    height = models.PositiveIntegerField(_("高度（像素）"))
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="uploaded_photos",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True, db_index=True)

    history = HistoricalRecords(verbose_name=_("照片变更记录"))

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="evidence_photo_record_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="evidence_photo_location_complete",
                violation_error_message=_("纬度和经度须同时填写或同时留空。"),
            )
        ]

    def __str__(self) -> str:
        return self.original_name or str(_("照片 %(pk)s") % {"pk": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("evidence:image", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        return reverse("evidence:thumbnail", args=[self.pk])

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def pending_upload_to(instance: Any, filename: str) -> str:
    return f"evidence/pending/{secrets.token_hex(16)}.jpg"


class PendingPhoto(models.Model):
    """A photo uploaded as soon as it was picked, before its record exists or passes validation.

    The form carries a signed token naming it (evidence.pending), so a validation error does not cost
    the user a second upload; saving the record turns it into a Photo. Rows past `expires_at` are
    removed with their files by a periodic job.
    """

    image = models.ImageField(_("照片"), upload_to=pending_upload_to, max_length=200)
    thumbnail = models.ImageField(_("缩略图"), upload_to=pending_upload_to, max_length=200)
    sha256 = models.CharField(_("原始文件SHA-256"), max_length=64)
    original_name = models.CharField(_("原始文件名"), max_length=255)
    original_bytes = models.PositiveIntegerField(_("原始文件大小（字节）"))
    width = models.PositiveIntegerField(_("宽度（像素）"))
    height = models.PositiveIntegerField(_("高度（像素）"))
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.CASCADE,
        related_name="pending_photos",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), db_index=True)

    class Meta:
        verbose_name = _("待保存照片")
        verbose_name_plural = _("待保存照片")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
