"""How one delivery goes out. Each sender raises ChannelError on failure; the service logs it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail

from notifications.models import Delivery, Notification

WEBHOOK_TIMEOUT = 5  # seconds: a slow robot endpoint must not hold a worker


class ChannelError(Exception):
    pass


def send_inbox(delivery: Delivery) -> None:
    if delivery.recipient_id is None:
        raise ChannelError("no recipient")
    digest = delivery.digest
    Notification.objects.create(
        recipient_id=delivery.recipient_id, subject=digest.subject, body=digest.body, url=digest.url
    )


def send_email(delivery: Delivery) -> None:
    digest = delivery.digest
    try:
        send_mail(
            digest.subject, digest.body, settings.DEFAULT_FROM_EMAIL, [delivery.address], fail_silently=False
        )
    except Exception as exc:  # SMTP errors come in many classes; each is one failed delivery
        raise ChannelError(f"{type(exc).__name__}: {exc}") from exc


def dingtalk_signed_url(url: str, secret: str, *, timestamp_ms: int | None = None) -> str:
    """钉钉 “加签”: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, URL-encoded."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp}&sign={sign}"


def _post_json(url: str, payload: dict[str, object]) -> None:
    if not url.startswith(("http://", "https://")):
        raise ChannelError("webhook URL must be http(s)")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310
            body = response.read().decode("utf-8", "replace")
    except Exception as exc:
        raise ChannelError(f"{type(exc).__name__}: {exc}") from exc
    try:
        answer = json.loads(body)
    except ValueError as exc:
        raise ChannelError(f"unexpected answer: {body[:200]}") from exc
    if not isinstance(answer, dict):
        # A gateway in front of the robot may answer any JSON; only an object carries an errcode.
        raise ChannelError(f"unexpected answer: {body[:200]}")
    # Both robots answer HTTP 200 with errcode != 0 when they refuse a message.
    if answer.get("errcode", 0) != 0:
        raise ChannelError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def _markdown(delivery: Delivery) -> str:
    digest = delivery.digest
    return f"### {digest.subject}\n\n{digest.body}"


def send_wecom(delivery: Delivery) -> None:
    webhook = delivery.webhook or delivery.robot
    if webhook is None:
        raise ChannelError("no webhook")
    _post_json(webhook.url, {"msgtype": "markdown", "markdown": {"content": _markdown(delivery)}})


def send_dingtalk(delivery: Delivery) -> None:
    webhook = delivery.webhook or delivery.robot
    if webhook is None:
        raise ChannelError("no webhook")
    url = dingtalk_signed_url(webhook.url, webhook.secret) if webhook.secret else webhook.url
    _post_json(
        url,
        {"msgtype": "markdown", "markdown": {"title": delivery.digest.subject, "text": _markdown(delivery)}},
    )


SENDERS: dict[str, Callable[[Delivery], None]] = {
    Delivery.Channel.INBOX: send_inbox,
    Delivery.Channel.EMAIL: send_email,
    Delivery.Channel.WECOM: send_wecom,
    Delivery.Channel.DINGTALK: send_dingtalk,
}
