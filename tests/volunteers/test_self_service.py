"""A volunteer's personal link (/v/<token>/): issued and revoked by the supervising office, expiring,
reaching only its own volunteer; acts logged through it go to the office's review like any record;
the certificate of service at the campaign's end counts approved acts only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from evidence.models import Photo
from records.models import ReviewStatus
from records.services import record_approve, record_return
from tests.evidence.images import jpeg, upload
from tests.html import one, select, text_of, texts
from tests.microstations.factories import VolunteerFactory
from tests.pdf import pdf_text
from volunteers import services
from volunteers.models import Volunteer, VolunteerAct, VolunteerLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer_a(station_a) -> Volunteer:
    return VolunteerFactory(station=station_a, name="张晓红")


@pytest.fixture
def volunteer_b(station_b) -> Volunteer:
    return VolunteerFactory(station=station_b, name="刘建")


def page(token: str) -> str:
    return reverse("volunteer_self:page", args=[token])


def act_data(**overrides) -> dict[str, str]:
    return {
        "date": "2025-05-20",
        "place": "南陵社区广场",
        "description": "向居民讲解电子秤检定标志和手机变砝码。",
        "people_reached": "35",
        "hours": "2.5",
        **overrides,
    }


def test_office_issues_a_link_and_only_a_hash_is_kept(office_a, volunteer_a, campaign_clock):
    link, token = services.volunteer_link_issue(actor=office_a, volunteer=volunteer_a)
    assert token not in link.token_hash
    assert VolunteerLink.objects.filter(token_hash=link.token_hash).count() == 1
    assert services.volunteer_link_resolve(token=token).volunteer == volunteer_a
    assert link.expires_at == campaign_clock.now + dt.timedelta(days=90)


def test_a_new_link_retires_the_old_one(client, office_a, volunteer_a, campaign_clock):
    _old, old_token = services.volunteer_link_issue(actor=office_a, volunteer=volunteer_a)
    _new, new_token = services.volunteer_link_issue(actor=office_a, volunteer=volunteer_a)
    assert client.get(page(old_token)).status_code == 404
    assert client.get(page(new_token)).status_code == 200


def test_revoked_link_is_refused(client, office_a, volunteer_a, campaign_clock):
    _link, token = services.volunteer_link_issue(actor=office_a, volunteer=volunteer_a)
    assert services.volunteer_link_revoke(actor=office_a, volunteer=volunteer_a) == 1
    assert client.get(page(token)).status_code == 404
    assert client.post(page(token), act_data()).status_code == 404
    assert not VolunteerAct.objects.exists()


def test_expired_link_is_refused(client, office_a, volunteer_a, campaign_clock):
    _link, token = services.volunteer_link_issue(actor=office_a, volunteer=volunteer_a)
    campaign_clock.shift(dt.timedelta(days=89))
    assert client.get(page(token)).status_code == 200
    campaign_clock.shift(dt.timedelta(days=1))
    assert client.get(page(token)).status_code == 404


def test_unknown_token_is_refused(client, volunteer_a):
    assert client.get(page("not-a-real-token")).status_code == 404
    with pytest.raises(Http404):
        services.volunteer_link_resolve(token="")


def test_other_office_cannot_issue_a_link_and_leadership_may_not(office_b, leader, volunteer_a):
    with pytest.raises(Http404):
        services.volunteer_link_issue(actor=office_b, volunteer=volunteer_a)
    with pytest.raises(PermissionDenied):
        services.volunteer_link_issue(actor=leader, volunteer=volunteer_a)
    assert not VolunteerLink.objects.exists()


def test_issue_and_revoke_buttons_on_the_volunteer_page(
    client, office_a, office_b, volunteer_a, campaign_clock
):
    client.force_login(office_b)
    assert client.post(reverse("volunteers:link_issue", args=[volunteer_a.pk])).status_code == 404
    client.force_login(office_a)
    response = client.post(reverse("volunteers:link_issue", args=[volunteer_a.pk]), follow=True)
    message = text_of(response, ".message-success")
    assert "http://testserver/v/" in message
    token = message.split("/v/")[1].rstrip("/")
    assert services.volunteer_link_resolve(token=token).volunteer == volunteer_a
    assert "当前链接有效期至" in text_of(response, "[data-testid=link-status]")
    client.post(reverse("volunteers:link_revoke", args=[volunteer_a.pk]))
    assert client.get(page(token)).status_code == 404


def test_volunteer_logs_an_act_with_a_photo_and_it_awaits_review(
    client, office_a, office_b, volunteer_a, campaign_clock, media_root
):
    _link, token = services.volunteer_link_issue(actor=office_a, volunteer=volunteer_a)
    response = client.post(page(token), {**act_data(), "photos": upload("act.jpg", jpeg())})
    assert response.status_code == 302
    act = VolunteerAct.objects.get()
    assert (act.volunteer, act.unit, act.campaign) == (
        volunteer_a,
        volunteer_a.station.supervising_unit,
        volunteer_a.campaign,
    )
    assert act.review_status == ReviewStatus.SUBMITTED
    assert (act.people_reached, str(act.hours)) == (35, "2.5")
    assert Photo.objects.filter(object_id=act.pk).count() == 1
    # The supervising office reads it, finds it in its review queue and approves it through the record
    # kit (volunteers' acts are the office's to review, not the bureau's); another office does not see it.
    client.force_login(office_b)
    assert client.get(act.get_absolute_url()).status_code == 404
    client.force_login(office_a)
    assert client.get(act.get_absolute_url()).status_code == 200
    queue = client.get(reverse("records:review_queue"))
    assert act.get_absolute_url() in [link.get("href") for link in select(queue, "a[href]")]
    record_approve(actor=office_a, record=act)
    client.logout()
    totals = one(client.get(page(token)), "[data-testid=totals]")
    assert "1 次" in totals.text_content()
    assert "2.5 小时" in totals.text_content()


def test_token_reaches_only_its_own_volunteer(
    client, office_a, office_b, volunteer_a, volunteer_b, campaign_clock
):
    VolunteerAct.objects.create(
        volunteer=volunteer_b,
        unit=volunteer_b.station.supervising_unit,
        campaign=volunteer_b.campaign,
        created_by=office_b,
        date=dt.date(2025, 5, 19),
        place="乙地集贸市场",
        description="乙地宣传员的记录",
        people_reached=10,
        hours="1.0",
    )
    _link, token = services.volunteer_link_issue(actor=office_a, volunteer=volunteer_a)
    response = client.get(page(token))
    assert "乙地宣传员的记录" not in response.content.decode()
    # A volunteer id smuggled into the form is ignored: the act is the link's volunteer's.
    client.post(page(token), act_data(volunteer=str(volunteer_b.pk)))
    assert VolunteerAct.objects.get(place="南陵社区广场").volunteer == volunteer_a


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hours": "30"}, "hours"),
        ({"people_reached": "-3"}, "people_reached"),
        ({"date": "2025-07-20"}, "date"),
        ({"place": ""}, "place"),
    ],
    ids=["too many hours", "negative people", "after the campaign", "no place"],
)
def test_bad_act_is_refused_and_nothing_saved(
    client, office_a, volunteer_a, campaign_clock, overrides, field
):
    _link, token = services.volunteer_link_issue(actor=office_a, volunteer=volunteer_a)
    response = client.post(page(token), act_data(**overrides))
    assert response.status_code == 400
    assert texts(response, ".field-error")
    assert not VolunteerAct.objects.exists()


def test_returned_act_shows_the_reason_to_the_volunteer(client, office_a, volunteer_a, campaign_clock):
    _link, token = services.volunteer_link_issue(actor=office_a, volunteer=volunteer_a)
    client.post(page(token), act_data())
    record_return(actor=office_a, record=VolunteerAct.objects.get(), reason="请补充现场照片")
    assert "请补充现场照片" in text_of(client.get(page(token)), "[data-act]")


def test_certificate_only_after_the_campaign_and_counting_approved_acts(
    client, office_a, volunteer_a, campaign_clock
):
    _link, token = services.volunteer_link_issue(actor=office_a, volunteer=volunteer_a)
    client.post(page(token), act_data())
    client.post(page(token), act_data(place="龙门社区", hours="1.5"))
    approved, _pending = VolunteerAct.objects.order_by("pk")
    record_approve(actor=office_a, record=approved)
    certificate = reverse("volunteer_self:certificate", args=[token])
    assert client.get(certificate).status_code == 404  # the campaign is still running
    campaign_clock.travel("day after the campaign")
    response = client.get(certificate)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "张晓红" in text
    assert f"志愿者编号：{volunteer_a.number}" in text
    assert "2.5" in text
    assert "1.5" not in text  # the pending act is not counted


def test_student_registered_as_publicist_needs_guardian_consent(office_a, station_a):
    data = {
        "name": "周小雨",
        "kind": Volunteer.Kind.PUBLICIST,
        "group": Volunteer.Group.STUDENT,
        "phone": "13800001234",
        "recruited_on": dt.date(2025, 5, 10),
    }
    with pytest.raises(ValidationError) as excinfo:
        services.volunteer_create(actor=office_a, station=station_a, data=data)
    assert set(excinfo.value.message_dict) == {"guardian_name", "guardian_phone", "guardian_consent"}
    assert not Volunteer.objects.filter(name="周小雨").exists()
    volunteer = services.volunteer_create(
        actor=office_a,
        station=station_a,
        data={**data, "guardian_name": "周建", "guardian_phone": "13900001234", "guardian_consent": True},
    )
    assert volunteer.guardian_consent is True
