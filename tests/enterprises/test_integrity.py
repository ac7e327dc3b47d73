"""诚信计量: commitments and list entries through the services and the office pages (scope, 404, 403,
history kept, supersession, cards for market traders only, filters and a fixed query count)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from enterprises import services
from enterprises.models import Enterprise, IntegrityCommitment, IntegrityEntry
from tests.enterprises.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

Kind = IntegrityEntry.Kind
LIST = "/workbench/enterprises/integrity/"
COMMITMENTS = "/workbench/enterprises/commitments/"
DAY = dt.date(2025, 5, 20)


@pytest.fixture
def stall(db) -> Enterprise:
    return EnterpriseFactory(name="神女市场 A-12 号摊", kind=Enterprise.Kind.STALL, credit_code="")


def entry(actor, enterprise, kind, *, started_on=DAY, reason="检查发现计量作弊"):
    return services.integrity_entry_create(
        actor=actor, data={"enterprise": enterprise, "kind": kind, "reason": reason, "started_on": started_on}
    )


# --- services ------------------------------------------------------------------------------------


def test_an_office_lists_an_enterprise_under_its_own_unit(office_a, enterprise):
    listed = entry(office_a, enterprise, Kind.RED_LIST, reason="连续三年计量检查无问题")

    assert listed.unit == office_a.unit
    assert listed.is_open
    assert listed.created_by == office_a


def test_a_second_open_entry_of_the_same_kind_is_refused(office_a, office_b, enterprise):
    entry(office_a, enterprise, Kind.DEMONSTRATION)

    with pytest.raises(ValidationError) as caught:
        entry(office_b, enterprise, Kind.DEMONSTRATION)

    assert "请先终止" in caught.value.message_dict["kind"][0]
    assert IntegrityEntry.objects.count() == 1


def test_black_listing_ends_the_demonstration_and_red_list_status_but_keeps_them(office_a, enterprise):
    demo = entry(office_a, enterprise, Kind.DEMONSTRATION, started_on=dt.date(2025, 1, 2))
    red = entry(office_a, enterprise, Kind.RED_LIST, started_on=dt.date(2025, 2, 3))

    entry(office_a, enterprise, Kind.BLACK_LIST, started_on=DAY)

    demo.refresh_from_db()
    red.refresh_from_db()
    assert (demo.ended_on, demo.end_reason) == (DAY, "列入黑名单")
    assert (red.ended_on, red.end_reason) == (DAY, "列入黑名单")
    assert IntegrityEntry.objects.filter(enterprise=enterprise).count() == 3
    assert demo.history.count() == 2  # listed, then ended: the change is in the history


def test_a_black_listed_enterprise_cannot_be_made_a_demonstration_unit(office_a, enterprise):
    entry(office_a, enterprise, Kind.BLACK_LIST)

    with pytest.raises(ValidationError) as caught:
        entry(office_a, enterprise, Kind.DEMONSTRATION)

    assert caught.value.message_dict["kind"] == ["该企业在黑名单中，不能认定为“计量诚信示范单位”。"]


def test_a_red_card_supersedes_an_open_yellow_card(office_a, stall):
    yellow = entry(office_a, stall, Kind.YELLOW_CARD, started_on=dt.date(2025, 4, 1))

    entry(office_a, stall, Kind.RED_CARD, started_on=DAY)

    yellow.refresh_from_db()
    assert (yellow.ended_on, yellow.end_reason) == (DAY, "升级为红牌警告")


def test_cards_are_only_for_market_traders(office_a, enterprise):
    with pytest.raises(ValidationError) as caught:
        entry(office_a, enterprise, Kind.YELLOW_CARD)

    assert "红黄牌警告只适用于集贸市场" in caught.value.message_dict["kind"][0]
    assert not IntegrityEntry.objects.exists()


def test_a_listing_dated_in_the_future_or_without_reason_is_refused(office_a, enterprise):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as caught:
        entry(office_a, enterprise, Kind.RED_LIST, started_on=tomorrow, reason="  ")

    assert set(caught.value.message_dict) == {"reason", "started_on"}


def test_ending_an_entry_keeps_it_with_who_when_and_why(office_a, enterprise):
    listed = entry(office_a, enterprise, Kind.BLACK_LIST)

    services.integrity_entry_end(actor=office_a, entry=listed, ended_on=DAY, reason="整改到位，信用修复")

    listed.refresh_from_db()
    assert (listed.ended_on, listed.end_reason, listed.ended_by) == (DAY, "整改到位，信用修复", office_a)
    with pytest.raises(ValidationError):
        services.integrity_entry_end(actor=office_a, entry=listed, ended_on=DAY, reason="再次")


def test_ending_needs_a_reason_and_a_date_not_before_the_start(office_a, enterprise):
    listed = entry(office_a, enterprise, Kind.RED_LIST)

    with pytest.raises(ValidationError) as caught:
        services.integrity_entry_end(
            actor=office_a, entry=listed, ended_on=DAY - dt.timedelta(days=1), reason=""
        )

    assert set(caught.value.message_dict) == {"reason", "ended_on"}


def test_another_office_cannot_end_an_entry_and_leadership_may_not(office_a, office_b, leader, enterprise):
    listed = entry(office_a, enterprise, Kind.RED_LIST)

    with pytest.raises(Http404):
        services.integrity_entry_end(actor=office_b, entry=listed, ended_on=DAY, reason="x")
    with pytest.raises(PermissionDenied):
        services.integrity_entry_end(actor=leader, entry=listed, ended_on=DAY, reason="x")
    with pytest.raises(PermissionDenied):
        entry(leader, enterprise, Kind.DEMONSTRATION)


def test_a_commitment_needs_its_text_or_a_photo(office_a, enterprise):
    with pytest.raises(ValidationError) as caught:
        services.commitment_create(
            actor=office_a, data={"enterprise": enterprise, "signed_on": DAY, "text": ""}
        )

    assert caught.value.message_dict["text"] == ["请填写承诺内容或上传承诺书照片。"]
    commitment = services.commitment_create(
        actor=office_a, data={"enterprise": enterprise, "signed_on": DAY, "text": "诚信计量，明码标价"}
    )
    assert commitment.unit == office_a.unit


# --- pages ---------------------------------------------------------------------------------------


def test_the_list_shows_only_the_offices_own_entries(client, office_a, office_b, enterprise, stall):
    mine = entry(office_a, enterprise, Kind.RED_LIST)
    theirs = entry(office_b, stall, Kind.YELLOW_CARD)
    client.force_login(office_a)

    response = client.get(LIST)

    assert list(response.context["entries"]) == [mine]
    assert f'data-entry="{theirs.pk}"' not in response.content.decode()


def test_the_list_filters_by_kind_state_and_search(client, bureau_admin, enterprise, stall):
    red = entry(bureau_admin, enterprise, Kind.RED_LIST)
    card = entry(bureau_admin, stall, Kind.YELLOW_CARD)
    services.integrity_entry_end(actor=bureau_admin, entry=card, ended_on=DAY, reason="已整改")
    client.force_login(bureau_admin)

    assert list(client.get(LIST, {"kind": Kind.RED_LIST}).context["entries"]) == [red]
    assert list(client.get(LIST, {"state": "ended"}).context["entries"]) == [card]
    assert list(client.get(LIST, {"q": "A-12"}).context["entries"]) == [card]
    assert list(client.get(LIST, {"enterprise": enterprise.pk}).context["entries"]) == [red]


@pytest.mark.parametrize("size", [1, 6])
def test_the_list_runs_a_fixed_number_of_queries(client, bureau_admin, django_assert_num_queries, size):
    for _number in range(size):
        entry(bureau_admin, EnterpriseFactory(), Kind.DEMONSTRATION)
    client.force_login(bureau_admin)

    # session, user, user permissions, group permissions, count, the user's groups (the page's nav),
    # units twice (the unit filter's choices, the page's unit), page rows (enterprise, unit, users joined)
    with django_assert_num_queries(9):
        response = client.get(LIST)
    assert response.status_code == 200


def test_an_office_lists_an_enterprise_from_its_page_and_sees_it_there(client, office_a, enterprise):
    client.force_login(office_a)

    response = client.post(
        f"/workbench/enterprises/{enterprise.pk}/integrity/new/",
        {"kind": Kind.DEMONSTRATION, "reason": "计量管理规范", "started_on": "2025-05-20"},
    )

    assert response.status_code == 302
    page = client.get(enterprise.get_absolute_url()).content.decode()
    assert "计量诚信示范单位" in page
    assert "计量管理规范" in page


def test_the_form_answers_bad_input_in_chinese_and_saves_nothing(client, office_a, enterprise):
    client.force_login(office_a)

    response = client.post(f"/workbench/enterprises/{enterprise.pk}/integrity/new/", {"kind": Kind.RED_LIST})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["请填写认定理由。"]
    assert response.context["form"].errors["started_on"] == ["请填写起始日期。"]
    assert not IntegrityEntry.objects.exists()


def test_a_card_is_not_offered_for_a_company(client, office_a, enterprise, stall):
    client.force_login(office_a)

    company_form = client.get(f"/workbench/enterprises/{enterprise.pk}/integrity/new/").context["form"]
    stall_form = client.get(f"/workbench/enterprises/{stall.pk}/integrity/new/").context["form"]

    assert Kind.YELLOW_CARD not in dict(company_form.fields["kind"].choices)
    assert Kind.YELLOW_CARD in dict(stall_form.fields["kind"].choices)


def test_end_page_in_scope_works_out_of_scope_404_read_only_403(
    client, office_a, office_b, leader, enterprise
):
    listed = entry(office_a, enterprise, Kind.RED_LIST)
    url = f"/workbench/enterprises/integrity/{listed.pk}/end/"

    client.force_login(office_b)
    assert client.get(url).status_code == 404
    client.force_login(leader)
    assert client.get(url).status_code == 403
    assert client.get(LIST).status_code == 200
    client.force_login(office_a)
    response = client.post(url, {"ended_on": "2025-06-01", "reason": "信用修复"})

    assert response.status_code == 302
    listed.refresh_from_db()
    assert listed.ended_on == dt.date(2025, 6, 1)


def test_leadership_cannot_open_the_create_forms(client, leader, enterprise):
    client.force_login(leader)

    assert client.get(f"/workbench/enterprises/{enterprise.pk}/integrity/new/").status_code == 403
    assert client.get(f"/workbench/enterprises/{enterprise.pk}/commitments/new/").status_code == 403


def test_a_commitment_page_is_scoped(client, office_a, office_b, enterprise):
    commitment = services.commitment_create(
        actor=office_a, data={"enterprise": enterprise, "signed_on": DAY, "text": "诚信经营"}
    )

    client.force_login(office_b)
    assert client.get(commitment.get_absolute_url()).status_code == 404
    assert list(client.get(COMMITMENTS).context["commitments"]) == []
    client.force_login(office_a)
    assert "诚信经营" in client.get(commitment.get_absolute_url()).content.decode()
    assert list(client.get(COMMITMENTS, {"q": "诚信"}).context["commitments"]) == [commitment]


def test_a_commitment_form_without_text_or_photo_saves_nothing(client, office_a, enterprise):
    client.force_login(office_a)

    response = client.post(
        f"/workbench/enterprises/{enterprise.pk}/commitments/new/", {"signed_on": "2025-05-20"}
    )

    assert response.context["form"].errors["text"] == ["请填写承诺内容或上传承诺书照片。"]
    assert not IntegrityCommitment.objects.exists()
