"""Crisis messages: compose, confirm, send in the background, take replies, work the help list.

Sending
-------
``broadcast_send`` fixes the recipients as ``Delivery`` rows (one per citizen, a unique
constraint) and queues one task, ``broadcast_run``, which works through them in batches until
none is left. Each delivery is *claimed* by a conditional update (``queued`` -> ``sending``, with
a lease) in its own committed transaction *before* the provider is called, and marked ``sent``
after; so a second worker, or the same broadcast's task started twice, never takes a delivery
another is sending, and a restarted worker resumes from the rows still ``queued``. The worker
moves the broadcast's heartbeat on each batch; ``broadcasts_resume`` (in the ``run_due`` round)
queues the task again for a broadcast whose heartbeat stopped: its worker died.

The crash window
----------------
A worker killed after the provider accepted a message and before the row says ``sent`` leaves the
row ``sending`` with a lease that runs out. Sending it again could send it twice; not sending it
could lose it. What happens depends on whether the channel can be asked:

- SMS (Twilio): every message carries its delivery's reply token, unique to that citizen. After
  the lease, the messages Twilio holds for that number since the claim are listed and searched
  for the token: found, the row is marked ``sent`` with Twilio's id; not found, the provider never
  got it and the row goes back to ``queued``. Exactly once, with no guess.
- WhatsApp Cloud API and e-mail (SMTP) offer no such look-up. The row becomes ``unconfirmed``,
  counted on the broadcast's page and audited, and is not sent again: a second identical crisis
  message is worse than asking staff to check a handful of rows after a crash, and the window is
  one message per worker wide.

Throttle
--------
``Throttle`` spaces the sends of one worker per channel (``BROADCAST_RATE_*`` messages per second;
0 means no limit). Several workers each keep their own pace: divide the rate by the number of
workers sending broadcasts.

Recording
---------
Each attempt's message is a ``notify.OutboundMessage`` (channel, number, provider id), so the
providers' status webhooks move it to delivered and read as for any notice; it is written with
no ``next_attempt_at`` so notify's own retry round never sends it a second time. Audit events are
written per broadcast (drafted, sent, resumed, finished, deliveries left unconfirmed) and per
reply and help-case step, not per delivery: the delivery rows are that record.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.audit.services import audit_record
from pandu.broadcast import tasks, tokens
from pandu.broadcast.models import (
    Area,
    Broadcast,
    Delivery,
    Group,
    HelpCase,
    HelpNote,
    Reply,
)
from pandu.broadcast.selectors import Selection, crisis_supervisors, recipients
from pandu.core.errors import NotFound, PanduError, ValidationFailed
from pandu.notify.channels import ChannelError, SmsChannel, channel_get
from pandu.notify.models import Channel, OutboundMessage
from pandu.notify.services import _short_error as notify_short_error
from pandu.notify.services import (
    holding,
    notify_send,
    preference_for,
    status_reports_pending_apply,
    stop_link,
    text_channel_allowed,
    whatsapp_template_params,
)
from pandu.people.identity import IdentityError, normalise_phone

log = logging.getLogger(__name__)

SEND_PERM = "broadcast.send_broadcast"
HELP_PERM = "broadcast.change_helpcase"
MAX_ATTEMPTS = 3
BACKOFF = (dt.timedelta(seconds=5), dt.timedelta(seconds=30))
SUBJECT_MAX = 120
BODY_MAX = 600
NOTE_MAX = 500
RADIUS_MAX_KM = 1000.0


# Composing -------------------------------------------------------------------------------------


def selection_check(*, mission, selection: Selection) -> Selection:
    """The selection, or ``ValidationFailed`` naming the fields that are wrong."""
    errors: dict[str, list[str]] = {}
    if selection.area == Area.RADIUS:
        lat, lon, km = selection.center_lat, selection.center_lon, selection.radius_km
        if lat is None or lon is None:
            errors["center"] = [_("Pilih kota atau isi lintang dan bujur titik pusat.")]
        elif not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors["center"] = [_("Lintang harus antara -90 dan 90, bujur antara -180 dan 180.")]
        if km is None or not (0 < km <= RADIUS_MAX_KM):
            errors["radius_km"] = [
                _("Radius harus lebih dari 0 dan paling banyak %(max)d km.")
                % {"max": RADIUS_MAX_KM}
            ]
    elif selection.area == Area.PROVINCES:
        allowed = set(mission.jurisdiction)
        if not selection.provinces:
            errors["provinces"] = [_("Pilih sedikitnya satu provinsi.")]
        elif not set(selection.provinces) <= allowed:
            errors["provinces"] = [_("Pilih provinsi di wilayah kerja perwakilan ini.")]
    else:
        errors["area"] = [_("Pilih jenis wilayah.")]
    if not selection.groups:
        errors["groups"] = [_("Pilih sedikitnya satu kelompok.")]
    elif not set(selection.groups) <= set(Group.values):
        errors["groups"] = [_("Pilih kelompok dari daftar.")]
    if errors:
        raise ValidationFailed(errors)
    return selection


def _texts_check(texts: dict[str, str]) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    clean = {key: (value or "").strip() for key, value in texts.items()}
    for key in ("subject_id", "subject_en"):
        if not clean[key]:
            errors[key] = [_("Isi judul pesan.")]
        elif len(clean[key]) > SUBJECT_MAX:
            errors[key] = [_("Paling panjang %(max)d karakter.") % {"max": SUBJECT_MAX}]
    for key in ("body_id", "body_en"):
        if not clean[key]:
            errors[key] = [_("Tulis isi pesan.")]
        elif len(clean[key]) > BODY_MAX:
            errors[key] = [_("Paling panjang %(max)d karakter.") % {"max": BODY_MAX}]
    if errors:
        raise ValidationFailed(errors)
    return clean


@transaction.atomic
def broadcast_draft(
    *,
    mission,
    by,
    selection: Selection,
    crisis: str,
    subject_id: str,
    body_id: str,
    subject_en: str,
    body_en: str,
    center_label: str = "",
    now: dt.datetime | None = None,
) -> Broadcast:
    """Record a message to confirm: nothing is sent until ``broadcast_send``."""
    if not by.has_perm(SEND_PERM, mission):
        raise PermissionDenied
    selection = selection_check(mission=mission, selection=selection)
    texts = _texts_check(
        {"subject_id": subject_id, "body_id": body_id, "subject_en": subject_en, "body_en": body_en}
    )
    radius = selection.area == Area.RADIUS
    broadcast = Broadcast.objects.create(
        mission=mission,
        crisis=crisis[:20],
        area=selection.area,
        center_lat=selection.center_lat if radius else None,
        center_lon=selection.center_lon if radius else None,
        center_label=center_label[:100] if radius else "",
        radius_km=selection.radius_km if radius else None,
        provinces=[] if radius else sorted(selection.provinces),
        groups=sorted(selection.groups),
        created_by=by,
        created_at=now or timezone.now(),
        **texts,
    )
    audit_record(
        event="broadcast_drafted",
        actor=by,
        obj=broadcast,
        mission=mission,
        data={"area": broadcast.area, "groups": broadcast.groups, "crisis": broadcast.crisis},
    )
    return broadcast


def _enqueue_on_commit(broadcast_id: int) -> None:

    transaction.on_commit(lambda: tasks.send_broadcast.enqueue(broadcast_id=broadcast_id))


@transaction.atomic
def broadcast_send(*, broadcast: Broadcast, by, now: dt.datetime | None = None) -> Broadcast:
    """Fix the recipients of a draft as deliveries and queue the task that sends them."""
    now = now or timezone.now()
    if not by.has_perm(SEND_PERM, broadcast.mission):
        raise PermissionDenied
    found = recipients(broadcast.mission, Selection.of(broadcast))
    if not found:
        raise PanduError(
            _("Tidak ada WNI yang terdaftar di wilayah dan kelompok ini."), code="empty"
        )
    # The conditional update decides: a second click, or a second supervisor, sends nothing.
    if not Broadcast.objects.filter(pk=broadcast.pk, status=Broadcast.Status.DRAFT).update(
        status=Broadcast.Status.SENDING,
        sent_by=by,
        queued_at=now,
        heartbeat_at=now,
        recipients=len(found),
    ):
        raise PanduError(_("Pesan ini sudah dikirim."), code="already_sent")
    Delivery.objects.bulk_create(
        [
            Delivery(
                broadcast=broadcast,
                registration_id=registration,
                citizen_id=citizen,
                language=language if language in ("id", "en") else settings.LANGUAGE_CODE,
            )
            for registration, citizen, language in found
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    broadcast.refresh_from_db()
    audit_record(
        event="broadcast_sent",
        actor=by,
        obj=broadcast,
        mission=broadcast.mission,
        data={"recipients": len(found)},
    )
    _enqueue_on_commit(broadcast.pk)
    return broadcast


# Sending ---------------------------------------------------------------------------------------


class Throttle:
    """Spaces one worker's sends per channel to at most ``rates[channel]`` per second."""

    def __init__(
        self,
        rates: dict[str, float],
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.rates = rates
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}

    @classmethod
    def from_settings(cls) -> Throttle:
        return cls(
            {
                Channel.EMAIL: settings.BROADCAST_RATE_EMAIL,
                Channel.SMS: settings.BROADCAST_RATE_SMS,
                Channel.WHATSAPP: settings.BROADCAST_RATE_WHATSAPP,
            }
        )

    def wait(self, channel: str) -> None:
        rate = self.rates.get(channel) or 0
        if rate <= 0:
            return
        now = self.clock()
        due = self._next.get(channel, now)
        if due > now:
            self.sleep(due - now)
            now = due
        self._next[channel] = now + 1.0 / rate


