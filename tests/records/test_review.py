"""The review state machine every submitted record shares, exercised on StationActivity.

草稿 → 已提交 → 已通过 (locked) | 已退回 (reason required) → 已提交 again. Services are tested
directly; the lock is then checked at every interface that could edit a record (page, admin, API).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from microstations.models import StationActivity
from records import services
from records.models import ReviewLog, ReviewStatus
from tests.microstations.factories import MicroStationFactory, StationActivityFactory

Action = ReviewLog.Action


@pytest.fixture
def activity(office_a) -> StationActivity:
    station = MicroStationFactory(supervising_unit=office_a.unit, opened=True)
    return StationActivityFactory(station=station, created_by=office_a, title="计量科普进社区")


@pytest.fixture
def submitted(activity, office_a) -> StationActivity:
    return services.record_submit(actor=office_a, record=activity)


def fresh(record: StationActivity) -> StationActivity:
    return StationActivity.objects.get(pk=record.pk)


def log_of(record: StationActivity) -> list[tuple[str, str, str]]:
    """(action, actor username, reason), oldest first."""
    return [(e.action, e.actor.username, e.reason) for e in reversed(services.review_log_for(record))]


# --- transitions ----------------------------------------------------------------------------------


def test_a_new_record_is_a_draft_that_can_be_edited_and_submitted(activity):
    assert activity.review_status == ReviewStatus.DRAFT
    assert activity.can_submit
    assert not activity.is_locked
    services.record_ensure_editable(record=activity)  # does not raise
    assert log_of(activity) == []


def test_office_submits_a_draft_and_the_submission_is_logged(activity, office_a):
    result = services.record_submit(actor=office_a, record=activity)

    stored = fresh(activity)
    assert result.review_status == stored.review_status == ReviewStatus.SUBMITTED
    assert stored.submitted_at is not None
    assert stored.awaiting_review
    assert log_of(activity) == [(Action.SUBMITTED, "office_a", "")]


def test_submitting_a_submitted_record_again_is_rejected(submitted, office_a):
    with pytest.raises(ValidationError, match="已提交"):
        services.record_submit(actor=office_a, record=submitted)

    assert len(log_of(submitted)) == 1


def test_bureau_admin_approves_a_submitted_record_which_is_then_locked(submitted, bureau_admin):
    services.record_approve(actor=bureau_admin, record=submitted)

    stored = fresh(submitted)
    assert stored.review_status == ReviewStatus.APPROVED
    assert stored.reviewed_by == bureau_admin
    assert stored.reviewed_at is not None
    assert stored.is_locked
    assert not stored.can_submit
    with pytest.raises(ValidationError, match="已审核通过，不能再修改"):
        services.record_ensure_editable(record=stored)
    assert log_of(submitted) == [(Action.SUBMITTED, "office_a", ""), (Action.APPROVED, "bureau_admin", "")]


def test_approving_a_draft_is_rejected(activity, bureau_admin):
    with pytest.raises(ValidationError, match="只有“已提交”的记录可以审核，当前为“草稿”"):
        services.record_approve(actor=bureau_admin, record=activity)

    stored = fresh(activity)
    assert stored.review_status == ReviewStatus.DRAFT
    assert stored.reviewed_by is None
    assert log_of(activity) == []


def test_an_approved_record_can_be_neither_resubmitted_nor_returned(submitted, office_a, bureau_admin):
    services.record_approve(actor=bureau_admin, record=submitted)

    with pytest.raises(ValidationError):
        services.record_submit(actor=office_a, record=submitted)
    with pytest.raises(ValidationError):
        services.record_return(actor=bureau_admin, record=submitted, reason="再看看")
    with pytest.raises(ValidationError):
        services.record_approve(actor=bureau_admin, record=submitted)

    assert fresh(submitted).review_status == ReviewStatus.APPROVED
    assert len(log_of(submitted)) == 2


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_returning_without_a_reason_is_rejected_and_changes_nothing(submitted, bureau_admin, reason):
    with pytest.raises(ValidationError) as excinfo:
        services.record_return(actor=bureau_admin, record=submitted, reason=reason)

    assert excinfo.value.message_dict == {"reason": ["退回时必须填写原因。"]}
    stored = fresh(submitted)
    assert stored.review_status == ReviewStatus.SUBMITTED
    assert stored.return_reason == ""
    assert stored.reviewed_by is None
    assert log_of(submitted) == [(Action.SUBMITTED, "office_a", "")]


def test_returning_keeps_the_reason_for_the_office(submitted, bureau_admin):
    services.record_return(actor=bureau_admin, record=submitted, reason="  请补充现场照片。 ")

    stored = fresh(submitted)
    assert stored.review_status == ReviewStatus.RETURNED
    assert stored.return_reason == "请补充现场照片。"
    assert stored.reviewed_by == bureau_admin
    assert not stored.is_locked
    services.record_ensure_editable(record=stored)  # a returned record may be edited
    assert log_of(submitted)[-1] == (Action.RETURNED, "bureau_admin", "请补充现场照片。")


def test_a_returned_record_is_resubmitted_and_approval_clears_the_old_reason(
    submitted, office_a, bureau_admin
):
    services.record_return(actor=bureau_admin, record=submitted, reason="请补充现场照片。")

    services.record_submit(actor=office_a, record=submitted)
    assert fresh(submitted).review_status == ReviewStatus.SUBMITTED
    services.record_approve(actor=bureau_admin, record=submitted)

    stored = fresh(submitted)
    assert stored.review_status == ReviewStatus.APPROVED
    assert stored.return_reason == ""
    assert log_of(submitted) == [
        (Action.SUBMITTED, "office_a", ""),
        (Action.RETURNED, "bureau_admin", "请补充现场照片。"),
        (Action.SUBMITTED, "office_a", ""),
        (Action.APPROVED, "bureau_admin", ""),
    ]


@pytest.mark.parametrize("reviewer", ["office_a", "leader"])
def test_only_holders_of_the_review_permission_may_approve_or_return(submitted, request, reviewer):
    actor = request.getfixturevalue(reviewer)
    assert not actor.has_perm(services.REVIEW_PERMISSION)

    with pytest.raises(PermissionDenied):
        services.record_approve(actor=actor, record=submitted)
    with pytest.raises(PermissionDenied):
        services.record_return(actor=actor, record=submitted, reason="不合格")

    stored = fresh(submitted)
    assert stored.review_status == ReviewStatus.SUBMITTED
    assert stored.reviewed_by is None
    assert len(log_of(submitted)) == 1


def test_the_review_permission_belongs_to_the_bureau_admin_group(bureau_admin):
    assert bureau_admin.has_perm(services.REVIEW_PERMISSION)


def test_every_transition_is_kept_in_the_history_with_its_user(submitted, office_a, bureau_admin):
    services.record_return(actor=bureau_admin, record=submitted, reason="请补充现场照片。")
    services.record_submit(actor=office_a, record=submitted)
    services.record_approve(actor=bureau_admin, record=submitted)

    history = list(fresh(submitted).history.order_by("history_date", "history_id"))
    steps = [(h.review_status, h.history_user.username if h.history_user else None) for h in history]
    # The factory's insert has no user; each service step names its actor.
    assert steps == [
        (ReviewStatus.DRAFT, None),
        (ReviewStatus.SUBMITTED, "office_a"),
        (ReviewStatus.RETURNED, "bureau_admin"),
        (ReviewStatus.SUBMITTED, "office_a"),
        (ReviewStatus.APPROVED, "bureau_admin"),
    ]
    assert history[2].return_reason == "请补充现场照片。"


def test_review_log_rows_name_the_record_they_concern(submitted, activity, office_a):
    other = StationActivityFactory(station=activity.station, created_by=office_a)
    services.record_submit(actor=office_a, record=other)

    entry = services.review_log_for(submitted)[0]
    assert entry.record == submitted
    assert [e.record for e in services.review_log_for(other)] == [other]


# --- the lock at every interface ------------------------------------------------------------------


@pytest.fixture
def approved(submitted, bureau_admin) -> StationActivity:
    return services.record_approve(actor=bureau_admin, record=submitted)


def test_the_edit_page_of_an_approved_activity_redirects_with_an_error(client, office_a, approved):
    client.force_login(office_a)
    url = reverse("microstations:activity_edit", args=[approved.pk])

    response = client.get(url, follow=True)

    assert response.redirect_chain == [(approved.get_absolute_url(), 302)]
    assert "该记录已审核通过，不能再修改。" in [str(m) for m in response.context["messages"]]


def test_posting_to_the_edit_page_of_an_approved_activity_changes_nothing(client, office_a, approved):
    client.force_login(office_a)
    url = reverse("microstations:activity_edit", args=[approved.pk])

    response = client.post(
        url,
        {
            "station": approved.station_id,
            "date": "2025-05-21",
            "topic": approved.topic,
            "title": "改过的标题",
            "people_reached": 1,
            "materials_distributed": 0,
            "volunteers_present": 0,
        },
    )

    assert response.status_code == 302
    stored = fresh(approved)
    assert stored.title == "计量科普进社区"
    assert stored.people_reached == 120


def test_the_admin_shows_an_approved_activity_read_only(client, bureau_admin, approved):
    client.force_login(bureau_admin)
    url = reverse("admin:microstations_stationactivity_change", args=[approved.pk])

    page = client.get(url)
    post = client.post(url, {"title": "改过的标题", "people_reached": 1})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert page.context["has_delete_permission"] is False
    assert 'name="_save"' not in page.content.decode()
    assert post.status_code == 403
    assert fresh(approved).title == "计量科普进社区"


def test_the_admin_lets_the_bureau_admin_change_a_submitted_activity(client, bureau_admin, submitted):
    client.force_login(bureau_admin)

    page = client.get(reverse("admin:microstations_stationactivity_change", args=[submitted.pk]))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is True
    assert 'name="_save"' in page.content.decode()


def test_the_api_refuses_to_patch_an_approved_activity(api_client, office_a, approved):
    api_client.force_authenticate(office_a)

    response = api_client.patch(
        f"/api/v1/station-activities/{approved.pk}/", {"title": "改过的标题"}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "该记录已审核通过，不能再修改。"}
    assert fresh(approved).title == "计量科普进社区"


def test_the_api_patches_a_returned_activity(api_client, office_a, bureau_admin, submitted):
    services.record_return(actor=bureau_admin, record=submitted, reason="标题不准确")
    api_client.force_authenticate(office_a)

    response = api_client.patch(
        f"/api/v1/station-activities/{submitted.pk}/", {"title": "改过的标题"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["title"] == "改过的标题"
    stored = fresh(submitted)
    assert stored.title == "改过的标题"
    assert stored.review_status == ReviewStatus.RETURNED
