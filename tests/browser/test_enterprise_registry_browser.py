"""The enterprise registry in Chromium: the list narrows by its filters (the same FilterSet as the API),
an office registers an enterprise with a valid 统一社会信用代码 (typed as people copy it), and an invalid
code answers in Chinese on the field and saves nothing."""

from __future__ import annotations

from typing import Any

import pytest

from enterprises.models import Enterprise
from organizations.roles import Role
from tests.factories import PASSWORD, UnitFactory, UserFactory

VALID = "91350100M000100Y43"
WUSHAN_VALID = "91500237MA5U000K0E"
BAD_CHECK = "91350100M000100Y44"  # one character off: the check character no longer matches


@pytest.fixture
def clerk(transactional_db: None) -> Any:
    clerk = UserFactory(username="gaotang", unit=UnitFactory(name="高唐市场监管所"), roles=[Role.OFFICE])
    common = {"address": "巫山县", "created_by": clerk}
    Enterprise.objects.create(
        name="巫山县福泰加油站",
        credit_code=WUSHAN_VALID,
        kind=Enterprise.Kind.COMPANY,
        industry=Enterprise.Industry.FUEL,
        size=Enterprise.Size.SMALL,
        township="龙门街道",
        **common,
    )
    Enterprise.objects.create(
        name="巫山县光明眼镜店",
        credit_code="92500237MA5U00170L",
        kind=Enterprise.Kind.INDIVIDUAL,
        industry=Enterprise.Industry.OPTICAL,
        size=Enterprise.Size.MICRO,
        township="高唐街道",
        **common,
    )
    Enterprise.objects.create(
        name="高唐农贸市场张记摊位",
        kind=Enterprise.Kind.STALL,
        industry=Enterprise.Industry.RETAIL,
        size=Enterprise.Size.MICRO,
        township="高唐街道",
        **common,
    )
    return clerk


def listed(page: Any) -> list[str]:
    return page.locator("tbody tr[data-enterprise] td:first-child").all_inner_texts()


def open_filters(page: Any) -> None:
    if page.locator("details.filters").get_attribute("open") is None:
        page.locator("details.filters summary").click()


def test_the_list_narrows_by_its_filters(login, live_server, clerk):
    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}/workbench/enterprises/")
    assert page.locator("h1").inner_text() == "企业名录"
    assert "共 3 家" in page.locator("hgroup p").inner_text()
    assert sorted(listed(page)) == sorted(Enterprise.objects.values_list("name", flat=True))

    open_filters(page)
    page.get_by_label("所属行业").select_option(Enterprise.Industry.OPTICAL)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    assert "industry=optical" in page.url
    assert listed(page) == ["巫山县光明眼镜店"]
    assert "共 1 家" in page.locator("hgroup p").inner_text()

    # A code typed as it is copied (lower case, spaces) finds the enterprise it is stored for.
    page.goto(f"{live_server.url}/workbench/enterprises/")
    open_filters(page)
    page.get_by_label("搜索").fill(" 91500237 ma5u000k0e ")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    assert listed(page) == ["巫山县福泰加油站"]
    assert page.locator("tr[data-enterprise] code").inner_text() == WUSHAN_VALID

    open_filters(page)
    page.get_by_label("搜索").fill("")
    page.get_by_label("乡镇/街道").fill("高唐街道")
    page.get_by_label("主体类型").select_option(Enterprise.Kind.STALL)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    assert listed(page) == ["高唐农贸市场张记摊位"]

    page.get_by_label("主体类型").select_option(Enterprise.Kind.COMPANY)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    assert listed(page) == []
    assert page.locator("td.empty").inner_text() == "没有符合条件的企业。"

    page.get_by_role("link", name="清除").click()
    page.wait_for_load_state()
    assert len(listed(page)) == 3
    assert page.console_errors == []


def fill_enterprise(page: Any, credit_code: str) -> None:
    page.fill("#id_name", "巫山县诚信电子衡器经营部")
    page.fill("#id_credit_code", credit_code)
    page.select_option("#id_kind", Enterprise.Kind.INDIVIDUAL)
    page.select_option("#id_industry", Enterprise.Industry.RETAIL)
    page.select_option("#id_size", Enterprise.Size.MICRO)
    page.fill("#id_address", "广东中路 18 号")
    page.fill("#id_township", "高唐街道")
    page.fill("#id_contact_name", "刘老板")
    page.fill("#id_contact_phone", "13800000000")


def test_an_office_registers_an_enterprise_with_a_valid_code(login, live_server, clerk):
    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}/workbench/enterprises/")
    page.get_by_role("button", name="登记企业").click()  # a link styled as a button
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "登记企业"

    fill_enterprise(page, " 91350100m000100y43 ")
    page.click("[data-testid=save-enterprise]")
    page.wait_for_load_state()

    assert "企业已登记。" in page.locator(".messages").inner_text()
    assert page.locator("h1").inner_text() == "巫山县诚信电子衡器经营部"
    saved = Enterprise.objects.get(name="巫山县诚信电子衡器经营部")
    assert page.url == f"{live_server.url}{saved.get_absolute_url()}"
    assert page.locator("dl.facts code").inner_text() == VALID
    assert (saved.credit_code, saved.registration_authority, saved.region_code) == (VALID, "9", "350100")
    assert (saved.kind, saved.industry, saved.township) == (
        Enterprise.Kind.INDIVIDUAL,
        Enterprise.Industry.RETAIL,
        "高唐街道",
    )
    assert saved.created_by == clerk

    page.goto(f"{live_server.url}/workbench/enterprises/")
    assert "巫山县诚信电子衡器经营部" in listed(page)
    assert page.console_errors == []


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (BAD_CHECK, "统一社会信用代码校验不通过，请核对是否抄错。"),
        ("91350100M000100Y4", "统一社会信用代码应为 18 位，当前为 17 位。"),
        (WUSHAN_VALID, "该统一社会信用代码已登记为“巫山县福泰加油站”，请勿重复添加。"),
    ],
    ids=["check-character", "length", "duplicate"],
)
def test_an_invalid_code_answers_in_chinese_and_saves_nothing(login, live_server, clerk, code, message):
    page = login("gaotang", PASSWORD)
    page.goto(f"{live_server.url}/workbench/enterprises/new/")
    fill_enterprise(page, code)
    page.click("[data-testid=save-enterprise]")
    page.wait_for_load_state()

    error = page.locator("label[for=id_credit_code] .field-error")
    assert error.inner_text() == message
    assert page.locator(".field-error").count() == 1
    assert page.locator("#id_name").input_value() == "巫山县诚信电子衡器经营部"  # nothing typed is lost
    assert page.locator(".messages").count() == 0
    assert Enterprise.objects.count() == 3
    assert not Enterprise.objects.filter(name="巫山县诚信电子衡器经营部").exists()
    assert page.console_errors == []