def reply_link(delivery: Delivery, language: str) -> str:
    with translation.override(language):
        path = reverse("broadcast:reply", kwargs={"token": tokens.reply_token(delivery.public_id)})
    return f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class _Route:
    channel: str
    phone: str
    stop: str


def _route(delivery: Delivery) -> _Route:
    """The channel this citizen is reached on now: SMS or WhatsApp when chosen, consented and
    configured (as for notices), else e-mail; e-mail too once a text message gave up."""
    if delivery.channel == Channel.EMAIL:
        return _Route(Channel.EMAIL, "", "")
    preference = preference_for(delivery.citizen.user.email)
    if preference is not None and text_channel_allowed(preference, preference.channel):
        return _Route(
            preference.channel,
            preference.phone,
            stop_link(preference, preference.channel, delivery.language),
        )
    return _Route(Channel.EMAIL, "", "")


def _content(delivery: Delivery, route: _Route) -> dict:
    broadcast, language = delivery.broadcast, delivery.language
    link = reply_link(delivery, language)
    with translation.override(language):
        subject = broadcast.subject(language)
        body = broadcast.body(language)
        answer = _("Mohon jawab apakah Anda aman atau butuh bantuan: %(link)s") % {"link": link}
        mission = str(broadcast.mission.name)
        text = ""
        if route.channel != Channel.EMAIL:
            footer = _("Berhenti: %(link)s") % {"link": route.stop}
            text = f"{subject}\n{body}\n{answer}\n{footer}"
    content: dict[str, Any] = {
        "subject": subject,
        "body": f"{body}\n\n{answer}\n\n{mission}\n",
        "text": text,
    }
    if route.channel == Channel.WHATSAPP:
        # Outside the 24-hour window WhatsApp takes only the "broadcast" template (if configured).
        content["template_params"] = whatsapp_template_params(
            template="broadcast",
            context={"subject": subject, "body": body, "link": link, "mission": mission},
            language=language,
        )
    return content


