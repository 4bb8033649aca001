"""Notices by SMS and WhatsApp: the citizen's channel when consented and configured, else e-mail.

The real Twilio client and ``requests`` talk to a local server answering as the providers do
(``fake_providers``); what it received is what a provider would have been asked to deliver.
"""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from pandu.appointments.models import Slot
from pandu.appointments.services import appointment_book, sessions_generate
from pandu.audit.models import AuditEvent
from pandu.notify import services
from pandu.notify.models import ContactPreference, OutboundMessage
from pandu.notify.preferences import preference_set
from pandu.people.models import CitizenProfile

from .conftest import SMS_FROM, TWILIO_SID, WHATSAPP_PHONE_ID
from .whatsapp import citizen_writes

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 20, 15, 0, tzinfo=dt.UTC)
EMAIL = "siti.rahayu@example.org"
PHONE = "+14165550123"
CONFIRMED = {"id": "tercatat", "en": "is booked"}


def citizen(language: str = "id") -> CitizenProfile:
    profile = CitizenProfile.objects.select_related("user", "mission").get(user__email=EMAIL)
    profile.user.preferred_language = language
    profile.user.save(update_fields=["preferred_language"])
    return profile


def prefer(profile: CitizenProfile, channel: str) -> ContactPreference:
    return preference_set(
        user=profile.user, channel=channel, phone="+1 (416) 555-0123", consents={channel}
    )


@pytest.fixture(autouse=True)
def calendar(demo, time_machine):
    """January 2027's sessions at Toronto, booked from 20 December 2026."""
    time_machine.move_to(NOW, tick=False)
    sessions_generate(mission=demo["toronto"], start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 31))


def free_slot(profile: CitizenProfile) -> tuple[Slot, object]:
    service = profile.mission.services.get(code="paspor-ganti")
    slot = Slot.objects.filter(
        service=service, booked=0, session__date=dt.date(2027, 1, 12), session__kind="weekday"
    ).order_by("starts_at")[2]
    return slot, service


def book(profile: CitizenProfile, capture):
    slot, service = free_slot(profile)
    with capture(execute=True):
        return appointment_book(citizen=profile, slot=slot, service=service)


def sent_row(template: str = "appointment_booked") -> OutboundMessage:
    """The notice as first queued (a fallback e-mail is a later row)."""
    return OutboundMessage.objects.filter(template=template).order_by("pk").first()


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_booking_is_confirmed_by_sms_to_a_consenting_citizen_in_their_language(
    providers, language, django_capture_on_commit_callbacks
):
    profile = citizen(language)
    prefer(profile, "sms")
    appointment = book(profile, django_capture_on_commit_callbacks)

    [request] = providers.of("twilio")
    assert request.path == f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
    credentials = base64.b64decode(request.headers["authorization"].split()[1]).decode()
    assert credentials == f"{TWILIO_SID}:twilio-auth-token"
    assert request.form["To"] == PHONE and request.form["From"] == SMS_FROM
    body = request.form["Body"]
    assert appointment.reference in body and CONFIRMED[language] in body
    assert f"/{language}/appointments/manage/" in body
    assert f"/{language}/messages/stop/" in body
    assert len(body) <= services.SMS_MAX
    assert request.form["StatusCallback"].endswith("/hooks/messages/twilio/status/")
    message = sent_row()
    assert message.channel == "sms" and message.status == "sent" and message.phone == PHONE
    assert message.provider_id.startswith("SM") and message.recipient == EMAIL
    assert mail.outbox == []  # nothing by e-mail besides


def test_a_booking_is_confirmed_by_whatsapp_likewise(
    providers, client, settings, django_capture_on_commit_callbacks
):
    profile = citizen("en")
    prefer(profile, "whatsapp")
    citizen_writes(client, settings, providers, PHONE)  # free text: within the 24-hour window
    appointment = book(profile, django_capture_on_commit_callbacks)

    [request] = providers.of("whatsapp")
    assert request.path == f"/v21.0/{WHATSAPP_PHONE_ID}/messages"
    assert request.headers["authorization"] == "Bearer whatsapp-access-token"
    assert request.json["messaging_product"] == "whatsapp" and request.json["type"] == "text"
    assert request.json["to"] == PHONE.lstrip("+")
    text = request.json["text"]["body"]
    assert appointment.reference in text and "is booked" in text and "/en/messages/stop/" in text
    message = sent_row()
    assert message.channel == "whatsapp" and message.provider_id.startswith("wamid.")
    assert providers.of("twilio") == [] and mail.outbox == []


