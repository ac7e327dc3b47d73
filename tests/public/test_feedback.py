"""Feedback from a station's page: a challenge, a per-address limit, consent for contact details, and
the 舆情 desk of the station's supervising office (whose clerks are told)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from microstations.models import MicroStation, StationReach
from notifications.models import Digest, Notification
from notifications.services import digest_deliver
from opinion.models import OpinionIncident
from public.forms import challenge_answer
from tests.html import one, text_of, texts

pytestmark = pytest.mark.django_db


def filled_form(client, station: MicroStation, **overrides) -> dict[str, str]:
    """The form as the page renders it, answered correctly."""
    response = client.get(reverse("public:station", args=[station.plaque_no]))
    token = one(response, "input[name=challenge]").get("value")
    data = {
        "kind": "complaint",
        "domain": "scales",
        "text": "平湖市场某摊位电子秤少称二两，请核查。",
        "contact": "",
        "answer": str(challenge_answer(token)),
        "challenge": token,
        "website": "",
    }
    data.update(overrides)
    return data


def post(client, station: MicroStation, data: dict[str, str], address: str = "203.0.113.7"):
    return client.post(
        reverse("public:station_feedback", args=[station.plaque_no]), data, REMOTE_ADDR=address
    )


def test_complaint_lands_on_the_supervising_offices_desk_and_its_clerk_is_told(client, station, clerk_a):
    response = post(client, station, filled_form(client, station))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:station_thanks", args=[station.plaque_no])
    incident = OpinionIncident.objects.get()
    assert incident.handling_unit == station.supervising_unit
    assert incident.status == OpinionIncident.Status.DISCOVERED
    assert incident.domain == OpinionIncident.Domain.SCALES
    assert incident.sentiment == OpinionIncident.Sentiment.NEGATIVE
    assert incident.title == "群众投诉：民生计量科普宣传服务微站（高唐营业厅）"
    assert (
        incident.involved_party == "民生计量科普宣传服务微站（高唐营业厅）（高唐街道巫山县高唐街道广东中路）"
    )
    assert incident.summary == "平湖市场某摊位电子秤少称二两，请核查。"
    assert incident.level.code == "general"
    assert not incident.created_by.is_active  # the public account cannot log in
    digest = Digest.objects.get(audience=f"unit:{station.supervising_unit_id}")
    digest_deliver(digest_id=digest.pk)
    message = Notification.objects.get(recipient=clerk_a)
    assert message.subject.startswith("【群众反馈】群众投诉")
    assert message.url == incident.get_absolute_url()
    assert StationReach.objects.get(station=station).submissions == 1


def test_office_sees_the_feedback_on_its_desk_and_another_office_does_not(
    client, station, office_a, office_b
):
    post(client, station, filled_form(client, station))
    incident = OpinionIncident.objects.get()
    client.force_login(office_a)
    assert incident.title in texts(client.get(reverse("opinion:incident_list")), "[data-incident] h3 a")
    client.force_login(office_b)
    assert client.get(incident.get_absolute_url()).status_code == 404


def test_contact_details_are_kept_only_with_consent(client, station):
    response = post(client, station, filled_form(client, station, contact="王女士 13800001111"))
    assert response.status_code == 400
    assert "留下联系方式须勾选同意" in text_of(response, ".field-error")
    assert not OpinionIncident.objects.exists()

    post(client, station, filled_form(client, station, contact="王女士 13800001111", consent="on"))
    assert "王女士 13800001111" in OpinionIncident.objects.get().summary


def test_suggestion_without_contact_stores_nothing_personal(client, station):
    post(client, station, filled_form(client, station, kind="suggestion", consent="on"))
    incident = OpinionIncident.objects.get()
    assert incident.sentiment == OpinionIncident.Sentiment.NEUTRAL
    assert "联系方式" not in incident.summary


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"answer": "999"}, "answer", "验证问题回答错误"),
        ({"challenge": "forged"}, "answer", "验证问题已过期"),
        ({"text": "短"}, "text", ""),
        ({"domain": "nuclear"}, "domain", ""),
        ({"website": "http://spam.example"}, "website", "提交失败"),
    ],
    ids=["wrong answer", "forged challenge", "too short", "unknown domain", "honeypot"],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, station, overrides, field, message):
    response = post(client, station, filled_form(client, station, **overrides))
    assert response.status_code == 400
    assert not OpinionIncident.objects.exists()
    assert not StationReach.objects.filter(submissions__gt=0).exists()
    if message:
        assert message in response.content.decode()
    # The form comes back with a fresh question and the text kept.
    assert one(response, "input[name=challenge]").get("value") != overrides.get("challenge")


def test_expired_challenge_is_refused(client, station, campaign_clock):
    data = filled_form(client, station)
    campaign_clock.shift(dt.timedelta(hours=2))
    response = post(client, station, data)
    assert response.status_code == 400
    assert "验证问题已过期" in response.content.decode()
    assert not OpinionIncident.objects.exists()


@override_settings(PUBLIC_FEEDBACK_RATE_LIMIT=3, PUBLIC_FEEDBACK_RATE_WINDOW=600)
def test_one_address_is_limited_and_another_is_not(client, station):
    for _attempt in range(3):
        assert post(client, station, filled_form(client, station)).status_code == 302
    refused = post(client, station, filled_form(client, station))
    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode()
    assert OpinionIncident.objects.count() == 3
    assert post(client, station, filled_form(client, station), address="198.51.100.9").status_code == 302
    assert OpinionIncident.objects.count() == 4


def test_feedback_to_a_hidden_station_answers_404(client, station):
    data = filled_form(client, station)
    MicroStation.objects.filter(pk=station.pk).update(is_public=False)
    assert post(client, station, data).status_code == 404
    assert not OpinionIncident.objects.exists()