def _claim(delivery_id: int, now: dt.datetime) -> Delivery | None:
    """Take one delivery for this worker, committed before the provider is called."""
    with transaction.atomic():
        claimed = (
            Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .update(
                status=Delivery.Status.SENDING,
                claimed_at=now,
                claimed_until=now + dt.timedelta(seconds=settings.BROADCAST_CLAIM_SECONDS),
                attempts=F("attempts") + 1,
            )
        )
        if not claimed:
            return None
        delivery = Delivery.objects.select_related(
            "broadcast__mission", "citizen__user", "message"
        ).get(pk=delivery_id)
        route = _route(delivery)
        content = _content(delivery, route)
        message = delivery.message
        if message is None or message.channel != route.channel:
            message = OutboundMessage.objects.create(
                mission=delivery.broadcast.mission,
                recipient=delivery.citizen.user.email,
                channel=route.channel,
                phone=route.phone,
                template="broadcast",
                language=delivery.language,
                fallback_of=message if message is not None else None,
                locked_until=delivery.claimed_until,
                **content,
            )
        Delivery.objects.filter(pk=delivery.pk).update(channel=route.channel, message=message)
        delivery.channel, delivery.message = route.channel, message
    return delivery


def delivery_send(
    *, delivery_id: int, throttle: Throttle, now: dt.datetime | None = None
) -> str | None:
    """Claim one delivery, send it, record the answer. Returns its status afterwards (None for
    a delivery that is no more)."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
    message = delivery.message
    assert message is not None  # _claim gave the delivery its message
    throttle.wait(message.channel)
    try:
        sent = channel_get(message.channel).send(message)
    except Exception as exc:  # any transport error: SMTP, HTTP, DNS, TLS, a refused number
        return _send_failed(delivery, message, exc, now)
    finished = timezone.now()
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=sent.status,
            attempts=F("attempts") + 1,
            sent_at=finished,
            provider_id=sent.provider_id,
            last_error="",
            locked_until=None,
        )
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.SENT, sent_at=finished, claimed_until=None, last_error=""
        )
    if sent.provider_id:  # a status report that came before the provider's answer
        status_reports_pending_apply(channel=message.channel, provider_id=sent.provider_id)
    return Delivery.Status.SENT


def _short_error(exc: BaseException) -> str:
    return notify_short_error(exc)


def _send_failed(delivery: Delivery, message: OutboundMessage, exc: Exception, now) -> str:
    error = _short_error(exc)
    permanent = isinstance(exc, ChannelError) and exc.permanent
    final = permanent or delivery.attempts >= MAX_ATTEMPTS
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundMessage.Status.FAILED if final else OutboundMessage.Status.QUEUED,
            attempts=F("attempts") + 1,
            last_error=error,
            locked_until=None,
        )
        if final and message.channel != Channel.EMAIL:
            # Given up on SMS or WhatsApp: the same message goes by e-mail instead.
            changes: dict[str, Any] = {
                "status": Delivery.Status.QUEUED,
                "channel": Channel.EMAIL,
                "attempts": 0,
                "next_attempt_at": None,
            }
        elif final:
            changes = {"status": Delivery.Status.FAILED, "next_attempt_at": None}
        else:
            changes = {
                "status": Delivery.Status.QUEUED,
                "next_attempt_at": now + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1],
            }
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            claimed_until=None, last_error=error, **changes
        )
    log.warning("Broadcast delivery %s: attempt failed: %s", delivery.public_id, error)
    return changes["status"]


def _twilio_find(message: OutboundMessage, reference: str, since: dt.datetime) -> str | None:
    """Twilio's id of a message to the number of ``message`` containing ``reference``."""
    client = SmsChannel().client()
    day = since - dt.timedelta(days=1)  # Twilio filters by the UTC date sent
    for found in client.messages.list(to=message.phone, date_sent_after=day, limit=200):
        if reference in (found.body or ""):
            return found.sid or "?"
    return None