def test_without_consent_the_notice_goes_by_e_mail(providers, django_capture_on_commit_callbacks):
    profile = citizen()
    # A number and SMS chosen, but no consent recorded.
    ContactPreference.objects.create(user=profile.user, channel="sms", phone=PHONE)
    appointment = book(profile, django_capture_on_commit_callbacks)
    assert providers.received == []
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert appointment.reference in mail.outbox[0].subject
    assert sent_row().channel == "email"


def test_a_channel_not_configured_is_never_chosen(
    providers, settings, django_capture_on_commit_callbacks
):
    profile = citizen()
    prefer(profile, "sms")
    settings.TWILIO_AUTH_TOKEN = ""  # the operator removed the SMS settings
    book(profile, django_capture_on_commit_callbacks)
    assert providers.received == []
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_notices_about_the_address_itself_always_go_by_e_mail(
    providers, django_capture_on_commit_callbacks
):
    profile = citizen()
    prefer(profile, "sms")
    with django_capture_on_commit_callbacks(execute=True):
        services.email_send(
            to=EMAIL,
            template="deletion_requested",
            context={"name": profile.full_name, "mission": profile.mission},
            language="id",
        )
    assert providers.received == [] and [m.to for m in mail.outbox] == [[EMAIL]]


def test_a_provider_failing_is_retried_then_the_notice_is_e_mailed_with_its_calendar_file(
    providers, django_capture_on_commit_callbacks
):
    profile = citizen()
    prefer(profile, "sms")
    providers.fail_next(services.MAX_ATTEMPTS, status=503)
    book(profile, django_capture_on_commit_callbacks)
    message = sent_row()
    assert message.status == "queued" and message.attempts == 1
    assert message.last_error.startswith("ChannelError: Twilio 503")
    now = timezone.now()
    for _attempt in range(2, services.MAX_ATTEMPTS + 1):
        now += dt.timedelta(hours=3)
        with django_capture_on_commit_callbacks(execute=True):
            services.messages_retry_due(now)
    assert len(providers.of("twilio")) == services.MAX_ATTEMPTS
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == services.MAX_ATTEMPTS
    replacement = message.fallback
    assert replacement.channel == "email" and replacement.status == "sent"
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert any(name.endswith(".ics") for name, _content, _type in mail.outbox[0].attachments)
    event = AuditEvent.objects.get(event="message_fell_back", object_ref=message.public_id)
    assert event.data["reason"] == "send_failed" and event.data["channel"] == "sms"


def test_a_number_the_provider_refuses_is_e_mailed_at_once(
    providers, django_capture_on_commit_callbacks
):
    profile = citizen()
    prefer(profile, "whatsapp")
    providers.fail_next(1, status=400, code=131026)  # WhatsApp: the number cannot receive
    book(profile, django_capture_on_commit_callbacks)
    message = sent_row()
    assert message.status == "failed" and message.attempts == 1
    assert message.fallback.status == "sent" and len(mail.outbox) == 1
    assert len(providers.of("whatsapp")) == 1


def test_an_opt_out_between_queueing_and_sending_sends_the_e_mail_instead(
    providers, django_capture_on_commit_callbacks
):
    from pandu.notify.preferences import preference_opt_out

    profile = citizen()
    preference = prefer(profile, "sms")
    services.email_send(  # its task has not run yet: on-commit callbacks are not executed here
        to=EMAIL, template="waitlist_offer", context={"link": "https://x.example/"}, language="id"
    )
    assert sent_row("waitlist_offer").channel == "sms"
    preference_opt_out(preference=preference, channel="sms", source="reply")
    with django_capture_on_commit_callbacks(execute=True):
        services.messages_retry_due(timezone.now() + services.LEASE)
    assert providers.received == []
    message = sent_row("waitlist_offer")
    assert message.status == "failed" and message.fallback.status == "sent"
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_the_short_text_keeps_its_link_within_320_characters(providers):
    profile = citizen()
    preference = prefer(profile, "sms")
    link = "https://pandu.example/id/appointments/manage/" + "x" * 120 + "/"
    text = services.short_text(
        template="no_such_notice",
        context={"link": link},
        language="id",
        subject="Sebuah perihal yang sangat panjang " * 10,
        stop_link=services.stop_link(preference, "sms", "id"),
    )
    assert len(text) <= services.SMS_MAX
    assert link in text and re.search(r"/id/messages/stop/[\w-]{39}/$", text)


def test_an_erased_account_loses_its_number_and_messages(providers):
    profile = citizen()
    prefer(profile, "sms")
    services.messages_forget(email=EMAIL)
    assert not ContactPreference.objects.filter(user=profile.user).exists()
