"""工作要求: the owning unit's staff (an office too, not only the bureau) report progress and attach
photo evidence from the web; another unit's item is 404, leadership reads it (403 on a post)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, WorkRequirement
from evidence.models import Photo
from evidence.processing import process_upload
from tests.clock import CampaignClock
from tests.evidence.images import jpeg, upload
from tests.factories import CampaignFactory
from tests.html import one, text

Progress = WorkRequirement.Progress


@pytest.fixture(autouse=True)
def _in_the_campaign(campaign_clock: CampaignClock, settings, tmp_path) -> None:
    """20 May 2025, 10:00 in Shanghai; photos go to this test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def campaign(db) -> Campaign:
    return CampaignFactory(year=2025, start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30))


@pytest.fixture
def mechanism(campaign, unit_a) -> WorkRequirement:
    """建立长效机制, answered for by office A."""
    return WorkRequirement.objects.create(
        campaign=campaign,
        notice_ref="三（三）",
        title="建立长效机制",
        description="微站常态化运行",
        owner=unit_a,
    )


def url(requirement: WorkRequirement) -> str:
    return reverse("campaigns:requirement", args=[requirement.pk])


def test_the_owning_office_reports_progress_with_photos(client, office_a, mechanism):
    client.force_login(office_a)

    response = client.post(
        url(mechanism),
        {
            "progress": Progress.MET,
            "evidence": "9个微站每月开展一次活动，台账见附件。",
            "photos": [upload("台账.jpg", jpeg())],
        },
    )

    assert response.status_code == 302
    mechanism.refresh_from_db()
    assert (mechanism.progress, mechanism.is_met, mechanism.evidence) == (
        Progress.MET,
        True,
        "9个微站每月开展一次活动，台账见附件。",
    )
    assert mechanism.met_at is not None
    assert mechanism.history.latest().history_user == office_a
    photo = Photo.objects.get()
    assert (photo.record, photo.uploaded_by) == (mechanism, office_a)
    page = client.get(url(mechanism))
    assert "已落实" in text(one(page, "[data-requirement-progress]"))
    assert client.get(reverse("evidence:thumbnail", args=[photo.pk])).status_code == 200


def test_marking_it_met_without_any_evidence_is_refused_and_nothing_saved(client, office_a, mechanism):
    client.force_login(office_a)

    response = client.post(url(mechanism), {"progress": Progress.MET, "evidence": "  "})

    assert response.status_code == 200
    assert "标记为已落实前，请填写落实情况或上传照片。" in text(one(response, "[data-requirement-form]"))
    mechanism.refresh_from_db()
    assert (mechanism.progress, mechanism.met_at) == (Progress.NOT_STARTED, None)


def test_a_photo_attached_before_is_evidence_enough(office_a, mechanism):
    services.requirement_report(
        actor=office_a,
        pk=mechanism.pk,
        progress=Progress.IN_PROGRESS,
        evidence="",
        photos=[process_upload(upload("现场.jpg", jpeg()))],
    )

    services.requirement_report(
        actor=office_a, pk=mechanism.pk, progress=Progress.MET, evidence="", photos=[]
    )

    mechanism.refresh_from_db()
    assert mechanism.is_met


def test_a_bad_photo_is_refused_in_chinese_and_nothing_saved(client, office_a, mechanism):
    client.force_login(office_a)

    response = client.post(
        url(mechanism),
        {
            "progress": Progress.IN_PROGRESS,
            "evidence": "推进中",
            "photos": [upload("x.jpg", b"not an image")],
        },
    )

    assert response.status_code == 200
    assert "x.jpg" in text(one(response, "[data-requirement-form]"))
    mechanism.refresh_from_db()
    assert (mechanism.progress, mechanism.evidence) == (Progress.NOT_STARTED, "")
    assert not Photo.objects.exists()


def test_another_units_item_is_404_to_read_and_to_report(client, office_b, mechanism):
    client.force_login(office_b)

    assert client.get(url(mechanism)).status_code == 404
    assert client.post(url(mechanism), {"progress": Progress.IN_PROGRESS, "evidence": "x"}).status_code == 404
    mechanism.refresh_from_db()
    assert mechanism.progress == Progress.NOT_STARTED


def test_leadership_reads_the_evidence_but_may_not_report(client, leader, mechanism):
    client.force_login(leader)

    page = client.get(url(mechanism))
    assert page.status_code == 200
    assert not page.context["form"]
    assert client.post(url(mechanism), {"progress": Progress.MET, "evidence": "x"}).status_code == 403
    mechanism.refresh_from_db()
    assert mechanism.progress == Progress.NOT_STARTED


def test_the_bureau_admin_reports_on_any_item(client, bureau_admin, mechanism):
    client.force_login(bureau_admin)

    response = client.post(url(mechanism), {"progress": Progress.IN_PROGRESS, "evidence": "已布置"})

    assert response.status_code == 302
    mechanism.refresh_from_db()
    assert (mechanism.progress, mechanism.met_at) == (Progress.IN_PROGRESS, None)


def test_the_office_finds_its_items_on_the_workbench_and_the_notice(
    client, office_a, office_b, campaign, mechanism
):
    client.force_login(office_a)
    workbench = client.get("/workbench/", {"campaign": campaign.pk})
    assert "建立长效机制" in text(one(workbench, f"#requirements [data-requirement='{mechanism.pk}']"))

    client.force_login(office_b)
    assert "建立长效机制" not in workbench_text(client, campaign)


def workbench_text(client, campaign) -> str:
    return client.get("/workbench/", {"campaign": campaign.pk}).content.decode()


@pytest.mark.parametrize("photos", [0, 3])
def test_the_requirement_page_runs_the_same_queries_whatever_the_photos(
    client, office_a, mechanism, photos, django_assert_num_queries
):
    if photos:
        services.requirement_report(
            actor=office_a,
            pk=mechanism.pk,
            progress=Progress.IN_PROGRESS,
            evidence="x",
            photos=[process_upload(upload(f"{n}.jpg", jpeg())) for n in range(photos)],
        )
    client.force_login(office_a)

    # 1 session, 2 user, 3-4 user and group permissions, 5 the item with campaign and owner, 6 photos,
    # 7 history with its users, 8 the user's groups (role context processor), 9 the user's unit.
    with django_assert_num_queries(9):
        assert client.get(url(mechanism)).status_code == 200
