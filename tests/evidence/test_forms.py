"""evidence.forms.PhotoField: several photos in one input, every problem reported, nothing saved."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.datastructures import MultiValueDict

from evidence.forms import PhotoField
from evidence.models import Photo
from evidence.processing import ProcessedPhoto
from tests.evidence.images import jpeg, stored_files, upload


class ActivityForm(forms.Form):
    title = forms.CharField()
    photos = PhotoField(required=False)


class RequiredPhotosForm(forms.Form):
    photos = PhotoField()


def _bound(form_class, files, data=None):
    return form_class(data=data or {"title": "计量进社区"}, files=MultiValueDict({"photos": files}))


def test_several_photos_are_cleaned_into_processed_photos():
    form = _bound(ActivityForm, [upload("a.jpg", jpeg()), upload("b.jpg", jpeg((300, 200)))])

    assert form.is_valid(), form.errors
    photos = form.cleaned_data["photos"]
    assert [type(photo) for photo in photos] == [ProcessedPhoto, ProcessedPhoto]
    assert [photo.original_name for photo in photos] == ["a.jpg", "b.jpg"]


def test_optional_field_without_photos_gives_an_empty_list():
    form = ActivityForm(data={"title": "计量进社区"}, files=MultiValueDict())

    assert form.is_valid(), form.errors
    assert form.cleaned_data["photos"] == []


def test_required_field_without_photos_is_an_error():
    form = RequiredPhotosForm(data={}, files=MultiValueDict())

    assert not form.is_valid()
    assert form.errors["photos"] == ["请至少上传一张照片。"]


def test_too_many_photos_are_refused_before_any_is_processed(settings, monkeypatch):
    settings.EVIDENCE_MAX_FILES = 2
    monkeypatch.setattr("evidence.forms.process_upload", pytest.fail)

    form = _bound(ActivityForm, [upload(f"{n}.jpg", jpeg()) for n in range(3)])

    assert not form.is_valid()
    assert form.errors["photos"] == ["最多上传 2 张照片，本次选择了 3 张。"]


def test_default_limit_is_nine_photos():
    assert PhotoField().max_files == 9


def test_every_bad_file_is_reported_and_nothing_is_saved(media_root, office_a):
    files = [
        upload("good.jpg", jpeg()),
        upload("notes.jpg", b"just some text"),
        upload("cut.jpg", jpeg(noisy=True)[:3000]),
    ]

    form = _bound(ActivityForm, files)

    assert not form.is_valid()
    assert form.errors["photos"] == [
        "照片“notes.jpg”不是可识别的图片文件。",
        "照片“cut.jpg”已损坏或不完整，无法读取。",
    ]
    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


def test_widget_lets_phones_pick_several_images():
    html = str(_bound(ActivityForm, [])["photos"])

    assert 'type="file"' in html
    assert "multiple" in html
    assert 'accept="image/*"' in html


def test_clear_checkbox_together_with_an_upload_is_a_contradiction():
    form = ActivityForm(
        data={"title": "计量进社区", "photos-clear": "on"},
        files=MultiValueDict({"photos": [upload("a.jpg", jpeg())]}),
    )

    assert not form.is_valid()
    assert "photos" in form.errors
