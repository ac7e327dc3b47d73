"""Images made in memory for the evidence tests: photos with EXIF, transparent PNGs, bombs, junk."""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

WUSHAN_LATITUDE = ((31.0, 4.0, 30.6), "N")  # 31.075167
WUSHAN_LONGITUDE = ((109.0, 52.0, 40.0), "E")  # 109.877778


def camera_exif(
    *,
    taken: str | None = "2025:05:20 09:30:15",
    offset: str | None = None,
    latitude: tuple[Any, str] | None = WUSHAN_LATITUDE,
    longitude: tuple[Any, str] | None = WUSHAN_LONGITUDE,
    orientation: int | None = None,
) -> Image.Exif:
    """EXIF as a phone writes it: make and model, DateTimeOriginal in the Exif IFD, position in the GPS IFD."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "WushanPhone"
    exif[ExifTags.Base.Model] = "Evidence 1"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    exif_ifd: dict[int, Any] = {}
    if taken is not None:
        exif_ifd[ExifTags.Base.DateTimeOriginal] = taken
    if offset is not None:
        exif_ifd[ExifTags.Base.OffsetTimeOriginal] = offset
    if exif_ifd:
        exif[ExifTags.IFD.Exif] = exif_ifd
    gps: dict[int, Any] = {}
    if latitude is not None:
        gps[ExifTags.GPS.GPSLatitude], gps[ExifTags.GPS.GPSLatitudeRef] = latitude
    if longitude is not None:
        gps[ExifTags.GPS.GPSLongitude], gps[ExifTags.GPS.GPSLongitudeRef] = longitude
    if gps:
        exif[ExifTags.IFD.GPSInfo] = gps
    return exif


def noisy_image(size: tuple[int, int], mode: str = "RGB", seed: int = 520) -> Image.Image:
    """Random pixels, so that JPEG files are big enough to truncate meaningfully."""
    rng = random.Random(seed)  # noqa: S311 (test pixels, not secrets)
    channels = len(mode)
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * channels))


def encode(image: Image.Image, image_format: str, **params: Any) -> bytes:
    output = io.BytesIO()
    image.save(output, format=image_format, **params)
    return output.getvalue()


def jpeg(size: tuple[int, int] = (640, 480), *, exif: Image.Exif | None = None, noisy: bool = False) -> bytes:
    image = noisy_image(size) if noisy else Image.new("RGB", size, (40, 120, 200))
    return encode(image, "JPEG", quality=90, **({"exif": exif} if exif is not None else {}))


def halves_jpeg(size: tuple[int, int], exif: Image.Exif) -> bytes:
    """Left half red, right half blue: shows which way the stored pixels were turned."""
    image = Image.new("RGB", size, (230, 20, 20))
    image.paste((20, 20, 230), (size[0] // 2, 0, size[0], size[1]))
    return encode(image, "JPEG", quality=95, exif=exif)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes that declares `width` x `height` RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())
