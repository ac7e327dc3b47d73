"""Every write to notifications: creating a digest (the claim) and delivering it (the log)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from notifications.channels import SENDERS, ChannelError
from notifications.models import Delivery, Digest, Notification, Robot, UnitWebhook
from organizations.models import Unit

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 5


def digest_create(
    *,
    kind: str,
    audience: str,
    day: dt.date,
    subject: str,
    body: str,
    recipients: Iterable[Any],
    unit: Unit | None = None,
    url: str = "",
    emails: Iterable[str] = (),
    robots: Iterable[Robot] = (),
) -> Digest | None:
    """Claim (kind, audience, day) and plan its deliveries; None if it was claimed before.

    Besides users (inbox and e-mail) and the unit's robots, a digest may go to plain `emails` and to
    `robots` outside the bureau (an instrument owner's contact).

    The unique constraint is the claim: retries, double beats and reruns of the same day all find the
    row and send nothing twice. Delivery is queued after commit; if the broker is down, the sweep
    delivers it later.
    """
    from notifications.tasks import deliver_digest

    with transaction.atomic():
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    kind=kind, audience=audience, day=day, unit=unit, subject=subject, body=body, url=url
                )
        except IntegrityError:
            return None
        _plan_deliveries(digest, recipients, unit)
        Delivery.objects.bulk_create(
            [
                *(Delivery(digest=digest, channel=Delivery.Channel.EMAIL, address=email) for email in emails),
                *(
                    Delivery(digest=digest, channel=robot.kind, robot=robot, address=robot.get_kind_display())
                    for robot in robots
                    if robot.is_active
                ),
            ]
        )
        transaction.on_commit(lambda: deliver_digest.delay(digest.pk), robust=True)
    return digest


def _plan_deliveries(digest: Digest, recipients: Iterable[Any], unit: Unit | None) -> None:
    deliveries = []
    for user in recipients:
        deliveries.append(Delivery(digest=digest, channel=Delivery.Channel.INBOX, recipient=user))
        if user.email:
            deliveries.append(
                Delivery(digest=digest, channel=Delivery.Channel.EMAIL, recipient=user, address=user.email)
            )
    if unit is not None:
        deliveries.extend(
            Delivery(digest=digest, channel=webhook.kind, webhook=webhook, address=webhook.get_kind_display())
            for webhook in UnitWebhook.objects.filter(unit=unit, is_active=True)
        )
    Delivery.objects.bulk_create(deliveries)


def _claim(digest_id: int, now: dt.datetime) -> bool:
    """Take the digest's lease; only one worker delivers a digest at a time."""
    claimable = Q(status__in=[Digest.Status.PENDING, Digest.Status.PARTIAL]) | Q(
        status=Digest.Status.SENDING, lease_until__lt=now
    )
    return (
        Digest.objects.filter(claimable, pk=digest_id, attempts__lt=MAX_ATTEMPTS).update(
            status=Digest.Status.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1
        )
        == 1
    )


def digest_deliver(*, digest_id: int) -> Digest | None:
    """Send every delivery of the digest not yet sent; failed ones are retried by later runs."""
    now = timezone.now()
    if not _claim(digest_id, now):
        return None
    digest = Digest.objects.get(pk=digest_id)
    pending = digest.deliveries.exclude(status=Delivery.Status.SENT).select_related(
        "webhook", "robot", "digest"
    )
    for delivery in pending:
        try:
            with transaction.atomic():
                SENDERS[delivery.channel](delivery)
                delivery.status, delivery.sent_at, delivery.error = Delivery.Status.SENT, timezone.now(), ""
                delivery.attempts += 1
                delivery.save(update_fields=["status", "sent_at", "error", "attempts"])
        except ChannelError as exc:
            logger.warning("delivery %s over %s failed: %s", delivery.pk, delivery.channel, exc)
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.FAILED, error=str(exc)[:2000], attempts=delivery.attempts + 1
            )
    failed = digest.deliveries.exclude(status=Delivery.Status.SENT).exists()
    digest.status = Digest.Status.PARTIAL if failed else Digest.Status.DONE
    digest.lease_until = None
    digest.completed_at = None if failed else timezone.now()
    digest.save(update_fields=["status", "lease_until", "completed_at"])
    return digest


def digests_due(*, now: dt.datetime) -> list[int]:
    """Digests a sweep should (re)deliver: never started, partly failed, or whose worker died."""
    stale_or_new = Q(status__in=[Digest.Status.PENDING, Digest.Status.PARTIAL], lease_until__isnull=True) | Q(
        status=Digest.Status.SENDING, lease_until__lt=now
    )
    return list(
        Digest.objects.filter(
            stale_or_new, attempts__lt=MAX_ATTEMPTS, created_at__gte=now - dt.timedelta(days=2)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )


def notification_mark_read(*, user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when no ids are given)."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())
