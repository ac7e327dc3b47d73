"""An office logs an SME service visit on a phone-sized Chromium page and sees a problem through to solved."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from PIL import Image

from enterprises import uscc
from enterprises.models import Enterprise, EnterpriseVisit, MetrologyProblem
from evidence.models import Photo
from organizations.models import Unit
from organizations.roles import Role
from records.models import ReviewStatus
from tests.browser.test_inspection_browser import pick_enterprise
from tests.factories import PASSWORD, CampaignFactory, UnitFactory, UserFactory


@pytest.fixture
def office_setup(transactional_db: None) -> Enterprise:
    office = UnitFactory(name="高唐市场监管所")
    UnitFactory(name="巫山检测所", kind=Unit.Kind.TESTING)
    user = UserFactory(username="gaotang", unit=office, roles=[Role.OFFICE])
    CampaignFactory(year=2025, start_date=dt.date(2025, 4, 25), end_date=dt.date(2025, 6, 30))
    return Enterprise.objects.create(
        name="巫山县三峡红脆李食品有限公司",
        credit_code=uscc.make_code("91500237MA6T00001"),
        kind=Enterprise.Kind.COMPANY,
        industry=Enterprise.Industry.FOOD,
        size=Enterprise.Size.SMALL,
        address="巫山县曲尺乡柑园村",
        township="曲尺乡",
        contact_name="郑经理",
        created_by=user,
    )


def test_office_logs_a_visit_that_solves_a_problem(login, office_setup, tmp_path):
    enterprise = office_setup
    photo = tmp_path / "问需清单.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 120, 40)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    page = login("gaotang", PASSWORD)
    page.goto(page.url.replace("/workbench/", f"/workbench/enterprises/{enterprise.pk}/"))
    page.click("[data-testid=add-visit]")
    page.wait_for_load_state()
    assert page.locator("#id_enterprise").input_value() == str(enterprise.pk)
    page.fill("#id_date", "2025-05-21")
    page.check("input[name=visit_types][value=survey]")
    page.check("input[name=visit_types][value=onsite_guidance]")
    page.fill("#id_staff", "张伟、刘洋（巫山检测所）")
    page.select_option("#id_technical_partner", label="巫山检测所")
    page.fill("#id_needs_identified", "生产线电子秤临近检定周期")
    page.fill("#id_instruments_serviced", "6")
    page.fill("#id_fees_waived", "180")
    page.fill("#id_estimated_saving", "720")
    page.fill("#id_saving_basis", "免费检定 6 台电子秤，按收费标准估算")
    page.set_input_files("#id_photos", str(photo))
    page.click("[data-testid=save-and-submit]")
    page.wait_for_load_state()

    assert "服务记录已保存并提交县局审核" in page.locator(".messages").inner_text()
    assert page.locator(".evidence-gallery img").count() == 1

    page.select_option("#new_problem_category", "instruments")
    page.fill("#new_problem_description", "3 台电子计价秤超期未检")
    page.click("[data-testid=raise-problem] button[type=submit]")
    page.wait_for_load_state()
    assert "问题已登记" in page.locator(".messages").inner_text()

    page.locator("[data-testid=assign-problem] select").select_option(label="巫山检测所")
    page.locator("[data-testid=assign-problem] input[name=assignee_name]").fill("刘工")
    page.click("[data-testid=assign-problem] button[type=submit]")
    page.wait_for_load_state()
    page.locator("[data-testid=solve-problem] textarea").fill("检测所上门检定，已贴合格标志")
    page.click("[data-testid=solve-problem] button[type=submit]")
    page.wait_for_load_state()
    assert "问题已标记为已解决" in page.locator(".messages").inner_text()
    page.locator("[data-testid=confirm-problem] input[name=confirmed_by_name]").fill("郑经理")
    page.click("[data-testid=confirm-problem] button[type=submit]")
    page.wait_for_load_state()

    assert "已登记企业确认" in page.locator(".messages").inner_text()
    assert page.locator("[data-problem]").get_attribute("data-status") == "confirmed"
    assert "已解决 1/1" in page.locator("#problems h2").inner_text()
    visit = EnterpriseVisit.objects.get()
    assert (visit.enterprise, visit.unit.name, visit.review_status) == (
        enterprise,
        "高唐市场监管所",
        ReviewStatus.SUBMITTED,
    )
    assert visit.visit_types == ["survey", "onsite_guidance"]
    assert (visit.instruments_serviced, visit.fees_waived) == (6, Decimal("180.00"))
    problem = MetrologyProblem.objects.get()
    assert (problem.status, problem.assigned_unit.name, problem.confirmed_by_name) == (
        MetrologyProblem.Status.CONFIRMED,
        "巫山检测所",
        "郑经理",
    )
    assert Photo.objects.filter(object_id=visit.pk).count() == 1
    assert page.console_errors == []


def test_office_sees_why_a_visit_is_refused_and_keeps_what_it_typed(login, office_setup):
    page = login("gaotang", PASSWORD)
    page.goto(page.url.replace("/workbench/", "/workbench/enterprises/visits/new/"))
    pick_enterprise(page, "id_enterprise", "红脆李", office_setup.name)
    page.fill("#id_date", "2025-05-21")
    page.check("input[name=visit_types][value=training]")
    page.fill("#id_staff", "张伟")
    page.fill("#id_estimated_saving", "500")
    page.click("[data-testid=save-draft]")
    page.wait_for_load_state()

    assert "填写了节约成本，须说明测算依据。" in page.locator(".field-error").inner_text()
    assert page.locator("#id_staff").input_value() == "张伟"
    assert EnterpriseVisit.objects.count() == 0
