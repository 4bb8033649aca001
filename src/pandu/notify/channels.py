"""The ways a recorded message leaves Pandu: e-mail, SMS (Twilio) and WhatsApp (Cloud API).

Each channel sends one ``OutboundMessage`` and says what the provider answered; it records
nothing itself (``notify.services.message_send`` does, and decides about retries and falling back
to e-mail). A channel whose settings are missing is not configured and never chosen. Tests point
the real clients at a local server through the base-URL settings; nothing here is mocked.
"""

from __future__ import annotations

import base64
import contextlib
from dataclasses import dataclass
from typing import Protocol

import requests
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from pandu.notify.models import Channel, OutboundMessage


@dataclass(frozen=True)
class Sent:
    """What the provider answered: its id for the message (for status reports) and our status."""

    provider_id: str = ""
    status: str = OutboundMessage.Status.SENT


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
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=settings.NOTIFY_PROVIDER_TIMEOUT),
        )
        if settings.TWILIO_BASE_URL:
            client.api.base_url = settings.TWILIO_BASE_URL
        return client

    def send(self, message: OutboundMessage) -> Sent:
        from twilio.base.exceptions import TwilioRestException

        from pandu.notify.webhooks import twilio_status_url

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


class WhatsAppChannel:
    """The WhatsApp Business Cloud API: a text message to the citizen's number."""

    name = Channel.WHATSAPP

    def configured(self) -> bool:
        return bool(settings.WHATSAPP_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID)

    def send(self, message: OutboundMessage) -> Sent:
        url = f"{settings.WHATSAPP_BASE_URL}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.phone.lstrip("+"),
            "type": "text",
            "text": {"preview_url": False, "body": message.text},
        }
        answer = requests.post(
            url,
            json=payload,
            headers={"Authorization": f"Bearer {settings.WHATSAPP_TOKEN}"},
            timeout=settings.NOTIFY_PROVIDER_TIMEOUT,
        )
        if answer.status_code >= 400:
            code = ""
            with contextlib.suppress(ValueError):
                code = str(answer.json().get("error", {}).get("code", ""))
            raise ChannelError(
                f"WhatsApp {answer.status_code} {code}".strip(),
                permanent=_permanent(answer.status_code),
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
