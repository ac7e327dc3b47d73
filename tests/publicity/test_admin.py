"""The publicity admin: scoped rows and choices, adoptions only of approved items, levels editable,
owners set server-side, Excel exports."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from core.spreadsheets import XLSX_CONTENT_TYPE
from publicity.models import Adoption, NewsItem, OpinionIncident, OpinionLevel, PublicityActivity
from records.models import ReviewStatus
from tests.publicity.factories import AdoptionFactory, NewsItemFactory, OpinionIncidentFactory, level

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


def test_the_bureau_edits_a_levels_hours_from_the_changelist(client, bureau_admin):
    client.force_login(bureau_admin)
    levels = list(OpinionLevel.objects.order_by("rank", "pk"))
    data = {
        "form-TOTAL_FORMS": str(len(levels)),
        "form-INITIAL_FORMS": str(len(levels)),
        "_save": "保存",
    }
    for n, lv in enumerate(levels):
        data.update(
            {
                f"form-{n}-id": str(lv.pk),
                f"form-{n}-report_deadline_hours": "1"
                if lv.code == "major"
                else str(lv.report_deadline_hours),
                f"form-{n}-response_deadline_hours": str(lv.response_deadline_hours),
                f"form-{n}-press_conference_hours": str(lv.press_conference_hours or ""),
                f"form-{n}-alert_leadership": "on" if lv.alert_leadership else "",
            }
        )

    response = client.post("/admin/publicity/opinionlevel/", data)

    assert response.status_code == 302
    assert OpinionLevel.objects.get(code="major").report_deadline_hours == 1


def test_an_incident_added_in_the_admin_is_the_users_units(client, bureau_admin, campaign):
    client.force_login(bureau_admin)

    response = client.post(
        "/admin/publicity/opinionincident/add/",
        {
            "title": "网传眼镜店验光仪不准",
            "discovered_at_0": "2025-05-20",
            "discovered_at_1": "23:30:00",
            "discovered_by": "价监科",
            "source": "superior",
            "summary": "上级交办。",
            "domain": "glasses",
            "sentiment": "negative",
            "level": level("general").pk,
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "evidence-photo-content_type-object_id-TOTAL_FORMS": "0",
            "evidence-photo-content_type-object_id-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    incident = OpinionIncident.objects.get()
    assert (incident.handling_unit, incident.status, incident.campaign) == (
        bureau_admin.unit,
        OpinionIncident.Status.DISCOVERED,
        campaign,
    )


def test_leader_reads_the_admin_lists_only_through_view_permission(client, leader, incident_a):
    leader.is_staff = True
    leader.save(update_fields=["is_staff"])
    client.force_login(leader)

    assert client.get("/admin/publicity/opinionincident/").status_code == 200
    assert client.get("/admin/publicity/opinionincident/add/").status_code == 403
    assert client.get(ADOPTION_ADD).status_code == 403


@pytest.mark.parametrize(
    ("model", "headers"),
    [
        ("publicityactivity", ["活动日期", "填报单位", "活动名称", "宣传渠道"]),
        ("newsitem", ["报送时间", "报送单位", "标题", "审核状态", "采用次数"]),
        ("opinionincident", ["发现时间", "舆情标题", "舆情来源"]),
    ],
)
def test_the_exports_are_excel_with_chinese_headers(client, bureau_admin, activity_a, model, headers):
    item = NewsItemFactory(approved=True, title='=HYPERLINK("http://evil")')
    AdoptionFactory(news_item=item)
    OpinionIncidentFactory(level=level("major"))
    client.force_login(bureau_admin)
    ids = list(
        {"publicityactivity": PublicityActivity, "newsitem": NewsItem, "opinionincident": OpinionIncident}[
            model
        ].objects.values_list("pk", flat=True)
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
