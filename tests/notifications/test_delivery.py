"""Digests: the claim that makes them idempotent, their delivery log, retries, leases and the sweep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import services, tasks
from notifications.models import Delivery, Digest, Notification, UnitWebhook
from organizations.roles import Role
from tests.celery_fixtures import broker_unreachable
from tests.factories import UserFactory

DAY = dt.date(2025, 5, 20)


def channels(digest: Digest) -> dict[tuple[str, str], str]:
    """{(channel, address or username): status} of the digest's deliveries."""
    return {
        (d.channel, d.address if d.channel != Delivery.Channel.INBOX else d.recipient.username): d.status
        for d in digest.deliveries.select_related("recipient")
    }


# --- The claim ------------------------------------------------------------------------------------


def test_digest_is_claimed_once_per_kind_audience_and_day(make_digest, office_a):
    first = make_digest()

    again = services.digest_create(
        kind=first.kind,
        audience=first.audience,
        day=first.day,
        subject="另一个标题",
        body="另一个内容",
        recipients=[office_a],
    )

    assert again is None
    assert Digest.objects.count() == 1
    assert Delivery.objects.count() == 2  # inbox and e-mail for office_a, planned once


def test_the_same_audience_gets_a_new_digest_the_next_day_and_for_another_kind(make_digest):
    make_digest()
    make_digest(day=DAY + dt.timedelta(days=1))
    make_digest(kind="escalation")

    assert Digest.objects.count() == 3


def test_deliveries_are_planned_per_recipient_and_per_active_robot(make_digest, unit_a, office_a):
    no_mail = UserFactory(username="no_mail", email="", unit=unit_a, roles=[Role.OFFICE])
    UnitWebhook.objects.create(unit=unit_a, kind=UnitWebhook.Kind.WECOM, url="http://127.0.0.1:9/wecom")
    UnitWebhook.objects.create(
        unit=unit_a, kind=UnitWebhook.Kind.DINGTALK, url="http://127.0.0.1:9/ding", is_active=False
    )

    digest = make_digest(recipients=[office_a, no_mail])

    assert channels(digest) == {
        ("inbox", "office_a"): "pending",
        ("email", "office_a@example.com"): "pending",
        ("inbox", "no_mail"): "pending",
        ("wecom", "企业微信群机器人"): "pending",
    }


# --- Delivering -----------------------------------------------------------------------------------


def test_delivering_fills_the_inbox_sends_the_mail_and_logs_every_sending(make_digest, office_a):
    digest = make_digest()

    delivered = services.digest_deliver(digest_id=digest.pk)

    assert delivered is not None
    digest.refresh_from_db()
    assert digest.status == Digest.Status.DONE
    assert digest.attempts == 1
    assert digest.completed_at is not None
    assert digest.lease_until is None
    assert [(n.recipient, n.subject, n.body, n.url) for n in Notification.objects.all()] == [
        (office_a, digest.subject, digest.body, "/workbench/")
    ]
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        (digest.subject, digest.body, ["office_a@example.com"])
    ]
    for delivery in digest.deliveries.all():
        assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 1, "")
        assert delivery.sent_at is not None


def test_a_digest_delivered_twice_sends_nothing_the_second_time(make_digest):
    digest = make_digest()
    services.digest_deliver(digest_id=digest.pk)

    assert services.digest_deliver(digest_id=digest.pk) is None

    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    digest.refresh_from_db()
    assert digest.attempts == 1


def test_a_retry_after_a_failed_mail_sends_only_the_mail(make_digest, flaky_mail, office_a):
    digest = make_digest()
    flaky_mail.failures = 1

    services.digest_deliver(digest_id=digest.pk)

    digest.refresh_from_db()
    assert digest.status == Digest.Status.PARTIAL
    assert digest.completed_at is None
    assert channels(digest) == {("inbox", "office_a"): "sent", ("email", "office_a@example.com"): "failed"}
    failed = digest.deliveries.get(channel="email")
    assert failed.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert failed.sent_at is None
    assert mail.outbox == []

    services.digest_deliver(digest_id=digest.pk)

    digest.refresh_from_db()
    assert digest.status == Digest.Status.DONE
    assert digest.attempts == 2
    assert channels(digest) == {("inbox", "office_a"): "sent", ("email", "office_a@example.com"): "sent"}
    assert [m.to for m in mail.outbox] == [["office_a@example.com"]]
    assert Notification.objects.filter(recipient=office_a).count() == 1  # the inbox was not filled twice
    inbox, email = digest.deliveries.get(channel="inbox"), digest.deliveries.get(channel="email")
    assert (inbox.attempts, email.attempts, email.error) == (1, 2, "")


