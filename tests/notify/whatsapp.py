"""Calls to our WhatsApp webhook as Meta makes them (signed with the app secret)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

WEBHOOK = "/hooks/messages/whatsapp/"


def signed_post(client, secret: str, payload: dict):
    body = json.dumps(payload).encode()
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        WEBHOOK,
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=f"sha256={digest}",
    )


def event(value: dict) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
    }


def citizen_writes(client, settings, providers, phone: str, body: str = "Halo") -> None:
    """The citizen sends us a WhatsApp message: Meta forwards it to our webhook, and from now on
    the (fake) Cloud API accepts free text to that number for 24 hours."""
    wa_id = phone.lstrip("+")
    message = {
        "from": wa_id,
        "id": "wamid.in" + str(time.time_ns()),
        "timestamp": str(int(time.time())),
        "type": "text",
        "text": {"body": body},
    }
    answer = signed_post(
        client,
        settings.WHATSAPP_APP_SECRET,
        event({"messaging_product": "whatsapp", "messages": [message]}),
    )
    assert answer.status_code == 200
    providers.customer_wrote(wa_id)


def status_report(client, settings, provider_id: str, status: str, **extra):
    report = {"id": provider_id, "status": status, "timestamp": str(int(time.time())), **extra}
    return signed_post(
        client,
        settings.WHATSAPP_APP_SECRET,
        event({"messaging_product": "whatsapp", "statuses": [report]}),
    )