def deliveries_in_doubt_resolve(*, broadcast: Broadcast, now: dt.datetime | None = None) -> int:
    """Settle the deliveries whose worker died while sending them (see the module docstring).
    Returns how many were settled."""
    now = now or timezone.now()
    doubtful = list(
        Delivery.objects.filter(
            broadcast=broadcast, status=Delivery.Status.SENDING, claimed_until__lt=now
        ).select_related("message")
    )
    unconfirmed = 0
    for delivery in doubtful:
        message = delivery.message
        outcome = Delivery.Status.UNCONFIRMED
        provider_id = None
        if message is not None and message.channel == Channel.SMS:
            try:
                claimed_at = delivery.claimed_at
                assert claimed_at is not None  # a delivery being sent was claimed (_claim)
                provider_id = _twilio_find(
                    message, tokens.reply_token(delivery.public_id), claimed_at
                )
            except Exception as exc:  # Twilio cannot be asked now: leave it to staff, not resend
                log.warning("Broadcast look-up at Twilio failed: %s", _short_error(exc))
            else:
                outcome = Delivery.Status.SENT if provider_id else Delivery.Status.QUEUED
        with transaction.atomic():
            changed = Delivery.objects.filter(
                pk=delivery.pk, status=Delivery.Status.SENDING, claimed_at=delivery.claimed_at
            ).update(
                status=outcome,
                claimed_until=None,
                sent_at=now if outcome == Delivery.Status.SENT else None,
                # The lost attempt does not count against the citizen's tries.
                attempts=F("attempts") - (1 if outcome == Delivery.Status.QUEUED else 0),
                last_error="" if outcome != Delivery.Status.UNCONFIRMED else "in doubt",
            )
            if changed and message is not None and outcome == Delivery.Status.SENT:
                OutboundMessage.objects.filter(pk=message.pk).update(
                    status=OutboundMessage.Status.SENT,
                    provider_id=provider_id,
                    sent_at=now,
                    locked_until=None,
                    attempts=F("attempts") + 1,
                )
            if changed and outcome == Delivery.Status.UNCONFIRMED:
                unconfirmed += 1
        if changed and provider_id and message is not None and outcome == Delivery.Status.SENT:
            status_reports_pending_apply(channel=message.channel, provider_id=provider_id)
    if unconfirmed:
        with transaction.atomic():
            audit_record(
                event="broadcast_deliveries_unconfirmed",
                obj=broadcast,
                mission=broadcast.mission,
                data={"deliveries": unconfirmed},
            )
    return len(doubtful)