def test_a_digest_that_keeps_failing_is_given_up_after_the_last_attempt(make_digest, flaky_mail):
    digest = make_digest()
    flaky_mail.failures = services.MAX_ATTEMPTS + 1

    for _attempt in range(services.MAX_ATTEMPTS):
        assert services.digest_deliver(digest_id=digest.pk) is not None

    assert services.digest_deliver(digest_id=digest.pk) is None
    assert digest.pk not in services.digests_due(now=timezone.now())
    digest.refresh_from_db()
    assert (digest.status, digest.attempts) == (Digest.Status.PARTIAL, services.MAX_ATTEMPTS)
    assert digest.deliveries.get(channel="email").attempts == services.MAX_ATTEMPTS


def test_a_recipient_deleted_before_delivery_is_logged_as_failed(make_digest, unit_a, office_a):
    gone = UserFactory(username="gone", unit=unit_a, roles=[Role.OFFICE])
    digest = make_digest(recipients=[office_a, gone])
    gone.delete()

    services.digest_deliver(digest_id=digest.pk)

    orphan = digest.deliveries.get(channel="inbox", recipient=None)
    assert (orphan.status, orphan.error) == ("failed", "no recipient")
    assert Notification.objects.filter(recipient=office_a).count() == 1


# --- Two workers, one digest: the lease -------------------------------------------------------------


def test_a_second_worker_cannot_deliver_a_digest_while_the_first_holds_its_lease(make_digest, flaky_mail):
    digest = make_digest()
    second_worker: list[Digest | None] = []
    # The second worker arrives while the first is in the middle of sending the e-mail.
    flaky_mail.during_send = lambda: second_worker.append(services.digest_deliver(digest_id=digest.pk))

    first_worker = services.digest_deliver(digest_id=digest.pk)

    assert second_worker == [None]
    assert first_worker is not None
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    digest.refresh_from_db()
    assert (digest.status, digest.attempts) == (Digest.Status.DONE, 1)


def test_a_digest_whose_worker_died_is_taken_over_once_its_lease_expires(make_digest):
    digest = make_digest()
    now = timezone.now()
    # A worker claimed it and was killed before sending anything.
    Digest.objects.filter(pk=digest.pk).update(
        status=Digest.Status.SENDING, attempts=1, lease_until=now + dt.timedelta(minutes=1)
    )
    assert services.digest_deliver(digest_id=digest.pk) is None
    assert digest.pk not in services.digests_due(now=now)

    Digest.objects.filter(pk=digest.pk).update(lease_until=now - dt.timedelta(seconds=1))

    assert services.digests_due(now=timezone.now()) == [digest.pk]
    assert services.digest_deliver(digest_id=digest.pk) is not None
    digest.refresh_from_db()
    assert (digest.status, digest.attempts) == (Digest.Status.DONE, 2)
    assert len(mail.outbox) == 1


def test_digests_due_are_new_partial_or_abandoned_ones_never_done_or_old_ones(make_digest, unit_b):
    now = timezone.now()
    new = make_digest(audience="unit:new")
    partial = make_digest(audience="unit:partial")
    abandoned = make_digest(audience="unit:abandoned")
    held = make_digest(audience="unit:held")
    done = make_digest(audience="unit:done")
    old = make_digest(audience="unit:old")
    Digest.objects.filter(pk=partial.pk).update(status=Digest.Status.PARTIAL, attempts=1)
    Digest.objects.filter(pk=abandoned.pk).update(
        status=Digest.Status.SENDING, attempts=1, lease_until=now - dt.timedelta(seconds=1)
    )
    Digest.objects.filter(pk=held.pk).update(
        status=Digest.Status.SENDING, attempts=1, lease_until=now + dt.timedelta(minutes=4)
    )
    Digest.objects.filter(pk=done.pk).update(status=Digest.Status.DONE, attempts=1, completed_at=now)
    Digest.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=3))

    assert services.digests_due(now=now) == [new.pk, partial.pk, abandoned.pk]


