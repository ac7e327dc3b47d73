"""evidence.services: attaching photos to a record and removing them, files included."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from evidence.models import Photo
from evidence.processing import process_upload
from evidence.services import photo_delete, photos_attach
from tests.evidence.images import camera_exif, jpeg, stored_files, upload

RANDOM_NAME = re.compile(r"^evidence/\d{4}/\d{2}/(thumbs/)?[0-9a-f]{32}\.jpg$")


@pytest.fixture
def processed():
    return [
        process_upload(upload("宣传现场.jpg", jpeg((3000, 2000), exif=camera_exif()))),
        process_upload(upload("IMG_0002.png", jpeg((400, 300)))),
    ]


def test_office_attaches_photos_to_its_own_units_record(office_a, assignment_a, processed, media_root):
    photos = photos_attach(actor=office_a, record=assignment_a, photos=processed, caption="计量进社区")

    assert [photo.original_name for photo in photos] == ["宣传现场.jpg", "IMG_0002.png"]
    first = Photo.objects.get(pk=photos[0].pk)
    assert first.record == assignment_a
    assert first.uploaded_by == office_a
    assert first.caption == "计量进社区"
    assert first.sha256 == processed[0].sha256
    assert (first.width, first.height) == (2560, 1707)
    assert first.taken_at == processed[0].taken_at
    assert first.has_location
    assert first.history.get().history_user == office_a
    for photo in photos:
        for field_file in (photo.image, photo.thumbnail):
            assert RANDOM_NAME.match(field_file.name), field_file.name
            assert "宣传" not in field_file.name
            assert "IMG" not in field_file.name
    with default_storage.open(first.image.name) as stored:
        assert stored.read() == processed[0].jpeg
    with Image.open(first.image.path) as image:
        assert not image.getexif()
    assert len(stored_files(media_root)) == 4


def test_leader_may_not_attach_photos(leader, assignment_a, processed, media_root):
    with pytest.raises(PermissionDenied):
        photos_attach(actor=leader, record=assignment_a, photos=processed)

    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


def test_office_may_not_attach_photos_to_another_units_record(office_b, assignment_a, processed, media_root):
    with pytest.raises(PermissionDenied):
        photos_attach(actor=office_b, record=assignment_a, photos=processed)

    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_failing_photo_saves_none_of_them_and_leaves_no_files(
    office_a, assignment_a, processed, media_root
):
    broken = replace(processed[1], sha256="not-a-hash")

    with pytest.raises(ValidationError):
        photos_attach(actor=office_a, record=assignment_a, photos=[processed[0], broken])

    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


def test_unsaved_record_is_refused(office_a, processed):
    from campaigns.models import TaskAssignment

    with pytest.raises(ValueError, match="Save the record"):
        photos_attach(actor=office_a, record=TaskAssignment(), photos=processed)


def test_delete_removes_the_row_then_the_files_after_commit(
    office_a, assignment_a, processed, media_root, django_capture_on_commit_callbacks
):
    photo, other = photos_attach(actor=office_a, record=assignment_a, photos=processed)
    photo_pk = photo.pk

    with django_capture_on_commit_callbacks() as callbacks:
        photo_delete(actor=office_a, photo=photo)
        assert len(stored_files(media_root)) == 4  # still there until the deletion commits

    assert len(callbacks) == 1
    callbacks[0]()
    assert list(Photo.objects.all()) == [other]
    assert len(stored_files(media_root)) == 2
    deletion = Photo.history.get(id=photo_pk, history_type="-")
    assert deletion.history_user == office_a
    assert deletion.sha256 == processed[0].sha256


def test_delete_is_refused_to_another_unit_and_to_leadership(
    office_a, office_b, leader, assignment_a, processed, media_root
):
    photo = photos_attach(actor=office_a, record=assignment_a, photos=processed[:1])[0]

    for actor in (office_b, leader):
        with pytest.raises(PermissionDenied):
            photo_delete(actor=actor, photo=photo)

    assert Photo.objects.filter(pk=photo.pk).exists()
    assert len(stored_files(media_root)) == 2


def test_bureau_admin_may_delete_any_units_photo(
    office_a, bureau_admin, assignment_a, processed, media_root, django_capture_on_commit_callbacks
):
    photo = photos_attach(actor=office_a, record=assignment_a, photos=processed[:1])[0]

    with django_capture_on_commit_callbacks(execute=True):
        photo_delete(actor=bureau_admin, photo=photo)

    assert not Photo.objects.exists()
    assert stored_files(media_root) == []
