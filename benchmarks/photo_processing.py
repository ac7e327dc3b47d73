"""Photo upload budget (DESIGN.md "Quality budgets"): a 12-megapixel photo through the evidence
pipeline within 1.3x the time Pillow alone takes for the same resize and re-encode.

Run: .venv/bin/python benchmarks/photo_processing.py [--repeat N]
Exits 1 when over budget. See benchmarks/README.md for what is compared and the last result.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wushan_metrology.settings")

import django  # noqa: E402 (Django is configured by the lines above)

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import ExifTags, Image, ImageFilter, ImageOps  # noqa: E402

from evidence.forms import PhotoField  # noqa: E402
from evidence.processing import JPEG_QUALITY, THUMBNAIL_EDGE, process_upload  # noqa: E402

BUDGET = 1.3  # DESIGN.md "Quality budgets" and issue 14
SIZE = (4000, 3000)
MAX_EDGE = 2560


def make_photo() -> bytes:
    """A deterministic 4000x3000 JPEG that compresses like a photo (smooth shapes plus sensor noise)."""
    sky = Image.linear_gradient("L").resize(SIZE)
    glow = Image.radial_gradient("L").resize(SIZE)
    noise = Image.effect_noise(SIZE, 48)
    scene = Image.merge("RGB", (sky, glow, Image.blend(sky, glow, 0.5)))
    detail = Image.effect_mandelbrot(SIZE, (-2.2, -1.2, 1.0, 1.2), 120).convert("RGB")
    scene = Image.blend(scene, detail, 0.35).filter(ImageFilter.SMOOTH)
    scene = Image.blend(scene, Image.merge("RGB", (noise, noise, noise)), 0.18)

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Benchmark"
    exif[ExifTags.Base.Model] = "12MP"
    exif[ExifTags.Base.Orientation] = 1
    exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: "2025:05:20 09:30:00"}
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (31.0, 4.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (109.0, 52.0, 40.0),
    }
    output = io.BytesIO()
    scene.save(output, format="JPEG", quality=92, exif=exif)
    return output.getvalue()


def _save_jpeg(image: Image.Image) -> bytes:
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=JPEG_QUALITY)
    return output.getvalue()


def pillow_alone(data: bytes) -> tuple[bytes, bytes]:
    """The same output with nothing but Pillow, in its fastest order (shrink before turning upright)."""
    with Image.open(io.BytesIO(data)) as image:
        image.thumbnail((MAX_EDGE, MAX_EDGE))
        ImageOps.exif_transpose(image, in_place=True)
        photo = image if image.mode == "RGB" else image.convert("RGB")
        thumbnail = photo.copy()
        thumbnail.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
        return _save_jpeg(photo), _save_jpeg(thumbnail)


def pillow_naive(data: bytes) -> tuple[bytes, bytes]:
    """The textbook order (upright first): decodes at full size, shown for reference only."""
    with Image.open(io.BytesIO(data)) as image:
        photo = ImageOps.exif_transpose(image).convert("RGB")
        photo.thumbnail((MAX_EDGE, MAX_EDGE))
        thumbnail = photo.copy()
        thumbnail.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
        return _save_jpeg(photo), _save_jpeg(thumbnail)


def evidence_pipeline(data: bytes) -> object:
    return process_upload(SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg"))


def evidence_form_field(data: bytes) -> object:
    return PhotoField().clean([SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="timed rounds (each runs every contender once)")
    args = parser.parse_args()

    data = make_photo()
    contenders: dict[str, Callable[[bytes], object]] = {
        "pillow alone": pillow_alone,
        "process_upload": evidence_pipeline,
        "PhotoField.clean": evidence_form_field,
        "pillow, upright first (reference)": pillow_naive,
    }
    for run in contenders.values():
        run(data)  # warm-up: imports, allocator, file caches

    timings: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for round_number in range(args.repeat):
        # Rotate the order each round so that no contender always runs first (or after the same one).
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            contenders[name](data)
            timings[name].append(time.perf_counter() - start)

    medians = {name: statistics.median(values) for name, values in timings.items()}
    baseline = medians["pillow alone"]
    print(
        f"input: {SIZE[0]}x{SIZE[1]} JPEG with EXIF, {len(data) / 1e6:.2f} MB; {args.repeat} rounds, median"
    )
    best_baseline = min(timings["pillow alone"])
    for name, value in medians.items():
        best = min(timings[name])
        print(
            f"  {name:<34} median {value * 1000:6.1f} ms  {value / baseline:4.2f}x"
            f"   best {best * 1000:6.1f} ms  {best / best_baseline:4.2f}x"
        )

    worst = max(medians["process_upload"], medians["PhotoField.clean"]) / baseline
    verdict = "within" if worst <= BUDGET else "OVER"
    print(f"median ratio {worst:.2f}x against a budget of {BUDGET}x: {verdict} budget")
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
