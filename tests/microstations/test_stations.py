"""The station pages: scoping by supervising unit, the stage form, and progress against the targets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import metrics
from campaigns.models import Campaign, Target
from microstations.models import MicroStation
from records import services as review
from records.facts import facts_rebuild
from records.models import ReviewStatus
from tests.factories import CampaignFactory
from tests.html import one, text
from tests.microstations.factories import MicroStationFactory, StationActivityFactory, VolunteerFactory

Stage = MicroStation.Stage
LIST = "/workbench/microstations/stations/"


def recount() -> None:
    """The list reads each station's approved activities from the precomputed figures, which the
    review services keep: after approving with a factory, recount them as seed_demo does."""
    for campaign in Campaign.objects.all():
        facts_rebuild(campaign)


def detail_url(station: MicroStation) -> str:
    return f"/workbench/microstations/stations/{station.pk}/"


def stage_url(station: MicroStation) -> str:
    return f"/workbench/microstations/stations/{station.pk}/stage/"


def listed(response) -> list[MicroStation]:
    return list(response.context["paginator"].object_list)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_reverse_names_match_the_paths_the_tests_use(station_a):
    assert reverse("microstations:station_list") == LIST
    assert reverse("microstations:station_detail", args=[station_a.pk]) == detail_url(station_a)
    assert reverse("microstations:station_set_stage", args=[station_a.pk]) == stage_url(station_a)


# --- scoping --------------------------------------------------------------------------------------


def test_office_lists_only_the_stations_its_unit_supervises(client, office_a, station_a, station_b):
    client.force_login(office_a)

    response = client.get(LIST)

    assert response.status_code == 200
    assert listed(response) == [station_a]
    html = response.content.decode()
    assert station_a.name in html
    assert station_b.name not in html


@pytest.mark.parametrize("actor", ["leader", "bureau_admin"])
def test_leadership_and_the_bureau_admin_list_every_station(client, request, station_a, station_b, actor):
    client.force_login(request.getfixturevalue(actor))

    response = client.get(LIST)

    assert set(listed(response)) == {station_a, station_b}


def test_the_list_counts_each_stations_activities_and_active_volunteers(client, office_a, station_a):
    StationActivityFactory.create_batch(3, station=station_a, review_status=ReviewStatus.APPROVED)
    recount()
    VolunteerFactory.create_batch(2, station=station_a)
    VolunteerFactory(station=station_a, is_active=False)
    client.force_login(office_a)

    (station,) = listed(client.get(LIST))

    assert (station.activity_count, station.volunteer_count) == (3, 2)


def test_the_list_counts_approved_activities_and_shows_the_pending_beside(
    client, office_a, bureau_admin, station_a
):
    StationActivityFactory(station=station_a, review_status=ReviewStatus.APPROVED)
    recount()
    pending = StationActivityFactory(station=station_a)
    review.record_submit(actor=office_a, record=pending)
    returned = StationActivityFactory(station=station_a)
    review.record_submit(actor=office_a, record=returned)
    StationActivityFactory(station=station_a)  # a draft
    client.force_login(office_a)

    response = client.get(LIST)
    (station,) = listed(response)
    assert (station.activity_count, station.activity_pending) == (1, 2)
    assert "待审核 2" in response.content.decode()

    # A returned record still changes no figure; only the approval does.
    review.record_return(actor=bureau_admin, record=returned, reason="请补充照片")
    assert listed(client.get(LIST))[0].activity_count == 1
    review.record_approve(actor=bureau_admin, record=pending)
    (station,) = listed(client.get(LIST))
    assert (station.activity_count, station.activity_pending) == (2, 0)


def test_the_list_filters_by_stage_type_township_and_search(client, bureau_admin, station_a, station_b):
    planned = MicroStationFactory(name="民生计量科普宣传服务微站（巫峡镇社区）", township="巫峡镇")
    client.force_login(bureau_admin)

    assert listed(client.get(LIST, {"stage": Stage.PLANNED})) == [planned]
    assert listed(client.get(LIST, {"station_type": MicroStation.StationType.MARKET})) == [station_b]
    assert listed(client.get(LIST, {"township": "巫峡镇"})) == [planned]
    assert listed(client.get(LIST, {"q": "甲地供电"})) == [station_a]


def test_office_opens_its_own_station(client, office_a, station_a):
    StationActivityFactory(station=station_a, title="用水用电用气计量知识讲解")
    client.force_login(office_a)

    response = client.get(detail_url(station_a))

    assert response.status_code == 200
    html = response.content.decode()
    assert station_a.name in html
    assert "用水用电用气计量知识讲解" in html
    assert f"{reverse('microstations:activity_create')}?station={station_a.pk}" in html
    # Offices log activities; only the bureau sets the life-cycle stage.
    assert stage_url(station_a) not in html


def test_office_gets_404_for_another_units_station(client, office_a, station_b):
    client.force_login(office_a)

    assert client.get(detail_url(station_b)).status_code == 404
    assert (
        client.post(stage_url(station_b), {"stage": Stage.OPENED, "opened_on": "2025-05-20"}).status_code
        == 404
    )


def test_leader_reads_any_station_without_the_stage_form(client, leader, station_b):
    client.force_login(leader)

    response = client.get(detail_url(station_b))

    assert response.status_code == 200
    assert stage_url(station_b) not in response.content.decode()
    assert response.context["can_add_activity"] is False


@pytest.mark.parametrize("actor", ["leader", "office_a"])
def test_those_who_may_not_change_stations_get_403_on_the_stage_form(client, request, unit_a, actor):
    station = MicroStationFactory(supervising_unit=unit_a, stage=Stage.FURNISHED)
    client.force_login(request.getfixturevalue(actor))

    response = client.post(stage_url(station), {"stage": Stage.OPENED, "opened_on": "2025-05-20"})

    assert response.status_code == 403
    assert MicroStation.objects.get(pk=station.pk).stage == Stage.FURNISHED


# --- the stage form -------------------------------------------------------------------------------


def test_bureau_admin_opens_a_station_with_its_opening_date(client, bureau_admin, unit_a):
    station = MicroStationFactory(supervising_unit=unit_a, stage=Stage.FURNISHED)
    client.force_login(bureau_admin)

    response = client.post(
        stage_url(station), {"stage": Stage.OPENED, "opened_on": "2025-05-20"}, follow=True
    )

    assert response.redirect_chain == [(detail_url(station), 302)]
    assert "建设进度已更新。" in messages_of(response)
    stored = MicroStation.objects.get(pk=station.pk)
    assert (stored.stage, stored.opened_on) == (Stage.OPENED, dt.date(2025, 5, 20))


def test_the_stage_form_refuses_to_move_a_station_back(client, bureau_admin, station_a):
    client.force_login(bureau_admin)

    response = client.post(stage_url(station_a), {"stage": Stage.PLANNED}, follow=True)

    assert "微站已是“已揭牌运行”，不能退回“规划”。" in messages_of(response)
    assert MicroStation.objects.get(pk=station_a.pk).stage == Stage.OPENED


def test_the_stage_form_refuses_opening_without_a_date(client, bureau_admin, unit_a):
    station = MicroStationFactory(supervising_unit=unit_a, stage=Stage.FURNISHED)
    client.force_login(bureau_admin)

    response = client.post(stage_url(station), {"stage": Stage.OPENED, "opened_on": ""}, follow=True)

    assert "已揭牌运行的微站必须填写揭牌日期。" in messages_of(response)
    assert MicroStation.objects.get(pk=station.pk).stage == Stage.FURNISHED


def test_the_stage_form_refuses_an_opening_date_in_the_future(client, bureau_admin, unit_a):
    station = MicroStationFactory(supervising_unit=unit_a, stage=Stage.FURNISHED)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client.force_login(bureau_admin)

    response = client.post(
        stage_url(station), {"stage": Stage.OPENED, "opened_on": tomorrow.isoformat()}, follow=True
    )

    assert "揭牌日期不能晚于今天。" in messages_of(response)
    assert MicroStation.objects.get(pk=station.pk).opened_on is None


def test_the_stage_form_refuses_an_unknown_stage(client, bureau_admin, unit_a):
    station = MicroStationFactory(supervising_unit=unit_a)
    client.force_login(bureau_admin)

    response = client.post(stage_url(station), {"stage": "demolished"}, follow=True)

    assert "请选择有效的建设进度。" in messages_of(response)
    assert MicroStation.objects.get(pk=station.pk).stage == Stage.PLANNED


# --- a standing registry: every year's stations, counted for the chosen year --------------------


@pytest.fixture
def campaign_2026(campaign):
    """Next year's campaign, the current one from now on."""
    return CampaignFactory(year=2026, start_date=dt.date(2026, 4, 25), end_date=dt.date(2026, 6, 30))


