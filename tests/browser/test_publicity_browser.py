"""Chromium: an office records an offline publicity activity with a photo and reports it as news; the
bureau approves the news item and records where it was adopted (采用)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from evidence.models import Photo
from organizations.models import Unit
from organizations.roles import Role
from publicity.models import Adoption, NewsItem, PublicityActivity
from records.models import ReviewStatus
from tests.factories import PASSWORD, CampaignFactory, UnitFactory, UserFactory


@pytest.fixture
def people(transactional_db: None) -> dict[str, object]:
    office = UnitFactory(name="高唐市场监管所", short_name="高唐所")
    bureau = UnitFactory(name="价监科", short_name="价监科", kind=Unit.Kind.SECTION)
    CampaignFactory(year=2025, start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30))
    return {
        "office": UserFactory(username="gaotang", name="高唐所员", unit=office, roles=[Role.OFFICE]),
        "bureau": UserFactory(
            username="jiajianke", name="价监科管理员", unit=bureau, is_staff=True, roles=[Role.BUREAU_ADMIN]
        ),
    }


def log_out(page) -> None:
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_load_state()


def test_office_records_an_activity_with_a_photo_and_the_bureau_adopts_its_news(
    login, people, live_server, tmp_path
):
    photo = tmp_path / "现场.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 120, 40)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    # The office records an offline activity with a photo, from a phone-sized screen.
    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}/workbench/publicity/activities/")
    page.click("[data-testid=add-activity]")
    page.fill("#id_title", "计量惠民进社区")
    page.fill("#id_date", "2025-05-21")
    page.select_option("#id_channel", "offline")
    page.select_option("#id_form", "community")
    page.select_option("#id_venue_type", "community_center")
    page.fill("#id_venue", "南陵社区服务中心")
    page.fill("#id_participants", "150")
    page.fill("#id_materials_distributed", "200")
    page.fill("#id_phone_weight_labels", "60")
    page.fill("#id_free_verifications", "12")
    page.set_input_files("#id_photos", str(photo))
    page.click("[data-testid=save-and-submit]")
    page.wait_for_load_state()

    assert "宣传活动已保存并提交县局审核" in page.locator(".messages").inner_text()
    assert page.locator("h1").inner_text() == "计量惠民进社区"
    assert page.locator(".evidence-gallery img").count() == 1
    activity = PublicityActivity.objects.get()
    assert (activity.unit.name, activity.review_status, activity.participants) == (
        "高唐市场监管所",
        ReviewStatus.SUBMITTED,
        150,
    )
    assert Photo.objects.filter(object_id=activity.pk, content_type__model="publicityactivity").count() == 1

    # ... and reports it as a news item.
    page.click("text=据此报送信息")
    page.wait_for_load_state()
    page.fill("#id_title", "高唐所走进社区免费校准电子秤")
    page.fill("#id_body", "5月21日，高唐市场监管所走进南陵社区，为居民免费校准电子秤12台。")
    page.click("[data-testid=save-and-submit]")
    page.wait_for_load_state()
    assert "信息已保存并报送县局" in page.locator(".messages").inner_text()
    item = NewsItem.objects.get()
    assert (item.activity, item.review_status) == (activity, ReviewStatus.SUBMITTED)
    log_out(page)

    # The bureau approves the item and records its adoption by the city bureau's website.
    login("jiajianke", PASSWORD)
    page.goto(f"{live_server.url}/workbench/publicity/news/{item.pk}/")
    page.click("[data-testid=approve-record]")
    page.wait_for_load_state()
    assert "已审核通过" in page.locator(".messages").inner_text()
    page.select_option("#id_level", "city")
    page.fill("#id_outlet", "重庆市市场监督管理局网站")
    page.fill("#id_url", "https://scjgj.cq.gov.cn/zwxx/qxdt/202505/t20250523.html")
    page.fill("#id_adopted_on", "2025-05-23")
    page.click("[data-testid=record-adoption]")
    page.wait_for_load_state()

    assert "已登记采用" in page.locator(".messages").inner_text()
    assert "重庆市市场监督管理局网站" in page.locator("[data-testid=adoptions]").inner_text()
    adoption = Adoption.objects.get()
    assert (adoption.news_item, adoption.level, adoption.recorded_by.username) == (item, "city", "jiajianke")

    # The ranking shows the office first.
    page.goto(f"{live_server.url}/workbench/publicity/news/ranking/")
    assert page.locator("table.ranking tbody tr").first.inner_text().split()[:2] == ["1", "高唐所"]
    assert page.console_errors == []
