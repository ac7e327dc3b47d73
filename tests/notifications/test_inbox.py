"""The in-app inbox: every user reads and marks only their own messages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notification_mark_read
from tests.html import links, texts

INBOX = "/inbox/"


def notify(user, count: int = 1, subject: str = "任务提醒", **fields) -> list[Notification]:
    return Notification.objects.bulk_create(
        Notification(recipient=user, subject=f"{subject}{n}", body="请及时办理。", **fields)
        for n in range(count)
    )


def listed_subjects(response) -> list[str]:
    return [n.subject for n in response.context["notifications"]]


# --- Scoping --------------------------------------------------------------------------------------


def test_inbox_lists_only_the_users_own_messages(client, office_a, office_b):
    notify(office_a, subject="甲所的消息")
    notify(office_b, subject="乙所的消息")
    client.force_login(office_a)

    response = client.get(INBOX)

    assert response.status_code == 200
    assert listed_subjects(response) == ["甲所的消息0"]
    assert "乙所的消息" not in response.content.decode()


def test_even_leadership_sees_only_its_own_inbox(client, leader, office_a):
    notify(office_a, subject="甲所的消息")
    client.force_login(leader)

    response = client.get(INBOX)

    assert listed_subjects(response) == []


def test_marking_a_message_read_marks_only_that_one(client, office_a):
    first, second = notify(office_a, count=2)
    client.force_login(office_a)

    response = client.post(f"{INBOX}{first.pk}/read/")

    assert response.status_code == 302
    assert response["Location"] == INBOX
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_marking_someone_elses_message_is_404_and_does_nothing(client, office_a, office_b):
    [theirs] = notify(office_b)
    [mine] = notify(office_a)
    client.force_login(office_a)

    response = client.post(f"{INBOX}{theirs.pk}/read/")

    # Out of scope like any other id: 404, as the API's inbox answers.
    assert response.status_code == 404
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.read_at is None
    assert mine.read_at is None


def test_mark_read_service_ignores_ids_of_other_users(office_a, office_b):
    [theirs] = notify(office_b)

    assert notification_mark_read(user=office_a, notification_ids=[theirs.pk]) == 0

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_the_users_unread_messages_only(client, office_a, office_b):
    notify(office_a, count=3)
    [already] = notify(office_a, read_at=timezone.now() - timezone.timedelta(days=1))
    notify(office_b, count=2)
    client.force_login(office_a)

    response = client.post(f"{INBOX}read-all/", follow=True)

    assert [str(m) for m in response.context["messages"]] == ["已将 3 条消息标为已读。"]
    assert not Notification.objects.filter(recipient=office_a, read_at=None).exists()
    assert Notification.objects.filter(recipient=office_b, read_at=None).count() == 2
    read_before = already.read_at
    already.refresh_from_db()
    assert already.read_at == read_before


@pytest.mark.parametrize("path", ["1/read/", "read-all/"])
def test_marking_read_needs_a_post(client, office_a, path):
    [message] = notify(office_a)
    client.force_login(office_a)

    response = client.get(f"{INBOX}{path}".replace("1/", f"{message.pk}/"))

    assert response.status_code == 405
    message.refresh_from_db()
    assert message.read_at is None


@pytest.mark.parametrize(("method", "path"), [("get", ""), ("get", "unread/"), ("post", "read-all/")])
def test_anonymous_visitors_are_sent_to_the_login_page(client, method, path):
    response = getattr(client, method)(f"{INBOX}{path}")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- The unread badge -------------------------------------------------------------------------------


def test_unread_count_is_the_users_own_unread_messages(client, office_a, office_b):
    notify(office_a, count=2)
    notify(office_a, read_at=timezone.now())
    notify(office_b, count=5)
    client.force_login(office_a)

    response = client.get(f"{INBOX}unread/")

    assert response.status_code == 200
    assert response.json() == {"unread": 2}
    assert response["Cache-Control"] == "private, no-store"


def test_unread_count_drops_after_mark_all_read(client, office_a):
    notify(office_a, count=2)
    client.force_login(office_a)

    client.post(f"{INBOX}read-all/")

    assert client.get(f"{INBOX}unread/").json() == {"unread": 0}


# --- Listing: pages, search, unread filter ------------------------------------------------------------


def test_inbox_pages_twenty_messages_at_a_time(client, office_a):
    notify(office_a, count=25)
    client.force_login(office_a)

    first = client.get(INBOX)
    second = client.get(INBOX, {"page": 2})

    assert len(first.context["notifications"]) == 20
    assert len(second.context["notifications"]) == 5
    assert set(listed_subjects(first)).isdisjoint(listed_subjects(second))
    assert first.context["unread"] == 25
    assert "第 1/2 页，共 25 条" in first.content.decode()


def test_inbox_search_matches_the_subject_and_keeps_the_filter_across_pages(client, office_a):
    notify(office_a, count=22, subject="逾期任务升级提醒")
    notify(office_a, count=3, subject="每日任务提醒")
    client.force_login(office_a)

    response = client.get(INBOX, {"q": "升级"})

    assert len(response.context["notifications"]) == 20
    assert all("升级" in subject for subject in listed_subjects(response))
    assert response.context["paginator"].count == 22
    assert "q=%E5%8D%87%E7%BA%A7&amp;page=2" in response.content.decode()


def test_inbox_unread_filter_leaves_read_messages_out(client, office_a):
    notify(office_a, subject="未读")
    notify(office_a, subject="已读", read_at=timezone.now())
    client.force_login(office_a)

    response = client.get(INBOX, {"unread": "on"})

    assert listed_subjects(response) == ["未读0"]


def test_inbox_shows_the_newest_message_first(campaign_clock, client, office_a):
    [newer] = notify(office_a, subject="较新")
    campaign_clock.travel("reminder time on 20 May")  # earlier, with a higher id
    [older] = notify(office_a, subject="较早")
    client.force_login(office_a)

    assert listed_subjects(client.get(INBOX)) == [newer.subject, older.subject]


def test_inbox_dates_a_message_in_shanghai_time(campaign_clock, client, office_a):
    campaign_clock.travel("first second of 21 May")  # 16:00 on 20 May in UTC
    notify(office_a, subject="任务提醒", url="/workbench/")
    client.force_login(office_a)

    response = client.get(INBOX)

    assert texts(response, "article.task-card header small") == ["2025年5月21日 00:00 · 未读"]
    assert links(response, "article.task-card h3 a") == [("任务提醒0", "/workbench/")]


def test_inbox_query_count_does_not_grow_with_the_messages(client, office_a, django_assert_num_queries):
    client.force_login(office_a)
    notify(office_a, count=2)
    # 1 session, 2 user, 3 count for the paginator, 4 unread count, 5 the user's groups (role in the
    # header), 6-7 its own and its groups' permissions (sees all units?), 8 its unit (header),
    # 9 the page of messages.
    with django_assert_num_queries(9):
        small = client.get(INBOX)

    notify(office_a, count=40)
    with django_assert_num_queries(9):
        large = client.get(INBOX)

    assert len(small.context["notifications"]) == 2
    assert len(large.context["notifications"]) == 20
