"""/api/v1/publicity-activities/ and news-items: scoping, writes through
records.services, review and status actions, bad input answered with 400 and nothing saved."""

from __future__ import annotations

import pytest

from publicity.models import Adoption, NewsItem, PublicityActivity
from records import services as review
from records.models import ReviewStatus

ACTIVITIES = "/api/v1/publicity-activities/"
NEWS = "/api/v1/news-items/"


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def online_payload(**overrides):
    return {
        "title": "“手机变砝码”短视频",
        "date": "2025-05-21",
        "channel": "online",
        "form": "online_push",
        "platform": "douyin",
        "post_format": "short_video",
        "url": "https://www.douyin.com/video/520",
        "views": 15620,
        **overrides,
    }


# --- scoping ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "fixture"), [(ACTIVITIES, "activity"), (NEWS, "news")])
def test_three_actors_see_what_their_scope_allows(
    api_client, request, office_a, leader, bureau_admin, url, fixture
):
    own, other = request.getfixturevalue(f"{fixture}_a"), request.getfixturevalue(f"{fixture}_b")

    api_client.force_authenticate(office_a)
    assert ids(api_client.get(url)) == {own.pk}
    assert api_client.get(f"{url}{own.pk}/").status_code == 200
    assert api_client.get(f"{url}{other.pk}/").status_code == 404
    assert api_client.patch(f"{url}{other.pk}/", {"title": "被改了"}, format="json").status_code == 404

    for reader in (leader, bureau_admin):
        api_client.force_authenticate(reader)
        assert ids(api_client.get(url)) == {own.pk, other.pk}

    api_client.force_authenticate(leader)
    assert api_client.patch(f"{url}{own.pk}/", {"title": "被改了"}, format="json").status_code == 403
    assert type(own).objects.get(pk=own.pk).title == own.title
    assert type(other).objects.get(pk=other.pk).title == other.title


def test_anonymous_callers_get_nothing(api_client, activity_a):
    for url in (ACTIVITIES, NEWS):
        assert api_client.get(url).status_code in (401, 403)


def test_lists_filter_and_search(api_client, leader, activity_a, activity_b, news_a, news_b):
    PublicityActivity.objects.filter(pk=activity_b.pk).update(
        channel="online", platform="weibo", post_format="graphic", url="https://weibo.com/1", views=5
    )
    NewsItem.objects.filter(pk=news_b.pk).update(review_status=ReviewStatus.SUBMITTED)
    api_client.force_authenticate(leader)

    assert ids(api_client.get(ACTIVITIES, {"channel": "online"})) == {activity_b.pk}
    assert ids(api_client.get(ACTIVITIES, {"unit": activity_a.unit_id})) == {activity_a.pk}
    # The API filters with the list page's filter set: `q` searches, as on the page.
    assert ids(api_client.get(ACTIVITIES, {"q": "甲地"})) == {activity_a.pk}
    assert ids(api_client.get(NEWS, {"review_status": "submitted"})) == {news_b.pk}
    assert ids(api_client.get(NEWS, {"q": "手机变砝码"})) == {news_b.pk}


# --- activities ---------------------------------------------------------------------------------------


