import io

import pytest
from PIL import Image

from evidence.models import PendingPhoto, Photo
from microstations.models import MicroStation, StationActivity
from records.models import ReviewStatus
from tests.browser.stations import gaotang_station
from tests.factories import PASSWORD


@pytest.fixture
def office_station(transactional_db: None) -> MicroStation:
    return gaotang_station()


def test_office_logs_a_station_activity_with_a_photo(login, office_station, tmp_path):
    photo = tmp_path / "现场.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 120, 200)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    page = login("gaotang", PASSWORD)
    page.goto(page.url.replace("/workbench/", "/workbench/microstations/activities/new/"))
    page.select_option("#id_station", str(office_station.pk))
    page.fill("#id_date", "2025-05-21")
    page.select_option("#id_topic", StationActivity.Topic.SCIENCE)
    page.fill("#id_title", "计量科普进社区")
    page.fill("#id_people_reached", "120")
    page.fill("#id_materials_distributed", "80")
    page.fill("#id_volunteers_present", "2")
    page.set_input_files("#id_photos", str(photo))
    page.click("[data-testid=save-and-submit]")
    page.wait_for_load_state()

    assert "活动已保存并提交县局审核" in page.locator(".messages").inner_text()
    assert page.locator("h1").inner_text() == "计量科普进社区"
    assert page.locator(".gallery img, .evidence-gallery img, img[src*='/evidence/']").count() == 1
    activity = StationActivity.objects.get()
    assert activity.review_status == ReviewStatus.SUBMITTED
    assert activity.unit == office_station.supervising_unit
    assert activity.people_reached == 120
    assert Photo.objects.filter(object_id=activity.pk).count() == 1
    assert page.console_errors == []


def test_office_sees_a_clear_error_and_nothing_is_saved_for_a_bad_photo(login, office_station, tmp_path):
    bogus = tmp_path / "不是照片.jpg"
    bogus.write_text("this is not an image")

    page = login("gaotang", PASSWORD)
    page.goto(page.url.replace("/workbench/", "/workbench/microstations/activities/new/"))
    page.select_option("#id_station", str(office_station.pk))
    page.fill("#id_date", "2025-05-21")
    page.select_option("#id_topic", StationActivity.Topic.SCIENCE)
    page.fill("#id_title", "计量科普进社区")
    page.fill("#id_people_reached", "120")
    # A photo is checked as soon as it is picked (it uploads at once): the error shows beside it.
    page.set_input_files("#id_photos", str(bogus))

    assert "不是可识别的图片" in page.locator("[data-photo-item] .field-error").inner_text()
    assert page.locator("#id_title").input_value() == "计量科普进社区"  # nothing typed is lost
    assert StationActivity.objects.count() == 0
    assert not PendingPhoto.objects.exists()
