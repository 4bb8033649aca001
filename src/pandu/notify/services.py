"""Notifications in the recipient's language, recorded, then sent after the caller commits.

Each message is a row (``OutboundMessage``) written in the caller's transaction; the task that
sends it is queued only when that transaction commits, so a refused request sends nothing. A send
that fails is retried a bounded number of times with growing pauses (``messages_retry_due``), and
the row says what happened. Bodies of old messages are blanked (``messages_purge``): the table
is a delivery record, not an archive of what citizens were told.

Inside ``held()`` nothing is recorded or sent: history written through the real services (the
demo's bookings, visits and surveys) would otherwise mail every citizen in it.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pandu.audit.services import audit_record
from pandu.notify.models import OutboundMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Pause after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
# How long one worker holds a message while sending it, and how long a queued message waits for
# its task before ``messages_retry_due`` queues it again (a task lost with a restarted worker).
LEASE = dt.timedelta(minutes=10)


_held: ContextVar[bool] = ContextVar("pandu_notify_held", default=False)


@contextmanager
def held() -> Iterator[None]:
    """Hold back every notification asked for inside the block: none is recorded or sent."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def holding() -> bool:
    """Whether notifications are held back here (callers may skip building attachments)."""
    return _held.get()


def _enqueue_on_commit(message_id: int) -> None:
    from pandu.notify.tasks import send_email

    transaction.on_commit(lambda: send_email.enqueue(message_id=message_id))


def message_queue(
    *,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    attachments: list[tuple[str, bytes, str]] = (),
    template: str = "",
    language: str = "",
    mission=None,
) -> OutboundMessage | None:
    """Record an already rendered message and send it once the current transaction commits
    (nothing, and ``None``, inside ``held()``)."""
    if holding():
        return None
    files = [
        {"filename": name, "content_b64": base64.b64encode(content).decode(), "mimetype": mimetype}
        for name, content, mimetype in attachments
    ]
    message = OutboundMessage.objects.create(
        mission=mission,
        recipient=to,
        subject=subject[:300],
        body=body,
        html=html,
        attachments=files,
        template=template,
        language=language,
        next_attempt_at=timezone.now() + LEASE,
    )
    _enqueue_on_commit(message.pk)
    return message


def email_send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    attachments: list[tuple[str, bytes, str]] = (),
    mission=None,
) -> OutboundMessage | None:
    """Render ``notify/<template>.subject.txt`` and ``.body.txt`` in ``language`` and queue it.

    ``attachments`` are ``(filename, content, mimetype)``. The message leaves only if the
    transaction that asked for it commits. Inside ``held()`` nothing is rendered or queued.
    """
    if holding():
        return None
    with translation.override(language):
        subject = " ".join(render_to_string(f"notify/{template}.subject.txt", context).split())
        body = render_to_string(f"notify/{template}.body.txt", context)
    return message_queue(
        to=to,
        subject=subject,
        body=body,
        attachments=attachments,
        template=template,
        language=language,
        mission=mission,
    )


_EMAIL = re.compile(r"[^\s@\"'<>,;:()\[\]{}]+@[^\s@\"'<>,;:()\[\]{}]+")


def _short_error(exc: BaseException) -> str:
    """The exception's class and first line, without anything a server echoed at length, and
    without e-mail addresses (a refused recipient names itself): this text is logged, and logs
    carry no personal data (docs/privacy.md "Logs"); the message row names its recipient."""
    first_line = (str(exc).splitlines() or [""])[0]
    return _EMAIL.sub("[email]", f"{type(exc).__name__}: {first_line}")[:300]


def message_send(*, message_id: int, now: dt.datetime | None = None) -> str:
    """Send one queued message once. Returns its status afterwards.

    A message another worker is sending, or one already sent or given up, is left alone. A failed
    attempt is recorded with a short error and the time of the next attempt; after
    ``MAX_ATTEMPTS`` the message is marked failed and an error is logged.
    """
    now = now or timezone.now()
    claimed = (
        OutboundMessage.objects.filter(pk=message_id, status=OutboundMessage.Status.QUEUED)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=now + LEASE)
    )
    if not claimed:
        found = OutboundMessage.objects.filter(pk=message_id).values_list("status", flat=True)
        return found[0] if found else "missing"
    message = OutboundMessage.objects.select_related("mission").get(pk=message_id)
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.body, to=[message.recipient]
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for item in message.attachments or []:
        email.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
    try:
        email.send()
    except Exception as exc:  # any transport error: SMTP, DNS, TLS, a refused recipient
        return _attempt_failed(message, exc, now)
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundMessage.Status.SENT,
            attempts=message.attempts + 1,
            sent_at=timezone.now(),
            last_error="",
            next_attempt_at=None,
            locked_until=None,
        )
        audit_record(
            event="message_sent",
            obj=message,
            mission=message.mission,
            data={"template": message.template, "attempts": message.attempts + 1},
        )
    return OutboundMessage.Status.SENT


def _attempt_failed(message: OutboundMessage, exc: Exception, now: dt.datetime) -> str:
    attempts = message.attempts + 1
    final = attempts >= MAX_ATTEMPTS
    status = OutboundMessage.Status.FAILED if final else OutboundMessage.Status.QUEUED
    error = _short_error(exc)
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=status,
            attempts=attempts,
            last_error=error,
            next_attempt_at=None if final else now + BACKOFF[attempts - 1],
            locked_until=None,
        )
        audit_record(
            event="message_failed" if final else "message_send_failed",
            obj=message,
            mission=message.mission,
            data={"template": message.template, "attempts": attempts},
        )
    if final:
        log.error(
            "Message %s (%s) not sent after %d attempts: %s",
            message.public_id,
            message.template or "-",
            attempts,
            error,
        )
    else:
        log.warning("Message %s: attempt %d failed: %s", message.public_id, attempts, error)
    return status


def messages_retry_due(now: dt.datetime | None = None) -> int:
    """Queue again every waiting message whose next attempt is due. Returns how many."""
    now = now or timezone.now()
    due = list(
        OutboundMessage.objects.filter(
            status=OutboundMessage.Status.QUEUED, next_attempt_at__lte=now
        )
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .values_list("pk", "next_attempt_at")
    )
    queued = 0
    for pk, was_due in due:
        with transaction.atomic():
            # Move the due time on first, so the next round does not queue it a second time
            # while its task waits for a worker; the conditional update makes one runner win.
            if OutboundMessage.objects.filter(pk=pk, next_attempt_at=was_due).update(
                next_attempt_at=now + LEASE
            ):
                _enqueue_on_commit(pk)
                queued += 1
    return queued


@transaction.atomic
def messages_purge(now: dt.datetime | None = None) -> int:
    """Blank the content of messages sent or given up more than the retention period ago."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.NOTIFY_RETENTION_DAYS)
    purged = OutboundMessage.objects.filter(
        status__in=[OutboundMessage.Status.SENT, OutboundMessage.Status.FAILED],
        created_at__lt=cutoff,
        purged_at__isnull=True,
    ).update(body="", html="", attachments=[], purged_at=now)
    if purged:
        audit_record(
            event="messages_purged",
            data={"messages": purged, "retention_days": settings.NOTIFY_RETENTION_DAYS},
        )
    return purged


@transaction.atomic
def messages_forget(*, email: str) -> int:
    """Erase the messages kept for an address (an account being deleted). Returns how many."""
    forgotten, _by_model = OutboundMessage.objects.filter(recipient__iexact=email).delete()
    return forgotten
