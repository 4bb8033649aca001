"""Crisis messages by WhatsApp: free text in the 24-hour window, else the approved template."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from pandu.broadcast import services, tokens
from pandu.broadcast.models import Delivery
from pandu.notify.models import ContactPreference
from tests.notify.conftest import WHATSAPP_TEMPLATES

from .factories import make_citizens
from .helpers import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_whatsapp(toronto, providers, settings):
    """Two citizens who chose WhatsApp: the first wrote to us an hour ago, the second never."""
    settings.WHATSAPP_TEMPLATES = WHATSAPP_TEMPLATES
    providers.approve_configured(WHATSAPP_TEMPLATES)
    registrations = make_citizens(toronto, 2, sms=True, language="en")
    now = timezone.now()
    for registration in registrations:
        ContactPreference.objects.filter(user=registration.citizen.user).update(
            channel="whatsapp", whatsapp_consent_at=now, whatsapp_consent_source="page"
        )
    wrote = ContactPreference.objects.get(user=registrations[0].citizen.user)
    ContactPreference.objects.filter(pk=wrote.pk).update(
        whatsapp_inbound_at=now - dt.timedelta(hours=1)
    )
    providers.customer_wrote(wrote.phone)
    return registrations


def send(toronto, supervisor, capture):
    broadcast = draft(toronto, supervisor)
    with capture(execute=True):
        services.broadcast_send(broadcast=broadcast, by=supervisor)
    return broadcast


def test_the_crisis_message_goes_as_text_in_the_window_and_as_the_template_outside(
    toronto, supervisor, providers, on_whatsapp, django_capture_on_commit_callbacks
):
    broadcast = send(toronto, supervisor, django_capture_on_commit_callbacks)
    by_number = {r.json["to"]: r.json for r in providers.of("whatsapp")}
    wrote, never = (
        Delivery.objects.get(broadcast=broadcast, citizen=r.citizen) for r in on_whatsapp
    )
    text = by_number[wrote.message.phone.lstrip("+")]
    assert text["type"] == "text" and "Flood warning" in text["text"]["body"]
    template = by_number[never.message.phone.lstrip("+")]
    assert template["type"] == "template"
    assert template["template"]["name"] == "pandu_crisis_message"
    assert template["template"]["language"] == {"code": "en"}
    subject, body, link = (p["text"] for p in template["template"]["components"][0]["parameters"])
    assert subject == "Flood warning" and body == "Flooding in Toronto. Move to higher ground."
    assert f"/en/pesan-krisis/balas/{tokens.reply_token(never.public_id)}/" in link
    assert {wrote.status, never.status} == {"sent"} and mail.outbox == []


def test_without_a_crisis_template_the_citizen_outside_the_window_is_e_mailed(
    toronto, supervisor, providers, settings, on_whatsapp, django_capture_on_commit_callbacks
):
    settings.WHATSAPP_TEMPLATES = {k: v for k, v in WHATSAPP_TEMPLATES.items() if k != "broadcast"}
    broadcast = send(toronto, supervisor, django_capture_on_commit_callbacks)
    never = Delivery.objects.get(broadcast=broadcast, citizen=on_whatsapp[1].citizen)
    assert never.channel == "email" and never.status == "sent"
    assert [r.json["type"] for r in providers.of("whatsapp")] == ["text"]
    assert on_whatsapp[1].citizen.user.email in {m.to[0] for m in mail.outbox}
