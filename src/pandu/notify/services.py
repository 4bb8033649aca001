"""Notifications in the recipient's language, recorded, then sent after the caller commits.

Each message is a row (``OutboundMessage``) written in the caller's transaction; the task that
sends it is queued only when that transaction commits, so a refused request sends nothing. A send
that fails is retried a bounded number of times with growing pauses (``messages_retry_due``), and
the row says what happened. Bodies of old messages are blanked (``messages_purge``): the table
is a delivery record, not an archive of what citizens were told.

A citizen's notices go by SMS or WhatsApp instead when they chose that channel, consented to it,
and the channel is configured (``notify.channels``); otherwise, and for messages that must reach
the e-mail address itself (verification, password reset, data export), by e-mail. An SMS or
WhatsApp message that cannot be delivered is replaced by an e-mail, recorded on both rows.

Inside ``held()`` nothing is recorded or sent: history written through the real services (the
demo's bookings, visits and surveys) would otherwise mail every citizen in it.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template import TemplateDoesNotExist, Variable, VariableDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pandu.audit.services import audit_record
from pandu.notify import tasks, tokens
from pandu.notify.channels import ChannelError, channel_get, whatsapp_template
from pandu.notify.models import Channel, ContactPreference, OutboundMessage, PendingStatusReport
from pandu.notify.preferences import phone_normalise

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


# Notices a citizen may receive by SMS or WhatsApp. Anything else (address verification, password
# reset, data export, account deletion, mail to staff) goes to the e-mail address it is about.
TEXT_NOTICES = frozenset(
    {
        "appointment_booked",
        "appointment_reminder",
        "application_status",
        "day_closed",
        "draw_not_drawn",
        "help_requested",
        "no_show_paused",
        "pertiwi_decided",
        "pertiwi_visit_out_of_reach",
        "pertiwi_visit_received",
        "pertiwi_visit_scheduled",
        "queue_turn_near",
        "survey_invitation",
        "waitlist_offer",
    }
)
# Two concatenated SMS segments of plain (GSM) text.
SMS_MAX = 320
# The longest text one WhatsApp template parameter is given (Meta's limit for a template's whole
# body; a crisis message's body, at most 600 characters, is never cut).
TEMPLATE_PARAM_MAX = 1024
# A status report for an id no message has yet is kept this long for it (``messages_purge``).
PENDING_REPORT_KEEP = dt.timedelta(days=2)


def _enqueue_on_commit(message_id: int) -> None:

    transaction.on_commit(lambda: tasks.send_email.enqueue(message_id=message_id))


def message_queue(
    *,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    attachments: Sequence[tuple[str, bytes, str]] = (),
    template: str = "",
    language: str = "",
    mission=None,
    channel: str = Channel.EMAIL,
    phone: str = "",
    text: str = "",
    fallback_of: OutboundMessage | None = None,
    template_params: Sequence[str] = (),
) -> OutboundMessage | None:
    """Record an already rendered message and send it once the current transaction commits
    (nothing, and ``None``, inside ``held()``). ``text`` and ``phone`` are for SMS or WhatsApp;
    ``subject`` and ``body`` are kept for e-mail, which such a message falls back to."""
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
        channel=channel,
        phone=phone,
        text=text,
        fallback_of=fallback_of,
        template_params=list(template_params),
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
    attachments: Sequence[tuple[str, bytes, str]] = (),
    mission=None,
) -> OutboundMessage | None:
    """Render ``notify/<template>.subject.txt`` and ``.body.txt`` in ``language`` and queue it,
    on the recipient's chosen channel when that is allowed (``notify_send``), else by e-mail."""
    return notify_send(
        to=to,
        template=template,
        context=context,
        language=language,
        attachments=attachments,
        mission=mission,
    )


