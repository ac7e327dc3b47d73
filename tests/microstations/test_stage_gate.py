"""The station page's stage button asks the service's permission (records.services.may_change, which
microstations.services.station_get_for_change asks) before it reads the form. Stations are the
bureau's to set up: leadership, and the supervising office itself, get 403 whatever they post and
nothing changes; the bureau still moves a station on; another unit's office gets 404 (scope first)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from microstations.models import MicroStation
from tests.microstations.factories import MicroStationFactory

pytestmark = pytest.mark.django_db

Stage = MicroStation.Stage


@pytest.fixture
def planned_a(campaign, unit_a) -> MicroStation:
    return MicroStationFactory(supervising_unit=unit_a)


def stage_url(station) -> str:
    return reverse("microstations:station_set_stage", args=[station.pk])


def stages() -> list[tuple[int, str]]:
    return list(MicroStation.objects.order_by("pk").values_list("pk", "stage"))


@pytest.mark.parametrize("actor", ["leader", "office_a"])
@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_a_read_only_roles_stage_change_is_403_before_the_form_and_changes_nothing(
    client, request, planned_a, actor, filled
):
    before = stages()
    client.force_login(request.getfixturevalue(actor))

    response = client.post(stage_url(planned_a), {"stage": Stage.BUILDER_CONFIRMED} if filled else {})

    assert response.status_code == 403
    assert stages() == before


def test_the_bureau_still_moves_a_station_on(client, bureau_admin, planned_a):
    client.force_login(bureau_admin)

    response = client.post(stage_url(planned_a), {"stage": Stage.BUILDER_CONFIRMED})

    assert response.status_code == 302
    planned_a.refresh_from_db()
    assert planned_a.stage == Stage.BUILDER_CONFIRMED


def test_the_bureaus_empty_post_is_sent_back_with_the_reason(client, bureau_admin, planned_a):
    client.force_login(bureau_admin)

    response = client.post(stage_url(planned_a), {}, follow=True)

    assert "请选择有效的建设进度。" in [str(m) for m in response.context["messages"]]
    planned_a.refresh_from_db()
    assert planned_a.stage == Stage.PLANNED


@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_another_units_station_is_404(client, office_b, planned_a, filled):
    before = stages()
    client.force_login(office_b)

    response = client.post(stage_url(planned_a), {"stage": Stage.BUILDER_CONFIRMED} if filled else {})

    assert response.status_code == 404
    assert stages() == before
