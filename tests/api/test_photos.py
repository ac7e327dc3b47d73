"""Photos over the API: multipart, checked as the form checks them, saved through record_save."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from evidence.models import Photo
from evidence.selectors import photos_for
from inspections.models import InspectionRecord
from records.models import ReviewStatus
from tests.evidence.images import jpeg


def photos_url(record: InspectionRecord) -> str:
    return f"/api/v1/inspections/{record.pk}/photos/"


def upload(name: str = "现场.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg() if content is None else content, content_type="image/jpeg")


def test_an_office_uploads_photos_to_its_inspection(api_client, office_a, inspection_a):
    original = jpeg((800, 600))
    api_client.force_authenticate(office_a)

    response = api_client.post(
        photos_url(inspection_a), {"photos": [upload(content=original), upload("二.jpg")]}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    stored = list(photos_for(inspection_a))
    assert len(stored) == 2
    assert stored[0].sha256 == hashlib.sha256(original).hexdigest()
    assert {row["id"] for row in response.json()} == {photo.pk for photo in stored}
    assert response.json()[0]["image_url"] == f"/evidence/{stored[0].pk}/"
    listed = api_client.get(photos_url(inspection_a))
    assert [row["id"] for row in listed.json()] == [photo.pk for photo in stored]


def test_one_refused_file_saves_none_and_names_the_problem(api_client, office_a, inspection_a):
    api_client.force_authenticate(office_a)

    response = api_client.post(
        photos_url(inspection_a),
        {"photos": [upload(), upload("说明.jpg", b"not an image at all")]},
        format="multipart",
    )

    assert response.status_code == 400
    assert "说明.jpg" in " ".join(response.json()["photos"])
    assert not Photo.objects.exists()


def test_a_json_body_without_files_is_refused_clearly(api_client, office_a, inspection_a):
    api_client.force_authenticate(office_a)

    response = api_client.post(photos_url(inspection_a), {"photos": ["x"]}, format="json")

    assert response.status_code == 415
    assert not Photo.objects.exists()


def test_photo_upload_answers_out_of_scope_read_only_and_locked(
    api_client, office_a, office_b, leader, inspection_a
):
    api_client.force_authenticate(office_b)
    assert (
        api_client.post(photos_url(inspection_a), {"photos": [upload()]}, format="multipart").status_code
        == 404
    )
    assert api_client.get(photos_url(inspection_a)).status_code == 404

    api_client.force_authenticate(leader)
    assert api_client.get(photos_url(inspection_a)).status_code == 200
    assert (
        api_client.post(photos_url(inspection_a), {"photos": [upload()]}, format="multipart").status_code
        == 403
    )

    InspectionRecord.objects.filter(pk=inspection_a.pk).update(review_status=ReviewStatus.APPROVED)
    api_client.force_authenticate(office_a)
    locked = api_client.post(photos_url(inspection_a), {"photos": [upload()]}, format="multipart")
    assert locked.status_code == 409
    assert "已审核通过" in locked.json()["detail"]

    assert not Photo.objects.exists()
