"""The 舆情 admin: levels editable, incidents saved through opinion.services (owner set server-side,
the same rules as the workbench), read-only for leadership, Excel export."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from core.spreadsheets import XLSX_CONTENT_TYPE
from opinion.models import OpinionIncident, OpinionLevel
from tests.opinion.factories import OpinionIncidentFactory, level


def test_the_bureau_edits_a_levels_hours_from_the_changelist(client, bureau_admin):
    client.force_login(bureau_admin)
    levels = list(OpinionLevel.objects.order_by("rank", "pk"))
    data = {
        "form-TOTAL_FORMS": str(len(levels)),
        "form-INITIAL_FORMS": str(len(levels)),
        "_save": "保存",
    }
    for n, lv in enumerate(levels):
        data.update(
            {
                f"form-{n}-id": str(lv.pk),
                f"form-{n}-report_deadline_hours": "1"
                if lv.code == "major"
                else str(lv.report_deadline_hours),
                f"form-{n}-response_deadline_hours": str(lv.response_deadline_hours),
                f"form-{n}-press_conference_hours": str(lv.press_conference_hours or ""),
                f"form-{n}-alert_leadership": "on" if lv.alert_leadership else "",
            }
        )

    response = client.post("/admin/opinion/opinionlevel/", data)

    assert response.status_code == 302
    assert OpinionLevel.objects.get(code="major").report_deadline_hours == 1


def test_an_incident_added_in_the_admin_is_the_users_units(client, bureau_admin, campaign):
    client.force_login(bureau_admin)

    response = client.post(
        "/admin/opinion/opinionincident/add/",
        {
            "title": "网传眼镜店验光仪不准",
            "discovered_at_0": "2025-05-20",
            "discovered_at_1": "23:30:00",
            "discovered_by": "价监科",
            "source": "superior",
            "summary": "上级交办。",
            "domain": "glasses",
            "sentiment": "negative",
            "level": level("general").pk,
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "evidence-photo-content_type-object_id-TOTAL_FORMS": "0",
            "evidence-photo-content_type-object_id-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    incident = OpinionIncident.objects.get()
    assert (incident.handling_unit, incident.status, incident.campaign) == (
        bureau_admin.unit,
        OpinionIncident.Status.DISCOVERED,
        campaign,
    )


def test_leader_reads_the_admin_lists_only_through_view_permission(client, leader, incident_a):
    leader.is_staff = True
    leader.save(update_fields=["is_staff"])
    client.force_login(leader)

    assert client.get("/admin/opinion/opinionincident/").status_code == 200
    assert client.get("/admin/opinion/opinionincident/add/").status_code == 403
    assert client.get(f"/admin/opinion/opinionincident/{incident_a.pk}/change/").status_code == 200


def test_an_admin_edit_goes_through_the_service_rules(client, bureau_admin, incident_a):
    """A report time before the discovery is refused, as on the workbench, and the change is in history."""
    client.force_login(bureau_admin)
    url = f"/admin/opinion/opinionincident/{incident_a.pk}/change/"
    data = {
        "title": "改过的标题",
        "discovered_at_0": "2025-05-20",
        "discovered_at_1": "09:30:00",
        "discovered_by": incident_a.discovered_by,
        "source": incident_a.source,
        "summary": incident_a.summary,
        "domain": incident_a.domain,
        "sentiment": incident_a.sentiment,
        "level": incident_a.level_id,
        "evidence-photo-content_type-object_id-TOTAL_FORMS": "0",
        "evidence-photo-content_type-object_id-INITIAL_FORMS": "0",
    }

    refused = client.post(
        url, {**data, "reported_to_county_at_0": "2025-05-20", "reported_to_county_at_1": "08:00:00"}
    )
    saved = client.post(url, data)

    assert refused.status_code == 200
    assert saved.status_code == 302
    incident = OpinionIncident.objects.get(pk=incident_a.pk)
    assert (incident.title, incident.handling_unit_id) == ("改过的标题", incident_a.handling_unit_id)
    assert incident.history.latest().history_user == bureau_admin


def test_a_closed_incident_cannot_be_changed_in_the_admin(client, bureau_admin, incident_a):
    OpinionIncident.objects.filter(pk=incident_a.pk).update(
        status="closed", response="已回应。", handling_summary="已办结。", closed_on="2025-05-22"
    )
    client.force_login(bureau_admin)

    response = client.post(f"/admin/opinion/opinionincident/{incident_a.pk}/change/", {"title": "改"})

    assert response.status_code == 403
    assert OpinionIncident.objects.get(pk=incident_a.pk).title == incident_a.title


def test_the_export_is_excel_with_chinese_headers(client, bureau_admin):
    OpinionIncidentFactory(level=level("major"))
    client.force_login(bureau_admin)
    ids = list(OpinionIncident.objects.values_list("pk", flat=True))

    response = client.post(
        "/admin/opinion/opinionincident/",
        {"action": "export_xlsx", "_selected_action": [str(pk) for pk in ids]},
    )

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0][:3]) == ["发现时间", "舆情标题", "舆情来源"]
    assert len(rows) == 1 + len(ids)
