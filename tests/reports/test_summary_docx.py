"""The narrative 工作总结 (.docx): its structure, its figures (the workbook's), its photos, its templates
(edited in the admin), and the doors that build it (report jobs, manage.py build_report)."""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from records.models import ReviewStatus
from reports import services
from reports.builders import build_workbook
from reports.figures import SECTIONS
from reports.models import Report, SummaryTemplate
from reports.summary import fill, template_error, write_summary
from reports.summary_defaults import DEFAULT_TEMPLATES
from tests.evidence.images import jpeg, upload
from tests.html import cells
from tests.reports.conftest import WEEK, table

pytestmark = pytest.mark.usefixtures("data_migrations")


def summary(campaign, **kwargs) -> Document:
    out = io.BytesIO()
    write_summary(campaign, out, **kwargs)
    return Document(io.BytesIO(out.getvalue()))


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def body(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def figure_table(document) -> list[list[str]]:
    [figures] = document.tables
    return [[cell.text for cell in row.cells] for row in figures.rows]


def test_the_summary_follows_the_bureaus_structure_with_a_dated_header(scope, campaign, unit_a):
    document = summary(campaign, period=WEEK, unit=unit_a)
    today = timezone.localdate()

    assert headings(document) == [
        "一、基本情况",
        "二、主要做法和成效",
        "（一）民生计量科普宣传服务微站",
        "（二）“守护民生 公平计量”线上线下宣传",
        "（三）民生计量专项检查",
        "（四）计量服务中小企业行",
        "（五）舆情监控和信息报送",
        "三、存在问题",
        "四、下一步打算",
        "附表：主要数据",
    ]
    header = document.sections[0].header.paragraphs[0].text
    assert header == f"巫山县市场监督管理局　　{today.year}年{today.month}月{today.day}日"
    assert document.paragraphs[0].text == f"{campaign.name}工作周报"


def test_the_summarys_figures_are_the_workbooks(scope, campaign, unit_a):
    document = summary(campaign, period=WEEK, unit=unit_a)
    workbook = load_workbook(io.BytesIO(build_workbook(campaign, period=WEEK, unit=unit_a)))

    def same(value) -> str:
        # 0.0000 (万元) in the .docx is 0 read back from Excel: compare numbers as numbers.
        try:
            return str(Decimal(str(value)).normalize())
        except InvalidOperation:
            return str(value)

    overview = [[same(v) for v in row[:4]] for row in table(workbook["总览"]) if row[0] in SECTIONS]
    written = figure_table(document)

    assert written[0] == ["工作", "指标", "本周新增", "累计"]
    assert [[same(v) for v in row] for row in written[1:]] == overview
    assert len(overview) > 20


def test_the_sentences_are_filled_with_the_periods_figures(scope, campaign, unit_a):
    text = body(summary(campaign, period=WEEK, unit=unit_a))

    # Hand counts for unit A's week (tests/reports/conftest.py): one approved record of each type.
    assert "开展微站活动1场，覆盖群众10人次" in text
    assert "活动开始以来累计2场、20人次" in text
    assert "出动执法人员3人次，检查计量器具2台件" in text
    assert "服务中小企业1次" in text
    assert "{" not in text


def test_the_best_photos_of_approved_records_come_with_their_captions(scope, campaign, unit_a, office_a):
    from evidence.processing import process_upload
    from evidence.services import photos_attach
    from microstations.models import StationActivity

    activities = StationActivity.objects.filter(unit=unit_a, title__in=["甲本周", "甲待审"])
    for activity in activities:
        activity.review_status = ReviewStatus.DRAFT
        activity.created_by = office_a
        activity.save()
        photos_attach(
            actor=office_a,
            record=activity,
            photos=[process_upload(upload("p.jpg", jpeg((320, 240))))],
            caption=f"{activity.title}现场",
        )
    activities.filter(title="甲本周").update(review_status=ReviewStatus.APPROVED)
    activities.filter(title="甲待审").update(review_status=ReviewStatus.SUBMITTED)

    document = summary(campaign, period=WEEK, unit=unit_a)

    assert len(document.inline_shapes) == 1
    assert "甲本周现场" in body(document)
    assert "甲待审现场" not in body(document)
    assert "附：活动照片" in headings(document)


def test_an_edited_template_changes_the_wording_and_keeps_the_figures(scope, campaign, unit_a, bureau_admin):
    services.summary_template_save(
        actor=bureau_admin,
        template=SummaryTemplate.objects.get(key="stations"),
        data={"text": "本周微站共办活动{station_activities}场（累计{station_activities_total}场）。"},
    )

    text = body(summary(campaign, period=WEEK, unit=unit_a))

    assert "本周微站共办活动1场（累计2场）。" in text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("共{unknown}场", "不认识的名称：unknown。"),
        ("共{station_activities场", "花括号不成对"),
        ("{campaign.__class__}", "不认识的名称"),
        ("{visits:%%}", "格式"),
    ],
)
def test_a_template_that_cannot_be_filled_is_refused_and_nothing_saved(db, text, message):
    row = SummaryTemplate.objects.get(key="stations")

    row.text = text
    with pytest.raises(ValidationError, match=message):
        row.full_clean()
    row.refresh_from_db()
    assert row.text == {k: t for k, _h, t in DEFAULT_TEMPLATES}["stations"]


