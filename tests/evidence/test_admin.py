"""The photo admin (for those who see every unit) and the inline that workstream admins embed."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from campaigns.models import TaskAssignment
from evidence.admin import PhotoInline
from evidence.models import Photo
from organizations.roles import Role
from tests.evidence.images import camera_exif, jpeg, stored_files
from tests.factories import UserFactory

CHANGELIST = "admin:evidence_photo_changelist"


@pytest.fixture
def staff_office_a(unit_a):
    return UserFactory(username="staff_office_a", unit=unit_a, is_staff=True, roles=[Role.OFFICE])


def test_bureau_admin_sees_every_units_photos_with_thumbnails(
    client, bureau_admin, office_a, office_b, assignment_a, assignment_b, attach
):
    photo_a = attach(office_a, assignment_a, jpeg(exif=camera_exif()))[0]
    photo_b = attach(office_b, assignment_b, jpeg())[0]
    client.force_login(bureau_admin)

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    html = response.content.decode()
    for photo in (photo_a, photo_b):
        assert reverse("evidence:thumbnail", args=[photo.pk]) in html
        assert 'loading="lazy"' in html


@pytest.mark.parametrize("count", [1, 4])
def test_changelist_runs_a_fixed_number_of_queries(
    client, bureau_admin, office_a, assignment_a, attach, django_assert_num_queries, count
):
    attach(office_a, assignment_a, *[jpeg((64, 48))] * count)
    client.force_login(bureau_admin)

    # 1 session, 2 user, 3-4 the user's own and group permissions, 5 the content types that have
    # photos (filter), 6-7 the filtered and total counts, 8 the page of photos with their content
    # types and uploaders, 9 the user's roles (context processor)
    with django_assert_num_queries(9):
        response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert response.content.decode().count('class="evidence-admin-thumb"') == count


def test_staff_who_see_only_their_unit_do_not_get_the_photo_changelist(
    client, staff_office_a, office_a, assignment_a, attach
):
    photo = attach(office_a, assignment_a, jpeg())[0]
    client.force_login(staff_office_a)

    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(reverse("admin:evidence_photo_change", args=[photo.pk])).status_code == 403
    assert "evidence" not in client.get(reverse("admin:index")).content.decode()


def test_bureau_admin_edits_only_the_caption(client, bureau_admin, office_a, assignment_a, attach):
    photo = attach(office_a, assignment_a, jpeg())[0]
    client.force_login(bureau_admin)
    url = reverse("admin:evidence_photo_change", args=[photo.pk])

    page = client.get(url).content.decode()
    response = client.post(
        url, {"caption": "龙门社区宣传", "original_name": "renamed.jpg", "sha256": "0" * 64}
    )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "龙门社区宣传"
    assert photo.original_name == "photo0.jpg"
    assert photo.sha256 != "0" * 64
    assert reverse("admin:campaigns_taskassignment_change", args=[assignment_a.pk]) in page
    assert 'name="sha256"' not in page


def test_photos_cannot_be_added_in_the_admin(client, bureau_admin):
    client.force_login(bureau_admin)

    assert client.get(reverse("admin:evidence_photo_add")).status_code == 403


def test_deleting_in_the_admin_removes_the_files_too(
    client, bureau_admin, office_a, assignment_a, attach, media_root, django_capture_on_commit_callbacks
):
    photo = attach(office_a, assignment_a, jpeg())[0]
    client.force_login(bureau_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:evidence_photo_delete", args=[photo.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Photo.objects.exists()
    assert stored_files(media_root) == []


@pytest.fixture
def assignment_admin_with_photos(monkeypatch):
    model_admin = admin.site._registry[TaskAssignment]
    monkeypatch.setattr(model_admin, "inlines", [*model_admin.inlines, PhotoInline])
    return model_admin


@pytest.mark.usefixtures("assignment_admin_with_photos")
def test_inline_shows_the_records_photos_read_only(client, bureau_admin, office_a, assignment_a, attach):
    photo = attach(office_a, assignment_a, jpeg(), caption="现场照片")[0]
    client.force_login(bureau_admin)

    response = client.get(reverse("admin:campaigns_taskassignment_change", args=[assignment_a.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("evidence:thumbnail", args=[photo.pk]) in html
    assert "照片佐证" in html
    prefix = "evidence-photo-content_type-object_id"
    assert f'name="{prefix}-TOTAL_FORMS"' in html
    assert f'name="{prefix}-0-caption"' not in html  # read-only: no input of its own
    assert f'name="{prefix}-0-DELETE"' not in html


@pytest.mark.usefixtures("assignment_admin_with_photos")
def test_inline_follows_the_parent_for_an_office_without_photo_permissions(
    client, staff_office_a, office_a, assignment_a, attach
):
    photo = attach(office_a, assignment_a, jpeg())[0]
    office_group = Group.objects.get(name=Role.OFFICE.value)
    office_group.permissions.remove(*office_group.permissions.filter(content_type__app_label="evidence"))
    client.force_login(staff_office_a)

    response = client.get(reverse("admin:campaigns_taskassignment_change", args=[assignment_a.pk]))

    assert response.status_code == 200
    assert reverse("evidence:thumbnail", args=[photo.pk]) in response.content.decode()
