"""The 工作总结's wording is edited through reports.services (issue 16): permission, check, history,
whatever the door (the admin included)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports import services
from reports.models import SummaryTemplate

pytestmark = pytest.mark.django_db


def test_an_edit_is_saved_with_who_made_it_in_the_history(bureau_admin):
    row = SummaryTemplate.objects.get(key="stations")

    services.summary_template_save(
        actor=bureau_admin, template=row, data={"text": "共{station_activities}场。"}
    )

    row.refresh_from_db()
    assert row.text == "共{station_activities}场。"
    last = row.history.latest()
    assert (last.history_type, last.history_user, last.text) == ("~", bureau_admin, row.text)


def test_a_template_that_cannot_be_filled_is_refused_and_nothing_saved(bureau_admin):
    row = SummaryTemplate.objects.get(key="stations")
    before, versions = row.text, row.history.count()

    with pytest.raises(ValidationError, match="不认识的名称：unknown。"):
        services.summary_template_save(actor=bureau_admin, template=row, data={"text": "共{unknown}场"})

    row.refresh_from_db()
    assert (row.text, row.history.count()) == (before, versions)


def test_only_who_may_change_templates_edits_or_deletes_them(leader, office_a):
    row = SummaryTemplate.objects.get(key="stations")
    before = row.text

    for actor in (leader, office_a):
        with pytest.raises(PermissionDenied):
            services.summary_template_save(actor=actor, template=row, data={"text": "改"})
        with pytest.raises(PermissionDenied):
            services.summary_template_delete(actor=actor, template=row)
        with pytest.raises(PermissionDenied):
            services.summary_template_save(actor=actor, template=None, data={"key": "x", "heading": "X"})

    row.refresh_from_db()
    assert row.text == before
    assert not SummaryTemplate.objects.filter(key="x").exists()


def test_the_admin_adds_edits_and_deletes_through_the_service(client, admin_user):
    # The bureau's administrator may only edit the shipped sections; a superuser adds and deletes.
    client.force_login(admin_user)

    added = client.post(
        reverse("admin:reports_summarytemplate_add"),
        {"key": "extra", "heading": "其他", "text": "服务{visits}次。", "sort_order": 9},
    )
    row = SummaryTemplate.objects.get(key="extra")
    edited = client.post(
        reverse("admin:reports_summarytemplate_change", args=[row.pk]),
        {"key": "extra", "heading": "其他工作", "text": "服务{visits_total}次。", "sort_order": 9},
    )
    deleted = client.post(reverse("admin:reports_summarytemplate_delete", args=[row.pk]), {"post": "yes"})

    assert [added.status_code, edited.status_code, deleted.status_code] == [302, 302, 302]
    assert not SummaryTemplate.objects.filter(pk=row.pk).exists()
    history = SummaryTemplate.history.filter(id=row.pk).order_by("history_date")
    assert [(h.history_type, h.heading, h.history_user) for h in history] == [
        ("+", "其他", admin_user),
        ("~", "其他工作", admin_user),
        ("-", "其他工作", admin_user),
    ]


def test_the_bureau_admin_edits_but_neither_adds_nor_deletes(client, bureau_admin):
    row = SummaryTemplate.objects.get(key="stations")
    client.force_login(bureau_admin)

    add = client.get(reverse("admin:reports_summarytemplate_add"))
    delete = client.post(reverse("admin:reports_summarytemplate_delete", args=[row.pk]), {"post": "yes"})

    assert (add.status_code, delete.status_code) == (403, 403)
    assert SummaryTemplate.objects.filter(pk=row.pk).exists()
    with pytest.raises(PermissionDenied):
        services.summary_template_delete(actor=bureau_admin, template=row)


def test_the_admin_bulk_delete_goes_through_the_service(client, admin_user):
    client.force_login(admin_user)
    rows = list(SummaryTemplate.objects.filter(key__in=["stations", "next_steps"]))

    response = client.post(
        reverse("admin:reports_summarytemplate_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"},
    )

    assert response.status_code == 302
    assert not SummaryTemplate.objects.filter(pk__in=[r.pk for r in rows]).exists()
    assert SummaryTemplate.history.filter(history_type="-", history_user=admin_user).count() == 2


def test_the_admin_shows_a_template_history(client, bureau_admin):
    row = SummaryTemplate.objects.get(key="stations")
    services.summary_template_save(actor=bureau_admin, template=row, data={"heading": "微站建设情况"})
    client.force_login(bureau_admin)

    page = client.get(reverse("admin:reports_summarytemplate_history", args=[row.pk]))

    assert page.status_code == 200
    assert "微站建设情况" in page.content.decode()
