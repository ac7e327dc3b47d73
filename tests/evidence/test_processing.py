"""evidence.processing: what is read from an upload, what is kept, and what is refused before decoding."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageFile

from evidence import processing
from evidence.processing import process_upload
from tests.evidence.images import (
    camera_exif,
    encode,
    halves_jpeg,
    jpeg,
    noisy_image,
    png_bomb,
    upload,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _rejection(uploaded) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        process_upload(uploaded)
    return excinfo.value


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if any pixel data is decoded (the header may be parsed)."""

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"decoded pixel data of a {self.format} file")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_jpeg_with_exif_yields_time_position_and_a_metadata_free_copy():
    data = jpeg((4000, 3000), exif=camera_exif())

    photo = process_upload(upload("现场.jpg", data))

    assert photo.taken_at == dt.datetime(2025, 5, 20, 9, 30, 15, tzinfo=SHANGHAI)
    assert photo.latitude == Decimal("31.075167")
    assert photo.longitude == Decimal("109.877778")
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert photo.original_name == "现场.jpg"
    assert photo.original_bytes == len(data)

    stored = _reopen(photo.jpeg)
    assert stored.format == "JPEG"
    assert stored.mode == "RGB"
    assert stored.size == (photo.width, photo.height) == (2560, 1920)
    assert not stored.getexif()
    assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp"} & set(stored.info)

    thumbnail = _reopen(photo.thumbnail)
    assert max(thumbnail.size) == 480
    assert not thumbnail.getexif()


def test_small_photo_is_not_enlarged():
    photo = process_upload(upload("small.jpg", jpeg((800, 600))))

    assert (photo.width, photo.height) == (800, 600)
    assert _reopen(photo.thumbnail).size == (480, 360)


def test_max_edge_follows_the_setting(settings):
    settings.EVIDENCE_MAX_EDGE = 1000

    photo = process_upload(upload("wide.jpg", jpeg((3000, 1000))))

    assert (photo.width, photo.height) == (1000, 333)


def test_photo_turned_by_exif_orientation_comes_out_upright():
    # Orientation 6: the camera was held upright, the sensor stored the picture lying on its side.
    data = halves_jpeg((1200, 800), camera_exif(orientation=6))

    photo = process_upload(upload("upright.jpg", data))

    stored = _reopen(photo.jpeg)
    assert stored.size == (800, 1200)
    top, bottom = stored.getpixel((400, 100)), stored.getpixel((400, 1100))
    # The stored left (red) half is now on top, the right (blue) half at the bottom.
    assert top[0] > 180
    assert top[2] < 80
    assert bottom[2] > 180
    assert bottom[0] < 80
    assert not stored.getexif()


def test_photo_without_exif_has_no_time_or_position():
    photo = process_upload(upload("plain.jpg", jpeg()))

    assert photo.taken_at is None
    assert photo.latitude is None
    assert photo.longitude is None
    assert not photo.has_location


def test_southern_and_western_hemispheres_give_negative_coordinates():
    exif = camera_exif(latitude=((33.0, 51.0, 54.0), "S"), longitude=((151.0, 12.0, 36.0), "W"))

    photo = process_upload(upload("sydney.jpg", jpeg(exif=exif)))

    assert photo.latitude == Decimal("-33.865000")
    assert photo.longitude == Decimal("-151.210000")


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (((31.0, 4.0, 30.6), "N"), None),  # half a position
        (((0.0, 0.0, 0.0), "N"), ((0.0, 0.0, 0.0), "E")),  # a receiver without a fix
        (((95.0, 0.0, 0.0), "N"), ((109.0, 52.0, 40.0), "E")),  # off the globe
    ],
)
def test_unusable_gps_leaves_the_position_empty_but_keeps_the_photo(latitude, longitude):
    photo = process_upload(upload("gps.jpg", jpeg(exif=camera_exif(latitude=latitude, longitude=longitude))))

    assert (photo.latitude, photo.longitude) == (None, None)
    assert photo.taken_at is not None


def test_camera_offset_tag_wins_over_the_default_time_zone():
    exif = camera_exif(taken="2025:05:20 10:30:15", offset="+09:00")

    photo = process_upload(upload("tokyo.jpg", jpeg(exif=exif)))

    assert photo.taken_at == dt.datetime(2025, 5, 20, 9, 30, 15, tzinfo=SHANGHAI)


@pytest.mark.parametrize("taken", ["0000:00:00 00:00:00", "    :  :     :  :  ", "2025-05-20T09:30:15"])
def test_unreadable_capture_time_is_left_empty(taken):
    photo = process_upload(upload("clock.jpg", jpeg(exif=camera_exif(taken=taken))))

    assert photo.taken_at is None


def test_png_with_transparency_is_accepted_on_white():
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (0, 0, 150, 200))

    photo = process_upload(upload("logo.png", encode(image, "PNG"), "image/png"))

    stored = _reopen(photo.jpeg)
    assert stored.mode == "RGB"
    assert stored.getpixel((50, 100))[0] > 180
    assert min(stored.getpixel((250, 100))) > 240  # transparent became white, not black


