"""Recorded mail: sent after commit, retried a bounded number of times, recorded when it fails."""

import datetime as dt
import logging
import socket

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from pandu.audit.models import AuditEvent
from pandu.notify import services
from pandu.notify.models import OutboundMessage


def closed_port() -> int:
    """A local port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


def queue(demo, **extra):
    return services.email_send(
        to="ayu@example.org",
        template="deletion_requested",
        context={"name": "Ayu", "mission": demo["toronto"]},
        language="en",
        attachments=[("a.txt", b"hello", "text/plain")],
        mission=demo["toronto"],
        **extra,
    )


def test_message_is_recorded_and_sent_after_commit(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(demo)
        assert mail.outbox == []  # nothing leaves inside the transaction
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 1 and message.sent_at
    assert message.template == "deletion_requested" and message.language == "en"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ayu@example.org"] and sent.subject == message.subject
    assert sent.attachments == [("a.txt", "hello", "text/plain")]
    assert AuditEvent.objects.filter(event="message_sent", object_ref=message.public_id).exists()


def test_nothing_is_recorded_or_sent_when_the_caller_rolls_back(
    demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue(demo)
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
    assert OutboundMessage.objects.count() == 0
    assert mail.outbox == []


def test_failed_send_is_retried_with_pauses_then_marked_failed(
    demo, smtp_down, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(demo)
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts == 1
    assert message.last_error.startswith("ConnectionRefusedError")
    assert len(message.last_error) <= 300
    first_pause = message.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=30) < first_pause <= dt.timedelta(minutes=1)

    # Not due yet: nothing is queued again.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_retry_due(timezone.now()) == 0
    now = timezone.now()
    with caplog.at_level(logging.ERROR, logger="pandu.notify.services"):
        for attempt in range(2, services.MAX_ATTEMPTS + 1):
            now += dt.timedelta(hours=3)
            with django_capture_on_commit_callbacks(execute=True):
                assert services.messages_retry_due(now) == 1
            message.refresh_from_db()
            assert message.attempts == attempt
    assert message.status == "failed" and message.next_attempt_at is None
    assert "not sent after 5 attempts" in caplog.text
    assert "ayu@example.org" not in caplog.text  # the log names the message, not the person
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_retry_due(now + dt.timedelta(days=1)) == 0
    events = list(
        AuditEvent.objects.filter(object_ref=message.public_id).values_list("event", flat=True)
    )
    assert events == ["message_send_failed"] * 4 + ["message_failed"]
    assert mail.outbox == []


def test_retry_succeeds_once_the_server_is_back(
    demo, smtp_down, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(demo)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_retry_due(timezone.now() + dt.timedelta(minutes=2)) == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 2 and message.last_error == ""
    assert len(mail.outbox) == 1


def test_a_message_being_sent_by_one_worker_is_left_alone_by_another(demo):
    message = queue(demo)  # its task is not run: on-commit callbacks are not executed here
    now = timezone.now()
    OutboundMessage.objects.filter(pk=message.pk).update(
        locked_until=now + dt.timedelta(minutes=5), next_attempt_at=now
    )
    assert services.message_send(message_id=message.pk, now=now) == "queued"
    assert services.messages_retry_due(now + dt.timedelta(minutes=1)) == 0
    assert mail.outbox == []
    assert services.message_send(message_id=message.pk, now=now + dt.timedelta(minutes=6)) == "sent"
    assert services.message_send(message_id=message.pk, now=now + dt.timedelta(minutes=7)) == "sent"
    assert len(mail.outbox) == 1  # sent once


def test_a_lost_task_is_queued_again_once_its_lease_ran_out(
    demo, django_capture_on_commit_callbacks
):
    message = queue(demo)  # the task was lost (say, a worker restarted before it ran)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messages_retry_due(timezone.now()) == 0
        assert services.messages_retry_due(timezone.now() + services.LEASE) == 1
    message.refresh_from_db()
    assert message.status == "sent" and len(mail.outbox) == 1


def test_purge_blanks_old_content_and_keeps_the_delivery_record(
    demo, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_RETENTION_DAYS = 30
    with django_capture_on_commit_callbacks(execute=True):
        old, recent = queue(demo), queue(demo)
    waiting = queue(demo)  # never sent: its content is still needed
    OutboundMessage.objects.filter(pk__in=[old.pk, waiting.pk]).update(
        created_at=timezone.now() - dt.timedelta(days=31)
    )
    assert services.messages_purge(timezone.now()) == 1
    assert services.messages_purge(timezone.now()) == 0
    old.refresh_from_db(), recent.refresh_from_db(), waiting.refresh_from_db()
    assert old.body == "" and old.attachments == [] and old.purged_at
    assert old.status == "sent" and old.recipient == "ayu@example.org" and old.subject
    assert recent.body and recent.attachments
    assert waiting.body and waiting.attachments
    assert AuditEvent.objects.filter(event="messages_purged").count() == 1


def test_system_administrator_reads_the_messages_but_not_their_content(
    client, demo, django_capture_on_commit_callbacks
):
    from pandu.people.models import User

    with django_capture_on_commit_callbacks(execute=True):
        message = queue(demo)
    client.force_login(User.objects.get(email="sysadmin@toronto.pandu.test"))
    listing = client.get("/admin/notify/outboundmessage/")
    assert listing.status_code == 200
    assert "ayu@example.org" in listing.content.decode()
    page = client.get(f"/admin/notify/outboundmessage/{message.pk}/change/")
    assert page.status_code == 200
    assert message.body.strip().splitlines()[0] not in page.content.decode()
    assert client.post(f"/admin/notify/outboundmessage/{message.pk}/delete/").status_code == 403
    client.force_login(User.objects.get(email="officer@toronto.pandu.test"))
    assert client.get("/admin/notify/outboundmessage/").status_code == 403