def approved(station: MicroStation, day: dt.date, campaign, count: int = 1) -> None:
    StationActivityFactory.create_batch(
        count, station=station, date=day, campaign=campaign, review_status=ReviewStatus.APPROVED
    )
    recount()


def counts(response) -> dict[str, tuple[int, int]]:
    return {s.name: (s.activity_count, s.activity_pending) for s in listed(response)}


def test_last_years_stations_stay_on_the_list_once_next_years_campaign_exists(
    client, office_a, station_a, campaign, campaign_2026
):
    approved(station_a, dt.date(2025, 5, 20), campaign, count=2)
    approved(station_a, dt.date(2026, 5, 18), campaign_2026)
    client.force_login(office_a)

    response = client.get(LIST)

    # Default: every year, each station's approved activities of every campaign.
    assert counts(response) == {station_a.name: (3, 0)}
    row = one(response, f"tr[data-station='{station_a.pk}']")
    assert text(row.cssselect("[data-activities]")[0]) == "3"
    assert text(one(response, "th[data-activity-header]")) == "活动（已通过，各年度）"


def test_a_year_lists_the_stations_registered_by_then_with_that_years_activities(
    client, bureau_admin, office_a, station_a, campaign, campaign_2026
):
    approved(station_a, dt.date(2025, 5, 20), campaign, count=2)
    approved(station_a, dt.date(2026, 5, 18), campaign_2026)
    pending = StationActivityFactory(station=station_a, date=dt.date(2026, 5, 19), campaign=campaign_2026)
    review.record_submit(actor=office_a, record=pending)
    entered_2026 = MicroStationFactory(
        campaign=campaign_2026,
        name="民生计量科普宣传服务微站（甲地加油站）",
        supervising_unit=station_a.supervising_unit,
    )
    client.force_login(bureau_admin)

    in_2025 = client.get(LIST, {"campaign": campaign.pk})
    in_2026 = client.get(LIST, {"campaign": campaign_2026.pk})

    assert counts(in_2025) == {station_a.name: (2, 0)}
    assert counts(in_2026) == {station_a.name: (1, 1), entered_2026.name: (0, 0)}
    assert text(one(in_2026, "th[data-activity-header]")) == "2026年活动（已通过）"
    assert in_2026.context["campaign"] == campaign_2026


