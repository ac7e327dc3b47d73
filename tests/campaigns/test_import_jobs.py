"""Large .xlsx imports run as jobs (campaigns/imports.py): through the enterprise admin's import page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from campaigns import imports, tasks
from campaigns.models import ImportJob
from core import spreadsheets as xl
from core.spreadsheets import XLSX_CONTENT_TYPE
from enterprises.importing import enterprise_columns, enterprises_import
from enterprises.models import Enterprise
from organizations.roles import Role
from tests.celery_fixtures import eager_tasks
from tests.enterprises.factories import campaign_2025, credit_code
from tests.factories import UserFactory

__all__ = ["eager_tasks"]

IMPORT = "/admin/enterprises/enterprise/import/"
CHANGELIST = "/admin/enterprises/enterprise/"


def upload(
    rows: int, *, bad_row: int | None = None, moved: frozenset[int] = frozenset()
) -> SimpleUploadedFile:
    """A filled-in enterprise template of `rows` data rows; `bad_row` (an Excel row number) has a bad
    code; the enterprises of the `moved` rows have a new address."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.header for c in enterprise_columns()])
    for number in range(2, rows + 2):
        code = "91350100M000100Y44" if number == bad_row else credit_code(700 + number)
        sheet.append(
            [
                f"巫山县第{number}食品厂",
                code,
                "企业",
                "农副食品及食品加工业",
                "微型",
                "巫山县高唐街道 2 号" if number in moved else "巫山县高唐街道 1 号",
                "高唐街道",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("企业导入.xlsx", buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    settings.IMPORT_INLINE_MAX_ROWS = 3
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def campaign(db):
    return campaign_2025()


@pytest.mark.usefixtures("eager_tasks")
def test_a_large_file_becomes_a_job_that_imports_every_row_as_the_requester(
    client, bureau_admin, campaign, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(bureau_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"campaign": campaign.pk, "file": upload(5)})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == job.get_absolute_url()
    assert (job.status, job.progress, job.total_rows, job.imported_count) == (
        ImportJob.Status.DONE,
        100,
        5,
        5,
    )
    assert job.requested_by == bureau_admin
    assert Enterprise.objects.filter(created_by=bureau_admin).count() == 5
    assert not job.file
    assert not any(path.is_file() for path in (tmp_path / "media").rglob("*"))  # the upload is gone
    page = client.get(job.get_absolute_url())
    assert "导入完成：新增 5 条，更新 0 条，0 条无变化。" in page.content.decode()
    assert client.get(f"{job.get_absolute_url()}status/").json()["finished"] is True


@pytest.mark.usefixtures("eager_tasks")
def test_a_reimported_export_reports_new_updated_and_unchanged_rows(
    client, bureau_admin, campaign, django_capture_on_commit_callbacks
):
    client.force_login(bureau_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(IMPORT, {"campaign": campaign.pk, "file": upload(5)})

    # The same five enterprises, two of them moved, and one more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(IMPORT, {"campaign": campaign.pk, "file": upload(6, moved=frozenset({3, 5}))})

    job = ImportJob.objects.order_by("-pk").first()
    assert job is not None
    assert (job.status, job.created_count, job.updated_count, job.unchanged_count, job.imported_count) == (
        ImportJob.Status.DONE,
        1,
        2,
        3,
        3,
    )
    assert Enterprise.objects.count() == 6
    assert Enterprise.objects.filter(address="巫山县高唐街道 2 号").count() == 2
    receipt = client.get(job.get_absolute_url()).content.decode()
    assert "导入完成：新增 1 条，更新 2 条，3 条无变化。" in receipt


@pytest.mark.usefixtures("eager_tasks")
def test_a_job_with_a_bad_row_ends_with_the_row_errors_and_nothing_saved(
    client, bureau_admin, campaign, django_capture_on_commit_callbacks
):
    client.force_login(bureau_admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(IMPORT, {"campaign": campaign.pk, "file": upload(5, bad_row=4)})

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert [error["row"] for error in job.row_errors] == [4]
    assert "校验不通过" in job.row_errors[0]["messages"][0]
    assert Enterprise.objects.count() == 0
    page = client.get(job.get_absolute_url()).content.decode()
    assert "有 1 行有误，未导入任何数据" in page
    assert "校验不通过" in page


def test_another_user_gets_404_on_the_job_page_and_its_status(client, bureau_admin, jianjianke, campaign):
    job = imports.import_job_create(
        actor=bureau_admin, importer="enterprises.enterprise", campaign=campaign, upload=upload(5)
    )
    other = UserFactory(username="other_admin", unit=jianjianke, is_staff=True, roles=[Role.BUREAU_ADMIN])

    client.force_login(other)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(f"{job.get_absolute_url()}status/").status_code == 404

    client.force_login(bureau_admin)
    assert client.get(job.get_absolute_url()).status_code == 200
    assert client.get(f"{job.get_absolute_url()}status/").json()["status"] == ImportJob.Status.PENDING


@pytest.mark.usefixtures("eager_tasks")
def test_the_sweep_requeues_a_job_whose_lease_expired(bureau_admin, campaign):
    job = imports.import_job_create(
        actor=bureau_admin, importer="enterprises.enterprise", campaign=campaign, upload=upload(4)
    )
    # A worker claimed it and was killed: it stays 进行中 with a lease that has run out.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, attempts=1, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )

    assert tasks.sweep_import_jobs() == 1

    job.refresh_from_db()
    assert (job.status, job.attempts, job.imported_count) == (ImportJob.Status.DONE, 2, 4)
    assert Enterprise.objects.count() == 4


def test_a_small_file_still_imports_in_the_request(client, bureau_admin, campaign):
    client.force_login(bureau_admin)

    response = client.post(IMPORT, {"campaign": campaign.pk, "file": upload(3)})

    assert response.status_code == 302
    assert response.url == CHANGELIST
    assert Enterprise.objects.count() == 3
    assert not ImportJob.objects.exists()


def test_an_import_reports_its_progress_every_n_rows_up_to_100(bureau_admin, campaign, monkeypatch):
    monkeypatch.setattr(xl, "PROGRESS_EVERY", 2)
    seen: list[int] = []

    enterprises_import(actor=bureau_admin, upload=upload(5), progress=seen.append)

    assert seen == [36, 72, 90, 100]


@pytest.mark.parametrize("jobs", [1, 8])
def test_the_job_changelist_runs_a_fixed_number_of_queries(client, campaign, jobs, django_assert_num_queries):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    for number in range(jobs):
        ImportJob.objects.create(
            requested_by=root,
            importer="enterprises.enterprise",
            campaign=campaign,
            original_name=f"第{number}批.xlsx",
        )
    client.force_login(root)
    # session, user, the campaign filter's choices, the filtered and the total count, the page's rows
    # (campaign and requester joined), the date hierarchy's range and its days, the importer choices
    with django_assert_num_queries(9):
        response = client.get("/admin/campaigns/importjob/")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == jobs