def notify_send(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    mission=None,
) -> OutboundMessage | None:
    """Queue the notice ``template`` for the person with the e-mail address ``to``.

    It goes by SMS or WhatsApp when the template is one of ``TEXT_NOTICES``, the person chose that
    channel, consented to it and gave a number, and the channel is configured; the short text is
    ``notify/<template>_sms.txt`` (or the subject and the context's ``link``), ending with a link
    that stops such messages. Otherwise it goes by e-mail. ``attachments`` are ``(filename,
    content, mimetype)`` and go with the e-mail only. The message leaves only if the transaction
    that asked for it commits. Inside ``held()`` nothing is rendered or queued.
    """
    if holding():
        return None
    with translation.override(language):
        subject = " ".join(render_to_string(f"notify/{template}.subject.txt", context).split())
        body = render_to_string(f"notify/{template}.body.txt", context)
    preference = _text_preference(to) if template in TEXT_NOTICES else None
    channel: str
    channel, phone, text, params = Channel.EMAIL, "", "", []
    if preference is not None:
        channel, phone = preference.channel, preference.phone
        text = short_text(
            template=template,
            context=context,
            language=language,
            subject=subject,
            stop_link=stop_link(preference, channel, language),
        )
        if channel == Channel.WHATSAPP:
            params = whatsapp_template_params(template=template, context=context, language=language)
    return message_queue(
        to=to,
        subject=subject,
        body=body,
        attachments=attachments,
        template=template,
        language=language,
        mission=mission,
        channel=channel,
        phone=phone,
        text=text,
        template_params=params,
    )


def _param_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = date_format(timezone.localtime(value), "j M Y H:i")
    elif isinstance(value, dt.date):
        value = date_format(value, "j M Y")
    # Meta refuses parameters with line breaks, tabs or runs of spaces (error 132018).
    return " ".join(str(value if value is not None else "").split())[:TEMPLATE_PARAM_MAX]


def whatsapp_template_params(*, template: str, context: dict[str, Any], language: str) -> list[str]:
    """The notice's fields for the WhatsApp template of its kind (``WHATSAPP_TEMPLATES``), read
    from the context by dotted name (``appointment.reference``), dates in the notice's language.
    Empty when the kind has no template or a field is empty (Meta refuses empty parameters): the
    notice then goes by WhatsApp only inside the 24-hour window."""
    found = whatsapp_template(template, language)
    if found is None:
        return []
    values = []
    with translation.override(language):
        for name in found[1]:
            try:
                value = Variable(name).resolve(context)
            except VariableDoesNotExist:
                return []
            text = _param_text(value)
            if not text:
                return []
            values.append(text)
    return values


_EMAIL = re.compile(r"[^\s@\"'<>,;:()\[\]{}]+@[^\s@\"'<>,;:()\[\]{}]+")


def preference_for(email: str) -> ContactPreference | None:
    return (
        ContactPreference.objects.filter(user__email__iexact=email, user__is_active=True)
        .select_related("user")
        .first()
    )


def _text_preference(email: str) -> ContactPreference | None:
    """The preference of the person at ``email`` if it sends notices by SMS or WhatsApp now."""
    preference = preference_for(email)
    if preference is None or not text_channel_allowed(preference, preference.channel):
        return None
    return preference


def text_channel_allowed(preference: ContactPreference, channel: str) -> bool:
    return (
        channel != Channel.EMAIL
        and preference.channel == channel
        and preference.consented(channel)
        and channel_get(channel).configured()
    )


def stop_link(preference: ContactPreference, channel: str, language: str) -> str:
    with translation.override(language):
        path = reverse(
            "notify:stop",
            kwargs={"token": tokens.stop_token(preference=preference, channel=channel)},
        )
    return f"{settings.SITE_URL}{path}"


def short_text(
    *, template: str, context: dict[str, Any], language: str, subject: str, stop_link: str
) -> str:
    """The SMS or WhatsApp text of a notice, at most ``SMS_MAX`` characters, stop link last."""
    with translation.override(language):
        try:
            text: str = render_to_string(f"notify/{template}_sms.txt", context)
        except TemplateDoesNotExist:
            text = f"{subject} {context.get('link', '')}"
        footer = _("Berhenti: %(link)s") % {"link": stop_link}
    text = " ".join(text.split())
    room = SMS_MAX - len(footer) - 1
    if len(text) > room:
        # Shorten the words, never the link the notice ends with.
        words, _space, link = text.rpartition(" ")
        if not link.startswith("http"):
            words, link = text, ""
        keep = max(room - len(link) - 4, 0)
        text = f"{words[:keep].rstrip()}... {link}".strip()[:room]
    return f"{text}\n{footer}"


def _short_error(exc: BaseException) -> str:
    """The exception's class and first line, without anything a server echoed at length, and
    without e-mail addresses (a refused recipient names itself): this text is logged, and logs
    carry no personal data (docs/privacy.md "Logs"); the message row names its recipient."""
    first_line = (str(exc).splitlines() or [""])[0]
    return _EMAIL.sub("[email]", f"{type(exc).__name__}: {first_line}")[:300]