def test_palette_png_is_accepted():
    image = Image.new("RGB", (64, 64), (10, 200, 10)).convert("P")

    photo = process_upload(upload("palette.png", encode(image, "PNG"), "image/png"))

    assert _reopen(photo.jpeg).getpixel((5, 5))[1] > 180


def test_webp_is_accepted():
    photo = process_upload(
        upload("photo.webp", encode(Image.new("RGB", (320, 240), "teal"), "WEBP"), "image/webp")
    )

    assert (photo.width, photo.height) == (320, 240)


def test_mpo_keeps_its_first_picture():
    left, right = Image.new("RGB", (320, 240), "red"), Image.new("RGB", (320, 240), "blue")
    data = encode(left, "MPO", save_all=True, append_images=[right])
    assert Image.open(io.BytesIO(data)).format == "MPO"

    photo = process_upload(upload("stereo.mpo", data))

    assert _reopen(photo.jpeg).getpixel((10, 10))[0] > 180


def test_heic_from_a_phone_is_accepted_with_its_capture_time():
    image = Image.new("RGB", (320, 240), "orange")
    data = encode(image, "HEIF", quality=80, exif=camera_exif().tobytes())

    photo = process_upload(upload("IMG_0520.HEIC", data, "image/heic"))

    assert (photo.width, photo.height) == (320, 240)
    assert photo.taken_at == dt.datetime(2025, 5, 20, 9, 30, 15, tzinfo=SHANGHAI)
    assert photo.latitude == Decimal("31.075167")
    assert _reopen(photo.jpeg).format == "JPEG"


def test_text_file_named_like_a_photo_is_refused():
    error = _rejection(upload("x.jpg", "这不是照片，是一段文字。".encode()))

    assert error.code == "not_an_image"
    assert error.messages == ["照片“x.jpg”不是可识别的图片文件。"]


def test_empty_file_is_refused():
    error = _rejection(upload("empty.jpg", b""))

    assert error.code == "not_an_image"


def test_truncated_jpeg_is_refused():
    data = jpeg((640, 480), noisy=True)

    error = _rejection(upload("cut.jpg", data[: len(data) // 2]))

    assert error.code == "corrupt"
    assert error.messages == ["照片“cut.jpg”已损坏或不完整，无法读取。"]


@pytest.mark.parametrize(
    ("image_format", "name"), [("GIF", "anim.gif"), ("BMP", "scan.bmp"), ("TIFF", "scan.tif")]
)
def test_image_in_an_unsupported_format_is_refused_by_name(image_format, name):
    data = encode(Image.new("RGB", (32, 32), "white"), image_format)

    error = _rejection(upload(name, data))

    assert error.code == "unsupported_format"
    assert error.messages == [
        f"照片“{name}”是 {image_format} 格式，暂不支持；请上传 JPEG、PNG、WebP 或 HEIC 格式的照片。"
    ]


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (8000, 8000),  # 64 MP: over our limit, under Pillow's
        (10000, 10000),  # 100 MP: Pillow would only warn
        (20000, 20000),  # 400 MP: Pillow itself refuses
    ],
)
def test_decompression_bomb_is_refused_without_decoding(no_decoding, width, height):
    data = png_bomb(width, height)
    assert len(data) < 100

    error = _rejection(upload("bomb.png", data, "image/png"))

    assert error.code == "too_many_pixels"
    assert error.messages == ["照片“bomb.png”像素过多（超过 5000 万像素），可能是恶意文件。"]


def test_pixel_limit_follows_the_setting_and_pillows_own_limit_is_untouched(settings):
    settings.EVIDENCE_MAX_PIXELS = 1_000_000
    pillow_limit = Image.MAX_IMAGE_PIXELS

    error = _rejection(upload("big.jpg", jpeg((1200, 900))))

    assert error.code == "too_many_pixels"
    assert "超过 100 万像素" in error.messages[0]
    assert pillow_limit == Image.MAX_IMAGE_PIXELS


def test_file_over_the_default_size_limit_is_refused_before_decoding(monkeypatch):
    def fail_open(*args, **kwargs):
        raise AssertionError("opened an oversize file")

    monkeypatch.setattr(processing.Image, "open", fail_open)
    data = jpeg() + b"\0" * (15 * 1024 * 1024)

    error = _rejection(upload("huge.jpg", data))

    assert error.code == "too_large"
    assert error.messages == ["照片“huge.jpg”超过 15 MB。"]


def test_size_limit_follows_the_setting(settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 2048

    error = _rejection(upload("big.jpg", jpeg((640, 480), noisy=True)))

    assert error.messages == ["照片“big.jpg”超过 2 KB。"]


def test_size_limit_counts_the_bytes_that_arrive_not_the_declared_size(settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 2048
    lying = upload("liar.jpg", jpeg((640, 480), noisy=True))
    lying.size = 100

    assert _rejection(lying).code == "too_large"


def test_processed_photo_repr_leaves_out_the_image_bytes():
    photo = process_upload(upload("repr.jpg", jpeg()))

    assert "jpeg=" not in repr(photo)
    assert len(repr(photo)) < 500


def test_noise_helper_makes_incompressible_pixels():
    # Guards the truncation test: a half of a noisy JPEG still has a valid header but lacks data.
    assert len(encode(noisy_image((640, 480)), "JPEG", quality=90)) > 100_000
