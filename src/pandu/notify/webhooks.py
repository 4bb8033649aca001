"""What the SMS and WhatsApp providers call: replies (STOP) and delivery reports.

Every call is checked before anything is read from it: Twilio's ``X-Twilio-Signature`` with the
library's ``RequestValidator`` over the public URL (``PANDU_SITE_URL``) and the form, Meta's
``X-Hub-Signature-256`` as an HMAC of the raw body with the app secret. A call that fails the
check, or arrives while the channel is not configured, is refused with 403 and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from pandu.notify.models import Channel, OutboundMessage
from pandu.notify.preferences import reply_received
from pandu.notify.services import message_status_report, whatsapp_inbound_record

log = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

# Provider words for a message's fate -> ours. Anything else (queued, sending...) changes nothing.
TWILIO_STATUSES = {
    "sent": OutboundMessage.Status.SENT,
    "delivered": OutboundMessage.Status.DELIVERED,
    "read": OutboundMessage.Status.READ,
    "undelivered": OutboundMessage.Status.FAILED,
    "failed": OutboundMessage.Status.FAILED,
}
WHATSAPP_STATUSES = {
    "sent": OutboundMessage.Status.SENT,
    "delivered": OutboundMessage.Status.DELIVERED,
    "read": OutboundMessage.Status.READ,
    "failed": OutboundMessage.Status.FAILED,
}


def _twilio_valid(request: HttpRequest) -> bool:
    if not settings.TWILIO_AUTH_TOKEN:
        return False
    from twilio.request_validator import RequestValidator  # noqa: PLC0415

    signature = request.headers.get("X-Twilio-Signature", "")
    url = settings.SITE_URL + request.get_full_path()
    return bool(signature) and RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(
        url, request.POST, signature
    )


@csrf_exempt
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    if not _twilio_valid(request):
        log.warning("Refused a Twilio reply with a missing or wrong signature")
        return HttpResponseForbidden()
    reply_received(
        channel=Channel.SMS,
        phone=request.POST.get("From", ""),
        body=request.POST.get("Body", ""),
    )
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not _twilio_valid(request):
        log.warning("Refused a Twilio status report with a missing or wrong signature")
        return HttpResponseForbidden()
    status = TWILIO_STATUSES.get(request.POST.get("MessageStatus", ""))
    sid = request.POST.get("MessageSid", "")
    if status and sid:
        message_status_report(
            channel=Channel.SMS,
            provider_id=sid,
            status=status,
            error=request.POST.get("ErrorCode", "")[:20],
        )
    return HttpResponse(status=204)


def _whatsapp_valid(request: HttpRequest) -> bool:
    if not settings.WHATSAPP_APP_SECRET:
        return False
    given = request.headers.get("X-Hub-Signature-256", "")
    expected = hmac.new(
        settings.WHATSAPP_APP_SECRET.encode(), request.body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(given, f"sha256={expected}")


def _sent_at(message: dict) -> dt.datetime:
    """When the citizen sent the message (Meta's Unix ``timestamp``), else now."""
    try:
        return dt.datetime.fromtimestamp(int(message.get("timestamp")), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return timezone.now()


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":  # Meta checks the address when it is registered
        token = settings.WHATSAPP_VERIFY_TOKEN
        if (
            token
            and request.GET.get("hub.mode") == "subscribe"
            and hmac.compare_digest(request.GET.get("hub.verify_token", ""), token)
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponseForbidden()
    if not _whatsapp_valid(request):
        log.warning("Refused a WhatsApp webhook call with a missing or wrong signature")
        return HttpResponseForbidden()
    try:
        payload = json.loads(request.body)
        changes = [
            change.get("value") or {}
            for entry in payload.get("entry") or []
            for change in entry.get("changes") or []
        ]
    except (ValueError, AttributeError, TypeError):
        return HttpResponseBadRequest()
    for value in changes:
        if not isinstance(value, dict):
            continue
        for message in value.get("messages") or []:
            if not isinstance(message, dict):
                continue
            # Any message the citizen sends (text, a button, a photo) opens the 24-hour window.
            whatsapp_inbound_record(phone=str(message.get("from", "")), at=_sent_at(message))
            if message.get("type") == "text":
                reply_received(
                    channel=Channel.WHATSAPP,
                    phone=str(message.get("from", "")),
                    body=str((message.get("text") or {}).get("body", "")),
                )
        for report in value.get("statuses") or []:
            if not isinstance(report, dict):
                continue
            status = WHATSAPP_STATUSES.get(str(report.get("status", "")))
            if status and report.get("id"):
                errors = report.get("errors") or [{}]
                message_status_report(
                    channel=Channel.WHATSAPP,
                    provider_id=str(report["id"]),
                    status=status,
                    error=str((errors[0] or {}).get("code", ""))[:20],
                )
    return HttpResponse(status=200)