def test_office_creates_an_online_activity_in_its_own_unit(api_client, office_a, campaign, unit_b):
    api_client.force_authenticate(office_a)

    response = api_client.post(ACTIVITIES, online_payload(unit=unit_b.pk, campaign=999), format="json")

    assert response.status_code == 201, response.json()
    activity = PublicityActivity.objects.get()
    assert (activity.unit, activity.campaign) == (office_a.unit, campaign)
    assert response.json()["unit_name"] == "甲地市场监管所"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"url": "ftp://files.example.com/a.mp4"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"views": -1}, "views"),
        ({"platform": "", "url": ""}, "platform"),
        ({"views": None}, "views"),
        ({"participants": "很多"}, "participants"),
        ({"date": "2025-07-01"}, "date"),
    ],
)
def test_bad_activity_input_is_a_400_and_saves_nothing(api_client, office_a, campaign, overrides, field):
    api_client.force_authenticate(office_a)

    response = api_client.post(ACTIVITIES, online_payload(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not PublicityActivity.objects.exists()


def test_review_actions_work_on_activities(api_client, office_a, bureau_admin, activity_a):
    api_client.force_authenticate(office_a)
    assert api_client.post(f"{ACTIVITIES}{activity_a.pk}/submit/").json()["review_status"] == "submitted"
    assert api_client.post(f"{ACTIVITIES}{activity_a.pk}/approve/").status_code == 403

    api_client.force_authenticate(bureau_admin)
    assert api_client.post(f"{ACTIVITIES}{activity_a.pk}/approve/").json()["review_status"] == "approved"


# --- news and adoptions -------------------------------------------------------------------------------


def adoption_payload(**overrides):
    return {
        "level": "province",
        "outlet": "重庆日报",
        "url": "https://www.cqrb.cn/520",
        "adopted_on": "2025-05-22",
        **overrides,
    }


def test_the_bureau_records_an_adoption_of_an_approved_item(api_client, office_a, bureau_admin, news_a):
    review.record_submit(actor=office_a, record=news_a)
    review.record_approve(actor=bureau_admin, record=news_a)
    api_client.force_authenticate(bureau_admin)

    response = api_client.post(f"{NEWS}{news_a.pk}/adoptions/", adoption_payload(), format="json")

    assert response.status_code == 201
    assert response.json()["level_display"] == "省级"
    api_client.force_authenticate(office_a)
    assert api_client.get(f"{NEWS}{news_a.pk}/").json()["adoptions"][0]["outlet"] == "重庆日报"


def test_an_adoption_on_an_unapproved_item_is_a_400(api_client, office_a, bureau_admin, news_a):
    review.record_submit(actor=office_a, record=news_a)
    api_client.force_authenticate(bureau_admin)

    response = api_client.post(f"{NEWS}{news_a.pk}/adoptions/", adoption_payload(), format="json")

    assert response.status_code == 400
    assert response.json() == {"news_item": ["只有审核通过的信息才能登记采用。"]}
    assert not Adoption.objects.exists()


@pytest.mark.parametrize(
    "payload", [adoption_payload(url="ftp://x.example.com/a"), adoption_payload(level="town")]
)
def test_bad_adoption_input_is_a_400(api_client, bureau_admin, news_a, payload):
    NewsItem.objects.filter(pk=news_a.pk).update(review_status=ReviewStatus.APPROVED)
    api_client.force_authenticate(bureau_admin)

    assert api_client.post(f"{NEWS}{news_a.pk}/adoptions/", payload, format="json").status_code == 400
    assert not Adoption.objects.exists()


# Who may never record an adoption is refused before the row is looked up (403 whatever the row, so
# nothing is told about another unit's items).
@pytest.mark.parametrize(("actor", "expected"), [("office_a", 403), ("leader", 403), ("office_b", 403)])
def test_only_the_bureau_may_record_adoptions(api_client, request, news_a, actor, expected):
    NewsItem.objects.filter(pk=news_a.pk).update(review_status=ReviewStatus.APPROVED)
    api_client.force_authenticate(request.getfixturevalue(actor))

    response = api_client.post(f"{NEWS}{news_a.pk}/adoptions/", adoption_payload(), format="json")

    assert response.status_code == expected
    assert not Adoption.objects.exists()


def test_the_schema_lists_the_publicity_routes_and_actions(api_client, office_a):
    api_client.force_login(office_a)

    paths = set(api_client.get("/api/schema/", {"format": "json"}).json()["paths"])

    assert {
        "/api/v1/publicity-activities/",
        "/api/v1/publicity-activities/{id}/approve/",
        "/api/v1/news-items/",
        "/api/v1/news-items/{id}/adoptions/",
    } <= paths
