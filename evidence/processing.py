"""Checking and re-encoding uploaded evidence photos.

Everything here works on bytes and returns plain data: nothing touches the database or storage, so
a form can check every photo of a submission before a service saves any of them.

The order of the steps is deliberate:
- the byte limit is checked before anything is read, and the pixel limit right after the header is
  parsed, so an oversize file or a decompression bomb never reaches a decoder;
- EXIF time and GPS are read before the pixels are decoded (they live in the header) and the output
  carries no metadata at all, so location and device data leave only through the model's fields;
- the image is shrunk before it is rotated upright: `Image.thumbnail` lets the JPEG decoder skip
  detail (draft mode) only while nothing has been decoded yet, and the square bounding box makes the
  result the same whichever way the photo is turned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import math
import re
import struct
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Phones in the campaign shoot HEIC by default; the plugin only adds a decoder to Pillow.
pillow_heif.register_heif_opener()

DEFAULT_MAX_UPLOAD_BYTES = 15 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000
DEFAULT_MAX_EDGE = 2560
THUMBNAIL_EDGE = 480
JPEG_QUALITY = 85

# Only these decoders ever see an upload: Pillow's other plugins (EPS, PSD, TIFF, ...) are a needless
# attack surface for phone photos. Multi-picture JPEGs (MPO) open through the JPEG plugin.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")

_RESAMPLE_MODES = frozenset({"RGB", "RGBA", "L", "LA", "CMYK"})

# Cameras record wall-clock time without a zone; the campaign happens in Wushan.
CAMERA_TIME_ZONE = ZoneInfo("Asia/Shanghai")
EXIF_DATETIME_FORMAT = "%Y:%m:%d %H:%M:%S"
_EXIF_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")

# How Pillow's decoders report damaged input: its plugins raise any of these, not only OSError.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, RuntimeError, EOFError, IndexError, struct.error)
# Malformed metadata never rejects a photo whose pixels are fine: the fields just stay empty.
_METADATA_ERRORS = (*_DECODE_ERRORS, TypeError, KeyError, ZeroDivisionError, ArithmeticError)


@dataclass(frozen=True)
class ProcessedPhoto:
    """An upload that passed every check, re-encoded and ready to be saved by `photos_attach`."""

    jpeg: bytes = field(repr=False)
    thumbnail: bytes = field(repr=False)
    sha256: str
    width: int
    height: int
    taken_at: dt.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    original_name: str
    original_bytes: int
    # Set when the photo was uploaded ahead of its form (evidence.pending); attaching it consumes the row.
    pending_id: int | None = None

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def process_upload(uploaded_file: UploadedFile) -> ProcessedPhoto:
    """Check one uploaded photo and re-encode it; raises ValidationError (in Chinese, naming the file)."""
    name = _display_name(uploaded_file)
    _reject_unsafe_name(name)
    max_bytes = int(getattr(settings, "EVIDENCE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))
    max_pixels = int(getattr(settings, "EVIDENCE_MAX_PIXELS", DEFAULT_MAX_PIXELS))
    max_edge = int(getattr(settings, "EVIDENCE_MAX_EDGE", DEFAULT_MAX_EDGE))

    buffer, sha256, size = _read_within_limit(uploaded_file, name=name, max_bytes=max_bytes)

    # Pillow warns (and past twice its limit raises) about huge images while parsing the header;
    # either way it is the same bomb as one over our own, lower, limit. catch_warnings is not
    # thread-safe, but a lost or leaked filter is harmless here: the explicit check below still holds.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(buffer, formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _reject_too_many_pixels(name, max_pixels)
        except UnidentifiedImageError:
            _reject_unidentified(buffer, name)
        except _DECODE_ERRORS as exc:
            _reject_corrupt(name, exc)

        with image:
            if image.width * image.height > max_pixels:
                _reject_too_many_pixels(name, max_pixels)
            try:
                if image.format == "PNG":
                    # PNG may keep its EXIF after the pixel data; PNG has no draft mode to lose.
                    image.load()
                taken_at, latitude, longitude = _read_metadata(image)
                # Palette, 1-bit and 16-bit images resize badly or not at all: give them colour first.
                working = image if image.mode in _RESAMPLE_MODES else _to_rgb(image)
                working.thumbnail((max_edge, max_edge))
                ImageOps.exif_transpose(working, in_place=True)
                photo = _to_rgb(working)
                thumbnail = photo.copy()
                thumbnail.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
                jpeg_bytes = _encode_jpeg(photo)
                thumbnail_bytes = _encode_jpeg(thumbnail)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                _reject_too_many_pixels(name, max_pixels)
            except _DECODE_ERRORS as exc:
                _reject_corrupt(name, exc)

    return ProcessedPhoto(
        jpeg=jpeg_bytes,
        thumbnail=thumbnail_bytes,
        sha256=sha256,
        width=photo.width,
        height=photo.height,
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
        original_name=name,
        original_bytes=size,
    )


def _display_name(uploaded_file: UploadedFile) -> str:
    # Kept only for display and messages; stored files always get random names.
    raw = str(uploaded_file.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return raw[:255] or _("（未命名）")


# Anywhere in a name, these make it a file a web server or a browser might run or render.
EXECUTABLE_EXTENSIONS = frozenset(
    {
        *("php", "php3", "php4", "php5", "php7", "phtml", "phar", "pht"),
        *("asp", "aspx", "ashx", "asmx", "cer", "jsp", "jspx", "cgi", "pl", "py", "rb", "sh", "bash"),
        *("exe", "dll", "com", "bat", "cmd", "msi", "scr", "pif", "ps1", "vbs", "vbe", "wsf", "jar", "apk"),
        *("js", "mjs", "html", "htm", "xhtml", "shtml", "svg", "svgz", "xml", "swf", "hta", "htaccess"),
    }
)


def _reject_unsafe_name(name: str) -> None:
    """Refuse `x.jpg.php`, `x.php.jpg`, `x.exe`, `x.svg`…, an executable extension anywhere in the
    name: the content is checked and re-encoded anyway, but a name like that is an attack, and it is
    shown as given. Other wrong extensions fall through to the format check, which names the format."""
    parts = name.lower().rstrip(". ").split(".")
    extensions = [part.strip() for part in parts[1:]]
    if not extensions:
        return
    if any(part in EXECUTABLE_EXTENSIONS for part in extensions):
        _reject(
            _(
                "照片“%(name)s”的文件名含可执行或双重扩展名，不予接收；请改为 .jpg、.png 等图片文件名后重新上传。"
            ),
            "unsafe_name",
            name=name,
        )


def _read_within_limit(
    uploaded_file: UploadedFile, *, name: str, max_bytes: int
) -> tuple[io.BytesIO, str, int]:
    """The upload's bytes and their SHA-256, hashed as they are read; refused past `max_bytes`."""
    declared = uploaded_file.size
    if declared is not None and declared > max_bytes:
        _reject_too_large(name, max_bytes)
    digest = hashlib.sha256()
    buffer = io.BytesIO()
    # The declared size comes from the client's multipart stream: count what actually arrives.
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
        buffer.write(chunk)
        if buffer.tell() > max_bytes:
            _reject_too_large(name, max_bytes)
    size = buffer.tell()
    if size == 0:
        _reject(_("照片“%(name)s”不是可识别的图片文件。"), "not_an_image", name=name)
    buffer.seek(0)
    return buffer, digest.hexdigest(), size


