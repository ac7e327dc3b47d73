"""Issue 19: the planning section's notice import page (paste or upload, preview, confirm)."""

from __future__ import annotations

import io
from io import StringIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from campaigns.models import Campaign, PartyGroup, Target, Task, TaskParty, WorkRequirement, Workstream
from campaigns.seeding import NOTICE_PATH
from organizations.models import Unit
from tests.html import one, select, text, texts

URL = reverse("campaigns:notice_import")

NOTICE = (
    "某县市场监督管理局\n关于开展2026年“5·20世界计量日”主题活动的通知\n各市场监管所：\n"
    "为做好2026年“5·20世界计量日”主题活动，通知如下：\n"
    "一、工作安排\n（一）开展加油机检查\n组织检查，建设九个计量科普微站。"
    "（责任单位：价监科和各市场监管所；配合单位：新华加油站）\n"
    "二、工作要求\n（一）加强领导。要高度重视。\n"
)


def _counts():
    models = (Unit, Campaign, Workstream, Target, Task, TaskParty, PartyGroup, WorkRequirement)
    return [model.objects.count() for model in models]


@pytest.fixture
def admin_client(client, bureau_admin):
    client.force_login(bureau_admin)
    return client


@pytest.mark.parametrize("who", ["office_a", "leader"])
def test_only_the_bureau_admin_may_open_or_post_the_import_page(db, client, who, request):
    # `db` named here: pytest-django orders tests by the fixtures they name, and one naming none runs
    # after the transactional tests, whose flush empties the role groups the users below need.
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": NOTICE, "confirm": "1", "party_0": "new:gas_station"}).status_code == 403
    assert not Campaign.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_planning_page_links_to_the_import(admin_client):
    call_command("seed_campaign", stdout=StringIO())
    response = admin_client.get(reverse("campaigns:plan", args=[2025]))
    assert one(response, "[data-notice-import-link] a").get("href") == URL


def test_the_preview_shows_every_proposal_beside_its_sentence_and_creates_nothing(admin_client, db):
    before = _counts()
    response = admin_client.post(URL, {"text": NOTICE})

    assert response.status_code == 200
    assert _counts() == before
    assert "开展加油机检查" in text(one(response, "[data-proposal=workstream] header"))
    task = text(one(response, "[data-proposal=task]"))
    assert "价监科" in task
    assert "各市场监管所（单位组）" in task
    target = text(one(response, "[data-proposal=target]"))
    assert "计量科普微站 9个" in target
    assert "组织检查，建设九个计量科普微站。" in target
    assert texts(response, "[data-unknown]") == ["（未知单位，请在下方选择）"]
    assert "加强领导" in text(one(response, "[data-proposal=requirement]"))
    assert one(response, "[data-notice-confirm] textarea[name=text]").text.strip() == NOTICE.strip()
    assert [o.get("value") for o in select(response, "select[name=party_0] option")][:2] == [
        "",
        "new:section",
    ]


def test_the_preview_query_count_does_not_grow_with_the_notice(admin_client, db, django_assert_num_queries):
    admin_client.post(URL, {"text": NOTICE})  # warm the session
    longer = NOTICE.replace(
        "二、工作要求", "（二）开展宣传\n开展宣传。（责任单位：价监科；配合单位：平湖市场）\n二、工作要求"
    )
    # Session, user, the user's permissions (user, group); the unit names (for a 工作要求's subject), the
    # units the notice names, earlier groups of those names, the active units (the unknown name's
    # choices), the year's campaign; the base template's roles and the user's unit.
    with django_assert_num_queries(11):
        admin_client.post(URL, {"text": NOTICE})
    with django_assert_num_queries(11):
        admin_client.post(URL, {"text": longer})


def test_confirming_without_mapping_an_unknown_unit_creates_nothing(admin_client, db):
    before = _counts()

    response = admin_client.post(URL, {"text": NOTICE, "confirm": "1"})

    assert response.status_code == 200
    assert "请选择“新华加油站”对应的单位。" in text(one(response, "[data-error-summary]"))
    assert _counts() == before


def test_confirming_creates_the_campaign_and_a_second_import_changes_nothing(admin_client, db):
    response = admin_client.post(URL, {"text": NOTICE, "confirm": "1", "party_0": "new:gas_station"})

    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:plan", args=[2026])
    campaign = Campaign.objects.get(year=2026)
    task = campaign.tasks.get()
    assert task.title == "开展加油机检查"
    assert [p.label for p in task.parties.order_by("role", "sort_order")] == [
        "新华加油站",
        "价监科",
        "各市场监管所",
    ]
    assert Unit.objects.get(name="新华加油站").kind == Unit.Kind.GAS_STATION
    assert campaign.targets.get().goal == 9
    assert campaign.notice_text == NOTICE.strip()
    before = _counts()

    response = admin_client.post(URL, {"text": NOTICE, "confirm": "1"}, follow=True)

    assert "该通知已导入过" in response.content.decode()
    assert _counts() == before


def test_an_uploaded_docx_notice_is_previewed(admin_client, db):
    document = docx.Document()
    for line in NOTICE_PATH.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile(
        "2025通知.docx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )

    response = admin_client.post(URL, {"file": upload})

    assert response.status_code == 200
    assert len(select(response, "[data-proposal=workstream]")) == 4
    assert "计量顺时代之需，应民生之盼" in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "请各单位高度重视计量宣传工作。", "year": "2026"}, "没有识别出工作安排"),
        ({"text": ""}, "请粘贴通知全文或上传通知文件。"),
        ({"text": NOTICE, "year": "1999"}, "年度"),
    ],
)
def test_text_with_no_parseable_structure_shows_a_clear_message_and_creates_nothing(
    admin_client, db, data, message
):
    before = _counts()

    response = admin_client.post(URL, {**data, "confirm": "1"})

    assert response.status_code == 200
    assert message in text(one(response, "[data-error-summary]"))
    assert _counts() == before


def test_an_upload_of_another_type_is_refused(admin_client, db):
    upload = SimpleUploadedFile("notice.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = admin_client.post(URL, {"file": upload})
    assert "只能上传 .txt 或 .docx 文件。" in text(one(response, "[data-error-summary]"))