def test_the_shipped_templates_are_rows_and_all_fill():
    assert template_error("{visits}次{{不是名称}}") is None
    assert fill("{visits}次{{x}}", {"visits": 3}) == "3次{x}"
    for _key, heading, text in DEFAULT_TEMPLATES:
        assert template_error(heading) is None
        assert template_error(text) is None


def test_the_admin_edits_a_template_and_refuses_an_unknown_name(client, bureau_admin):
    row = SummaryTemplate.objects.get(key="next_steps")
    url = reverse("admin:reports_summarytemplate_change", args=[row.pk])
    client.force_login(bureau_admin)
    data = {"key": row.key, "heading": row.heading, "sort_order": row.sort_order}

    refused = client.post(url, {**data, "text": "下一步{nothing}"})
    saved = client.post(url, {**data, "text": "持续推进，服务{visits_total}次。"})

    assert refused.status_code == 200
    assert "不认识的名称：nothing。" in refused.content.decode()
    assert saved.status_code == 302
    row.refresh_from_db()
    assert row.text == "持续推进，服务{visits_total}次。"


# --- The doors --------------------------------------------------------------------------------------------


def test_a_requested_docx_report_is_built_by_the_job_with_progress(scope, campaign, leader, unit_a):
    report = services.report_request(actor=leader, campaign=campaign, unit=unit_a, format=Report.Format.DOCX)
    report.refresh_from_db()

    assert (report.status, report.progress) == (Report.Status.DONE, 100)
    assert report.file.name.endswith(".docx")
    assert report.filename.endswith("工作总结-" + report.finished_at.strftime("%Y%m%d-%H%M") + ".docx")
    with report.file.open("rb") as content:
        document = Document(io.BytesIO(content.read()))
    assert headings(document)[0] == "一、基本情况"


def test_the_request_form_takes_the_unit_and_the_format(client, scope, campaign, leader, unit_a):
    client.force_login(leader)

    response = client.post(
        reverse("reports:request"),
        {"campaign": campaign.pk, "unit": unit_a.pk, "format": "docx", "date_from": "2025-05-12"},
    )

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.unit, report.format, str(report.date_from)) == (unit_a, "docx", "2025-05-12")


def test_a_bad_format_is_refused_and_nothing_saved(client, campaign, leader):
    client.force_login(leader)

    response = client.post(
        reverse("reports:request"), {"campaign": campaign.pk, "format": "pdf"}, follow=True
    )

    assert Report.objects.count() == 0
    assert any("格式" in str(m) for m in response.context["messages"])


def test_the_dashboard_filters_fill_the_request_form(client, campaign, leader, unit_a):
    client.force_login(leader)

    response = client.get(
        reverse("reports:list"),
        {"campaign": campaign.pk, "date_from": "2025-05-01", "date_to": "2025-05-31", "unit": unit_a.pk},
    )

    initial = response.context["form"].initial
    assert (initial["campaign"], str(initial["date_from"]), str(initial["date_to"])) == (
        campaign,
        "2025-05-01",
        "2025-05-31",
    )
    assert initial["unit"] == unit_a


def test_build_report_writes_a_docx_when_asked_and_xlsx_by_default(scope, campaign, tmp_path):
    docx_out, xlsx_out = tmp_path / "summary.docx", tmp_path / "book.xlsx"

    call_command(
        "build_report", "--format", "docx", "--year", "2025", "--out", str(docx_out), stdout=StringIO()
    )
    call_command("build_report", "--year", "2025", "--out", str(xlsx_out), stdout=StringIO())

    assert headings(Document(docx_out))[-1] == "附表：主要数据"
    assert load_workbook(xlsx_out).sheetnames[0] == "总览"


def test_the_report_list_shows_each_reports_unit_and_format(client, campaign, leader, unit_a):
    services.report_request(actor=leader, campaign=campaign, unit=unit_a, format=Report.Format.DOCX)
    services.report_request(actor=leader, campaign=campaign)
    client.force_login(leader)

    rows = cells(client.get(reverse("reports:list")), "table tbody tr")

    assert [row[4:6] for row in rows] == [
        ["全部单位", "Excel 汇总报表（.xlsx）"],
        [unit_a.name, "Word 工作总结（.docx）"],
    ]