def _read_metadata(image: Image.Image) -> tuple[dt.datetime | None, Decimal | None, Decimal | None]:
    try:
        exif = image.getexif()
        exif_ifd = exif.get_ifd(ExifTags.IFD.Exif)
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except _METADATA_ERRORS:
        return None, None, None
    latitude, longitude = _gps_position(gps_ifd)
    return _taken_at(exif_ifd), latitude, longitude


def _exif_text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value).strip("\x00 \t\r\n") if value is not None else ""


def _taken_at(exif_ifd: dict[int, Any]) -> dt.datetime | None:
    """DateTimeOriginal as an aware datetime: its own offset tag if the camera wrote one, else Wushan time."""
    raw = _exif_text(exif_ifd.get(ExifTags.Base.DateTimeOriginal))
    try:
        naive = dt.datetime.strptime(raw, EXIF_DATETIME_FORMAT)  # noqa: DTZ007 (zone attached below)
    except ValueError:
        return None
    zone: dt.tzinfo = CAMERA_TIME_ZONE
    offset = _EXIF_OFFSET.match(_exif_text(exif_ifd.get(ExifTags.Base.OffsetTimeOriginal)))
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        delta = dt.timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3)))
        if delta <= dt.timedelta(hours=14):
            zone = dt.timezone(sign * delta)
    return naive.replace(tzinfo=zone)


