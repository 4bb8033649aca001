"""The ways a recorded message leaves Pandu: e-mail, SMS (Twilio) and WhatsApp (Cloud API).

Each channel sends one ``OutboundMessage`` and says what the provider answered; it records
nothing itself (``notify.services.message_send`` does, and decides about retries and falling back
to e-mail). A channel whose settings are missing is not configured and never chosen. Tests point
the real clients at a local server through the base-URL settings; nothing here is mocked.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Protocol

import requests
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from pandu.notify.models import Channel, ContactPreference, OutboundMessage


@dataclass(frozen=True)
class Sent:
    """What the provider answered: its id for the message (for status reports) and our status."""

    provider_id: str = ""
    status: str = OutboundMessage.Status.SENT


def twilio_status_url() -> str:
    """Where Twilio reports a text message's delivery (``notify.webhooks``)."""
    return settings.SITE_URL + reverse("notify_hooks:twilio_status")


class ChannelError(Exception):
    """A send the provider refused. ``permanent`` when trying again cannot help (a bad number,
    a refused recipient): the message then falls back to e-mail at once."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Notifier(Protocol):
    name: str

    def configured(self) -> bool: ...

    def send(self, message: OutboundMessage) -> Sent: ...


def _permanent(status: int) -> bool:
    """A refusal of the request itself (4xx), apart from "too many requests", is not retried."""
    return 400 <= status < 500 and status not in (408, 429)


class EmailChannel:
    name = Channel.EMAIL

    def configured(self) -> bool:
        return True

    def send(self, message: OutboundMessage) -> Sent:
        email = EmailMultiAlternatives(
            subject=message.subject, body=message.body, to=[message.recipient]
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        for item in message.attachments or []:
            email.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
        email.send()
        return Sent()


class SmsChannel:
    """Twilio's Programmable Messaging through its official client."""

    name = Channel.SMS

    def configured(self) -> bool:
        return bool(
            settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.SMS_FROM
        )

    def client(self):
        from twilio.http.http_client import TwilioHttpClient  # noqa: PLC0415
        from twilio.rest import Client  # noqa: PLC0415

        client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=settings.NOTIFY_PROVIDER_TIMEOUT),
        )
        if settings.TWILIO_BASE_URL:
            client.api.base_url = settings.TWILIO_BASE_URL
        return client

    def send(self, message: OutboundMessage) -> Sent:
        from twilio.base.exceptions import TwilioRestException  # noqa: PLC0415

        try:
            sent = self.client().messages.create(
                to=message.phone,
                from_=settings.SMS_FROM,
                body=message.text,
                status_callback=twilio_status_url(),
            )
        except TwilioRestException as exc:
            raise ChannelError(
                f"Twilio {exc.status} {exc.code or ''}".strip(), permanent=_permanent(exc.status)
            ) from exc
        return Sent(provider_id=sent.sid or "")


# Meta allows free text for 24 hours after the citizen's last message; a little is kept back so
# a message queued just before the window closes is not refused on its way.
WHATSAPP_WINDOW = dt.timedelta(hours=24)
WHATSAPP_WINDOW_MARGIN = dt.timedelta(minutes=10)


def whatsapp_window_open(phone: str, now: dt.datetime | None = None) -> bool:
    """Whether the citizen with this number wrote to us on WhatsApp recently enough for free
    text (their last message is recorded by the webhook); never, if they have not written."""
    now = now or timezone.now()
    since = now - WHATSAPP_WINDOW + WHATSAPP_WINDOW_MARGIN
    return ContactPreference.objects.filter(phone=phone, whatsapp_inbound_at__gt=since).exists()


def whatsapp_template(kind: str, language: str) -> tuple[str, list[str]] | None:
    """The approved template's name for a notice kind in a language and the notice fields that
    fill its parameters (``WHATSAPP_TEMPLATES``), or ``None`` when there is none."""
    entry = settings.WHATSAPP_TEMPLATES.get(kind)
    if not entry or not entry["names"].get(language):
        return None
    return entry["names"][language], list(entry.get("params", []))


class WhatsAppChannel:
    """The WhatsApp Business Cloud API: a text message to the citizen's number while the 24-hour
    customer-service window is open, else the notice kind's approved template with the notice's
    fields as its parameters. A notice kind without a template cannot be sent outside the window:
    the send is refused at once (permanent), so the notice goes by e-mail."""

    name = Channel.WHATSAPP

    def configured(self) -> bool:
        return bool(settings.WHATSAPP_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID)

    def payload(self, message: OutboundMessage) -> dict:
        base = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.phone.lstrip("+"),
        }
        if whatsapp_window_open(message.phone):
            return {**base, "type": "text", "text": {"preview_url": False, "body": message.text}}
        found = whatsapp_template(message.template, message.language)
        params = message.template_params or []
        if found is None or len(params) != len(found[1]):
            raise ChannelError(
                f"WhatsApp: no approved template for {message.template or '-'} "
                f"({message.language or '-'}) outside the 24-hour window",
                permanent=True,
            )
        components = []
        if params:
            components.append(
                {"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}
            )
        return {
            **base,
            "type": "template",
            "template": {
                "name": found[0],
                "language": {"code": message.language},
                "components": components,
            },
        }

    def send(self, message: OutboundMessage) -> Sent:
        url = f"{settings.WHATSAPP_BASE_URL}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
        answer = requests.post(
            url,
            json=self.payload(message),
            headers={"Authorization": f"Bearer {settings.WHATSAPP_TOKEN}"},
            timeout=settings.NOTIFY_PROVIDER_TIMEOUT,
        )
        if answer.status_code >= 400:
            code = ""
            with contextlib.suppress(ValueError, AttributeError):
                code = str(answer.json().get("error", {}).get("code", ""))
            raise ChannelError(
                f"WhatsApp {answer.status_code} {code}".strip(),
                # 131047: free text outside the 24-hour window; trying again cannot help.
                permanent=_permanent(answer.status_code) or code == "131047",
            )
        try:
            provider_id = answer.json()["messages"][0]["id"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ChannelError("WhatsApp answered without a message id") from exc
        return Sent(provider_id=str(provider_id))


CHANNELS: dict[str, Notifier] = {
    Channel.EMAIL: EmailChannel(),
    Channel.SMS: SmsChannel(),
    Channel.WHATSAPP: WhatsAppChannel(),
}


def channel_get(name: str) -> Notifier:
    return CHANNELS[name]


def channels_configured() -> list[str]:
    """The channels a notice may go on now, e-mail first."""
    return [name for name, channel in CHANNELS.items() if channel.configured()]
