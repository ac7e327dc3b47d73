"""templates/evidence/_gallery.html: thumbnails linking to the full photos, without inline script or style."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from evidence.selectors import photos_for
from tests.evidence.images import camera_exif, jpeg


def test_gallery_links_each_thumbnail_to_its_photo_and_tells_time_and_position(
    office_a, assignment_a, attach
):
    with_exif, without = attach(office_a, assignment_a, jpeg(exif=camera_exif()), jpeg(), caption="计量宣传")

    html = render_to_string("evidence/_gallery.html", {"photos": photos_for(assignment_a)})

    for photo in (with_exif, without):
        assert f'href="{reverse("evidence:image", args=[photo.pk])}"' in html
        assert f'src="{reverse("evidence:thumbnail", args=[photo.pk])}"' in html
    assert html.count('loading="lazy"') == 2
    assert html.count('alt="计量宣传"') == 2
    assert "拍摄于 2025年5月20日 09:30" in html
    assert "无拍摄时间" in html
    assert "含位置信息" in html
    assert "无位置信息" in html
    assert "style=" not in html
    assert "<script" not in html


def test_gallery_escapes_captions():
    class Stub:
        pk = 1
        caption = '"><script>alert(1)</script>'
        original_name = "x.jpg"
        width = height = 10
        taken_at = None
        has_location = False

    html = render_to_string("evidence/_gallery.html", {"photos": [Stub()]})

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_empty_gallery_says_so():
    assert "暂无照片。" in render_to_string("evidence/_gallery.html", {"photos": []})
