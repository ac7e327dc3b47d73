"""Field forms on a phone (390×844): a photo is shrunk and uploaded as soon as it is picked and survives
a validation error, the error summary focuses the first error, and a double tap creates one record."""

from __future__ import annotations

import pytest
from PIL import Image

from evidence.models import PendingPhoto, Photo
from microstations.models import MicroStation, StationActivity
from tests.browser.stations import gaotang_station
from tests.evidence.images import camera_exif, halves_jpeg
from tests.factories import PASSWORD

NEW_ACTIVITY = "/workbench/microstations/activities/new/"


@pytest.fixture
def office_station(transactional_db: None) -> MicroStation:
    return gaotang_station()


def _fill_activity(page, station: MicroStation, *, title: str) -> None:
    page.select_option("#id_station", str(station.pk))
    page.fill("#id_date", "2025-05-21")
    page.select_option("#id_topic", StationActivity.Topic.SCIENCE)
    page.fill("#id_title", title)
    page.fill("#id_people_reached", "120")


def test_a_photo_survives_a_validation_error_and_the_summary_focuses_the_first_error(
    login, live_server, office_station, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # A phone photo taken sideways (EXIF orientation 6), wider than 2560 px: left half red.
    original = halves_jpeg((3200, 1600), camera_exif(orientation=6))
    picked = tmp_path / "现场.jpg"
    picked.write_bytes(original)

    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}{NEW_ACTIVITY}")
    _fill_activity(page, office_station, title="")
    page.set_input_files("#id_photos", str(picked))
    page.wait_for_selector("[data-photo-item] input[type=hidden]", state="attached")
    assert page.locator("#id_photos").input_value() == ""  # the file is not sent again with the form
    # The form is sent once the photo has settled (its thumbnail loaded, static/js/photo_upload.js),
    # which may be after the tap: wait for the answer itself, not for the page already loaded.
    with page.expect_navigation():
        page.click("[data-testid=save-and-submit]")

    assert page.locator("[data-error-summary]").is_visible()
    assert "活动名称：该字段是必填项。" in page.locator("[data-error-summary]").inner_text()
    assert page.evaluate("document.activeElement.id") == "id_title"
    assert page.locator("[data-photo-item] img").count() == 1
    assert page.evaluate("document.querySelector('[data-photo-item] img').naturalWidth") > 0
    assert StationActivity.objects.count() == 0

    page.fill("#id_title", "计量科普进社区")
    with page.expect_navigation():
        page.click("[data-testid=save-and-submit]")

    assert "活动已保存并提交县局审核" in page.locator(".messages").inner_text()
    activity = StationActivity.objects.get()
    photo = Photo.objects.get(object_id=activity.pk)
    assert photo.original_name == "现场.jpg"
    # Shrunk in the browser (the server received fewer bytes than were picked) and turned upright once.
    assert photo.original_bytes != len(original)
    assert (photo.width, photo.height) == (1280, 2560)
    with Image.open(photo.image.path) as stored:
        top = stored.convert("RGB").getpixel((640, 10))
    # The red half is on top after a 90° turn clockwise.
    assert top[0] > 200
    assert top[2] < 60
    assert photo.taken_at is not None  # the camera's time was carried over the canvas
    assert photo.latitude is not None
    assert not PendingPhoto.objects.exists()
    assert page.console_errors == []


def test_a_form_sent_while_a_photo_uploads_waits_and_then_saves_once(
    login, live_server, office_station, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    picked = tmp_path / "现场.jpg"
    picked.write_bytes(halves_jpeg((1600, 1200), camera_exif()))

    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}{NEW_ACTIVITY}")
    _fill_activity(page, office_station, title="计量科普进社区")
    # Slow the upload down so that the tap lands while it is still running.
    page.route("**/evidence/pending/", lambda route: (page.wait_for_timeout(800), route.continue_()))
    page.set_input_files("#id_photos", str(picked))
    page.click("[data-testid=save-and-submit]")
    page.wait_for_url(lambda url: "/new/" not in url)

    assert "活动已保存并提交县局审核" in page.locator(".messages").inner_text()
    activity = StationActivity.objects.get()
    assert Photo.objects.filter(object_id=activity.pk).count() == 1
    assert page.console_errors == []


def test_a_double_tap_on_submit_creates_one_record(login, live_server, office_station):
    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}{NEW_ACTIVITY}")
    _fill_activity(page, office_station, title="计量科普进社区")

    page.dblclick("[data-testid=save-and-submit]")
    page.wait_for_url(lambda url: "/new/" not in url)

    assert StationActivity.objects.count() == 1
    assert page.console_errors == []


def test_a_resent_form_without_the_page_script_still_creates_one_record(login, live_server, office_station):
    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}{NEW_ACTIVITY}")
    _fill_activity(page, office_station, title="计量科普进社区")

    # The same render sent twice, as a retry after a lost answer would: the server's per-render key
    # finds the first record instead of making another. (One after the other: the live server's
    # shared in-memory SQLite connection cannot run two requests at once.)
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector("form[method=post][enctype]");
            const body = () => { const data = new FormData(form); data.set("action", "submit"); return data; };
            const send = () => fetch(location.href, {method: "POST", body: body()});
            const first = await send();
            const second = await send();
            return [first, second].map((answer) => [answer.status, new URL(answer.url).pathname]);
        }"""
    )

    activity = StationActivity.objects.get()
    # Both followed their redirect to the one record's page.
    assert statuses == [[200, f"/workbench/microstations/activities/{activity.pk}/"]] * 2