def message_send(*, message_id: int, now: dt.datetime | None = None) -> str | None:
    """Send one queued message once. Returns its status afterwards (None if it was deleted
    while it was being sent).

    A message another worker is sending, or one already sent or given up, is left alone. A failed
    attempt is recorded with a short error and the time of the next attempt; after
    ``MAX_ATTEMPTS`` the message is marked failed and an error is logged. An SMS or WhatsApp
    message is sent on its channel only if the citizen still consents and the channel is still
    configured; given up (at once when the provider refuses the number), it is replaced by an
    e-mail (``_fall_back``).
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
    if message.channel != Channel.EMAIL:
        preference = preference_for(message.recipient)
        if preference is None or not text_channel_allowed(preference, message.channel):
            # Opted out or switched off since the notice was queued: e-mail it instead.
            return _fall_back(message, now, reason="not_allowed", attempts=message.attempts)
    try:
        sent = channel_get(message.channel).send(message)
    except Exception as exc:  # any transport error: SMTP, HTTP, DNS, TLS, a refused recipient
        return _attempt_failed(message, exc, now)
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=sent.status,
            attempts=message.attempts + 1,
            sent_at=timezone.now(),
            provider_id=sent.provider_id,
            last_error="",
            next_attempt_at=None,
            locked_until=None,
        )
        audit_record(
            event="message_sent",
            obj=message,
            mission=message.mission,
            data={
                "template": message.template,
                "attempts": message.attempts + 1,
                "channel": message.channel,
            },
        )
    if sent.provider_id:
        status_reports_pending_apply(channel=message.channel, provider_id=sent.provider_id)
        return (
            OutboundMessage.objects.filter(pk=message.pk).values_list("status", flat=True).first()
        )
    return sent.status


def _attempt_failed(message: OutboundMessage, exc: Exception, now: dt.datetime) -> str:
    attempts = message.attempts + 1
    error = _short_error(exc)
    final = attempts >= MAX_ATTEMPTS or (isinstance(exc, ChannelError) and exc.permanent)
    if final and message.channel != Channel.EMAIL:
        log.warning(
            "Message %s (%s) not sent by %s after %d attempts, e-mailed instead: %s",
            message.public_id,
            message.template or "-",
            message.channel,
            attempts,
            error,
        )
        return _fall_back(message, now, reason="send_failed", attempts=attempts, error=error)
    status = OutboundMessage.Status.FAILED if final else OutboundMessage.Status.QUEUED
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


def _fall_back(
    message: OutboundMessage, now: dt.datetime, *, reason: str, attempts: int, error: str = ""
) -> str:
    """Give up an SMS or WhatsApp message and queue its e-mail instead; both rows say so."""
    with transaction.atomic():
        updated = (
            OutboundMessage.objects.filter(pk=message.pk)
            .exclude(channel=Channel.EMAIL)
            .filter(fallback__isnull=True)
            .update(
                status=OutboundMessage.Status.FAILED,
                attempts=attempts,
                last_error=error or reason,
                next_attempt_at=None,
                locked_until=None,
            )
        )
        if not updated:  # already replaced (a status report and a send raced)
            return OutboundMessage.Status.FAILED
        attachments = [
            (item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
            for item in message.attachments or []
        ]
        replacement = message_queue(
            to=message.recipient,
            subject=message.subject,
            body=message.body,
            html=message.html,
            attachments=attachments,
            template=message.template,
            language=message.language,
            mission=message.mission,
            fallback_of=message,
        )
        audit_record(
            event="message_fell_back",
            obj=message,
            mission=message.mission,
            data={
                "template": message.template,
                "channel": message.channel,
                "reason": reason,
                "attempts": attempts,
                "replacement": str(replacement.public_id) if replacement else "",
            },
        )
    return OutboundMessage.Status.FAILED


# The order in which a provider reports a message's fate; a late report never moves it back.
_PROGRESS: dict[str, int] = {
    OutboundMessage.Status.SENT: 1,
    OutboundMessage.Status.DELIVERED: 2,
    OutboundMessage.Status.READ: 3,
}


def message_status_report(
    *, channel: str, provider_id: str, status: str, error: str = "", now: dt.datetime | None = None
) -> OutboundMessage | None:
    """Record what a provider reports about a message it accepted (``sent``, ``delivered``,
    ``read`` or ``failed``). A failure after acceptance falls back to e-mail. Returns the message,
    or ``None`` when no message has that provider id yet: the report is then kept and applied
    when the id is saved (``status_reports_pending_apply``)."""
    now = now or timezone.now()
    message = _reported_message(channel, provider_id)
    if message is None:
        if not provider_id:
            return None
        PendingStatusReport.objects.create(
            channel=channel, provider_id=provider_id, status=status, error=error, received_at=now
        )
        # The send may have saved the id between the look-up and the row: whoever deletes the
        # kept row applies it, so it is applied once, and never missed.
        if OutboundMessage.objects.filter(channel=channel, provider_id=provider_id).exists():
            status_reports_pending_apply(channel=channel, provider_id=provider_id, now=now)
        return None
    return _status_apply(message, channel=channel, status=status, error=error, now=now)


def _reported_message(channel: str, provider_id: str) -> OutboundMessage | None:
    return (
        OutboundMessage.objects.filter(channel=channel, provider_id=provider_id)
        .exclude(provider_id="")
        .select_related("mission")
        .first()
    )


def _status_apply(
    message: OutboundMessage, *, channel: str, status: str, error: str, now: dt.datetime
) -> OutboundMessage:
    if status == OutboundMessage.Status.FAILED:
        if message.status in _PROGRESS:
            _fall_back(
                message,
                now,
                reason="provider_failed",
                attempts=message.attempts,
                error=f"{channel} reported failure {error}".strip()[:300],
            )
        return message
    current = _PROGRESS.get(message.status)
    if current is None or _PROGRESS[status] <= current:
        return message
    changes: dict[str, Any] = {"status": status}
    if message.delivered_at is None:
        changes["delivered_at"] = now
    OutboundMessage.objects.filter(pk=message.pk, status=message.status).update(**changes)
    return message


def status_reports_pending_apply(
    *, channel: str, provider_id: str, now: dt.datetime | None = None
) -> int:
    """Apply, in the order they came, the status reports kept for a provider id that has just
    been saved on its message (``message_send``, a broadcast's delivery). Returns how many."""
    now = now or timezone.now()
    applied = 0
    for report in PendingStatusReport.objects.filter(
        channel=channel, provider_id=provider_id
    ).order_by("received_at", "pk"):
        deleted, _by_model = PendingStatusReport.objects.filter(pk=report.pk).delete()
        message = _reported_message(channel, provider_id)
        if not deleted or message is None:
            continue
        _status_apply(message, channel=channel, status=report.status, error=report.error, now=now)
        applied += 1
    return applied


def whatsapp_inbound_record(*, phone: str, at: dt.datetime, now: dt.datetime | None = None) -> int:
    """A citizen wrote to us on WhatsApp at ``at`` (the message's time, never later than now):
    free text may reach them for 24 hours. Returns how many preferences have that number."""

    now = now or timezone.now()
    try:
        number = phone_normalise(phone if phone.startswith("+") else f"+{phone}")
    except ValueError:
        return 0
    at = min(at, now)
    return (
        ContactPreference.objects.filter(phone=number)
        .filter(Q(whatsapp_inbound_at__isnull=True) | Q(whatsapp_inbound_at__lt=at))
        .update(whatsapp_inbound_at=at)
    )


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
        status__in=[
            OutboundMessage.Status.SENT,
            OutboundMessage.Status.FAILED,
            OutboundMessage.Status.DELIVERED,
            OutboundMessage.Status.READ,
        ],
        created_at__lt=cutoff,
        purged_at__isnull=True,
    ).update(body="", html="", text="", attachments=[], template_params=[], purged_at=now)
    PendingStatusReport.objects.filter(received_at__lt=now - PENDING_REPORT_KEEP).delete()
    if purged:
        audit_record(
            event="messages_purged",
            data={"messages": purged, "retention_days": settings.NOTIFY_RETENTION_DAYS},
        )
    return purged


@transaction.atomic
def messages_forget(*, email: str) -> int:
    """Erase the messages kept for an address (an account being deleted), and the contact
    preference (its phone number) of the account with that address. Returns how many messages."""
    ContactPreference.objects.filter(user__email__iexact=email).delete()
    forgotten, _by_model = OutboundMessage.objects.filter(recipient__iexact=email).delete()
    return forgotten