# --- Queued after commit --------------------------------------------------------------------------


def test_delivery_is_queued_after_commit_and_runs_then(make_digest, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        digest = make_digest()
        # Nothing is sent while the transaction that made the digest is open.
        assert mail.outbox == []
        assert not Notification.objects.exists()

    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the (eager) task delivers

    digest.refresh_from_db()
    assert digest.status == Digest.Status.DONE
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_nothing_is_queued_or_kept_when_the_transaction_rolls_back(
    make_digest, django_capture_on_commit_callbacks
):
    @transaction.atomic
    def create_then_fail() -> None:
        make_digest()
        raise RuntimeError("the caller failed after creating the digest")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        create_then_fail()

    assert callbacks == []
    assert not Digest.objects.exists()
    assert not Delivery.objects.exists()


def test_a_digest_commits_when_the_broker_is_unreachable_and_the_sweep_delivers_it(
    make_digest, django_capture_on_commit_callbacks
):
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        digest = make_digest()

    assert len(callbacks) == 1  # it ran, and its failure to publish was swallowed
    digest.refresh_from_db()
    assert digest.status == Digest.Status.PENDING
    assert set(digest.deliveries.values_list("status", flat=True)) == {"pending"}
    assert services.digests_due(now=timezone.now()) == [digest.pk]

    # The broker is back: the periodic sweep queues it.
    assert tasks.sweep() == 1

    digest.refresh_from_db()
    assert digest.status == Digest.Status.DONE
    assert len(mail.outbox) == 1


def test_the_sweep_resends_what_failed_and_leaves_done_digests_alone(make_digest, flaky_mail, unit_b):
    failing = make_digest()
    done = make_digest(audience=f"unit:{unit_b.pk}")
    flaky_mail.failures = 1
    services.digest_deliver(digest_id=failing.pk)
    services.digest_deliver(digest_id=done.pk)
    assert len(mail.outbox) == 1

    assert tasks.sweep() == 1

    failing.refresh_from_db()
    done.refresh_from_db()
    assert (failing.status, failing.attempts) == (Digest.Status.DONE, 2)
    assert (done.status, done.attempts) == (Digest.Status.DONE, 1)
    assert len(mail.outbox) == 2


def test_the_deliver_task_takes_a_digest_id(make_digest):
    digest = make_digest()

    tasks.deliver_digest.delay(digest.pk)

    digest.refresh_from_db()
    assert digest.status == Digest.Status.DONE


# --- The windows, on the campaign clock -------------------------------------------------------------


class WorkerKilled(BaseException):
    """Not an Exception: nothing in the delivery code catches it, as nothing survives a SIGKILL."""


def test_a_dead_workers_lease_holds_for_five_minutes_and_is_taken_over_the_second_after(
    campaign_clock, make_digest, flaky_mail
):
    digest = make_digest()

    def die() -> None:
        raise WorkerKilled

    flaky_mail.during_send = die
    with pytest.raises(WorkerKilled):
        services.digest_deliver(digest_id=digest.pk)
    flaky_mail.during_send = None
    claimed_at = campaign_clock.now

    campaign_clock.travel(claimed_at + dt.timedelta(minutes=5))
    assert services.digests_due(now=timezone.now()) == []
    assert services.digest_deliver(digest_id=digest.pk) is None
    assert tasks.sweep() == 0

    campaign_clock.travel(claimed_at + dt.timedelta(minutes=5, seconds=1))
    assert tasks.sweep() == 1

    digest.refresh_from_db()
    assert (digest.status, digest.attempts) == (Digest.Status.DONE, 2)
    assert [m.to for m in mail.outbox] == [["office_a@example.com"]]
    assert Notification.objects.count() == 1  # the inbox went out once, before the e-mail killed it


def test_the_sweep_delivers_a_digest_never_queued_until_it_is_two_days_old(
    campaign_clock, make_digest, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:  # never run: the message was lost
        digest = make_digest()
    assert len(callbacks) == 1
    made_at = campaign_clock.now

    campaign_clock.travel(made_at + dt.timedelta(days=2, seconds=1))
    assert tasks.sweep() == 0
    campaign_clock.travel(made_at + dt.timedelta(days=2))
    assert tasks.sweep() == 1

    digest.refresh_from_db()
    assert digest.status == Digest.Status.DONE
    assert len(mail.outbox) == 1