def _gps_position(gps_ifd: dict[int, Any]) -> tuple[Decimal | None, Decimal | None]:
    latitude = _coordinate(
        gps_ifd.get(ExifTags.GPS.GPSLatitude), gps_ifd.get(ExifTags.GPS.GPSLatitudeRef), "N", "S", 90
    )
    longitude = _coordinate(
        gps_ifd.get(ExifTags.GPS.GPSLongitude), gps_ifd.get(ExifTags.GPS.GPSLongitudeRef), "E", "W", 180
    )
    # Half a position is no position; and receivers without a fix write 0/0, which is never Wushan.
    if latitude is None or longitude is None or (latitude == 0 and longitude == 0):
        return None, None
    return latitude, longitude


def _coordinate(value: Any, ref: Any, positive: str, negative: str, limit: int) -> Decimal | None:
    """Degrees, minutes and seconds plus a hemisphere letter as signed decimal degrees (6 places)."""
    if value is None:
        return None
    parts = value if isinstance(value, tuple | list) else (value,)
    if not 1 <= len(parts) <= 3:
        return None
    try:
        numbers = [float(part) for part in parts]
    except _METADATA_ERRORS:
        return None
    if not all(math.isfinite(n) and n >= 0 for n in numbers):
        return None
    degrees = sum(n / 60**i for i, n in enumerate(numbers))
    hemisphere = _exif_text(ref).upper()
    if hemisphere == negative:
        degrees = -degrees
    elif hemisphere not in (positive, ""):
        return None
    if abs(degrees) > limit:
        return None
    return Decimal(f"{degrees:.6f}")


def _to_rgb(image: Image.Image) -> Image.Image:
    """The image as RGB; transparent areas become white rather than whatever colour hid under them."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode_jpeg(image: Image.Image) -> bytes:
    # Pillow writes EXIF, ICC or XMP only when they are passed to save(): none is.
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=JPEG_QUALITY)
    return output.getvalue()


def _human_bytes(limit: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if limit >= factor:
            return f"{limit / factor:.4g} {unit}"
    return _("%(count)d 字节") % {"count": limit}


def _reject(message: str, code: str, **params: Any) -> NoReturn:
    raise ValidationError(message, code=code, params=params)


def _reject_too_large(name: str, max_bytes: int) -> NoReturn:
    _reject(_("照片“%(name)s”超过 %(limit)s。"), "too_large", name=name, limit=_human_bytes(max_bytes))


def _reject_too_many_pixels(name: str, max_pixels: int) -> NoReturn:
    _reject(
        _("照片“%(name)s”像素过多（超过 %(limit)s 万像素），可能是恶意文件。"),
        "too_many_pixels",
        name=name,
        limit=f"{max_pixels / 10_000:.4g}",
    )


def _reject_corrupt(name: str, exc: BaseException) -> NoReturn:
    logger.info("evidence upload %r rejected as damaged: %s", name, exc)
    _reject(_("照片“%(name)s”已损坏或不完整，无法读取。"), "corrupt", name=name)


def _reject_unidentified(buffer: io.BytesIO, name: str) -> NoReturn:
    found = _identify_any_format(buffer)
    if found is None:
        _reject(_("照片“%(name)s”不是可识别的图片文件。"), "not_an_image", name=name)
    _reject(
        _("照片“%(name)s”是 %(format)s 格式，暂不支持；请上传 JPEG、PNG、WebP 或 HEIC 格式的照片。"),
        "unsupported_format",
        name=name,
        format=found,
    )


def _identify_any_format(buffer: io.BytesIO) -> str | None:
    """The format name of an image we refuse anyway, for a clearer message; parses the header only."""
    buffer.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(buffer) as image:
                return image.format
        # Any failure here only means the message says "not an image" instead of naming a format.
        except Exception:
            return None
