"""The message after saving a publicity activity names who reviews it (records.services routing): the
bureau (县局) for an office's own activity, the station's office for one a 协办单位 logged, whether
saved as a draft or submitted."""

from __future__ import annotations

import pytest

from publicity.models import PublicityActivity
from records.models import Reviewer, ReviewStatus
from tests.organizations import cooperators
from tests.publicity.test_activity_pages import CREATE, form_data, messages_of

pytestmark = pytest.mark.django_db

power_company = cooperators.power_company
cooperator = cooperators.cooperator
hosted = cooperators.hosted


@pytest.mark.parametrize(
    ("action", "message", "status"),
    [
        ("save", "宣传活动已保存为草稿，提交后县局才能审核。", ReviewStatus.DRAFT),
        ("submit", "宣传活动已保存并提交县局审核。", ReviewStatus.SUBMITTED),
    ],
)
def test_an_offices_activity_is_reviewed_by_the_bureau(client, campaign, office_a, action, message, status):
    client.force_login(office_a)
    response = client.post(CREATE, form_data(action=action), follow=True)
    activity = PublicityActivity.objects.get()
    assert activity.review_status == status
    assert messages_of(response) == [message]
    if action == "submit":
        assert activity.reviewer == Reviewer.BUREAU


@pytest.mark.parametrize(
    ("action", "message", "status"),
    [
        ("save", "宣传活动已保存为草稿，提交后甲地市场监管所才能审核。", ReviewStatus.DRAFT),
        ("submit", "宣传活动已保存并提交甲地市场监管所审核。", ReviewStatus.SUBMITTED),
    ],
)
def test_a_cooperators_activity_is_reviewed_by_the_stations_office(
    client, campaign, cooperator, hosted, action, message, status
):
    client.force_login(cooperator)
    response = client.post(CREATE, form_data(station=hosted.pk, action=action), follow=True)
    activity = PublicityActivity.objects.get()
    assert activity.review_status == status
    assert messages_of(response) == [message]
    assert "县局" not in messages_of(response)[0]
    if action == "submit":
        assert activity.reviewer == Reviewer.OFFICE


def test_a_refused_save_shows_no_saved_message_and_saves_nothing(client, campaign, cooperator, hosted):
    client.force_login(cooperator)
    response = client.post(CREATE, form_data(station="", action="submit"))
    assert response.status_code == 200
    assert response.context["form"].errors["station"] == ["该字段是必填项。"]
    assert messages_of(response) == []
    assert not PublicityActivity.objects.exists()