def test_an_office_choosing_a_year_still_sees_only_its_own_stations(
    client, office_a, station_a, station_b, campaign, campaign_2026
):
    client.force_login(office_a)

    assert listed(client.get(LIST, {"campaign": campaign_2026.pk})) == [station_a]


def test_an_unknown_year_is_refused_on_the_form_and_lists_every_year(client, office_a, station_a):
    client.force_login(office_a)

    response = client.get(LIST, {"campaign": "99999"})

    assert response.status_code == 200
    assert "campaign" in response.context["filter_form"].errors
    assert listed(response) == [station_a]


# --- progress against the campaign's targets ------------------------------------------------------


@pytest.fixture
def targets(campaign):
    return (
        Target.objects.create(
            campaign=campaign,
            metric="microstations.stations_opened",
            label="已揭牌运行的微站",
            goal=9,
            unit_label="个",
        ),
        Target.objects.create(
            campaign=campaign, metric="volunteers.recruited", label="在岗宣传员", goal=9, unit_label="名"
        ),
    )


def test_station_targets_count_opened_stations_and_active_volunteers(targets, unit_a):
    opened = MicroStationFactory.create_batch(2, supervising_unit=unit_a, opened=True)
    MicroStationFactory(supervising_unit=unit_a, stage=Stage.FURNISHED)
    VolunteerFactory.create_batch(3, station=opened[0])
    VolunteerFactory(station=opened[1], is_active=False)
    station_target, volunteer_target = targets

    assert metrics.actual_for(station_target) == 2
    assert metrics.actual_for(volunteer_target) == 3


def test_targets_count_only_their_own_campaigns_records(targets, unit_a):
    from tests.factories import CampaignFactory

    other = CampaignFactory(year=2024)
    MicroStationFactory(campaign=other, supervising_unit=unit_a, opened=True)

    assert metrics.actual_for(targets[0]) == 0


def test_the_station_list_shows_progress_against_the_targets(client, leader, targets, unit_a, unit_b):
    MicroStationFactory(supervising_unit=unit_a, opened=True)
    opened_b = MicroStationFactory(supervising_unit=unit_b, opened=True)
    MicroStationFactory(supervising_unit=unit_b, stage=Stage.BUILDER_CONFIRMED)
    VolunteerFactory.create_batch(4, station=opened_b)
    client.force_login(leader)

    response = client.get(LIST)

    html = response.content.decode()
    assert "2/9个" in html
    assert "4/9名" in html


def test_progress_follows_the_records_as_a_station_opens(client, bureau_admin, targets, unit_a):
    station = MicroStationFactory(supervising_unit=unit_a, stage=Stage.FURNISHED)
    client.force_login(bureau_admin)
    assert "0/9个" in client.get(LIST).content.decode()

    client.post(stage_url(station), {"stage": Stage.OPENED, "opened_on": "2025-05-20"})

    assert "1/9个" in client.get(LIST).content.decode()


def test_the_station_list_shows_no_progress_without_targets(client, leader, station_a):
    client.force_login(leader)

    html = client.get(LIST).content.decode()

    assert "progress-card" not in html
    assert "/9" not in html
