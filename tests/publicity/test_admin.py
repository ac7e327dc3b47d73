"""The publicity admin: scoped rows and choices, adoptions only of approved items (through the
services), owners set server-side, Excel exports."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from core.spreadsheets import XLSX_CONTENT_TYPE
from publicity.models import Adoption, NewsItem, PublicityActivity
from records.models import ReviewStatus
from tests.publicity.factories import AdoptionFactory, NewsItemFactory

ADOPTION_ADD = "/admin/publicity/adoption/add/"


def adoption_post(item, **overrides):
    return {
        "news_item": item.pk,
        "level": "county",
        "outlet": "巫山县人民政府网",
        "url": "https://www.cqws.gov.cn/news/1",
        "adopted_on": "2025-05-22",
        **overrides,
    }


def test_the_bureau_records_an_adoption_in_the_admin(client, bureau_admin, news_a):
    NewsItem.objects.filter(pk=news_a.pk).update(review_status=ReviewStatus.APPROVED)
    client.force_login(bureau_admin)

    response = client.post(ADOPTION_ADD, adoption_post(news_a))

    assert response.status_code == 302
    adoption = Adoption.objects.get()
    assert (adoption.news_item, adoption.recorded_by) == (news_a, bureau_admin)


def test_an_adoption_of_an_unapproved_item_is_refused_in_the_admin(client, bureau_admin, news_a):
    client.force_login(bureau_admin)

    response = client.post(ADOPTION_ADD, adoption_post(news_a))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["news_item"] == ["只有审核通过的信息才能登记采用。"]
    assert not Adoption.objects.exists()


def test_a_non_http_link_is_refused_in_the_admin(client, bureau_admin, news_a):
    NewsItem.objects.filter(pk=news_a.pk).update(review_status=ReviewStatus.APPROVED)
    client.force_login(bureau_admin)

    response = client.post(ADOPTION_ADD, adoption_post(news_a, url="ftp://www.cqws.gov.cn/1"))

    assert response.context["adminform"].form.errors["url"] == [
        "请输入以 http:// 或 https:// 开头的有效网址。"
    ]
    assert not Adoption.objects.exists()


def test_the_adoption_autocomplete_offers_only_approved_items(client, bureau_admin, news_a, news_b):
    NewsItem.objects.filter(pk=news_a.pk).update(review_status=ReviewStatus.APPROVED)
    client.force_login(bureau_admin)

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "publicity", "model_name": "adoption", "field_name": "news_item", "term": ""},
    )

    assert [row["id"] for row in response.json()["results"]] == [str(news_a.pk)]


def test_leader_reads_the_admin_lists_only_through_view_permission(client, leader, activity_a):
    leader.is_staff = True
    leader.save(update_fields=["is_staff"])
    client.force_login(leader)

    assert client.get("/admin/publicity/publicityactivity/").status_code == 200
    assert client.get("/admin/publicity/publicityactivity/add/").status_code == 403
    assert client.get(ADOPTION_ADD).status_code == 403


@pytest.mark.parametrize(
    ("model", "headers"),
    [
        ("publicityactivity", ["活动日期", "填报单位", "活动名称", "宣传渠道"]),
        ("newsitem", ["报送时间", "报送单位", "标题", "审核状态", "采用次数"]),
    ],
)
def test_the_exports_are_excel_with_chinese_headers(client, bureau_admin, activity_a, model, headers):
    item = NewsItemFactory(approved=True, title='=HYPERLINK("http://evil")')
    AdoptionFactory(news_item=item)
    client.force_login(bureau_admin)
    ids = list(
        {"publicityactivity": PublicityActivity, "newsitem": NewsItem}[model].objects.values_list(
            "pk", flat=True
        )
    )

    response = client.post(
        f"/admin/publicity/{model}/", {"action": "export_xlsx", "_selected_action": [str(pk) for pk in ids]}
    )

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][: len(headers)]) == headers
    assert len(rows) == 1 + len(ids)
    if model == "newsitem":
        # User text that looks like a formula stays text.
        cells = [c for c in sheet.iter_rows() for c in c if c.value == '=HYPERLINK("http://evil")']
        assert cells
        assert all(c.data_type == "s" for c in cells)


# --- the admin saves through records.services --------------------------------------------------------


ACTIVITY_ADD = "/admin/publicity/publicityactivity/add/"


def activity_post(**overrides):
    return {
        "title": "计量惠民进社区",
        "date": "2025-05-21",
        "channel": "offline",
        "form": "community",
        "venue_type": "community_center",
        "volunteers_present": "0",
        "participants": "150",
        "materials_distributed": "200",
        "consultations": "30",
        "posters": "0",
        "phone_weight_labels": "0",
        "free_verifications": "0",
        "integrity_pledges": "0",
        "evidence-photo-content_type-object_id-TOTAL_FORMS": "0",
        "evidence-photo-content_type-object_id-INITIAL_FORMS": "0",
        **overrides,
    }


def test_an_activity_added_in_the_admin_is_the_users_with_its_history(client, bureau_admin, campaign):
    client.force_login(bureau_admin)

    response = client.post(ACTIVITY_ADD, activity_post())

    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = PublicityActivity.objects.get()
    assert (activity.unit, activity.campaign, activity.created_by, activity.review_status) == (
        bureau_admin.unit,
        campaign,
        bureau_admin,
        ReviewStatus.DRAFT,
    )
    assert activity.history.latest().history_user == bureau_admin


@pytest.mark.parametrize("day", ["2025-04-01", "2099-05-21"])
def test_the_admin_refuses_a_date_outside_the_campaign_or_in_the_future(client, bureau_admin, campaign, day):
    client.force_login(bureau_admin)

    response = client.post(ACTIVITY_ADD, activity_post(date=day))

    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    assert not PublicityActivity.objects.exists()


def test_the_admin_refuses_a_changed_date_outside_the_campaign(client, bureau_admin, activity_a):
    client.force_login(bureau_admin)

    response = client.post(
        f"/admin/publicity/publicityactivity/{activity_a.pk}/change/", activity_post(date="2025-07-01")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [
        "日期须在活动期间（2025-04-25 至 2025-06-30）内。"
    ]
    assert PublicityActivity.objects.get(pk=activity_a.pk).date == activity_a.date


def test_an_approved_activity_is_locked_in_the_admin(client, bureau_admin, activity_a):
    PublicityActivity.objects.filter(pk=activity_a.pk).update(review_status=ReviewStatus.APPROVED)
    client.force_login(bureau_admin)

    response = client.post(
        f"/admin/publicity/publicityactivity/{activity_a.pk}/change/", activity_post(title="改")
    )

    assert response.status_code == 403
    assert PublicityActivity.objects.get(pk=activity_a.pk).title == activity_a.title


def test_an_admin_edit_is_saved_through_the_service_with_history(client, bureau_admin, activity_a):
    client.force_login(bureau_admin)

    response = client.post(
        f"/admin/publicity/publicityactivity/{activity_a.pk}/change/", activity_post(title="改过的标题")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = PublicityActivity.objects.get(pk=activity_a.pk)
    assert (activity.title, activity.unit_id) == ("改过的标题", activity_a.unit_id)
    assert activity.history.latest().history_user == bureau_admin


def test_the_admin_deletes_an_adoption_through_the_service(client, bureau_admin):
    adoption = AdoptionFactory()
    client.force_login(bureau_admin)

    response = client.post(f"/admin/publicity/adoption/{adoption.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Adoption.objects.exists()
    assert Adoption.history.filter(id=adoption.pk, history_type="-").get().history_user == bureau_admin