def _beat(broadcast: Broadcast) -> None:
    Broadcast.objects.filter(pk=broadcast.pk).update(heartbeat_at=timezone.now())


def broadcast_finish(*, broadcast: Broadcast, now: dt.datetime | None = None) -> bool:
    """Mark the broadcast done once no delivery waits or is being sent."""
    now = now or timezone.now()
    with transaction.atomic():
        if Delivery.objects.filter(
            broadcast=broadcast, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
        ).exists():
            return False
        if not Broadcast.objects.filter(pk=broadcast.pk, status=Broadcast.Status.SENDING).update(
            status=Broadcast.Status.DONE, finished_at=now
        ):
            return False
        counts = dict(
            Delivery.objects.filter(broadcast=broadcast)
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        audit_record(
            event="broadcast_finished", obj=broadcast, mission=broadcast.mission, data=counts
        )
    return True


def broadcast_run(
    *,
    broadcast_id: int,
    throttle: Throttle | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Send every delivery of the broadcast that is left, batch by batch, until it is done.
    Safe to run twice at once and after a crash (each delivery is claimed). Returns the status."""
    broadcast = Broadcast.objects.select_related("mission").filter(pk=broadcast_id).first()
    if broadcast is None or broadcast.status != Broadcast.Status.SENDING:
        return broadcast.status if broadcast else "missing"
    throttle = throttle or Throttle.from_settings()
    while True:
        _beat(broadcast)
        now = timezone.now()
        deliveries_in_doubt_resolve(broadcast=broadcast, now=now)
        due = list(
            Delivery.objects.filter(broadcast=broadcast, status=Delivery.Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("pk")
            .values_list("pk", flat=True)[: settings.BROADCAST_BATCH]
        )
        for pk in due:
            delivery_send(delivery_id=pk, throttle=throttle)
        if due:
            continue
        if broadcast_finish(broadcast=broadcast):
            return Broadcast.Status.DONE
        status = Broadcast.objects.filter(pk=broadcast.pk).values_list("status", flat=True)[0]
        if status != Broadcast.Status.SENDING:  # another worker finished it
            return status
        # Only retries not yet due, or deliveries another worker holds, are left: wait for them.
        waiting = (
            Delivery.objects.filter(broadcast=broadcast)
            .filter(
                Q(status=Delivery.Status.QUEUED, next_attempt_at__gt=now)
                | Q(status=Delivery.Status.SENDING)
            )
            .order_by("next_attempt_at")
            .values_list("next_attempt_at", "claimed_until")
            .first()
        )
        if waiting is None:
            continue
        until = waiting[0] or waiting[1] or now
        sleep(min(max((until - now).total_seconds(), 0.2), 5.0))


def broadcasts_resume(now: dt.datetime | None = None) -> int:
    """Queue the task again for each broadcast whose worker stopped beating (it died). Returns
    how many. One of two rounds running at once wins each broadcast (conditional update)."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.BROADCAST_STALL_SECONDS)
    resumed = 0
    for broadcast in Broadcast.objects.filter(
        status=Broadcast.Status.SENDING, heartbeat_at__lt=stale
    ).select_related("mission"):
        assert broadcast.heartbeat_at is not None  # heartbeat_at__lt above
        with transaction.atomic():
            if Broadcast.objects.filter(
                pk=broadcast.pk, heartbeat_at=broadcast.heartbeat_at
            ).update(heartbeat_at=now):
                audit_record(
                    event="broadcast_resumed",
                    obj=broadcast,
                    mission=broadcast.mission,
                    data={"silent_since": broadcast.heartbeat_at.isoformat()},
                )
                _enqueue_on_commit(broadcast.pk)
                resumed += 1
    return resumed


# Replies and the help list ---------------------------------------------------------------------


def delivery_for_token(token: str) -> Delivery:
    public_id = tokens.reply_token_read(token)
    delivery = (
        Delivery.objects.select_related("broadcast__mission", "citizen")
        .filter(public_id=public_id)
        .first()
        if public_id
        else None
    )
    if delivery is None:
        raise NotFound(_("Tautan ini tidak berlaku."))
    return delivery


def reply_open(delivery: Delivery, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    sent = delivery.broadcast.queued_at
    return sent is not None and now <= sent + dt.timedelta(days=settings.BROADCAST_REPLY_DAYS)


@transaction.atomic
def reply_record(
    *, delivery: Delivery, answer: str, note: str = "", phone: str = "", now=None
) -> Reply:
    """Record a citizen's answer. "I need help" opens (or reopens) the help case staff see."""

    now = now or timezone.now()
    if not reply_open(delivery, now):
        raise PanduError(_("Waktu untuk menjawab pesan ini sudah lewat."), code="closed")
    errors: dict[str, list[str]] = {}
    if answer not in Delivery.Answer.values:
        errors["answer"] = [_("Pilih salah satu jawaban.")]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Paling panjang %(max)d karakter.") % {"max": NOTE_MAX}]
    phone = (phone or "").strip()
    if phone:
        try:
            phone = normalise_phone(phone)
        except IdentityError:
            errors["phone"] = [_("Nomor telepon tidak dikenali. Contoh: +1 416 555 0123.")]
    if errors:
        raise ValidationFailed(errors)
    reply = Reply.objects.create(
        delivery=delivery, answer=answer, note=note, phone=phone, created_at=now
    )
    Delivery.objects.filter(pk=delivery.pk).update(answer=answer, answered_at=now)
    mission = delivery.broadcast.mission
    if answer == Delivery.Answer.HELP:
        case, created = HelpCase.objects.get_or_create(
            delivery=delivery, defaults={"mission": mission, "opened_at": now, "updated_at": now}
        )
        if not created:
            # Asked again: back on top of the list, open, whoever had it.
            HelpCase.objects.filter(pk=case.pk).update(
                status=HelpCase.Status.OPEN,
                opened_at=now,
                updated_at=now,
                resolved_at=None,
                resolved_by=None,
            )
        _help_requested_notify(case=HelpCase.objects.get(pk=case.pk), delivery=delivery)
    audit_record(event="broadcast_replied", obj=delivery, mission=mission, data={"answer": answer})
    return reply


def help_case_link(case: HelpCase, language: str) -> str:
    with translation.override(language):
        path = reverse("broadcast:help_detail", kwargs={"public_id": case.public_id})
    return f"{settings.SITE_URL}{path}"


def _help_requested_notify(*, case: HelpCase, delivery: Delivery) -> None:
    """Tell the mission's crisis supervisors that a citizen asked for help, each on their chosen
    channel (SMS or WhatsApp when consented, else e-mail; a failed text falls back to e-mail).
    Queued in the reply's transaction, so nothing leaves unless the reply is saved. The notice
    names no citizen: the link opens the case for staff who are signed in."""
    if holding():
        return

    broadcast = delivery.broadcast
    for supervisor in crisis_supervisors(case.mission):
        language = getattr(supervisor, "preferred_language", "") or settings.LANGUAGE_CODE
        notify_send(
            to=supervisor.email,
            template="help_requested",
            language=language,
            mission=case.mission,
            context={
                "mission": case.mission,
                "subject": broadcast.subject(language),
                "link": help_case_link(case, language),
            },
        )


def _locked_case(case: HelpCase, by) -> HelpCase:
    case = (
        HelpCase.objects.select_for_update(of=("self",)).select_related("mission").get(pk=case.pk)
    )
    if not by.has_perm(HELP_PERM, case.mission):
        raise PermissionDenied
    return case


@transaction.atomic
def help_claim(*, case: HelpCase, by, now: dt.datetime | None = None) -> HelpCase:
    """Take a help case: the list shows who works on it."""
    now = now or timezone.now()
    case = _locked_case(case, by)
    if case.status == HelpCase.Status.RESOLVED:
        raise PanduError(_("Permintaan bantuan ini sudah selesai."), code="resolved")
    case.status, case.claimed_by, case.updated_at = HelpCase.Status.CLAIMED, by, now
    case.save(update_fields=["status", "claimed_by", "updated_at"])
    audit_record(event="help_claimed", actor=by, obj=case, mission=case.mission)
    return case


def _note_text(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationFailed({"text": [_("Tuliskan apa yang sudah dilakukan.")]})
    if len(text) > NOTE_MAX * 4:
        raise ValidationFailed(
            {"text": [_("Paling panjang %(max)d karakter.") % {"max": NOTE_MAX * 4}]}
        )
    return text


@transaction.atomic
def help_note(*, case: HelpCase, text: str, by, now: dt.datetime | None = None) -> HelpNote:
    """Append what was done (a call, a visit, a referral)."""
    now = now or timezone.now()
    case = _locked_case(case, by)
    note = HelpNote.objects.create(
        case=case, author=by, text=_note_text(text, required=True), created_at=now
    )
    HelpCase.objects.filter(pk=case.pk).update(updated_at=now)
    audit_record(event="help_noted", actor=by, obj=case, mission=case.mission)
    return note


@transaction.atomic
def help_resolve(*, case: HelpCase, text: str, by, now: dt.datetime | None = None) -> HelpCase:
    """Close the case with a last note saying how it ended (required)."""
    now = now or timezone.now()
    case = _locked_case(case, by)
    if case.status == HelpCase.Status.RESOLVED:
        raise PanduError(_("Permintaan bantuan ini sudah selesai."), code="resolved")
    HelpNote.objects.create(
        case=case, author=by, text=_note_text(text, required=True), created_at=now
    )
    case.status, case.resolved_at, case.resolved_by = HelpCase.Status.RESOLVED, now, by
    case.updated_at = now
    case.save(update_fields=["status", "resolved_at", "resolved_by", "updated_at"])
    audit_record(event="help_resolved", actor=by, obj=case, mission=case.mission)
    return case
