"""企业微信 and 钉钉 group robots, delivered for real over HTTP to a fake robot on 127.0.0.1."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse

import pytest

from notifications import services
from notifications.channels import dingtalk_signed_url
from notifications.models import Delivery, Digest, UnitWebhook
from tests.notifications.robots import FakeRobot, closed_port

SECRET = "SEC0123456789abcdef"  # a 钉钉 “加签” secret as the robot's settings show it


def expected_sign(timestamp: str, secret: str) -> str:
    """钉钉's documented algorithm, written out again independently of the app."""
    string_to_sign = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()).decode()


def robot_delivery(digest: Digest) -> Delivery:
    return digest.deliveries.exclude(webhook=None).get()


def test_wecom_robot_receives_the_digest_as_markdown(make_digest, unit_a, robot):
    UnitWebhook.objects.create(
        unit=unit_a, kind=UnitWebhook.Kind.WECOM, url=robot.url("/cgi-bin/webhook/send")
    )
    digest = make_digest()

    services.digest_deliver(digest_id=digest.pk)

    [request] = robot.received
    assert request.path == "/cgi-bin/webhook/send"
    assert request.content_type == "application/json"
    assert request.payload == {
        "msgtype": "markdown",
        "markdown": {"content": f"### {digest.subject}\n\n{digest.body}"},
    }
    delivery = robot_delivery(digest)
    assert (delivery.channel, delivery.status, delivery.error) == ("wecom", "sent", "")
    assert delivery.address == "企业微信群机器人"
    digest.refresh_from_db()
    assert digest.status == Digest.Status.DONE


def test_dingtalk_robot_request_is_signed_with_timestamp_and_hmac(make_digest, unit_a, robot):
    UnitWebhook.objects.create(
        unit=unit_a,
        kind=UnitWebhook.Kind.DINGTALK,
        url=robot.url("/robot/send?access_token=tok"),
        secret=SECRET,
    )
    digest = make_digest()
    before = int(time.time() * 1000)

    services.digest_deliver(digest_id=digest.pk)

    [request] = robot.received
    assert set(request.query) == {"access_token", "timestamp", "sign"}
    assert request.query["access_token"] == "tok"
    # 钉钉 refuses a timestamp more than an hour away from its clock.
    assert before <= int(request.query["timestamp"]) <= int(time.time() * 1000)
    assert request.query["sign"] == expected_sign(request.query["timestamp"], SECRET)
    assert request.payload == {
        "msgtype": "markdown",
        "markdown": {"title": digest.subject, "text": f"### {digest.subject}\n\n{digest.body}"},
    }
    assert robot_delivery(digest).status == Delivery.Status.SENT


def test_dingtalk_robot_without_a_secret_is_called_unsigned(make_digest, unit_a, robot):
    UnitWebhook.objects.create(unit=unit_a, kind=UnitWebhook.Kind.DINGTALK, url=robot.url())
    digest = make_digest()

    services.digest_deliver(digest_id=digest.pk)

    [request] = robot.received
    assert request.query == {}
    assert robot_delivery(digest).status == Delivery.Status.SENT


def test_dingtalk_signed_url_escapes_the_signature_for_the_query_string():
    url = dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=abc", SECRET, timestamp_ms=1747700000000
    )

    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query == {
        "access_token": ["abc"],
        "timestamp": ["1747700000000"],
        "sign": [expected_sign("1747700000000", SECRET)],
    }
    raw_sign = url.rsplit("sign=", 1)[1]
    assert not set(raw_sign) & set("+/=")  # base64's + / = travel percent-encoded


FAILURES = {
    "errcode": "errcode 310000: keywords not in content",
    "http_500": "HTTPError: HTTP Error 500: Internal Server Error",
    "closed_port": "Connection refused",
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failing_robot_is_logged_and_a_later_run_completes_the_digest(
    failure, make_digest, unit_a, office_a
):
    port = closed_port()
    robot = None if failure == "closed_port" else FakeRobot(port=port)
    try:
        if failure == "errcode":
            robot.replies.append((200, {"errcode": 310000, "errmsg": "keywords not in content"}))
        elif failure == "http_500":
            robot.replies.append((500, {"errmsg": "internal error"}))
        UnitWebhook.objects.create(
            unit=unit_a, kind=UnitWebhook.Kind.WECOM, url=f"http://127.0.0.1:{port}/send"
        )
        digest = make_digest()

        services.digest_deliver(digest_id=digest.pk)

        delivery = robot_delivery(digest)
        assert delivery.status == Delivery.Status.FAILED
        assert FAILURES[failure] in delivery.error
        assert delivery.sent_at is None
        digest.refresh_from_db()
        assert digest.status == Digest.Status.PARTIAL
        assert set(digest.deliveries.filter(webhook=None).values_list("status", flat=True)) == {"sent"}

        # The robot recovers (or starts listening); the sweep's next run completes the digest.
        robot = robot or FakeRobot(port=port)
        assert services.digests_due(now=delivery.created_at) == [digest.pk]
        services.digest_deliver(digest_id=digest.pk)

        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 2, "")
        digest.refresh_from_db()
        assert digest.status == Digest.Status.DONE
        assert digest.completed_at is not None
        assert len(robot.received) == (1 if failure == "closed_port" else 2)
        assert office_a.notifications.count() == 1  # the inbox was filled on the first run only
    finally:
        if robot is not None:
            robot.close()


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ("<html>502 Bad Gateway</html>", "unexpected answer: <html>502 Bad Gateway</html>"),
        (["ok"], 'unexpected answer: ["ok"]'),
    ],
)
def test_a_robot_answer_that_is_not_a_json_object_is_a_failed_delivery(
    answer, error, make_digest, unit_a, office_a, robot
):
    UnitWebhook.objects.create(unit=unit_a, kind=UnitWebhook.Kind.WECOM, url=robot.url())
    robot.replies.append((200, answer))
    digest = make_digest()

    services.digest_deliver(digest_id=digest.pk)

    delivery = robot_delivery(digest)
    assert (delivery.status, delivery.error) == ("failed", error)
    # The other channels were still delivered and the digest is left for the sweep.
    assert office_a.notifications.count() == 1
    digest.refresh_from_db()
    assert digest.status == Digest.Status.PARTIAL


def test_a_webhook_that_is_not_http_is_refused_without_fetching_it(make_digest, unit_a, tmp_path):
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("top secret")
    UnitWebhook.objects.create(unit=unit_a, kind=UnitWebhook.Kind.WECOM, url=f"file://{secret_file}")
    digest = make_digest()

    services.digest_deliver(digest_id=digest.pk)

    delivery = robot_delivery(digest)
    assert (delivery.status, delivery.error) == ("failed", "webhook URL must be http(s)")
