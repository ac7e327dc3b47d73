"""信息报送 pages: offices report, the bureau reviews and records adoptions, everyone sees the ranking."""

from __future__ import annotations

import pytest

from publicity.models import Adoption, NewsItem
from records import services as review
from records.models import ReviewStatus
from tests.publicity.factories import AdoptionFactory, NewsItemFactory

LIST = "/workbench/publicity/news/"
CREATE = "/workbench/publicity/news/new/"
RANKING = "/workbench/publicity/news/ranking/"


def detail_url(item) -> str:
    return f"/workbench/publicity/news/{item.pk}/"


def adopt_url(item) -> str:
    return f"/workbench/publicity/news/{item.pk}/adoptions/"


def adoption_form(**overrides):
    return {
        "level": "city",
        "outlet": "重庆市市场监督管理局网站",
        "url": "https://scjgj.cq.gov.cn/news/520",
        "adopted_on": "2025-05-23",
        **overrides,
    }


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def approved_a(news_a, office_a, bureau_admin):
    review.record_submit(actor=office_a, record=news_a)
    return review.record_approve(actor=bureau_admin, record=news_a)


def test_office_lists_only_its_own_units_news(client, office_a, news_a, news_b):
    client.force_login(office_a)

    response = client.get(LIST)

    assert list(response.context["paginator"].object_list) == [news_a]
    assert "乙地所宣传" not in response.content.decode()


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_read_every_units_news(client, request, news_a, news_b, actor):
    client.force_login(request.getfixturevalue(actor))

    assert set(client.get(LIST).context["paginator"].object_list) == {news_a, news_b}
    assert client.get(detail_url(news_b)).status_code == 200


def test_the_list_filters_adopted_items(client, bureau_admin, approved_a, news_b):
    AdoptionFactory(news_item=approved_a)
    client.force_login(bureau_admin)

    assert list(client.get(LIST, {"adopted": "1"}).context["paginator"].object_list) == [approved_a]
    assert list(client.get(LIST, {"adopted": "0"}).context["paginator"].object_list) == [news_b]


@pytest.mark.parametrize("method", ["detail", "edit", "submit", "adopt"])
def test_another_units_office_gets_404(client, office_b, news_a, method):
    client.force_login(office_b)
    url = {
        "detail": detail_url(news_a),
        "edit": f"{detail_url(news_a)}edit/",
        "submit": f"{detail_url(news_a)}submit/",
        "adopt": adopt_url(news_a),
    }[method]

    response = client.get(url) if method in ("detail", "edit") else client.post(url, adoption_form())

    assert response.status_code == 404
    assert NewsItem.objects.get(pk=news_a.pk).review_status == ReviewStatus.DRAFT


def test_office_reports_a_news_item_linked_to_its_activity(client, office_a, activity_a, activity_b):
    client.force_login(office_a)

    form = client.get(CREATE, {"activity": activity_a.pk}).context["form"]
    response = client.post(
        CREATE,
        {"title": "甲地所开展计量宣传", "body": "正文。", "activity": activity_a.pk, "action": "submit"},
        follow=True,
    )

    assert list(form.fields["activity"].queryset) == [activity_a]
    item = NewsItem.objects.get()
    assert (item.unit, item.activity, item.review_status) == (
        office_a.unit,
        activity_a,
        ReviewStatus.SUBMITTED,
    )
    assert "信息已保存并报送县局。" in messages_of(response)


def test_office_cannot_link_another_units_activity(client, office_a, activity_b, campaign):
    client.force_login(office_a)

    response = client.post(CREATE, {"title": "标题", "body": "正文", "activity": activity_b.pk})

    assert "activity" in response.context["form"].errors
    assert not NewsItem.objects.exists()


def test_leader_cannot_report_or_adopt(client, leader, approved_a):
    client.force_login(leader)

    assert client.post(CREATE, {"title": "t", "body": "b"}).status_code == 403
    assert client.post(adopt_url(approved_a), adoption_form()).status_code == 403
    assert not Adoption.objects.exists()


def test_office_cannot_adopt_its_own_item(client, office_a, approved_a):
    client.force_login(office_a)

    html = client.get(detail_url(approved_a)).content.decode()

    assert 'data-testid="record-adoption"' not in html
    assert client.post(adopt_url(approved_a), adoption_form()).status_code == 403
    assert not Adoption.objects.exists()


def test_the_bureau_records_an_adoption_on_the_items_page(client, bureau_admin, approved_a):
    client.force_login(bureau_admin)

    assert 'data-testid="record-adoption"' in client.get(detail_url(approved_a)).content.decode()
    response = client.post(adopt_url(approved_a), adoption_form(), follow=True)

    assert "已登记采用。" in messages_of(response)
    adoption = Adoption.objects.get()
    assert (adoption.news_item, adoption.level, adoption.recorded_by) == (approved_a, "city", bureau_admin)
    assert "重庆市市场监督管理局网站" in response.content.decode()


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_an_adoption_on_an_unapproved_item_is_refused_with_a_message(
    client, bureau_admin, office_a, news_a, state
):
    if state == "submitted":
        review.record_submit(actor=office_a, record=news_a)
    client.force_login(bureau_admin)

    assert 'data-testid="record-adoption"' not in client.get(detail_url(news_a)).content.decode()
    response = client.post(adopt_url(news_a), adoption_form(), follow=True)

    assert "只有审核通过的信息才能登记采用。" in messages_of(response)
    assert not Adoption.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"url": "ftp://scjgj.cq.gov.cn/a"}, "url", "请输入以 http:// 或 https:// 开头的有效网址。"),
        ({"url": "javascript:alert(1)"}, "url", "请输入以 http:// 或 https:// 开头的有效网址。"),
        ({"adopted_on": "2099-01-01"}, "adopted_on", "采用日期不能晚于今天。"),
        ({"outlet": ""}, "outlet", "该字段是必填项。"),
        ({"level": "township"}, "level", "选择一个有效的选项。 township 不在可用的选项中。"),
    ],
)
def test_bad_adoption_input_is_shown_on_the_page_and_saves_nothing(
    client, bureau_admin, approved_a, overrides, field, message
):
    client.force_login(bureau_admin)

    response = client.post(adopt_url(approved_a), adoption_form(**overrides))

    assert response.status_code == 200
    assert response.context["adoption_form"].errors[field] == [message]
    assert not Adoption.objects.exists()


def test_every_actor_sees_the_ranking_of_offices(client, office_a, leader, campaign, unit_a, unit_b):
    AdoptionFactory(news_item=NewsItemFactory(unit=unit_b, approved=True))
    for actor in (office_a, leader):
        client.force_login(actor)

        response = client.get(RANKING)

        ranking = response.context["ranking"]
        assert [(u.name, u.rank, u.adopted_items) for u in ranking] == [
            ("乙地市场监管所", 1, 1),
            ("甲地市场监管所", 2, 0),
        ]
    html = response.content.decode()
    assert "信息采用排名" in html


def test_a_double_submit_makes_one_news_item(client, office_a, campaign):
    client.force_login(office_a)
    create = "/workbench/publicity/news/new/"
    key = client.get(create).context["submission_key"]
    data = {"title": "巫山县开展计量宣传", "body": "正文。", "action": "submit", "submission_key": key}

    client.post(create, data)
    client.post(create, data)

    assert NewsItem.objects.count() == 1
