"""Photos uploaded as soon as they are picked (evidence.pending): signed, expiring, the uploader's own,
kept across a validation error, turned into the record's photos on save, and swept when expired."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence.models import PendingPhoto, Photo
from evidence.services import pending_photos_sweep
from microstations.models import StationActivity
from tests.evidence.images import camera_exif, jpeg, stored_files, upload
from tests.html import one, select
from tests.microstations.factories import MicroStationFactory, campaign_2025
from tests.microstations.test_activities import CREATE, form_data

UPLOAD = "/evidence/pending/"


@pytest.fixture
def station_a(unit_a):
    campaign_2025()
    return MicroStationFactory(supervising_unit=unit_a, opened=True)


def _upload(client, data: bytes, name: str = "现场.jpg"):
    return client.post(UPLOAD, {"photo": upload(name, data)})


def test_office_uploads_a_photo_and_gets_a_token_and_its_thumbnail(client, office_a, media_root):
    client.force_login(office_a)

    response = _upload(client, jpeg((1200, 900), exif=camera_exif()))

    assert response.status_code == 201
    answer = response.json()
    pending = PendingPhoto.objects.get()
    assert (pending.uploaded_by, pending.original_name, pending.width) == (office_a, "现场.jpg", 1200)
    assert pending.taken_at is not None  # read before EXIF was dropped
    assert pending.latitude is not None
    assert pending.expires_at > timezone.now() + dt.timedelta(hours=23)
    assert answer["name"] == "现场.jpg"
    thumbnail = client.get(answer["thumbnail"])
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert len(stored_files(media_root)) == 2


def test_another_user_cannot_see_a_pending_photo(client, office_a, office_b):
    client.force_login(office_a)
    thumbnail_url = _upload(client, jpeg()).json()["thumbnail"]

    client.force_login(office_b)

    assert client.get(thumbnail_url).status_code == 404


def test_read_only_leadership_cannot_upload(client, leader, media_root):
    client.force_login(leader)

    assert _upload(client, jpeg()).status_code == 403
    assert not PendingPhoto.objects.exists()
    assert stored_files(media_root) == []


def test_anonymous_upload_is_sent_to_login(client, db):
    response = _upload(client, jpeg())

    assert response.status_code == 302
    assert not PendingPhoto.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message_and_nothing_kept(
    client, office_a, media_root
):
    client.force_login(office_a)

    response = _upload(client, b"%PDF-1.4 not a photo", name="通知.jpg")

    assert response.status_code == 400
    assert response.json()["errors"] == ["照片“通知.jpg”不是可识别的图片文件。"]
    assert not PendingPhoto.objects.exists()
    assert stored_files(media_root) == []


def test_an_upload_without_a_file_is_refused(client, office_a):
    client.force_login(office_a)

    response = client.post(UPLOAD, {})

    assert response.status_code == 400
    assert response.json()["errors"] == ["没有收到照片，请重新选择。"]


def test_a_pending_photo_survives_a_validation_error_and_is_attached_on_save(
    client, office_a, station_a, media_root, django_capture_on_commit_callbacks
):
    client.force_login(office_a)
    token = _upload(client, jpeg(exif=camera_exif())).json()["token"]

    refused = client.post(CREATE, form_data(station_a, title="", photos_pending=[token]))

    assert refused.status_code == 200
    assert not StationActivity.objects.exists()
    kept = one(refused, "[data-photo-input] input[type=hidden][name=photos_pending]")
    assert kept.get("value") == token
    assert len(select(refused, "[data-photo-input] img.photo-input__thumb")) == 1

    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(CREATE, form_data(station_a, photos_pending=[token]))

    assert saved.status_code == 302
    assert not PendingPhoto.objects.exists()  # consumed by the save; its files went after commit
    activity = StationActivity.objects.get()
    photo = Photo.objects.get()
    assert photo.record == activity
    assert photo.original_name == "现场.jpg"
    assert photo.taken_at is not None
    assert len(stored_files(media_root)) == 2  # the photo and its thumbnail; the pending copies are gone


def test_a_forged_token_is_a_form_error_and_nothing_is_saved(client, office_a, station_a):
    client.force_login(office_a)
    token = _upload(client, jpeg()).json()["token"]

    response = client.post(CREATE, form_data(station_a, photos_pending=[token[:-2] + "xx"]))

    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == ["部分照片已过期或无效，请重新选择照片。"]
    assert not StationActivity.objects.exists()
    assert not Photo.objects.exists()


def test_another_users_token_cannot_be_attached(client, office_a, office_b, station_a):
    client.force_login(office_b)
    token = _upload(client, jpeg()).json()["token"]

    client.force_login(office_a)
    response = client.post(CREATE, form_data(station_a, photos_pending=[token]))

    assert response.context["form"].errors["photos"] == ["部分照片已过期或无效，请重新选择照片。"]
    assert not StationActivity.objects.exists()
    assert PendingPhoto.objects.get().uploaded_by == office_b


def test_a_token_used_once_cannot_attach_the_photo_again(client, office_a, station_a):
    client.force_login(office_a)
    token = _upload(client, jpeg()).json()["token"]
    client.post(CREATE, form_data(station_a, photos_pending=[token]))

    response = client.post(CREATE, form_data(station_a, title="第二次", photos_pending=[token]))

    assert response.context["form"].errors["photos"] == ["部分照片已过期或无效，请重新选择照片。"]
    assert StationActivity.objects.count() == 1
    assert Photo.objects.count() == 1


def test_an_expired_token_is_refused_and_the_sweep_removes_the_photo_and_its_files(
    client, office_a, station_a, media_root, time_machine
):
    time_machine.move_to(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False)
    client.force_login(office_a)
    token = _upload(client, jpeg()).json()["token"]
    kept = _upload(client, jpeg()).json()["token"]
    PendingPhoto.objects.filter(pk=PendingPhoto.objects.order_by("pk").last().pk).update(
        expires_at=timezone.now() + dt.timedelta(days=3)
    )

    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 1, tzinfo=dt.UTC), tick=False)
    client.force_login(office_a)  # the session of a day ago has expired
    response = client.post(CREATE, form_data(station_a, photos_pending=[token]))

    assert response.context["form"].errors["photos"] == ["部分照片已过期或无效，请重新选择照片。"]
    assert pending_photos_sweep() == 1
    assert PendingPhoto.objects.count() == 1
    assert len(stored_files(media_root)) == 2  # only the unexpired photo's two files remain
    assert kept


def test_more_pending_photos_than_the_limit_are_refused(client, office_a, station_a, settings):
    settings.EVIDENCE_MAX_FILES = 1
    client.force_login(office_a)
    tokens = [_upload(client, jpeg()).json()["token"] for _ in range(2)]

    response = client.post(CREATE, form_data(station_a, photos_pending=tokens))

    assert response.context["form"].errors["photos"] == ["最多上传 1 张照片，本次选择了 2 张。"]
    assert not StationActivity.objects.exists()


def test_the_record_form_renders_the_upload_hook_for_an_office(client, office_a, station_a):
    client.force_login(office_a)

    response = client.get(CREATE)

    container = one(response, "[data-photo-input]")
    assert container.get("data-upload-url") == reverse("evidence:pending_upload")
    assert container.get("data-pending-name") == "photos_pending"
    assert container.get("data-msg-wait") == "照片正在上传，上传完成后自动保存。"


def test_the_hourly_sweep_is_scheduled_as_data(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="evidence.sweep_pending_photos")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour) == ("17", "*")
